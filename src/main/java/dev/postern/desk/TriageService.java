package dev.postern.desk;

import dev.postern.domain.CaseState;
import dev.postern.store.CaseStore;
import dev.postern.store.Ids;
import dev.postern.store.IndexRow;
import dev.postern.store.KeyGenerationMoved;
import dev.postern.store.Labels;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.store.Reports;
import dev.postern.store.SealedText;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.OrgDataKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.VaultException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk list at volume: one {@link CaseIndex} per desk session, built after login (the light
 * part first, the search part in the background) and brought up to date on every list by the
 * organization's {@code change_seq} delta; designations for reports that predate them; the
 * organization's labels; labels and assignment of a report.
 *
 * <p>Rules it owns: a recipient lists every report of their organization with content, but sees
 * the text of, searches and labels only those whose key they hold; an assignee is an active
 * colleague, granted the report's key if they lack it; only administrators edit the labels; label names are
 * sealed under the organization's data key.
 */
public final class TriageService {
    private static final Logger LOG = LoggerFactory.getLogger(TriageService.class);
    /** The longest label name, in characters. */
    public static final int MAX_LABEL_CHARS = 60;
    static final String LABEL_KIND = "label";
    private static final int WRITE_ATTEMPTS = 5;

    /** A choice on a form: a colleague or a label, and whether it is chosen. */
    public record Option(String id, String name, boolean chosen) {
    }

    /**
     * What the list page shows.
     *
     * @param searchPending the search part is still being built: the page waits and reloads
     */
    public record ListView(List<ReportListItem> items, int total, int page, int pages, boolean searchPending,
                           List<Option> colleagues, List<Option> labels, boolean admin) {
    }

    /**
     * The labels and assignment block of a report page.
     *
     * @param readable whether this recipient holds the report's key (else nothing can be changed)
     * @param labels   the organization's labels, chosen when the report carries them
     * @param owner    the active colleagues, the owner chosen
     * @param collaborators the active colleagues, the collaborators chosen
     */
    public record CaseView(String designation, boolean readable, boolean labelNames, List<Option> labels,
                           List<Option> owner, List<Option> collaborators) {
    }

    private final Reports reports;
    private final Recipients recipients;
    private final Labels labels;
    private final CaseStore cases;
    private final AccessService access;
    private final Clock clock;
    /**
     * Each live desk session's index. Weak keys: a session that ends (logout, idle, lifetime) is
     * dropped by its session store, and its index with it at the next collection.
     */
    private final Map<DeskSession, CaseIndex> indexes = Collections.synchronizedMap(new WeakHashMap<>());
    /** The search parts being built, so tools and tests can wait for them instead of polling. */
    private final Set<Thread> textBuilders = ConcurrentHashMap.newKeySet();

    public TriageService(Reports reports, Recipients recipients, Labels labels, CaseStore cases, AccessService access,
                         Clock clock) {
        this.reports = reports;
        this.access = access;
        this.recipients = recipients;
        this.labels = labels;
        this.cases = cases;
        this.clock = clock;
    }

    /** Starts building the session's index right after login, so the first list finds it ready. */
    public void warm(DeskSession session) {
        Thread.ofVirtual().name("case-index").start(() -> {
            try {
                index(session);
            } catch (RuntimeException e) {
                LOG.warn("building a case index failed: {}", e.getClass().getSimpleName());
            }
        });
    }

    /** A page of the organization's reports for this session. */
    public ListView list(DeskSession session, CaseQuery query) {
        CaseIndex index = index(session);
        Map<String, String> colleagues = colleagueNames(session);
        Map<String, String> labelNames = labelNames(session);
        boolean pending = query.searches() && !index.textReady();
        CaseIndex.Page page = pending ? new CaseIndex.Page(List.of(), 0, 1, 1, Map.of(), Set.of())
                : index.query(query, clocks(session), clock);
        List<ReportListItem> items = page.entries().stream()
                .map(e -> ReportListItem.of(e, page.due().get(e.id()), page.overdue().contains(e.id()), colleagues,
                        labelNames))
                .toList();
        return new ListView(items, page.total(), page.page(), page.pages(), pending,
                options(colleagues, Set.of(query.assignee())), options(labelNames, Set.of(query.label())), session.isAdmin());
    }

