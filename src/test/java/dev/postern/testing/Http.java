package dev.postern.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.postern.vault.Totp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP client for tests, with its own cookie jar (like one browser), multipart and
 * urlencoded form posts, and the form-token scraping a browser does implicitly.
 */
public final class Http {
    public static final String USER_AGENT = "PosternTestAgent/7.3 (marker-ua-5e1f)";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern NONCE = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"");
    /** A report's row in the desk list; links to its files go on past the id, so they do not match. */
    private static final Pattern DESK_REPORT_ROW = Pattern.compile("href=\"/desk/reports/[0-9a-f]{32}\">");
    private final HttpClient client;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final String baseUrl;
    private final String deskUrl;

    /** A client of one listener: every path goes to {@code baseUrl}. */
    public Http(String baseUrl) {
        this(baseUrl, baseUrl);
    }

    /** A browser of a test instance: desk paths go to the desk listener, the rest to the source site. */
    public Http(TestInstance instance) {
        this(instance.baseUrl, instance.deskUrl);
    }

    public Http(String baseUrl, String deskUrl) {
        this.baseUrl = baseUrl;
        this.deskUrl = deskUrl;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client whose connections come from {@code localAddress} (another loopback address, say). */
    public Http(String baseUrl, String deskUrl, java.net.InetAddress localAddress) {
        this.baseUrl = baseUrl;
        this.deskUrl = deskUrl;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).localAddress(localAddress)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A response with its body as text. */
    public record Page(int status, String body, HttpResponse<byte[]> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String csrf() {
            Matcher m = CSRF.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no form token on page:\n" + body);
            }
            return m.group(1);
        }

        /** The follow-up form's one-time nonce. */
        public String nonce() {
            Matcher m = NONCE.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no form nonce on page:\n" + body);
            }
            return m.group(1);
        }

        public String receipt() {
            Matcher m = Pattern.compile("id=\"receipt\">([0-9 ]+)<").matcher(body);
            if (!m.find()) {
                throw new AssertionError("no receipt on page:\n" + body);
            }
            return m.group(1);
        }
    }

    public Page get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public Page postForm(String path, String... fields) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return postRaw(path, "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    public Page postRaw(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A multipart/form-data body built part by part, in order. */
    public static final class Multipart {
        public final String boundary = "----posternTestBoundary7MA4YWxkTrZu0gW";
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<String> order = new ArrayList<>();

        public Multipart field(String name, String value) {
            return fieldBytes(name, value.getBytes(StandardCharsets.UTF_8));
        }

        public Multipart fieldBytes(String name, byte[] value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
            out.writeBytes(value);
            write("\r\n");
            order.add(name);
            return this;
        }

        public Multipart file(String field, String fileName, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        public byte[] build() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    public Page postMultipart(String path, Multipart form) throws IOException, InterruptedException {
        return postRaw(path, form.contentType(), form.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
                        (path.startsWith("/desk") ? deskUrl : baseUrl) + path)).timeout(Duration.ofSeconds(60))
                .header("User-Agent", USER_AGENT);
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() > 0 ? "; " : "").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        return b;
    }

    private Page send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (value.isEmpty() || set.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return new Page(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r);
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    /** Logs the test instance's recipient in to the desk. */
    public Page loginDesk(TestInstance instance) throws Exception {
        Page form = get("/desk/login");
        return postForm("/desk/login", "csrf", form.csrf(), "username", instance.recipient.username(),
                "password", instance.recipient.password(), "totp", instance.freshTotp());
    }

    /**
     * Logs a colleague in to the desk with a code from their TOTP secret, of a step nobody used yet:
     * the instance's {@link MutableClock} moves on one step first.
     */
    public Page loginDesk(TestInstance instance, String username, String password, String totpSecret)
            throws Exception {
        ((MutableClock) instance.clock).advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String code = Totp.code(Totp.fromBase32(totpSecret),
                Totp.step(instance.clock.instant()));
        return postForm("/desk/login", "csrf", get("/desk/login").csrf(), "username", username,
                "password", password, "totp", code);
    }

    /** How many reports the desk list shows this (logged in) client. */
    public int reportsInDesk() throws IOException, InterruptedException {
        Matcher m = DESK_REPORT_ROW.matcher(get("/desk").body());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Submits a report with the given fields and files and returns the receipt page: the answer to
     * the POST is a redirect (with the receipt slot's cookie), followed like a browser does. Any
     * other answer (a refusal page) is returned as it is.
     */
    public Page submit(String org, Map<String, String> fields, Map<String, byte[]> files) throws Exception {
        Page form = get("/o/" + org);
        Multipart m = new Multipart().field("csrf", form.csrf());
        fields.forEach(m::field);
        files.forEach((name, content) -> m.file("files", name, content));
        return followRedirect(postMultipart("/o/" + org + "/submit", m));
    }

    /** Follows a 303 answer with a GET of its Location (a browser after a form POST). */
    public Page followRedirect(Page page) throws IOException, InterruptedException {
        String location = page.header("Location");
        if (page.status() != 303 || location == null) {
            return page;
        }
        URI target = URI.create(location);
        return get(target.isAbsolute() ? target.getRawPath()
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) : location);
    }
}
