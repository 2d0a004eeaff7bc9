package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Browsers;
import dev.postern.testing.CuttingRelay;
import dev.postern.testing.TestInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Real browsers against a real Postern: headless chromium with JavaScript disabled for every site.
 * The source submits a report with two files, keeps the receipt, comes back with it, reads a
 * recipient's reply and deletes it; the recipient logs in to the desk with a TOTP code, opens the
 * report, downloads the files, replies and sets the status. The steps run in order and share the
 * one instance: each step needs what the one before it left behind, and FAILS (never skips) when an
 * earlier step did not leave it, so a broken journey shows as failures. The only skip is for a machine
 * without chromium and chromedriver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrowserJourneyTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final By FORM_TITLE = By.xpath("//section[.//form[@enctype='multipart/form-data']]/h2");
    private static final Pattern RECEIPT = Pattern.compile("\\d{5}( \\d{5}){4}");
    private static final String WHAT = "Invoices were backdated at the depot";
    private static final String WHEN = "March, every Friday";
    private static final String WHERE = "North depot, office 3";
    private static final String DETAILS = "The manager signs them after the audit.\nAsk the night shift.";
    private static final String CSV_NAME = "ledger-2025.csv";
    private static final String TXT_NAME = "протокол встречи.txt";
    private static final String REPLY = "Thank you. Can you tell us which audit? (reply 7731)";

    private TestInstance instance;
    private ChromeDriver source;
    private ChromeDriver desk;
    private Path deskDownloads;
    private Path csvFile;
    private Path txtFile;
    private byte[] csvBytes;
    private byte[] txtBytes;

    /** What earlier steps leave for later ones. */
    private String receipt;
    private boolean sourceInConversation;
    private String reportId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Browsers.assumeInstalled();
        instance = TestInstance.start(dir.resolve("data"));

        Path files = Files.createDirectories(dir.resolve("files"));
        csvBytes = new byte[300 * 1024 + 17];
        new Random(20250301L).nextBytes(csvBytes);
        for (int i = 0; i < 256; i++) {
            csvBytes[i] = (byte) i; // every byte value at least once
        }
        csvFile = Files.write(files.resolve(CSV_NAME), csvBytes);
        txtBytes = "Minutes of the meeting of 3 March: ‘do not file the audit’.\nSigned: nobody.\n"
                .getBytes(StandardCharsets.UTF_8);
        txtFile = Files.write(files.resolve(TXT_NAME), txtBytes);

        Path sourceDownloads = Files.createDirectories(dir.resolve("source-downloads"));
        deskDownloads = Files.createDirectories(dir.resolve("desk-downloads"));
        source = Browsers.withoutJavaScript(Files.createDirectories(dir.resolve("source-profile")), sourceDownloads);
        desk = Browsers.withoutJavaScript(Files.createDirectories(dir.resolve("desk-profile")), deskDownloads);
    }

    @AfterAll
    void stop() {
        for (ChromeDriver d : new ChromeDriver[] {source, desk}) {
            if (d != null) {
                try {
                    d.quit();
                } catch (RuntimeException e) {
                    // the browser is gone already; nothing left to close
                }
            }
        }
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    @Order(1)
    void javaScriptIsOffInBothBrowsers() {
        String page = "<!DOCTYPE html><html><head><title>before</title></head><body>"
                + "<p id=\"out\">script did not run</p>"
                + "<noscript><p id=\"noscript\">scripting is disabled</p></noscript>"
                + "<script>document.getElementById('out').textContent = 'script ran';"
                + "document.title = 'after';</script></body></html>";
        String url = "data:text/html;base64," + Base64.getEncoder().encodeToString(page.getBytes(StandardCharsets.UTF_8));
        for (ChromeDriver d : List.of(source, desk)) {
            d.get(url);
            assertThat(d.findElement(By.id("out")).getText()).isEqualTo("script did not run");
            assertThat(d.getTitle()).isEqualTo("before");
            // Chromium renders <noscript> content only when scripting is disabled.
            assertThat(d.findElement(By.id("noscript")).isDisplayed()).isTrue();
            assertThat(d.findElement(By.id("noscript")).getText()).isEqualTo("scripting is disabled");
        }
    }

    @Test
    @Order(2)
    void sourceGetsTheReceiptFirstAddsTwoFilesAndReturnsWithTheReceipt() {
        // One organization: "/" is its report form.
        source.get(instance.url("/"));
        assertThat(source.findElement(FORM_TITLE).getText()).isEqualTo("Report to The Daily Test");
        assertThat(source.findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("en");
        assertNoScripts(source);
        assertNoCookies(source, "the report form");
        assertThat(source.findElements(By.cssSelector("input[type=file]"))).as("files come on the report page").isEmpty();

        source.findElement(By.id("what")).sendKeys(WHAT);
        source.findElement(By.id("when")).sendKeys(WHEN);
        source.findElement(By.id("where")).sendKeys(WHERE);
        source.findElement(By.id("details")).sendKeys(DETAILS);
        assertThat(source.findElement(By.id("submit")).getText()).isEqualTo("Get my receipt and continue");
        source.findElement(By.id("submit")).click();

        WebElement receiptElement = new WebDriverWait(source, WAIT)
                .until(ExpectedConditions.presenceOfElementLocated(By.id("receipt")));
        String shown = receiptElement.getText().strip();
        assertThat(shown).as("receipt on the page").matches(RECEIPT);
        assertThat(source.getPageSource()).doesNotContain("error-message");
        assertNoScripts(source);
        // The receipt came by POST-redirect-GET: it is in no URL. The only cookies are two session
        // cookies: the receipt slot's, limited to the receipt page, and the source session's,
        // limited to the report page.
        assertThat(source.getCurrentUrl()).endsWith("/o/news/receipt?lang=en")
                .doesNotContain(shown.replace(" ", ""));
        List<Map<String, Object>> slotCookies = allCookies(source);
        assertThat(slotCookies).as("every cookie on the receipt page").hasSize(2);
        assertThat(slotCookies).extracting(c -> c.get("name"))
                .containsExactlyInAnyOrder(SourcePages.RECEIPT_COOKIE, SourcePages.COOKIE);
        for (Map<String, Object> c : slotCookies) {
            assertThat(c.get("session")).as(c.get("name") + ": a session cookie, no Expires/Max-Age").isEqualTo(true);
            assertThat(c.get("httpOnly")).isEqualTo(true);
            assertThat(c.get("sameSite")).isEqualTo("Strict");
            assertThat(c.get("path")).isEqualTo(SourcePages.COOKIE.equals(c.get("name")) ? "/conversation"
                    : "/o/news/receipt");
        }
        source.navigate().refresh();
        assertThat(new WebDriverWait(source, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("receipt")))
                .getText().strip()).as("a reload shows the same receipt").isEqualTo(shown);
        receipt = shown;
        // Written down: the slot ends, its cookie goes, and the report page follows.
        source.findElement(By.id("written")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.urlContains("/conversation"));
        assertThat(allCookies(source)).extracting(c -> c.get("name")).containsExactly(SourcePages.COOKIE);
        assertThat(source.findElement(By.tagName("h1")).getText()).isEqualTo("Your report");
        assertOnlyUploadScripts(source);
        assertThat(source.findElement(By.id("scripts-hint")).getText()).contains("large files upload faster");
        assertThat(source.findElements(By.cssSelector("dl.answers dd")).stream().map(WebElement::getText).toList())
                .containsExactly(WHAT, WHEN, WHERE, DETAILS);
        assertThat(source.findElements(By.cssSelector("#files ul.files li"))).isEmpty();

        // Files on the report page, each kept as it arrives.
        source.findElement(By.id("report-files")).sendKeys(csvFile.toAbsolutePath() + "\n" + txtFile.toAbsolutePath());
        source.findElement(By.id("send-files")).click();
        new WebDriverWait(source, WAIT).until(d -> d.findElements(By.cssSelector("#files ul.files li")).size() == 2);
        assertThat(source.getCurrentUrl()).contains("/conversation").endsWith("#files");

        // Leave, then return, typing the receipt with dashes instead of spaces.
        source.findElement(By.id("leave")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.not(ExpectedConditions.urlContains("/conversation")));
        assertNoCookies(source, "after leaving");
        source.findElement(By.partialLinkText("Already sent a report?")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.urlContains("/return"));
        assertNoCookies(source, "the return form");
        source.findElement(By.id("receipt")).sendKeys(receipt.replace(' ', '-'));
        source.findElement(By.cssSelector("form[action^='/return'] button[type=submit]")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.urlContains("/conversation"));

        assertThat(source.findElement(By.tagName("h1")).getText()).isEqualTo("Your report");
        assertOnlyUploadScripts(source);
        List<String> answers = source.findElements(By.cssSelector("dl.answers dd")).stream()
                .map(WebElement::getText).toList();
        assertThat(answers).containsExactly(WHAT, WHEN, WHERE, DETAILS);
        List<String> listed = source.findElements(By.cssSelector("ul.files li")).stream()
                .map(WebElement::getText).toList();
        assertThat(listed).hasSize(2);
        assertThat(listed).anySatisfy(li -> assertThat(li).startsWith(CSV_NAME + " (300.0 KiB)"));
        assertThat(listed).anySatisfy(li -> assertThat(li).startsWith(TXT_NAME + " ("));

        // Now the only cookie is the source session, which dies with the browser.
        List<Map<String, Object>> all = allCookies(source);
        assertThat(all).as("every cookie in the source browser").hasSize(1);
        Map<String, Object> raw = all.get(0);
        assertThat(raw.get("name")).isEqualTo(SourcePages.COOKIE);
        assertThat(raw.get("session")).as("a session cookie, no Expires/Max-Age").isEqualTo(true);
        assertThat(raw.get("httpOnly")).isEqualTo(true);
        assertThat(raw.get("sameSite")).isEqualTo("Strict");
        Cookie cookie = source.manage().getCookieNamed(SourcePages.COOKIE);
        assertThat(cookie).isNotNull();
        assertThat(cookie.getExpiry()).as("session cookie expiry").isNull();
        assertThat(cookie.getPath()).isEqualTo("/conversation");
        assertThat(cookie.isHttpOnly()).isTrue();
        sourceInConversation = true;
    }

    @Test
    @Order(3)
    void deskLogsInWithTotpDownloadsRepliesAndSetsStatus() throws Exception {
        assertThat(receipt).as("step 2 (the source sends a report) did not finish; this step needs its report")
                .isNotNull();
        desk.get(instance.url("/desk"));
        new WebDriverWait(desk, WAIT).until(ExpectedConditions.urlContains("/desk/login"));
        String code = instance.freshTotp();
        logIn(code);
        new WebDriverWait(desk, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.tagName("table")));
        assertThat(desk.getCurrentUrl()).isEqualTo(instance.url("/desk"));
        assertThat(desk.findElement(By.tagName("h1")).getText()).isEqualTo("Reports");
        Cookie deskCookie = desk.manage().getCookieNamed(DeskPages.COOKIE);
        assertThat(deskCookie).isNotNull();
        assertThat(deskCookie.getExpiry()).as("desk session cookie expiry").isNull();

        // The same code a second time is refused, even with the right password.
        desk.get(instance.url("/desk/login"));
        logIn(code);
        WebElement error = new WebDriverWait(desk, WAIT)
                .until(ExpectedConditions.presenceOfElementLocated(By.id("error-message")));
        assertThat(error.getText()).isEqualTo(Texts.of("en").t("desk.error.CODE_ALREADY_USED"));
        assertThat(desk.getCurrentUrl()).isEqualTo(instance.url("/desk/login"));

        // The report is listed, marked new, with its summary.
        desk.get(instance.url("/desk"));
        List<WebElement> rows = desk.findElements(By.cssSelector("table.reports tbody tr"));
        assertThat(rows).hasSize(1);
        WebElement row = rows.get(0);
        assertThat(row.getAttribute("class").split(" ")).contains("report", "unread");
        assertThat(row.findElement(By.cssSelector("span.badge")).getText()).isEqualTo("new");
        assertThat(row.getText()).contains(WHAT);
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        // Report, last activity, received, status, due, assignee, files, messages, summary.
        assertThat(cells.get(3)).isEqualTo("new");
        assertThat(cells.get(6)).isEqualTo("2");
        WebElement link = row.findElement(By.cssSelector("a[href^='/desk/reports/']"));
        Matcher id = Pattern.compile("/desk/reports/([^/?#]+)$").matcher(link.getAttribute("href"));
        assertThat(id.find()).as("report link " + link.getAttribute("href")).isTrue();
        reportId = id.group(1);

        link.click();
        new WebDriverWait(desk, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("status")));
        assertThat(desk.findElement(By.id("status")).getText()).isEqualTo("New");
        assertThat(new Select(desk.findElement(By.id("status-select"))).getFirstSelectedOption().getText())
                .isEqualTo("New");
        List<String> answers = desk.findElements(By.cssSelector("dl.answers dd")).stream()
                .map(WebElement::getText).toList();
        assertThat(answers).containsExactly(WHAT, WHEN, WHERE, DETAILS);

        // Download both files; the bytes are the source's bytes.
        List<WebElement> downloads = desk.findElements(By.cssSelector("a.download"));
        assertThat(downloads.stream().map(WebElement::getText)).containsExactlyInAnyOrder(CSV_NAME, TXT_NAME);
        for (WebElement a : downloads) {
            a.click();
        }
        assertThat(awaitDownload(deskDownloads.resolve(CSV_NAME), csvBytes.length)).isEqualTo(csvBytes);
        assertThat(awaitDownload(deskDownloads.resolve(TXT_NAME), txtBytes.length)).isEqualTo(txtBytes);

        // Reply.
        desk.get(instance.url("/desk/reports/" + reportId));
        desk.findElement(By.id("reply")).sendKeys(REPLY);
        desk.findElement(By.id("send-reply")).click();
        new WebDriverWait(desk, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("conversation"), REPLY));
        List<WebElement> messages = desk.findElements(By.cssSelector("#conversation article.message"));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).findElement(By.cssSelector("p.who")).getText()).as("signed by its author")
                .startsWith("editor");
        assertThat(messages.get(0).findElement(By.cssSelector("p.text")).getText()).isEqualTo(REPLY);

        // Status.
        new Select(desk.findElement(By.id("status-select"))).selectByVisibleText("In progress");
        desk.findElement(By.id("status-reason")).sendKeys("looking into it");
        desk.findElement(By.id("set-status")).click();
        new WebDriverWait(desk, WAIT).until(ExpectedConditions.textToBe(By.id("status"), "In progress"));
        assertThat(new Select(desk.findElement(By.id("status-select"))).getFirstSelectedOption().getText())
                .isEqualTo("In progress");

        // Opened: no longer marked new in the list, and the new status is shown there.
        desk.get(instance.url("/desk"));
        WebElement after = desk.findElement(By.cssSelector("table.reports tbody tr"));
        assertThat(after.getAttribute("class").split(" ")).contains("report", "read").doesNotContain("unread");
        assertThat(after.findElements(By.cssSelector("span.badge"))).isEmpty();
        assertThat(after.findElements(By.tagName("td")).get(3).getText()).isEqualTo("in progress");
    }

    @Test
    @Order(4)
    void sourceSeesTheReplyDeletesItAndLeaves() {
        assertThat(sourceInConversation).as("step 2 did not leave the source in the conversation").isTrue();
        assertThat(reportId).as("step 3 (the desk replies) did not finish; this step reads its reply").isNotNull();
        assertThat(source.getCurrentUrl()).contains("/conversation");
        source.navigate().refresh();
        List<WebElement> replies = source.findElements(By.cssSelector("#messages article.reply"));
        assertThat(replies).hasSize(1);
        WebElement reply = replies.get(0);
        assertThat(reply.findElement(By.cssSelector("p.text")).getText()).isEqualTo(REPLY);
        assertThat(reply.findElement(By.cssSelector("p.who")).getText()).as("signed by the organization")
                .startsWith("The Daily Test");

        reply.findElement(By.cssSelector("form[action^='/conversation/delete-reply'] button")).click();
        new WebDriverWait(source, WAIT).ignoring(StaleElementReferenceException.class)
                .until(d -> !d.findElement(By.id("messages")).getText().contains(REPLY));
        assertThat(source.getCurrentUrl()).contains("/conversation");
        assertThat(source.findElements(By.cssSelector("#messages article.reply"))).isEmpty();
        assertThat(source.findElement(By.id("messages")).getText()).doesNotContain(REPLY);
        // Gone for good from the source's view, not just from this one page.
        source.navigate().refresh();
        assertThat(source.findElement(By.id("messages")).getText()).doesNotContain(REPLY);

        // The desk keeps only a marker: the reply's text was erased from the server.
        desk.get(instance.url("/desk/reports/" + reportId));
        WebElement kept = desk.findElement(By.cssSelector("#conversation article.message"));
        assertThat(kept.getText()).doesNotContain(REPLY).contains("(deleted by the source)");

        // Leaving ends the session and clears the cookie.
        source.findElement(By.id("leave")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.not(ExpectedConditions.urlContains("/conversation")));
        assertNoCookies(source, "after leaving");
        sourceInConversation = false;
        source.get(instance.url("/conversation"));
        assertThat(source.findElement(By.id("error-message")).getText()).isNotBlank();
        assertThat(source.getPageSource()).doesNotContain(WHAT);
    }

    @Test
    @Order(5)
    void sourceSwitchesToRussianWithoutACookie() {
        source.get(instance.url("/"));
        assertThat(source.findElement(By.id("submit")).getText()).isEqualTo("Get my receipt and continue");
        source.findElement(By.linkText("Русский")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "ru"));
        assertThat(source.getCurrentUrl()).endsWith("/?lang=ru");
        assertThat(source.findElement(By.id("submit")).getText()).isEqualTo("Получить квитанцию и продолжить");
        assertThat(source.findElement(FORM_TITLE).getText()).isEqualTo("Новое обращение. Получатель: The Daily Test");
        // The language follows the links, still without a cookie.
        source.findElement(By.partialLinkText("Уже отправляли обращение?")).click();
        new WebDriverWait(source, WAIT).until(ExpectedConditions.urlContains("/return"));
        assertThat(source.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("ru");
        assertThat(source.findElement(By.cssSelector("form[action^='/return'] button[type=submit]")).getText())
                .isEqualTo("Открыть");
        assertNoCookies(source, "after switching language");
    }

    /**
     * A no-JS upload cut mid-file (issue 7): a relay in front of the source site resets the
     * connection inside the third of three files. The report page then lists the first two with
     * name and size; choosing the three files again stores only the third.
     */
    @Test
    @Order(6)
    void aCutInsideTheThirdFileKeepsTheFirstTwoAndTheRetryStoresOnlyTheThird(@TempDir Path files) throws Exception {
        int mib = 1024 * 1024;
        // The third file is large: a reset drops what the server had not read yet (loopback buffers
        // grow to tens of MiB), so the cut lands far enough inside it to leave the second file whole.
        int[] sizes = {mib, mib, 48 * mib};
        List<Path> chosen = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            byte[] content = new byte[sizes[i - 1]];
            new Random(700 + i).nextBytes(content);
            chosen.add(Files.write(files.resolve("clip-" + i + ".mp4"), content));
        }
        String paths = String.join("\n", chosen.stream().map(p -> p.toAbsolutePath().toString()).toList());
        try (CuttingRelay relay = new CuttingRelay(instance.postern.port())) {
            String site = "http://127.0.0.1:" + relay.port();
            source.get(site + "/o/news");
            source.findElement(By.id("what")).sendKeys("Cut journey");
            source.findElement(By.id("submit")).click();
            new WebDriverWait(source, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("receipt")));
            source.findElement(By.id("written")).click();
            new WebDriverWait(source, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("report-files")));

            // The body carries the files in order: the cut lands 40 MiB into the third. A browser may
            // retry a reset request once by itself: that copy is cut at the same place.
            relay.cutEvery(42L * mib);
            source.findElement(By.id("report-files")).sendKeys(paths);
            source.findElement(By.id("send-files")).click();
            // The click may return while the body is still being sent: wait for the cut itself.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (relay.cuts() == 0) {
                assertThat(System.nanoTime()).as("the relay cut the upload").isLessThan(deadline);
                Thread.sleep(50);
            }

            // Loading the page ends whatever the browser still had in flight (a retry is cut too).
            source.get(site + "/conversation");
            try {
                new WebDriverWait(source, WAIT).until(d -> {
                    d.navigate().refresh();
                    return d.findElements(By.cssSelector("#files ul.files li")).size() >= 2;
                });
            } catch (RuntimeException e) {
                throw new AssertionError("cuts " + relay.cuts() + ", upstream " + relay.upstreamBytes() + ", page:\n"
                        + source.getPageSource(), e);
            }
            assertThat(listedFiles()).containsExactly("clip-1.mp4 (1.0 MiB)", "clip-2.mp4 (1.0 MiB)");
            relay.cutAfter(1L << 50);

            // Choosing the same three files again on the reloaded page stores only the missing one.
            source.findElement(By.id("report-files")).sendKeys(paths);
            source.findElement(By.id("send-files")).click();
            new WebDriverWait(source, WAIT).until(d -> d.findElements(By.cssSelector("#files ul.files li")).size() >= 3);
            assertThat(listedFiles()).containsExactly("clip-1.mp4 (1.0 MiB)", "clip-2.mp4 (1.0 MiB)",
                    "clip-3.mp4 (48.0 MiB)");
        }
    }

    private List<String> listedFiles() {
        return source.findElements(By.cssSelector("#files ul.files li")).stream().map(e -> e.getText().strip()).toList();
    }

    // ---------------------------------------------------------------------------------------------

    private void logIn(String code) {
        new WebDriverWait(desk, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        desk.findElement(By.id("username")).sendKeys(instance.recipient.username());
        desk.findElement(By.id("password")).sendKeys(instance.recipient.password());
        desk.findElement(By.id("totp")).sendKeys(code);
        desk.findElement(By.id("login")).click();
    }

    private static void assertNoScripts(ChromeDriver d) {
        assertThat(d.findElements(By.tagName("script"))).as("script elements on " + d.getCurrentUrl()).isEmpty();
    }

    /**
     * The report page names the upload helper's two same-origin scripts (deferred, not run here:
     * JavaScript is off) and no other script, inline or not.
     */
    private static void assertOnlyUploadScripts(ChromeDriver d) {
        List<WebElement> scripts = d.findElements(By.tagName("script"));
        assertThat(scripts.stream().map(e -> e.getDomAttribute("src")).toList()).as("scripts on " + d.getCurrentUrl())
                .containsExactly("/static/js/tus-js-client-4.3.1.min.js", "/static/js/postern-upload.js");
        assertThat(scripts).allSatisfy(e -> {
            assertThat(e.getDomAttribute("defer")).isNotNull();
            assertThat(e.getAttribute("innerHTML")).isEmpty();
        });
    }

    /** No cookie at all in the browser: not for this page's path, nor for any other. */
    private static void assertNoCookies(ChromeDriver d, String where) {
        assertThat(d.manage().getCookies()).as("cookies visible on " + where).isEmpty();
        assertThat(allCookies(d)).as("every cookie in the browser, " + where).isEmpty();
    }

    /** Every cookie the browser holds, whatever its path, through the DevTools protocol. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> allCookies(ChromeDriver d) {
        Map<String, Object> result = d.executeCdpCommand("Storage.getCookies", Map.of());
        return new ArrayList<>((List<Map<String, Object>>) result.get("cookies"));
    }

    /** Waits for a finished download of the expected size and returns its bytes. */
    private static byte[] awaitDownload(Path file, long size) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file) && Files.size(file) == size && !partialDownloads(file.getParent())) {
                return Files.readAllBytes(file);
            }
            Thread.sleep(100);
        }
        List<String> present;
        try (Stream<Path> s = Files.list(file.getParent())) {
            present = s.map(p -> p.getFileName().toString()).toList();
        }
        throw new AssertionError("download of " + file.getFileName() + " (" + size + " bytes) did not finish; "
                + "download directory holds " + present);
    }

    private static boolean partialDownloads(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        }
    }
}
