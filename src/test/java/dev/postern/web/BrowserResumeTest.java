package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Browsers;
import dev.postern.testing.CuttingRelay;
import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7, item 6, with JavaScript on: a source on a connection that dies mid-file. Headless chromium
 * reaches Postern only through a {@link CuttingRelay}; the source starts a report, keeps the receipt,
 * and on the report page chooses a 256 MiB file. The progress bar moves; the relay resets every
 * connection once, at about 40 % of the file; tus-js-client asks the server for its offset and sends
 * only the rest; the file is kept, nothing is left in the browser's storage, and the desk's download
 * has the file's SHA-256. And the row's own controls: Pause then Resume finishes the file, Cancel
 * deletes the upload on the server.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BrowserResumeTest {
    private static final long SIZE = 256L * 1024 * 1024 + 12_345;
    private static final String FILE_NAME = "checkpoint-video.mp4";
    private static final String WHAT = "Convoy at the checkpoint, filmed from the kitchen";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Where the relay holds a file's PATCH in the pause and cancel test: well inside the file. */
    private static final long HELD_AT = 16L * 1024 * 1024;
    private static final String PROGRESS = "var p = document.querySelector('#upload progress');"
            + " return p === null ? -1 : p.value;";

    @Test
    void aCutMidFileResumesFromTheServersOffsetAndTheDeskGetsTheSameBytes(@TempDir Path dir) throws Exception {
        Browsers.assumeInstalled();
        Path file = dir.resolve(FILE_NAME);
        String sha256 = writeRandom(file, SIZE);
        try (TestInstance instance = TestInstance.start(dir.resolve("data"));
                CuttingRelay relay = new CuttingRelay(URI.create(instance.baseUrl).getPort())) {
            String site = "http://127.0.0.1:" + relay.port();
            ChromeDriver source = Browsers.withJavaScript(Files.createDirectories(dir.resolve("profile")),
                    Files.createDirectories(dir.resolve("downloads")));
            try {
                // Receipt first: the report exists, with its receipt, before any byte of evidence.
                startReport(source, site, WHAT);
                assertThat(source.findElement(By.cssSelector("#upload[data-tus-endpoint]"))
                        .getAttribute("data-tus-endpoint")).isEqualTo("/conversation/uploads");
                assertThat(source.findElement(By.id("send-files")).isDisplayed())
                        .as("the no-JS send button is hidden while the script runs").isFalse();

                long before = relay.upstreamBytes();
                relay.cutAfter(SIZE * 4 / 10);
                choose(source, file);

                // The bar moves: its value rises at least twice in a row while the file goes.
                List<Double> seen = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (!risesTwiceInARow(seen) && System.nanoTime() < deadline) {
                    Object v = source.executeScript(PROGRESS);
                    double value = ((Number) v).doubleValue();
                    if (seen.isEmpty() || seen.get(seen.size() - 1) != value) {
                        seen.add(value);
                    }
                }
                assertThat(risesTwiceInARow(seen)).as("progress values seen: " + seen).isTrue();

                // Cut once near 40 %, then resumed and finished: the page lists the file as kept.
                awaitKept(source, FILE_NAME);
                assertThat(relay.cuts()).as("the relay cut the upload").isEqualTo(1);
                // Resumed from the server's offset: a restart from zero would send 140 % of the file.
                // What is sent twice is what was in flight at the cut, plus the body of a PATCH refused
                // with 409 while the cut one was still being recorded (tus-js-client retries at once).
                long sent = relay.upstreamBytes() - before;
                assertThat(sent).as("bytes through the relay for a file of " + SIZE)
                        .isGreaterThanOrEqualTo(SIZE).isLessThan(SIZE + SIZE / 5);
                assertThat(source.findElements(By.cssSelector("#upload li.upload-row[data-state=failed]"))).isEmpty();

                // Nothing was kept on the device.
                assertThat(((Number) source.executeScript("return window.localStorage.length;")).longValue()).isZero();
                assertThat(((Number) source.executeScript("return window.sessionStorage.length;")).longValue())
                        .isZero();
                Object databases = source.executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + " indexedDB.databases().then(function (d) { done(d.length); }, function () { done(-1); });");
                assertThat(((Number) databases).longValue()).as("IndexedDB databases").isZero();
                // The session cookie is HttpOnly: the page's script cannot see a cookie at all.
                assertThat(source.executeScript("return document.cookie;")).isEqualTo("");
            } finally {
                source.quit();
            }

            assertThat(deskSha256(instance, WHAT, FILE_NAME, SIZE)).isEqualTo(sha256);
        }
    }

    @Test
    void pauseResumeCancelAndResumeAfterAReload(@TempDir Path dir) throws Exception {
        Browsers.assumeInstalled();
        long size = 128L * 1024 * 1024 + 7;
        Path paused = dir.resolve("paused-then-resumed.mov");
        String pausedSha = writeRandom(paused, size);
        Path cancelled = dir.resolve("sent-by-mistake.mov");
        writeRandom(cancelled, size);
        Path later = dir.resolve("continued-after-reload.mov");
        String laterSha = writeRandom(later, size);
        String what = "Pause, resume, cancel";
        // The browser goes through a relay that holds each file's PATCH part way, so every click on
        // Pause or Cancel lands while that file is in flight, however fast the machine sends it.
        try (TestInstance instance = TestInstance.start(dir.resolve("data"));
                CuttingRelay relay = new CuttingRelay(URI.create(instance.baseUrl).getPort())) {
            ChromeDriver source = Browsers.withJavaScript(Files.createDirectories(dir.resolve("profile")),
                    Files.createDirectories(dir.resolve("downloads")));
            try {
                startReport(source, "http://127.0.0.1:" + relay.port(), what);
                relay.stallAfter(HELD_AT);
                choose(source, paused);
                WebElement row = awaitProgress(source, paused);
                awaitHeld(relay);
                row.findElement(By.cssSelector("button.upload-pause")).click();
                new WebDriverWait(source, WAIT).until(d -> "paused".equals(row.getAttribute("data-state")));
                relay.release();
                assertThat(row.findElement(By.cssSelector("button.upload-resume")).isDisplayed()).isTrue();
                assertThat(row.findElement(By.cssSelector("button.upload-pause")).isDisplayed()).isFalse();
                String cookie = "postern_source=" + source.manage().getCookieNamed("postern_source").getValue();
                String url = row.getAttribute("data-upload-url");
                assertThat(url).startsWith("/conversation/uploads/");
                HttpResponse<Void> head = head(instance, cookie, url);
                assertThat(head.statusCode()).isEqualTo(200);
                assertThat(Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow()))
                        .as("paused part way").isLessThan(size);
                row.findElement(By.cssSelector("button.upload-resume")).click();
                awaitKept(source, paused.getFileName().toString());

                relay.stallAfter(HELD_AT);
                choose(source, cancelled);
                WebElement second = awaitProgress(source, cancelled);
                String secondUrl = new WebDriverWait(source, WAIT).until(d -> second.getAttribute("data-upload-url"));
                awaitHeld(relay);
                second.findElement(By.cssSelector("button.upload-cancel")).click();
                new WebDriverWait(source, WAIT).until(d -> d.findElements(rowOf(cancelled)).isEmpty());
                relay.release();
                // Cancel is a tus DELETE: the server forgets the upload (404, or 410 for a tombstone).
                long deadline = System.nanoTime() + WAIT.toNanos();
                int status = head(instance, cookie, secondUrl).statusCode();
                while (status == 200 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    status = head(instance, cookie, secondUrl).statusCode();
                }
                assertThat(status).as("HEAD after Cancel").isIn(404, 410);

                // A paused file survives a reload: the page lists it, and choosing it again resumes
                // that upload from the server's offset (nothing about it was kept in the browser).
                relay.stallAfter(HELD_AT);
                choose(source, later);
                WebElement third = awaitProgress(source, later);
                awaitHeld(relay);
                third.findElement(By.cssSelector("button.upload-pause")).click();
                new WebDriverWait(source, WAIT).until(d -> "paused".equals(third.getAttribute("data-state")));
                relay.release();
                String thirdUrl = third.getAttribute("data-upload-url");
                long kept = awaitStableOffset(instance, cookie, thirdUrl);
                assertThat(kept).as("received before the pause").isPositive().isLessThan(size);
                source.navigate().refresh();
                WebElement listed = new WebDriverWait(source, WAIT).until(d -> d.findElement(
                        By.cssSelector("#unfinished-uploads li[data-upload-url='" + thirdUrl + "']")));
                assertThat(listed.getAttribute("data-name")).isEqualTo(later.getFileName().toString());
                assertThat(listed.getAttribute("data-size")).isEqualTo(Long.toString(size));
                assertThat(listed.getAttribute("data-offset")).isEqualTo(Long.toString(kept));
                new WebDriverWait(source, WAIT).until(d -> d.findElement(By.tagName("html")).getAttribute("class")
                        .contains("js"));
                choose(source, later);
                WebElement resumed = awaitProgress(source, later);
                assertThat(Double.parseDouble(resumed.findElement(By.tagName("progress")).getAttribute("value")))
                        .as("the first progress after choosing the file again").isGreaterThanOrEqualTo(kept);
                awaitKept(source, later.getFileName().toString());
            } finally {
                source.quit();
            }
            assertThat(deskSha256(instance, what, paused.getFileName().toString(), size)).isEqualTo(pausedSha);
            assertThat(deskSha256(instance, what, later.getFileName().toString(), size)).isEqualTo(laterSha);
            Http desk = new Http(instance);
            desk.loginDesk(instance);
            assertThat(desk.get("/desk/reports/" + DeskRoutesTest.reportIdWith(desk, what)).body())
                    .doesNotContain(cancelled.getFileName().toString());
        }
    }

    @Test
    void offlineStopsAFollowUpFileAndComingBackOnlineResumesIt(@TempDir Path dir) throws Exception {
        Browsers.assumeInstalled();
        long size = 96L * 1024 * 1024 + 3;
        Path file = dir.resolve("second-video.mp4");
        String sha256 = writeRandom(file, size);
        String what = "Offline and back";
        try (TestInstance instance = TestInstance.start(dir.resolve("data"));
                CuttingRelay relay = new CuttingRelay(URI.create(instance.baseUrl).getPort())) {
            ChromeDriver source = Browsers.withJavaScript(Files.createDirectories(dir.resolve("profile")),
                    Files.createDirectories(dir.resolve("downloads")));
            try {
                startReport(source, "http://127.0.0.1:" + relay.port(), what);
                source.findElement(By.cssSelector("#upload-message[data-tus-context=message] input[type=file]"))
                        .sendKeys(file.toAbsolutePath().toString());
                By row = By.cssSelector("#upload-message li.upload-row");
                new WebDriverWait(source, WAIT).until(d -> {
                    String v = d.findElement(row).findElement(By.tagName("progress")).getAttribute("value");
                    return v != null && Double.parseDouble(v) > 0;
                });
                // The network goes (the browser says offline, and the connection dies with it).
                source.executeCdpCommand("Network.enable", Map.of());
                source.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                        "downloadThroughput", -1, "uploadThroughput", -1));
                relay.cutNow();
                new WebDriverWait(source, WAIT).until(d -> "failed".equals(d.findElement(row).getAttribute("data-state")));
                assertThat(source.findElement(row).findElement(By.className("upload-state")).getText())
                        .isEqualTo(Texts.of("en").t("upload.js.offline"));
                assertThat(source.findElement(row).findElement(By.cssSelector("button.upload-resume")).isDisplayed())
                        .isTrue();
                // Back online: it continues by itself, no button pressed.
                source.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                        "downloadThroughput", -1, "uploadThroughput", -1));
                new WebDriverWait(source, Duration.ofMinutes(4)).ignoring(StaleElementReferenceException.class)
                        .until(d -> d.findElements(By.cssSelector("#messages .attachment")).stream()
                                .anyMatch(p -> p.getText().startsWith(file.getFileName() + " ("))
                                || d.findElements(By.cssSelector("#upload-message li.upload-row[data-state=done]"))
                                        .size() == 1);
            } finally {
                source.quit();
            }
            assertThat(deskSha256(instance, what, file.getFileName().toString(), size)).isEqualTo(sha256);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Start page, receipt, "written down", report page with the script running. */
    private static void startReport(ChromeDriver source, String site, String what) {
        source.get(site + "/o/news");
        source.findElement(By.id("what")).sendKeys(what);
        source.findElement(By.id("submit")).click();
        String receipt = new WebDriverWait(source, WAIT)
                .until(ExpectedConditions.presenceOfElementLocated(By.id("receipt"))).getText().strip();
        assertThat(receipt).matches("\\d{5}( \\d{5}){4}");
        source.findElement(By.id("written")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.urlContains("/conversation"));
        new WebDriverWait(source, WAIT).until(d -> d.findElement(By.tagName("html")).getAttribute("class")
                .contains("js"));
    }

    private static void choose(ChromeDriver source, Path file) {
        source.findElement(By.cssSelector("#upload input[type=file]")).sendKeys(file.toAbsolutePath().toString());
    }

    private static By rowOf(Path file) {
        return By.cssSelector("#upload li.upload-row[data-name='" + file.getFileName() + "']");
    }

    /** The file's row once its bar has moved. */
    private static WebElement awaitProgress(ChromeDriver source, Path file) {
        return new WebDriverWait(source, WAIT).until(d -> {
            List<WebElement> rows = d.findElements(rowOf(file));
            if (rows.isEmpty()) {
                return null;
            }
            String value = rows.get(0).findElement(By.tagName("progress")).getAttribute("value");
            return value != null && Double.parseDouble(value) > 0 ? rows.get(0) : null;
        });
    }

    /** Received and kept: the page (reloaded by the script after the batch) lists the file. */
    private static void awaitKept(ChromeDriver source, String name) {
        new WebDriverWait(source, Duration.ofMinutes(4)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#files ul.files li")).stream()
                        .anyMatch(li -> li.getText().startsWith(name + " (")));
    }

    /**
     * The server's offset once the paused PATCH has been recorded: no piece is being written
     * ({@code *.part}) and every sealed piece on disk is counted in the upload's row (a piece is
     * renamed into place first, then recorded).
     */
    private static long awaitStableOffset(TestInstance instance, String cookie, String path) throws Exception {
        String id = path.substring(path.lastIndexOf('/') + 1);
        Path pieces = instance.postern.config().dataDir().resolve("pieces").resolve(id);
        String url = AtRestScanTest.h2Url(instance.postern.config().dataDir());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (recordedPieces(url, id) == sealedPieces(pieces)) {
                HttpResponse<Void> r = head(instance, cookie, path);
                assertThat(r.statusCode()).isEqualTo(200);
                return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
            }
            Thread.sleep(20); // polling for the server's recording, not for time to pass
        }
        throw new AssertionError("the paused PATCH of " + path + " was not recorded");
    }

    /** Sealed pieces on disk, or -1 while one is still being written. */
    private static long sealedPieces(Path pieces) throws IOException {
        if (!Files.isDirectory(pieces)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(pieces)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.endsWith(".part")) ? -1 : names.size();
        }
    }

    private static long recordedPieces(String url, String uploadId) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement q = c.prepareStatement("SELECT pieces FROM upload WHERE id = ?")) {
            q.setString(1, uploadId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -2;
            }
        }
    }

    private static HttpResponse<Void> head(TestInstance instance, String cookie, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(instance.baseUrl + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("Cookie", cookie).timeout(WAIT).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static boolean risesTwiceInARow(List<Double> values) {
        for (int i = 0; i + 2 < values.size(); i++) {
            if (values.get(i) > 0 && values.get(i) < values.get(i + 1) && values.get(i + 1) < values.get(i + 2)) {
                return true;
            }
        }
        return false;
    }

    /** A file of random bytes (no compressible runs a relay or the store could shortcut); its SHA-256. */
    private static void awaitHeld(CuttingRelay relay) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!relay.stalled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(relay.stalled()).as("the relay holds the PATCH part way").isTrue();
    }

    private static String writeRandom(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(20261202L);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The desk's download of the report's file, streamed through a digest (not held in the heap). */
    private static String deskSha256(TestInstance instance, String what, String fileName, long size) throws Exception {
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String reportId = DeskRoutesTest.reportIdWith(desk, what);
        String page = desk.get("/desk/reports/" + reportId).body();
        Matcher link = Pattern.compile("href=\"(/desk/reports/" + reportId + "/files/[^\"/]+)\" class=\"download\">"
                + Pattern.quote(fileName) + "<").matcher(page);
        assertThat(link.find()).as("the desk lists " + fileName + ":\n" + page).isTrue();
        String cookies = desk.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(instance.deskUrl + link.group(1))).header("Cookie", cookies).timeout(Duration.ofMinutes(2))
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        return HexFormat.of().formatHex(sha.digest());
    }
}
