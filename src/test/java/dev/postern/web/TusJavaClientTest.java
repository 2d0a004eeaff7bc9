package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.testing.CuttingRelay;
import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import dev.postern.testing.TusSession;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance with a real tus 1.0 client (issue 7, item 6): tus-java-client, which on the JDK sends
 * every PATCH as {@code POST} + {@code X-HTTP-Method-Override: PATCH} with a chunked body and
 * {@code Expect: 100-continue}, talks to Postern through a relay that cuts the connection in the
 * middle of a PATCH; a new client resumes from the server's offset (HEAD), and the desk downloads
 * exactly the file's bytes.
 */
class TusJavaClientTest {
    private static final String MARKER = "TusJavaClientReport-6c1e";
    private static final String NAME = "tus-java-client-evidence.bin";
    private static final int FILE_BYTES = 24 << 20;
    private static final int PAYLOAD_BYTES = 4 << 20;
    private static final int CHUNK_BYTES = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void aRealTusClientUploadsInSeveralPatchesResumesAfterACutAndTheDeskGetsTheSameBytes() throws Exception {
        Path file = dir.resolve("evidence.bin");
        randomFile(file, FILE_BYTES, 7);
        String expected = sha256(file);
        try (TestInstance instance = TestInstance.start(dir.resolve("data"));
                CuttingRelay relay = new CuttingRelay(URI.create(instance.baseUrl).getPort())) {
            Http browser = new Http(instance);
            String receipt = browser.submit("news", Map.of("what", MARKER), Map.of()).receipt();
            TusSession session = TusSession.open(browser, "http://127.0.0.1:" + relay.port(), receipt);

            TusURLMemoryStore urls = new TusURLMemoryStore();
            TusUpload upload = upload(file);
            // First client: the relay cuts inside the second PATCH (after 1.5 payloads upstream).
            relay.cutAfter(PAYLOAD_BYTES + PAYLOAD_BYTES / 2);
            TusUploader first = client(session, urls).resumeOrCreateUpload(upload);
            first.setChunkSize(CHUNK_BYTES);
            first.setRequestPayloadSize(PAYLOAD_BYTES);
            URL uploadUrl = first.getUploadURL();
            assertThat(uploadUrl.getPath()).startsWith(session.endpoint + "/");
            assertThatThrownBy(() -> {
                while (first.uploadChunk() > -1) {
                    assertThat(first.getOffset()).isLessThanOrEqualTo(FILE_BYTES);
                }
            }).as("the cut reaches the client").isInstanceOfAny(IOException.class, ProtocolException.class);
            assertThat(relay.cuts()).isEqualTo(1);

            // The server kept what arrived before the cut: at least the first whole PATCH, at most
            // what went through the relay.
            long afterCut = session.offset(uploadUrl.toString());
            assertThat(afterCut).isBetween((long) PAYLOAD_BYTES, relay.upstreamBytes());

            // A new client resumes from the server's offset (HEAD), the way a source coming back
            // does, and sends the rest in several PATCHes of 4 MiB.
            long resumedAt = -1;
            int retries = 0;
            while (true) {
                try {
                    TusUploader next = client(session, urls).resumeUpload(upload(file));
                    assertThat(next.getUploadURL()).isEqualTo(uploadUrl);
                    assertThat(next.getOffset()).isGreaterThanOrEqualTo(afterCut).isLessThan(FILE_BYTES);
                    if (resumedAt < 0) {
                        resumedAt = next.getOffset();
                    }
                    next.setChunkSize(CHUNK_BYTES);
                    next.setRequestPayloadSize(PAYLOAD_BYTES);
                    while (next.uploadChunk() > -1) {
                        assertThat(next.getOffset()).isLessThanOrEqualTo(FILE_BYTES);
                    }
                    next.finish();
                    assertThat(next.getOffset()).isEqualTo(FILE_BYTES);
                    break;
                } catch (ProtocolException e) {
                    // Real clients retry with back-off: the server may still be winding up the cut
                    // PATCH (409 while it holds the upload). Any other status is a failure.
                    assertThat(e.getCausingConnection()).as(e.getMessage()).isNotNull();
                    assertThat(e.getCausingConnection().getResponseCode()).as(e.getMessage()).isEqualTo(409);
                    assertThat(++retries).as("retries after the cut").isLessThan(20);
                    Thread.sleep(250); // the client's back-off, not a wait for the server's clock
                } catch (IOException e) {
                    // The same 409, answered before the client finished writing its body: the JDK
                    // reports the closed connection instead of the status. Also retried, as clients do.
                    System.out.println("TusJavaClientTest: resumed PATCH failed, retrying: " + e);
                    assertThat(++retries).as("retries after the cut").isLessThan(20);
                    Thread.sleep(250); // the client's back-off
                }
            }
            System.out.printf("TusJavaClientTest: cut at %d upstream, server kept %d, resumed at %d after %d retries%n",
                    PAYLOAD_BYTES + PAYLOAD_BYTES / 2, afterCut, resumedAt, retries);
            assertThat(FILE_BYTES - resumedAt).as("what the resumed client sent: several PATCHes")
                    .isGreaterThan(3L * PAYLOAD_BYTES);
            assertThat(session.offset(uploadUrl.toString())).isEqualTo(FILE_BYTES);
            long upstream = relay.upstreamBytes();
            assertThat(upstream).as("bytes through the relay: the file and what the cut made resend")
                    .isBetween((long) FILE_BYTES, (long) FILE_BYTES + 2L * PAYLOAD_BYTES + (1 << 20));

            Http desk = new Http(instance);
            desk.loginDesk(instance);
            String reportId = DeskRoutesTest.reportIdWith(desk, MARKER);
            byte[] stored = TusSession.deskDownload(desk, reportId, NAME);
            assertThat(stored).hasSize(FILE_BYTES);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                    .as("SHA-256 of the desk download").isEqualTo(expected);
            assertThat(browser.get("/conversation").body()).contains(NAME);
        }
    }

    private static TusClient client(TusSession session, TusURLMemoryStore urls) throws Exception {
        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create(session.endpointUrl()).toURL());
        client.setHeaders(session.headers());
        client.enableResuming(urls);
        return client;
    }

    private static TusUpload upload(Path file) throws IOException {
        TusUpload upload = new TusUpload(file.toFile());
        upload.setMetadata(Map.of("filename", NAME, "context", "report"));
        upload.setFingerprint("postern-test:" + NAME + ":" + FILE_BYTES);
        return upload;
    }

    static void randomFile(Path file, long bytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) != -1) {
                d.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
