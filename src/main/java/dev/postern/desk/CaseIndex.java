package dev.postern.desk;

import dev.postern.domain.CaseState;
import dev.postern.domain.Note;
import dev.postern.intake.Answers;
import dev.postern.intake.ReportContents;
import dev.postern.store.IndexRow;
import dev.postern.store.ReportStatus;
import dev.postern.store.SealedText;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.RecipientPrivateKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.VaultException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One desk session's view of its organization's reports, kept in memory so a list page is a filter
 * and a sort over it rather than a decryption of every report (decision 0005 §4.2).
 *
 * <p>The light part (one {@link Entry} per report: plain columns, the report keys this recipient
 * holds, unwrapped once, the opened case snapshot and a headline) is applied from {@link IndexRow}s;
 * the text part is a token index (token → reports holding it, as a bit set over entry positions)
 * of the answers, messages, file names and notes of the reports this recipient can read. Plain text
 * is not kept, only tokens; the index lives and dies with its session, like the keys.
 *
 * <p>Thread safety: every method is synchronized; the expensive work (unwrapping, decrypting,
 * tokenizing) is done by the caller's thread before the short critical sections where it can be.
 */
public final class CaseIndex {
    private static final Logger LOG = LoggerFactory.getLogger(CaseIndex.class);

    /**
     * A report as the list knows it.
     *
     * @param keys  the report key generations this recipient holds, null when it holds none
     * @param state the opened case snapshot ({@link CaseState#EMPTY} when none or not readable)
     */
    public record Entry(String id, long seq, String designation, ReportStatus status, long createdHour,
                        long activityHour, long lastSourceMessageSeq, Long ackHour, Long feedbackHour,
                        boolean unread, int files, int messages, ReportKeys keys, CaseState state, String headline,
                        byte[] answers) {
        public boolean readable() {
            return keys != null;
        }
    }

    /**
     * A page of the list, and how many reports matched in all.
     *
     * @param due     the nearest open due date of the shown reports that have one
     * @param overdue the shown reports past a due date
     */
    public record Page(List<Entry> entries, int total, int page, int pages, Map<String, LocalDate> due,
                       Set<String> overdue) {
    }

    /** Whether and how the organization runs the EU clocks (a report's due dates come from them). */
    public record Clocks(boolean on, ZoneId zone) {
        public static final Clocks OFF = new Clocks(false, ZoneId.of("UTC"));
    }

    private static final Comparator<Entry> BY_ACTIVITY = Comparator.comparingLong(Entry::activityHour)
            .thenComparingLong(Entry::lastSourceMessageSeq).thenComparingLong(Entry::seq).reversed();
    private static final Comparator<Entry> BY_RECEIVED = Comparator.comparingLong(Entry::createdHour)
            .thenComparingLong(Entry::seq).reversed();

    private static final int PARALLEL_FROM = 64;

    private final String recipientId;
    private final Object refreshLock = new Object();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    /** Tokens of each position, so a report's tokens can be replaced when it changes. */
    private final Map<Integer, Set<String>> tokensOf = new HashMap<>();
    private final NavigableMap<String, BitSet> tokens = new TreeMap<>();
    private long rowsSeen = -1;
    private long textsSeen = -1;

    public CaseIndex(String recipientId) {
        this.recipientId = recipientId;
    }

    /** The organization counter up to which rows were applied; -1 before the light part. */
    public synchronized long rowsSeen() {
        return rowsSeen;
    }

    /** The counter up to which texts were indexed; -1 while the text part is not built. */
    public synchronized long textsSeen() {
        return textsSeen;
    }

    public synchronized boolean textReady() {
        return textsSeen >= 0;
    }

