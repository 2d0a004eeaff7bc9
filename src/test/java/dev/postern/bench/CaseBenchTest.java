package dev.postern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.admin.NewRecipient;
import dev.postern.config.PosternConfig;
import dev.postern.config.Secret;
import dev.postern.intake.Answers;
import dev.postern.store.Database;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.ReceiptIndex;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.store.ReportStatus;
import dev.postern.store.Reports;
import dev.postern.store.StoredFile;
import dev.postern.store.StoredMessage;
import dev.postern.store.StoredReport;
import dev.postern.store.TestDatabases;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.ReportKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue 8 triage bench (not a unit test: it runs only with {@code -Dbench.cases=N}, see
 * bench/seed-cases.sh). Seeds N reports with real report keys wrapped to 3 recipients (HPKE, as
 * intake does), synthetic English, Russian and Ukrainian answers and a source message on every third,
 * on PostgreSQL; then, through the desk over HTTP in-process, measures the first list after login,
 * the warm list's p95 over 200 random sorts, filters and pages, the time until search works, a
 * search, and the heap the session's index takes. Prints one line per figure.
 */
@EnabledIfSystemProperty(named = "bench.cases", matches = "[0-9]+")
class CaseBenchTest {
    private static final String[] EN = {"bribery", "contract", "tender", "hospital", "school", "road", "fuel",
        "budget", "director", "invoice", "deputy", "warehouse", "equipment", "payment", "cash", "transfer"};
    private static final String[] RU = {"взятка", "закупка", "расследование", "больница", "школа", "дорога",
        "топливо", "бюджет", "директор", "счёт", "заместитель", "склад", "оборудование", "оплата", "наличные"};
    private static final String[] UK = {"хабар", "закупівля", "розслідування", "лікарня", "школа", "дорога",
        "паливо", "бюджет", "директор", "рахунок", "заступник", "склад", "обладнання", "оплата", "повістка"};

    @TempDir
    Path dir;

