package dev.postern.desk;

import dev.postern.domain.CaseState;
import dev.postern.domain.Note;
import dev.postern.domain.StatusChange;
import dev.postern.domain.StatusNames;
import dev.postern.intake.Answers;
import dev.postern.store.CaseNotes;
import dev.postern.store.CaseStore;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.KeyGenerationMoved;
import dev.postern.store.OrgVocabulary;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.store.ReportStatus;
import dev.postern.store.Reports;
import dev.postern.store.StoredMessage;
import dev.postern.store.StoredReport;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.OrgDataKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.VaultException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Working a case: the organization's statuses and changes to them (with a reason for colleagues and
 * an optional message to the source), the one-click acknowledgement with the EU Directive 2019/1937
 * clocks, internal notes, replies, and the settings of statuses and templates.
 *
 * <p>Rules it owns: report-scoped data (snapshot, status changes, notes) is sealed under the report
 * key's current generation; the organization's vocabulary under its data key, so without that key
 * (not handed to this account yet) statuses cannot change and the settings cannot be edited; a status
 * change needs a reason; a report is acknowledged once; the first reply or status message after the
 * acknowledgement is the feedback, recorded once; only administrators edit statuses and templates.
 */
public final class CaseService {
    private static final Logger LOG = LoggerFactory.getLogger(CaseService.class);
    /** The longest reason, note or template kept, in characters. */
    public static final int MAX_TEXT_CHARS = Answers.LONG_FIELD_CHARS;
    /** The reason recorded with the status change of a one-click acknowledgement. */
    public static final String ACK_REASON = "acknowledged";
    static final String STATUS_KIND = "status";
    static final String TEMPLATE_KIND = "template";
    private static final int WRITE_ATTEMPTS = 5;
    private static final List<String> LANGUAGES = List.of("en", "ru", "uk");

    private final DeskService desk;
    private final Reports reports;
    private final Recipients recipients;
    private final CaseStore cases;
    private final CaseNotes notes;
    private final OrgVocabulary vocabulary;
    private final DefaultTexts defaults;
    private final Clock clock;

