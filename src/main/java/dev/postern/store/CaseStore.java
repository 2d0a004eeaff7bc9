package dev.postern.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A report's case: the sealed snapshot ({@code report_case}, written with an optimistic version),
 * its status changes ({@code status_change}, append-only, sealed), and the plain columns the desk
 * sorts and warns by: the phase, the acknowledgement, feedback and closing hours, the source's
 * language. Every write that changes what a list shows bumps the organization's and the report's
 * {@code change_seq} ({@link ReportAccess#bumpChangeSeq}), so a desk session's index re-reads just
 * that report; sealed rows are written only under the report's current key generation.
 */
public final class CaseStore {
    /**
     * The sealed snapshot.
     *
     * @param version    0 when the report has none yet
     * @param generation the report key generation {@code state} is sealed under
     */
    public record Snapshot(long version, int generation, byte[] state) {
        public static final Snapshot NONE = new Snapshot(0, 0, null);
    }

    /** One stored status change or note: ciphertext, its key generation and its hour. */
    public record SealedRow(String id, int generation, byte[] body, long createdHour) {
    }

    /**
     * What the clocks and the acknowledgement need about a report.
     *
     * @param ackHour      when it was acknowledged, or null
     * @param feedbackHour when the first feedback after that went out, or null
     * @param euClocks     whether the organization runs the EU Directive 2019/1937 clocks
     * @param timeZone     the organization's IANA zone
     * @param designation  the report's designation, empty while it has none
     */
    public record CaseDates(long createdHour, Long ackHour, Long feedbackHour, Long closedHour, String sourceLocale,
                            boolean euClocks, String timeZone, String organizationName, String designation) {
    }

    /** A status change to record together with the new snapshot and phase. */
    public record NewStatus(String reportId, String organizationId, Snapshot expected, int generation, byte[] state,
                            SealedRow change, ReportStatus phase) {
    }

    private final Jdbi jdbi;

    public CaseStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Snapshot snapshot(String reportId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT version, key_generation, state FROM report_case WHERE report_id = :r")
                .bind("r", reportId).map((rs, ctx) -> new Snapshot(rs.getLong(1), rs.getInt(2), rs.getBytes(3)))
                .findOne()).orElse(Snapshot.NONE);
    }

    /**
     * Appends a status change, replaces the snapshot if it is still {@code expected} (false, and
     * nothing written, when another colleague changed it meanwhile: read again and retry), and
     * sets the report's phase; closing sets {@code closed_hour} once, reopening clears it.
     *
     * @throws KeyGenerationMoved when sealed under an older generation than the report's current
     *                            one (a revocation came first): nothing is stored
     */
    public boolean recordStatus(NewStatus s) {
        return jdbi.inTransaction(h -> {
            requireCurrent(h, s.reportId(), s.generation());
            if (!replaceSnapshot(h, s.reportId(), s.expected(), s.generation(), s.state())) {
                return false;
            }
            h.createUpdate("""
                            INSERT INTO status_change (id, report_id, key_generation, body, created_hour)
                            VALUES (:id, :r, :g, :b, :h)""")
                    .bind("id", s.change().id()).bind("r", s.reportId()).bind("g", s.change().generation())
                    .bind("b", s.change().body()).bind("h", s.change().createdHour()).execute();
            h.createUpdate("""
                            UPDATE report SET status = :s,
                            closed_hour = CASE WHEN :closed THEN COALESCE(closed_hour, :h) ELSE NULL END
                            WHERE id = :r""")
                    .bind("s", s.phase().name()).bind("closed", s.phase() == ReportStatus.CLOSED)
                    .bind("h", s.change().createdHour()).bind("r", s.reportId()).execute();
            ReportAccess.bumpChangeSeq(h, s.organizationId(), s.reportId());
            return true;
        });
    }

    /** Read in the writing transaction: case data never lands under a generation a revoked recipient holds. */
    static void requireCurrent(Handle h, String reportId, int generation) {
        int current = ReportAccess.currentGeneration(h, reportId);
        if (generation < current) {
            throw new KeyGenerationMoved(reportId, current);
        }
    }

    private static boolean replaceSnapshot(Handle h, String reportId, Snapshot expected, int generation, byte[] state) {
        if (expected.version() == 0) {
            return h.createUpdate("""
                            INSERT INTO report_case (report_id, version, key_generation, state)
                            SELECT :r, 1, :g, :s WHERE NOT EXISTS (SELECT 1 FROM report_case WHERE report_id = :r)""")
                    .bind("r", reportId).bind("g", generation).bind("s", state).execute() == 1;
        }
        return h.createUpdate("""
                        UPDATE report_case SET version = version + 1, key_generation = :g, state = :s
                        WHERE report_id = :r AND version = :v""")
                .bind("g", generation).bind("s", state).bind("r", reportId).bind("v", expected.version())
                .execute() == 1;
    }

    // ---- Triage (issue 8): labels and assignment change the snapshot alone ----

    /**
     * Replaces the snapshot if it is still {@code expected} (false, nothing written, when a
     * colleague changed it meanwhile: read again and retry).
     */
    public boolean updateSnapshot(String organizationId, String reportId, Snapshot expected, int generation,
                                  byte[] state) {
        return jdbi.inTransaction(h -> {
            // Labels and assignment are case data too: never sealed under a generation a revocation left behind.
            requireCurrent(h, reportId, generation);
            if (!replaceSnapshot(h, reportId, expected, generation, state)) {
                return false;
            }
            ReportAccess.bumpChangeSeq(h, organizationId, reportId);
            return true;
        });
    }

    // ---- end of triage ----

    /** The report's status changes, oldest first. */
    public List<SealedRow> statusChanges(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, key_generation, body, created_hour FROM status_change
                        WHERE report_id = :r ORDER BY seq""")
                .bind("r", reportId).map((rs, ctx) -> new SealedRow(rs.getString(1), rs.getInt(2), rs.getBytes(3),
                        rs.getLong(4)))
                .list());
    }

    public CaseDates dates(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.created_hour, r.ack_hour, r.feedback_hour, r.closed_hour, r.source_locale,
                        o.eu_clocks, o.time_zone, o.name, COALESCE(r.designation, '')
                        FROM report r JOIN organization o ON o.id = r.organization_id WHERE r.id = :r""")
                .bind("r", reportId)
                .map((rs, ctx) -> new CaseDates(rs.getLong(1), rs.getObject(2, Long.class), rs.getObject(3, Long.class),
                        rs.getObject(4, Long.class), rs.getString(5), rs.getBoolean(6), rs.getString(7),
                        rs.getString(8), rs.getString(9)))
                .one());
    }

    /**
     * Marks the report acknowledged at {@code hour}, once: false when it already was (a second
     * click, or a colleague was faster).
     */
    public boolean acknowledgeOnce(String organizationId, String reportId, long hour) {
        return setOnce("UPDATE report SET ack_hour = :h WHERE id = :r AND ack_hour IS NULL", organizationId, reportId,
                hour);
    }

    /** Flags the reply that acknowledged the report ({@code message.acknowledgement}). */
    public void flagAcknowledgement(String reportId, String messageId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE message SET acknowledgement = TRUE WHERE id = :m AND report_id = :r")
                .bind("m", messageId).bind("r", reportId).execute());
    }

    /**
     * Records the first feedback after the acknowledgement, once: nothing happens before an
     * acknowledgement or after the first feedback.
     */
    public boolean feedbackOnce(String organizationId, String reportId, long hour) {
        return setOnce("UPDATE report SET feedback_hour = :h WHERE id = :r AND feedback_hour IS NULL"
                + " AND ack_hour IS NOT NULL", organizationId, reportId, hour);
    }

    /** Runs an update of one report's hour that only the first writer wins; the winner bumps the change counter. */
    private boolean setOnce(String update, String organizationId, String reportId, long hour) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate(update).bind("h", hour).bind("r", reportId).execute();
            if (n == 1) {
                ReportAccess.bumpChangeSeq(h, organizationId, reportId);
            }
            return n == 1;
        });
    }

    /** The language the source last used on the report's pages, for the acknowledgement. */
    public void setSourceLocale(String reportId, String locale) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE report SET source_locale = :l WHERE id = :r")
                .bind("l", locale).bind("r", reportId).execute());
    }

    /** The report's organization id, if the report exists. */
    public Optional<String> organizationOf(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT organization_id FROM report WHERE id = :r")
                .bind("r", reportId).mapTo(String.class).findOne());
    }
}
