package dev.postern.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.admin.AdminService;
import dev.postern.desk.CaseLogKeys;
import dev.postern.config.UploadLimits;
import dev.postern.store.BlobStore;
import dev.postern.store.CaseLogStore;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.Database;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.Recipients;
import dev.postern.store.Reports;
import dev.postern.store.TestDatabases;
import dev.postern.testing.MutableClock;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Receipts are checked cheapest first: malformed ones and ones whose tag matches no report cost no
 * Argon2id and spend no budget; the Argon2id cost is the one recorded for the report; reports from
 * before receipt tags still open, and get their tag.
 */
class ReceiptAdmissionTest {
    @TempDir
    Path dir;

    /** {@code restarted} makes a new service on the same database, as after a restart. */
    private record Setup(Database db, IntakeService intake, Receipt receipt, String reportId,
                         Supplier<IntakeService> restarted) {
    }

    private Setup setUp(String kind, int budgetPerMinute, MutableClock clock) throws Exception {
        Database db = TestDatabases.open(kind, dir);
        Organizations orgs = new Organizations(db.jdbi(), clock);
        RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
        Recipients recipients = new Recipients(db.jdbi(), clock, pins);
        Reports reports = new Reports(db.jdbi());
        AdminService admin = new AdminService(orgs, recipients,
                new CaseLogKeys(new CaseLogStore(db.jdbi()), new OrgKeyWraps(db.jdbi()), recipients, pins));
        Organization org = admin.addOrganization("news", "News", "");
        admin.addRecipient("news", "editor", "editor password 1");
        Supplier<IntakeService> start = () -> new IntakeService(recipients, reports, new BlobStore(dir),
                new InstanceSecrets(db.jdbi()), clock, UploadLimits.DEFAULTS, new ReceiptGate(clock, budgetPerMinute));
        IntakeService intake = start.get();
        Receipt receipt;
        try (IntakeService.Submission s = intake.begin(org)) {
            receipt = s.complete(new Answers("what", "", "", ""));
        }
        SourceAccess access = intake.open(receipt.grouped());
        return new Setup(db, intake, receipt, access.reportId(), start);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void malformedAndUnmatchedReceiptsCostNothingAndSpendNoBudget(String kind) throws Exception {
        MutableClock clock = new MutableClock();
        Setup s = setUp(kind, 2, clock);
        try (Database db = s.db()) {
            clock.advance(Duration.ofMinutes(1)); // the set-up's own open refilled
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                String fake = i % 2 == 0 ? Receipt.generate().grouped() : "not a receipt " + i;
                assertThatThrownBy(() -> s.intake().open(fake)).isInstanceOfSatisfying(IntakeException.class,
                        e -> assertThat(e.reason()).isEqualTo(IntakeException.Reason.WRONG_RECEIPT));
            }
            // 50 Argon2id evaluations would take well over 10 s here; 100 HMACs and queries do not.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // The budget (2) is untouched, and opens that succeed give their check back...
            for (int i = 0; i < ReceiptTagThrottle.CHECKS_PER_MINUTE; i++) {
                assertThat(s.intake().open(s.receipt().grouped()).reportId()).isEqualTo(s.reportId());
            }
            // ...so only the per-tag limit stops one receipt posted over and over.
            assertThatThrownBy(() -> s.intake().open(s.receipt().grouped())).as("a 4th check of one tag in a minute")
                    .isInstanceOfSatisfying(IntakeException.class,
                            e -> assertThat(e.reason()).isEqualTo(IntakeException.Reason.TOO_MANY_ATTEMPTS));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void theArgon2idCostIsRecordedPerReportAndUsedWhenOpening(String kind) throws Exception {
        MutableClock clock = new MutableClock();
        Setup s = setUp(kind, 100, clock);
        try (Database db = s.db()) {
            Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT receipt_kdf_memory_kib AS m, receipt_kdf_iterations AS t, receipt_kdf_parallelism AS p,
                            receipt_tag AS tag FROM report WHERE id = :id""")
                    .bind("id", s.reportId()).mapToMap().one());
            assertThat(row.get("m")).isEqualTo(Argon2Params.DEFAULT.memoryKib());
            assertThat(row.get("t")).isEqualTo(Argon2Params.DEFAULT.iterations());
            assertThat(row.get("p")).isEqualTo(Argon2Params.DEFAULT.parallelism());
            assertThat((String) row.get("tag")).hasSize(8);
            // Another recorded cost gives another key: opening follows the record, not today's default.
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE report SET receipt_kdf_iterations = 4 WHERE id = :id")
                    .bind("id", s.reportId()).execute());
            assertThatThrownBy(() -> s.intake().open(s.receipt().grouped())).isInstanceOf(IntakeException.class);
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE report SET receipt_kdf_iterations = 3 WHERE id = :id")
                    .bind("id", s.reportId()).execute());
            assertThat(s.intake().open(s.receipt().grouped()).reportId()).isEqualTo(s.reportId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aReportFromBeforeReceiptTagsStillOpensAndGetsItsTag(String kind) throws Exception {
        MutableClock clock = new MutableClock();
        Setup s = setUp(kind, 100, clock);
        try (Database db = s.db()) {
            String tag = db.jdbi().withHandle(h -> h.createQuery("SELECT receipt_tag FROM report WHERE id = :id")
                    .bind("id", s.reportId()).mapTo(String.class).one());
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE report SET receipt_tag = NULL WHERE id = :id")
                    .bind("id", s.reportId()).execute());
            IntakeService afterMigration = s.restarted().get();
            assertThatThrownBy(() -> afterMigration.open(Receipt.generate().grouped()))
                    .isInstanceOf(IntakeException.class);
            assertThat(afterMigration.open(s.receipt().grouped()).reportId()).isEqualTo(s.reportId());
            String retagged = db.jdbi().withHandle(h -> h.createQuery("SELECT receipt_tag FROM report WHERE id = :id")
                    .bind("id", s.reportId()).mapTo(String.class).one());
            assertThat(retagged).isEqualTo(tag);
            assertThat(afterMigration.open(s.receipt().grouped()).reportId()).isEqualTo(s.reportId());
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> afterMigration.open(Receipt.generate().grouped()))
                        .isInstanceOf(IntakeException.class);
            }
            // 20 Argon2id evaluations take well over 5 s here.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no untagged report left: fakes are cheap again")
                    .isLessThan(Duration.ofSeconds(3));
        }
    }
}
