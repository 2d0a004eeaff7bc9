package dev.postern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code postern demo} as a real JVM process, for tests that kill the server and start it again on
 * the same data. Every process started is remembered so that the test's {@code @AfterEach} can kill
 * what an assertion left running.
 */
public final class DemoProcesses {
    private final String maxHeap;
    private final Duration startup;
    private final List<Process> started = new ArrayList<>();

    /**
     * @param maxHeap the child's {@code -Xmx}, e.g. "256m"
     * @param startup how long a start may take before the test fails (machines here are shared)
     */
    public DemoProcesses(String maxHeap, Duration startup) {
        this.maxHeap = maxHeap;
        this.startup = startup;
    }

    /** Starts the demo and returns once it printed its credentials (its last start-up line). */
    public Process start(Path data, int port, int deskPort, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), "dev.postern.Main", "demo",
                "--port", Integer.toString(port), "--desk-port", Integer.toString(deskPort), "--data", data.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        started.add(p);
        long deadline = System.nanoTime() + startup.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("TOTP secret: ")) {
                return p;
            }
            if (!p.isAlive()) {
                throw new AssertionError("postern exited early:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("postern did not start:\n" + Files.readString(log));
    }

    /** Kills every process started here (they are children of the test JVM, nothing else). */
    public void killAll() {
        started.forEach(Process::destroyForcibly);
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The rest of the line that starts with {@code prefix} in a demo's output. */
    public static String line(String text, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "(.+)$").matcher(text);
        assertThat(m.find()).as("line starting with '%s' in\n%s", prefix, text).isTrue();
        return m.group(1).trim();
    }
}
