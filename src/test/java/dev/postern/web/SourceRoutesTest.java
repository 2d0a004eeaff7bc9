package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source route, in-process against a real server, as a browser without JavaScript uses it. */
class SourceRoutesTest {
    @TempDir
    static Path dir;
    static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    private static Map<String, String> answers(String what) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("when", "last Tuesday");
        m.put("where", "near the bridge");
        m.put("details", "line one\nline two");
        return m;
    }

    @Test
    void homeShowsTheOnlyOrganizationsFormWithSafetyNoticeAndNoScriptOrCookie() throws Exception {
        Http.Page p = new Http(instance).get("/");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.body()).contains("Before you start", "The Daily Test", "We publish what matters.",
                "enctype=\"multipart/form-data\"", "name=\"csrf\"", "Get my receipt and continue",
                "You add files on the next page");
        // Receipt first: files are added on the report page, where each is kept as it arrives.
        assertThat(p.body()).doesNotContain("type=\"file\"");
        assertThat(p.body()).doesNotContainIgnoringCase("<script").doesNotContain("http://", "https://");
        assertThat(p.raw().headers().allValues("Set-Cookie")).isEmpty();
        assertThat(p.header("Content-Security-Policy")).isEqualTo("default-src 'none'; style-src 'self';"
                + " img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(p.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(p.header("Cache-Control")).isEqualTo("no-store");
        assertThat(p.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(p.header("Server")).isNull();
    }

    @Test
    void languageFollowsAcceptLanguageAndTheLangLink() throws Exception {
        Http http = new Http(instance);
        assertThat(http.get("/", "Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5").body())
                .contains("lang=\"ru\"", "Прежде чем начать", "Получить квитанцию и продолжить");
        assertThat(http.get("/", "Accept-Language", "uk,en;q=0.5").body()).contains("lang=\"uk\"",
                "Отримати квитанцію і продовжити");
        assertThat(http.get("/", "Accept-Language", "de-DE").body()).contains("lang=\"en\"");
        Http.Page switched = http.get("/?lang=uk", "Accept-Language", "ru");
        assertThat(switched.body()).contains("lang=\"uk\"", "Перш ніж почати", "href=\"/?lang=ru\"");
        assertThat(http.get("/?lang=xx", "Accept-Language", "ru").body()).contains("lang=\"ru\"");
        assertThat(http.get("/return?lang=ru").body()).contains("action=\"/return?lang=ru\"");
    }

    @Test
    void submitShowsAReceiptOnceThatOpensTheConversation() throws Exception {
        Http source = new Http(instance);
        Http.Page receiptPage = source.submit("news", answers("Orders to retreat"),
                Map.of("video one.mp4", new byte[] {1, 2, 3}, "письмо.pdf", "pdf".getBytes(StandardCharsets.UTF_8)));
        assertThat(receiptPage.status()).isEqualTo(200);
        String receipt = receiptPage.receipt();
        assertThat(receipt).matches("[0-9]{5}( [0-9]{5}){4}");
        assertThat(receiptPage.body()).contains("can never recover it");
        assertThat(receiptPage.raw().headers().allValues("Set-Cookie")).isEmpty();
        assertThat(receiptPage.header("Cache-Control")).isEqualTo("no-store");

        Http.Page returnForm = source.get("/return");
        Http.Page opened = source.postForm("/return", "csrf", returnForm.csrf(), "receipt", receipt.replace(' ', '-'));
        assertThat(opened.status()).isEqualTo(303);
        assertThat(opened.header("Location")).startsWith("/conversation");
        String cookie = opened.header("Set-Cookie");
        assertThat(cookie).startsWith("postern_source=").contains("HttpOnly", "SameSite=Strict", "Path=/conversation")
                .doesNotContainIgnoringCase("expires").doesNotContainIgnoringCase("max-age");

        Http.Page conversation = source.get("/conversation");
        assertThat(conversation.status()).isEqualTo(200);
        assertThat(conversation.body()).contains("Orders to retreat", "last Tuesday", "near the bridge",
                "video one.mp4", "письмо.pdf", "No messages yet");
    }

    @Test
    void sourceAddsMessagesAndFilesAndDeletesReplies() throws Exception {
        Http source = new Http(instance);
        String receipt = source.submit("news", answers("Clerk saw a crime"), Map.of()).receipt();
        source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);
        Http.Page conv = source.get("/conversation");
        Http.Page sent = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conv.csrf()).field("nonce", conv.nonce()).field("message", "More: the order was written")
                .file("files", "order.jpg", new byte[] {9, 9, 9}));
        assertThat(sent.status()).isEqualTo(303);
        assertThat(source.get("/conversation").body()).contains("More: the order was written", "order.jpg");

        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String reportId = DeskRoutesTest.reportIdWith(desk, "Clerk saw a crime");
        Http.Page report = desk.get("/desk/reports/" + reportId);
        assertThat(report.body()).contains("More: the order was written", "order.jpg");
        desk.postForm("/desk/reports/" + reportId + "/reply", "csrf", report.csrf(), "text", "Can you send the order?");

        Http.Page withReply = source.get("/conversation");
        assertThat(withReply.body()).contains("Can you send the order?");
        String replyId = withReply.body().replaceAll("(?s).*name=\"message\" value=\"([0-9a-f]{32})\".*", "$1");
        Http.Page deleted = source.postForm("/conversation/delete-reply", "csrf", withReply.csrf(), "message", replyId);
        assertThat(deleted.status()).isEqualTo(303);
        assertThat(source.get("/conversation").body()).doesNotContain("Can you send the order?");
        assertThat(desk.get("/desk/reports/" + reportId).body()).contains("deleted by the source")
                .doesNotContain("Can you send the order?");

        Http.Page again = source.postForm("/conversation/delete-reply", "csrf", withReply.csrf(), "message", replyId);
        assertThat(again.status()).isEqualTo(303);
        Http.Page missing = source.postForm("/conversation/delete-reply", "csrf", withReply.csrf(), "message", "nope");
        assertThat(missing.status()).isEqualTo(404);

        Http.Page left = source.postForm("/conversation/leave", "csrf", withReply.csrf());
        assertThat(left.status()).isEqualTo(303);
        assertThat(source.get("/conversation").status()).isEqualTo(401);
    }

    @Test
    void wrongReceiptGetsTheSameGenericErrorWhateverItLooksLike() throws Exception {
        Http source = new Http(instance);
        for (String wrong : new String[] {"12345 67890 12345 67890 12345", "abc", ""}) {
            Http.Page p = source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", wrong);
            assertThat(p.status()).isEqualTo(403);
            assertThat(p.body()).contains("This receipt code opens nothing");
            assertThat(p.raw().headers().allValues("Set-Cookie")).isEmpty();
        }
        Http.Page ru = source.postForm("/return?lang=ru", "csrf", source.get("/return").csrf(), "receipt", "1");
        assertThat(ru.body()).contains("Обращение с таким кодом не найдено");
    }

    @Test
    void staticStylesheetIsServedAndCacheable() throws Exception {
        Http.Page css = new Http(instance).get("/static/postern.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(css.body()).doesNotContain("@import", "url(http");
    }

    @Test
    void unknownPagesGetAClearNotFoundPage() throws Exception {
        Http.Page p = new Http(instance).get("/o/nobody", "Accept-Language", "uk");
        assertThat(p.status()).isEqualTo(404);
        assertThat(p.body()).contains("Такої сторінки немає");
    }

    @Test
    void theSourceSiteHasNoDeskAndUnknownPathsGetASourceStyledNotFoundInTheSourcesLanguage() throws Exception {
        Http sourceOnly = new Http(instance.baseUrl);
        for (String path : new String[] {"/desk", "/desk/login", "/desk/reports/x", "/admin", "/wp-login.php"}) {
            Http.Page p = sourceOnly.get(path + "?lang=ru");
            assertThat(p.status()).as(path).isEqualTo(404);
            assertThat(p.header("Location")).as(path).isNull();
            assertThat(p.body()).as(path).doesNotContain("/desk").contains("lang=\"ru\"");
            assertThat(p.header("Content-Security-Policy")).as(path).isEqualTo(SecurityHeaders.SOURCE_CSP);
        }
        Http.Page login = sourceOnly.postForm("/desk/login", "username", "editor");
        assertThat(login.status()).isEqualTo(404);
        Http deskOnly = new Http(instance.deskUrl);
        assertThat(deskOnly.get("/desk/login").status()).isEqualTo(200);
        assertThat(deskOnly.get("/o/news").status()).isEqualTo(404);
    }
}
