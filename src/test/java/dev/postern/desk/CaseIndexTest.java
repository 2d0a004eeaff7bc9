package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.domain.CaseState;
import dev.postern.domain.Designations;
import dev.postern.domain.Note;
import dev.postern.intake.Answers;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.IndexRow;
import dev.postern.store.ReportStatus;
import dev.postern.store.SealedText;
import dev.postern.testing.MutableClock;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientPrivateKey;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.Totp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The case index against a brute-force oracle: a few hundred synthetic reports with real keys and
 * wraps (a quarter of them not readable), random filters, sorts, pages and searches; every page must
 * equal the oracle's. Plus the behaviours a desk user relies on: a follow-up rises to the top,
 * unreadable reports are listed but never found by text, Cyrillic prefixes and "ё" match.
 */
class CaseIndexTest {
    private static final String ME = Ids.newId();
    private static final List<String> COLLEAGUES = List.of(ME, Ids.newId(), Ids.newId());
    private static final List<String> LABELS = List.of(Ids.newId(), Ids.newId(), Ids.newId(), Ids.newId());
    private static final List<String> STATUSES = List.of(Ids.newId(), Ids.newId());
    private static final List<String> VOCABULARY = List.of("bribery", "bridge", "contract", "contractor", "tender",
            "расследование", "расходы", "взятка", "закупка", "ёлка", "mobilization", "мобилизация", "військкомат",
            "повістка", "hospital", "школа", "road", "fuel", "паливо", "budget");
    private static RecipientPrivateKey privateKey;
    private static RecipientPublicKey publicKey;

    /** What the oracle knows of a synthetic report: its plain facts and its words. */
    record Truth(IndexRow row, boolean readable, CaseState state, Set<String> words) {
    }

    @BeforeAll
    static void keys() {
        RecipientCredentials c = RecipientCredentials.create(ME, "a long password!", Totp.newSecret(),
                Argon2Params.DEFAULT);
        privateKey = c.unlock(ME, "a long password!").privateKey();
        publicKey = RecipientPublicKey.parse(ME, c.publicKeyset());
    }

    @Test
    void filtersSortsPagesAndSearchMatchTheBruteForceOracle() {
        Random random = new Random(8);
        MutableClock clock = new MutableClock();
        long now = Hours.now(clock);
        List<Truth> truths = new ArrayList<>();
        List<SealedText> texts = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            truths.add(synthetic(random, i, now, texts));
        }
        CaseIndex index = new CaseIndex(ME);
        index.applyRows(truths.stream().map(Truth::row).toList(), privateKey, 1);
        index.applyTexts(index.ids(), texts, 1);
        CaseIndex.Clocks clocks = new CaseIndex.Clocks(true, ZoneId.of("Europe/Kyiv"));

