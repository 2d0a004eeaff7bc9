package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.domain.Designations;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.Totp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the desk's case index reads, on H2 and PostgreSQL: designations (drawn at insert, unique per
 * organization, given lazily to older reports) and the change_seq deltas (a new report, a source
 * follow-up and a read mark each move the report past the organization's last seen counter).
 */
class ReportsTriageTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:17:42Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void designationsAreDrawnAtInsertUniquePerOrganizationAndGivenLazily(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Organizations orgs = new Organizations(db.jdbi(), CLOCK);
            Reports reports = new Reports(db.jdbi());
            Organization org = orgs.insert("news", "News", "");
            Organization other = orgs.insert("other", "Other", "");
            Set<String> names = new HashSet<>();
            List<String> ids = List.of(insert(reports, org), insert(reports, org), insert(reports, org));
            for (String id : ids) {
                String name = reports.designation(org.id(), id).orElseThrow();
                assertThat(Designations.isWellFormed(name)).as(name).isTrue();
                names.add(name);
            }
            assertThat(names).hasSize(3);
            assertThat(reports.designation(other.id(), ids.get(0))).as("another organization's report").isEmpty();

            String taken = reports.designation(org.id(), ids.get(0)).orElseThrow();
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE report SET designation = :d WHERE id = :r").bind("d", taken).bind("r", ids.get(1))
                    .execute())).as("the database refuses a second report with the same name").isInstanceOf(RuntimeException.class);
            String elsewhere = insert(reports, other);
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE report SET designation = :d WHERE id = :r")
                    .bind("d", taken).bind("r", elsewhere).execute());
            assertThat(reports.designation(other.id(), elsewhere)).as("names are unique per organization only").hasValue(taken);

            db.jdbi().useHandle(h -> h.createUpdate("UPDATE report SET designation = NULL WHERE id = :r")
                    .bind("r", ids.get(2)).execute());
            String lazy = reports.assignDesignation(org.id(), ids.get(2));
            assertThat(Designations.isWellFormed(lazy)).isTrue();
            assertThat(reports.assignDesignation(org.id(), ids.get(2))).as("given once").isEqualTo(lazy);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void newReportsFollowUpsAndReadMarksMovePastTheLastSeenCounter(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Organizations orgs = new Organizations(db.jdbi(), CLOCK);
            Recipients recipients = new Recipients(db.jdbi(), CLOCK, new RecipientKeyPins(RecipientKeyPins.newPinningKey()));
            Reports reports = new Reports(db.jdbi());
            Organization org = orgs.insert("news", "News", "");
            String me = Ids.newId();
            recipients.insert(me, org.id(), "editor",
                    RecipientCredentials.create(me, "correct horse battery", Totp.newSecret(), Argon2Params.DEFAULT));
            String a = insert(reports, org, Map.of(me, new byte[] {9}));
            String b = insert(reports, org, Map.of());
            long seen = reports.indexHead(org.id()).changeSeq();
            assertThat(reports.indexRows(org.id(), me, -1)).extracting(IndexRow::id).containsExactlyInAnyOrder(a, b);
            assertThat(reports.indexRows(org.id(), me, seen)).isEmpty();
            IndexRow rowA = reports.indexRows(org.id(), me, -1).stream().filter(r -> r.id().equals(a)).findFirst()
                    .orElseThrow();
            assertThat(rowA.wraps()).containsOnlyKeys(0);
            assertThat(rowA.unread()).isTrue();
            assertThat(rowA.hasContent()).isTrue();

            reports.markRead(a, me);
            assertThat(reports.indexRows(org.id(), me, seen)).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo(a);
                assertThat(r.unread()).isFalse();
            });
            seen = reports.indexHead(org.id()).changeSeq();
            reports.markRead(a, me);
            assertThat(reports.indexRows(org.id(), me, seen)).as("a second read mark changes nothing").isEmpty();

            String message = Ids.newId();
            long later = Hours.now(CLOCK) + 3600;
            reports.addMessage(new StoredMessage(message, b, StoredMessage.Author.SOURCE, null, new byte[] {5}, later,
                    false), List.of());
            assertThat(reports.indexRows(org.id(), me, seen)).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo(b);
                assertThat(r.sourceActivityHour()).isEqualTo(later);
                assertThat(r.lastSourceMessageSeq()).isPositive();
                assertThat(r.messages()).isEqualTo(1);
                assertThat(r.wraps()).isEmpty();
            });
            assertThat(reports.indexTexts(org.id(), seen)).singleElement().satisfies(t -> {
                assertThat(t.kind()).isEqualTo(SealedText.Kind.MESSAGE);
                assertThat(t.objectId()).isEqualTo(message);
            });
        }
    }

    private static String insert(Reports reports, Organization org) {
        return insert(reports, org, Map.of());
    }

    private static String insert(Reports reports, Organization org, Map<String, byte[]> wraps) {
        String id = Ids.newId();
        long hour = Hours.now(CLOCK);
        reports.insert(new StoredReport(id, org.id(), ReportStatus.NEW, hour, hour, new byte[] {1}, new byte[] {1}),
                new ReceiptIndex(Ids.newId(), Ids.newId().substring(0, 8), Argon2Params.DEFAULT), wraps, List.of());
        return id;
    }
}
