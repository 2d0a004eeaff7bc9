package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.config.UploadLimits;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipt first (issue 7, section 1 of decision 0004): the start POST makes the report, its receipt
 * and the source session at once, with or without text; the report page takes the answers once and
 * files one by one, each kept the moment it has arrived; a form sent again after a cut stores only
 * what was missing; a report that never gets text or a file is invisible to recipients and is
 * deleted after 24 hours, unless an upload of it is still arriving.
 */
class ReceiptFirstTest {
    private static final int FILE_LIMIT = 64 * 1024;
    private static final Pattern BATCH = Pattern.compile("name=\"batch\" value=\"([^\"]+)\"");
    private static final Pattern FILES_LIST = Pattern.compile("(?s)<section class=\"card\" id=\"files\">(.*?)"
            + "<section id=\"upload\"");
    private static final Pattern LISTED = Pattern.compile("<li>([^<]+) <span class=\"muted\">\\(([^)]+)\\)</span></li>");
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private TestInstance instance;

    @BeforeEach
    void start() throws Exception {
        instance = TestInstance.start(PosternConfig.embedded(dir, 0)
                .withLimits(new UploadLimits(FILE_LIMIT, 4L * FILE_LIMIT, 5)), clock);
    }

    @AfterEach
    void stop() {
        instance.close();
    }

