package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.config.UploadLimits;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets a clear 4xx page in the page's language, never a 500, and loses
 * nothing accepted before. Limits are small here so oversize uploads are cheap.
 */
class BadInputTest {
    private static final int FILE_LIMIT = 64 * 1024;
    @TempDir
    static Path dir;
    static TestInstance instance;
    static MutableClock clock = new MutableClock();
    static String firstReceipt;

    @BeforeAll
    static void start() throws Exception {
        PosternConfig config = PosternConfig.embedded(dir, 0).withLimits(new UploadLimits(FILE_LIMIT, 3 * FILE_LIMIT, 4));
        instance = TestInstance.start(config, clock);
        firstReceipt = new Http(instance).submit("news", Map.of("what", "accepted before everything"),
                Map.of("kept.txt", "kept".getBytes(StandardCharsets.UTF_8))).receipt();
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    /** After each refusal: the earlier report still opens whole, and nothing half-made is visible. */
    private static void nothingLostAndNothingHalfStored() throws Exception {
        // One receipt gets a few checks a minute (ReceiptTagThrottle): this helper runs after every case.
        clock.advance(Duration.ofSeconds(61));
        Http source = new Http(instance);
        Http.Page opened = source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", firstReceipt);
        assertThat(opened.status()).isEqualTo(303);
        assertThat(source.get("/conversation").body()).contains("accepted before everything", "kept.txt");
        try (Stream<Path> incoming = Files.list(dir.resolve("incoming"))) {
            assertThat(incoming).as("unfinished uploads are removed").isEmpty();
        }
    }

    private static Http.Multipart form(Http http) throws Exception {
        return new Http.Multipart().field("csrf", http.get("/o/news").csrf());
    }

    /** Receipt first: a blank start form gets a receipt; the report page then asks for the answers. */
    @Test
    void blankReportGetsAReceiptAndTheAnswersFormAndBlankAnswersAreRefused() throws Exception {
        Http http = new Http(instance);
        Http.Page p = http.followRedirect(http.postMultipart("/o/news/submit?lang=ru",
                form(http).field("what", " ").field("details", "")));
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.body()).contains("id=\"receipt\"");
        Http.Page page = http.get("/conversation?lang=ru");
        assertThat(page.body()).contains("id=\"answers-form\"");
        Http.Page blank = http.postForm("/conversation/answers?lang=ru", "csrf", page.csrf(), "what", "  ",
                "when", "", "where", "", "details", "");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body()).contains("Обращение пустое", "id=\"answers-form\"");
        nothingLostAndNothingHalfStored();
    }

    @Test
    void oversizeFileIsRefusedAndTheTypedTextIsKept() throws Exception {
        Http http = new Http(instance);
        Http.Page p = http.postMultipart("/o/news/submit", form(http).field("what", "my long story")
                .file("files", "big.bin", new byte[FILE_LIMIT + 1]));
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.body()).contains("larger than the limit for one file", "value=\"my long story\"");
        nothingLostAndNothingHalfStored();
    }

    @Test
    void oversizeReportIsRefused() throws Exception {
        Http http = new Http(instance);
        Http.Multipart m = form(http).field("what", "many files");
        for (int i = 0; i < 4; i++) {
            m.file("files", "part" + i + ".bin", new byte[FILE_LIMIT]);
        }
        Http.Page p = http.postMultipart("/o/news/submit?lang=uk", m);
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.body()).contains("Файли разом перевищують");
        nothingLostAndNothingHalfStored();
    }

    @Test
    void tooManyFilesAreRefused() throws Exception {
        Http http = new Http(instance);
        Http.Multipart m = form(http).field("what", "too many");
        for (int i = 0; i < 5; i++) {
            m.file("files", "f" + i + ".txt", new byte[] {1});
        }
        Http.Page p = http.postMultipart("/o/news/submit", m);
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.body()).contains("Too many files");
        nothingLostAndNothingHalfStored();
    }

    @Test
    void declaredBodyLargerThanAReportIsRefusedBeforeReading() throws Exception {
        Http http = new Http(instance);
        Http.Multipart m = form(http).field("what", "huge").file("files", "x.bin", new byte[3 * FILE_LIMIT + 1024 * 1024]);
        Http.Page p = http.postMultipart("/o/news/submit", m);
        assertThat(p.status()).isEqualTo(413);
        nothingLostAndNothingHalfStored();
    }

    @Test
    void badFileNamesAreRefused() throws Exception {
        for (String name : new String[] {"../../etc/passwd", "dir\\\\file.txt", "bell\u0007.txt", "x".repeat(10_000),
                "line\u2028sep.txt"}) {
            Http http = new Http(instance);
            Http.Page p = http.postMultipart("/o/news/submit", form(http).field("what", "named")
                    .file("files", name, new byte[] {1, 2}));
            assertThat(p.status()).as(name.length() > 40 ? "10,000 characters" : name).isEqualTo(400);
            assertThat(p.body()).contains("file name cannot be used");
        }
        nothingLostAndNothingHalfStored();
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        Http http = new Http(instance);
        Http.Page p = http.postMultipart("/o/news/submit", form(http)
                .fieldBytes("what", new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'}));
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.body()).contains("characters that cannot be read");
        Http.Page urlencoded = http.postRaw("/return", "application/x-www-form-urlencoded",
                ("csrf=" + http.get("/return").csrf() + "&receipt=%C3%28").getBytes(StandardCharsets.US_ASCII));
        assertThat(urlencoded.status()).isEqualTo(400);
        assertThat(urlencoded.body()).contains("characters that cannot be read");
        Http.Page badEscape = http.postRaw("/return", "application/x-www-form-urlencoded",
                "csrf=x&receipt=%G1".getBytes(StandardCharsets.US_ASCII));
        assertThat(badEscape.status()).isEqualTo(400);
        nothingLostAndNothingHalfStored();
    }

    @Test
    void fieldsNoFormHasAreDiscardedUnreadAndTextHasACeiling() throws Exception {
        Http http = new Http(instance);
        Http.Multipart flood = form(http).field("what", "flooded");
        // 55 x 20 kB = 1.1 MB: more than the 1 MiB text ceiling, which junk must not count against,
        // and less than this instance's declared-size refusal.
        for (int i = 0; i < 55; i++) {
            flood.field("junk" + i, "j".repeat(20_000));
        }
        Http.Page accepted = http.followRedirect(http.postMultipart("/o/news/submit", flood));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).contains("id=\"receipt\"");
        Http.Page tooMuch = http.postMultipart("/o/news/submit", form(http).field("what", "w".repeat(500))
                .field("details", "d".repeat(600_000)));
        assertThat(tooMuch.status()).isEqualTo(413);
        assertThat(tooMuch.body()).contains("text field is too long");
    }

    @Test
    void tooLongTextIsRefused() throws Exception {
        Http http = new Http(instance);
        Http.Page p = http.postMultipart("/o/news/submit", form(http).field("what", "w".repeat(1001)));
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.body()).contains("text field is too long");
    }

    @Test
    void malformedMultipartIsRefused() throws Exception {
        Http http = new Http(instance);
        Http.Page garbage = http.postRaw("/o/news/submit", "multipart/form-data; boundary=abc",
                "this is not multipart at all".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.status()).isBetween(400, 403);
        assertThat(garbage.body()).contains("<html");
        Http.Page noBoundary = http.postRaw("/o/news/submit", "multipart/form-data",
                "--x\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(noBoundary.status()).isBetween(400, 403);
        Http.Page notMultipart = http.postRaw("/o/news/submit", "text/plain", "hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(notMultipart.status()).isEqualTo(400);
        nothingLostAndNothingHalfStored();
    }

    @Test
    void truncatedUploadIsRefusedAndLeavesNothing() throws Exception {
        Http http = new Http(instance);
        byte[] whole = form(http).field("what", "cut off").file("files", "cut.bin", new byte[40_000]).build();
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 20_000);
        Http.Page p = http.postRaw("/o/news/submit", new Http.Multipart().contentType(), truncated);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.body()).contains("interrupted or damaged");
        nothingLostAndNothingHalfStored();
    }

    @Test
    void missingOrWrongFormTokenIsRefused() throws Exception {
        Http http = new Http(instance);
        Http.Page missing = http.postMultipart("/o/news/submit", new Http.Multipart().field("what", "no token"));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("This form has expired");
        Http.Page wrong = http.postMultipart("/o/news/submit?lang=ru", new Http.Multipart().field("csrf", "AAAA").field("what", "x"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).contains("Срок действия формы истёк");
        Http.Page fileFirst = http.postMultipart("/o/news/submit", new Http.Multipart()
                .file("files", "first.bin", new byte[] {1}).field("csrf", http.get("/o/news").csrf()));
        assertThat(fileFirst.status()).isEqualTo(403);
        assertThat(http.postForm("/return", "receipt", firstReceipt).status()).isEqualTo(403);
        nothingLostAndNothingHalfStored();
    }

    @Test
    void expiredSourceSessionAndExpiredFormTokenAreRefusedClearly() throws Exception {
        Http source = new Http(instance);
        source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", firstReceipt);
        Http.Page conversation = source.get("/conversation");
        assertThat(conversation.status()).isEqualTo(200);
        String oldToken = new Http(instance).get("/o/news").csrf();
        clock.advance(Duration.ofHours(13));
        Http.Page expired = source.get("/conversation?lang=uk");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).contains("Ваш сеанс завершено");
        Http.Page post = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conversation.csrf()).field("message", "late"));
        assertThat(post.status()).isEqualTo(401);
        Http late = new Http(instance);
        Http.Page stale = late.postMultipart("/o/news/submit", new Http.Multipart().field("csrf", oldToken).field("what", "x"));
        assertThat(stale.status()).isEqualTo(403);
        nothingLostAndNothingHalfStored();
    }

    @Test
    void followUpBadInputIsRefusedToo() throws Exception {
        Http source = new Http(instance);
        source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", firstReceipt);
        Http.Page conv = source.get("/conversation");
        Http.Page empty = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conv.csrf()).field("nonce", conv.nonce()).field("message", "   "));
        assertThat(empty.status()).isEqualTo(400);
        Http.Page big = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conv.csrf()).field("nonce", conv.nonce()).field("message", "my typed follow-up").file("files", "b.bin", new byte[FILE_LIMIT + 1]));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.body()).as("the typed text is shown again").contains(">my typed follow-up</textarea>",
                "larger than the limit for one file and was not saved");
        Http.Page forged = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", "forged").field("message", "x"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(source.get("/conversation").body()).doesNotContain("b.bin");
        nothingLostAndNothingHalfStored();
    }
}
