package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every POST on both listeners refuses what another website made the browser send. */
class CrossSiteRequestTest {
    @TempDir
    static Path dir;
    private static TestInstance instance;
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    private static HttpResponse<String> post(String url, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
    }

    /** A submission with a valid token; {@code headers} say where it comes from. */
    private static HttpResponse<String> submit(String... headers) throws Exception {
        Http http = new Http(instance);
        Http.Multipart form = new Http.Multipart().field("csrf", http.get("/o/news").csrf())
                .field("what", "what happened");
        return post(instance.baseUrl + "/o/news/submit", form.contentType(), form.build(), headers);
    }

    private static HttpResponse<String> openReceipt(String... headers) throws Exception {
        String token = new Http(instance).get("/return").csrf();
        return post(instance.baseUrl + "/return", "application/x-www-form-urlencoded",
                ("csrf=" + token + "&receipt=" + "1".repeat(25)).getBytes(StandardCharsets.UTF_8), headers);
    }

    private static HttpResponse<String> login(String... headers) throws Exception {
        String token = new Http(instance).get("/desk/login").csrf();
        String body = "csrf=" + token + "&username=" + instance.recipient.username() + "&password="
                + instance.recipient.password().replace(' ', '+') + "&totp=" + instance.freshTotp();
        return post(instance.deskUrl + "/desk/login", "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void assertRefused(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("another website");
        assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void crossSiteOriginIsRefusedOnTheSourceFormTheReceiptFormAndTheDeskLogin() throws Exception {
        assertRefused(submit("Origin", "https://evil.example"));
        assertRefused(openReceipt("Origin", "https://evil.example"));
        assertRefused(login("Origin", "https://evil.example"));
        // Same host, other port: another origin.
        assertRefused(login("Origin", origin(instance.baseUrl)));
    }

    @Test
    void secFetchSiteCrossSiteOrSameSiteIsRefused() throws Exception {
        assertRefused(submit("Sec-Fetch-Site", "cross-site"));
        assertRefused(openReceipt("Sec-Fetch-Site", "same-site"));
        assertRefused(login("Sec-Fetch-Site", "cross-site", "Origin", origin(instance.deskUrl)));
    }

    @Test
    void sameOriginPostsPass() throws Exception {
        HttpResponse<String> report = submit("Origin", origin(instance.baseUrl), "Sec-Fetch-Site", "same-origin");
        assertThat(report.statusCode()).isIn(200, 303);
        // A well-formed receipt that opens nothing: refused by the receipt check, not as cross-site.
        HttpResponse<String> receipt = openReceipt("Sec-Fetch-Site", "same-origin");
        assertThat(receipt.statusCode()).isEqualTo(403);
        assertThat(receipt.body()).doesNotContain("another website");
        HttpResponse<String> desk = login("Origin", origin(instance.deskUrl));
        assertThat(desk.statusCode()).isEqualTo(303);
        assertThat(desk.headers().firstValue("Location")).hasValue("/desk");
    }

    @Test
    void originNullAndNoHeadersAtAllFallBackToTheFormToken() throws Exception {
        // Browsers send Origin: null for our own forms (our pages say Referrer-Policy: no-referrer).
        assertThat(login("Origin", "null").statusCode()).isEqualTo(303);
        // curl and old browsers send neither header.
        assertThat(submit().statusCode()).isIn(200, 303);
        HttpResponse<String> noToken = post(instance.deskUrl + "/desk/login", "application/x-www-form-urlencoded",
                "username=editor&password=x&totp=1".getBytes(StandardCharsets.UTF_8));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).doesNotContain("another website");
    }

    @Test
    void originAndHostAreComparedAsHostAndPort() {
        assertThat(CrossSite.sameAuthority("https://example.org", "example.org")).isTrue();
        assertThat(CrossSite.sameAuthority("https://example.org", "EXAMPLE.org:443")).isTrue();
        assertThat(CrossSite.sameAuthority("http://abc.onion", "abc.onion")).isTrue();
        assertThat(CrossSite.sameAuthority("http://127.0.0.1:8080", "127.0.0.1:8080")).isTrue();
        assertThat(CrossSite.sameAuthority("http://[::1]:8080", "[::1]:8080")).isTrue();
        assertThat(CrossSite.sameAuthority("https://example.org", "example.org:80")).isFalse();
        assertThat(CrossSite.sameAuthority("https://example.org.evil.example", "example.org")).isFalse();
        assertThat(CrossSite.sameAuthority("http://127.0.0.1:8081", "127.0.0.1:8080")).isFalse();
        assertThat(CrossSite.sameAuthority("https://example.org/path", "example.org")).isFalse();
        assertThat(CrossSite.sameAuthority("ftp://example.org", "example.org")).isFalse();
        assertThat(CrossSite.sameAuthority("https://example.org", null)).isFalse();
        assertThat(CrossSite.sameAuthority("not a url", "example.org")).isFalse();
    }
}
