package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colleagues in the desk, in-process over HTTP: an administrator adds a colleague (credentials
 * shown once, never cached, a re-post shows none), the colleague logs in with them; a plain
 * recipient gets 403 on every administrator's route; disabling ends the colleague's session and
 * their login fails like a wrong password; a reset makes the old credentials useless and leaves
 * no report key wrapped to the old key; the last administrator stays; the desk speaks the
 * colleague's language and shows hours in their zone.
 */
class ColleaguePagesTest {
    private static final Pattern ID_VALUE = Pattern.compile("id=\"(new-username|new-password|new-totp-secret)\">([^<]+)<");

    @TempDir
    Path dir;

    /** The three credentials the page shows, by element id. */
    record Credentials(String username, String password, String totpSecret) {
    }

    static Credentials credentialsOn(Http.Page page) {
        Matcher m = ID_VALUE.matcher(page.body());
        String user = null;
        String password = null;
        String secret = null;
        while (m.find()) {
            switch (m.group(1)) {
                case "new-username" -> user = m.group(2);
                case "new-password" -> password = m.group(2);
                default -> secret = m.group(2);
            }
        }
        assertThat(user).as("new-username on\n%s", page.body()).isNotNull();
        assertThat(password).as("new-password").isNotNull();
        assertThat(secret).as("new-totp-secret").isNotNull();
        return new Credentials(user, password, secret);
    }

