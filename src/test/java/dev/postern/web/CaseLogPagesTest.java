package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.admin.NewRecipient;
import dev.postern.domain.CaseLog;
import dev.postern.store.Organization;
import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import dev.postern.vault.Totp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /desk/log}: administrators read the decrypted log, paged; anyone else gets 403. */
class CaseLogPagesTest {
    private static final Pattern ROW = Pattern.compile("<tr class=\"log-entry\" data-seq=\"([0-9]+)\">");

    @TempDir
    Path dir;

    @Test
    void administratorsReadTheLogInWordsAndAPlainRecipientGets403() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            setRole(instance.recipient.id(), "ADMIN");
            setDisplayName(instance.recipient.id(), "Erika Editor");
            NewRecipient clerk = instance.postern.admin().addRecipient("news", "clerk", "clerk password 12345");
            setDisplayName(clerk.id(), "Carl Clerk");
            Organization news = instance.postern.admin().organizations().stream()
                    .filter(o -> o.slug().equals("news")).findFirst().orElseThrow();

            Http admin = new Http(instance);
            assertThat(admin.loginDesk(instance).status()).isEqualTo(303);
            for (int i = 0; i < 55; i++) {
                instance.postern.caseLog().append(news.id(), new CaseLog.Entry(CaseLog.Action.GRANTED,
                        instance.recipient.id(), clerk.id(), "report" + i + "xxxxxxxxxxxxxxxxxxxxxxxx", 0));
            }
            instance.postern.caseLog().append(news.id(), new CaseLog.Entry(CaseLog.Action.EXCLUDED_BY_SOURCE,
                    "source", clerk.id(), "reportzzzzzzzzzzzzzzzzzzzzzzzzzz", 0));

            Http.Page first = admin.get("/desk/log");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("id=\"case-log\"", "id=\"log-pager\"", "Left out by the source",
                    "The source", "Access granted", "Erika Editor", "Carl Clerk", "Page 1 of 2");
            Http.Page second = admin.get("/desk/log?page=2");
            List<Long> older = seqs(second.body());
            // 56 appended here, after the entries of adding the colleagues (the CLI's).
            assertThat(older).hasSizeBetween(6, 50).endsWith(1L);
            assertThat(second.body()).contains("Colleague added", "Command line (server administrator)");
            long total = 50 + older.size();
            assertThat(seqs(first.body())).hasSize(50).startsWith(total, total - 1);
            assertThat(admin.get("/desk/log?page=zz").status()).isEqualTo(200);

            Http plain = new Http(instance);
            Http.Page form = plain.get("/desk/login");
            assertThat(plain.postForm("/desk/login", "csrf", form.csrf(), "username", "clerk",
                    "password", "clerk password 12345", "totp", Totp.code(Totp.fromBase32(clerk.totpSecret()),
                            Totp.step(instance.clock.instant()))).status()).isEqualTo(303);
            Http.Page refused = plain.get("/desk/log");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("Carl Clerk", "case-log\"");
        }
    }

    private static List<Long> seqs(String body) {
        List<Long> seqs = new ArrayList<>();
        Matcher m = ROW.matcher(body);
        while (m.find()) {
            seqs.add(Long.parseLong(m.group(1)));
        }
        return seqs;
    }

    private void setRole(String recipientId, String role) throws Exception {
        update("UPDATE recipient SET role = ? WHERE id = ?", role, recipientId);
    }

    private void setDisplayName(String recipientId, String name) throws Exception {
        update("UPDATE recipient SET display_name = ? WHERE id = ?", name, recipientId);
    }

    private void update(String sql, String a, String b) throws Exception {
        try (Connection c = DriverManager.getConnection(AtRestScanTest.h2Url(dir));
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, a);
            s.setString(2, b);
            s.executeUpdate();
        }
    }
}
