package dev.postern;

import static dev.postern.testing.DemoProcesses.freePort;
import static dev.postern.testing.DemoProcesses.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.DemoProcesses;
import dev.postern.testing.Http;
import dev.postern.testing.TusSession;
import dev.postern.vault.Totp;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a tus PATCH (issue 7, item 6): the real server as a process, an upload
 * whose first PATCH was recorded and whose second is streaming slowly when the process is killed.
 * After a restart on the same data directory a new session (opened with the receipt) sees a valid
 * offset: the sum of the recorded pieces, never more than was sent; the rest is sent from there.
 * That completes the upload, and the server turns its pieces into one file; it is killed again
 * while it does (when the moment is caught: the test says so in its output otherwise), and after a
 * third start HEAD answers the full length and the desk downloads exactly the file. No
 * {@code *.part} is left, nothing readable at rest. At most three JVM starts: each costs seconds
 * on a small machine.
 */
class TusCrashTest {
    private static final String MARKER = "TusCrashReport-2f8d-what-happened";
    private static final String NAME = "tus-crash-name-marker-51ab.bin";
    /** Every 32-byte line of the file starts with this; the at-rest scan looks for it. */
    private static final String PATTERN = "TUSCRASH-PATTERN-a91f-";
    private static final int FIRST_PATCH = 8 << 20;
    /** Large enough that turning the pieces into one file takes a moment the test can catch. */
    private static final int TOTAL = 128 << 20;
    private static final long SLOW_BYTES_PER_SECOND = 2_000_000;
    /** The second PATCH is killed after this much of it left the client. */
    private static final long KILL_AFTER = 4_000_000;

    @TempDir
    Path dir;
    // Generous: three of these JVMs start on a small machine that may be busy with other builds.
    private final DemoProcesses demo = new DemoProcesses("256m", Duration.ofSeconds(240));

    @AfterEach
    void killAll() {
        demo.killAll();
    }