    /** Starts an empty report and continues to the report page; returns that page. */
    private static Http.Page startEmpty(Http source) throws Exception {
        Http.Page receipt = source.followRedirect(source.postMultipart("/o/news/submit",
                new Http.Multipart().field("csrf", source.get("/o/news").csrf())));
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
        Http.Page written = source.postForm("/o/news/receipt/written", "csrf", receipt.csrf());
        Http.Page page = source.followRedirect(written);
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    private static String batch(Http.Page page) {
        Matcher m = BATCH.matcher(page.body());
        assertThat(m.find()).as("a batch on the file form").isTrue();
        return m.group(1);
    }

    /** The report's files as the report page lists them: "name (size)". */
    private static List<String> listedFiles(Http source) throws Exception {
        Matcher section = FILES_LIST.matcher(source.get("/conversation").body());
        assertThat(section.find()).as("the files section").isTrue();
        Matcher li = LISTED.matcher(section.group(1));
        List<String> out = new ArrayList<>();
        while (li.find()) {
            out.add(li.group(1) + " (" + li.group(2) + ")");
        }
        return out;
    }

    private static Http.Multipart fileForm(Http.Page page, Map<String, byte[]> files) {
        Http.Multipart m = new Http.Multipart().field("csrf", page.csrf()).field("batch", batch(page));
        files.forEach((name, content) -> m.file("files", name, content));
        return m;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").resolve("postern").toAbsolutePath());
    }

    @Test
    void anEmptyStartGivesAReceiptAndASessionAndTheReportPageHasTheHooks() throws Exception {
        Http source = new Http(instance);
        String token = source.get("/o/news").csrf();
        Http.Page posted = source.postMultipart("/o/news/submit", new Http.Multipart().field("csrf", token));
        assertThat(posted.status()).isEqualTo(303);
        List<String> cookies = posted.raw().headers().allValues("Set-Cookie");
        assertThat(cookies).anyMatch(c -> c.startsWith("postern_receipt=") && c.contains("HttpOnly")
                && c.contains("SameSite=Strict") && !c.contains("Max-Age") && !c.contains("Expires"));
        assertThat(cookies).anyMatch(c -> c.startsWith("postern_source=") && c.contains("Path=/conversation")
                && c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Max-Age")
                && !c.contains("Expires"));
        Http.Page receipt = source.followRedirect(posted);
        assertThat(receipt.receipt()).matches("[0-9]{5}( [0-9]{5}){4}");
        assertThat(receipt.body()).contains("can never recover it");

        Http.Page written = source.postForm("/o/news/receipt/written", "csrf", receipt.csrf());
        assertThat(written.header("Location")).isEqualTo("/conversation?lang=en");
        Http.Page page = source.followRedirect(written);
        assertThat(page.status()).isEqualTo(200);
        String csrf = page.csrf();
        assertThat(page.body()).contains("id=\"answers-form\"", "No files yet.",
                "<section id=\"upload\" data-tus-endpoint=\"/conversation/uploads\" data-tus-token=\"" + csrf
                        + "\" data-tus-context=\"report\">",
                "<section id=\"upload-message\" data-tus-endpoint=\"/conversation/uploads\" data-tus-token=\""
                        + csrf + "\" data-tus-context=\"message\">",
                "<ul id=\"unfinished-uploads\">",
                "large files upload faster and resume",
                "action=\"/conversation/files?lang=en\"");
        // The no-JS file form sits inside the upload section.
        assertThat(page.body()).containsPattern("(?s)<section id=\"upload\"[^>]*>.*<form[^>]*id=\"file-form\".*</form>\\s*</section>");
        // The upload helper's texts and its two scripts close the page (with their SRI hashes).
        assertThat(page.body().strip()).containsPattern("(?s)<div id=\"upload-texts\" hidden[^>]*></div>\\s*"
                + "<script src=\"/static/js/tus-js-client-4\\.3\\.1\\.min\\.js\" integrity=\"sha384-[^\"]+\" defer>"
                + "</script>\\s*<script src=\"/static/js/postern-upload\\.js\" integrity=\"sha384-[^\"]+\" defer></script>"
                + "\\s*</main>\\s*</body>\\s*</html>$");
        assertThat(page.body()).doesNotContain("style=", "<script>", "onclick", "onload");

        // Without its session cookie the report page asks for the receipt.
        assertThat(new Http(instance).get("/conversation").status()).isEqualTo(401);
    }

    @Test
    void theSameStartFormPostedTwiceGivesTheSameReceiptAndSession() throws Exception {
        Http first = new Http(instance);
        Http.Multipart form = new Http.Multipart().field("csrf", first.get("/o/news").csrf());
        String receipt = first.followRedirect(first.postMultipart("/o/news/submit", form)).receipt();
        Http second = new Http(instance);
        Http.Page again = second.postMultipart("/o/news/submit", form);
        assertThat(again.status()).isEqualTo(303);
        assertThat(second.followRedirect(again).receipt()).isEqualTo(receipt);
        assertThat(second.cookies().get(SourcePages.COOKIE)).isEqualTo(first.cookies().get(SourcePages.COOKIE))
                .isNotNull();
        assertThat(second.get("/conversation").status()).isEqualTo(200);
        try (Connection db = database(); ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM report")) {
            rs.next();
            assertThat(rs.getInt(1)).as("one report").isEqualTo(1);
        }
    }

    @Test
    void answersAreSavedOnceAndTheReportThenAppearsInTheDesk() throws Exception {
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        Http source = new Http(instance);
        Http.Page page = startEmpty(source);
        assertThat(desk.reportsInDesk()).as("an empty report is not shown").isZero();

        Http.Page saved = source.postForm("/conversation/answers", "csrf", page.csrf(), "what", "Trucks at night",
                "when", "", "where", "the port", "details", "Three of them");
        assertThat(saved.status()).isEqualTo(303);
        Http.Page after = source.get("/conversation");
        assertThat(after.body()).doesNotContain("id=\"answers-form\"").contains("<dd>Trucks at night</dd>",
                "<dd>the port</dd>", "Three of them");
        assertThat(desk.reportsInDesk()).isEqualTo(1);
        String id = DeskRoutesTest.reportIdWith(desk, "Trucks at night");
        assertThat(desk.get("/desk/reports/" + id).body()).contains("Trucks at night", "Three of them");

        Http.Page twice = source.postForm("/conversation/answers?lang=en", "csrf", page.csrf(), "what", "Second go",
                "when", "", "where", "", "details", "changed my mind");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body()).contains("already saved", "<dd>Trucks at night</dd>")
                .containsPattern("(?s)<textarea id=\"message\"[^>]*>Second go\\s+changed my mind</textarea>");
        assertThat(source.get("/conversation").body()).doesNotContain("Second go");
    }