    @Test
    void seedAndMeasure() throws Exception {
        int count = Integer.parseInt(System.getProperty("bench.cases"));
        String jdbcUrl = TestDatabases.freshPostgresSchema();
        PosternConfig config = PosternConfig.embedded(dir, 0).withDatabase(jdbcUrl, "", new Secret(""));
        MutableClock clock = new MutableClock();
        try (TestInstance instance = TestInstance.start(config, clock);
             Database db = Database.open(jdbcUrl, "", "")) {
            NewRecipient second = instance.postern.admin().addRecipient("news", "editor2", "correct horse battery 2");
            NewRecipient third = instance.postern.admin().addRecipient("news", "editor3", "correct horse battery 3");
            long seedStart = System.nanoTime();
            seed(db, clock, count, List.of(instance.recipient.id(), second.id(), third.id()));
            System.out.printf(Locale.ROOT, "BENCH seed reports=%d recipients=3 seconds=%.1f%n", count,
                    (System.nanoTime() - seedStart) / 1e9);

            Runtime rt = Runtime.getRuntime();
            long heapBefore = usedHeap(rt);
            Http desk = new Http(instance);
            long loginStart = System.nanoTime();
            desk.loginDesk(instance);
            String first = desk.get("/desk").body();
            double firstList = (System.nanoTime() - loginStart) / 1e6;
            assertThat(first).contains("data-report=");
            System.out.printf(Locale.ROOT, "BENCH first-list-after-login ms=%.0f%n", firstList);

            long searchReady = System.nanoTime();
            String q = "/desk?q=" + URLEncoder.encode("расслед бюдж", StandardCharsets.UTF_8);
            while (desk.get(q).body().contains("id=\"search-pending\"")) {
                Thread.sleep(50);
            }
            System.out.printf(Locale.ROOT, "BENCH search-ready-after-first-list ms=%.0f%n",
                    (System.nanoTime() - searchReady) / 1e6);
            long heapAfter = usedHeap(rt);
            System.out.printf(Locale.ROOT, "BENCH index-heap MiB=%.1f%n", (heapAfter - heapBefore) / 1048576.0);

            List<Double> searches = new ArrayList<>();
            Random random = new Random(8);
            for (int i = 0; i < 20; i++) {
                String words = pick(random, RU).substring(0, 4) + " " + pick(random, EN).substring(0, 3);
                long t = System.nanoTime();
                String body = desk.get("/desk?q=" + URLEncoder.encode(words, StandardCharsets.UTF_8)).body();
                searches.add((System.nanoTime() - t) / 1e6);
                assertThat(body).doesNotContain("search-pending");
            }
            System.out.printf(Locale.ROOT, "BENCH search ms p50=%.0f max=%.0f%n", percentile(searches, 50),
                    percentile(searches, 100));

            String[] sorts = {"activity", "received", "deadline"};
            String[] filters = {"", "&unread=1", "&files=1", "&assignee=me", "&assignee=none", "&status=new",
                "&overdue=1"};
            List<Double> lists = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String url = "/desk?sort=" + sorts[random.nextInt(sorts.length)] + filters[random.nextInt(filters.length)]
                        + "&page=" + (1 + random.nextInt(20));
                long t = System.nanoTime();
                assertThat(desk.get(url).status()).isEqualTo(200);
                lists.add((System.nanoTime() - t) / 1e6);
            }
            System.out.printf(Locale.ROOT, "BENCH warm-list ms p50=%.0f p95=%.0f max=%.0f%n", percentile(lists, 50),
                    percentile(lists, 95), percentile(lists, 100));
        }
    }

    /** Reports as intake stores them, minus the receipt's Argon2id (a random lookup and tag stand in). */
    private static void seed(Database db, Clock clock, int count, List<String> recipientIds) {
        Reports reports = new Reports(db.jdbi());
        Recipients recipients = new Recipients(db.jdbi(), clock, new RecipientKeyPins(RecipientKeyPins.newPinningKey()));
        String org = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM organization WHERE slug = 'news'")
                .mapTo(String.class).one());
        List<RecipientPublicKey> keys = new ArrayList<>();
        for (String id : recipientIds) {
            RecipientAccount a = recipients.byId(id).orElseThrow();
            keys.add(RecipientPublicKey.parse(id, a.credentials().publicKeyset()));
        }
        Random random = new Random(2026);
        long now = Hours.now(clock);
        for (int i = 0; i < count; i++) {
            String id = Ids.newId();
            ReportKey key = ReportKey.generate();
            long created = now - (long) random.nextInt(365 * 24) * 3600;
            Answers answers = new Answers(sentence(random, 8), sentence(random, 3), sentence(random, 3),
                    sentence(random, 60 + random.nextInt(140)));
            Map<String, byte[]> wraps = new HashMap<>();
            for (RecipientPublicKey k : keys) {
                wraps.put(k.recipientId(), key.wrapTo(k, id, 0));
            }
            List<StoredFile> files = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                String fileId = Ids.newId();
                files.add(new StoredFile(fileId, id, null, key.seal("scan-" + i + ".pdf", ObjectRef.fileName(id, fileId)),
                        1000, created));
            }
            reports.insert(new StoredReport(id, org, ReportStatus.values()[random.nextInt(4)], created, created,
                    key.seal(answers.encode(), ObjectRef.answers(id)), new byte[] {1}),
                    new ReceiptIndex(Ids.newId(), Ids.newId().substring(0, 8), Argon2Params.DEFAULT), wraps, files);
            if (i % 3 == 0) {
                String messageId = Ids.newId();
                reports.addMessage(new StoredMessage(messageId, id, StoredMessage.Author.SOURCE, null,
                        key.seal(sentence(random, 40), ObjectRef.message(id, messageId)),
                        Math.min(now, created + 24 * 3600L), false), List.of());
            }
        }
    }

    private static String sentence(Random random, int words) {
        String[] language = switch (random.nextInt(3)) {
            case 0 -> EN;
            case 1 -> RU;
            default -> UK;
        };
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(pick(random, language));
            if (random.nextInt(10) == 0) {
                b.append(' ').append(random.nextInt(10_000));
            }
        }
        return b.toString();
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private static long usedHeap(Runtime rt) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(index);
    }
}