    @Test
    void killedMidPatchTheUploadResumesFromTheRecordedPiecesAndCompletes() throws Exception {
        byte[] file = content(TOTAL);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        Path data = dir.resolve("data");
        int port = freePort();
        int deskPort = freePort();
        String site = "http://127.0.0.1:" + port;
        String deskSite = "http://127.0.0.1:" + deskPort;
        Path log1 = dir.resolve("first.log");
        Process first = demo.start(data, port, deskPort, log1);

        Http browser = new Http(site, deskSite);
        String receipt = browser.submit("demo", Map.of("what", MARKER), Map.of()).receipt();
        TusSession session = TusSession.open(browser, site, receipt);
        String upload = session.create(NAME, TOTAL);
        String uploadId = upload.substring(upload.lastIndexOf('/') + 1);

        // The first PATCH arrives whole and is recorded.
        HttpResponse<String> whole = session.patch(upload, 0, new Slice(file, 0, FIRST_PATCH, Long.MAX_VALUE));
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(204);
        assertThat(whole.headers().firstValue("Upload-Offset")).contains(Integer.toString(FIRST_PATCH));

        // The second streams at a few MB/s; the process is killed (SIGKILL) in the middle of it,
        // while its piece is being written.
        Slice slow = new Slice(file, FIRST_PATCH, TOTAL, SLOW_BYTES_PER_SECOND);
        CompletableFuture<HttpResponse<String>> killed = CompletableFuture.supplyAsync(() -> {
            try {
                return session.patch(upload, FIRST_PATCH, slow);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Path pieces = data.resolve("pieces");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((slow.handedOut() < KILL_AFTER || partBytes(pieces) < 1_000_000) && System.nanoTime() < deadline) {
            assertThat(killed).as("the slow PATCH still runs").isNotDone();
            Thread.sleep(50);
        }
        assertThat(partBytes(pieces)).as("a piece being written (*.part) under %s", pieces).isGreaterThan(1_000_000);
        assertNoPlaintext(data, List.of(log1), "mid-PATCH");
        first.destroyForcibly().waitFor();
        long sent = FIRST_PATCH + slow.handedOut();
        assertThat(killed).as("the PATCH to the killed server").failsWithin(Duration.ofSeconds(30));

        // What the database recorded, read while no server runs.
        long recorded = recordedBytes(data, uploadId);
        assertThat(recorded).as("bytes in recorded pieces").isBetween((long) FIRST_PATCH, sent);
        assertNoPlaintext(data, List.of(log1), "after the kill");

        // Restart on the same data directory; a new session from the receipt finds the upload.
        Path log2 = dir.resolve("second.log");
        Process second = demo.start(data, port, deskPort, log2);
        assertThat(partFiles(pieces)).as("*.part files after the restart's sweep").isEmpty();
        TusSession back = TusSession.open(new Http(site, deskSite), site, receipt);
        TusSession secondSession = back;
        assertThat(back.cookie).isNotEqualTo(session.cookie);
        HttpResponse<String> head = back.head(upload);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Length")).contains(Integer.toString(TOTAL));
        long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
        assertThat(offset).as("offset after the crash: the recorded pieces, at most what was sent")
                .isEqualTo(recorded).isLessThanOrEqualTo(sent);

        // The rest, from the server's offset. Its last byte makes the server turn the pieces into
        // one file (a staged file under incoming/): the process is killed again while it does.
        Slice restBody = new Slice(file, (int) offset, TOTAL, Long.MAX_VALUE);
        CompletableFuture<HttpResponse<String>> rest = CompletableFuture.supplyAsync(() -> {
            try {
                return secondSession.patch(upload, offset, restBody);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Path incoming = data.resolve("incoming");
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!rest.isDone() && stagedBytes(incoming) < 1_000_000 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        List<Path> logs = new ArrayList<>(List.of(log1, log2));
        Process last = second;
        if (rest.isDone()) {
            System.out.println("TusCrashTest: the upload was finished before the kill could catch it; completed normally");
            HttpResponse<String> done = rest.get();
            assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
            assertThat(done.headers().firstValue("Upload-Offset")).contains(Integer.toString(TOTAL));
        } else {
            String onDisk = listing(data);
            second.destroyForcibly().waitFor();
            assertThat(rest).as("the PATCH to the killed server").failsWithin(Duration.ofSeconds(30));
            UploadState finishing = uploadState(data, uploadId);
            System.out.println("TusCrashTest: at the second kill " + finishing + ", files: " + onDisk
                    + ", sent of the rest: " + restBody.handedOut());
            assertThat(finishing.state()).as("killed while finishing").isIn("FINISHING", "RECEIVING");
            assertThat(finishing.committed()).as("every byte was recorded before finishing").isEqualTo(TOTAL);
            assertNoPlaintext(data, logs, "killed while finishing");
            Path log3 = dir.resolve("third.log");
            logs.add(log3);
            last = demo.start(data, port, deskPort, log3);
            back = TusSession.open(new Http(site, deskSite), site, receipt);
            System.out.println("TusCrashTest: killed while finishing (state " + finishing.state() + ")");
        }
        // A client that lost the final answer asks again: complete, and it stays so.
        HttpResponse<String> finished = back.head(upload);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.headers().firstValue("Upload-Offset")).contains(Integer.toString(TOTAL));
        assertThat(back.offset(upload)).isEqualTo(TOTAL);
        assertThat(partFiles(pieces)).as("*.part files once finished").isEmpty();

        Http desk = new Http(site, deskSite);
        String credentials = Files.readString(data.resolve("DEMO-CREDENTIALS"));
        Http.Page login = desk.postForm("/desk/login", "csrf", desk.get("/desk/login").csrf(), "username", "editor",
                "password", line(credentials, "Password: "), "totp",
                Totp.code(Totp.fromBase32(line(credentials, "TOTP secret: ")), Totp.step(Instant.now())));
        assertThat(login.status()).isEqualTo(303);
        Matcher report = Pattern.compile("/desk/reports/([0-9a-f]{32})").matcher(desk.get("/desk").body());
        assertThat(report.find()).as("the report in the desk list").isTrue();
        byte[] stored = TusSession.deskDownload(desk, report.group(1), NAME);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                .as("SHA-256 of the desk download").isEqualTo(expected);

        last.destroy();
        last.waitFor();
        assertThat(partFiles(pieces)).as("*.part files at the end").isEmpty();
        assertThat(stagedBytes(incoming)).as("staged bytes under incoming/ at the end").isZero();
        assertNoPlaintext(data, logs, "at the end");
    }

    /** 32-byte lines "TUSCRASH-PATTERN-a91f-" + a 9-digit line number + ";": no two lines alike. */
    private static byte[] content(int bytes) {
        byte[] prefix = PATTERN.getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[32];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        line[31] = ';';
        byte[] b = new byte[bytes];
        for (int n = 0; n * 32 < bytes; n++) {
            int v = n;
            for (int d = 30; d >= prefix.length; d--) {
                line[d] = (byte) ('0' + v % 10);
                v /= 10;
            }
            System.arraycopy(line, 0, b, n * 32, Math.min(32, bytes - n * 32));
        }
        return b;
    }

    /** Files under pieces/ and incoming/ with their sizes, for the test's output. */
    private static String listing(Path data) {
        StringBuilder b = new StringBuilder();
        for (String folder : List.of("pieces", "incoming")) {
            try (Stream<Path> files = Files.walk(data.resolve(folder))) {
                files.filter(Files::isRegularFile).forEach(f -> b.append(data.relativize(f)).append('=')
                        .append(f.toFile().length()).append(' '));
            } catch (IOException | RuntimeException e) {
                b.append(folder).append(": ").append(e).append(' ');
            }
        }
        return b.toString();
    }

    private static long stagedBytes(Path incoming) {
        if (!Files.isDirectory(incoming)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(incoming)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0; // a staged file moved into blobs/ between the walk and the size
        }
    }

    private static List<Path> partFiles(Path pieces) throws IOException {
        if (!Files.isDirectory(pieces)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(pieces)) {
            return walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    private static long partBytes(Path pieces) {
        try {
            long sum = 0;
            for (Path p : partFiles(pieces)) {
                sum += Files.size(p);
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return 0; // a piece renamed between the walk and the size: look again
        }
    }

    private record UploadState(String state, long committed) {
    }

    /** The upload's committed offset while receiving, checked against the sum of its recorded pieces. */
    private static long recordedBytes(Path data, String uploadId) throws Exception {
        UploadState s = uploadState(data, uploadId);
        assertThat(s.state()).isEqualTo("RECEIVING");
        return s.committed();
    }

    /** The upload row's state and offset, read while no server runs; the offset is the pieces' sum. */
    private static UploadState uploadState(Path data, String uploadId) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("db").resolve("postern").toAbsolutePath() + ";TRACE_LEVEL_FILE=0";
        try (Connection c = DriverManager.getConnection(url)) {
            long committed;
            String state;
            try (PreparedStatement s = c.prepareStatement("SELECT committed, state FROM upload WHERE id = ?")) {
                s.setString(1, uploadId);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).as("the upload row survived the kill").isTrue();
                    state = rs.getString(2);
                    committed = rs.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT COALESCE(SUM(plain_bytes), 0), COUNT(*) FROM upload_piece WHERE upload_id = ?")) {
                s.setString(1, uploadId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("sum of the recorded pieces").isEqualTo(committed);
                    assertThat(rs.getLong(2)).as("recorded pieces").isPositive();
                }
            }
            return new UploadState(state, committed);
        }
    }

    /** No report text, file name or file bytes in any file of the data directory or the logs. */
    private static void assertNoPlaintext(Path data, List<Path> logs, String when) throws IOException {
        List<Path> files = new ArrayList<>(logs);
        try (Stream<Path> walk = Files.walk(data)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        files.remove(data.resolve("DEMO-CREDENTIALS"));
        for (Path f : files) {
            String content;
            try {
                content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                continue; // renamed or removed by the running server between the walk and the read
            }
            for (String needle : List.of(MARKER, NAME, PATTERN, Http.USER_AGENT)) {
                assertThat(content.contains(needle)).as("%s: %s in %s", when, needle, f).isFalse();
            }
        }
    }

    /** Part of the file as a request body, at most {@code bytesPerSecond} (a slow network). */
    private static final class Slice extends InputStream {
        private final byte[] file;
        private final int end;
        private final long bytesPerSecond;
        private final long startNanos = System.nanoTime();
        private final int start;
        private final AtomicLong handedOut = new AtomicLong();

        Slice(byte[] file, int start, int end, long bytesPerSecond) {
            this.file = file;
            this.start = start;
            this.end = end;
            this.bytesPerSecond = bytesPerSecond;
        }

        long handedOut() {
            return handedOut.get();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long done = handedOut.get();
            int position = (int) (start + done);
            if (position >= end) {
                return -1;
            }
            int n = Math.min(Math.min(len, 64 << 10), end - position);
            if (bytesPerSecond != Long.MAX_VALUE) {
                long dueNanos = (long) ((done + n) * 1e9 / bytesPerSecond);
                long waitNanos = dueNanos - (System.nanoTime() - startNanos);
                if (waitNanos > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(waitNanos)); // the throttle: a slow network, by design
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return -1;
                    }
                }
            }
            System.arraycopy(file, position, b, off, n);
            handedOut.addAndGet(n);
            return n;
        }
    }
}
