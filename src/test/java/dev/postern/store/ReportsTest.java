package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.vault.Argon2Params;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.Totp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Storage round trips, on H2 and (when reachable) PostgreSQL. */
class ReportsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:17:42Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void reportWithKeysFilesAndMessagesRoundTrips(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Organizations orgs = new Organizations(db.jdbi(), CLOCK);
            Recipients recipients = new Recipients(db.jdbi(), CLOCK, new RecipientKeyPins(RecipientKeyPins.newPinningKey()));
            Reports reports = new Reports(db.jdbi());
            Organization org = orgs.insert("news", "News", "");
            String recipientId = Ids.newId();
            recipients.insert(recipientId, org.id(), "editor",
                    RecipientCredentials.create(recipientId, "correct horse battery", Totp.newSecret(), Argon2Params.DEFAULT));

            String reportId = Ids.newId();
            long hour = Hours.now(CLOCK);
            assertThat(hour % 3600).isZero();
            StoredReport report = new StoredReport(reportId, org.id(), ReportStatus.NEW, hour, hour,
                    new byte[] {1, 2, 3}, new byte[] {4, 5});
            String fileId = Ids.newId();
            reports.insert(report, receipt("lookup-1", "0000a001"), Map.of(recipientId, new byte[] {9}),
                    List.of(new StoredFile(fileId, reportId, null, new byte[] {7}, 42, hour)));

            assertThat(reports.byReceiptTag("0000a001")).singleElement().extracting(c -> c.report().id()).isEqualTo(reportId);
            assertThat(reports.byReceiptTag("ffffffff")).isEmpty();
            assertThat(reports.untaggedByReceiptLookup("lookup-1")).as("a tagged report is found by its tag").isEmpty();
            assertThat(reports.byReceiptTag("0000a001")).singleElement().satisfies(c -> {
                assertThat(c.report().id()).isEqualTo(reportId);
                assertThat(c.index().lookup()).isEqualTo("lookup-1");
                assertThat(c.index().params()).isEqualTo(new Argon2Params(96 * 1024, 4, 1));
            });
            assertThat(reports.byReceiptTag("0000a002")).isEmpty();
            assertThat(reports.anyWithoutReceiptTag()).isFalse();
            assertThat(reports.wrappedKey(reportId, recipientId)).get().isEqualTo(new byte[] {9});
            assertThat(reports.files(reportId)).singleElement().satisfies(f -> {
                assertThat(f.sizeBytes()).isEqualTo(42);
                assertThat(f.name()).isEqualTo(new byte[] {7});
            });

            List<ReportSummary> list = reports.listFor(org.id(), recipientId);
            assertThat(list).singleElement().satisfies(s -> {
                assertThat(s.unread()).isTrue();
                assertThat(s.files()).isEqualTo(1);
            });
            reports.markRead(reportId, recipientId);
            reports.markRead(reportId, recipientId);
            assertThat(reports.listFor(org.id(), recipientId).get(0).unread()).isFalse();

            String reply = Ids.newId();
            reports.addMessage(new StoredMessage(reply, reportId, StoredMessage.Author.RECIPIENT, recipientId,
                    new byte[] {1}, hour, false), List.of());
            assertThat(reports.listFor(org.id(), recipientId).get(0).unread()).isFalse();
            reports.addMessage(new StoredMessage(Ids.newId(), reportId, StoredMessage.Author.SOURCE, null,
                    new byte[] {2}, hour, false), List.of());
            assertThat(reports.listFor(org.id(), recipientId).get(0).unread()).isTrue();
            assertThat(reports.messages(reportId)).extracting(StoredMessage::author)
                    .containsExactly(StoredMessage.Author.RECIPIENT, StoredMessage.Author.SOURCE);

            assertThat(reports.deleteReplyForSource(reportId, reply)).isTrue();
            assertThat(reports.messages(reportId).get(0).body()).as("deleted reply's ciphertext is erased").isEmpty();
            assertThat(reports.messages(reportId).get(0).hiddenFromSource()).isTrue();
            assertThat(reports.deleteReplyForSource(reportId, reports.messages(reportId).get(1).id())).isFalse();
            reports.setStatus(reportId, ReportStatus.CLOSED);
            assertThat(reports.byId(reportId)).get().extracting(StoredReport::status).isEqualTo(ReportStatus.CLOSED);

            assertThat(reports.usage(reportId)).isEqualTo(new ReportUsage(1, 42));
            reports.markRead(reportId, recipientId);
            reports.addReportFile(new StoredFile(Ids.newId(), reportId, null, new byte[] {8}, 58, hour));
            assertThat(reports.usage(reportId)).as("a file committed on its own counts").isEqualTo(new ReportUsage(2, 100));
            assertThat(reports.listFor(org.id(), recipientId).get(0).unread())
                    .as("a file the source added makes the report unread").isTrue();

            assertThat(recipients.consumeTotpStep(recipientId, 100)).isTrue();
            assertThat(recipients.consumeTotpStep(recipientId, 100)).isFalse();
            assertThat(recipients.consumeTotpStep(recipientId, 99)).isFalse();

            assertThatThrownBy(() -> reports.insert(report, receipt("lookup-1", "0000a001"), Map.of(), List.of()))
                    .isInstanceOf(RuntimeException.class);

            // Newest first: a later hour first, and within one hour the later arrival first.
            String sameHour = Ids.newId();
            reports.insert(new StoredReport(sameHour, org.id(), ReportStatus.NEW, hour, hour, new byte[] {1}, new byte[] {1}),
                    new ReceiptIndex("lookup-2", null, Argon2Params.DEFAULT), Map.of(), List.of());
            assertThat(reports.anyWithoutReceiptTag()).as("a report from before receipt tags").isTrue();
            assertThat(reports.untaggedByReceiptLookup("lookup-2")).get()
                    .satisfies(c -> assertThat(c.report().id()).isEqualTo(sameHour));
            reports.setReceiptTag(sameHour, "0000b002");
            assertThat(reports.anyWithoutReceiptTag()).isFalse();
            assertThat(reports.untaggedByReceiptLookup("lookup-2")).isEmpty();
            assertThat(reports.byReceiptTag("0000b002")).singleElement()
                    .satisfies(c -> assertThat(c.report().id()).isEqualTo(sameHour));
            String earlier = Ids.newId();
            reports.insert(new StoredReport(earlier, org.id(), ReportStatus.NEW, hour - 3600, hour - 3600, new byte[] {1},
                    new byte[] {1}), receipt("lookup-3", "0000a003"), Map.of(), List.of());
            assertThat(reports.listFor(org.id(), recipientId)).extracting(s -> s.report().id())
                    .containsExactly(sameHour, reportId, earlier);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void instanceSecretIsCreatedOnceAndKept(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            InstanceSecrets secrets = new InstanceSecrets(db.jdbi());
            byte[] first = secrets.getOrCreate("salt", 16);
            assertThat(first).hasSize(16);
            assertThat(secrets.getOrCreate("salt", 16)).isEqualTo(first);
        }
    }

    /** A receipt index with a cost above the default, so a test sees it is stored, not assumed. */
    private static ReceiptIndex receipt(String lookup, String tag) {
        return new ReceiptIndex(lookup, tag, new Argon2Params(96 * 1024, 4, 1));
    }
}
