package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tus 1.0.0 endpoint over real HTTP (java.net.http sends real PATCH requests). */
class TusProtocolTest {
    @TempDir
    Path dir;
    TestInstance instance;

    @BeforeEach
    void start() throws Exception {
        instance = TestInstance.start(dir);
    }

    @AfterEach
    void stop() {
        instance.close();
    }

    @Test
    void createHeadPatchInTwoPiecesThenTheDeskServesTheSameBytes() throws Exception {
        TusClient tus = TusClient.open(instance, "TusRoundTrip-1");
        byte[] file = random(300_000, 1);
        String path = tus.created(file.length, "evidence.bin");
        assertThat(path).matches(TusEndpoint.PATH + "/[A-Za-z0-9_-]{43}");
        assertThat(tus.offset(path)).isZero();

        HttpResponse<String> first = tus.patch(path, 0, slice(file, 0, 100_000));
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(first.headers().firstValue("Upload-Offset")).hasValue("100000");
        assertThat(first.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(first.headers().firstValue("Upload-Expires")).isPresent();
        assertThat(tus.offset(path)).isEqualTo(100_000);

        HttpResponse<String> second = tus.patch(path, 100_000, slice(file, 100_000, file.length));
        assertThat(second.statusCode()).isEqualTo(204);
        assertThat(second.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(file.length));
        HttpResponse<String> head = tus.head(path);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(file.length));

        assertThat(deskDownload("TusRoundTrip-1")).isEqualTo(sha256(file));
    }

    /** The SHA-256 of the one file of the report whose headline is {@code what}, downloaded from the desk. */
    String deskDownload(String what) throws Exception {
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
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
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
