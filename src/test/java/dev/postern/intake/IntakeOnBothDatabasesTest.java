package dev.postern.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.admin.AdminException;
import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.config.UploadLimits;
import dev.postern.desk.DeskException;
import dev.postern.desk.CaseLogKeys;
import dev.postern.desk.DeskService;
import dev.postern.desk.OrgKeys;
import dev.postern.desk.DeskSession;
import dev.postern.desk.OpenedEvidence;
import dev.postern.store.BlobStore;
import dev.postern.store.CaseLogStore;
import dev.postern.store.Database;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.Recipients;
import dev.postern.store.Reports;
import dev.postern.store.TestDatabases;
import dev.postern.vault.Receipt;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.Totp;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole source-to-desk path through the services, on H2 and (when reachable) PostgreSQL. */
class IntakeOnBothDatabasesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:17:42Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void reportTravelsFromSourceToDeskAndBack(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Services services = Services.open(db, dir, UploadLimits.DEFAULTS);
            AdminService admin = services.admin();
            Organization org = services.org();
            NewRecipient editor = services.editor();
            IntakeService intake = services.intake();
            DeskService desk = services.desk();

            Receipt receipt;
            try (IntakeService.Submission s = intake.begin(org)) {
                s.addFile("evidence.txt", new ByteArrayInputStream("the evidence".getBytes(StandardCharsets.UTF_8)));
                receipt = s.complete(new Answers("what", "when", "where", "details"));
            }
            NewRecipient late = admin.addRecipient("news", "late", "late password 12");

            SourceAccess access = intake.open(receipt.grouped());
            assertThat(intake.conversation(access).answers().what()).isEqualTo("what");
            assertThat(intake.conversation(access).createdHour() % 3600).isZero();
            try (IntakeService.FollowUp f = intake.followUp(access)) {
                f.complete("a follow-up");
            }
            assertThatThrownBy(() -> intake.open("00000 00000 00000 00000 00000"))
                    .isInstanceOf(IntakeException.class);

            byte[] secret = Totp.fromBase32(editor.totpSecret());
            DeskSession session = desk.login("editor", editor.password(), Totp.code(secret, Totp.step(CLOCK.instant())));
            var list = desk.reports(session);
            assertThat(list).singleElement().satisfies(r -> {
                assertThat(r.unread()).isTrue();
                assertThat(r.headline()).isEqualTo("what");
            });
            String reportId = list.get(0).id();
            ReportContents contents = desk.open(session, reportId);
            assertThat(contents.conversation()).extracting(ReportContents.Entry::text).containsExactly("a follow-up");
            OpenedEvidence ev = desk.evidence(session, reportId, contents.submittedFiles().get(0).id());
            assertThat(ev.name()).isEqualTo("evidence.txt");
            try (SeekableByteChannel ch = ev.opener().open()) {
                ByteBuffer b = ByteBuffer.allocate(100);
                ch.read(b);
                assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isEqualTo("the evidence");
            }
            desk.reply(session, reportId, "thanks");
            assertThat(intake.conversation(access).conversation()).extracting(ReportContents.Entry::text)
                    .containsExactly("a follow-up", "thanks");

            DeskSession lateSession = desk.login("late", late.password(),
                    Totp.code(Totp.fromBase32(late.totpSecret()), Totp.step(CLOCK.instant())));
            assertThat(desk.reports(lateSession)).singleElement().satisfies(r -> assertThat(r.readable()).isFalse());
            assertThatThrownBy(() -> desk.open(lateSession, reportId)).isInstanceOf(DeskException.class);
        }
    }

    /** Receipt first on both databases: empty reports, answers once, files one by one, the sweep. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void receiptFirstOnBothDatabases(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Services services = Services.open(db, dir, new UploadLimits(1000, 2500, 3));
            Organization org = services.org();
            NewRecipient editor = services.editor();
            Reports reports = services.reports();
            IntakeService intake = services.intake();
            DeskService desk = services.desk();
            DeskSession session = desk.login("editor", editor.password(),
                    Totp.code(Totp.fromBase32(editor.totpSecret()), Totp.step(CLOCK.instant())));

            Started withFiles = start(intake, org);
            Started withAnswers = start(intake, org);
            Started empty = start(intake, org);
            assertThat(desk.reports(session)).as("empty reports are not listed").isEmpty();
            assertThatThrownBy(() -> desk.open(session, empty.access().reportId())).isInstanceOf(DeskException.class);
            assertThat(intake.answersOpen(empty.access())).isTrue();

            String batch = Ids.newId();
            try (IntakeService.FileBatch files = intake.addFiles(withFiles.access(), -1, () -> batch)) {
                for (String name : new String[] {"one.bin", "two.bin"}) {
                    IntakeService.IncomingFile f = files.beginFile(name);
                    f.write(new byte[900], 0, 900);
                    f.finish();
                }
                assertThat(files.committed()).isEqualTo(2);
            }
            assertThat(reports.files(withFiles.access().reportId())).as("committed one by one").hasSize(2);
            try (IntakeService.FileBatch again = intake.addFiles(withFiles.access(), -1, () -> batch)) {
                IntakeService.IncomingFile f = again.beginFile("one.bin");
                f.write(new byte[900], 0, 900);
                f.finish();
                assertThat(again.committed()).as("the same file resent under the same batch").isZero();
                IntakeService.IncomingFile over = again.beginFile("three.bin");
                assertThatThrownBy(() -> over.write(new byte[800], 0, 800)).as("per-report bytes")
                        .isInstanceOf(IntakeException.class)
                        .satisfies(e -> assertThat(((IntakeException) e).reason())
                                .isEqualTo(IntakeException.Reason.REPORT_TOO_LARGE));
            }
            try (IntakeService.FollowUp f = intake.followUp(withFiles.access())) {
                f.text("with a photo");
                IntakeService.IncomingFile photo = f.beginFile("photo.jpg");
                photo.write(new byte[10], 0, 10);
                photo.finish();
                assertThat(f.stored()).isTrue();
                assertThatThrownBy(() -> f.beginFile("too-many.bin")).isInstanceOf(IntakeException.class);
                f.complete("with a photo");
            }

            intake.saveAnswers(withAnswers.access(), new Answers("later", "", "", "typed after the receipt"));
            assertThatThrownBy(() -> intake.saveAnswers(withAnswers.access(), new Answers("again", "", "", "")))
                    .isInstanceOf(IntakeException.class).satisfies(e -> assertThat(((IntakeException) e).reason())
                            .isEqualTo(IntakeException.Reason.ANSWERS_ALREADY_SET));
            assertThat(intake.conversation(withAnswers.access()).answers().what()).isEqualTo("later");

            assertThat(desk.reports(session)).hasSize(2);
            ReportContents shown = desk.open(session, withFiles.access().reportId());
            assertThat(shown.submittedFiles()).extracting(ReportContents.FileEntry::name)
                    .containsExactly("one.bin", "two.bin");
            assertThat(shown.conversation()).singleElement().satisfies(e -> {
                assertThat(e.text()).isEqualTo("with a photo");
                assertThat(e.files()).extracting(ReportContents.FileEntry::name).containsExactly("photo.jpg");
            });

            long nextHour = Hours.now(CLOCK) + 3600;
            assertThat(reports.deleteEmptyBefore(nextHour)).isEqualTo(1);
            assertThat(reports.byId(empty.access().reportId())).isEmpty();
            assertThatThrownBy(() -> intake.open(empty.receipt().grouped())).isInstanceOf(IntakeException.class);
            assertThat(reports.deleteEmptyBefore(nextHour)).isZero();
            assertThat(desk.reports(session)).hasSize(2);
        }
    }

    /** The services of one instance on {@code db}, with organisation "news" and its recipient "editor". */
    private record Services(AdminService admin, Organization org, NewRecipient editor, Reports reports,
            IntakeService intake, DeskService desk) {
        static Services open(Database db, Path dir, UploadLimits limits) throws AdminException {
            Organizations orgs = new Organizations(db.jdbi(), CLOCK);
            RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
            Recipients recipients = new Recipients(db.jdbi(), CLOCK, pins);
            Reports reports = new Reports(db.jdbi());
            BlobStore blobs = new BlobStore(dir);
            CaseLogKeys caseLogKeys = new CaseLogKeys(new CaseLogStore(db.jdbi()), new OrgKeyWraps(db.jdbi()),
                    recipients, pins);
            AdminService admin = new AdminService(orgs, recipients, caseLogKeys);
            Organization org = admin.addOrganization("news", "News", "");
            NewRecipient editor = admin.addRecipient("news", "editor", "editor password 1");
            IntakeService intake = new IntakeService(recipients, reports, blobs, new InstanceSecrets(db.jdbi()), CLOCK,
                    limits, new ReceiptGate(CLOCK, 100));
            DeskService desk = new DeskService(recipients, reports, blobs, CLOCK,
                    new OrgKeys(new OrgKeyWraps(db.jdbi()), recipients, caseLogKeys), Optional.empty());
            return new Services(admin, org, editor, reports, intake, desk);
        }
    }

    private static Started start(IntakeService intake, Organization org) throws Exception {
        try (IntakeService.Submission s = intake.begin(org)) {
            return s.complete(new Answers("", "", "", ""), () -> true);
        }
    }
}