    @Test
    void filesAreKeptOneByOneSoACutLosesOnlyTheFileInFlight() throws Exception {
        Http source = new Http(instance);
        Http.Page page = startEmpty(source);
        byte[] one = bytes(20_000, 1);
        byte[] two = bytes(30_000, 2);
        byte[] three = bytes(40_000, 3);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("one.bin", one);
        files.put("two.bin", two);
        files.put("three.bin", three);
        Http.Multipart form = fileForm(page, files);
        byte[] body = form.build();
        // Cut inside the third file: the body ends early, as when the connection drops.
        int cut = indexOf(body, "three.bin".getBytes(StandardCharsets.US_ASCII)) + 20_000;
        String answer = sendCut(source, "/conversation/files", form.contentType(), body, cut);
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(listedFiles(source)).containsExactly("one.bin (19.5 KiB)", "two.bin (29.3 KiB)");

        // The browser sends the same form again: only the missing file is stored.
        Http.Page resent = source.postMultipart("/conversation/files", form);
        assertThat(resent.status()).isEqualTo(303);
        assertThat(resent.header("Location")).isEqualTo("/conversation?lang=en#files");
        assertThat(listedFiles(source)).containsExactly("one.bin (19.5 KiB)", "two.bin (29.3 KiB)",
                "three.bin (39.1 KiB)");

        // The desk has each file once, byte for byte.
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        Matcher row = Pattern.compile("href=\"/desk/reports/([0-9a-f]{32})\">").matcher(desk.get("/desk").body());
        assertThat(row.find()).as("a report with files is shown").isTrue();
        String report = desk.get("/desk/reports/" + row.group(1)).body();
        Matcher link = Pattern.compile("href=\"(/desk/reports/[0-9a-f]{32}/files/[0-9a-f]{32})\"[^>]*>([^<]+)<")
                .matcher(report);
        Map<String, byte[]> downloaded = new java.util.HashMap<>();
        while (link.find()) {
            assertThat(downloaded.put(link.group(2), desk.get(link.group(1)).raw().body())).as("once").isNull();
        }
        assertThat(downloaded).containsOnlyKeys("one.bin", "two.bin", "three.bin");
        assertThat(downloaded.get("one.bin")).isEqualTo(one);
        assertThat(downloaded.get("three.bin")).isEqualTo(three);
    }

    @Test
    void afterACutTheReloadedPageKeepsTheBatchSoChoosingTheSameFilesAgainStoresOnlyTheMissingOnes()
            throws Exception {
        Http source = new Http(instance);
        Http.Page page = startEmpty(source);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("a.txt", bytes(1000, 4));
        files.put("b.txt", bytes(2000, 5));
        Http.Multipart form = fileForm(page, files);
        byte[] body = form.build();
        sendCut(source, "/conversation/files", form.contentType(), body,
                indexOf(body, "b.txt".getBytes(StandardCharsets.US_ASCII)) + 500);
        Http.Page reloaded = source.get("/conversation");
        assertThat(batch(reloaded)).as("the batch stays open until a form arrives whole").isEqualTo(batch(page));
        assertThat(source.followRedirect(source.postMultipart("/conversation/files", fileForm(reloaded, files)))
                .status()).isEqualTo(200);
        assertThat(listedFiles(source)).containsExactly("a.txt (1000 B)", "b.txt (2.0 KiB)");

        // A whole form closes the batch: the next page's form is a new one, and the same file chosen
        // there on purpose is stored again.
        Http.Page next = source.get("/conversation");
        assertThat(batch(next)).isNotEqualTo(batch(page));
        source.postMultipart("/conversation/files", fileForm(next, Map.of("a.txt", files.get("a.txt"))));
        assertThat(listedFiles(source)).containsExactly("a.txt (1000 B)", "b.txt (2.0 KiB)", "a.txt (1000 B)");
    }

