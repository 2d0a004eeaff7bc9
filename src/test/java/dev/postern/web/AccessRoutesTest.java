package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.admin.NewRecipient;
import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import dev.postern.vault.Totp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grant, revoke, restrict and the backlog job over HTTP: auth, csrf, roles, organizations. */
class AccessRoutesTest {
    private static final Pattern REPORT = Pattern.compile("href=\"/desk/reports/([0-9a-f]{32})\"");
    private static final Pattern HOLDERS = Pattern.compile("id=\"key-holders\">(.*?)</ul>", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void holdersGrantRevokeAndRestrictFromTheReportPage() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            NewRecipient clerk = instance.postern.admin().addRecipient("news", "clerk", "clerk password 12345");
            new Http(instance).submit("news", Map.of("what", "who may read this"), Map.of());
            NewRecipient late = instance.postern.admin().addRecipient("news", "late", "late password 123456");
            update("UPDATE recipient SET display_name = 'Lena Late' WHERE id = ?", late.id());

            Http editor = new Http(instance);
            assertThat(editor.loginDesk(instance).status()).isEqualTo(303);
            String report = firstReport(editor);
            Http.Page page = editor.get("/desk/reports/" + report);
            assertThat(holders(page)).contains("editor", "clerk").doesNotContain("Lena Late");
            assertThat(page.body()).contains("class=\"revoke inline\"", "id=\"grant\"", "id=\"restrict\"",
                    "value=\"" + late.id() + "\">Lena Late</option>");

            assertThat(editor.postForm("/desk/reports/" + report + "/grant", "colleague", late.id()).status())
                    .isEqualTo(403);
            assertThat(editor.postForm("/desk/reports/" + report + "/grant", "csrf", page.csrf(), "colleague", late.id())
                    .status()).isEqualTo(303);
            assertThat(holders(editor.get("/desk/reports/" + report))).contains("Lena Late");

            Http.Page confirm = editor.get("/desk/reports/" + report + "/revoke?recipient=" + clerk.id());
            assertThat(confirm.status()).isEqualTo(200);
            assertThat(confirm.body()).contains("id=\"confirm-access\"", "clerk");
            assertThat(holders(editor.get("/desk/reports/" + report))).contains("clerk");
            assertThat(editor.postForm("/desk/reports/" + report + "/revoke", "csrf", confirm.csrf(),
                    "recipient", clerk.id()).status()).isEqualTo(303);
            assertThat(holders(editor.get("/desk/reports/" + report))).doesNotContain("clerk");
            assertThat(generation(report)).isEqualTo(1);

            Http.Page restrict = editor.get("/desk/reports/" + report + "/restrict?keep=" + instance.recipient.id());
            assertThat(restrict.body()).contains("id=\"confirm-access\"", "Lena Late");
            assertThat(editor.postForm("/desk/reports/" + report + "/restrict", "csrf", restrict.csrf(),
                    "keep", instance.recipient.id()).status()).isEqualTo(303);
            assertThat(holders(editor.get("/desk/reports/" + report))).doesNotContain("Lena Late").contains("editor");
            assertThat(generation(report)).isEqualTo(2);
            assertThat(editor.get("/desk/reports/" + report + "/restrict").status()).isEqualTo(409);
        }
    }

    @Test
    void theBacklogJobIsForAdministratorsAndAnotherOrganizationsReportIsNotFound() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            update("UPDATE recipient SET role = 'ADMIN' WHERE id = ?", instance.recipient.id());
            new Http(instance).submit("news", Map.of("what", "backlog"), Map.of());
            NewRecipient clerk = instance.postern.admin().addRecipient("news", "clerk", "clerk password 12345");
            update("UPDATE recipient SET role = 'RECIPIENT' WHERE id = ?", clerk.id());
            instance.postern.admin().addOrganization("other", "Other", "");
            NewRecipient stranger = instance.postern.admin().addRecipient("other", "stranger", "stranger password 1");
            new Http(instance).submit("other", Map.of("what", "elsewhere"), Map.of());

            Http admin = new Http(instance);
            assertThat(admin.loginDesk(instance).status()).isEqualTo(303);
            Http.Page access = admin.get("/desk/access");
            assertThat(access.status()).isEqualTo(200);
            assertThat(access.body()).contains("id=\"grant-backlog\"", "name=\"colleague\"", "clerk")
                    .doesNotContain("stranger");
            Http.Page started = admin.postForm("/desk/access/backlog", "csrf", access.csrf(), "colleague", clerk.id());
            assertThat(started.status()).isEqualTo(303);
            String jobPath = started.header("Location");
            assertThat(jobPath).matches("/desk/jobs/[0-9a-f]{32}");
            Http.Page job = admin.get(jobPath);
            assertThat(job.status()).isEqualTo(200);
            assertThat(job.body()).contains("id=\"job-progress\"", "max=\"1\"", "of 1 reports");
            assertThat(admin.postForm("/desk/access/backlog", "csrf", access.csrf(), "colleague", stranger.id()).status())
                    .isEqualTo(404);

            String otherReport = reportOf("other");
            assertThat(admin.get("/desk/reports/" + otherReport + "/revoke?recipient=" + stranger.id()).status())
                    .isEqualTo(404);
            assertThat(admin.postForm("/desk/reports/" + otherReport + "/grant", "csrf", access.csrf(),
                    "colleague", clerk.id()).status()).isEqualTo(404);

            Http plain = new Http(instance);
            Http.Page form = plain.get("/desk/login");
            assertThat(plain.postForm("/desk/login", "csrf", form.csrf(), "username", "clerk",
                    "password", "clerk password 12345", "totp", Totp.code(Totp.fromBase32(clerk.totpSecret()),
                            Totp.step(instance.clock.instant()))).status()).isEqualTo(303);
            Http.Page refused = plain.get("/desk/access");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("grant-backlog");
            String csrf = plain.get("/desk").csrf();
            assertThat(plain.postForm("/desk/access/backlog", "csrf", csrf, "colleague", clerk.id()).status())
                    .isEqualTo(403);
            // Someone else's job is as unknown as a wrong id.
            assertThat(plain.get(jobPath).status()).isEqualTo(404);
            assertThat(new Http(instance).get(jobPath).status()).isEqualTo(303);
        }
    }

    @Test
    void theSourceLeavesColleaguesOutWhereTheOrganizationAllowsButNeverEveryone() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            NewRecipient clerk = instance.postern.admin().addRecipient("news", "clerk", "clerk password 12345");
            update("UPDATE recipient SET display_name = 'Carl Clerk' WHERE id = ?", clerk.id());
            Http source = new Http(instance);
            assertThat(source.get("/o/news").body()).doesNotContain("id=\"exclude\"");
            update("UPDATE organization SET source_may_exclude = TRUE WHERE slug = ?", "news");

            Http.Page form = source.get("/o/news");
            assertThat(form.body()).contains("id=\"exclude\"", "Carl Clerk", "value=\"" + clerk.id() + "\"");
            Http.Page refused = source.postMultipart("/o/news/submit", new Http.Multipart().field("csrf", form.csrf())
                    .field("what", "nobody at all").field("exclude", clerk.id()).field("exclude", instance.recipient.id()));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("id=\"error-message\"", "value=\"nobody at all\"");

            Http.Page stored = source.postMultipart("/o/news/submit", new Http.Multipart().field("csrf", refused.csrf())
                    .field("what", "not for the clerk").field("exclude", clerk.id()));
            assertThat(stored.status()).isEqualTo(303);
            String report = reportOf("news");
            assertThat(query("SELECT COUNT(*) FROM report_exclusion WHERE report_id = ?", report)).isEqualTo("1");
            assertThat(query("SELECT COUNT(*) FROM report_key WHERE report_id = ? AND recipient_id = '" + clerk.id() + "'",
                    report)).isEqualTo("0");
            assertThat(query("SELECT COUNT(*) FROM report_key WHERE report_id = ?", report)).isEqualTo("1");
        }
    }

    private static String firstReport(Http desk) throws Exception {
        Matcher m = REPORT.matcher(desk.get("/desk").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String holders(Http.Page page) {
        Matcher m = HOLDERS.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    private int generation(String reportId) throws Exception {
        return Integer.parseInt(query("SELECT key_generation FROM report WHERE id = ?", reportId));
    }

    private String reportOf(String slug) throws Exception {
        return query("SELECT r.id FROM report r JOIN organization o ON o.id = r.organization_id WHERE o.slug = ?", slug);
    }

    private String query(String sql, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection(AtRestScanTest.h2Url(dir));
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private void update(String sql, String id) throws Exception {
        try (Connection c = DriverManager.getConnection(AtRestScanTest.h2Url(dir));
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }
}
