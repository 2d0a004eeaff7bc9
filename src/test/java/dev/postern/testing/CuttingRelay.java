package dev.postern.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of a server that cuts every open connection (a reset both ways, as a Tor
 * circuit that dies) each time the bytes sent upstream, over all connections, pass another multiple
 * of {@code cutEveryBytes}. New connections are accepted as usual afterwards: the bad network a
 * source returns through. Browsers and clients use {@link #port()} as the site's port, so origins
 * stay consistent. It can also stall one connection mid-request ({@link #stallAfter}): the request
 * stays in flight, neither finished nor cut, for as long as a test needs to act on it.
 */
public final class CuttingRelay implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong upstream = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile long cutEveryBytes;
    private volatile long nextCut;
    private volatile long nextStall = Long.MAX_VALUE;
    private volatile CountDownLatch stall = new CountDownLatch(0);
    private volatile boolean stalled;

    /** A relay that does not cut until {@link #cutEvery} or {@link #cutAfter} says so. */
    public CuttingRelay(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        this.cutEveryBytes = Long.MAX_VALUE;
        this.nextCut = Long.MAX_VALUE;
        Thread.ofVirtual().name("relay-accept").start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Cuts each time another {@code bytes} have gone upstream from now on. */
    public synchronized void cutEvery(long bytes) {
        cutEveryBytes = bytes;
        nextCut = upstream.get() + bytes;
    }

    /** Cuts once, when another {@code bytes} have gone upstream, then never again. */
    public synchronized void cutAfter(long bytes) {
        cutEveryBytes = Long.MAX_VALUE;
        nextCut = upstream.get() + bytes;
    }

    /**
     * Stops forwarding, once, on the connection whose upstream bytes pass another {@code bytes} from
     * now on, until {@link #release()}: the request is left in flight. Other connections flow.
     */
    public synchronized void stallAfter(long bytes) {
        stall = new CountDownLatch(1);
        stalled = false;
        nextStall = upstream.get() + bytes;
    }

    /** Whether the stall asked for has begun (a connection is being held). */
    public boolean stalled() {
        return stalled;
    }

    /** Lets the held connection go on (a client that gave up on it will have closed its side). */
    public void release() {
        stall.countDown();
    }

    /** Cuts every open connection now. */
    public void cutNow() {
        cuts.incrementAndGet();
        for (Socket s : open) {
            reset(s);
        }
    }

    /** Bytes sent from clients to the server over all connections so far. */
    public long upstreamBytes() {
        return upstream.get();
    }

    public long cuts() {
        return cuts.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5_000);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pump(client, server, true));
                Thread.ofVirtual().start(() -> pump(server, client, false));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean countUpstream) {
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (countUpstream) {
                    long total = upstream.addAndGet(n);
                    holdIfAsked(total);
                    if (total >= nextCut) {
                        synchronized (this) {
                            if (total >= nextCut) {
                                nextCut = cutEveryBytes == Long.MAX_VALUE ? Long.MAX_VALUE : nextCut + cutEveryBytes;
                                cutNow();
                            }
                        }
                    }
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            reset(to);
            reset(from);
        } finally {
            if (from.isClosed() || to.isClosed()) {
                open.remove(from);
                open.remove(to);
            }
        }
    }

    private void holdIfAsked(long total) {
        CountDownLatch latch;
        synchronized (this) {
            if (total < nextStall) {
                return;
            }
            nextStall = Long.MAX_VALUE;
            latch = stall;
            stalled = true;
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes with SO_LINGER 0: the peer sees a reset, not an orderly end. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // Already gone: that is what a cut is.
        }
    }

    @Override
    public void close() throws IOException {
        release();
        listener.close();
        for (Socket s : open) {
            reset(s);
        }
    }
}
