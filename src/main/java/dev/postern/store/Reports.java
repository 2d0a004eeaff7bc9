package dev.postern.store;

import dev.postern.domain.Designations;
import dev.postern.vault.Argon2Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Storage of reports, their wrapped keys, conversations and evidence file rows. Every write that
 * makes something visible happens in one transaction, so a crash never leaves half a report.
 */
public final class Reports {
    private static final String REPORT_COLUMNS = "r.id, r.organization_id, r.status, r.created_hour,"
            + " r.source_activity_hour, r.answers, r.receipt_wrapped_key";
    /** A report with what a receipt check needs: its lookup id, tag and recorded Argon2id cost. */
    private static final String RECEIPT_CANDIDATES = "SELECT " + REPORT_COLUMNS + ", r.receipt_lookup, r.receipt_tag,"
            + " r.receipt_kdf_memory_kib, r.receipt_kdf_iterations, r.receipt_kdf_parallelism FROM report r";
    private final Jdbi jdbi;
    private final ReportAccess access;
    /** Runs after a commit that a source was or will be told about (see {@link Database#makeDurable}). */
    private final Runnable durable;

    /** Reports whose commits are as durable as the database makes them on its own (tools, tests). */
    public Reports(Jdbi jdbi) {
        this(jdbi, () -> { });
    }

    public Reports(Jdbi jdbi, Runnable durable) {
        this.jdbi = jdbi;
        this.durable = durable;
        this.access = new ReportAccess(jdbi);
    }

    /** Who holds which generation of each report's key. */
    public ReportAccess access() {
        return access;
    }

    /** Inserts a complete submission with its answers: report, its wrapped keys and its evidence file rows. */
    public void insert(StoredReport report, ReceiptIndex receipt, Map<String, byte[]> wrappedKeys, List<StoredFile> files) {
        insert(report, receipt, wrappedKeys, files, true);
    }

    /**
     * Inserts a new report, its wrapped keys and the files that came with its first POST.
     *
     * @param answersSet whether the source gave any answer; if not, the answers may be saved once
     *                   later ({@link #setAnswersOnce}), and a report with neither answers nor files
     *                   is hidden from recipients until it gets some
     */
    public void insert(StoredReport report, ReceiptIndex receipt, Map<String, byte[]> wrappedKeys, List<StoredFile> files,
                       boolean answersSet) {
        insert(report, receipt, wrappedKeys, files, answersSet, null, Set.of());
    }

    /**
     * Inserts a new report as {@link #insert(StoredReport, ReceiptIndex, Map, List, boolean)}, with
     * its source key pair (null: none, as before V5) and the recipients its source left out.
     */
    public void insert(StoredReport report, ReceiptIndex receipt, Map<String, byte[]> wrappedKeys, List<StoredFile> files,
                       boolean answersSet, ReportAccess.SourceKey sourceKey, Set<String> excluded) {
        // The designation is drawn here, in the one transaction that makes the report: a clash with
        // another report's name rolls it all back and the next attempt draws again.
        for (int attempt = 0; ; attempt++) {
            String designation = Designations.draw(attempt);
            try {
                insertOnce(report, receipt, wrappedKeys, files, answersSet, sourceKey, excluded, designation);
                break;
            } catch (JdbiException e) {
                if (attempt >= DESIGNATION_ATTEMPTS || !isUniqueViolation(e)
                        || designationFree(report.organizationId(), designation)) {
                    throw e;
                }
            }
        }
        // The receipt is shown next: a crash from here on must not lose the report.
        durable.run();
    }

