package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page's two scripts (decision 0004, section 4): served from the source listener only,
 * as JavaScript, to anyone; allowed to run by the CSP of GET /conversation alone; named in the page
 * with their integrity; and postern-upload.js itself keeps nothing on the device.
 */
class UploadScriptsTest {
    private static final List<String> SCRIPTS = List.of(StaticScripts.TUS, StaticScripts.UPLOAD);
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

    @Test
    void bothScriptsAreServedAsJavaScriptWithoutASession() throws Exception {
        for (String name : SCRIPTS) {
            Http.Page p = new Http(instance).get("/static/js/" + name);
            assertThat(p.status()).as(name).isEqualTo(200);
            assertThat(p.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
            assertThat(p.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(p.header("Cache-Control")).isEqualTo("public, max-age=3600");
            assertThat(p.raw().body()).isEqualTo(VendoredScriptTest.resource("/static/js/" + name));
            assertThat(p.raw().headers().allValues("Set-Cookie")).isEmpty();
        }
        assertThat(VendoredScriptTest.sha256(new Http(instance).get("/static/js/" + StaticScripts.TUS).raw().body()))
                .isEqualTo(VendoredScriptTest.PATCHED_SHA256);
        // Nothing else under /static/js, and nothing of it on the desk's listener.
        assertThat(new Http(instance).get("/static/js/tus.js").status()).isEqualTo(404);
        assertThat(new Http(instance).get("/static/js/VENDOR.txt").status()).isEqualTo(404);
        for (String name : SCRIPTS) {
            assertThat(new Http(instance.deskUrl).get("/static/js/" + name).status()).isEqualTo(404);
        }
    }

    @Test
    void onlyTheReportPageMayRunScripts() throws Exception {
        Http source = new Http(instance);
        assertThat(source.get("/").header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_CSP);
        assertThat(source.get("/o/news").header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_CSP);
        assertThat(source.get("/return").header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_CSP);
        Http.Page receiptPage = source.submit("news", Map.of("what", "Scripts only where needed"), Map.of());
        assertThat(receiptPage.status()).isEqualTo(200);
        assertThat(receiptPage.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_CSP);
        String receipt = receiptPage.receipt();
        Http.Page opened = source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);
        assertThat(opened.status()).isEqualTo(303);
        assertThat(opened.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_CSP);

        Http.Page conversation = source.get("/conversation");
        assertThat(conversation.status()).isEqualTo(200);
        assertThat(conversation.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_UPLOAD_CSP)
                .isEqualTo("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self';"
                        + " img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(conversation.header("Cache-Control")).isEqualTo("no-store");
        assertThat(source.get("/conversation?lang=ru").header("Content-Security-Policy"))
                .isEqualTo(SecurityHeaders.SOURCE_UPLOAD_CSP);
        // The page's own posts answer with the script-free policy.
        Http.Page sent = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conversation.csrf()).field("nonce", conversation.nonce()).field("message", "more"));
        assertThat(sent.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.SOURCE_CSP);
        for (String csp : List.of(SecurityHeaders.SOURCE_CSP, SecurityHeaders.DESK_CSP)) {
            assertThat(csp).doesNotContain("script-src", "connect-src");
        }
        assertThat(new Http(instance.deskUrl).get("/desk/login").header("Content-Security-Policy"))
                .isEqualTo(SecurityHeaders.DESK_CSP);
    }

    @Test
    void theIncludeNamesBothScriptsWithTheirIntegrityAndEveryTextInEachLanguage() throws Exception {
        for (String lang : Texts.LANGUAGES) {
            String html = new Templates().render("source/uploadtexts.jte",
                    Map.of("p", new PageContext(Texts.of(lang), "token", "", "/conversation")));
            for (String name : SCRIPTS) {
                byte[] served = new Http(instance).get("/static/js/" + name).raw().body();
                String sri = "sha384-" + Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-384").digest(served));
                assertThat(html).contains("<script src=\"/static/js/" + name + "\" integrity=\"" + sri + "\" defer>");
            }
            assertThat(html).doesNotContain("style=", "onclick", "onload");
            String script = new String(VendoredScriptTest.resource("/static/js/" + StaticScripts.UPLOAD),
                    StandardCharsets.UTF_8);
            Matcher used = Pattern.compile("text\\('([a-z-]+)'\\)").matcher(script);
            int count = 0;
            while (used.find()) {
                String attribute = "data-text-" + used.group(1) + "=\"";
                assertThat(html).as(lang + ": " + attribute).contains(attribute);
                count++;
            }
            assertThat(count).as("texts the script asks for").isGreaterThan(20);
            Matcher values = Pattern.compile("data-text-[a-z-]+=\"([^\"]*)\"").matcher(html);
            while (values.find()) {
                assertThat(values.group(1)).as(lang + " text").isNotBlank().doesNotStartWith("upload.js.");
            }
        }
    }

    @Test
    void theUploadScriptKeepsNothingOnTheDeviceAndNeedsNoUnsafeCsp() throws Exception {
        String script = new String(VendoredScriptTest.resource("/static/js/" + StaticScripts.UPLOAD),
                StandardCharsets.UTF_8);
        assertThat(script).doesNotContain("localStorage", "sessionStorage", "indexedDB", "document.cookie",
                "eval(", "new Function", "innerHTML", "outerHTML", ".style", "setTimeout('", "insertAdjacentHTML");
        // The test hooks the page carries for it.
        assertThat(script).contains("section[data-tus-endpoint]", "data-tus-token", "Postern-Upload-Token",
                "data-tus-context", "#unfinished-uploads li[data-upload-url]", "abort(true)", "'online'");
    }
}