    /** The labels and assignment of a report, for its page. */
    public CaseView caseOf(DeskSession session, String reportId) throws DeskException {
        CaseIndex.Entry e = entry(session, reportId);
        Map<String, String> colleagues = assignable(session);
        Map<String, String> labelNames = labelNames(session);
        CaseState state = e.state();
        return new CaseView(e.designation(), e.readable(), session.dataKey() != null,
                options(labelNames, state.labels()), options(colleagues, state.owner() == null ? Set.of()
                : Set.of(state.owner())), options(colleagues, state.collaborators()));
    }

    /** The report's designation as the desk shows it (for the report page's title). */
    public String designation(DeskSession session, String reportId) throws DeskException {
        return entry(session, reportId).designation();
    }

    /** Sets the report's labels (ids of the organization's labels; unknown ones are refused). */
    public void setLabels(DeskSession session, String reportId, Set<String> labelIds) throws DeskException {
        Set<String> known = labels.of(session.organizationId()).stream().map(Labels.SealedLabel::id)
                .collect(Collectors.toSet());
        if (!known.containsAll(labelIds)) {
            throw new DeskException(DeskException.Reason.BAD_ASSIGNEE);
        }
        update(session, reportId, s -> s.withLabels(labelIds));
    }

    /**
     * Sets the report's owner (null or empty: nobody) and collaborators, each an active colleague;
     * one who does not hold the report's key is granted it first ({@link AccessService#grant}, with
     * its checks and its case-log entry).
     */
    public void assign(DeskSession session, String reportId, String owner, Set<String> collaborators)
            throws DeskException {
        String newOwner = owner == null || owner.isEmpty() ? null : owner;
        Set<String> everyone = new LinkedHashSet<>(collaborators);
        if (newOwner != null) {
            everyone.add(newOwner);
        }
        if (!assignable(session).keySet().containsAll(everyone)) {
            throw new DeskException(DeskException.Reason.BAD_ASSIGNEE);
        }
        entry(session, reportId);
        for (String id : everyone) {
            // An assignee must be able to read the report: one who cannot is granted it first.
            if (reports.access().wrapsOf(reportId, id).isEmpty()) {
                access.grant(session, reportId, id);
            }
        }
        Set<String> others = new LinkedHashSet<>(collaborators);
        others.remove(newOwner);
        update(session, reportId, s -> s.withOwner(newOwner).withCollaborators(others));
    }

    /** The organization's labels with their names (empty names while the data key is not here). */
    public List<Option> labels(DeskSession session) {
        return options(labelNames(session), Set.of());
    }

    public void addLabel(DeskSession session, String name) throws DeskException {
        OrgDataKey key = adminKey(session);
        String id = Ids.newId();
        labels.add(session.organizationId(), id, key.seal(labelName(name), session.organizationId(), LABEL_KIND, id));
    }

    public void renameLabel(DeskSession session, String labelId, String name) throws DeskException {
        OrgDataKey key = adminKey(session);
        if (!Ids.isValid(labelId) || !labels.rename(session.organizationId(), labelId,
                key.seal(labelName(name), session.organizationId(), LABEL_KIND, labelId))) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
    }

    public void deleteLabel(DeskSession session, String labelId) throws DeskException {
        adminKey(session);
        if (!Ids.isValid(labelId) || !labels.delete(session.organizationId(), labelId)) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
    }