    public CaseService(DeskService desk, Reports reports, Recipients recipients, CaseStore cases, CaseNotes notes,
                       OrgVocabulary vocabulary, DefaultTexts defaults, Clock clock) {
        this.desk = desk;
        this.reports = reports;
        this.recipients = recipients;
        this.cases = cases;
        this.notes = notes;
        this.vocabulary = vocabulary;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** One line of the status history as colleagues see it. */
    public record HistoryEntry(long hour, String name, String reason, String author, boolean withMessage) {
    }

    /** One internal note. */
    public record NoteEntry(long hour, String author, String text) {
    }

    /** A status the report can be set to: a top-level status or one of its sub-statuses. */
    public record Choice(String id, String label, boolean selected) {
    }

    /**
     * The case blocks of the desk's report page.
     *
     * @param orgKeyReady   false while the organization's data key has not reached this account:
     *                      statuses cannot be shown by name nor changed
     * @param currentName   the status's name (with sub-status); the phase's default name without the key
     * @param due           the due dates when the organization runs the EU clocks, else null
     * @param replyAuthors  message id to the display name of the colleague who wrote the reply
     */
    public record CaseView(boolean orgKeyReady, String currentName, List<Choice> choices, List<HistoryEntry> history,
                           List<NoteEntry> notes, Deadlines.Due due, boolean acknowledged, boolean feedbackGiven,
                           Map<String, String> replyAuthors) {
    }

    /** The case blocks of a report for its desk page, names in {@code lang}. */
    public CaseView view(DeskSession session, String reportId, String lang) throws DeskException {
        StoredReport report = desk.reportOf(session, reportId);
        ReportKeys keys = keysOf(session, report);
        Map<String, String> names = new HashMap<>();
        List<HistoryEntry> history = new ArrayList<>();
        for (CaseStore.SealedRow row : cases.statusChanges(reportId)) {
            Optional<StatusChange> change = open(keys, row, ObjectRef.statusChange(reportId, row.id()))
                    .map(StatusChange::decode);
            if (change.isPresent()) {
                StatusChange c = change.get();
                history.add(new HistoryEntry(row.createdHour(), c.nameIn(lang), c.reason(), nameOf(c.by(), names),
                        c.messageId() != null));
            }
        }
        List<NoteEntry> noteEntries = new ArrayList<>();
        for (CaseStore.SealedRow row : notes.of(reportId)) {
            Optional<Note> note = open(keys, row, ObjectRef.note(reportId, row.id())).map(Note::decode);
            note.ifPresent(n -> noteEntries.add(new NoteEntry(row.createdHour(), nameOf(n.by(), names), n.text())));
        }
        Map<String, String> authors = new HashMap<>();
        for (StoredMessage m : reports.messages(reportId)) {
            if (m.author() == StoredMessage.Author.RECIPIENT && m.recipientId() != null) {
                authors.put(m.id(), nameOf(m.recipientId(), names));
            }
        }
        CaseStore.CaseDates dates = cases.dates(reportId);
        Deadlines.Due due = dates.euClocks() ? Deadlines.of(dates.createdHour(), dates.ackHour(), dates.feedbackHour(),
                Deadlines.zone(dates.timeZone()), clock) : null;
        CaseState state = stateOf(keys, reportId, cases.snapshot(reportId));
        boolean ready = session.dataKey() != null;
        List<Choice> choices = new ArrayList<>();
        String current = defaults.text(report.status().defaultNameKey(), lang);
        if (ready) {
            List<OrgStatus> statuses = statuses(session);
            OrgStatus top = currentStatus(statuses, state, report.status());
            OrgStatus sub = state.subStatusId() == null ? null : byId(statuses, state.subStatusId());
            if (top != null) {
                current = sub == null ? top.names().in(lang) : top.names().in(lang) + " — " + sub.names().in(lang);
            }
            String selected = sub != null ? sub.id() : top == null ? null : top.id();
            for (OrgStatus s : ordered(statuses)) {
                if (!s.retired()) {
                    String label = s.isSubStatus()
                            ? byId(statuses, s.parentId()).names().in(lang) + " — " + s.names().in(lang)
                            : s.names().in(lang);
                    choices.add(new Choice(s.id(), label, s.id().equals(selected)));
                }
            }
        }
        return new CaseView(ready, current, choices, history, noteEntries, due, dates.ackHour() != null,
                dates.feedbackHour() != null, authors);
    }

    /**
     * Changes a report's status.
     *
     * @param value   a status or sub-status id; or a phase name (NEW, IN_PROGRESS...), meaning that
     *                phase's first status
     * @param reason  why, for colleagues (required)
     * @param message to the source, sent as a reply with the change; blank for none
     * @throws DeskException BAD_STATUS, REASON_REQUIRED, TEXT_TOO_LONG, NO_ORG_KEY, and the reply's reasons
     */
    public void changeStatus(DeskSession session, String reportId, String value, String reason, String message)
            throws DeskException {
        StoredReport report = desk.reportOf(session, reportId);
        String why = requiredText(reason, DeskException.Reason.REASON_REQUIRED);
        List<OrgStatus> statuses = statuses(session);
        OrgStatus chosen = chosen(statuses, value == null ? "" : value)
                .orElseThrow(() -> new DeskException(DeskException.Reason.BAD_STATUS));
        String messageId = null;
        if (message != null && !message.isBlank()) {
            messageId = reply(session, reportId, message);
        }
        record(session, report, statuses, chosen, why, messageId);
    }

    /**
     * Acknowledges a report in one click: the organization's template in the source's language goes
     * to the source as a reply flagged as the acknowledgement, the report is marked acknowledged this
     * hour, and its status moves to the first Acknowledged status with the reason "acknowledged".
     *
     * @throws DeskException ALREADY_ACKNOWLEDGED on a second click; NO_ORG_KEY without the data key
     */
    public void acknowledge(DeskSession session, String reportId) throws DeskException {
        StoredReport report = desk.reportOf(session, reportId);
        List<OrgStatus> statuses = statuses(session);
        CaseStore.CaseDates dates = cases.dates(reportId);
        if (dates.ackHour() != null) {
            throw new DeskException(DeskException.Reason.ALREADY_ACKNOWLEDGED);
        }
        String text = fill(ackTemplate(session, dates.sourceLocale()), dates.organizationName(), dates.designation());
        desk.keysForWriting(session, report);
        // Claimed first: of two clicks (or two colleagues) only one sends the message.
        if (!cases.acknowledgeOnce(report.organizationId(), reportId, Hours.now(clock))) {
            throw new DeskException(DeskException.Reason.ALREADY_ACKNOWLEDGED);
        }
        String messageId = desk.reply(session, reportId, text);
        cases.flagAcknowledgement(reportId, messageId);
        Optional<OrgStatus> acknowledged = ordered(statuses).stream()
                .filter(s -> !s.retired() && !s.isSubStatus() && s.phase() == ReportStatus.ACKNOWLEDGED).findFirst();
        if (acknowledged.isPresent()) {
            record(session, report, statuses, acknowledged.get(), ACK_REASON, messageId);
        }
    }

    /** A reply to the source; the first after the acknowledgement is the feedback. Returns its id. */
    public String reply(DeskSession session, String reportId, String text) throws DeskException {
        StoredReport report = desk.reportOf(session, reportId);
        String messageId = desk.reply(session, reportId, text);
        cases.feedbackOnce(report.organizationId(), reportId, Hours.now(clock));
        return messageId;
    }

    /** An internal note, for colleagues only. */
    public void addNote(DeskSession session, String reportId, String text) throws DeskException {
        StoredReport report = desk.reportOf(session, reportId);
        String body = requiredText(text, DeskException.Reason.EMPTY_NOTE);
        underCurrentKey(session, report, keys -> {
            String id = Ids.newId();
            byte[] sealed = keys.current().seal(new Note(session.recipientId(), body).encode(),
                    ObjectRef.note(reportId, id));
            notes.insert(report.organizationId(), reportId,
                    new CaseStore.SealedRow(id, keys.currentGeneration(), sealed, Hours.now(clock)));
            return true;
        });
    }

    /**
     * The organization's statuses, retired ones included, in their order; the defaults are made the
     * first time a session with the data key asks.
     *
     * @throws DeskException NO_ORG_KEY when the data key has not reached this account
     */
    public List<OrgStatus> statuses(DeskSession session) throws DeskException {
        OrgDataKey key = dataKey(session);
        String org = session.organizationId();
        List<OrgVocabulary.StatusRow> rows = vocabulary.statuses(org);
        if (rows.isEmpty()) {
            vocabulary.insertFirst(org, defaultStatuses(key, org));
            rows = vocabulary.statuses(org);
        }
        List<OrgStatus> statuses = new ArrayList<>();
        for (OrgVocabulary.StatusRow row : rows) {
            try {
                statuses.add(new OrgStatus(row.id(), row.parentId(), row.phase(), row.position(),
                        StatusNames.decode(key.open(row.names(), org, STATUS_KIND, row.id())), row.retired()));
            } catch (VaultException | IllegalArgumentException e) {
                LOG.error("ALARM: status {} of organization {} does not open under its data key: the row was altered",
                        row.id(), org);
            }
        }
        return statuses;
    }

    /** The statuses for the settings page (administrators): each top-level status followed by its sub-statuses. */
    public List<OrgStatus> statusSettings(DeskSession session) throws DeskException {
        requireAdmin(session);
        return ordered(statuses(session));
    }

    /** Renames a status in the three languages (administrators). */
    public void renameStatus(DeskSession session, String statusId, StatusNames names) throws DeskException {
        requireAdmin(session);
        OrgDataKey key = dataKey(session);
        checkNames(names);
        if (!Ids.isValid(statusId) || !vocabulary.rename(session.organizationId(), statusId,
                key.seal(names.encode(), session.organizationId(), STATUS_KIND, statusId))) {
            throw new DeskException(DeskException.Reason.BAD_STATUS);
        }
    }

    /**
     * Adds a status under a phase, or a sub-status under a top-level status (administrators).
     *
     * @param parentId the top-level status, or null/blank for a new top-level status
     */
    public void addStatus(DeskSession session, ReportStatus phase, String parentId, StatusNames names)
            throws DeskException {
        requireAdmin(session);
        OrgDataKey key = dataKey(session);
        checkNames(names);
        List<OrgStatus> statuses = statuses(session);
        String parent = parentId == null || parentId.isBlank() ? null : parentId;
        ReportStatus statusPhase = phase;
        if (parent != null) {
            OrgStatus top = byId(statuses, parent);
            if (top == null || top.isSubStatus()) {
                throw new DeskException(DeskException.Reason.BAD_STATUS);
            }
            statusPhase = top.phase();
        }
        if (statusPhase == null) {
            throw new DeskException(DeskException.Reason.BAD_STATUS);
        }
        int position = statuses.stream().mapToInt(OrgStatus::position).max().orElse(0) + 1;
        String id = Ids.newId();
        vocabulary.insert(session.organizationId(), new OrgVocabulary.StatusRow(id, parent, statusPhase, position,
                key.seal(names.encode(), session.organizationId(), STATUS_KIND, id), false));
    }

    /** Retires a status (administrators): no longer offered, still named in histories. */
    public void retireStatus(DeskSession session, String statusId, boolean retired) throws DeskException {
        requireAdmin(session);
        dataKey(session);
        if (!Ids.isValid(statusId) || !vocabulary.setRetired(session.organizationId(), statusId, retired)) {
            throw new DeskException(DeskException.Reason.BAD_STATUS);
        }
    }

    /** The acknowledgement template in the three languages (the organization's, else the default; administrators). */
    public Map<String, String> ackTemplates(DeskSession session) throws DeskException {
        requireAdmin(session);
        Map<String, String> texts = new LinkedHashMap<>();
        for (String lang : LANGUAGES) {
            texts.put(lang, ackTemplate(session, lang));
        }
        return texts;
    }

    /** Saves the acknowledgement template (administrators); a blank language goes back to the default. */
    public void saveAckTemplates(DeskSession session, Map<String, String> texts) throws DeskException {
        requireAdmin(session);
        OrgDataKey key = dataKey(session);
        for (String lang : LANGUAGES) {
            String text = texts.getOrDefault(lang, "");
            text = text == null || text.isBlank() ? defaults.text("template.ack.default", lang) : text.strip();
            if (text.length() > MAX_TEXT_CHARS) {
                throw new DeskException(DeskException.Reason.TEXT_TOO_LONG);
            }
            vocabulary.putTemplate(session.organizationId(), OrgVocabulary.TemplateKind.ACK, lang,
                    key.seal(text, session.organizationId(), TEMPLATE_KIND, templateId(lang)));
        }
    }

    private String ackTemplate(DeskSession session, String lang) throws DeskException {
        OrgDataKey key = dataKey(session);
        String org = session.organizationId();
        Optional<byte[]> sealed = vocabulary.template(org, OrgVocabulary.TemplateKind.ACK, lang);
        if (sealed.isPresent()) {
            try {
                return key.openString(sealed.get(), org, TEMPLATE_KIND, templateId(lang));
            } catch (VaultException e) {
                LOG.error("ALARM: the {} acknowledgement template of organization {} does not open: the row was altered",
                        lang, org);
            }
        }
        return defaults.text("template.ack.default", lang);
    }

    /**
     * A template with its placeholders filled; while the report has no designation, the lines that
     * name {@code {designation}} are left out rather than sent half empty.
     */
    static String fill(String template, String organization, String designation) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            if (designation.isEmpty() && line.contains("{designation}")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line.replace("{organization}", organization).replace("{designation}", designation));
        }
        return out.toString().strip();
    }

    private static String templateId(String lang) {
        return "ack." + lang;
    }

    /** Appends the change and the new snapshot, retrying when a colleague changed the case meanwhile. */
    private void record(DeskSession session, StoredReport report, List<OrgStatus> statuses, OrgStatus chosen,
                        String reason, String messageId) throws DeskException {
        OrgStatus top = chosen.isSubStatus() ? byId(statuses, chosen.parentId()) : chosen;
        OrgStatus sub = chosen.isSubStatus() ? chosen : null;
        String reportId = report.id();
        StatusChange change = new StatusChange(top.id(), sub == null ? null : sub.id(), top.names(),
                sub == null ? null : sub.names(), reason, session.recipientId(), messageId);
        underCurrentKey(session, report, keys -> {
            ReportKey key = keys.current();
            int generation = keys.currentGeneration();
            CaseStore.Snapshot snapshot = cases.snapshot(reportId);
            CaseState next = stateOf(keys, reportId, snapshot).withStatus(top.id(), sub == null ? null : sub.id());
            String changeId = Ids.newId();
            CaseStore.SealedRow row = new CaseStore.SealedRow(changeId, generation,
                    key.seal(change.encode(), ObjectRef.statusChange(reportId, changeId)), Hours.now(clock));
            return cases.recordStatus(new CaseStore.NewStatus(reportId, report.organizationId(), snapshot, generation,
                    key.seal(next.encode(), ObjectRef.caseState(reportId)), row, top.phase()));
        });
    }

    private static CaseState stateOf(ReportKeys keys, String reportId, CaseStore.Snapshot snapshot)
            throws DeskException {
        if (snapshot.state() == null) {
            return CaseState.EMPTY;
        }
        try {
            return CaseState.decode(keys.require(snapshot.generation()).open(snapshot.state(),
                    ObjectRef.caseState(reportId)));
        } catch (VaultException | IllegalArgumentException e) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
    }

    /** A row's plaintext, or empty when this holder lacks its generation or the row was altered (logged). */
    private static Optional<byte[]> open(ReportKeys keys, CaseStore.SealedRow row, ObjectRef ref) {
        if (!keys.holds(row.generation())) {
            return Optional.empty();
        }
        try {
            return Optional.of(keys.require(row.generation()).open(row.body(), ref));
        } catch (VaultException e) {
            LOG.error("ALARM: {} {} of report {} does not decrypt: the row was altered", ref.kind(), row.id(),
                    ref.reportId());
            return Optional.empty();
        }
    }

    /** Every generation of the report's key this session holds: each sealed row opens with its own. */
    private ReportKeys keysOf(DeskSession session, StoredReport report) throws DeskException {
        return desk.keysOf(session, report.id());
    }

    /** Seals and stores one write; false when the case changed meanwhile (read again and retry). */
    @FunctionalInterface
    private interface SealedWrite {
        boolean write(ReportKeys keys) throws DeskException;
    }

    /**
     * Runs a write under the report's current key generation, again with fresh keys when a
     * revocation committed first or a colleague changed the case meanwhile.
     */
    private void underCurrentKey(DeskSession session, StoredReport report, SealedWrite write) throws DeskException {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            try {
                if (write.write(desk.keysForWriting(session, report))) {
                    return;
                }
            } catch (KeyGenerationMoved e) {
                // sealed under a generation a revocation has just retired: seal again under the new one
            }
        }
        throw new DeskException(DeskException.Reason.CASE_CHANGED);
    }

    /** A reason or a note: stripped, not empty ({@code ifEmpty}), not longer than the desk keeps. */
    private static String requiredText(String raw, DeskException.Reason ifEmpty) throws DeskException {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty()) {
            throw new DeskException(ifEmpty);
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new DeskException(DeskException.Reason.TEXT_TOO_LONG);
        }
        return text;
    }

    private static OrgDataKey dataKey(DeskSession session) throws DeskException {
        if (session.dataKey() == null) {
            throw new DeskException(DeskException.Reason.NO_ORG_KEY);
        }
        return session.dataKey();
    }

    private static void requireAdmin(DeskSession session) throws DeskException {
        if (!session.isAdmin()) {
            throw new DeskException(DeskException.Reason.ADMIN_ONLY);
        }
    }

    private static void checkNames(StatusNames names) throws DeskException {
        if (names == null || !names.complete()) {
            throw new DeskException(DeskException.Reason.BAD_NAMES);
        }
    }

    private String nameOf(String recipientId, Map<String, String> cache) {
        return cache.computeIfAbsent(recipientId,
                id -> recipients.byId(id).map(RecipientAccount::shownName).orElse("?"));
    }

    /** The chosen status: an offered id, or a phase name meaning that phase's first top-level status. */
    private static Optional<OrgStatus> chosen(List<OrgStatus> statuses, String value) {
        Optional<ReportStatus> phase = ReportStatus.parse(value);
        return ordered(statuses).stream().filter(s -> !s.retired())
                .filter(s -> phase.isPresent() ? !s.isSubStatus() && s.phase() == phase.get() : s.id().equals(value))
                .findFirst();
    }

    /** The snapshot's status, or (no change yet) the first status of the report's phase. */
    private static OrgStatus currentStatus(List<OrgStatus> statuses, CaseState state, ReportStatus phase) {
        if (state.statusId() != null) {
            OrgStatus s = byId(statuses, state.statusId());
            if (s != null) {
                return s;
            }
        }
        return ordered(statuses).stream().filter(s -> !s.isSubStatus() && s.phase() == phase).findFirst()
                .orElse(null);
    }

    private static OrgStatus byId(List<OrgStatus> statuses, String id) {
        return statuses.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    /** Top-level statuses by position, each followed by its sub-statuses. */
    private static List<OrgStatus> ordered(List<OrgStatus> statuses) {
        List<OrgStatus> out = new ArrayList<>();
        for (OrgStatus top : statuses) {
            if (!top.isSubStatus()) {
                out.add(top);
                statuses.stream().filter(s -> top.id().equals(s.parentId())).forEach(out::add);
            }
        }
        return out;
    }

    private List<OrgVocabulary.StatusRow> defaultStatuses(OrgDataKey key, String org) {
        List<OrgVocabulary.StatusRow> rows = new ArrayList<>();
        String closedId = null;
        int position = 0;
        for (ReportStatus phase : ReportStatus.values()) {
            String id = Ids.newId();
            rows.add(new OrgVocabulary.StatusRow(id, null, phase, ++position,
                    key.seal(namesOf(phase.defaultNameKey()).encode(), org, STATUS_KIND, id), false));
            if (phase == ReportStatus.CLOSED) {
                closedId = id;
            }
        }
        for (String outcome : List.of("substantiated", "unsubstantiated", "referred", "noAction")) {
            String id = Ids.newId();
            rows.add(new OrgVocabulary.StatusRow(id, closedId, ReportStatus.CLOSED, ++position,
                    key.seal(namesOf("status.default.closed." + outcome).encode(), org, STATUS_KIND, id), false));
        }
        return rows;
    }

    private StatusNames namesOf(String key) {
        return new StatusNames(defaults.text(key, "en"), defaults.text(key, "ru"), defaults.text(key, "uk"));
    }
}
