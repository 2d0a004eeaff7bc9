package dev.postern.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Hand-made HTTP clients for attack tests: raw sockets that send what a browser never would. */
final class RawClients implements AutoCloseable {
    static final String BOUNDARY = "----rawClientBoundary";
    private final List<Socket> sockets = new ArrayList<>();
    private final String host;
    private final int port;

    RawClients(String baseUrl) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** Opens a connection and sends {@code head} (and keeps the socket open). */
    Socket open(String head) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        sockets.add(s);
        if (!head.isEmpty()) {
            s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
        }
        return s;
    }

    /**
     * The start of a report upload that then stalls: headers that promise 100 MB, a valid token and
     * a few hundred bytes of a text part.
     */
    static String stalledUpload(String path, String token) {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\n" + "x".repeat(300);
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary="
                + BOUNDARY + "\r\nContent-Length: 100000000\r\n\r\n" + body;
    }

    /** Whether the server closed the socket (EOF or reset) within the timeout; reads any response. */
    static boolean closedByServer(Socket s, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            while (System.nanoTime() < end) {
                if (in.read(b) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    /** Whether the server answered (any bytes) or closed the socket within the timeout. */
    static boolean answeredOrClosed(Socket s, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        try {
            s.getInputStream().read();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    /** Sends a whole request on a new connection and returns the whole response (the server closes). */
    String exchange(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] b = new byte[8192];
            int n;
            try {
                while ((n = in.read(b)) >= 0) {
                    out.write(b, 0, n);
                }
            } catch (IOException e) {
                // a reset after the response: what arrived is what counts
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Open file descriptors of this JVM (server and test clients together). */
    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Live heap after full collections. */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    int size() {
        return sockets.size();
    }

    List<Socket> sockets() {
        return sockets;
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
        sockets.clear();
    }
}
