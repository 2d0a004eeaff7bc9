package dev.postern.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.postern.admin.AdminException;
import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.config.UploadLimits;
import dev.postern.desk.DeskException;
import dev.postern.desk.CaseLogKeys;
import dev.postern.desk.DeskService;
import dev.postern.desk.OrgKeys;
import dev.postern.desk.DeskSession;
import dev.postern.desk.KeyHolder;
import dev.postern.store.BlobStore;
import dev.postern.store.CaseLogStore;
import dev.postern.store.Database;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.Ids;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.Recipients;
import dev.postern.store.Reports;
import dev.postern.store.TestDatabases;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.Receipt;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.Totp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Someone who can write to the database (but cannot read the pinning key on the application host)
 * adds a recipient row and swaps an existing recipient's public key: no report key is wrapped to
 * either, the alarm is logged, the honest recipient still reads, and the swapped key stops the
 * login. On H2 and PostgreSQL.
 */
class PinnedRecipientKeysTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:17:42Z"), ZoneOffset.UTC);
    private static final String WHAT = "the colonel sold the fuel";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aDatabaseWriterGetsNoReportKey(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Jdbi jdbi = db.jdbi();
            RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
            Recipients recipients = new Recipients(jdbi, CLOCK, pins);
            Reports reports = new Reports(jdbi);
            BlobStore blobs = new BlobStore(dir);
            CaseLogKeys caseLogKeys = new CaseLogKeys(new CaseLogStore(jdbi), new OrgKeyWraps(jdbi), recipients, pins);
            AdminService admin = new AdminService(new Organizations(jdbi, CLOCK), recipients, caseLogKeys);
            Organization org = admin.addOrganization("news", "News", "");
            NewRecipient editor = admin.addRecipient("news", "editor", "editor password 1");
            NewRecipient victim = admin.addRecipient("news", "victim", "victim password 1");
            IntakeService intake = new IntakeService(recipients, reports, blobs, new InstanceSecrets(jdbi), CLOCK,
                    UploadLimits.DEFAULTS, new ReceiptGate(CLOCK, 100));
            DeskService desk = new DeskService(recipients, reports, blobs, CLOCK,
                    new OrgKeys(new OrgKeyWraps(db.jdbi()), recipients, caseLogKeys), Optional.empty());

            // The attacker's own key pair, in a row of their own and in place of the victim's public key.
            byte[] attackerTotp = Totp.newSecret();
            String intruderId = Ids.newId();
            RecipientCredentials intruder = RecipientCredentials.create(intruderId, "intruder password", attackerTotp,
                    Argon2Params.DEFAULT);
            insertRow(jdbi, intruderId, org.id(), "intruder", intruder, null);
            String forgedId = Ids.newId();
            insertRow(jdbi, forgedId, org.id(), "forged", RecipientCredentials.create(forgedId, "forged password 1",
                    Totp.newSecret(), Argon2Params.DEFAULT), new byte[37]);
            jdbi.useHandle(h -> h.createUpdate("UPDATE recipient SET public_keyset = :pub WHERE id = :id")
                    .bind("pub", intruder.publicKeyset()).bind("id", victim.id()).execute());

            Logged<Receipt> submitted = logged(() -> {
                try (IntakeService.Submission s = intake.begin(org)) {
                    s.addFile("evidence.txt", new ByteArrayInputStream("the evidence".getBytes(StandardCharsets.UTF_8)));
                    return s.complete(new Answers(WHAT, "when", "where", "details"));
                }
            });
            Receipt receipt = submitted.value();
            String log = submitted.log();
            String reportId = intake.open(receipt.grouped()).reportId();

            List<String> wrappedTo = jdbi.withHandle(h -> h.createQuery(
                            "SELECT recipient_id FROM report_key WHERE report_id = :r").bind("r", reportId)
                    .mapTo(String.class).list());
            assertThat(wrappedTo).containsExactly(editor.id());
            assertThat(log).contains("ALARM").contains(intruderId).contains(forgedId).contains(victim.id())
                    .doesNotContain(editor.id()).doesNotContain(WHAT).doesNotContain("evidence").doesNotContain(reportId);

            // The honest recipient reads it, and sees who holds its key.
            DeskSession session = desk.login("editor", editor.password(), code(editor.totpSecret()));
            assertThat(desk.open(session, reportId).answers().what()).isEqualTo(WHAT);
            assertThat(desk.keyHolders(session, reportId).holders()).extracting(KeyHolder::username, KeyHolder::keyPinned)
                    .containsExactly(tuple("editor", true));

            // A swapped public key stops its owner's login; so does a row nobody pinned.
            String loginLog = logged(() -> {
                assertThatThrownBy(() -> desk.login("victim", victim.password(), code(victim.totpSecret())))
                        .isInstanceOfSatisfying(DeskException.class,
                                e -> assertThat(e.reason()).isEqualTo(DeskException.Reason.KEY_NOT_PINNED));
                assertThatThrownBy(() -> desk.login("intruder", "intruder password",
                        Totp.code(attackerTotp, Totp.step(CLOCK.instant()))))
                        .isInstanceOfSatisfying(DeskException.class,
                                e -> assertThat(e.reason()).isEqualTo(DeskException.Reason.KEY_NOT_PINNED));
                return null;
            }).log();
            assertThat(loginLog).contains("ALARM").contains(victim.id()).contains(intruderId);

            // Directory times after a submission are whole hours too.
            for (Path d : List.of(dir.resolve("blobs").resolve(reportId), dir.resolve("blobs"), dir.resolve("incoming"))) {
                assertThat(Files.getLastModifiedTime(d).toInstant().getEpochSecond() % 3600).as(d.toString()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void anUnpinnedRowIsPinnedOnlyDeliberatelyAndAnOrganizationWithoutPinnedKeysTakesNothing(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Jdbi jdbi = db.jdbi();
            RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
            Recipients recipients = new Recipients(jdbi, CLOCK, pins);
            Reports reports = new Reports(jdbi);
            BlobStore blobs = new BlobStore(dir);
            CaseLogKeys caseLogKeys = new CaseLogKeys(new CaseLogStore(jdbi), new OrgKeyWraps(jdbi), recipients, pins);
            AdminService admin = new AdminService(new Organizations(jdbi, CLOCK), recipients, caseLogKeys);
            Organization org = admin.addOrganization("news", "News", "");
            NewRecipient legacy = admin.addRecipient("news", "legacy", "legacy password 1");
            // A row from before pinning (or pinned under a lost key).
            jdbi.useHandle(h -> h.createUpdate("UPDATE recipient SET public_key_pin = NULL WHERE id = :id")
                    .bind("id", legacy.id()).execute());
            IntakeService intake = new IntakeService(recipients, reports, blobs, new InstanceSecrets(jdbi), CLOCK,
                    UploadLimits.DEFAULTS, new ReceiptGate(CLOCK, 100));
            String log = logged(() -> {
                assertThatThrownBy(() -> intake.begin(org)).isInstanceOfSatisfying(IntakeException.class,
                        e -> assertThat(e.reason()).isEqualTo(IntakeException.Reason.NO_RECIPIENTS));
                return null;
            }).log();
            assertThat(log).contains("ALARM").contains(legacy.id());

            String fingerprint = RecipientKeyPins.fingerprint(recipients.byId(legacy.id()).orElseThrow()
                    .credentials().publicKeyset());
            assertThatThrownBy(() -> admin.pinRecipientKey("legacy", "0000 1111")).isInstanceOf(AdminException.class);
            assertThat(recipients.byId(legacy.id()).orElseThrow().keyPinned()).isFalse();
            AdminService.PinnedKey pinned = admin.pinRecipientKey("legacy", fingerprint.toUpperCase());
            assertThat(pinned.fingerprint()).isEqualTo(fingerprint);
            assertThat(pinned.wasPinned()).isFalse();
            assertThat(recipients.byId(legacy.id()).orElseThrow().keyPinned()).isTrue();

            DeskService desk = new DeskService(recipients, reports, blobs, CLOCK,
                    new OrgKeys(new OrgKeyWraps(db.jdbi()), recipients, caseLogKeys), Optional.empty());
            try (IntakeService.Submission s = intake.begin(org)) {
                s.complete(new Answers(WHAT, "", "", ""));
            }
            DeskSession session = desk.login("legacy", legacy.password(), code(legacy.totpSecret()));
            assertThat(desk.reports(session)).singleElement().satisfies(r -> assertThat(r.readable()).isTrue());
        }
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    private record Logged<T>(T value, String log) {
    }

    /** Runs {@code action} with standard error (where the log goes) captured; passes it on afterwards. */
    private static <T> Logged<T> logged(Action<T> action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        T value;
        try {
            value = action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return new Logged<>(value, text);
    }

    private static String code(String base32) {
        return Totp.code(Totp.fromBase32(base32), Totp.step(CLOCK.instant()));
    }

    private static void insertRow(Jdbi jdbi, String id, String organizationId, String username, RecipientCredentials c,
                                  byte[] pin) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO recipient (id, organization_id, username, kdf_salt, kdf_memory_kib, kdf_iterations,
                        kdf_parallelism, password_verifier, public_keyset, wrapped_private_keyset, wrapped_totp_secret,
                        totp_last_step, created_at, public_key_pin)
                        VALUES (:id, :org, :u, :salt, :m, :t, :p, :v, :pub, :priv, :totp, 0, 0, :pin)""")
                .bind("id", id).bind("org", organizationId).bind("u", username).bind("salt", c.salt())
                .bind("m", c.params().memoryKib()).bind("t", c.params().iterations())
                .bind("p", c.params().parallelism()).bind("v", c.verifier()).bind("pub", c.publicKeyset())
                .bind("priv", c.wrappedPrivateKeyset()).bind("totp", c.wrappedTotpSecret()).bind("pin", pin)
                .execute());
    }
}
