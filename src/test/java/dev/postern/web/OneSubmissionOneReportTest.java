package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One filled-in form makes one report: the receipt comes by POST-redirect-GET from a short-lived
 * server-side slot, a replayed POST creates nothing, and pre-session tokens are single use.
 */
class OneSubmissionOneReportTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private TestInstance instance;

    @BeforeEach
    void start() throws Exception {
        instance = TestInstance.start(PosternConfig.embedded(dir, 0), clock);
    }

    @AfterEach
    void stop() {
        instance.close();
    }

    private Http.Multipart report(String token, String what) {
        return new Http.Multipart().field("csrf", token).field("what", what).field("details", "typed at length")
                .file("files", "evidence.txt", "evidence".getBytes(StandardCharsets.UTF_8));
    }

    private int reportsInDesk() throws Exception {
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        return desk.reportsInDesk();
    }

    @Test
    void theReceiptComesByRedirectFromASessionSlotAndReloadsCreateNothing() throws Exception {
        Http source = new Http(instance);
        String token = source.get("/o/news?lang=uk").csrf();
        Http.Page posted = source.postMultipart("/o/news/submit?lang=uk", report(token, "Once only"));
        assertThat(posted.status()).isEqualTo(303);
        assertThat(posted.header("Location")).isEqualTo("/o/news/receipt?lang=uk");
        assertThat(posted.body()).doesNotContain("id=\"receipt\"");
        String cookie = posted.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("postern_receipt=")).findFirst().orElseThrow();
        assertThat(cookie).matches("postern_receipt=[A-Za-z0-9_-]{43}; Path=/o/news/receipt; HttpOnly; SameSite=Strict");
        assertThat(cookie.toLowerCase(Locale.ROOT)).doesNotContain("expires", "max-age");
        // Receipt first: the same answer opens the source session for the report page.
        String session = posted.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("postern_source=")).findFirst().orElseThrow();
        assertThat(session).matches("postern_source=[A-Za-z0-9_-]{43}; Path=/conversation; HttpOnly; SameSite=Strict");

        Http.Page shown = source.get("/o/news/receipt?lang=uk");
        assertThat(shown.status()).isEqualTo(200);
        String receipt = shown.receipt();
        assertThat(shown.body()).contains("Запишіть його зараз");
        String digits = receipt.replace(" ", "");
        assertThat(posted.raw().headers().map().toString().replace(" ", "")).doesNotContain(digits);
        assertThat(shown.raw().uri().toString()).doesNotContain(digits);

        Http.Page reloaded = source.get("/o/news/receipt?lang=uk");
        assertThat(reloaded.receipt()).as("a reload shows the same receipt").isEqualTo(receipt);
        assertThat(source.get("/o/news/receipt?lang=ru").receipt()).isEqualTo(receipt);
        assertThat(new Http(instance).get("/o/news/receipt").body()).as("not without the cookie")
                .doesNotContain("id=\"receipt\"");
        assertThat(reportsInDesk()).isEqualTo(1);

        Http.Page written = source.postForm("/o/news/receipt/written?lang=uk", "csrf", shown.csrf());
        assertThat(written.status()).isEqualTo(303);
        assertThat(written.header("Location")).isEqualTo("/conversation?lang=uk");
        Http.Page reportPage = source.followRedirect(written);
        assertThat(reportPage.status()).as("the report page, without typing the receipt").isEqualTo(200);
        assertThat(reportPage.body()).contains("Once only", "evidence.txt", "data-tus-endpoint=\"/conversation/uploads\"");
        assertThat(written.raw().headers().allValues("Set-Cookie")).anyMatch(c ->
                c.startsWith("postern_receipt=;") && c.contains("Max-Age=0") && c.contains("Path=/o/news/receipt"));
        Http.Page gone = source.get("/o/news/receipt?lang=uk");
        assertThat(gone.body()).doesNotContain("id=\"receipt\"").contains("Тут більше немає коду-квитанції");
        assertThat(reportsInDesk()).isEqualTo(1);
    }

    @Test
    void aReplayedReportPostCreatesNothing() throws Exception {
        Http source = new Http(instance);
        String token = source.get("/o/news").csrf();
        Http.Multipart form = report(token, "Double click");
        String receipt = source.followRedirect(source.postMultipart("/o/news/submit", form)).receipt();

        // Back and resend (or a double click whose first answer the browser dropped): same receipt.
        Http.Page again = source.followRedirect(source.postMultipart("/o/news/submit", form));
        assertThat(again.receipt()).isEqualTo(receipt);
        Http other = new Http(instance);
        Http.Page dropped = other.followRedirect(other.postMultipart("/o/news/submit", form));
        assertThat(dropped.receipt()).as("the first answer never reached the browser").isEqualTo(receipt);
        assertThat(other.cookies().get(SourcePages.COOKIE)).as("and its session cookie is set again")
                .isNotNull().isEqualTo(source.cookies().get(SourcePages.COOKIE));
        assertThat(other.get("/conversation").body()).contains("Double click");
        assertThat(reportsInDesk()).isEqualTo(1);

        // Once the slot has ended, the source is told the report was already received.
        clock.advance(ReceiptSlots.LIFETIME.plusMinutes(1));
        Http.Page late = source.postMultipart("/o/news/submit?lang=ru", form);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body()).doesNotContain("id=\"receipt\"", receipt)
                .contains("Ваше обращение уже получено", "Повторная отправка ничего нового не создала", "/return");
        Http.Page lateUk = source.postMultipart("/o/news/submit?lang=uk", form);
        assertThat(lateUk.body()).contains("Ваше звернення вже отримано");
        assertThat(source.get("/o/news/receipt").body()).doesNotContain("id=\"receipt\"");
        assertThat(reportsInDesk()).isEqualTo(1);
    }

    /**
     * A double click while the first upload is still arriving: the second POST creates nothing and
     * leads to the receipt page, which waits for the first and shows its receipt.
     */
    @Test
    void aSecondClickWhileTheFirstUploadArrivesShowsTheFirstReceipt() throws Exception {
        Http source = new Http(instance);
        String token = source.get("/o/news").csrf();
        byte[] body = report(token, "Slow upload").build();
        int firstPart = body.length - 8;
        URI uri = URI.create(instance.baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /o/news/submit HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: " + new Http.Multipart().contentType() + "\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, firstPart);
            out.flush();
            // The first request has taken the token once its file has begun arriving.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (isEmpty(dir.resolve("incoming"))) {
                assertThat(System.nanoTime()).as("the first upload's file began").isLessThan(deadline);
                Thread.onSpinWait();
            }
            Http second = new Http(instance);
            Http.Page redirected = second.postMultipart("/o/news/submit", report(token, "Slow upload"));
            assertThat(redirected.status()).isEqualTo(303);
            CompletableFuture<Http.Page> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return second.followRedirect(redirected);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            out.write(body, firstPart, body.length - firstPart);
            out.flush();
            String firstAnswer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(firstAnswer).startsWith("HTTP/1.1 303");
            Http.Page shown = waiting.get(60, TimeUnit.SECONDS);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.receipt()).matches("[0-9 ]+");
        }
        assertThat(reportsInDesk()).isEqualTo(1);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    @Test
    void aRefusedReportLeavesItsFormSendable() throws Exception {
        Http source = new Http(instance);
        String token = source.get("/o/news").csrf();
        Http.Page refused = source.postMultipart("/o/news/submit", new Http.Multipart().field("csrf", token)
                .field("what", "w".repeat(1001)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().headers().allValues("Set-Cookie")).as("no receipt slot, no session").isEmpty();
        Http.Page sent = source.followRedirect(source.postMultipart("/o/news/submit", report(token, "Second try")));
        assertThat(sent.body()).contains("id=\"receipt\"");
        assertThat(reportsInDesk()).isEqualTo(1);
    }

    @Test
    void anExpiredReportFormKeepsTheTypedText() throws Exception {
        Http source = new Http(instance);
        String token = source.get("/o/news").csrf();
        clock.advance(FormTokens.Purpose.REPORT.lifetime().plusMinutes(1));
        Http.Page expired = source.postMultipart("/o/news/submit?lang=ru", report(token, "Written slowly"));
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.body()).contains("Форма была открыта слишком долго", "value=\"Written slowly\"",
                ">typed at length</textarea>");
        assertThat(reportsInDesk()).isZero();
    }

    @Test
    void aFollowUpPostedTwiceAddsOneMessage() throws Exception {
        Http source = new Http(instance);
        String receipt = source.submit("news", Map.of("what", "Follow"), Map.of()).receipt();
        source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);
        Http.Page conversation = source.get("/conversation");
        Http.Multipart message = new Http.Multipart().field("csrf", conversation.csrf())
                .field("nonce", conversation.nonce()).field("message", "Only-once-message")
                .file("files", "once.bin", new byte[] {1, 2, 3});
        assertThat(source.postMultipart("/conversation/message", message).status()).isEqualTo(303);
        Http.Page replay = source.postMultipart("/conversation/message", message);
        assertThat(replay.status()).isEqualTo(303);
        String body = source.get("/conversation").body();
        assertThat(body.split("Only-once-message", -1)).as("one message").hasSize(2);
        assertThat(body.split("once.bin", -1)).hasSize(2);
        Http.Page forged = source.postMultipart("/conversation/message", new Http.Multipart()
                .field("csrf", conversation.csrf()).field("nonce", "forged").field("message", "x"));
        assertThat(forged.status()).isEqualTo(403);
    }

    @Test
    void aReplayedLoginPostIsRefused() throws Exception {
        Http first = new Http(instance);
        String token = first.get("/desk/login").csrf();
        Http.Page in = first.postForm("/desk/login", "csrf", token, "username", instance.recipient.username(),
                "password", instance.recipient.password(), "totp", instance.freshTotp());
        assertThat(in.status()).isEqualTo(303);
        Http replay = new Http(instance);
        Http.Page refused = replay.postForm("/desk/login", "csrf", token, "username", instance.recipient.username(),
                "password", instance.recipient.password(), "totp", instance.freshTotp());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Set-Cookie")).isNull();
        assertThat(replay.get("/desk").status()).isNotEqualTo(200);
    }

    @Test
    void aReplayedReceiptFormPostIsRefused() throws Exception {
        Http source = new Http(instance);
        String receipt = source.submit("news", Map.of("what", "Come back"), Map.of()).receipt();
        String token = source.get("/return").csrf();
        assertThat(source.postForm("/return", "csrf", token, "receipt", receipt).status()).isEqualTo(303);
        Http other = new Http(instance);
        assertThat(other.postForm("/return", "csrf", token, "receipt", receipt).status()).isEqualTo(403);
    }
}
