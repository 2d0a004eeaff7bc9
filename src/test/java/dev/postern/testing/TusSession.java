package dev.postern.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source session seen the way a tus client sees it (issue 7, "Test hooks"): the session cookie,
 * the upload endpoint and the token read from the report page's {@code data-tus-endpoint} and
 * {@code data-tus-token}, and plain tus 1.0 requests (java.net.http sends a real PATCH). The one
 * place that knows how a test gets from a receipt to a session, so a change of the flow is one edit.
 */
public final class TusSession {
    public static final String COOKIE = "postern_source";
    public static final String TOKEN_HEADER = "Postern-Upload-Token";
    private static final Pattern ENDPOINT = Pattern.compile("data-tus-endpoint=\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("data-tus-token=\"([^\"]+)\"");

    /** Where the client connects (the server, or a relay in front of it), without a trailing slash. */
    public final String site;
    public final String cookie;
    public final String token;
    /** The endpoint as an absolute path, e.g. {@code /conversation/uploads}. */
    public final String endpoint;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private TusSession(String site, String cookie, String token, String endpoint) {
        this.site = site;
        this.cookie = cookie;
        this.token = token;
        this.endpoint = endpoint;
    }

    /**
     * Opens a new session of the report with its receipt (the return page, as a source coming back
     * does), then reads the hooks of the report page. {@code site} is where later tus requests go.
     */
    public static TusSession open(Http browser, String site, String receipt) throws Exception {
        Http.Page opened = browser.postForm("/return", "csrf", browser.get("/return").csrf(), "receipt", receipt);
        if (opened.status() != 303) {
            throw new AssertionError("the receipt opened no session: " + opened.status() + "\n" + opened.body());
        }
        return of(browser, site);
    }

    /** The session {@code browser} already holds, with the hooks of its report page. */
    public static TusSession of(Http browser, String site) throws Exception {
        Http.Page page = browser.get("/conversation");
        if (page.status() != 200) {
            throw new AssertionError("no report page: " + page.status() + "\n" + page.body());
        }
        String value = browser.cookies().get(COOKIE);
        if (value == null) {
            throw new AssertionError("no " + COOKIE + " cookie after opening the report");
        }
        Matcher endpoint = ENDPOINT.matcher(page.body());
        Matcher token = TOKEN.matcher(page.body());
        // Before the report page carries the hooks, the endpoint and the form token are the contract's.
        return new TusSession(site, COOKIE + "=" + value, token.find() ? token.group(1) : page.csrf(),
                endpoint.find() ? endpoint.group(1) : "/conversation/uploads");
    }

    /** The headers every tus request of this session carries (also what tus-java-client is given). */
    public Map<String, String> headers() {
        return Map.of("Cookie", cookie, TOKEN_HEADER, token);
    }

    public String endpointUrl() {
        return site + endpoint;
    }

    /** Creates an upload of {@code length} bytes named {@code fileName}; returns its absolute URL. */
    public String create(String fileName, long length) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(endpointUrl()).header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder()
                        .encodeToString(fileName.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 201) {
            throw new AssertionError("creation answered " + r.statusCode() + ": " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        return URI.create(endpointUrl()).resolve(location).toString();
    }

    public HttpResponse<String> head(String uploadUrl) throws IOException, InterruptedException {
        return send(request(uploadUrl).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    /** The server's offset of the upload; fails the test unless HEAD answers 200. */
    public long offset(String uploadUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = head(uploadUrl);
        if (r.statusCode() != 200) {
            throw new AssertionError("HEAD answered " + r.statusCode());
        }
        return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** One PATCH from {@code offset} with a chunked body read from {@code body}. */
    public HttpResponse<String> patch(String uploadUrl, long offset, InputStream body)
            throws IOException, InterruptedException {
        return send(request(uploadUrl).header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)));
    }

    /**
     * The bytes of the file named {@code fileName} of a report, as the desk downloads it
     * ({@code desk} is logged in). Fails the test when the report page does not list that name.
     */
    public static byte[] deskDownload(Http desk, String reportId, String fileName) throws Exception {
        String page = desk.get("/desk/reports/" + reportId).body();
        Matcher link = Pattern.compile("href=\"(/desk/reports/" + reportId + "/files/[0-9a-f]{32})\" class=\"download\">"
                + Pattern.quote(fileName) + "<").matcher(page);
        if (!link.find()) {
            throw new AssertionError("no file " + fileName + " on the desk's report page:\n" + page);
        }
        Http.Page file = desk.get(link.group(1));
        if (file.status() != 200) {
            throw new AssertionError("desk download answered " + file.status());
        }
        return file.raw().body();
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Tus-Resumable", "1.0.0").header("User-Agent", Http.USER_AGENT)
                .header("Cookie", cookie).header(TOKEN_HEADER, token);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
