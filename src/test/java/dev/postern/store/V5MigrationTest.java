package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8's migration on a database that already holds reports: the wraps made before key
 * generations existed become generation 0, the recipients of an existing deployment become
 * administrators (the operator made them), new ones default to plain recipients, and the wider
 * primary key of {@code report_key} refuses a second wrap of one generation to one recipient.
 */
class V5MigrationTest {
    private static final byte[] ONE = {1};
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aVersion4DatabaseKeepsItsWrapsAsGenerationZero(String kind) throws Exception {
        String url = kind.equals("postgresql") ? TestDatabases.freshPostgresSchema() : Database.embeddedUrl(dir);
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").target("4.1").load().migrate();
        Jdbi before = Jdbi.create(url, "", "");
        before.useHandle(h -> {
            h.execute("INSERT INTO organization (id, slug, name, notice, created_at) VALUES ('o1', 'o', 'O', '', 0)");
            h.createUpdate("""
                    INSERT INTO recipient (id, organization_id, username, kdf_salt, kdf_memory_kib, kdf_iterations,
                    kdf_parallelism, password_verifier, public_keyset, wrapped_private_keyset, wrapped_totp_secret,
                    totp_last_step, created_at) VALUES ('r1', 'o1', 'old', :b, 1, 1, 1, :b, :b, :b, :b, 0, 0)""").bind("b", ONE).execute();
            h.createUpdate("""
                    INSERT INTO report (id, organization_id, receipt_lookup, receipt_tag, receipt_kdf_memory_kib,
                    receipt_kdf_iterations, receipt_kdf_parallelism, receipt_wrapped_key, answers, status,
                    created_hour, source_activity_hour, answers_set, has_content)
                    VALUES ('p1', 'o1', 'lookup', 'tag', 1, 1, 1, :b, :b, 'NEW', 3600, 3600, TRUE, TRUE)""").bind("b", ONE).execute();
            h.createUpdate("INSERT INTO report_key (report_id, recipient_id, wrapped_key) VALUES ('p1', 'r1', :k)")
                    .bind("k", new byte[] {0x0A, 0x0B}).execute();
        });

        try (Database db = Database.open(url, "", "")) {
            Jdbi jdbi = db.jdbi();
            jdbi.useHandle(h -> {
                assertThat(h.createQuery("SELECT generation FROM report_key WHERE report_id = 'p1' AND recipient_id = 'r1'")
                        .mapTo(Integer.class).one()).isZero();
                assertThat(h.createQuery("SELECT wrapped_key FROM report_key WHERE report_id = 'p1'")
                        .mapTo(byte[].class).one()).containsExactly(0x0A, 0x0B);
                assertThat(h.createQuery("SELECT role FROM recipient WHERE id = 'r1'").mapTo(String.class).one())
                        .isEqualTo("ADMIN");
                assertThat(h.createQuery("SELECT key_generation FROM report WHERE id = 'p1'").mapTo(Integer.class).one())
                        .isZero();
                h.createUpdate("""
                        INSERT INTO recipient (id, organization_id, username, kdf_salt, kdf_memory_kib, kdf_iterations,
                        kdf_parallelism, password_verifier, public_keyset, wrapped_private_keyset, wrapped_totp_secret,
                        totp_last_step, created_at) VALUES ('r2', 'o1', 'new', :b, 1, 1, 1, :b, :b, :b, :b, 0, 0)""").bind("b", ONE).execute();
                assertThat(h.createQuery("SELECT role FROM recipient WHERE id = 'r2'").mapTo(String.class).one())
                        .isEqualTo("RECIPIENT");
                h.createUpdate("INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key) VALUES ('p1', 'r1', 1, :b)")
                        .bind("b", ONE).execute();
            });
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.createUpdate(
                    "INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key) VALUES ('p1', 'r1', 1, :b)").bind("b", ONE).execute()))
                    .as("a second wrap of one generation to one recipient").isInstanceOf(Exception.class);
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.createUpdate(
                    "INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key) VALUES ('nope', 'r1', 0, :b)").bind("b", ONE).execute()))
                    .as("the renamed table keeps its foreign keys").isInstanceOf(Exception.class);
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.createUpdate(
                    "INSERT INTO report_key (report_id, recipient_id, wrapped_key) VALUES ('p1', 'r2', :b)").bind("b", ONE).execute()))
                    .as("every wrap names its generation").isInstanceOf(Exception.class);
        }
    }
}
