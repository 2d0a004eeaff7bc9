package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.HttpLimits;
import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, items 1 and 3: clients that start a request and stall hold little memory, are cut by the
 * server, and do not keep real visitors out. Timeouts are real network timeouts, made short here.
 */
class StalledClientsTest {
    private static final int STALLED = 200;

    private static TestInstance start(Path dir, HttpLimits limits) throws Exception {
        return TestInstance.start(PosternConfig.embedded(dir, 0).withHttp(limits), new MutableClock());
    }

    /** GET / on a fresh client; returns how long it took, in milliseconds. */
    private static long timeHome(TestInstance instance) throws Exception {
        long t0 = System.nanoTime();
        Http.Page home = new Http(instance).get("/o/news");
        assertThat(home.status()).isEqualTo(200);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void stalledUploadsHoldLittleHeapAreCutAfterTheIdleTimeoutAndTheSiteStaysUp(@TempDir Path dir)
            throws Exception {
        // Room for every stalled upload: this measures what each one holds, not the cap.
        try (TestInstance instance = start(dir, new HttpLimits(1000, 3, 1024, 1000));
             RawClients raw = new RawClients(instance.baseUrl)) {
            Http browser = new Http(instance);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                tokens.add(browser.get("/o/news").csrf());
            }
            long heapBefore = RawClients.usedHeapAfterGc();
            for (String token : tokens) {
                raw.open(RawClients.stalledUpload("/o/news/submit", token));
            }
            Thread.sleep(1000); // let the server read what was sent
            long heapDuring = RawClients.usedHeapAfterGc();
            long perConnection = (heapDuring - heapBefore) / STALLED;
            System.out.println("heap per stalled upload: " + perConnection + " bytes");
            // A 256 KiB buffer per request (the old MultipartForm) would be 50 MB here.
            assertThat(perConnection).isLessThan(48 * 1024);

            assertThat(timeHome(instance)).isLessThan(3000);

            // Every stalled upload is closed by the server once it idled for the timeout.
            for (Socket s : raw.sockets()) {
                assertThat(RawClients.closedByServer(s, 10_000)).isTrue();
            }
            assertThat(timeHome(instance)).isLessThan(2000);
        }
    }

    @Test
    void aTrickleBelowTheMinimumRateIsCut(@TempDir Path dir) throws Exception {
        // The idle timeout is long and the client never idles: only the data rate can cut it.
        try (TestInstance instance = start(dir, new HttpLimits(100, 60, 1024, 100));
             RawClients raw = new RawClients(instance.baseUrl)) {
            String token = new Http(instance).get("/o/news").csrf();
            Socket s = raw.open(RawClients.stalledUpload("/o/news/submit", token));
            long t0 = System.nanoTime();
            boolean cut = false;
            while (!cut && System.nanoTime() - t0 < 20_000_000_000L) {
                Thread.sleep(500);
                try {
                    s.getOutputStream().write('x'); // 2 bytes per second
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    cut = true;
                }
                if (!cut && s.getInputStream().available() > 0) {
                    cut = true;
                }
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertThat(cut).as("the server answered or closed within 20 s").isTrue();
            // Neither the idle timeout (60 s) nor the header deadline (the headers are complete)
            // can have done it this soon.
            assertThat(seconds).isLessThan(10);
            byte[] answer = s.getInputStream().readNBytes(Math.max(0, s.getInputStream().available()));
            String text = new String(answer, StandardCharsets.UTF_8);
            System.out.println("a 2 B/s trickle was cut after " + seconds + " s: "
                    + (text.isEmpty() ? "closed" : text.substring(0, text.indexOf('\r'))));
            if (!text.isEmpty()) {
                assertThat(text).startsWith("HTTP/1.1 4");
            }
        }
    }

    @Test
    void halfSentGetsAreClosedAtTheHeaderDeadlineWithoutStackTraces(@TempDir Path dir) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // Idle timeout 2 s, so the header deadline is 2 s; the cap keeps descriptors bounded meanwhile.
        try (TestInstance instance = start(dir, new HttpLimits(50, 2, 1024, 100));
             RawClients raw = new RawClients(instance.baseUrl)) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            long fdBefore = RawClients.openDescriptors();
            for (int i = 0; i < STALLED; i++) {
                raw.open("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            }
            // Keep every connection busy with a header byte every half second: the idle timeout
            // alone would never fire.
            long fdPeak = 0;
            int closed = 0;
            long t0 = System.nanoTime();
            List<Socket> open = new ArrayList<>(raw.sockets());
            while (!open.isEmpty() && System.nanoTime() - t0 < 30_000_000_000L) {
                Thread.sleep(500);
                fdPeak = Math.max(fdPeak, RawClients.openDescriptors());
                for (java.util.Iterator<Socket> it = open.iterator(); it.hasNext(); ) {
                    Socket s = it.next();
                    try {
                        s.getOutputStream().write('a');
                        s.getOutputStream().flush();
                        if (s.getInputStream().available() > 0 || RawClients.closedByServer(s, 1)) {
                            it.remove();
                            closed++;
                        }
                    } catch (java.io.IOException e) {
                        it.remove();
                        closed++;
                    }
                }
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            System.out.println("half-sent GETs: " + closed + " of " + STALLED + " closed in " + seconds
                    + " s; descriptors peak +" + (fdPeak - fdBefore));
            assertThat(open).as("half-sent GETs still open after 30 s").isEmpty();
            // Our own client sockets are in this JVM too: STALLED of them. The server's share stays
            // near the cap (50), never one per client.
            assertThat(fdPeak - fdBefore).isLessThan(STALLED + 50 + 30);
            raw.close();
            assertThat(timeHome(instance)).isLessThan(2000);
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
