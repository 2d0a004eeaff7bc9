package dev.postern;

import static dev.postern.testing.DemoProcesses.freePort;
import static dev.postern.testing.DemoProcesses.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.DemoProcesses;
import dev.postern.testing.Http;
import dev.postern.vault.Totp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postern as a real process ({@code postern demo}): what it prints, what it leaves on disk and in
 * its log, and what survives a kill -9 in the middle of an upload.
 */
class ServerProcessTest {
    private static final String MARKER = "MARKER-7f3a9c-WITNESS-TEXT";
    private static final String FILE_NAME_MARKER = "secret-name-marker-4d2e.txt";
    private static final byte[] FILE_PATTERN = "FILEPATTERN-91b7-evidence-bytes;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HALF_PATTERN = "HALFUPLOAD-PATTERN-c0de-never-kept;".getBytes(StandardCharsets.US_ASCII);
    /** Clients connect from this loopback address, so it is the one address that must never be logged. */
    private static final String CLIENT_ADDRESS = "127.0.0.7";

    @TempDir
    Path dir;
    private final DemoProcesses demo = new DemoProcesses("512m", Duration.ofSeconds(90));

    @AfterEach
    void killAll() {
        demo.killAll();
    }

    private static byte[] evidence() {
        byte[] b = new byte[FILE_PATTERN.length * 20_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = FILE_PATTERN[i % FILE_PATTERN.length];
        }
        return b;
    }

