package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.Postern;
import dev.postern.config.Budgets;
import dev.postern.config.PosternConfig;
import dev.postern.config.UploadLimits;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk floor and the hourly report budget: refused before the files are read, with a clear
 * page in the source's language that keeps what they typed, and nothing of the request kept. Free
 * space comes from an injected supplier, so no test fills a disk.
 */
class DiskFloorAndBudgetTest {
    private static final long MIB = 1024 * 1024;
    private static final long FLOOR = 64 * MIB;
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private final AtomicLong free = new AtomicLong(100 * 1024 * MIB);
    private final AtomicInteger freeSpaceLooks = new AtomicInteger();
    private Postern postern;

    private Http start(int reportsPerHour) throws Exception {
        PosternConfig config = PosternConfig.embedded(dir, 0)
                .withLimits(new UploadLimits(256 * MIB, 512 * MIB, 10, FLOOR))
                .withBudgets(new Budgets(Budgets.DEFAULTS.receiptAttemptsPerMinute(), reportsPerHour));
        postern = Postern.open(config, clock);
        postern.admin().addOrganization("news", "The Daily Test", "");
        postern.admin().addRecipient("news", "editor", "correct horse battery staple");
        postern.freeSpaceFrom(() -> {
            freeSpaceLooks.incrementAndGet();
            return free.get();
        }).serve();
        return new Http(postern.baseUrl(), postern.deskUrl());
    }

    @AfterEach
    void stop() {
        if (postern != null) {
            postern.close();
        }
    }

    private static Http.Multipart report(Http http, String lang, String what, byte[] file) throws Exception {
        Http.Multipart m = new Http.Multipart().field("csrf", http.get("/o/news?lang=" + lang).csrf())
                .field("what", what).field("where", "Київ").field("details", "Довгий текст джерела");
        return file == null ? m : m.file("files", "evidence.bin", file);
    }

    private void nothingKept() throws Exception {
        for (String sub : new String[] {"incoming", "blobs"}) {
            try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
                assertThat(files.filter(Files::isRegularFile)).as(sub + " holds nothing of the refused upload")
                        .isEmpty();
            }
        }
    }

    @Test
    void anUploadThatWouldCrossTheFloorIsRefusedBeforeItsFilesAreRead() throws Exception {
        Http http = start(1000);
        free.set(FLOOR + 2 * MIB);
        Http.Page refused = http.postMultipart("/o/news/submit?lang=ru", report(http, "ru", "Обстрел", new byte[(int) (3 * MIB)]));
        assertThat(refused.status()).isEqualTo(507);
        assertThat(refused.body()).contains("хранилище почти заполнено", "value=\"Обстрел\"", "value=\"Київ\"",
                ">Довгий текст джерела</textarea>").doesNotContain("id=\"receipt\"");
        nothingKept();

        Http.Page uk = http.postMultipart("/o/news/submit?lang=uk", report(http, "uk", "Обстріл", new byte[(int) (3 * MIB)]));
        assertThat(uk.status()).isEqualTo(507);
        assertThat(uk.body()).contains("сховище майже заповнене", "value=\"Обстріл\"");

        Http.Page textOnly = http.followRedirect(http.postMultipart("/o/news/submit", report(http, "en", "Text only", null)));
        assertThat(textOnly.body()).as("a report small enough still fits").contains("id=\"receipt\"");
    }

    @Test
    void anUploadWithoutDeclaredLengthIsStoppedAtTheFloorAndLeavesNothing() throws Exception {
        Http http = start(1000);
        byte[] body = report(http, "uk", "Потоком", new byte[(int) (40 * MIB)]).build();
        // Enough room when the upload starts; the disk fills while it streams.
        free.set(FLOOR + 16 * MIB);
        freeSpaceLooks.set(0);
        Thread filler = Thread.ofVirtual().start(() -> {
            while (freeSpaceLooks.get() < 2) {
                Thread.onSpinWait();
            }
            free.set(FLOOR);
        });
        HttpClient client = HttpClient.newBuilder().build();
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(postern.baseUrl() + "/o/news/submit?lang=uk"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", new Http.Multipart().contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> r = client.send(chunked, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        filler.join();
        assertThat(r.request().headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.statusCode()).isEqualTo(507);
        assertThat(r.body()).contains("сховище майже заповнене", "value=\"Потоком\"");
        assertThat(freeSpaceLooks.get()).as("looked every few MiB, not per chunk").isBetween(2, 12);
        nothingKept();
    }

    @Test
    void followUpsObeyTheFloor() throws Exception {
        Http http = start(1000);
        String receipt = http.submit("news", Map.of("what", "first"), Map.of()).receipt();
        http.postForm("/return", "csrf", http.get("/return").csrf(), "receipt", receipt);
        free.set(FLOOR + MIB);
        Http.Page conversation = http.get("/conversation?lang=ru");
        Http.Page refused = http.postMultipart("/conversation/message?lang=ru", new Http.Multipart()
                .field("csrf", conversation.csrf()).field("nonce", conversation.nonce())
                .field("message", "Ещё фото").file("files", "more.jpg", new byte[(int) (2 * MIB)]));
        assertThat(refused.status()).isEqualTo(507);
        assertThat(refused.body()).contains("хранилище почти заполнено", ">Ещё фото</textarea>");
        assertThat(http.get("/conversation").body()).doesNotContain("more.jpg");
        try (Stream<Path> files = Files.walk(dir.resolve("incoming"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void reportsOverTheHourlyBudgetAreRefusedUntilTheHourTurns() throws Exception {
        Http http = start(2);
        // Start at the top of an hour so that moving on one hour is one turn of the budget.
        long now = clock.instant().getEpochSecond();
        clock.advance(Duration.ofSeconds(3600 - Math.floorMod(now, 3600)));
        for (int i = 0; i < 2; i++) {
            assertThat(http.submit("news", Map.of("what", "within " + i), Map.of()).body()).contains("id=\"receipt\"");
        }
        Http.Page refused = http.postMultipart("/o/news/submit?lang=uk", report(http, "uk", "Третій", new byte[(int) MIB]));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("забагато звернень", "value=\"Третій\"", ">Довгий текст джерела</textarea>");
        Http.Page ru = http.postMultipart("/o/news/submit?lang=ru", report(http, "ru", "Третий", null));
        assertThat(ru.status()).isEqualTo(503);
        assertThat(ru.body()).contains("слишком много обращений", "value=\"Третий\"");
        noBlobs();

        clock.advance(Duration.ofMinutes(59));
        assertThat(http.postMultipart("/o/news/submit", report(http, "en", "still", null)).status()).isEqualTo(503);
        clock.advance(Duration.ofMinutes(1));
        Http.Page next = http.followRedirect(http.postMultipart("/o/news/submit", report(http, "en", "next hour",
                new byte[] {1})));
        assertThat(next.body()).contains("id=\"receipt\"");
    }

    private void noBlobs() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile)).as("nothing of a refused report").isEmpty();
        }
    }
}
