package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.config.UploadLimits;
import dev.postern.domain.CaseLog;
import dev.postern.intake.Answers;
import dev.postern.intake.DiskFloor;
import dev.postern.intake.ReportBudget;
import dev.postern.intake.IntakeException;
import dev.postern.intake.IntakeService;
import dev.postern.intake.ReceiptGate;
import dev.postern.intake.ReportContents;
import dev.postern.intake.SourceAccess;
import dev.postern.store.BlobStore;
import dev.postern.store.CaseLogStore;
import dev.postern.store.Database;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.ReceiptIndex;
import dev.postern.store.Recipients;
import dev.postern.store.ReportStatus;
import dev.postern.store.Reports;
import dev.postern.store.StoredReport;
import dev.postern.store.TestDatabases;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.Receipt;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.Totp;
import dev.postern.vault.VaultException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Grants, revocations with new key generations, restrictions, exclusions and jobs, on H2 and PostgreSQL. */
class AccessServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:17:42Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** One organization "news": editor (administrator, gets new reports), alice (gets new reports), bob (does not). */
    private record World(Jdbi jdbi, Organization org, Reports reports, Recipients recipients, IntakeService intake,
                         DeskService desk, AccessService access, List<CaseLog.Entry> log, Map<String, DeskSession> sessions) {
        static World open(Database db, Path dir) throws Exception {
            Jdbi jdbi = db.jdbi();
            RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
            Recipients recipients = new Recipients(jdbi, CLOCK, pins);
            Reports reports = new Reports(jdbi);
            BlobStore blobs = new BlobStore(dir);
            CaseLogKeys caseLogKeys = new CaseLogKeys(new CaseLogStore(jdbi), new OrgKeyWraps(jdbi), recipients, pins);
            AdminService admin = new AdminService(new Organizations(jdbi, CLOCK), recipients, caseLogKeys);
            Organization org = admin.addOrganization("news", "News", "");
            Map<String, NewRecipient> people = new HashMap<>();
            for (String name : List.of("editor", "alice", "bob")) {
                people.put(name, admin.addRecipient("news", name, name + " password 1"));
            }
            jdbi.useHandle(h -> {
                h.execute("UPDATE recipient SET role = 'ADMIN' WHERE username = 'editor'");
                h.execute("UPDATE recipient SET role = 'RECIPIENT' WHERE username <> 'editor'");
                h.execute("UPDATE recipient SET receives_new = FALSE WHERE username = 'bob'");
            });
            List<CaseLog.Entry> log = Collections.synchronizedList(new ArrayList<>());
            CaseLog caseLog = (orgId, entry) -> log.add(entry);
            IntakeService intake = new IntakeService(recipients, reports, blobs, new InstanceSecrets(jdbi), CLOCK,
                    UploadLimits.DEFAULTS, new ReceiptGate(CLOCK, 100), new ReportBudget() {
                        @Override
                        public boolean tryTake() {
                            return true;
                        }

                        @Override
                        public void giveBack() {
                        }
                    }, DiskFloor.none(), (orgId, reportId, left) -> caseLog.append(orgId,
                            new CaseLog.Entry(CaseLog.Action.EXCLUDED_BY_SOURCE, "source", left, reportId, 0)));
            DeskService desk = new DeskService(recipients, reports, blobs, CLOCK,
                    new OrgKeys(new OrgKeyWraps(jdbi), recipients, caseLogKeys), Optional.empty());
            AccessService access = new AccessService(reports, recipients, desk, caseLog, new AccessJobs());
            Map<String, DeskSession> sessions = new HashMap<>();
            for (Map.Entry<String, NewRecipient> p : people.entrySet()) {
                byte[] secret = Totp.fromBase32(p.getValue().totpSecret());
                sessions.put(p.getKey(), desk.login(p.getKey(), p.getValue().password(),
                        Totp.code(secret, Totp.step(CLOCK.instant()))));
            }
            return new World(jdbi, org, reports, recipients, intake, desk, access, log, sessions);
        }

        DeskSession as(String name) {
            return sessions.get(name);
        }

        String id(String name) {
            return as(name).recipientId();
        }

        long wrapsHeldBy(String name) {
            return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM report_key WHERE recipient_id = :p")
                    .bind("p", id(name)).mapTo(Long.class).one());
        }

        long count(String sql, String reportId) {
            return jdbi.withHandle(h -> h.createQuery(sql).bind("r", reportId).mapTo(Long.class).one());
        }
    }

    private static Receipt submit(World w, String text) throws Exception {
        try (IntakeService.Submission s = w.intake.begin(w.org)) {
            s.addFile("evidence.txt", new ByteArrayInputStream("the evidence".getBytes(StandardCharsets.UTF_8)));
            return s.complete(new Answers(text, "when", "where", "details"));
        }
    }

    private static String reportOf(World w, Receipt receipt) throws Exception {
        return w.intake.open(receipt.grouped()).reportId();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aGrantLetsTheGranteeReadAndARevocationLocksOutEverythingWrittenAfter(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            Receipt receipt = submit(w, "what happened");
            String r = reportOf(w, receipt);
            assertThatThrownBy(() -> w.desk.open(w.as("bob"), r)).isInstanceOf(DeskException.class)
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.NO_ACCESS);

            w.access.grant(w.as("editor"), r, w.id("bob"));
            assertThat(w.desk.open(w.as("bob"), r).answers().what()).isEqualTo("what happened");
            assertThat(w.log).extracting(CaseLog.Entry::action).contains(CaseLog.Action.GRANTED);
            long seqBefore = w.reports.access().changeSeq(r);

            ReportKey aliceOldKey = w.desk.keysOf(w.as("alice"), r).require(0);
            int g1 = w.access.revoke(w.as("editor"), r, w.id("alice"));
            assertThat(g1).isEqualTo(1);
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND recipient_id = '"
                    + w.id("alice") + "'", r)).isZero();
            assertThat(w.reports.access().changeSeq(r)).isGreaterThan(seqBefore);
            assertThat(w.log).extracting(CaseLog.Entry::action).contains(CaseLog.Action.REVOKED);
            assertThatThrownBy(() -> w.desk.open(w.as("alice"), r)).isInstanceOf(DeskException.class);

            // Every generation-1 wrap (recipients and source) stays shut to the revoked private key.
            for (byte[] wrap : w.jdbi.withHandle(h -> h.createQuery(
                    "SELECT wrapped_key FROM report_key WHERE report_id = :r AND generation = 1")
                    .bind("r", r).mapTo(byte[].class).list())) {
                assertThatThrownBy(() -> ReportKey.unwrap(w.as("alice").privateKey(), wrap, r, 1))
                        .isInstanceOf(VaultException.class);
            }
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND generation = 1", r)).isEqualTo(2);
            assertThat(w.count("SELECT COUNT(*) FROM report_source_key WHERE report_id = :r AND generation = 1", r))
                    .isEqualTo(1);

            // New content: a reply, a follow-up with a file from a fresh source visit.
            w.desk.reply(w.as("editor"), r, "a reply after the revocation");
            SourceAccess source = w.intake.open(receipt.grouped());
            assertThat(source.keys().currentGeneration()).isEqualTo(1);
            try (IntakeService.FollowUp f = w.intake.followUp(source)) {
                f.text("a message after the revocation");
                f.addFile("later.txt", new ByteArrayInputStream("later".getBytes(StandardCharsets.UTF_8)));
                f.complete("a message after the revocation");
            }
            assertThat(w.count("SELECT COUNT(*) FROM message WHERE report_id = :r AND key_generation <> 1", r)).isZero();
            assertThat(w.count("SELECT COUNT(*) FROM evidence_file WHERE report_id = :r AND key_generation = 1", r))
                    .isEqualTo(1);
            for (var m : w.reports.messages(r)) {
                assertThatThrownBy(() -> aliceOldKey.openString(m.body(), ObjectRef.message(r, m.id())))
                        .isInstanceOf(VaultException.class);
            }

            for (String reader : List.of("editor", "bob")) {
                ReportContents seen = w.desk.open(w.as(reader), r);
                assertThat(seen.conversation()).extracting(ReportContents.Entry::text)
                        .containsExactly("a reply after the revocation", "a message after the revocation");
                assertThat(seen.conversation().get(1).files()).extracting(ReportContents.FileEntry::name)
                        .containsExactly("later.txt");
            }
            ReportContents bySource = w.intake.conversation(w.intake.open(receipt.grouped()));
            assertThat(bySource.conversation()).extracting(ReportContents.Entry::text)
                    .containsExactly("a reply after the revocation", "a message after the revocation");
            assertThat(bySource.submittedFiles()).extracting(ReportContents.FileEntry::name).containsExactly("evidence.txt");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aSourceVisitOpenBeforeARevocationReadsWhatIsWrittenAfterIt(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            Receipt receipt = submit(w, "what happened");
            String r = reportOf(w, receipt);
            SourceAccess visit = w.intake.open(receipt.grouped());
            assertThat(visit.keys().currentGeneration()).isZero();
            w.access.revoke(w.as("editor"), r, w.id("alice"));
            w.desk.reply(w.as("editor"), r, "written under generation 1");
            // The visit fetches the new generation with its key pair; no error page for the source.
            assertThat(w.intake.conversation(visit).conversation()).extracting(ReportContents.Entry::text)
                    .containsExactly("written under generation 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aGrantPreparedBeforeARevocationAddsNothing(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            Receipt receipt = submit(w, "what happened");
            String r = reportOf(w, receipt);
            w.access.revoke(w.as("editor"), r, w.id("alice"));
            // A grant that wrapped generation 0 only, committing after the move to generation 1.
            assertThat(w.reports.access().grant(w.as("editor").organizationId(), r, w.id("bob"),
                    Map.of(0, new byte[] {1, 2, 3}))).isZero();
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND recipient_id = '"
                    + w.id("bob") + "'", r)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void restrictionIsOneRotationAndTheLastHolderStays(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            String r = reportOf(w, submit(w, "restrict me"));
            w.access.grant(w.as("editor"), r, w.id("bob"));
            assertThat(w.desk.keyHolders(w.as("editor"), r).holders()).hasSize(3);

            int g = w.access.restrict(w.as("alice"), r, Set.of(w.id("alice")));
            assertThat(g).isEqualTo(1);
            assertThat(w.desk.keyHolders(w.as("alice"), r).holders()).extracting(KeyHolder::username)
                    .containsExactly("alice");
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND recipient_id <> '"
                    + w.id("alice") + "'", r)).isZero();
            assertThatThrownBy(() -> w.access.revoke(w.as("alice"), r, w.id("alice")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.LAST_HOLDER);
            assertThatThrownBy(() -> w.access.revoke(w.as("editor"), r, w.id("alice")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.NO_ACCESS);
            assertThat(w.reports.access().currentGeneration(r)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aColleagueTheSourceLeftOutGetsNoKeyNowOrLater(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            w.jdbi.useHandle(h -> h.execute("UPDATE organization SET source_may_exclude = TRUE"));
            assertThat(w.intake.excludable(w.org)).extracting(a -> a.username()).containsExactly("alice", "editor");

            Receipt receipt;
            try (IntakeService.Submission s = w.intake.begin(w.org)) {
                assertThatThrownBy(() -> s.exclude(List.of(w.id("alice"), w.id("editor"))))
                        .extracting(e -> ((IntakeException) e).reason()).isEqualTo(IntakeException.Reason.NOBODY_LEFT);
                s.exclude(List.of(w.id("alice")));
                receipt = s.complete(new Answers("not for alice", "", "", ""));
            }
            String r = reportOf(w, receipt);
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND recipient_id = '"
                    + w.id("alice") + "'", r)).isZero();
            assertThat(w.count("SELECT COUNT(*) FROM report_exclusion WHERE report_id = :r", r)).isEqualTo(1);
            assertThat(w.log).contains(new CaseLog.Entry(CaseLog.Action.EXCLUDED_BY_SOURCE, "source", w.id("alice"), r, 0));
            assertThatThrownBy(() -> w.access.grant(w.as("editor"), r, w.id("alice")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.EXCLUDED_BY_SOURCE);
            assertThat(w.desk.keyHolders(w.as("editor"), r).grantable()).extracting(KeyHolders.Colleague::name)
                    .containsExactly("bob");

            AccessJobs.Job job = w.access.grantBacklog(w.as("editor"), w.id("alice"));
            await(job);
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND recipient_id = '"
                    + w.id("alice") + "'", r)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aGranteeWhoseKeyIsNotPinnedIsRefused(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            String r = reportOf(w, submit(w, "pinned only"));
            w.jdbi.useHandle(h -> h.execute("UPDATE recipient SET public_key_pin = NULL WHERE username = 'bob'"));
            assertThatThrownBy(() -> w.access.grant(w.as("editor"), r, w.id("bob")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.GRANTEE_KEY_NOT_PINNED);
            assertThatThrownBy(() -> w.access.grantBacklog(w.as("editor"), w.id("bob")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.GRANTEE_KEY_NOT_PINNED);
            assertThat(w.count("SELECT COUNT(*) FROM report_key WHERE report_id = :r AND recipient_id = '"
                    + w.id("bob") + "'", r)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aBacklogGrantCoversHundredsOfReportsInBatchesAndRerunsAsANoOp(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = World.open(db, dir);
            int n = 450;
            List<String> ids = seed(w, n);
            assertThatThrownBy(() -> w.access.grantBacklog(w.as("alice"), w.id("bob")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.ADMIN_ONLY);

            long start = System.nanoTime();
            AccessJobs.Job job = w.access.grantBacklog(w.as("editor"), w.id("bob"));
            assertThat(job.total()).isEqualTo(n);
            await(job);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("backlog grant of %d reports on %s: %d ms%n", n, kind, millis);
            assertThat(job.state()).isEqualTo(AccessJobs.State.DONE);
            assertThat(job.done()).isEqualTo(n);
            assertThat(job.skipped()).isZero();
            assertThat(w.access.job(w.as("editor"), job.id())).contains(job);
            assertThat(w.access.job(w.as("bob"), job.id())).isEmpty();
            assertThat(w.wrapsHeldBy("bob")).isEqualTo(n);
            assertThat(w.log.stream().filter(e -> e.action() == CaseLog.Action.BACKLOG_GRANTED).count()).isEqualTo(n);
            assertThat(w.desk.keysOf(w.as("bob"), ids.get(n - 1)).current()
                    .openString(w.reports.byId(ids.get(n - 1)).orElseThrow().answers(), ObjectRef.answers(ids.get(n - 1))))
                    .isNotEmpty();

            AccessJobs.Job again = w.access.grantBacklog(w.as("editor"), w.id("bob"));
            await(again);
            assertThat(again.total()).isZero();

            AccessJobs.Job revokeAll = w.access.revokeAllOf(w.as("editor"), w.id("bob"));
            await(revokeAll);
            assertThat(revokeAll.done()).isEqualTo(n);
            assertThat(w.wrapsHeldBy("bob")).isZero();
            assertThat(w.reports.access().currentGeneration(ids.get(0))).isEqualTo(1);
        }
    }

    /** Reports wrapped to the editor only, inserted directly (intake's receipt Argon2id would cost seconds each). */
    private static List<String> seed(World w, int n) {
        var editor = w.recipients.byId(w.id("editor")).orElseThrow();
        RecipientPublicKey pk = RecipientPublicKey.parse(editor.id(), editor.credentials().publicKeyset());
        long hour = Hours.now(CLOCK);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = Ids.newId();
            ReportKey key = ReportKey.generate();
            w.reports.insert(new StoredReport(id, w.org.id(), ReportStatus.NEW, hour, hour,
                            key.seal("report " + i, ObjectRef.answers(id)), new byte[] {1}),
                    new ReceiptIndex(Ids.newId(), null, Argon2Params.DEFAULT), Map.of(editor.id(), key.wrapTo(pk, id)),
                    List.of());
            ids.add(id);
        }
        return ids;
    }

    /** Waits for a job's virtual thread to end (bounded: a job that hangs fails the test). */
    private static void await(AccessJobs.Job job) throws InterruptedException {
        assertThat(job.awaitEnd(Duration.ofMinutes(1))).as("the job ended").isTrue();
        assertThat(job.running()).isFalse();
    }
}