    private static List<Path> allFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static void assertNowhere(List<Path> files, byte[] needle, String what) throws IOException {
        String n = new String(needle, StandardCharsets.ISO_8859_1);
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(content.contains(n)).as("%s found in %s", what, f).isFalse();
        }
    }

    @Test
    void demoPrintsItsCredentialsKeepsNothingReadableAndSurvivesAKillMidUpload() throws Exception {
        Path data = dir.resolve("data");
        Path log1 = dir.resolve("first.log");
        int port = freePort();
        int deskPort = freePort();
        Process first = demo.start(data, port, deskPort, log1);
        String log = Files.readString(log1);
        String base = "http://127.0.0.1:" + port;
        String deskBase = "http://127.0.0.1:" + deskPort;
        assertThat(line(log, "Source page: ")).isEqualTo(base + "/");
        assertThat(line(log, "Desk: ")).isEqualTo(deskBase + "/desk");
        assertThat(line(log, "Username: ")).isEqualTo("editor");
        String password = line(log, "Password: ");
        String totpSecret = line(log, "TOTP secret: ");
        assertThat(totpSecret).matches("[A-Z2-7]{32}");

        // A complete report with a marker text, a marker file name and a patterned file.
        Http source = new Http(base, deskBase, InetAddress.getByName(CLIENT_ADDRESS));
        byte[] evidence = evidence();
        String receipt = source.submit("demo", Map.of("what", MARKER, "details", MARKER + " in details"),
                Map.of(FILE_NAME_MARKER, evidence)).receipt();

        // A second upload that the server is killed in the middle of.
        String token = source.get("/o/demo").csrf();
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(feed, 1 << 20);
        String boundary = "----crashBoundary";
        HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(CLIENT_ADDRESS)).build();
        CompletableFuture<HttpResponse<String>> upload = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/o/demo/submit"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("User-Agent", Http.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = feed) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token + "\r\n--"
                        + boundary + "\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\nHALF " + MARKER + "\r\n--"
                        + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"half.bin\"\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 100_000; i++) {
                    out.write(HALF_PATTERN);
                }
                Thread.sleep(120_000); // never finishes: the server dies first
            } catch (IOException | InterruptedException e) {
                // the connection died with the server
            }
        });
        Path incoming = data.resolve("incoming");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long staged = 0;
        while (staged < 2_000_000 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            try (Stream<Path> parts = Files.list(incoming)) {
                staged = parts.mapToLong(p -> p.toFile().length()).sum();
            }
        }
        assertThat(staged).as("the interrupted upload was streaming to incoming/").isGreaterThan(2_000_000);
        assertNowhere(allFiles(data), HALF_PATTERN, "plaintext of an upload in progress");

        first.destroyForcibly().waitFor();
        writer.interrupt();
        assertThat(upload).failsWithin(Duration.ofSeconds(30));
        assertNowhere(allFiles(data), HALF_PATTERN, "plaintext of the killed upload");

        // Restart: the half upload is gone, the complete report is whole.
        Path log2 = dir.resolve("second.log");
        demo.start(data, port, deskPort, log2);
        try (Stream<Path> parts = Files.list(incoming)) {
            assertThat(parts).as("incoming/ after restart").isEmpty();
        }
        try (Stream<Path> reports = Files.list(data.resolve("blobs"))) {
            assertThat(reports).as("report directories under blobs/ after restart; first run's log:\n%s\nsecond:\n%s",
                    Files.readString(log1), Files.readString(log2)).hasSize(1);
        }
        Http desk = new Http(base, deskBase, InetAddress.getByName(CLIENT_ADDRESS));
        Http.Page login = desk.postForm("/desk/login", "csrf", desk.get("/desk/login").csrf(), "username", "editor",
                "password", password, "totp", Totp.code(Totp.fromBase32(totpSecret), Totp.step(Instant.now())));
        assertThat(login.status()).isEqualTo(303);
        String list = desk.get("/desk").body();
        assertThat(list).contains(MARKER).doesNotContain("HALF");
        Matcher report = Pattern.compile("/desk/reports/([0-9a-f]{32})").matcher(list);
        assertThat(report.find()).isTrue();
        assertThat(report.find()).as("exactly one report").isFalse();
        report.reset().find();
        String page = desk.get("/desk/reports/" + report.group(1)).body();
        Matcher file = Pattern.compile("/desk/reports/[0-9a-f]{32}/files/([0-9a-f]{32})").matcher(page);
        assertThat(file.find()).isTrue();
        assertThat(desk.get(file.group()).raw().body()).isEqualTo(evidence);
        Http back = new Http(base, deskBase, InetAddress.getByName(CLIENT_ADDRESS));
        back.postForm("/return", "csrf", back.get("/return").csrf(), "receipt", receipt);
        assertThat(back.get("/conversation").body()).contains(MARKER, FILE_NAME_MARKER);

        // At rest: no marker, file name, evidence bytes, client address or user agent anywhere in
        // the data directory (database and blobs) or in the logs.
        List<Path> everything = new ArrayList<>(allFiles(data));
        everything.remove(data.resolve("DEMO-CREDENTIALS"));
        everything.add(log1);
        everything.add(log2);
        assertNowhere(everything, MARKER.getBytes(StandardCharsets.UTF_8), "the report text");
        assertNowhere(everything, FILE_NAME_MARKER.getBytes(StandardCharsets.UTF_8), "the file name");
        assertNowhere(everything, FILE_PATTERN, "the evidence bytes");
        assertNowhere(everything, HALF_PATTERN, "the killed upload's bytes");
        assertNowhere(everything, CLIENT_ADDRESS.getBytes(StandardCharsets.US_ASCII), "the client address");
        assertNowhere(everything, Http.USER_AGENT.getBytes(StandardCharsets.US_ASCII), "the user agent");
        assertNowhere(everything, "marker-ua-5e1f".getBytes(StandardCharsets.US_ASCII), "the user agent");
        assertNowhere(everything, receipt.replace(" ", "").getBytes(StandardCharsets.US_ASCII), "the receipt");
        assertNowhere(everything, receipt.getBytes(StandardCharsets.US_ASCII), "the receipt");
        assertNowhere(allFiles(data), "127.0.0.1".getBytes(StandardCharsets.US_ASCII), "a loopback address");
        for (Path l : List.of(log1, log2)) {
            for (String logLine : Files.readAllLines(l)) {
                // The demo's own start-up lines name its address and its credentials, by design.
                if (!logLine.matches("^(Source page|Desk|Username|Password|TOTP secret): .*")) {
                    assertThat(logLine).as("log line of %s", l).doesNotContain("127.0.0.1").doesNotContain(password);
                }
            }
        }
    }
}
