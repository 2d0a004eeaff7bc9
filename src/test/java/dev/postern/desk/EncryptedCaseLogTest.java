package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.domain.CaseLog;
import dev.postern.domain.Role;
import dev.postern.store.CaseLogStore;
import dev.postern.store.Database;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.Recipients;
import dev.postern.store.TestDatabases;
import dev.postern.testing.MutableClock;
import dev.postern.vault.CaseLogKey;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.RecipientPrivateKey;
import dev.postern.vault.VaultException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encrypted case log on both databases: gapless sequence numbers under concurrent appends,
 * entries bound to their organization and position, the pinned public key, and who can read.
 */
class EncryptedCaseLogTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    /** Two organizations; "news" has an administrator and a plain recipient, "other" an administrator. */
    private record World(Jdbi jdbi, MutableClock clock, AdminService admin, Recipients recipients, CaseLogStore store,
                         CaseLogKeys keys, EncryptedCaseLog log, Organization news, Organization other,
                         DeskSession boss, DeskSession clerk, DeskSession otherBoss) {
    }

    private World world(Database db) throws Exception {
        Jdbi jdbi = db.jdbi();
        MutableClock clock = new MutableClock();
        RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
        Recipients recipients = new Recipients(jdbi, clock, pins);
        CaseLogStore store = new CaseLogStore(jdbi);
        CaseLogKeys keys = new CaseLogKeys(store, new OrgKeyWraps(jdbi), recipients, pins);
        AdminService admin = new AdminService(new Organizations(jdbi, clock), recipients, keys);
        Organization news = admin.addOrganization("news", "News", "");
        Organization other = admin.addOrganization("other", "Other", "");
        NewRecipient boss = admin.addRecipient("news", "boss", PASSWORD);
        NewRecipient clerk = admin.addRecipient("news", "clerk", PASSWORD);
        NewRecipient otherBoss = admin.addRecipient("other", "otherboss", PASSWORD);
        makeAdmin(jdbi, boss.id());
        makeAdmin(jdbi, otherBoss.id());
        keys.ensure(other.id());
        return new World(jdbi, clock, admin, recipients, store, keys, new EncryptedCaseLog(store, keys, recipients, clock),
                news, other, session(recipients, boss, Role.ADMIN), session(recipients, clerk, Role.RECIPIENT),
                session(recipients, otherBoss, Role.ADMIN));
    }

    @ParameterizedTest
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void sequenceNumbersHaveNoGapsUnderConcurrentAppends(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = world(db);
            int threads = 6;
            int each = 15;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.GRANTED, w.boss().recipientId(),
                                    w.clerk().recipientId(), "report-" + thread + "-" + i, 0));
                            if (i % 5 == 0) {
                                w.log().append(w.other().id(), new CaseLog.Entry(CaseLog.Action.WRAPPED_AT_INTAKE,
                                        "source", w.otherBoss().recipientId(), "o-" + thread + "-" + i, 0));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }

            List<Long> seqs = w.jdbi().withHandle(h -> h.createQuery(
                    "SELECT seq FROM case_log WHERE organization_id = :o ORDER BY seq")
                    .bind("o", w.news().id()).mapTo(Long.class).list());
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, threads * each).boxed().toList());
            assertThat(w.store().count(w.other().id())).isEqualTo(threads * 3L);

            // Every entry opens for the administrator, each one once, newest first, 50 a page.
            Set<String> reports = new HashSet<>();
            EncryptedCaseLog.Page first = w.log().read(w.boss(), 0);
            assertThat(first.keyHeld()).isTrue();
            assertThat(first.total()).isEqualTo(threads * each);
            assertThat(first.entries()).hasSize(EncryptedCaseLog.PAGE_SIZE);
            assertThat(first.entries().get(0).seq()).isEqualTo(threads * each);
            for (int page = 0; page < first.pages(); page++) {
                for (EncryptedCaseLog.Recorded r : w.log().read(w.boss(), page).entries()) {
                    assertThat(r.entry()).isNotNull();
                    assertThat(r.entry().action()).isEqualTo(CaseLog.Action.GRANTED);
                    assertThat(r.entry().subject()).isEqualTo(w.clerk().recipientId());
                    assertThat(r.hour() % 3600).isZero();
                    reports.add(r.entry().reportId());
                }
            }
            assertThat(reports).hasSize(threads * each);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void anEntryDoesNotOpenUnderAnotherOrganizationsOrPositionsContext(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = world(db);
            w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.REVOKED, w.boss().recipientId(),
                    w.clerk().recipientId(), "r1", 1));
            w.clock().advance(Duration.ofHours(2));
            w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.GRANTED, w.boss().recipientId(),
                    w.clerk().recipientId(), "r2", 1));
            CaseLogKey key = w.keys().open(w.news().id(), w.boss().privateKey()).orElseThrow();
            List<CaseLogStore.Row> rows = w.store().newestFirst(w.news().id(), 0, 10);
            CaseLogStore.Row second = rows.get(0);
            CaseLogStore.Row first = rows.get(1);
            assertThat(second.createdHour() - first.createdHour()).isEqualTo(7200);

            assertThat(key.open(first.entry(), w.news().id(), 1)).isNotEmpty();
            assertThatThrownBy(() -> key.open(first.entry(), w.news().id(), 2)).isInstanceOf(VaultException.class);
            assertThatThrownBy(() -> key.open(first.entry(), w.other().id(), 1)).isInstanceOf(VaultException.class);
            CaseLogKey otherKey = w.keys().open(w.other().id(), w.otherBoss().privateKey()).orElseThrow();
            assertThatThrownBy(() -> otherKey.open(first.entry(), w.news().id(), 1)).isInstanceOf(VaultException.class);

            // Entry 1 copied over entry 2 in the database: shown as altered, never as entry 2.
            w.jdbi().useHandle(h -> h.createUpdate("UPDATE case_log SET entry = :e WHERE organization_id = :o AND seq = 2")
                    .bind("e", first.entry()).bind("o", w.news().id()).execute());
            String log = stderrOf(() -> {
                List<EncryptedCaseLog.Recorded> read = w.log().read(w.boss(), 0).entries();
                assertThat(read.get(0).seq()).isEqualTo(2);
                assertThat(read.get(0).entry()).isNull();
                assertThat(read.get(1).entry().reportId()).isEqualTo("r1");
                assertThat(read.get(1).entry().generation()).isEqualTo(1);
            });
            assertThat(log).contains("ALARM");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void aSwappedPublicKeyStopsTheAppend(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = world(db);
            w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.GRANTED, "cli", null, null, null));
            assertThat(w.store().count(w.news().id())).isEqualTo(1);

            // Someone with write access to the database puts in a key pair of their own, with a pin
            // made under a pinning key of their own.
            CaseLogKey attacker = CaseLogKey.generate();
            byte[] forgedPin = new RecipientKeyPins(RecipientKeyPins.newPinningKey())
                    .pin(CaseLogKey.pinId(w.news().id()), w.news().id(), attacker.publicKeyset());
            w.jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE organization SET case_log_public_keyset = :k, case_log_key_pin = :p WHERE id = :o")
                    .bind("k", attacker.publicKeyset()).bind("p", forgedPin).bind("o", w.news().id()).execute());
            String log = stderrOf(() -> w.log().append(w.news().id(),
                    new CaseLog.Entry(CaseLog.Action.REVOKED, w.boss().recipientId(), w.clerk().recipientId(), "r", 1)));
            assertThat(log).contains("ALARM").contains(w.news().id());
            assertThat(w.store().count(w.news().id())).isEqualTo(1);

            // The other organization's genuine key and pin, copied in, do not verify either.
            CaseLogStore.PublicKey otherKey = w.store().publicKey(w.other().id()).orElseThrow();
            w.jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE organization SET case_log_public_keyset = :k, case_log_key_pin = :p WHERE id = :o")
                    .bind("k", otherKey.keyset()).bind("p", otherKey.pin()).bind("o", w.news().id()).execute());
            stderrOf(() -> w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.GRANTED, "cli", null, null, null)));
            assertThat(w.store().count(w.news().id())).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void administratorsReadAndAPlainRecipientsKeyCannot(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = world(db);
            w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.COLLEAGUE_ADDED, w.boss().recipientId(),
                    w.clerk().recipientId(), null, null));

            assertThatThrownBy(() -> w.log().read(w.clerk(), 0)).isInstanceOfSatisfying(DeskException.class,
                    e -> assertThat(e.reason()).isEqualTo(DeskException.Reason.ADMIN_ONLY));
            assertThat(w.keys().open(w.news().id(), w.clerk().privateKey())).isEmpty();
            byte[] bossWrap = new OrgKeyWraps(w.jdbi()).of(w.news().id(), OrgKeyWraps.Purpose.CASE_LOG,
                    w.boss().recipientId()).orElseThrow();
            assertThatThrownBy(() -> CaseLogKey.unwrap(w.clerk().privateKey(), bossWrap, w.news().id()))
                    .isInstanceOf(VaultException.class);
            // The clerk's own login hands nothing to them, and makes no wrap for them.
            w.keys().handOnAtLogin(w.recipients().byId(w.clerk().recipientId()).orElseThrow(), w.clerk().privateKey());
            assertThat(new OrgKeyWraps(w.jdbi()).holders(w.news().id(), OrgKeyWraps.Purpose.CASE_LOG))
                    .containsExactly(w.boss().recipientId());

            // A second administrator waits for the key until an administrator who holds it logs in.
            NewRecipient deputy = w.admin().addRecipient("news", "deputy", PASSWORD);
            makeAdmin(w.jdbi(), deputy.id());
            DeskSession deputySession = session(w.recipients(), deputy, Role.ADMIN);
            EncryptedCaseLog.Page waiting = w.log().read(deputySession, 0);
            assertThat(waiting.keyHeld()).isFalse();
            assertThat(waiting.entries()).isEmpty();
            w.keys().handOnAtLogin(w.recipients().byId(w.boss().recipientId()).orElseThrow(), w.boss().privateKey());
            EncryptedCaseLog.Page read = w.log().read(deputySession, 0);
            assertThat(read.keyHeld()).isTrue();
            assertThat(read.entries()).singleElement().satisfies(r -> {
                assertThat(r.entry().action()).isEqualTo(CaseLog.Action.COLLEAGUE_ADDED);
                assertThat(r.entry().actor()).isEqualTo(w.boss().recipientId());
            });
            assertThat(read.names()).containsEntry(w.clerk().recipientId(), "clerk");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void theKeyIsMadeForTheAdministratorsAtTheFirstAppendAndNotForNobody(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            World w = world(db);
            // Neither organization had an administrator when its recipients were added.
            assertThat(w.store().publicKey(w.news().id())).isEmpty();
            w.log().append(w.news().id(), new CaseLog.Entry(CaseLog.Action.WRAPPED_AT_INTAKE, "source",
                    w.boss().recipientId(), "r", 0));
            assertThat(w.store().publicKey(w.news().id())).isPresent();
            assertThat(new OrgKeyWraps(w.jdbi()).holders(w.news().id(), OrgKeyWraps.Purpose.CASE_LOG))
                    .containsExactly(w.boss().recipientId());
            assertThat(w.log().read(w.boss(), 0).entries()).singleElement()
                    .satisfies(r -> assertThat(r.entry().actor()).isEqualTo("source"));

            // An organization without any administrator: nothing is written that nobody could read.
            Organization lonely = w.admin().addOrganization("lonely", "Lonely", "");
            w.admin().addRecipient("lonely", "someone", PASSWORD);
            String log = stderrOf(() -> w.log().append(lonely.id(),
                    new CaseLog.Entry(CaseLog.Action.GRANTED, "cli", null, null, null)));
            assertThat(log).contains(lonely.id());
            assertThat(w.store().publicKey(lonely.id())).isEmpty();
            assertThat(w.store().count(lonely.id())).isZero();
        }
    }

    private static void makeAdmin(Jdbi jdbi, String recipientId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE recipient SET role = 'ADMIN' WHERE id = :id")
                .bind("id", recipientId).execute());
    }

    private static DeskSession session(Recipients recipients, NewRecipient r, Role role) {
        RecipientPrivateKey key = recipients.byId(r.id()).orElseThrow().credentials().unlock(r.id(), PASSWORD).privateKey();
        String org = recipients.byId(r.id()).orElseThrow().organizationId();
        return new DeskSession(r.id(), org, r.username(), key, role, null);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String stderrOf(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
