package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.config.UploadLimits;
import dev.postern.domain.Role;
import dev.postern.domain.StatusChange;
import dev.postern.domain.StatusNames;
import dev.postern.intake.Answers;
import dev.postern.intake.IntakeService;
import dev.postern.intake.ReceiptGate;
import dev.postern.intake.SourceCaseView;
import dev.postern.intake.Started;
import dev.postern.store.BlobStore;
import dev.postern.store.CaseLogStore;
import dev.postern.store.CaseNotes;
import dev.postern.store.CaseStore;
import dev.postern.store.Database;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.OrgVocabulary;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.Recipients;
import dev.postern.store.ReportStatus;
import dev.postern.store.Reports;
import dev.postern.store.TestDatabases;
import dev.postern.testing.MutableClock;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.ReportKey;
import dev.postern.vault.Totp;
import dev.postern.vault.VaultException;
import dev.postern.web.Texts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Statuses, acknowledgement, feedback and notes through the services, on H2 and PostgreSQL. */
class CaseServiceTest {
    private static final String REASON = "ReasonMarker-7d1c";
    private static final String NOTE = "NoteMarker-41aa";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aStatusChangeIsSealedAndTheSourceSeesOnlyItsName(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Fixture f = Fixture.open(db, dir);
            Started report = f.report();
            String id = report.access().reportId();
            DeskSession admin = f.login(Role.ADMIN);

            OrgStatus closed = f.cases.statusSettings(admin).stream()
                    .filter(s -> s.phase() == ReportStatus.CLOSED && s.isSubStatus()).findFirst().orElseThrow();
            assertThat(f.cases.statusSettings(admin)).extracting(s -> s.names().en())
                    .containsExactly("New", "Acknowledged", "In progress", "Closed", "substantiated",
                            "not substantiated", "referred to another body", "no action possible");
            assertThatThrownBy(() -> f.cases.changeStatus(admin, id, closed.id(), " ", null))
                    .isInstanceOf(DeskException.class).extracting(e -> ((DeskException) e).reason())
                    .isEqualTo(DeskException.Reason.REASON_REQUIRED);
            f.cases.changeStatus(admin, id, closed.id(), REASON, null);

            List<CaseStore.SealedRow> rows = f.store.statusChanges(id);
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(new String(row.body(), StandardCharsets.ISO_8859_1)).doesNotContain(REASON, "substantiated");
                assertThat(row.generation()).isZero();
                assertThat(row.createdHour() % 3600).isZero();
                StatusChange change = StatusChange.decode(report.access().keys().require(0).open(row.body(),
                        ObjectRef.statusChange(id, row.id())));
                assertThat(change.reason()).isEqualTo(REASON);
                assertThat(change.by()).isEqualTo(admin.recipientId());
                assertThat(change.nameIn("uk")).isEqualTo("Закрито — факти підтвердилися");
                // Without this report's key the reason does not open: another key, or the row moved as a note.
                assertThatThrownBy(() -> ReportKey.generate().open(row.body(), ObjectRef.statusChange(id, row.id())))
                        .isInstanceOf(VaultException.class);
                assertThatThrownBy(() -> report.access().keys().require(0).open(row.body(), ObjectRef.note(id, row.id())))
                        .isInstanceOf(VaultException.class);
            });
            Jdbi jdbi = db.jdbi();
            String phase = jdbi.withHandle(h -> h.createQuery("SELECT status FROM report WHERE id = :r").bind("r", id)
                    .mapTo(String.class).one());
            assertThat(phase).isEqualTo("CLOSED");
            assertThat(f.store.dates(id).closedHour()).isNotNull();
            assertThat(f.store.snapshot(id).version()).isEqualTo(1);

            SourceCaseView.Shown shown = new SourceCaseView(f.store).of(report.access(), ReportStatus.CLOSED, "ru");
            assertThat(shown.current()).isEqualTo("Закрыто — факты подтвердились");
            assertThat(shown.history()).singleElement().extracting(SourceCaseView.Entry::name)
                    .isEqualTo("Закрыто — факты подтвердились");
            assertThat(shown.toString()).doesNotContain(REASON, admin.recipientId(), "editor");

            CaseService.CaseView view = f.cases.view(admin, id, "en");
            assertThat(view.currentName()).isEqualTo("Closed — substantiated");
            assertThat(view.history()).singleElement().satisfies(h -> {
                assertThat(h.reason()).isEqualTo(REASON);
                assertThat(h.author()).isEqualTo("editor");
            });
            assertThat(view.choices()).filteredOn(CaseService.Choice::selected).extracting(CaseService.Choice::id)
                    .containsExactly(closed.id());

            // Reopening clears the closing hour; the snapshot moves on by version.
            f.cases.changeStatus(admin, id, "IN_PROGRESS", "new evidence", null);
            assertThat(f.store.dates(id).closedHour()).isNull();
            assertThat(f.store.snapshot(id).version()).isEqualTo(2);
            assertThat(f.cases.view(admin, id, "en").history()).extracting(CaseService.HistoryEntry::name)
                    .containsExactly("Closed — substantiated", "In progress");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void acknowledgedOnceInTheSourcesLanguageAndFeedbackSetOnce(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Fixture f = Fixture.open(db, dir);
            Started report = f.report();
            String id = report.access().reportId();
            new SourceCaseView(f.store).rememberLanguage(report.access(), "uk");
            DeskSession colleague = f.login(Role.RECIPIENT);

            f.cases.reply(colleague, id, "a question before the acknowledgement");
            assertThat(f.store.dates(id).feedbackHour()).as("no feedback before the acknowledgement").isNull();

            f.clock.advance(Duration.ofHours(2));
            f.cases.acknowledge(colleague, id);
            CaseStore.CaseDates dates = f.store.dates(id);
            assertThat(dates.ackHour()).isNotNull();
            assertThat(dates.ackHour() % 3600).isZero();
            assertThat(dates.feedbackHour()).as("the acknowledgement is not the feedback").isNull();
            assertThatThrownBy(() -> f.cases.acknowledge(colleague, id)).isInstanceOf(DeskException.class)
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.ALREADY_ACKNOWLEDGED);

            List<String> flagged = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT id FROM message WHERE report_id = :r AND acknowledgement").bind("r", id)
                    .mapTo(String.class).list());
            assertThat(flagged).as("exactly one acknowledgement message").hasSize(1);
            String ack = f.intake.conversation(report.access()).conversation().stream()
                    .filter(e -> e.id().equals(flagged.get(0))).findFirst().orElseThrow().text();
            assertThat(ack).as("the Ukrainian default, signed by the organization, with the report's designation")
                    .startsWith("Дякуємо за звернення").contains("— News", "Номер звернення: " + f.store.dates(id).designation())
                    .doesNotContain("{designation}", "{organization}");
            assertThat(f.store.dates(id).designation()).isNotBlank();
            CaseService.CaseView view = f.cases.view(colleague, id, "en");
            assertThat(view.acknowledged()).isTrue();
            assertThat(view.currentName()).isEqualTo("Acknowledged");
            assertThat(view.history()).singleElement().satisfies(h -> {
                assertThat(h.reason()).isEqualTo(CaseService.ACK_REASON);
                assertThat(h.withMessage()).isTrue();
            });
            assertThat(view.replyAuthors()).containsValue("editor");

            f.clock.advance(Duration.ofHours(3));
            f.cases.changeStatus(colleague, id, "IN_PROGRESS", "checking", "We are checking the documents.");
            Long feedback = f.store.dates(id).feedbackHour();
            assertThat(feedback).as("the status message after the acknowledgement is the feedback").isNotNull();
            f.clock.advance(Duration.ofHours(5));
            f.cases.reply(colleague, id, "more later");
            assertThat(f.store.dates(id).feedbackHour()).as("set once").isEqualTo(feedback);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void notesAreSealedAndSettingsNeedTheKeyAndAnAdministrator(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Fixture f = Fixture.open(db, dir);
            Started report = f.report();
            String id = report.access().reportId();
            DeskSession colleague = f.login(Role.RECIPIENT);
            f.cases.addNote(colleague, id, NOTE);
            assertThatThrownBy(() -> f.cases.addNote(colleague, id, "  ")).isInstanceOf(DeskException.class);
            CaseStore.SealedRow row = new CaseNotes(db.jdbi()).of(id).get(0);
            assertThat(new String(row.body(), StandardCharsets.ISO_8859_1)).doesNotContain(NOTE);
            assertThatThrownBy(() -> report.access().keys().require(0).open(row.body(), ObjectRef.statusChange(id, row.id())))
                    .as("a note does not open as a status change").isInstanceOf(VaultException.class);
            assertThat(f.cases.view(colleague, id, "en").notes()).singleElement().satisfies(n -> {
                assertThat(n.text()).isEqualTo(NOTE);
                assertThat(n.author()).isEqualTo("editor");
            });

            StatusNames names = new StatusNames("Waiting", "Ожидание", "Очікування");
            assertThatThrownBy(() -> f.cases.addStatus(colleague, ReportStatus.IN_PROGRESS, null, names))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.ADMIN_ONLY);
            DeskSession admin = f.as(colleague, Role.ADMIN);
            assertThatThrownBy(() -> f.cases.addStatus(admin, ReportStatus.IN_PROGRESS, null,
                    new StatusNames("Waiting", "", "Очікування")))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.BAD_NAMES);
            f.cases.addStatus(admin, ReportStatus.IN_PROGRESS, null, names);
            OrgStatus waiting = f.cases.statusSettings(admin).stream().filter(s -> s.names().equals(names))
                    .findFirst().orElseThrow();
            f.cases.renameStatus(admin, waiting.id(), new StatusNames("On hold", "Приостановлено", "Призупинено"));
            f.cases.retireStatus(admin, waiting.id(), true);
            assertThat(f.cases.view(admin, id, "en").choices()).extracting(CaseService.Choice::label)
                    .doesNotContain("On hold", "Waiting");
            for (OrgVocabulary.StatusRow r : new OrgVocabulary(db.jdbi()).statuses(f.org.id())) {
                assertThat(new String(r.names(), StandardCharsets.ISO_8859_1)).doesNotContain("On hold", "Приостановлено");
            }
            f.cases.saveAckTemplates(admin, Map.of("en", "Dear source, {organization} has it.", "ru", "", "uk", ""));
            assertThat(f.cases.ackTemplates(admin)).containsEntry("en", "Dear source, {organization} has it.")
                    .hasEntrySatisfying("ru", t -> assertThat(t).startsWith("Спасибо за обращение"));

            DeskSession keyless = new DeskSession(admin.recipientId(), admin.organizationId(), admin.username(),
                    admin.privateKey(), Role.ADMIN, null);
            assertThatThrownBy(() -> f.cases.changeStatus(keyless, id, "CLOSED", "x", null))
                    .extracting(e -> ((DeskException) e).reason()).isEqualTo(DeskException.Reason.NO_ORG_KEY);
            assertThat(f.cases.view(keyless, id, "en").orgKeyReady()).isFalse();
            assertThat(f.cases.view(keyless, id, "en").currentName()).isEqualTo("New");
        }
    }

    @Test
    void templatesFillTheOrganizationAndDropAnEmptyDesignationLine() {
        assertThat(CaseService.fill("Hello from {organization}.\nRef: {designation}\nBye", "News", ""))
                .isEqualTo("Hello from News.\nBye");
        assertThat(CaseService.fill("Ref: {designation}", "News", "amber heron 27")).isEqualTo("Ref: amber heron 27");
    }

    private record Fixture(MutableClock clock, Organization org, NewRecipient editor, IntakeService intake,
                           DeskService desk, CaseService cases, CaseStore store) {
        static Fixture open(Database db, Path dir) throws Exception {
            MutableClock clock = new MutableClock();
            Organizations orgs = new Organizations(db.jdbi(), clock);
            RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
            Recipients recipients = new Recipients(db.jdbi(), clock, pins);
            Reports reports = new Reports(db.jdbi());
            BlobStore blobs = new BlobStore(dir);
            CaseLogKeys caseLogKeys = new CaseLogKeys(new CaseLogStore(db.jdbi()), new OrgKeyWraps(db.jdbi()),
                    recipients, pins);
            AdminService admin = new AdminService(orgs, recipients, caseLogKeys);
            Organization org = admin.addOrganization("news", "News", "");
            NewRecipient editor = admin.addRecipient("news", "editor", "editor password 1");
            IntakeService intake = new IntakeService(recipients, reports, blobs, new InstanceSecrets(db.jdbi()), clock,
                    UploadLimits.DEFAULTS, new ReceiptGate(clock, 100));
            DeskService desk = new DeskService(recipients, reports, blobs, clock,
                    new OrgKeys(new OrgKeyWraps(db.jdbi()), recipients, caseLogKeys), Optional.empty());
            CaseStore store = new CaseStore(db.jdbi());
            CaseService cases = new CaseService(desk, reports, recipients, store, new CaseNotes(db.jdbi()),
                    new OrgVocabulary(db.jdbi()), (key, lang) -> Texts.of(lang).t(key), clock);
            return new Fixture(clock, org, editor, intake, desk, cases, store);
        }

        Started report() throws Exception {
            try (IntakeService.Submission s = intake.begin(org)) {
                return s.complete(new Answers("what", "when", "where", "details"), () -> true);
            }
        }

        /** The editor logged in, with {@code role} (roles are managed by another part of the desk). */
        DeskSession login(Role role) throws Exception {
            DeskSession s = desk.login("editor", editor.password(),
                    Totp.code(Totp.fromBase32(editor.totpSecret()), Totp.step(clock.instant())));
            assertThat(s.dataKey()).as("the first login makes the organization's data key").isNotNull();
            return as(s, role);
        }

        DeskSession as(DeskSession s, Role role) {
            return new DeskSession(s.recipientId(), s.organizationId(), s.username(), s.privateKey(), role, s.dataKey());
        }
    }
}