    /**
     * Applies rows read at organization counter {@code seen}: entries are added or replaced (a
     * report without content is dropped), and keys this index already unwrapped are reused.
     */
    public void applyRows(List<IndexRow> rows, RecipientPrivateKey privateKey, long seen) {
        Map<String, Entry> before = entries(rows.stream().map(IndexRow::id).toList());
        // Unwrapping dominates the first build (a quarter millisecond a key): spread over the CPUs,
        // with no lock held (the workers must not wait for this thread).
        List<Entry> made = (rows.size() > PARALLEL_FROM ? rows.parallelStream() : rows.stream())
                .map(row -> row.hasContent() ? entryOf(row, privateKey, before.get(row.id())) : null)
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
        synchronized (this) {
            for (int i = 0; i < rows.size(); i++) {
                Entry e = made.get(i);
                if (e == null) {
                    remove(rows.get(i).id());
                } else {
                    put(e);
                }
            }
            rowsSeen = Math.max(rowsSeen, seen);
        }
    }

    /**
     * Indexes the texts of the given reports (their answers, designation and {@code texts}),
     * replacing what was indexed for them before; reports this recipient cannot read get none.
     */
    public void applyTexts(Set<String> reportIds, List<SealedText> texts, long seen) {
        Map<String, List<SealedText>> byReport = new HashMap<>();
        for (SealedText t : texts) {
            byReport.computeIfAbsent(t.reportId(), id -> new ArrayList<>()).add(t);
        }
        Map<String, Entry> current = entries(reportIds);
        Map<String, Set<String>> made = (current.size() > PARALLEL_FROM ? current.values().parallelStream()
                : current.values().stream())
                .collect(Collectors.toConcurrentMap(Entry::id,
                        e -> e.readable() ? tokensOf(e, byReport.getOrDefault(e.id(), List.of())) : Set.of()));
        synchronized (this) {
            for (Map.Entry<String, Set<String>> m : made.entrySet()) {
                Integer position = positions.get(m.getKey());
                if (position != null) {
                    index(position, m.getValue());
                }
            }
            textsSeen = Math.max(textsSeen, seen);
        }
    }

    /** The ids of every report in the index. */
    public synchronized Set<String> ids() {
        return new HashSet<>(positions.keySet());
    }

    public synchronized Entry entry(String reportId) {
        return known(reportId);
    }

    /** Every entry, newest received first. */
    public synchronized List<Entry> all() {
        return entries.stream().filter(e -> e != null).sorted(BY_RECEIVED).toList();
    }

    public synchronized int size() {
        return positions.size();
    }

    /**
     * The page of reports matching {@code q}, sorted; the search text matches reports holding every
     * word as a token prefix (so "расслед" finds "расследование"), among those this recipient can read.
     */
    public synchronized Page query(CaseQuery q, Clocks clocks, Clock clock) {
        Map<String, LocalDate> due = new HashMap<>();
        Map<String, Boolean> overdue = new HashMap<>();
        BitSet textMatch = q.searches() ? search(q.text()) : null;
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries) {
            if (e == null) {
                continue;
            }
            if (textMatch != null && !textMatch.get(positions.get(e.id()))) {
                continue;
            }
            if (clocks.on() && e.status() != ReportStatus.CLOSED) {
                Deadlines.Due d = Deadlines.of(e.createdHour(), e.ackHour(), e.feedbackHour(), clocks.zone(), clock);
                LocalDate nearest = d.nearest(e.ackHour() != null, e.feedbackHour() != null);
                if (nearest != null) {
                    due.put(e.id(), nearest);
                }
                overdue.put(e.id(), d.overdue());
            }
            if (matches(q, e, overdue.getOrDefault(e.id(), false))) {
                matching.add(e);
            }
        }
        Comparator<Entry> order = switch (q.sort()) {
            case ACTIVITY -> BY_ACTIVITY;
            case RECEIVED -> BY_RECEIVED;
            case DEADLINE -> Comparator.comparing((Entry e) -> due.get(e.id()),
                    Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(BY_ACTIVITY);
        };
        matching.sort(order);
        int pages = Math.max(1, (matching.size() + CaseQuery.PAGE_SIZE - 1) / CaseQuery.PAGE_SIZE);
        int page = Math.min(q.page(), pages);
        int from = (page - 1) * CaseQuery.PAGE_SIZE;
        List<Entry> shown = List.copyOf(matching.subList(from, Math.min(matching.size(), from + CaseQuery.PAGE_SIZE)));
        Map<String, LocalDate> shownDue = new HashMap<>();
        Set<String> shownOverdue = new HashSet<>();
        for (Entry e : shown) {
            if (due.containsKey(e.id())) {
                shownDue.put(e.id(), due.get(e.id()));
            }
            if (overdue.getOrDefault(e.id(), false)) {
                shownOverdue.add(e.id());
            }
        }
        return new Page(shown, matching.size(), page, pages, shownDue, shownOverdue);
    }