        assertThat(index.size()).isEqualTo(truths.stream().filter(t -> t.row().hasContent()).count());
        for (int q = 0; q < 300; q++) {
            CaseQuery query = randomQuery(random);
            CaseIndex.Page page = index.query(query, clocks, clock);
            List<String> expected = oracle(truths, query, clocks, clock);
            int pages = Math.max(1, (expected.size() + 49) / 50);
            int shownPage = Math.min(query.page(), pages);
            List<String> expectedPage = expected.subList((shownPage - 1) * 50,
                    Math.min(expected.size(), shownPage * 50));
            assertThat(page.total()).as("total of %s", query).isEqualTo(expected.size());
            assertThat(page.entries()).extracting(CaseIndex.Entry::id).as("page of %s", query)
                    .containsExactlyElementsOf(expectedPage);
            assertThat(page.pages()).isEqualTo(pages);
        }
    }

    @Test
    void aFollowUpFromTheSourceBringsItsReportToTheTop() {
        MutableClock clock = new MutableClock();
        long now = Hours.now(clock);
        List<IndexRow> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(row(Ids.newId(), i + 1, now - (10 - i) * 3600L, now - (10 - i) * 3600L, 0, "words " + i, true,
                    null, 0));
        }
        CaseIndex index = new CaseIndex(ME);
        index.applyRows(rows, privateKey, 1);
        assertThat(index.query(CaseQuery.ALL, CaseIndex.Clocks.OFF, clock).entries().get(0).id())
                .isEqualTo(rows.get(4).id());

        IndexRow oldest = rows.get(0);
        // Same hour as the newest report: the source's newest message decides.
        IndexRow followedUp = new IndexRow(oldest.id(), oldest.seq(), oldest.status(), oldest.createdHour(),
                rows.get(4).sourceActivityHour(), 99, null, null, oldest.designation(), oldest.answers(), true, 0, 1,
                true, oldest.wraps(), 0, null);
        index.applyRows(List.of(followedUp), privateKey, 2);
        List<CaseIndex.Entry> byActivity = index.query(CaseQuery.ALL, CaseIndex.Clocks.OFF, clock).entries();
        assertThat(byActivity.get(0).id()).isEqualTo(oldest.id());
        CaseQuery byReceipt = new CaseQuery(CaseQuery.Sort.RECEIVED, "", "", "", false, false, false, "", 1);
        assertThat(index.query(byReceipt, CaseIndex.Clocks.OFF, clock).entries().get(4).id()).isEqualTo(oldest.id());
    }

    @Test
    void unreadableReportsAreListedButNeverFoundByText() {
        MutableClock clock = new MutableClock();
        long now = Hours.now(clock);
        IndexRow readable = row(Ids.newId(), 1, now, now, 0, "Tender fraud at the bridge", true, null, 0);
        IndexRow unreadable = row(Ids.newId(), 2, now, now, 0, "Tender fraud at the bridge", false, null, 0);
        CaseIndex index = new CaseIndex(ME);
        index.applyRows(List.of(readable, unreadable), privateKey, 1);
        index.applyTexts(index.ids(), List.of(), 1);

        assertThat(index.query(CaseQuery.ALL, CaseIndex.Clocks.OFF, clock).entries()).extracting(CaseIndex.Entry::id)
                .containsExactlyInAnyOrder(readable.id(), unreadable.id());
        assertThat(index.entry(unreadable.id()).readable()).isFalse();
        assertThat(index.entry(unreadable.id()).headline()).isEmpty();
        assertThat(search(index, clock, "tender")).containsExactly(readable.id());
        assertThat(search(index, clock, unreadable.designation())).isEmpty();
    }

    @Test
    void cyrillicPrefixesAndTheLetterYoMatchWhateverTheCase() {
        MutableClock clock = new MutableClock();
        long now = Hours.now(clock);
        IndexRow ru = row(Ids.newId(), 1, now, now, 0, "Расследование закупок: ЁЛКИ для школы", true, null, 0);
        IndexRow uk = row(Ids.newId(), 2, now, now, 0, "Військкомат вручив повістку", true, null, 0);
        IndexRow en = row(Ids.newId(), 3, now, now, 0, "Fuel budget", true, null, 0);
        CaseIndex index = new CaseIndex(ME);
        index.applyRows(List.of(ru, uk, en), privateKey, 1);
        ReportKey ukKey = ReportKey.unwrap(privateKey, uk.wraps().get(0), uk.id(), 0);
        String noteId = Ids.newId();
        index.applyTexts(index.ids(), List.of(new SealedText(uk.id(), SealedText.Kind.NOTE, noteId, 0,
                ukKey.seal(new Note(ME, "Перевірити ТЦК у Львові").encode(), ObjectRef.note(uk.id(), noteId)))), 1);

        assertThat(search(index, clock, "расслед")).containsExactly(ru.id());
        assertThat(search(index, clock, "елки")).containsExactly(ru.id());
        assertThat(search(index, clock, "ёлки школ")).containsExactly(ru.id());
        assertThat(search(index, clock, "ВІЙСЬК")).containsExactly(uk.id());
        assertThat(search(index, clock, "львов")).containsExactly(uk.id());
        assertThat(search(index, clock, "fuel школ")).isEmpty();
        assertThat(search(index, clock, "FU")).containsExactly(en.id());
    }

    @Test
    void aReportThatChangesIsReindexedAndOneWithoutContentLeaves() {
        MutableClock clock = new MutableClock();
        long now = Hours.now(clock);
        IndexRow r = row(Ids.newId(), 1, now, now, 0, "first words", true, null, 0);
        CaseIndex index = new CaseIndex(ME);
        index.applyRows(List.of(r), privateKey, 1);
        index.applyTexts(index.ids(), List.of(), 1);
        assertThat(search(index, clock, "first")).containsExactly(r.id());

        ReportKey key = ReportKey.unwrap(privateKey, r.wraps().get(0), r.id(), 0);
        String messageId = Ids.newId();
        index.applyRows(List.of(r), privateKey, 2);
        index.applyTexts(Set.of(r.id()), List.of(new SealedText(r.id(), SealedText.Kind.MESSAGE, messageId, 0,
                key.seal("a later message about contractors", ObjectRef.message(r.id(), messageId)))), 2);
        assertThat(search(index, clock, "contractor")).containsExactly(r.id());
        assertThat(index.textsSeen()).isEqualTo(2);

        IndexRow emptied = new IndexRow(r.id(), r.seq(), r.status(), r.createdHour(), r.sourceActivityHour(), 0, null,
                null, r.designation(), r.answers(), true, 0, 0, false, r.wraps(), 0, null);
        index.applyRows(List.of(emptied), privateKey, 3);
        assertThat(index.size()).isZero();
        assertThat(search(index, clock, "contractor")).isEmpty();
    }

    @Test
    void theCaseSnapshotIsOpenedForAssigneeAndLabelFilters() {
        MutableClock clock = new MutableClock();
        long now = Hours.now(clock);
        CaseState mine = new CaseState(ME, Set.of(), Set.of(LABELS.get(0)), null, null);
        CaseState theirs = new CaseState(COLLEAGUES.get(1), Set.of(ME), Set.of(), null, null);
        IndexRow a = row(Ids.newId(), 1, now, now, 0, "a", true, mine, 0);
        IndexRow b = row(Ids.newId(), 2, now, now, 0, "b", true, theirs, 0);
        IndexRow c = row(Ids.newId(), 3, now, now, 0, "c", true, null, 0);
        CaseIndex index = new CaseIndex(ME);
        index.applyRows(List.of(a, b, c), privateKey, 1);
        assertThat(ids(index, clock, new CaseQuery(CaseQuery.Sort.RECEIVED, "", CaseQuery.ME, "", false, false, false,
                "", 1))).containsExactly(b.id(), a.id());
        assertThat(ids(index, clock, new CaseQuery(CaseQuery.Sort.RECEIVED, "", CaseQuery.NOBODY, "", false, false,
                false, "", 1))).containsExactly(c.id());
        assertThat(ids(index, clock, new CaseQuery(CaseQuery.Sort.RECEIVED, "", "", LABELS.get(0), false, false, false,
                "", 1))).containsExactly(a.id());
    }

    private static List<String> search(CaseIndex index, MutableClock clock, String text) {
        return ids(index, clock, new CaseQuery(CaseQuery.Sort.ACTIVITY, "", "", "", false, false, false, text, 1));
    }

    private static List<String> ids(CaseIndex index, MutableClock clock, CaseQuery q) {
        return index.query(q, CaseIndex.Clocks.OFF, clock).entries().stream().map(CaseIndex.Entry::id).toList();
    }

    /** A report row with the given answers (in "what"), wrapped to this recipient when readable. */
    private static IndexRow row(String id, long seq, long created, long activity, long lastMessage, String what,
                                boolean readable, CaseState state, int files) {
        ReportKey key = ReportKey.generate();
        byte[] answers = key.seal(new Answers(what, "", "", "").encode(), ObjectRef.answers(id));
        Map<Integer, byte[]> wraps = readable ? Map.of(0, key.wrapTo(publicKey, id, 0)) : Map.of();
        byte[] sealedState = state == null ? null : key.seal(state.encode(), ObjectRef.caseState(id));
        return new IndexRow(id, seq, ReportStatus.NEW, created, activity, lastMessage, null, null,
                Designations.draw(0), answers, true, files, 0, true, wraps, 0, sealedState);
    }

    private static Truth synthetic(Random random, int i, long now, List<SealedText> texts) {
        String id = Ids.newId();
        ReportKey key = ReportKey.generate();
        boolean readable = random.nextInt(4) != 0;
        long created = now - (long) random.nextInt(200 * 24) * 3600;
        long activity = random.nextBoolean() ? created : Math.min(now, created + (long) random.nextInt(30 * 24) * 3600);
        Set<String> words = new HashSet<>();
        String what = pick(random, 3, words);
        String designation = Designations.draw(0) + " " + i;
        words.addAll(CaseIndex.words(designation));
        byte[] answers = key.seal(new Answers(what, "", "", pick(random, 2, words)).encode(), ObjectRef.answers(id));
        int messages = random.nextInt(3);
        for (int m = 0; m < messages; m++) {
            String messageId = Ids.newId();
            texts.add(new SealedText(id, SealedText.Kind.MESSAGE, messageId, 0,
                    key.seal(pick(random, 2, words), ObjectRef.message(id, messageId))));
        }
        if (random.nextInt(5) == 0) {
            String noteId = Ids.newId();
            texts.add(new SealedText(id, SealedText.Kind.NOTE, noteId, 0, key.seal(new Note(ME, pick(random, 1, words))
                    .encode(), ObjectRef.note(id, noteId))));
        }
        CaseState state = new CaseState(random.nextInt(3) == 0 ? null : COLLEAGUES.get(random.nextInt(3)),
                random.nextBoolean() ? Set.of() : Set.of(COLLEAGUES.get(random.nextInt(3))),
                random.nextBoolean() ? Set.of() : Set.of(LABELS.get(random.nextInt(4))),
                random.nextInt(3) == 0 ? null : STATUSES.get(random.nextInt(2)), null);
        boolean hasState = random.nextInt(5) != 0;
        Long ack = random.nextBoolean() ? created + 3 * 24 * 3600L : null;
        Long feedback = ack != null && random.nextBoolean() ? ack + 30 * 24 * 3600L : null;
        IndexRow row = new IndexRow(id, i + 1, ReportStatus.values()[random.nextInt(4)], created, activity,
                random.nextInt(1000), ack, feedback, designation, answers, random.nextBoolean(), random.nextInt(3),
                messages, random.nextInt(20) != 0, readable ? Map.of(0, key.wrapTo(publicKey, id, 0)) : Map.of(), 0,
                hasState ? key.seal(state.encode(), ObjectRef.caseState(id)) : null);
        return new Truth(row, readable, readable && hasState ? state : CaseState.EMPTY,
                readable ? words : Set.of());
    }

    private static String pick(Random random, int n, Set<String> words) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String w = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
            picked.add(random.nextBoolean() ? w.toUpperCase(Locale.ROOT) : w);
            words.add(w.replace('ё', 'е'));
        }
        return String.join(random.nextBoolean() ? " " : ", ", picked);
    }

    private static CaseQuery randomQuery(Random random) {
        String status = switch (random.nextInt(5)) {
            case 0 -> ReportStatus.values()[random.nextInt(4)].name().toLowerCase(Locale.ROOT);
            case 1 -> STATUSES.get(random.nextInt(2));
            default -> "";
        };
        String assignee = switch (random.nextInt(6)) {
            case 0 -> CaseQuery.ME;
            case 1 -> CaseQuery.NOBODY;
            case 2 -> COLLEAGUES.get(random.nextInt(3));
            default -> "";
        };
        String label = random.nextInt(4) == 0 ? LABELS.get(random.nextInt(4)) : "";
        String text = switch (random.nextInt(4)) {
            case 0 -> VOCABULARY.get(random.nextInt(VOCABULARY.size())).substring(0, 3);
            case 1 -> VOCABULARY.get(random.nextInt(VOCABULARY.size())).toUpperCase(Locale.ROOT) + " "
                    + VOCABULARY.get(random.nextInt(VOCABULARY.size())).substring(0, 2);
            default -> "";
        };
        return new CaseQuery(CaseQuery.Sort.values()[random.nextInt(3)], status, assignee, label,
                random.nextInt(4) == 0, random.nextInt(4) == 0, random.nextInt(4) == 0, text, 1 + random.nextInt(4));
    }

    /** The list by brute force, written apart from the index: filter every report, then sort. */
    private static List<String> oracle(List<Truth> truths, CaseQuery q, CaseIndex.Clocks clocks, MutableClock clock) {
        List<Truth> out = new ArrayList<>();
        Map<String, LocalDate> due = new HashMap<>();
        for (Truth t : truths) {
            IndexRow r = t.row();
            if (!r.hasContent()) {
                continue;
            }
            boolean overdue = false;
            if (r.status() != ReportStatus.CLOSED) {
                Deadlines.Due d = Deadlines.of(r.createdHour(), r.ackHour(), r.feedbackHour(), clocks.zone(), clock);
                overdue = d.overdue();
                LocalDate next = r.ackHour() == null ? d.ackDue() : r.feedbackHour() == null ? d.feedbackDue() : null;
                if (next != null) {
                    due.put(r.id(), next);
                }
            }
            CaseState s = t.state();
            if (!q.status().isEmpty() && !q.status().equalsIgnoreCase(r.status().name())
                    && !q.status().equals(s.statusId())) {
                continue;
            }
            if (q.assignee().equals(CaseQuery.ME) && !(ME.equals(s.owner()) || s.collaborators().contains(ME))) {
                continue;
            }
            if (q.assignee().equals(CaseQuery.NOBODY) && (s.owner() != null || !s.collaborators().isEmpty())) {
                continue;
            }
            if (Ids.isValid(q.assignee()) && !(q.assignee().equals(s.owner())
                    || s.collaborators().contains(q.assignee()))) {
                continue;
            }
            if (!q.label().isEmpty() && !s.labels().contains(q.label())) {
                continue;
            }
            if ((q.unread() && !r.unread()) || (q.overdue() && !overdue) || (q.files() && r.files() == 0)) {
                continue;
            }
            if (q.searches()) {
                boolean all = true;
                for (String w : q.text().toLowerCase(Locale.ROOT).replace('ё', 'е').split("[^\\p{L}\\p{N}]+")) {
                    if (!w.isEmpty() && t.words().stream().noneMatch(x -> x.startsWith(w))) {
                        all = false;
                    }
                }
                if (!all || !t.readable()) {
                    continue;
                }
            }
            out.add(t);
        }
        Comparator<Truth> activity = Comparator.comparing((Truth t) -> -t.row().sourceActivityHour())
                .thenComparing(t -> -t.row().lastSourceMessageSeq()).thenComparing(t -> -t.row().seq());
        Comparator<Truth> order = switch (q.sort()) {
            case ACTIVITY -> activity;
            case RECEIVED -> Comparator.comparing((Truth t) -> -t.row().createdHour()).thenComparing(t -> -t.row().seq());
            case DEADLINE -> Comparator.comparing((Truth t) -> due.getOrDefault(t.row().id(), LocalDate.MAX))
                    .thenComparing(activity);
        };
        out.sort(order);
        return out.stream().map(t -> t.row().id()).toList();
    }
}