    @Test
    void perReportLimitsCountWhatTheReportAlreadyHolds() throws Exception {
        Http source = new Http(instance);
        Http.Page page = startEmpty(source);
        // Report limit: 4 files' worth of bytes; 3 full files first.
        Map<String, byte[]> three = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            three.put("full" + i + ".bin", new byte[FILE_LIMIT]);
        }
        assertThat(source.postMultipart("/conversation/files", fileForm(page, three)).status()).isEqualTo(303);
        Http.Page refreshed = source.get("/conversation");
        Map<String, byte[]> two = new java.util.LinkedHashMap<>();
        two.put("fits.bin", new byte[FILE_LIMIT]);
        two.put("over.bin", new byte[10]);
        Http.Page refused = source.postMultipart("/conversation/files?lang=uk", fileForm(refreshed, two));
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.body()).contains("Звернення досягло межі обсягу", "Файли, перелічені на цій сторінці, збережено",
                "fits.bin").doesNotContain("over.bin");
        assertThat(listedFiles(source)).hasSize(4);

        // A follow-up's files count against the same report: nothing is left.
        Http.Page conv = source.get("/conversation");
        Http.Page message = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conv.csrf()).field("nonce", conv.nonce()).field("message", "and this")
                .file("files", "late.bin", new byte[] {1}));
        assertThat(message.status()).isEqualTo(413);
        assertThat(message.body()).contains(">and this</textarea>").doesNotContain("late.bin");
        // One byte over the file limit is refused whatever is left.
        assertThat(source.postMultipart("/conversation/files", fileForm(source.get("/conversation"),
                Map.of("big.bin", new byte[FILE_LIMIT + 1]))).status()).isEqualTo(413);
    }

    @Test
    void fileCountIsPerReport() throws Exception {
        Http source = new Http(instance);
        Http.Page page = startEmpty(source);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            files.put("f" + i + ".txt", new byte[] {(byte) i});
        }
        assertThat(source.postMultipart("/conversation/files", fileForm(page, files)).status()).isEqualTo(303);
        Map<String, byte[]> more = new java.util.LinkedHashMap<>();
        more.put("g0.txt", new byte[] {1});
        more.put("g1.txt", new byte[] {2});
        Http.Page refused = source.postMultipart("/conversation/files", fileForm(source.get("/conversation"), more));
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.body()).contains("reached its number of files", "Files listed on this page were kept");
        assertThat(listedFiles(source)).hasSize(5).contains("g0.txt (1 B)").doesNotContain("g1.txt (1 B)");
    }

    @Test
    void followUpFilesAreKeptOneByOneWithTheirMessage() throws Exception {
        Http source = new Http(instance);
        startEmpty(source);
        Http.Page conv = source.get("/conversation");
        Http.Multipart form = new Http.Multipart().field("csrf", conv.csrf()).field("nonce", conv.nonce())
                .field("message", "Photos of the gate").file("files", "gate1.jpg", bytes(5000, 7))
                .file("files", "gate2.jpg", bytes(6000, 8));
        byte[] body = form.build();
        sendCut(source, "/conversation/message", form.contentType(), body,
                indexOf(body, "gate2.jpg".getBytes(StandardCharsets.US_ASCII)) + 3000);
        String page = source.get("/conversation").body();
        assertThat(page).contains("Photos of the gate", "gate1.jpg").doesNotContain("gate2.jpg");
        assertThat(page).as("the text is kept, not offered again").doesNotContain(">Photos of the gate</textarea>");
        // The message now exists: its form sent again adds the missing file to it, nothing else.
        assertThat(source.postMultipart("/conversation/message", form).status()).isEqualTo(303);
        String after = source.get("/conversation").body();
        assertThat(after.split("Photos of the gate", -1)).as("one message").hasSize(2);
        assertThat(after.split("gate1.jpg", -1)).as("the kept file once").hasSize(2);
        assertThat(after).containsPattern("(?s)<article class=\"message mine\">(?:(?!</article>).)*Photos of the gate"
                + "(?:(?!</article>).)*gate1\\.jpg(?:(?!</article>).)*gate2\\.jpg");
        // A third sending of the same form adds nothing.
        assertThat(source.postMultipart("/conversation/message", form).status()).isEqualTo(303);
        String third = source.get("/conversation").body();
        assertThat(third.split("Photos of the gate", -1)).hasSize(2);
        assertThat(third.split("gate1.jpg", -1)).hasSize(2);
        assertThat(third.split("gate2.jpg", -1)).hasSize(2);

        Http desk = new Http(instance);
        desk.loginDesk(instance);
        assertThat(desk.reportsInDesk()).as("a message gives the report content").isEqualTo(1);
    }

    @Test
    void anEmptyReportIsInvisibleAndDeletedAfter24HoursButNotWhileAnUploadArrives() throws Exception {
        Http source = new Http(instance);
        Http.Page receiptPage = source.followRedirect(source.postMultipart("/o/news/submit",
                new Http.Multipart().field("csrf", source.get("/o/news").csrf())));
        String receipt = receiptPage.receipt();
        Http other = new Http(instance);
        String otherReceipt = other.followRedirect(other.postMultipart("/o/news/submit",
                new Http.Multipart().field("csrf", other.get("/o/news").csrf()))).receipt();
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        assertThat(desk.reportsInDesk()).isZero();
        List<String> ids = new ArrayList<>();
        try (Connection db = database();
             ResultSet rs = db.createStatement().executeQuery("SELECT id FROM report WHERE has_content = FALSE")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        assertThat(ids).hasSize(2);
        for (String id : ids) {
            assertThat(desk.get("/desk/reports/" + id).status()).as("opened directly").isEqualTo(404);
        }
        // The other report has an upload still arriving.
        String uploading = lastCreatedReport();
        try (Connection db = database(); PreparedStatement ps = db.prepareStatement("""
                INSERT INTO upload (id, report_id, file_id, context, name, length, committed, pieces, state,
                created_hour, expires_hour) VALUES ('u1', ?, 'f1', 'report', X'00', 10, 0, 0, 'RECEIVING', 0, 0)""")) {
            ps.setString(1, uploading);
            ps.executeUpdate();
        }

        clock.advance(Duration.ofHours(23));
        assertThat(instance.postern.emptyReports().sweepOnce()).as("not yet 24 hours").isZero();
        clock.advance(Duration.ofHours(2));
        assertThat(instance.postern.emptyReports().sweepOnce()).isEqualTo(1);

        Http back = new Http(instance);
        Http.Page opened = back.postForm("/return", "csrf", back.get("/return").csrf(), "receipt", receipt);
        assertThat(opened.status()).as("the receipt of a deleted report opens nothing").isEqualTo(403);
        assertThat(opened.body()).contains("This receipt code opens nothing");
        Http stillThere = new Http(instance);
        assertThat(stillThere.postForm("/return", "csrf", stillThere.get("/return").csrf(), "receipt", otherReceipt)
                .status()).isEqualTo(303);
        try (Connection db = database();
             ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM report_key WHERE report_id NOT IN"
                     + " (SELECT id FROM report)")) {
            rs.next();
            assertThat(rs.getInt(1)).as("wrapped keys of deleted reports").isZero();
        }

        // Once the upload is no longer arriving, the empty report goes too.
        try (Connection db = database()) {
            db.createStatement().executeUpdate("UPDATE upload SET state = 'GONE'");
        }
        assertThat(instance.postern.emptyReports().sweepOnce()).isEqualTo(1);
        try (Connection db = database();
             ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM report")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    /** The report created last (reports are numbered in the order they were made). */
    private String lastCreatedReport() throws Exception {
        try (Connection db = database();
             ResultSet rs = db.createStatement().executeQuery("SELECT id FROM report ORDER BY seq DESC")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** Sends a request whose body stops after {@code cut} bytes (half-close), and returns the answer. */
    private String sendCut(Http source, String path, String contentType, byte[] body, int cut) throws Exception {
        URI uri = URI.create(instance.baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                    + "\r\nCookie: " + SourcePages.COOKIE + "=" + source.cookies().get(SourcePages.COOKIE)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, cut);
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