    /** Whether a report passes every filter but the text. */
    boolean matches(CaseQuery q, Entry e, boolean isOverdue) {
        if (!q.status().isEmpty()) {
            boolean phase = q.phase().map(p -> p == e.status()).orElse(false);
            if (!phase && !q.status().equals(e.state().statusId()) && !q.status().equals(e.state().subStatusId())) {
                return false;
            }
        }
        Predicate<CaseState> assigned = switch (q.assignee()) {
            case "" -> s -> true;
            case CaseQuery.ME -> s -> s.assignedTo(recipientId);
            case CaseQuery.NOBODY -> s -> s.owner() == null && s.collaborators().isEmpty();
            default -> s -> s.assignedTo(q.assignee());
        };
        return assigned.test(e.state())
                && (q.label().isEmpty() || e.state().labels().contains(q.label()))
                && (!q.unread() || e.unread())
                && (!q.overdue() || isOverdue)
                && (!q.files() || e.files() > 0);
    }

    /** Reports holding every word of {@code text} as the prefix of one of their tokens. */
    private BitSet search(String text) {
        BitSet result = null;
        for (String word : words(text)) {
            BitSet any = new BitSet();
            for (BitSet b : tokens.subMap(word, true, word + Character.MAX_VALUE, false).values()) {
                any.or(b);
            }
            if (result == null) {
                result = any;
            } else {
                result.and(any);
            }
        }
        return result == null ? new BitSet() : result;
    }

