package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case routes in-process: the report page's hooks, form tokens, the one-click acknowledgement
 * (a second click is 409), statuses with reason and message, the settings (administrators only), and
 * what the source sees: its status and history in its language, the organization as the signer.
 */
class CaseRoutesTest {
    private static final Pattern ISO_DATE = Pattern.compile("<time id=\"(ack-due|feedback-due)\"[^>]*>(\\d{4}-\\d{2}-\\d{2})</time>");
    @TempDir
    static Path dir;
    static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
        sql("UPDATE recipient SET role = ? WHERE username = 'editor'", "ADMIN");
        sql("UPDATE organization SET eu_clocks = TRUE, time_zone = ? WHERE slug = 'news'", "Europe/Kyiv");
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    /** One statement on the instance's embedded database (roles and clocks are set up elsewhere in the desk). */
    static void sql(String statement, String parameter) throws Exception {
        try (Connection c = DriverManager.getConnection(AtRestScanTest.h2Url(dir));
             PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, parameter);
            s.executeUpdate();
        }
    }

    /** A report submitted from the form in {@code lang}; the client keeps the source session. */
    static void submitIn(Http source, String lang, String what) throws Exception {
        Http.Page form = source.get("/o/news?lang=" + lang);
        Http.Page posted = source.postMultipart("/o/news/submit?lang=" + lang,
                new Http.Multipart().field("csrf", form.csrf()).field("what", what).field("details", what));
        assertThat(posted.status()).as(posted.body()).isEqualTo(303);
    }

    @Test
    void acknowledgeOnceStatusesAndWhatTheSourceSees() throws Exception {
        Http source = new Http(instance);
        submitIn(source, "ru", "Case routes report");
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String id = DeskRoutesTest.reportIdWith(desk, "Case routes report");
        Http.Page report = desk.get("/desk/reports/" + id);
        assertThat(report.body()).contains("id=\"acknowledge\"", "id=\"internal-note\"", "id=\"notes\"",
                "id=\"set-status\"", "id=\"status-select\"", "<strong id=\"status\">New</strong>", "name=\"reason\"",
                "name=\"message\"");
        assertThat(report.body()).containsPattern("<form[^>]*id=\"internal-note\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\""
                + "[^>]*>\\s*<label[^>]*>[^<]*</label>\\s*<textarea[^>]*name=\"text\"");
        Matcher dates = ISO_DATE.matcher(report.body());
        int found = 0;
        while (dates.find()) {
            found++;
        }
        assertThat(found).as("ack-due and feedback-due hold ISO dates").isEqualTo(2);

        assertThat(desk.postForm("/desk/reports/" + id + "/acknowledge", "csrf", "forged").status()).isEqualTo(403);
        assertThat(desk.postForm("/desk/reports/" + "c".repeat(32) + "/acknowledge", "csrf", report.csrf()).status())
                .as("no such report").isEqualTo(404);
        assertThat(desk.postForm("/desk/reports/" + id + "/notes", "csrf", report.csrf(), "text", " ").status())
                .as("an empty note").isEqualTo(400);
        assertThat(new Http(instance).postForm("/desk/reports/" + id + "/notes", "text", "x").status())
                .as("no session").isEqualTo(401);
        assertThat(desk.postForm("/desk/reports/" + id + "/acknowledge", "csrf", report.csrf()).status()).isEqualTo(303);
        Http.Page again = desk.postForm("/desk/reports/" + id + "/acknowledge", "csrf", report.csrf());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("already been acknowledged").doesNotContain("Exception");
        Http.Page acked = desk.get("/desk/reports/" + id);
        assertThat(acked.body()).doesNotContain("id=\"acknowledge\"").contains("<strong id=\"status\">Acknowledged</strong>",
                "acknowledged</span>", "(acknowledged)");
        assertThat(acked.body()).as("the desk signs the reply with its author").containsPattern(
                "<p class=\"who\">editor <span class=\"muted\">");

        Http.Page ru = source.get("/conversation?lang=ru");
        assertThat(ru.body()).contains("<strong id=\"report-status\">Получение подтверждено</strong>",
                "id=\"status-history\"", "Спасибо за обращение", "— The Daily Test");
        assertThat(ru.body()).as("the organization signs every reply").containsPattern(
                "<p class=\"who\">The Daily Test\\s*<span class=\"muted\">");
        assertThat(ru.body()).as("no reason block on the source's page").doesNotContain("class=\"reason\"");
        Http.Page uk = source.get("/conversation?lang=uk");
        assertThat(uk.body()).contains("<strong id=\"report-status\">Отримання підтверджено</strong>");

        assertThat(desk.postForm("/desk/reports/" + id + "/status", "csrf", report.csrf(), "status", "CLOSED",
                "reason", "").status()).as("a reason is required").isEqualTo(400);
        assertThat(desk.postForm("/desk/reports/" + id + "/status", "csrf", report.csrf(), "status", "CLOSED",
                "reason", "Reason only colleagues read", "message", "We have finished.").status()).isEqualTo(303);
        Http.Page closed = source.get("/conversation?lang=uk");
        assertThat(closed.body()).contains("<strong id=\"report-status\">Закрито</strong>", "We have finished.")
                .doesNotContain("Reason only colleagues read", "editor");
        assertThat(desk.get("/desk/reports/" + id).body()).contains("Reason only colleagues read", "(feedback given)");
    }

    @Test
    void settingsAreForAdministratorsAndEditStatusesAndTemplates() throws Exception {
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        Http.Page statuses = desk.get("/desk/settings/statuses");
        assertThat(statuses.status()).isEqualTo(200);
        assertThat(statuses.body()).contains("id=\"statuses\"", "In progress", "В работе", "У роботі", "no action possible");
        Matcher inProgress = Pattern.compile("name=\"id\" value=\"([0-9a-f]{32})\">\\s*<input name=\"en\" type=\"text\""
                + " maxlength=\"100\" required value=\"In progress\"").matcher(statuses.body());
        assertThat(inProgress.find()).isTrue();
        assertThat(desk.postForm("/desk/settings/statuses", "csrf", statuses.csrf(), "action", "rename",
                "id", inProgress.group(1), "en", "Under review", "ru", "На рассмотрении", "uk", "На розгляді").status())
                .isEqualTo(303);
        assertThat(desk.postForm("/desk/settings/statuses", "csrf", statuses.csrf(), "action", "add", "phase",
                "IN_PROGRESS", "parent", "", "en", "Waiting for documents", "ru", "", "uk", "x").status())
                .as("every language is needed").isEqualTo(400);
        assertThat(desk.postForm("/desk/settings/statuses", "csrf", statuses.csrf(), "action", "bogus").status())
                .isEqualTo(400);
        assertThat(desk.postForm("/desk/settings/statuses", "csrf", statuses.csrf(), "action", "add", "phase", "NEW",
                "parent", "d".repeat(32), "en", "a", "ru", "b", "uk", "c").status()).as("no such parent").isEqualTo(400);
        assertThat(desk.postForm("/desk/settings/statuses", "csrf", "forged", "action", "retire",
                "id", inProgress.group(1)).status()).isEqualTo(403);
        assertThat(desk.get("/desk/settings/statuses").body()).contains("Under review", "На рассмотрении")
                .doesNotContain("value=\"In progress\"");

        Http.Page templates = desk.get("/desk/settings/templates");
        assertThat(templates.status()).isEqualTo(200);
        assertThat(templates.body()).contains("id=\"template-ru\"", "Спасибо за обращение");
        assertThat(desk.postForm("/desk/settings/templates", "csrf", templates.csrf(), "en",
                "Received by {organization}.", "ru", "", "uk", "").status()).isEqualTo(303);
        assertThat(desk.get("/desk/settings/templates?saved=1").body()).contains("Received by {organization}.",
                "id=\"templates-saved\"");

        sql("UPDATE recipient SET role = ? WHERE username = 'editor'", "RECIPIENT");
        try {
            Http colleague = new Http(instance);
            colleague.loginDesk(instance);
            assertThat(colleague.get("/desk/settings/statuses").status()).isEqualTo(403);
            assertThat(colleague.get("/desk/settings/templates").status()).isEqualTo(403);
            Http.Page page = colleague.get("/desk");
            assertThat(colleague.postForm("/desk/settings/templates", "csrf", page.csrf(), "en", "x", "ru", "",
                    "uk", "").status()).isEqualTo(403);
        } finally {
            sql("UPDATE recipient SET role = ? WHERE username = 'editor'", "ADMIN");
        }
    }
}
