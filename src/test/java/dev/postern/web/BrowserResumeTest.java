package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Browsers;
import dev.postern.testing.CuttingRelay;
import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7, item 6, with JavaScript on: a source on a connection that dies mid-file. Headless chromium
 * reaches Postern only through a {@link CuttingRelay}; the source starts a report, keeps the receipt,
 * and on the report page chooses a 256 MiB file. The progress bar moves; the relay resets every
 * connection once, at about 40 % of the file; tus-js-client asks the server for its offset and sends
 * only the rest; the file is kept, nothing is left in the browser's storage, and the desk's download
 * has the file's SHA-256.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BrowserResumeTest {
    private static final long SIZE = 256L * 1024 * 1024 + 12_345;
    private static final String FILE_NAME = "checkpoint-video.mp4";
    private static final String WHAT = "Convoy at the checkpoint, filmed from the kitchen";
    private static final Duration WAIT = Duration.ofSeconds(20);
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
                source.get(site + "/o/news");
                source.findElement(By.id("what")).sendKeys(WHAT);
                source.findElement(By.id("submit")).click();
                String receipt = new WebDriverWait(source, WAIT)
                        .until(ExpectedConditions.presenceOfElementLocated(By.id("receipt"))).getText().strip();
                assertThat(receipt).matches("\\d{5}( \\d{5}){4}");
                source.findElement(By.id("written")).click();
                new WebDriverWait(source, WAIT).until(ExpectedConditions.urlContains("/conversation"));
                new WebDriverWait(source, WAIT).until(d -> d.findElement(By.tagName("html"))
                        .getAttribute("class").contains("js"));
                assertThat(source.findElement(By.cssSelector("#upload[data-tus-endpoint]"))
                        .getAttribute("data-tus-endpoint")).isEqualTo("/conversation/uploads");
                assertThat(source.findElement(By.id("send-files")).isDisplayed())
                        .as("the no-JS send button is hidden while the script runs").isFalse();

                long before = relay.upstreamBytes();
                relay.cutAfter(SIZE * 4 / 10);
                source.findElement(By.cssSelector("#upload input[type=file]")).sendKeys(file.toAbsolutePath().toString());

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
                new WebDriverWait(source, Duration.ofMinutes(4)).ignoring(StaleElementReferenceException.class)
                        .until(d -> listedAsKept(d) || !d.findElements(
                                By.cssSelector("#upload li.upload-row[data-state=done]")).isEmpty());
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

            Http desk = new Http(instance);
            desk.loginDesk(instance);
            String reportId = DeskRoutesTest.reportIdWith(desk, WHAT);
            String page = desk.get("/desk/reports/" + reportId).body();
            Matcher link = Pattern.compile("href=\"(/desk/reports/" + reportId + "/files/[^\"/]+)\" class=\"download\">"
                    + Pattern.quote(FILE_NAME) + "<").matcher(page);
            assertThat(link.find()).as("the desk lists " + FILE_NAME + ":\n" + page).isTrue();
            assertThat(deskSha256(instance, desk, link.group(1))).isEqualTo(sha256);
        }
    }

    /** The report page's file list (reloaded by the script after the batch) names the file. */
    private static boolean listedAsKept(WebDriver d) {
        return d.findElements(By.cssSelector("#files ul.files li")).stream()
                .anyMatch(li -> li.getText().startsWith(FILE_NAME + " ("));
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

    /** Streams the desk's download through a digest (256 MiB need not sit in the test's heap). */
    private static String deskSha256(TestInstance instance, Http desk, String path) throws Exception {
        String cookies = desk.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(instance.deskUrl + path)).header("Cookie", cookies).timeout(Duration.ofMinutes(2)).GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
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
        assertThat(total).isEqualTo(SIZE);
        return HexFormat.of().formatHex(sha.digest());
    }
}
