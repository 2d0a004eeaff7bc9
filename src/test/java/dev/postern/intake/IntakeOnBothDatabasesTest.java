package dev.postern.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.config.UploadLimits;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskService;
import dev.postern.desk.DeskSession;
import dev.postern.desk.OpenedEvidence;
import dev.postern.store.BlobStore;
import dev.postern.store.Database;
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
            Organizations orgs = new Organizations(db.jdbi(), CLOCK);
            Recipients recipients = new Recipients(db.jdbi(), CLOCK, new RecipientKeyPins(RecipientKeyPins.newPinningKey()));
            Reports reports = new Reports(db.jdbi());
            BlobStore blobs = new BlobStore(dir);
            AdminService admin = new AdminService(orgs, recipients);
            Organization org = admin.addOrganization("news", "News", "");
            NewRecipient editor = admin.addRecipient("news", "editor", "editor password 1");
            IntakeService intake = new IntakeService(recipients, reports, blobs, new InstanceSecrets(db.jdbi()), CLOCK,
                    UploadLimits.DEFAULTS, new ReceiptGate(CLOCK, 100));
            DeskService desk = new DeskService(recipients, reports, blobs, CLOCK, java.util.Optional.empty());

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
}
