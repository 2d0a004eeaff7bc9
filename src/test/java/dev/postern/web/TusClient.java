package dev.postern.web;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A source session and raw tus requests for tests. The flow-specific part (how a source gets a
 * session: submit a report, then open it with the receipt on the return page) is in
 * {@link #open} alone, so it can follow the receipt-first flow when that lands.
 */
final class TusClient {
    final String baseUrl;
    final String deskUrl;
    final Http browser;
    final String receipt;
    final String cookie;
    final String token;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private TusClient(String baseUrl, String deskUrl, Http browser, String receipt, String cookie, String token) {
        this.baseUrl = baseUrl;
        this.deskUrl = deskUrl;
        this.browser = browser;
        this.receipt = receipt;
        this.cookie = cookie;
        this.token = token;
    }

    /** A new report with {@code what} as its text, and a source session of it. */
    static TusClient open(TestInstance instance, String what) throws Exception {
        return open(instance.baseUrl, instance.deskUrl, what);
    }

    static TusClient open(String baseUrl, String deskUrl, String what) throws Exception {
        Http source = new Http(baseUrl, deskUrl);
        String receipt = source.submit("news", Map.of("what", what), Map.of()).receipt();
        return withReceipt(baseUrl, deskUrl, receipt);
    }

    /** Another session of the report {@code receipt} opens (a return visit). */
    static TusClient withReceipt(TestInstance instance, String receipt) throws Exception {
        return withReceipt(instance.baseUrl, instance.deskUrl, receipt);
    }

    static TusClient withReceipt(String baseUrl, String deskUrl, String receipt) throws Exception {
        Http source = new Http(baseUrl, deskUrl);
        source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);
        String cookie = source.cookies().get("postern_source");
        if (cookie == null) {
            throw new AssertionError("no source session after the receipt");
        }
        String token = source.get("/conversation").csrf();
        return new TusClient(baseUrl, deskUrl, source, receipt, cookie, token);
    }

    /** A request to the source site with the session cookie, tus version and token. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Cookie", "postern_source=" + cookie)
                .header("Tus-Resumable", "1.0.0")
                .header("Postern-Upload-Token", token);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Creates an upload; returns the response (201 with a Location when it worked). */
    HttpResponse<String> create(long length, String fileName) throws Exception {
        return send(request(TusEndpoint.PATH).header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + b64(fileName))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Creates an upload and returns its path. */
    String created(long length, String fileName) throws Exception {
        HttpResponse<String> r = create(length, fileName);
        if (r.statusCode() != 201) {
            throw new AssertionError("creation answered " + r.statusCode() + ": " + r.body());
        }
        return r.headers().firstValue("Location").orElseThrow();
    }

    HttpResponse<String> head(String path) throws Exception {
        return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    long offset(String path) throws Exception {
        HttpResponse<String> r = head(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("HEAD answered " + r.statusCode());
        }
        return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
    }

    HttpResponse<String> patch(String path, long offset, byte[] bytes) throws Exception {
        return send(patchRequest(path, offset).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    HttpRequest.Builder patchRequest(String path, long offset) {
        return request(path).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset));
    }

    /**
     * A PATCH on a raw socket, headers sent and the chunked body left to the caller (a client that
     * stalls or is cut mid-body).
     */
    Socket rawPatch(String path, long offset) throws IOException {
        URI base = URI.create(baseUrl);
        Socket s = new Socket(base.getHost(), base.getPort());
        s.getOutputStream().write(("PATCH " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nCookie: postern_source=" + cookie + "\r\nTus-Resumable: 1.0.0\r\nPostern-Upload-Token: " + token
                + "\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: " + offset
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send(request(path).DELETE().build());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