    /** Waits at most {@code max} for the search parts started so far to be built; true when they are. */
    public boolean awaitSearchParts(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : List.copyOf(textBuilders)) {
            if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** The session's index, built on first use and brought up to date with the organization's changes. */
    CaseIndex index(DeskSession session) {
        CaseIndex index = indexes.computeIfAbsent(session, s -> new CaseIndex(s.recipientId()));
        boolean first;
        synchronized (index.refreshLock()) {
            first = index.rowsSeen() < 0;
            refresh(session, index);
        }
        if (first) {
            Thread builder = Thread.ofVirtual().name("case-index-text").unstarted(() -> {
                try {
                    buildTexts(session, index);
                } finally {
                    textBuilders.remove(Thread.currentThread());
                }
            });
            textBuilders.add(builder);
            builder.start();
        }
        return index;
    }

    /** Re-reads the rows (and, once the text part exists, the texts) changed since the index last looked. */
    private void refresh(DeskSession session, CaseIndex index) {
        Reports.IndexHead head = reports.indexHead(session.organizationId());
        long rowsSeen = index.rowsSeen();
        long textsSeen = index.textsSeen();
        boolean texts = textsSeen >= 0;
        if (head.changeSeq() == rowsSeen && (!texts || head.changeSeq() == textsSeen)) {
            return;
        }
        // -1 reads every row (an untouched report's counter is 0); with a text part, rows back to its
        // counter are read again so their answers are indexed with their other texts.
        long since = rowsSeen < 0 ? -1 : texts ? Math.min(rowsSeen, textsSeen) : rowsSeen;
        long started = System.nanoTime();
        List<IndexRow> rows = named(session, reports.indexRows(session.organizationId(), session.recipientId(), since));
        long read = System.nanoTime();
        index.applyRows(rows, session.privateKey(), head.changeSeq());
        if (rowsSeen < 0) {
            LOG.info("case index: {} reports read in {} ms, keys unwrapped and snapshots opened in {} ms", rows.size(),
                    (read - started) / 1_000_000, (System.nanoTime() - read) / 1_000_000);
        }
        if (texts) {
            Set<String> changed = rows.stream().map(IndexRow::id).collect(Collectors.toSet());
            index.applyTexts(changed, reports.indexTexts(session.organizationId(), textsSeen), head.changeSeq());
        }
    }

    /** The search part: every text of the organization, opened with the keys the index holds. */
    private void buildTexts(DeskSession session, CaseIndex index) {
        try {
            long seen = reports.indexHead(session.organizationId()).changeSeq();
            long started = System.nanoTime();
            List<SealedText> texts = reports.indexTexts(session.organizationId(), -1);
            long read = System.nanoTime();
            index.applyTexts(index.ids(), texts, seen);
            LOG.info("search index: {} texts read in {} ms, decrypted and tokenized in {} ms", texts.size(),
                    (read - started) / 1_000_000, (System.nanoTime() - read) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("building a search index failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Rows of reports from before designations get theirs now (once, whoever lists them first). */
    private List<IndexRow> named(DeskSession session, List<IndexRow> rows) {
        List<IndexRow> out = new ArrayList<>(rows.size());
        for (IndexRow r : rows) {
            if (r.designation() == null && r.hasContent()) {
                String name = reports.assignDesignation(session.organizationId(), r.id());
                r = new IndexRow(r.id(), r.seq(), r.status(), r.createdHour(), r.sourceActivityHour(),
                        r.lastSourceMessageSeq(), r.ackHour(), r.feedbackHour(), name, r.answers(), r.unread(),
                        r.files(), r.messages(), r.hasContent(), r.wraps(), r.caseGeneration(), r.caseState());
            }
            out.add(r);
        }
        return out;
    }

    private CaseIndex.Clocks clocks(DeskSession session) {
        Reports.IndexHead head = reports.indexHead(session.organizationId());
        return head.euClocks() ? new CaseIndex.Clocks(true, Deadlines.zone(head.timeZone())) : CaseIndex.Clocks.OFF;
    }

    private CaseIndex.Entry entry(DeskSession session, String reportId) throws DeskException {
        if (!Ids.isValid(reportId)) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        CaseIndex.Entry e = index(session).entry(reportId);
        if (e == null) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        return e;
    }

    /** Read, change, re-seal under the current generation, write if unchanged meanwhile; retried. */
    private void update(DeskSession session, String reportId, java.util.function.UnaryOperator<CaseState> change)
            throws DeskException {
        CaseIndex.Entry e = entry(session, reportId);
        if (!e.readable()) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
        ReportKeys keys = e.keys();
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            CaseStore.Snapshot snapshot = cases.snapshot(reportId);
            CaseState current = CaseState.EMPTY;
            if (snapshot.state() != null) {
                try {
                    current = CaseState.decode(keys.require(snapshot.generation()).open(snapshot.state(),
                            ObjectRef.caseState(reportId)));
                } catch (VaultException | IllegalArgumentException ex) {
                    throw new DeskException(DeskException.Reason.NO_ACCESS);
                }
            }
            byte[] sealed = keys.current().seal(change.apply(current).encode(), ObjectRef.caseState(reportId));
            try {
                if (cases.updateSnapshot(session.organizationId(), reportId, snapshot, keys.currentGeneration(),
                        sealed)) {
                    return;
                }
            } catch (KeyGenerationMoved moved) {
                // A revocation moved the report on since this session's index opened its keys: the
                // change is refused (nothing sealed under the old key); the next list brings the new key.
                throw new DeskException(DeskException.Reason.CASE_CHANGED);
            }
        }
        throw new DeskException(DeskException.Reason.CASE_CHANGED);
    }

    /** Every colleague of the organization by id, with their shown name (disabled ones too, for old assignments). */
    private Map<String, String> colleagueNames(DeskSession session) {
        Map<String, String> names = new LinkedHashMap<>();
        for (RecipientAccount a : recipients.inOrganization(session.organizationId())) {
            names.put(a.id(), a.shownName());
        }
        return names;
    }

    /** The colleagues a report may be assigned to: the active ones. */
    private Map<String, String> assignable(DeskSession session) {
        Map<String, String> names = new LinkedHashMap<>();
        for (RecipientAccount a : recipients.inOrganization(session.organizationId())) {
            if (a.active()) {
                names.put(a.id(), a.shownName());
            }
        }
        return names;
    }

    /** The organization's labels by id, named when this session holds the data key (else "?"). */
    private Map<String, String> labelNames(DeskSession session) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Labels.SealedLabel l : labels.of(session.organizationId())) {
            String name = "?";
            if (session.dataKey() != null) {
                try {
                    name = session.dataKey().openString(l.name(), session.organizationId(), LABEL_KIND, l.id());
                } catch (VaultException e) {
                    LOG.error("ALARM: the name of label {} does not decrypt: the row was altered", l.id());
                }
            }
            names.put(l.id(), name);
        }
        return names;
    }

    private static List<Option> options(Map<String, String> names, Set<String> chosen) {
        return names.entrySet().stream().map(n -> new Option(n.getKey(), n.getValue(), chosen.contains(n.getKey())))
                .toList();
    }

    private static OrgDataKey adminKey(DeskSession session) throws DeskException {
        if (!session.isAdmin()) {
            throw new DeskException(DeskException.Reason.ADMIN_ONLY);
        }
        if (session.dataKey() == null) {
            throw new DeskException(DeskException.Reason.NO_ORG_KEY);
        }
        return session.dataKey();
    }

    private static String labelName(String name) throws DeskException {
        String n = name == null ? "" : name.strip().replaceAll("\\s+", " ");
        if (n.isEmpty() || n.length() > MAX_LABEL_CHARS) {
            throw new DeskException(DeskException.Reason.BAD_LABEL);
        }
        return n;
    }
}