    private void insertOnce(StoredReport report, ReceiptIndex receipt, Map<String, byte[]> wrappedKeys,
                            List<StoredFile> files, boolean answersSet, ReportAccess.SourceKey sourceKey,
                            Set<String> excluded, String designation) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO report (id, organization_id, receipt_lookup, receipt_tag, receipt_kdf_memory_kib,
                    receipt_kdf_iterations, receipt_kdf_parallelism, receipt_wrapped_key, answers, status,
                    created_hour, source_activity_hour, answers_set, has_content, designation)
                    VALUES (:id, :org, :lookup, :tag, :m, :t, :p, :rk, :answers, :status, :created, :activity,
                    :answersSet, :hasContent, :designation)""")
                    .bind("designation", designation)
                    .bind("answersSet", answersSet).bind("hasContent", answersSet || !files.isEmpty())
                    .bind("id", report.id()).bind("org", report.organizationId()).bind("lookup", receipt.lookup())
                    .bind("tag", receipt.tag()).bind("m", receipt.params().memoryKib())
                    .bind("t", receipt.params().iterations()).bind("p", receipt.params().parallelism())
                    .bind("rk", report.receiptWrappedKey()).bind("answers", report.answers())
                    .bind("status", report.status().name()).bind("created", report.createdHour())
                    .bind("activity", report.sourceActivityHour()).execute();
            for (Map.Entry<String, byte[]> e : wrappedKeys.entrySet()) {
                h.createUpdate("INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key)"
                                + " VALUES (:r, :p, 0, :k)")
                        .bind("r", report.id()).bind("p", e.getKey()).bind("k", e.getValue()).execute();
            }
            if (sourceKey != null) {
                h.createUpdate("""
                        UPDATE report SET source_public_keyset = :pub, source_key_pin = :pin,
                        source_wrapped_private = :priv WHERE id = :r""")
                        .bind("pub", sourceKey.publicKeyset()).bind("pin", sourceKey.pin())
                        .bind("priv", sourceKey.wrappedPrivate()).bind("r", report.id()).execute();
            }
            ReportAccess.insertExclusions(h, report.id(), excluded);
            insertFiles(h, files);
            ReportAccess.bumpChangeSeq(h, report.organizationId(), report.id());
        });
    }

    /** After a failed insert: a name still free means the clash was on something else (not retried). */
    private boolean designationFree(String organizationId, String designation) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM report WHERE organization_id = :o AND designation = :d")
                .bind("o", organizationId).bind("d", designation).mapTo(Long.class).one()) == 0;
    }

    /**
     * Adds a message and the files that came with it, and marks the report unread when the source wrote.
     *
     * @throws KeyGenerationMoved when the message is sealed under an older generation than the
     *                            report's current one (a revocation came first): nothing is stored
     */
    public void addMessage(StoredMessage m, List<StoredFile> files) {
        addMessage(m, files, false);
    }

    /**
     * Adds a message as {@link #addMessage(StoredMessage, List)}; {@code mayLag} lets a source whose
     * report has not yet been wrapped to its key pair (made before V5, {@code source_key_pending})
     * write under the newest generation it holds (decision 0005, section 2.2).
     */
    public void addMessage(StoredMessage m, List<StoredFile> files, boolean mayLag) {
        jdbi.useTransaction(h -> {
            // Read in the writing transaction: a message never lands under a generation a revoked recipient holds.
            int current = ReportAccess.currentGeneration(h, m.reportId());
            if (m.keyGeneration() < current && !mayLag) {
                throw new KeyGenerationMoved(m.reportId(), current);
            }
            h.createUpdate("""
                    INSERT INTO message (id, report_id, author, recipient_id, body, created_hour, hidden_from_source,
                    key_generation) VALUES (:id, :r, :a, :p, :b, :h, FALSE, :g)""")
                    .bind("id", m.id()).bind("r", m.reportId()).bind("a", m.author().name())
                    .bind("p", m.recipientId()).bind("b", m.body()).bind("h", m.createdHour())
                    .bind("g", m.keyGeneration()).execute();
            insertFiles(h, files);
            if (m.author() == StoredMessage.Author.SOURCE) {
                markSourceActivity(h, m.reportId(), m.createdHour());
            }
        });
        durable.run();
    }

    /**
     * Adds one file of the report itself (not of a message), committed the moment it was fully
     * received: the report now has content, and reads as unread with the source's latest activity.
     */
    public void addReportFile(StoredFile f) {
        jdbi.useTransaction(h -> {
            insertFiles(h, List.of(f));
            markSourceActivity(h, f.reportId(), f.createdHour());
        });
        // The source's page lists the file as kept next: a crash from here on must not lose it.
        durable.run();
    }

    /**
     * A source message without its files yet (they follow one by one, {@link #addMessageFile}): the
     * report has content and is unread again.
     */
    public void insertMessage(StoredMessage m) {
        addMessage(m, List.of());
    }

    /** One file of a message already inserted, committed the moment it was fully received. */
    public void addMessageFile(StoredFile f) {
        addReportFile(f);
    }

    /**
     * Saves the answers of a report started without them, once: sealed answers are randomized, so
     * "still empty" is the {@code answers_set} column, not a comparison. False when they were set.
     */
    public boolean setAnswersOnce(String reportId, byte[] sealedAnswers, long hour) {
        boolean saved = jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE report SET answers = :a, answers_set = TRUE WHERE id = :r AND answers_set = FALSE")
                    .bind("a", sealedAnswers).bind("r", reportId).execute();
            if (n == 1) {
                markSourceActivity(h, reportId, hour);
            }
            return n == 1;
        });
        if (saved) {
            durable.run();
        }
        return saved;
    }

    /** Whether the report's answers were given (at the start or later). */
    public boolean answersSet(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT answers_set FROM report WHERE id = :r")
                .bind("r", reportId).mapTo(Boolean.class).findOne()).orElse(true);
    }

    /** Whether the report holds text or a file: recipients see only reports that do. */
    public boolean hasContent(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT has_content FROM report WHERE id = :r")
                .bind("r", reportId).mapTo(Boolean.class).findOne()).orElse(false);
    }

    /**
     * Deletes the reports that were started before {@code hour} and never got text or a file,
     * unless a resumable upload of theirs is still arriving or being finished; with their wrapped
     * keys and upload rows, one report per transaction. Returns how many went.
     */
    public int deleteEmptyBefore(long hour) {
        List<String> empty = jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.id FROM report r WHERE r.has_content = FALSE AND r.created_hour < :h
                        AND NOT EXISTS (SELECT 1 FROM upload u WHERE u.report_id = r.id
                                        AND u.state IN ('RECEIVING', 'FINISHING'))""")
                .bind("h", hour).mapTo(String.class).list());
        int deleted = 0;
        for (String id : empty) {
            deleted += jdbi.inTransaction(h -> {
                // Checked again inside the transaction: a file or an upload may have begun meanwhile.
                boolean stillEmpty = h.createQuery("""
                                SELECT COUNT(*) FROM report r WHERE r.id = :r AND r.has_content = FALSE
                                AND NOT EXISTS (SELECT 1 FROM upload u WHERE u.report_id = r.id
                                                AND u.state IN ('RECEIVING', 'FINISHING'))""")
                        .bind("r", id).mapTo(Long.class).one() == 1;
                if (!stillEmpty) {
                    return 0;
                }
                h.createUpdate("DELETE FROM upload_piece WHERE upload_id IN (SELECT id FROM upload WHERE report_id = :r)")
                        .bind("r", id).execute();
                h.createUpdate("DELETE FROM upload WHERE report_id = :r").bind("r", id).execute();
                h.createUpdate("DELETE FROM report_read WHERE report_id = :r").bind("r", id).execute();
                h.createUpdate("DELETE FROM report_key WHERE report_id = :r").bind("r", id).execute();
                h.createUpdate("DELETE FROM report_source_key WHERE report_id = :r").bind("r", id).execute();
                h.createUpdate("DELETE FROM report_exclusion WHERE report_id = :r").bind("r", id).execute();
                return h.createUpdate("DELETE FROM report WHERE id = :r").bind("r", id).execute();
            });
        }
        return deleted;
    }

    /** The source added something: the report has content, rises by activity and is unread again. */
    private static void markSourceActivity(Handle h, String reportId, long hour) {
        h.createUpdate("DELETE FROM report_read WHERE report_id = :r").bind("r", reportId).execute();
        h.createUpdate("UPDATE report SET source_activity_hour = :h, has_content = TRUE WHERE id = :r")
                .bind("h", hour).bind("r", reportId).execute();
        bumpChange(h, reportId);
    }

    private static void insertFiles(Handle h, List<StoredFile> files) {
        for (StoredFile f : files) {
            h.createUpdate("""
                    INSERT INTO evidence_file (id, report_id, message_id, name, size_bytes, created_hour, key_generation)
                    VALUES (:id, :r, :m, :n, :s, :h, :g)""")
                    .bind("id", f.id()).bind("r", f.reportId()).bind("m", f.messageId()).bind("n", f.name())
                    .bind("s", f.sizeBytes()).bind("h", f.createdHour()).bind("g", f.keyGeneration()).execute();
        }
    }

    /** Reports whose receipt tag is {@code tag}: almost always none or one. */
    public List<ReceiptCandidate> byReceiptTag(String tag) {
        return jdbi.withHandle(h -> h.createQuery(RECEIPT_CANDIDATES + " WHERE r.receipt_tag = :t")
                .bind("t", tag).map((rs, ctx) -> readCandidate(rs)).list());
    }

    /** Whether some report predates receipt tags (it can only be found through its lookup id). */
    public boolean anyWithoutReceiptTag() {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM report WHERE receipt_tag IS NULL")
                .setMaxRows(1).mapTo(Integer.class).findFirst()).isPresent();
    }

    /** An untagged report's receipt was typed correctly: remember its tag for the cheap path. */
    public void setReceiptTag(String reportId, String tag) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE report SET receipt_tag = :t WHERE id = :r AND receipt_tag IS NULL")
                .bind("t", tag).bind("r", reportId).execute());
    }

    /** The report with an untagged receipt's lookup id (the path for reports older than tags). */
    public Optional<ReceiptCandidate> untaggedByReceiptLookup(String lookup) {
        return jdbi.withHandle(h -> h.createQuery(RECEIPT_CANDIDATES + " WHERE r.receipt_lookup = :l AND r.receipt_tag IS NULL")
                .bind("l", lookup).map((rs, ctx) -> readCandidate(rs)).findOne());
    }

    private static ReceiptCandidate readCandidate(ResultSet rs) throws SQLException {
        return new ReceiptCandidate(readReport(rs), readReceiptIndex(rs));
    }

    public Optional<StoredReport> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + REPORT_COLUMNS + " FROM report r WHERE r.id = :id")
                .bind("id", id).map((rs, ctx) -> readReport(rs)).findOne());
    }

    /** The organization's reports for one recipient, newest first. */
    public List<ReportSummary> listFor(String organizationId, String recipientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + REPORT_COLUMNS + """
                        , k.wrapped_key,
                        (SELECT COUNT(*) FROM report_read rr WHERE rr.report_id = r.id AND rr.recipient_id = :p) AS seen,
                        (SELECT COUNT(*) FROM evidence_file f WHERE f.report_id = r.id) AS files,
                        (SELECT COUNT(*) FROM message m WHERE m.report_id = r.id) AS messages
                        FROM report r LEFT JOIN report_key k ON k.report_id = r.id AND k.recipient_id = :p AND k.generation = 0
                        WHERE r.organization_id = :o AND r.has_content ORDER BY r.created_hour DESC, r.seq DESC""")
                .bind("o", organizationId).bind("p", recipientId)
                .map((rs, ctx) -> new ReportSummary(readReport(rs), rs.getLong("seen") == 0,
                        rs.getBytes("wrapped_key"), rs.getInt("files"), rs.getInt("messages")))
                .list());
    }

    public Optional<byte[]> wrappedKey(String reportId, String recipientId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT wrapped_key FROM report_key WHERE report_id = :r AND recipient_id = :p AND generation = 0")
                .bind("r", reportId).bind("p", recipientId).mapTo(byte[].class).findOne());
    }

    public List<StoredMessage> messages(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, report_id, author, recipient_id, body, created_hour, hidden_from_source, key_generation
                        FROM message WHERE report_id = :r ORDER BY seq""")
                .bind("r", reportId)
                .map((rs, ctx) -> new StoredMessage(rs.getString(1), rs.getString(2),
                        StoredMessage.Author.valueOf(rs.getString(3)), rs.getString(4), rs.getBytes(5),
                        rs.getLong(6), rs.getBoolean(7), rs.getInt(8)))
                .list());
    }

    public List<StoredFile> files(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, report_id, message_id, name, size_bytes, created_hour, key_generation
                        FROM evidence_file WHERE report_id = :r ORDER BY seq""")
                .bind("r", reportId).map((rs, ctx) -> readFile(rs)).list());
    }

    public Optional<StoredFile> file(String reportId, String fileId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, report_id, message_id, name, size_bytes, created_hour, key_generation
                        FROM evidence_file WHERE report_id = :r AND id = :f""")
                .bind("r", reportId).bind("f", fileId).map((rs, ctx) -> readFile(rs)).findOne());
    }

    /**
     * Files and bytes the report holds: committed evidence plus resumable uploads still being
     * received or finished (at their declared length), so neither path can overrun the other.
     */
    public ReportUsage usage(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT (SELECT COUNT(*) FROM evidence_file WHERE report_id = :r)
                             + (SELECT COUNT(*) FROM upload WHERE report_id = :r AND state IN ('RECEIVING', 'FINISHING')),
                               (SELECT COALESCE(SUM(size_bytes), 0) FROM evidence_file WHERE report_id = :r)
                             + (SELECT COALESCE(SUM(length), 0) FROM upload WHERE report_id = :r
                                AND state IN ('RECEIVING', 'FINISHING'))""")
                .bind("r", reportId).map((rs, ctx) -> new ReportUsage(rs.getInt(1), rs.getLong(2))).one());
    }

    /** Every (report id, file id) pair, for the start-up sweep of orphaned blobs. */
    public List<String[]> allFileKeys() {
        return jdbi.withHandle(h -> h.createQuery("SELECT report_id, id FROM evidence_file")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
    }

    /**
     * Deletes a recipient's reply at the source's request: its ciphertext is erased and the row
     * stays only as a marker that a reply was deleted. Returns false if there was no such reply.
     */
    public boolean deleteReplyForSource(String reportId, String messageId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE message SET hidden_from_source = TRUE, body = :empty
                        WHERE report_id = :r AND id = :m AND author = 'RECIPIENT'""")
                .bind("empty", new byte[0]).bind("r", reportId).bind("m", messageId).execute()) == 1;
    }

    public void setStatus(String reportId, ReportStatus status) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE report SET status = :s WHERE id = :r")
                .bind("s", status.name()).bind("r", reportId).execute());
    }

    public void markRead(String reportId, String recipientId) {
        try {
            jdbi.useTransaction(h -> {
                int n = h.createUpdate("""
                                INSERT INTO report_read (report_id, recipient_id)
                                SELECT :r, :p WHERE NOT EXISTS
                                  (SELECT 1 FROM report_read WHERE report_id = :r AND recipient_id = :p)""")
                        .bind("r", reportId).bind("p", recipientId).execute();
                // The reader's other sessions show it read too (their index re-reads the row).
                if (n == 1) {
                    bumpChange(h, reportId);
                }
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException raced) {
            // Two opens at once (a double click): the other one inserted the row, which is all we want.
            if (!isRead(reportId, recipientId)) {
                throw raced;
            }
        }
    }

    private boolean isRead(String reportId, String recipientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM report_read WHERE report_id = :r AND recipient_id = :p")
                .bind("r", reportId).bind("p", recipientId).mapTo(Long.class).one() > 0);
    }

    private static StoredReport readReport(ResultSet rs) throws SQLException {
        return new StoredReport(rs.getString("id"), rs.getString("organization_id"),
                ReportStatus.valueOf(rs.getString("status")), rs.getLong("created_hour"),
                rs.getLong("source_activity_hour"), rs.getBytes("answers"), rs.getBytes("receipt_wrapped_key"));
    }

    private static ReceiptIndex readReceiptIndex(ResultSet rs) throws SQLException {
        return new ReceiptIndex(rs.getString("receipt_lookup"), rs.getString("receipt_tag"),
                new Argon2Params(rs.getInt("receipt_kdf_memory_kib"), rs.getInt("receipt_kdf_iterations"),
                        rs.getInt("receipt_kdf_parallelism")));
    }

    private static StoredFile readFile(ResultSet rs) throws SQLException {
        return new StoredFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getLong(5),
                rs.getLong(6), rs.getInt(7));
    }
    // ---- Triage (issue 8): designations, the desk's case index and its change_seq deltas ----

    /** Draws of a designation before giving up (each clash is a 1-in-400,000 event at first). */
    private static final int DESIGNATION_ATTEMPTS = 12;

    /** The organization's list counter and what its clocks need. */
    public record IndexHead(long changeSeq, boolean euClocks, String timeZone) {
    }

    public IndexHead indexHead(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT change_seq, eu_clocks, time_zone FROM organization WHERE id = :o")
                .bind("o", organizationId)
                .map((rs, ctx) -> new IndexHead(rs.getLong(1), rs.getBoolean(2), rs.getString(3))).one());
    }

    /**
     * The organization's reports whose {@code change_seq} is above {@code since} (0: all), as
     * {@code recipientId} sees them. Read {@link #indexHead} first and remember its counter: every
     * write bumps the organization's row, which serializes the writers, so nothing committed up to
     * that counter is missed.
     */
    public List<IndexRow> indexRows(String organizationId, String recipientId, long since) {
        return jdbi.withHandle(h -> {
            Map<String, Map<Integer, byte[]>> wraps = new HashMap<>();
            h.createQuery("""
                            SELECT k.report_id, k.generation, k.wrapped_key FROM report_key k
                            JOIN report r ON r.id = k.report_id
                            WHERE k.recipient_id = :p AND r.organization_id = :o AND r.change_seq > :since""")
                    .bind("p", recipientId).bind("o", organizationId).bind("since", since)
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getBytes(3)})
                    .forEach(w -> wraps.computeIfAbsent((String) w[0], id -> new HashMap<>()).put((Integer) w[1], (byte[]) w[2]));
            return h.createQuery("""
                            SELECT r.id, r.seq, r.status, r.created_hour, r.source_activity_hour, r.ack_hour,
                            r.feedback_hour, r.designation, r.answers, r.has_content,
                            (SELECT COUNT(*) FROM report_read rr WHERE rr.report_id = r.id AND rr.recipient_id = :p) AS seen,
                            (SELECT COUNT(*) FROM evidence_file f WHERE f.report_id = r.id) AS files,
                            (SELECT COUNT(*) FROM message m WHERE m.report_id = r.id) AS messages,
                            (SELECT COALESCE(MAX(m.seq), 0) FROM message m
                             WHERE m.report_id = r.id AND m.author = 'SOURCE') AS last_source_message,
                            c.key_generation AS case_generation, c.state AS case_state
                            FROM report r LEFT JOIN report_case c ON c.report_id = r.id
                            WHERE r.organization_id = :o AND r.change_seq > :since""")
                    .bind("p", recipientId).bind("o", organizationId).bind("since", since)
                    .map((rs, ctx) -> new IndexRow(rs.getString("id"), rs.getLong("seq"),
                            ReportStatus.valueOf(rs.getString("status")), rs.getLong("created_hour"),
                            rs.getLong("source_activity_hour"), rs.getLong("last_source_message"),
                            rs.getObject("ack_hour", Long.class), rs.getObject("feedback_hour", Long.class),
                            rs.getString("designation"), rs.getBytes("answers"), rs.getLong("seen") == 0,
                            rs.getInt("files"), rs.getInt("messages"), rs.getBoolean("has_content"),
                            wraps.getOrDefault(rs.getString("id"), Map.of()), rs.getInt("case_generation"),
                            rs.getBytes("case_state")))
                    .list();
        });
    }

    /**
     * The sealed messages, file names and notes of the organization's reports changed after
     * {@code since}, for a session's search index (it opens those it holds keys for).
     */
    public List<SealedText> indexTexts(String organizationId, long since) {
        return jdbi.withHandle(h -> {
            List<SealedText> texts = new ArrayList<>();
            String changed = " JOIN report r ON r.id = x.report_id WHERE r.organization_id = :o AND r.change_seq > :since";
            texts.addAll(sealedTexts(h, SealedText.Kind.MESSAGE, "SELECT x.report_id, x.id, x.key_generation, x.body"
                    + " FROM message x" + changed + " AND x.hidden_from_source = FALSE", organizationId, since));
            texts.addAll(sealedTexts(h, SealedText.Kind.FILE_NAME, "SELECT x.report_id, x.id, x.key_generation, x.name"
                    + " FROM evidence_file x" + changed, organizationId, since));
            texts.addAll(sealedTexts(h, SealedText.Kind.NOTE, "SELECT x.report_id, x.id, x.key_generation, x.body"
                    + " FROM case_note x" + changed, organizationId, since));
            return texts;
        });
    }

    private static List<SealedText> sealedTexts(Handle h, SealedText.Kind kind, String sql, String organizationId,
                                                long since) {
        return h.createQuery(sql).bind("o", organizationId).bind("since", since)
                .map((rs, ctx) -> new SealedText(rs.getString(1), kind, rs.getString(2), rs.getInt(3), rs.getBytes(4)))
                .list();
    }

    /**
     * Gives a report from before designations its name, once; returns the name it has (this one,
     * or one a colleague's session gave it meanwhile).
     */
    public String assignDesignation(String organizationId, String reportId) {
        for (int attempt = 0; attempt < DESIGNATION_ATTEMPTS; attempt++) {
            String name = Designations.draw(attempt);
            try {
                jdbi.useHandle(h -> h.createUpdate("UPDATE report SET designation = :d WHERE id = :r AND designation IS NULL")
                        .bind("d", name).bind("r", reportId).execute());
            } catch (JdbiException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                continue;
            }
            return jdbi.withHandle(h -> h.createQuery("SELECT designation FROM report WHERE id = :r AND organization_id = :o")
                    .bind("r", reportId).bind("o", organizationId).mapTo(String.class).one());
        }
        throw new StoreException("no free designation after " + DESIGNATION_ATTEMPTS + " draws");
    }

    /** A report's designation, empty for a report of another organization or one without a name yet. */
    public Optional<String> designation(String organizationId, String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT designation FROM report WHERE id = :r AND organization_id = :o")
                .bind("r", reportId).bind("o", organizationId).mapTo(String.class).findOne());
    }

    /** Whether a database error is a unique-constraint violation (SQLSTATE 23505 on H2 and PostgreSQL). */
    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** {@link ReportAccess#bumpChangeSeq} for a report whose organization the caller does not have at hand. */
    private static void bumpChange(Handle h, String reportId) {
        h.createQuery("SELECT organization_id FROM report WHERE id = :r").bind("r", reportId).mapTo(String.class)
                .findOne().ifPresent(org -> ReportAccess.bumpChangeSeq(h, org, reportId));
    }

    // ---- end of triage ----
}