    /** The hidden single-use token of the add form (or the reset confirmation). */
    static String once(Http.Page page) {
        Matcher m = Pattern.compile("name=\"once\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as("a single-use token on\n%s", page.body()).isTrue();
        return m.group(1);
    }

    static String idOf(Http.Page colleagues, String username) {
        Matcher m = Pattern.compile("data-colleague=\"([0-9a-f]{32})\" data-username=\"" + Pattern.quote(username) + "\"")
                .matcher(colleagues.body());
        assertThat(m.find()).as("%s on the colleagues page", username).isTrue();
        return m.group(1);
    }

    static Credentials add(Http admin, String username, String displayName, String role) throws Exception {
        Http.Page form = admin.get("/desk/colleagues");
        Http.Page added = admin.postForm("/desk/colleagues", "csrf", form.csrf(), "once", once(form),
                "username", username, "display_name", displayName, "role", role);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        return credentialsOn(added);
    }

    private static long rows(Path dir, String sql, String id) throws Exception {
        try (Connection c = DriverManager.getConnection(AtRestScanTest.h2Url(dir), "", "");
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anAdministratorAddsAColleagueWhoseCredentialsAreShownOnceAndWork() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            assertThat(admin.loginDesk(instance).status()).isEqualTo(303);
            Http.Page list = admin.get("/desk/colleagues");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("id=\"add-colleague\"", "editor", "administrator")
                    .containsPattern("class=\"fingerprint\">[0-9a-f]{4} ");

            String once = once(list);
            Http.Page added = admin.postForm("/desk/colleagues", "csrf", list.csrf(), "once", once,
                    "username", "alice", "display_name", "Alice Archer", "role", "RECIPIENT");
            assertThat(added.status()).isEqualTo(200);
            assertThat(added.header("Cache-Control")).isEqualTo("no-store");
            assertThat(added.body()).contains("otpauth://totp/");
            Credentials alice = credentialsOn(added);
            assertThat(alice.username()).isEqualTo("alice");

            Http.Page reposted = admin.postForm("/desk/colleagues", "csrf", list.csrf(), "once", once,
                    "username", "alice2", "display_name", "", "role", "RECIPIENT");
            assertThat(reposted.status()).as("a reload re-posts a spent form").isEqualTo(409);
            assertThat(reposted.body()).doesNotContain("new-password", "new-totp-secret", alice.password())
                    .contains("already sent");
            assertThat(reposted.header("Cache-Control")).isEqualTo("no-store");
            assertThat(admin.get("/desk/colleagues").body()).doesNotContain("alice2");

            Http.Page taken = admin.postForm("/desk/colleagues", "csrf", list.csrf(), "once", once(admin.get("/desk/colleagues")),
                    "username", "alice", "display_name", "", "role", "RECIPIENT");
            assertThat(taken.status()).isEqualTo(409);
            assertThat(taken.body()).contains("This username is taken").doesNotContain("new-password");

            Http colleague = new Http(instance);
            assertThat(colleague.loginDesk(instance, alice.username(), alice.password(), alice.totpSecret()).status())
                    .isEqualTo(303);
            Http.Page seen = colleague.get("/desk/colleagues");
            assertThat(seen.status()).isEqualTo(200);
            assertThat(seen.body()).contains("Alice Archer", "editor").doesNotContain("id=\"add-colleague\"",
                    "/desk/settings\"");
            // Added from an administrator's session: the organization's data key reached her at once.
            assertThat(rows(dir, "SELECT COUNT(*) FROM org_key_wrap WHERE recipient_id = ? AND purpose = 'DATA'",
                    idOf(seen, "alice"))).isEqualTo(1);
        }
    }

    @Test
    void aPlainRecipientGets403OnEveryAdministratorsRoute() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            admin.loginDesk(instance);
            Credentials alice = add(admin, "alice", "", "RECIPIENT");
            String editorId = idOf(admin.get("/desk/colleagues"), "editor");
            Http colleague = new Http(instance);
            colleague.loginDesk(instance, alice.username(), alice.password(), alice.totpSecret());
            String csrf = colleague.get("/desk/colleagues").csrf();

            for (String action : List.of("disable", "enable", "reset")) {
                assertThat(colleague.get("/desk/colleagues/" + editorId + "/" + action).status()).as("GET " + action)
                        .isEqualTo(403);
                assertThat(colleague.postForm("/desk/colleagues/" + editorId + "/" + action, "csrf", csrf,
                        "once", "x").status()).as("POST " + action).isEqualTo(403);
            }
            assertThat(colleague.postForm("/desk/colleagues/" + editorId + "/role", "csrf", csrf, "role", "RECIPIENT")
                    .status()).isEqualTo(403);
            assertThat(colleague.postForm("/desk/colleagues", "csrf", csrf, "once", "x", "username", "mallory",
                    "role", "ADMIN").status()).isEqualTo(403);
            assertThat(colleague.get("/desk/settings").status()).isEqualTo(403);
            assertThat(colleague.postForm("/desk/settings", "csrf", csrf, "time_zone", "UTC").status()).isEqualTo(403);
            assertThat(admin.get("/desk/colleagues").body()).contains("administrator").doesNotContain("mallory");
            // Her own page is hers.
            assertThat(colleague.get("/desk/me").status()).isEqualTo(200);
        }
    }

    @Test
    void disablingEndsTheSessionAndTheLoginFailsLikeAWrongPassword() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            admin.loginDesk(instance);
            Credentials alice = add(admin, "alice", "Alice", "RECIPIENT");
            String aliceId = idOf(admin.get("/desk/colleagues"), "alice");
            new Http(instance).submit("news", Map.of("what", "a report she can read"), Map.of()).receipt();
            assertThat(rows(dir, "SELECT COUNT(*) FROM report_key WHERE recipient_id = ?", aliceId)).isEqualTo(1);
            Http colleague = new Http(instance);
            colleague.loginDesk(instance, alice.username(), alice.password(), alice.totpSecret());
            assertThat(colleague.get("/desk").status()).isEqualTo(200);

            Http.Page confirm = admin.get("/desk/colleagues/" + aliceId + "/disable");
            assertThat(confirm.status()).isEqualTo(200);
            assertThat(confirm.body()).contains("Disable Alice?", "action=\"/desk/colleagues/" + aliceId + "/disable\"");
            assertThat(admin.get("/desk/colleagues").body()).as("nothing happens on the GET").doesNotContain("disabled since");
            Http.Page disabled = admin.postForm("/desk/colleagues/" + aliceId + "/disable", "csrf", confirm.csrf());
            assertThat(disabled.status()).isEqualTo(303);
            assertThat(disabled.header("Location")).as("the revoke-all job's progress").startsWith("/desk/jobs/");
            assertThat(admin.followRedirect(disabled).body()).contains("id=\"job-progress\"");
            awaitJobs(instance);
            assertThat(rows(dir, "SELECT COUNT(*) FROM report_key WHERE recipient_id = ?", aliceId)).isZero();
            assertThat(rows(dir, "SELECT COUNT(*) FROM report WHERE key_generation = 1 AND organization_id <> ?", "x"))
                    .as("her report moved on to a new key generation").isEqualTo(1);
            assertThat(admin.get("/desk/colleagues").body()).contains("disabled since");

            Http.Page ended = colleague.get("/desk");
            assertThat(ended.status()).as("her open session ended").isEqualTo(303);
            assertThat(ended.header("Location")).isEqualTo("/desk/login");
            Http.Page refused = new Http(instance).loginDesk(instance, alice.username(), alice.password(), alice.totpSecret());
            Http.Page wrong = new Http(instance).loginDesk(instance, alice.username(), "not her password at all",
                    alice.totpSecret());
            assertThat(refused.status()).isEqualTo(401).isEqualTo(wrong.status());
            assertThat(errorOf(refused)).isEqualTo(errorOf(wrong)).isEqualTo("Wrong username, password or code.");
            assertThat(rows(dir, "SELECT COUNT(*) FROM recipient WHERE id = ? AND revoke_pending", aliceId))
                    .as("the desk rotated at once: nothing waits").isZero();
            assertThat(rows(dir, "SELECT COUNT(*) FROM org_key_wrap WHERE recipient_id = ?", aliceId)).isZero();

            Http.Page enable = admin.get("/desk/colleagues/" + aliceId + "/enable");
            assertThat(admin.postForm("/desk/colleagues/" + aliceId + "/enable", "csrf", enable.csrf()).status())
                    .isEqualTo(303);
            assertThat(new Http(instance).loginDesk(instance, alice.username(), alice.password(), alice.totpSecret())
                    .status()).isEqualTo(303);

            // Disabled from the command line (no private key there): the rotation waits for an administrator's login.
            instance.postern.admin().disable("alice");
            assertThat(rows(dir, "SELECT COUNT(*) FROM recipient WHERE id = ? AND revoke_pending", aliceId)).isEqualTo(1);
            new Http(instance).submit("news", Map.of("what", "another report"), Map.of()).receipt();
            assertThat(new Http(instance).loginDesk(instance).status()).isEqualTo(303);
            awaitJobs(instance);
            assertThat(rows(dir, "SELECT COUNT(*) FROM recipient WHERE id = ? AND revoke_pending", aliceId)).isZero();
            assertThat(rows(dir, "SELECT COUNT(*) FROM report_key WHERE recipient_id = ?", aliceId)).isZero();

            // Nobody disables themselves: another administrator does.
            String editorId = idOf(admin.get("/desk/colleagues"), "editor");
            Http.Page self = admin.postForm("/desk/colleagues/" + editorId + "/disable", "csrf", enable.csrf());
            assertThat(self.status()).isEqualTo(409);
            assertThat(admin.get("/desk").status()).isEqualTo(200);
        }
    }

    /** Waits for the access jobs the desk started (revoke-all) to end; a hung job fails the test. */
    private static void awaitJobs(TestInstance instance) throws InterruptedException {
        assertThat(instance.postern.access().awaitJobs(Duration.ofSeconds(30))).as("the access jobs ended").isTrue();
    }

    private static String errorOf(Http.Page page) {
        Matcher m = Pattern.compile("id=\"error-message\">([^<]*)<").matcher(page.body());
        assertThat(m.find()).as("an error on\n%s", page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void aResetIssuesNewCredentialsAndLeavesNoWrapToTheOldKey() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            admin.loginDesk(instance);
            Credentials alice = add(admin, "alice", "", "RECIPIENT");
            String aliceId = idOf(admin.get("/desk/colleagues"), "alice");
            // A report that arrives now is wrapped to her key.
            new Http(instance).submit("news", Map.of("what", "something happened"), Map.of()).receipt();
            assertThat(rows(dir, "SELECT COUNT(*) FROM report_key WHERE recipient_id = ?", aliceId)).isEqualTo(1);
            Http colleague = new Http(instance);
            colleague.loginDesk(instance, alice.username(), alice.password(), alice.totpSecret());

            Http.Page confirm = admin.get("/desk/colleagues/" + aliceId + "/reset");
            assertThat(confirm.status()).isEqualTo(200);
            String once = once(confirm);
            Http.Page reset = admin.postForm("/desk/colleagues/" + aliceId + "/reset", "csrf", confirm.csrf(), "once", once);
            assertThat(reset.status()).isEqualTo(200);
            assertThat(reset.header("Cache-Control")).isEqualTo("no-store");
            Credentials fresh = credentialsOn(reset);
            assertThat(fresh.username()).isEqualTo("alice");
            assertThat(fresh.password()).isNotEqualTo(alice.password());
            assertThat(fresh.totpSecret()).isNotEqualTo(alice.totpSecret());
            Http.Page again = admin.postForm("/desk/colleagues/" + aliceId + "/reset", "csrf", confirm.csrf(), "once", once);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body()).doesNotContain(fresh.password(), "new-password");

            assertThat(colleague.get("/desk").status()).as("her open session ended").isEqualTo(303);
            assertThat(new Http(instance).loginDesk(instance, "alice", alice.password(), alice.totpSecret()).status())
                    .isEqualTo(401);
            assertThat(new Http(instance).loginDesk(instance, "alice", fresh.password(), fresh.totpSecret()).status())
                    .isEqualTo(303);
            assertThat(rows(dir, "SELECT COUNT(*) FROM report_key WHERE recipient_id = ?", aliceId))
                    .as("no wrap to the destroyed key is left").isZero();
            assertThat(rows(dir, "SELECT COUNT(*) FROM org_key_wrap WHERE recipient_id = ? AND purpose = 'DATA'", aliceId))
                    .as("the organization key was wrapped to her new key").isEqualTo(1);
        }
    }

    @Test
    void theLastAdministratorStaysAnAdministrator() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            admin.loginDesk(instance);
            Http.Page list = admin.get("/desk/colleagues");
            String editorId = idOf(list, "editor");
            Http.Page demoted = admin.postForm("/desk/colleagues/" + editorId + "/role", "csrf", list.csrf(),
                    "role", "RECIPIENT");
            assertThat(demoted.status()).isEqualTo(409);
            assertThat(demoted.body()).contains("last active administrator");

            Credentials bob = add(admin, "bob", "Bob", "ADMIN");
            Http second = new Http(instance);
            second.loginDesk(instance, bob.username(), bob.password(), bob.totpSecret());
            assertThat(second.get("/desk/settings").status()).isEqualTo(200);
            // With a second administrator the first may step down; then the second is the last one.
            assertThat(admin.postForm("/desk/colleagues/" + editorId + "/role", "csrf", list.csrf(), "role", "RECIPIENT")
                    .status()).isEqualTo(303);
            assertThat(admin.get("/desk/settings").status()).as("demoted at once, mid-session").isEqualTo(403);
            String bobId = idOf(second.get("/desk/colleagues"), "bob");
            assertThat(second.postForm("/desk/colleagues/" + bobId + "/role", "csrf", second.get("/desk/colleagues").csrf(),
                    "role", "RECIPIENT").status()).isEqualTo(409);
        }
    }

    @Test
    void settingsAreSavedAndAtLeastOneAdministratorReceivesNewReports() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            admin.loginDesk(instance);
            Http.Page settings = admin.get("/desk/settings");
            assertThat(settings.status()).isEqualTo(200);
            assertThat(settings.body()).contains("/desk/settings/statuses", "/desk/settings/labels",
                    "/desk/settings/templates");
            String editorId = idOf(admin.get("/desk/colleagues"), "editor");
            Http.Page saved = admin.postForm("/desk/settings", "csrf", settings.csrf(), "eu_clocks", "on",
                    "time_zone", "Europe/Kyiv", "receives-" + editorId, "on");
            assertThat(saved.status()).isEqualTo(303);
            Http.Page after = admin.followRedirect(saved);
            assertThat(after.body()).contains("id=\"settings-saved\"").containsPattern("name=\"eu_clocks\" id=\"eu-clocks\" checked")
                    .contains("<option value=\"Europe/Kyiv\" selected>");
            assertThat(admin.postForm("/desk/settings", "csrf", settings.csrf(), "time_zone", "Mars/Olympus",
                    "receives-" + editorId, "on").status()).isEqualTo(400);
            Http.Page nobody = admin.postForm("/desk/settings", "csrf", settings.csrf(), "time_zone", "UTC");
            assertThat(nobody.status()).isEqualTo(409);
            assertThat(nobody.body()).contains("At least one active administrator");
        }
    }

    @Test
    void theDeskSpeaksTheColleaguesLanguageAndShowsHoursInTheirZone() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http admin = new Http(instance);
            assertThat(admin.get("/desk/login", "Accept-Language", "ru-RU,ru;q=0.9").body())
                    .contains("Вход в рабочее место", "lang=\"ru\"");
            assertThat(admin.get("/desk/login").body()).contains("Desk login");
            admin.loginDesk(instance);
            add(admin, "alice", "", "RECIPIENT");
            Http.Page list = admin.get("/desk/colleagues");
            String aliceId = idOf(list, "alice");
            long disabledAt = instance.clock.instant().getEpochSecond();
            admin.postForm("/desk/colleagues/" + aliceId + "/disable", "csrf", list.csrf());
            long hour = disabledAt - Math.floorMod(disabledAt, 3600);
            String utc = format(hour, "UTC");
            assertThat(admin.get("/desk/colleagues").body()).contains("disabled since " + utc);

            Http.Page me = admin.get("/desk/me");
            assertThat(admin.postForm("/desk/me", "csrf", me.csrf(), "display_name", "Главный редактор",
                    "language", "ru", "time_zone", "Europe/Kyiv").status()).isEqualTo(303);
            Http.Page ru = admin.get("/desk/colleagues");
            String kyiv = format(hour, "Europe/Kyiv");
            assertThat(kyiv).isNotEqualTo(utc);
            assertThat(ru.body()).contains("lang=\"ru\"", "Коллеги", "Главный редактор", "отключён с " + kyiv,
                    "Мой профиль").doesNotContain(utc, "Colleagues");
            assertThat(admin.get("/desk/password").body()).contains("Смена пароля");
            assertThat(admin.get("/desk/reports/" + "a".repeat(32)).body()).as("error pages too")
                    .contains("Такого обращения или файла нет");

            assertThat(admin.postForm("/desk/me", "csrf", me.csrf(), "display_name", "", "language", "uk",
                    "time_zone", "Asia/Tokyo").status()).isEqualTo(303);
            Http.Page uk = admin.get("/desk/colleagues");
            assertThat(uk.body()).contains("lang=\"uk\"", "Колеги", "вимкнений з " + format(hour, "Asia/Tokyo"));
            assertThat(admin.postForm("/desk/me", "csrf", me.csrf(), "language", "de", "time_zone", "UTC").status())
                    .isEqualTo(400);
        }
    }

    private static String format(long epochSeconds, String zone) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT).withZone(ZoneId.of(zone))
                .format(Instant.ofEpochSecond(epochSeconds));
    }
}
