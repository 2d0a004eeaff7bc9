package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.TestInstance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests Jetty refuses before Javalin sees them get our security headers, a fixed short page,
 * and leave nothing of what the client sent in the page or the log.
 */
class JettyErrorPagesTest {
    private static final String MARKER = "evilmarker7731";
    @TempDir
    static Path dir;
    private static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    private static void assertOurErrorPage(String response, String status, String csp) {
        assertThat(response).startsWith("HTTP/1.1 " + status);
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("content-security-policy: " + csp.toLowerCase());
        assertThat(head).contains("x-frame-options: deny");
        assertThat(head).contains("x-content-type-options: nosniff");
        assertThat(head).contains("referrer-policy: no-referrer");
        assertThat(head).contains("cache-control: no-store");
        assertThat(head).doesNotContain("server:");
        assertThat(response).doesNotContain(MARKER);
        assertThat(response).doesNotContainIgnoringCase("jetty");
    }

    private static String send(String baseUrl, String request) throws Exception {
        try (RawClients raw = new RawClients(baseUrl)) {
            return raw.exchange(request);
        }
    }

    @Test
    void badRequestsGetOurHeadersAndNothingOfTheClientsTextReachesPageOrLog() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            for (String base : new String[] {instance.baseUrl, instance.deskUrl}) {
                String csp = base.equals(instance.deskUrl) ? SecurityHeaders.DESK_CSP : SecurityHeaders.SOURCE_CSP;
                // A request line that is not HTTP.
                assertOurErrorPage(send(base, "GARBAGE" + MARKER + "\r\n\r\n"), "400", csp);
                // A header block of 20 KB.
                assertOurErrorPage(send(base, "GET / HTTP/1.1\r\nHost: localhost\r\nX-" + MARKER + ": "
                        + "a".repeat(20_000) + "\r\n\r\n"), "431", csp);
                // A request line longer than the whole header allowance.
                assertOurErrorPage(send(base, "GET /" + MARKER + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                        "414", csp);
                // A Host header that is no host name.
                assertOurErrorPage(send(base, "GET / HTTP/1.1\r\nHost: " + MARKER + "<script>:x:y\r\n\r\n"), "400", csp);
                // Two Host headers.
                assertOurErrorPage(send(base, "GET / HTTP/1.1\r\nHost: a\r\nHost: " + MARKER + "\r\n\r\n"), "400", csp);
            }
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain(MARKER);
        assertThat(logged).doesNotContain("\tat ");
    }

    @Test
    void theBodyIsFixedTextInTheSourcesLanguages() {
        String page = new String(JettyErrorPages.page(503), StandardCharsets.UTF_8);
        assertThat(page).contains("busy").contains("lang=\"ru\"").contains("lang=\"uk\"");
    }
}
