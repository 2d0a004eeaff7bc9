package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.Postern;
import dev.postern.admin.NewRecipient;
import dev.postern.config.HttpLimits;
import dev.postern.config.PosternConfig;
import dev.postern.config.UploadLimits;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tus 1.0.0 endpoint over real HTTP (java.net.http sends real PATCH requests): the round trip
 * into the desk, and every row of the status table of decision 0004.
 */
class TusProtocolTest {
    /** Small limits, so 413s need no big files: 1 MB per file, 2.5 MB per report. */
    static final UploadLimits LIMITS = new UploadLimits(1_000_000, 2_500_000, 100);
    @TempDir
    static Path shared;
    static TestInstance instance;
    static MutableClock clock;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock();
        instance = TestInstance.start(PosternConfig.embedded(shared, 0).withLimits(LIMITS), clock);
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    @Test
    void optionsArePublicAndNameWhatIsOffered() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(instance.baseUrl + TusEndpoint.PATH)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(r.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(r.headers().firstValue("Tus-Extension")).hasValue("creation,termination,checksum,expiration");
        assertThat(r.headers().firstValue("Tus-Max-Size")).hasValue("1000000");
        assertThat(r.headers().firstValue("Tus-Checksum-Algorithm")).hasValue("sha1,sha256");
    }

    @Test
    void createHeadPatchInTwoPiecesThenTheDeskServesTheSameBytes() throws Exception {
        TusClient tus = TusClient.open(instance, "TusRoundTrip-1");
        byte[] file = random(300_000, 1);
        HttpResponse<String> created = tus.create(file.length, "evidence.bin");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Expires").orElseThrow()).matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:00:00 GMT");
        String path = created.headers().firstValue("Location").orElseThrow();
        assertThat(path).matches(TusEndpoint.PATH + "/[A-Za-z0-9_-]{43}");
        HttpResponse<String> head = tus.head(path);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(head.headers().firstValue("Upload-Length")).hasValue("300000");
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> first = tus.patch(path, 0, slice(file, 0, 100_000));
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(first.headers().firstValue("Upload-Offset")).hasValue("100000");
        assertThat(first.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(first.headers().firstValue("Upload-Expires")).isPresent();
        assertThat(tus.offset(path)).isEqualTo(100_000);

        HttpResponse<String> second = tus.patch(path, 100_000, slice(file, 100_000, file.length));
        assertThat(second.statusCode()).isEqualTo(204);
        assertThat(second.headers().firstValue("Upload-Offset")).hasValue("300000");
        assertThat(tus.offset(path)).isEqualTo(300_000);
        // Evidence now: a late DELETE cannot remove it.
        assertThat(tus.delete(path).statusCode()).isEqualTo(409);

        assertThat(deskDownload("TusRoundTrip-1")).isEqualTo(sha256(file));
    }