    /**
     * The words of a text as the index keeps them: NFKC-normalized, lower case, "ё" read as "е",
     * split at everything that is not a letter or a digit (Latin and Cyrillic alike).
     */
    public static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        String normal = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('ё', 'е');
        int start = -1;
        for (int i = 0; i <= normal.length(); i++) {
            boolean inWord = i < normal.length() && Character.isLetterOrDigit(normal.charAt(i));
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                words.add(normal.substring(start, i));
                start = -1;
            }
        }
        return words;
    }

    private Set<String> tokensOf(Entry e, List<SealedText> texts) {
        Set<String> words = new HashSet<>(words(e.designation()));
        try {
            Answers a = ReportContents.answersOf(e.id(), e.answers(), e.keys().require(0));
            for (String field : List.of(a.what(), a.when(), a.where(), a.details())) {
                words.addAll(words(field));
            }
        } catch (VaultException | IllegalArgumentException ex) {
            LOG.error("ALARM: the answers of report {} do not decrypt: the row was altered", e.id());
        }
        for (SealedText t : texts) {
            if (!e.keys().holds(t.generation())) {
                continue;
            }
            try {
                ReportKey key = e.keys().require(t.generation());
                String plain = switch (t.kind()) {
                    case MESSAGE -> key.openString(t.body(), ObjectRef.message(e.id(), t.objectId()));
                    case FILE_NAME -> key.openString(t.body(), ObjectRef.fileName(e.id(), t.objectId()));
                    case NOTE -> Note.decode(key.open(t.body(), ObjectRef.note(e.id(), t.objectId()))).text();
                };
                words.addAll(words(plain));
            } catch (VaultException | IllegalArgumentException ex) {
                LOG.error("ALARM: a {} of report {} does not decrypt: the row was altered", t.kind(), e.id());
            }
        }
        return words;
    }

    private Entry entryOf(IndexRow row, RecipientPrivateKey privateKey, Entry before) {
        ReportKeys keys = before == null ? null : before.keys();
        Map<Integer, ReportKey> opened = new HashMap<>();
        for (Map.Entry<Integer, byte[]> w : row.wraps().entrySet()) {
            if (keys != null && keys.holds(w.getKey())) {
                opened.put(w.getKey(), keys.require(w.getKey()));
                continue;
            }
            try {
                opened.put(w.getKey(), ReportKey.unwrap(privateKey, w.getValue(), row.id(), w.getKey()));
            } catch (VaultException e) {
                LOG.error("ALARM: a key wrap of report {} does not open for recipient {}", row.id(), recipientId);
            }
        }
        // A revoked recipient's wraps are gone: what it held before is not kept either.
        keys = opened.isEmpty() ? null : ReportKeys.of(opened);
        CaseState state = CaseState.EMPTY;
        String headline = "";
        if (keys != null && keys.holds(0)) {
            try {
                headline = ReportContents.answersOf(row.id(), row.answers(), keys.require(0)).headline();
            } catch (VaultException | IllegalArgumentException e) {
                LOG.error("ALARM: the answers of report {} do not decrypt: the row was altered", row.id());
            }
        }
        if (keys != null && row.caseState() != null && keys.holds(row.caseGeneration())) {
            try {
                state = CaseState.decode(keys.require(row.caseGeneration()).open(row.caseState(),
                        ObjectRef.caseState(row.id())));
            } catch (VaultException | IllegalArgumentException e) {
                LOG.error("ALARM: the case snapshot of report {} does not decrypt: the row was altered", row.id());
            }
        }
        return new Entry(row.id(), row.seq(), row.designation() == null ? "" : row.designation(), row.status(),
                row.createdHour(), row.sourceActivityHour(), row.lastSourceMessageSeq(), row.ackHour(),
                row.feedbackHour(), row.unread(), row.files(), row.messages(), keys, state, headline, row.answers());
    }

    /** The entries of these reports that the index holds, copied out under the lock. */
    private synchronized Map<String, Entry> entries(Collection<String> reportIds) {
        Map<String, Entry> found = new HashMap<>();
        for (String id : reportIds) {
            Entry e = known(id);
            if (e != null) {
                found.put(id, e);
            }
        }
        return found;
    }

    /**
     * What serializes the refreshes of this index (database reads included). Not the index's own
     * lock: a refresh holding it would block its own worker threads and every list query.
     */
    public Object refreshLock() {
        return refreshLock;
    }

    private synchronized Entry known(String reportId) {
        Integer position = positions.get(reportId);
        return position == null ? null : entries.get(position);
    }

    private void put(Entry e) {
        Integer position = positions.get(e.id());
        if (position == null) {
            positions.put(e.id(), entries.size());
            entries.add(e);
        } else {
            entries.set(position, e);
            if (!e.readable()) {
                index(position, Set.of());
            }
        }
    }

    private void remove(String reportId) {
        Integer position = positions.remove(reportId);
        if (position != null) {
            entries.set(position, null);
            index(position, Set.of());
        }
    }

    /** Replaces the tokens of one position. */
    private void index(int position, Set<String> words) {
        for (String old : tokensOf.getOrDefault(position, Set.of())) {
            BitSet b = tokens.get(old);
            if (b != null) {
                b.clear(position);
                if (b.isEmpty()) {
                    tokens.remove(old);
                }
            }
        }
        for (String w : words) {
            tokens.computeIfAbsent(w, k -> new BitSet()).set(position);
        }
        if (words.isEmpty()) {
            tokensOf.remove(position);
        } else {
            tokensOf.put(position, words);
        }
    }
}
