package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source pages as a Russian or Ukrainian reader gets them (issue 8, item 9): language links on
 * every page, refusals at the top of the form they concern, sizes in the language's units, and the
 * wording fixes of docs/i18n-review.md.
 */
class SourceLanguageTest {
    @TempDir
    static Path dir;
    static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    @Test
    void everySourcePageHasTheLanguageLinks() throws Exception {
        Http source = new Http(instance);
        assertLinks(source.get("/?lang=ru"), "/");
        assertLinks(source.get("/o/news?lang=uk"), "/o/news");
        assertLinks(source.get("/return?lang=ru"), "/return");
        // A refusal answering a POST links to the page its form was on, never to the POST.
        Http.Page wrong = source.postForm("/return?lang=uk", "csrf", source.get("/return").csrf(), "receipt", "1");
        assertThat(wrong.status()).isEqualTo(403);
        assertLinks(wrong, "/return");
        assertLinks(source.postForm("/return?lang=ru", "csrf", "forged", "receipt", "1"), "/return");
        // No receipt to show: the notice page.
        Http.Page gone = new Http(instance).get("/o/news/receipt?lang=ru");
        assertThat(gone.status()).isEqualTo(410);
        assertLinks(gone, "/o/news/receipt");
        // A page that does not exist: its links lead to the start page, the path is not echoed.
        Http.Page missing = source.get("/no-such-page?lang=uk");
        assertThat(missing.status()).isEqualTo(404);
        assertLinks(missing, "/");
        assertThat(missing.body()).doesNotContain("no-such-page");

        Http.Page receipt = source.submit("news", Map.of("what", "Пропавшие пайки"), Map.of());
        assertThat(receipt.status()).isEqualTo(200);
        assertLinks(receipt, "/o/news/receipt");
        assertLinks(source.get("/conversation?lang=ru"), "/conversation");
        Http.Page conversation = source.get("/conversation");
        Http.Page empty = source.postMultipart("/conversation/message?lang=uk", new Http.Multipart()
                .field("csrf", conversation.csrf()).field("nonce", conversation.nonce()).field("message", " "));
        assertThat(empty.status()).isEqualTo(400);
        assertLinks(empty, "/conversation");
    }

    @Test
    void aRefusalIsShownAtTheTopOfTheFormItConcerns() throws Exception {
        Http source = new Http(instance);
        source.submit("news", Map.of("what", "Что-то"), Map.of());
        Http.Page conversation = source.get("/conversation?lang=ru");
        Http.Page empty = source.postMultipart("/conversation/message?lang=ru", new Http.Multipart()
                .field("csrf", conversation.csrf()).field("nonce", conversation.nonce()).field("message", " "));
        String body = empty.body();
        assertThat(body).containsOnlyOnce("id=\"error-message\"");
        int error = body.indexOf("id=\"error-message\"");
        assertThat(error).isGreaterThan(body.indexOf("id=\"file-form\"")).isLessThan(body.indexOf("id=\"message-form\""));
        assertThat(body.substring(error, body.indexOf("id=\"message-form\""))).contains("Сообщение пустое");

        // A report started without answers: a blank answers form is refused above that form.
        Http fresh = new Http(instance);
        fresh.submit("news", Map.of(), Map.of());
        Http.Page page = fresh.get("/conversation?lang=uk");
        Http.Page blank = fresh.postForm("/conversation/answers?lang=uk", "csrf", page.csrf(), "what", " ",
                "when", "", "where", "", "details", "");
        assertThat(blank.status()).isEqualTo(400);
        int at = blank.body().indexOf("id=\"error-message\"");
        assertThat(at).isGreaterThan(blank.body().indexOf(">Що сталося</h2>"))
                .isLessThan(blank.body().indexOf("id=\"answers-form\""));
        assertThat(blank.body()).contains("Звернення порожнє");
    }

    @Test
    void russianAndUkrainianPagesReadNaturally() throws Exception {
        Http source = new Http(instance);
        Http.Page receipt = source.submit("news", Map.of("what", "Учения"), Map.of("протокол.txt", new byte[1536]));
        Http.Page receiptRu = source.get("/o/news/receipt?lang=ru");
        assertThat(receiptRu.body()).contains("Получатель: The Daily Test").doesNotContain("получили ваше");
        assertThat(source.get("/o/news/receipt?lang=uk").body()).contains("Отримувач: The Daily Test")
                .doesNotContain("отримали ваше");
        assertThat(receipt.status()).isEqualTo(200);

        Http.Page ru = source.get("/conversation?lang=ru");
        assertThat(ru.body()).doesNotContain("в час ").contains("с точностью до часа", "Ваше обращение",
                "протокол.txt <span class=\"muted\">(1,5 КБ)</span>", "(завершить сеанс)")
                .doesNotContain("визит", "KiB", "MiB");
        Http.Page uk = source.get("/conversation?lang=uk");
        assertThat(uk.body()).contains("(1,5 КБ)", "з точністю до години", "Ваше звернення", "data-text-units=\"Б,КБ,МБ,ГБ,ТБ\"",
                "data-text-decimal=\",\"").doesNotContain("візит", "Вже ");
        assertThat(source.get("/conversation?lang=en").body()).contains("(1.5 KiB)", "data-text-decimal=\".\"");

        Http.Page formRu = source.get("/o/news?lang=ru");
        assertThat(formRu.body()).contains("воинская часть", "удалите эти сведения", "телефоном или сетью")
                .containsPattern("До [0-9]+(,[0-9])? [КМГ]Б на файл").doesNotContain("MiB", "GiB");
        assertThat(source.get("/o/news?lang=uk").body()).contains("військова частина", "Уже надсилали звернення?");
        assertThat(source.postForm("/return?lang=uk", "csrf", source.get("/return").csrf(), "receipt", "1").body())
                .contains("Звернення з таким кодом не знайдено").doesNotContain("нічого не відкриває");
    }

    private static void assertLinks(Http.Page page, String path) {
        assertThat(page.body()).as("language links on a page answering %s", page.raw().uri())
                .contains("class=\"languages\"");
        for (String lang : new String[] {"en", "ru", "uk"}) {
            if (!page.body().contains("<html lang=\"" + lang + "\"")) {
                assertThat(page.body()).contains("href=\"" + path + "?lang=" + lang + "\"");
            }
        }
    }
}