    @Test
    void chunkedAndOverriddenAndZeroBytePatches() throws Exception {
        TusClient tus = TusClient.open(instance, "TusChunked-2");
        byte[] file = random(200_000, 2);
        String path = tus.created(file.length, "chunked.bin");
        // Zero bytes at the right offset: accepted, nothing changes.
        HttpResponse<String> empty = tus.patch(path, 0, new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(204);
        assertThat(empty.headers().firstValue("Upload-Offset")).hasValue("0");
        // A chunked body (no Content-Length), as curl -T - and tus-java-client send.
        HttpResponse<String> chunked = tus.send(tus.patchRequest(path, 0).method("PATCH",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(slice(file, 0, 50_000))))
                .build());
        assertThat(chunked.statusCode()).isEqualTo(204);
        assertThat(tus.offset(path)).isEqualTo(50_000);
        // POST with X-HTTP-Method-Override: PATCH, as clients on the JDK's HttpURLConnection send.
        HttpResponse<String> overridden = tus.send(tus.patchRequest(path, 50_000)
                .header("X-HTTP-Method-Override", "PATCH")
                .POST(HttpRequest.BodyPublishers.ofByteArray(slice(file, 50_000, file.length))).build());
        assertThat(overridden.statusCode()).isEqualTo(204);
        assertThat(overridden.headers().firstValue("Upload-Offset")).hasValue("200000");
        assertThat(deskDownload("TusChunked-2")).isEqualTo(sha256(file));

        String other = tus.created(10, "deleted.bin");
        HttpResponse<String> deleted = tus.send(tus.request(other).header("X-HTTP-Method-Override", "DELETE")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(tus.head(other).statusCode()).isEqualTo(410);
    }

    @Test
    void versionSessionAndTokenAreCheckedFirst() throws Exception {
        TusClient tus = TusClient.open(instance, "TusAccess-3");
        String path = tus.created(100, "a.bin");
        HttpClient raw = HttpClient.newHttpClient();
        // 412: no Tus-Resumable, or another version; the answer names the version we speak.
        HttpResponse<String> noVersion = raw.send(HttpRequest.newBuilder(URI.create(instance.baseUrl + path))
                .header("Cookie", "postern_source=" + tus.cookie).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noVersion.statusCode()).isEqualTo(412);
        assertThat(noVersion.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(tus.send(tus.request(path).setHeader("Tus-Resumable", "0.2.2")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(412);
        // 401: no live session.
        HttpResponse<String> noSession = raw.send(HttpRequest.newBuilder(URI.create(instance.baseUrl + path))
                .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noSession.statusCode()).isEqualTo(401);
        // 403: the token missing or wrong on every write.
        assertThat(tus.send(tus.request(TusEndpoint.PATH).setHeader("Postern-Upload-Token", "wrong")
                .header("Upload-Length", "5").header("Upload-Metadata", "filename " + TusClient.b64("x"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(403);
        assertThat(tus.send(tus.patchRequest(path, 0).setHeader("Postern-Upload-Token", "")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build()).statusCode())
                .isEqualTo(403);
        assertThat(tus.send(tus.request(path).setHeader("Postern-Upload-Token", tus.token + "x").DELETE().build())
                .statusCode()).isEqualTo(403);
        assertThat(tus.offset(path)).isZero();
        // 403 too when another site's page made the browser send it.
        assertThat(tus.send(tus.request(path).header("Sec-Fetch-Site", "cross-site").DELETE().build())
                .statusCode()).isEqualTo(403);
        assertThat(tus.head(path).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownMalformedAndOtherReportsUploadsAreNotFound() throws Exception {
        TusClient owner = TusClient.open(instance, "TusOwner-4");
        TusClient stranger = TusClient.open(instance, "TusStranger-4");
        String path = owner.created(100, "mine.bin");
        assertThat(stranger.head(path).statusCode()).isEqualTo(404);
        assertThat(stranger.patch(path, 0, new byte[10]).statusCode()).isEqualTo(404);
        assertThat(stranger.delete(path).statusCode()).isEqualTo(404);
        assertThat(owner.head(TusEndpoint.PATH + "/" + "A".repeat(43)).statusCode()).isEqualTo(404);
        assertThat(owner.head(TusEndpoint.PATH + "/not-an-id").statusCode()).isEqualTo(404);
        assertThat(owner.head(TusEndpoint.PATH + "/..%2F..%2Fetc").statusCode()).isEqualTo(404);
        // Any live session of the same report may go on with it (a return visit with the receipt).
        TusClient again = TusClient.withReceipt(instance, owner.receipt);
        assertThat(again.patch(path, 0, new byte[40]).statusCode()).isEqualTo(204);
        assertThat(owner.offset(path)).isEqualTo(40);
    }

    @Test
    void creationRefusesMalformedHeadersWith400() throws Exception {
        TusClient tus = TusClient.open(instance, "TusCreation-5");
        assertThat(create(tus, null, "filename " + TusClient.b64("a.bin")).statusCode()).isEqualTo(400);
        assertThat(create(tus, "-1", "filename " + TusClient.b64("a.bin")).statusCode()).isEqualTo(400);
        assertThat(create(tus, "ten", "filename " + TusClient.b64("a.bin")).statusCode()).isEqualTo(400);
        // Well-formed but beyond a long: the protocol's "larger than Tus-Max-Size".
        assertThat(create(tus, "99999999999999999999999", "filename " + TusClient.b64("a.bin")).statusCode())
                .isEqualTo(413);
        assertThat(tus.send(tus.request(TusEndpoint.PATH).header("Upload-Defer-Length", "1")
                .header("Upload-Metadata", "filename " + TusClient.b64("a.bin"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", "filename %%%notbase64").statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", "context " + TusClient.b64("report")).statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", null).statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", "filename " + TusClient.b64("../etc/passwd")).statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", "filename " + TusClient.b64("a\u0000b")).statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", "filename " + TusClient.b64("a.bin") + ",context " + TusClient.b64("desk"))
                .statusCode()).isEqualTo(400);
        assertThat(create(tus, "10", "filename " + TusClient.b64("a.bin") + ",filename " + TusClient.b64("b"))
                .statusCode()).isEqualTo(400);
        HttpResponse<String> fine = create(tus, "10", "filename " + TusClient.b64("a.bin") + ",context "
                + TusClient.b64("message") + ",flag");
        assertThat(fine.statusCode()).isEqualTo(201);
        assertThat(fine.body()).doesNotContain("<html");
    }

    @Test
    void limitsAtCreationAndOnPatchAre413() throws Exception {
        TusClient tus = TusClient.open(instance, "TusLimits-6");
        // Per file (Tus-Max-Size).
        assertThat(tus.create(LIMITS.fileBytes() + 1, "big.bin").statusCode()).isEqualTo(413);
        // Per report: two open uploads of 1 MB leave 0.5 MB, counted at their declared length.
        String a = tus.created(1_000_000, "a.bin");
        tus.created(1_000_000, "b.bin");
        assertThat(tus.create(600_000, "c.bin").statusCode()).isEqualTo(413);
        assertThat(tus.create(500_000, "c.bin").statusCode()).isEqualTo(201);
        // Past the upload's length: declared, then chunked; nothing of either is kept.
        HttpResponse<String> ten = tus.patch(a, 0, slice(random(10, 3), 0, 10));
        assertThat(ten.statusCode()).as(ten.body()).isEqualTo(204);
        assertThat(tus.patch(a, 10, new byte[1_000_000]).statusCode()).isEqualTo(413);
        assertThat(tus.offset(a)).isEqualTo(10);
        HttpResponse<String> chunked = tus.send(tus.patchRequest(a, 10).method("PATCH",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1_000_000])))
                .build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(tus.offset(a)).isEqualTo(10);

        // More than uploads.open-per-report (16) open uploads of one report.
        TusClient many = TusClient.open(instance, "TusOpenUploads-6");
        for (int i = 0; i < 16; i++) {
            assertThat(many.create(1, "f" + i).statusCode()).isEqualTo(201);
        }
        assertThat(many.create(1, "f16").statusCode()).isEqualTo(413);
    }

    @Test
    void patchHeadersAreChecked() throws Exception {
        TusClient tus = TusClient.open(instance, "TusPatch-7");
        String path = tus.created(1000, "p.bin");
        // 415: not application/offset+octet-stream.
        assertThat(tus.send(tus.request(path).header("Upload-Offset", "0").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build()).statusCode())
                .isEqualTo(415);
        assertThat(tus.send(tus.request(path).header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build()).statusCode())
                .isEqualTo(415);
        // 400: the offset missing or not a non-negative integer.
        assertThat(tus.send(tus.request(path).header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build()).statusCode())
                .isEqualTo(400);
        assertThat(tus.send(tus.request(path).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "-5").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build()).statusCode()).isEqualTo(400);
        // 409: an offset that is not the upload's.
        assertThat(tus.patch(path, 5, new byte[10]).statusCode()).isEqualTo(409);
        assertThat(tus.patch(path, 0, new byte[100]).statusCode()).isEqualTo(204);
        assertThat(tus.patch(path, 0, new byte[100]).statusCode()).isEqualTo(409);
        assertThat(tus.patch(path, 200, new byte[100]).statusCode()).isEqualTo(409);
        assertThat(tus.offset(path)).isEqualTo(100);
    }

    @Test
    void checksumsAreVerifiedBeforeAnythingIsKept() throws Exception {
        TusClient tus = TusClient.open(instance, "TusChecksum-8");
        byte[] file = random(120_000, 8);
        String path = tus.created(file.length, "sum.bin");
        byte[] part = slice(file, 0, 70_000);
        // 460: the digest does not match; the offset does not move.
        HttpResponse<String> wrong = tus.send(tus.patchRequest(path, 0)
                .header("Upload-Checksum", "sha256 " + b64(digest("SHA-256", slice(file, 1, 70_001))))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build());
        assertThat(wrong.statusCode()).isEqualTo(460);
        assertThat(tus.offset(path)).isZero();
        // 400: an algorithm not offered, or a digest of the wrong length.
        assertThat(tus.send(tus.patchRequest(path, 0).header("Upload-Checksum", "md5 " + b64(new byte[16]))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build()).statusCode()).isEqualTo(400);
        assertThat(tus.send(tus.patchRequest(path, 0).header("Upload-Checksum", "sha1 " + b64(new byte[32]))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build()).statusCode()).isEqualTo(400);
        assertThat(tus.send(tus.patchRequest(path, 0).header("Upload-Checksum", "sha1 ***")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build()).statusCode()).isEqualTo(400);
        assertThat(tus.offset(path)).isZero();
        // Matching digests (SHA-256, then SHA-1) are kept.
        assertThat(tus.send(tus.patchRequest(path, 0).header("Upload-Checksum", "sha256 " + b64(digest("SHA-256", part)))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build()).statusCode()).isEqualTo(204);
        byte[] rest = slice(file, 70_000, file.length);
        assertThat(tus.send(tus.patchRequest(path, 70_000).header("Upload-Checksum", "sha1 " + b64(digest("SHA-1", rest)))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(rest)).build()).statusCode()).isEqualTo(204);
        assertThat(deskDownload("TusChecksum-8")).isEqualTo(sha256(file));
    }

    @Test
    void terminatedUploadsAreGoneAndTheirPiecesDeleted() throws Exception {
        TusClient tus = TusClient.open(instance, "TusDelete-9");
        String path = tus.created(1000, "d.bin");
        assertThat(tus.patch(path, 0, new byte[300]).statusCode()).isEqualTo(204);
        String id = path.substring(path.lastIndexOf('/') + 1);
        assertThat(Files.list(shared.resolve("pieces").resolve(id)).count()).isEqualTo(1);
        assertThat(tus.delete(path).statusCode()).isEqualTo(204);
        assertThat(Files.exists(shared.resolve("pieces").resolve(id))).isFalse();
        assertThat(tus.head(path).statusCode()).isEqualTo(410);
        assertThat(tus.patch(path, 300, new byte[10]).statusCode()).isEqualTo(410);
        assertThat(tus.delete(path).statusCode()).isEqualTo(410);
    }

    @Test
    void aSecondPatchIsRefusedWhileOneStreamsAndAStalledOneIsPreempted() throws Exception {
        TusClient tus = TusClient.open(instance, "TusConcurrent-10");
        String path = tus.created(200_000, "c.bin");
        // The first PATCH sends 100,000 bytes of a chunked body, then stalls (a half-open Tor circuit).
        // Enough bytes that the rate floor (1 KiB/s on average) leaves it alone for this test.
        long kept;
        try (Socket first = tus.rawPatch(path, 0)) {
            OutputStream out = first.getOutputStream();
            chunk(out, new byte[100_000]);
            // The server opens the first piece when the first bytes arrive: it holds the upload.
            awaitFile(piecesOf(path).resolve("0.part"));
            // While the first holds the upload and is not stalled: 409 at once.
            assertThat(tus.patch(path, 0, new byte[0]).statusCode()).isEqualTo(409);
            assertThat(tus.patch(path, 0, new byte[10]).statusCode()).isEqualTo(409);
            // Ten seconds without a byte (on the server's clock): the next request cuts the holder,
            // whose bytes are kept (as many as it had read), and goes on.
            clock.advance(UploadLocks.STALL.plusSeconds(1));
            kept = tus.offset(path);
            assertThat(kept).isPositive().isLessThanOrEqualTo(100_000);
            assertThat(RawClients.closedByServer(first, 5_000)).isTrue();
        }
        assertThat(tus.patch(path, kept, new byte[200_000 - (int) kept]).statusCode()).isEqualTo(204);
        assertThat(tus.offset(path)).isEqualTo(200_000);
    }

    @Test
    void aLongPatchIsCheckpointedSoACrashLosesLittle() throws Exception {
        TusClient tus = TusClient.open(instance, "TusCheckpoint-11");
        String path = tus.created(100_000, "long.bin");
        String id = path.substring(path.lastIndexOf('/') + 1);
        Path pieces = shared.resolve("pieces").resolve(id);
        try (Socket patch = tus.rawPatch(path, 0)) {
            OutputStream out = patch.getOutputStream();
            chunk(out, new byte[40_000]);
            // The server opens the first piece when the first bytes arrive.
            awaitFile(pieces.resolve("0.part"));
            assertThat(tus.offset(path)).as("one piece within the checkpoint interval").isZero();
            clock.advance(Duration.ofSeconds(31));
            chunk(out, new byte[30_000]);
            // The next bytes read close the piece: sealed (renamed from .part) and recorded while
            // the PATCH goes on, so a crash now would keep them. (No HEAD before that: after the
            // clock's jump, a holder that has not read yet would look stalled and be cut.)
            awaitFile(pieces.resolve("0"));
            // The piece is renamed into place first, then recorded: the offset follows a moment later.
            long offset = awaitRecorded(tus, path);
            assertThat(offset).isPositive().isLessThanOrEqualTo(70_000);
            chunk(out, new byte[30_000]);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            patch.setSoTimeout(30_000);
            String answer = new String(patch.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 204");
        }
        assertThat(tus.offset(path)).isEqualTo(100_000);
        assertThat(deskDownload("TusCheckpoint-11")).isEqualTo(sha256(new byte[100_000]));
        assertThat(Files.exists(pieces)).as("pieces deleted once finished").isFalse();
    }

    @Test
    void aLongPatchKeepsItsSessionAliveSoTheRetryAfterACutStillFindsIt() throws Exception {
        // An hour-long PATCH (a video over Tor) outlasts the 30-minute idle timeout of the session
        // that sent it; the session is touched while bytes arrive, so HEAD and the retry still work.
        TusClient tus = TusClient.open(instance, "TusKeepAlive-12");
        String path = tus.created(90_000, "long.mp4");
        Path pieces = piecesOf(path);
        try (Socket patch = tus.rawPatch(path, 0)) {
            OutputStream out = patch.getOutputStream();
            chunk(out, new byte[30_000]);
            awaitFile(pieces.resolve("0.part"));
            clock.advance(Duration.ofMinutes(20));
            chunk(out, new byte[30_000]);
            // Read after the clock moved: the checkpoint seals piece 0, and the session is touched.
            awaitFile(pieces.resolve("0"));
            clock.advance(Duration.ofMinutes(20));
            chunk(out, new byte[30_000]);
            // Read at minute 40 (a new piece holds it); the session was last touched at minute 20. The
            // piece may already be sealed by the checkpoint (40 minutes on the clock) when we look.
            awaitFile(pieces.resolve("1.part"), pieces.resolve("1"));
            // Forty minutes after the PATCH began, with the 30-minute idle timeout long passed.
            assertThat(tus.head(path).statusCode()).as("the session outlived its idle timeout").isEqualTo(200);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            patch.setSoTimeout(30_000);
            String answer = new String(patch.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 204");
        }
        assertThat(tus.offset(path)).isEqualTo(90_000);
    }

    /** The pieces folder of an upload of the shared instance. */
    private static Path piecesOf(String path) {
        return shared.resolve("pieces").resolve(path.substring(path.lastIndexOf('/') + 1));
    }

    private static Path piecesOf(TestInstance instance, String path) {
        return instance.postern.config().dataDir().resolve("pieces").resolve(path.substring(path.lastIndexOf('/') + 1));
    }

    /** Waits (briefly) for a sealed piece to be recorded: the offset HEAD reports moves past 0. */
    private static long awaitRecorded(TusClient tus, String path) throws Exception {
        long offset = tus.offset(path);
        for (int i = 0; i < 1000 && offset == 0; i++) {
            Thread.sleep(10);
            offset = tus.offset(path);
        }
        return offset;
    }

    /** Waits (briefly) for the server to create a file. */
    /** Waits (briefly) for the server to write one of {@code files}: polling its disk, not the clock. */
    private static void awaitFile(Path... files) throws InterruptedException {
        for (int i = 0; i < 1000 && Stream.of(files).noneMatch(Files::exists); i++) {
            Thread.sleep(10);
        }
        assertThat(Stream.of(files).anyMatch(Files::exists)).as("one of %s exists", List.of(files)).isTrue();
    }

    private static void chunk(OutputStream out, byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void expiredUploadsAreGoneAfterTheirHour() throws Exception {
        MutableClock own = new MutableClock();
        try (TestInstance expiring = TestInstance.start(PosternConfig.embedded(dir, 0).withLimits(LIMITS), own)) {
            TusClient tus = TusClient.open(expiring, "TusExpiry-12");
            String swept = tus.created(1000, "swept.bin");
            String looked = tus.created(1000, "looked.bin");
            assertThat(tus.patch(swept, 0, new byte[100]).statusCode()).isEqualTo(204);
            assertThat(tus.patch(looked, 0, new byte[100]).statusCode()).isEqualTo(204);
            String sweptId = swept.substring(swept.lastIndexOf('/') + 1);
            assertThat(Files.exists(dir.resolve("pieces").resolve(sweptId))).isTrue();
            own.advance(Duration.ofHours(24));
            // Within the expiry (next hour + 24 h) it stays.
            expiring.postern.resumableUploads().sweep();
            assertThat(Files.exists(dir.resolve("pieces").resolve(sweptId))).isTrue();
            own.advance(Duration.ofHours(2));
            assertThat(expiring.postern.resumableUploads().sweep()).isEqualTo(2);
            assertThat(Files.exists(dir.resolve("pieces").resolve(sweptId))).isFalse();
            // The source's session ended long ago (4 h lifetime): a new one with the receipt.
            TusClient back = TusClient.withReceipt(expiring, tus.receipt);
            assertThat(back.head(swept).statusCode()).isEqualTo(410);
            assertThat(back.patch(looked, 100, new byte[10]).statusCode()).isEqualTo(410);
            // Tombstones go a day later: then the URL is simply unknown.
            own.advance(Duration.ofHours(26));
            expiring.postern.resumableUploads().sweep();
            TusClient later = TusClient.withReceipt(expiring, tus.receipt);
            assertThat(later.head(swept).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theDiskFloorIs507AtCreationAndWhilePatching() throws Exception {
        AtomicLong free = new AtomicLong(Long.MAX_VALUE / 2);
        Postern postern = Postern.open(PosternConfig.embedded(dir, 0).withLimits(LIMITS), new MutableClock());
        try {
            postern.admin().addOrganization("news", "The Daily Test", "We publish what matters.");
            NewRecipient recipient = postern.admin().addRecipient("news", "editor", "correct horse battery staple");
            assertThat(recipient).isNotNull();
            postern.freeSpaceFrom(free::get).serve();
            TusClient tus = TusClient.open(postern.baseUrl(), postern.deskUrl(), "TusDisk-13");
            String path = tus.created(1000, "disk.bin");
            free.set(UploadLimits.DEFAULT_DISK_FLOOR + 500);
            assertThat(tus.create(1000, "more.bin").statusCode()).isEqualTo(507);
            assertThat(tus.patch(path, 0, new byte[100]).statusCode()).isEqualTo(507);
            assertThat(tus.offset(path)).isZero();
            free.set(Long.MAX_VALUE / 2);
            assertThat(tus.patch(path, 0, new byte[100]).statusCode()).isEqualTo(204);
        } finally {
            postern.close();
        }
    }

    @Test
    void nothingReadableAtRestWhileReceivingOrAfterFinishing() throws Exception {
        String nameMarker = "tus-at-rest-name-4c1d.txt";
        byte[] pattern = "TUS-PATTERN-at-rest-9a8b7c;".getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[pattern.length * 8000];
        for (int i = 0; i < file.length; i++) {
            file[i] = pattern[i % pattern.length];
        }
        long started = System.currentTimeMillis() - 1000;
        try (TestInstance own = TestInstance.start(PosternConfig.embedded(dir, 0).withLimits(LIMITS), new MutableClock())) {
            TusClient tus = TusClient.open(own, "TusAtRest-14");
            // One upload left unfinished in two pieces, one finished from two pieces.
            String open = tus.created(file.length, nameMarker);
            assertThat(tus.patch(open, 0, slice(file, 0, 60_000)).statusCode()).isEqualTo(204);
            assertThat(tus.patch(open, 60_000, slice(file, 60_000, 120_000)).statusCode()).isEqualTo(204);
            String done = tus.created(file.length, nameMarker);
            assertThat(tus.patch(done, 0, slice(file, 0, 100_000)).statusCode()).isEqualTo(204);
            assertThat(tus.patch(done, 100_000, slice(file, 100_000, file.length)).statusCode()).isEqualTo(204);
            String unfinishedId = open.substring(open.lastIndexOf('/') + 1);
            try (Stream<Path> left = Files.list(dir.resolve("pieces").resolve(unfinishedId))) {
                assertThat(left.count()).isEqualTo(2);
            }
        }
        List<String> cells = AtRestScanTest.allCells(
                "jdbc:h2:file:" + dir.resolve("db").resolve("postern").toAbsolutePath());
        assertThat(cells).as("table cells").hasSizeGreaterThan(20);
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        for (String needle : List.of(nameMarker, new String(pattern, StandardCharsets.ISO_8859_1), "127.0.0.1")) {
            assertThat(cells).as("a table cell holding %s", needle).noneMatch(c -> c.contains(needle));
            assertThat(files).as("a file holding %s", needle).noneMatch(c -> c.contains(needle));
        }
        // The temp directory is shared with other tests: only this test's own markers.
        List<String> scratch = AtRestScanTest.filesWrittenSince(Path.of(System.getProperty("java.io.tmpdir")), started);
        for (String needle : List.of(nameMarker, new String(pattern, StandardCharsets.ISO_8859_1))) {
            assertThat(scratch).as("a temp file holding %s", needle).noneMatch(c -> c.contains(needle));
        }
    }

    @Test
    void patchesTakeTheUploadSlotsFormUploadsUse() throws Exception {
        // Two requests at once, so one upload slot.
        PosternConfig config = PosternConfig.embedded(dir, 0).withLimits(LIMITS)
                .withHttp(new HttpLimits(2000, 60, 1024, 2));
        try (TestInstance own = TestInstance.start(config, new MutableClock())) {
            TusClient tus = TusClient.open(own, "TusSlots-15");
            String a = tus.created(200_000, "a.bin");
            String b = tus.created(1000, "b.bin");
            int status;
            try (Socket holder = tus.rawPatch(a, 0)) {
                // Enough bytes that the rate floor leaves the stalled holder alone for this test.
                chunk(holder.getOutputStream(), new byte[100_000]);
                awaitFile(piecesOf(own, a).resolve("0.part"));
                HttpResponse<String> busy = tus.patch(b, 0, new byte[10]);
                status = busy.statusCode();
                assertThat(status).as("busy while the slot is held").isEqualTo(503);
                assertThat(busy.headers().firstValue("Retry-After")).hasValue(TusEndpoint.BUSY_RETRY_SECONDS);
                assertThat(tus.offset(b)).isZero();
            }
            status = 0;
            for (int i = 0; i < 300 && status != 204; i++) {
                status = tus.patch(b, 0, new byte[10]).statusCode();
                if (status != 204) {
                    Thread.sleep(10); // until the server notices the holder is gone
                }
            }
            assertThat(status).isEqualTo(204);
        }
    }

    private static HttpResponse<String> create(TusClient tus, String length, String metadata) throws Exception {
        HttpRequest.Builder b = tus.request(TusEndpoint.PATH);
        if (length != null) {
            b.header("Upload-Length", length);
        }
        if (metadata != null) {
            b.header("Upload-Metadata", metadata);
        }
        return tus.send(b.POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The SHA-256 of the one file of the report whose headline is {@code what}, downloaded from the desk. */
    static String deskDownload(String what) throws Exception {
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String id = DeskRoutesTest.reportIdWith(desk, what);
        String report = desk.get("/desk/reports/" + id).body();
        Matcher m = Pattern.compile("href=\"/desk/reports/" + id + "/files/([0-9a-f]{32})\"").matcher(report);
        assertThat(m.find()).as("a file link on the report page").isTrue();
        Http.Page whole = desk.get("/desk/reports/" + id + "/files/" + m.group(1));
        assertThat(whole.status()).isEqualTo(200);
        return sha256(whole.raw().body());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(digest("SHA-256", b));
    }

    static byte[] digest(String algorithm, byte[] b) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(b);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
