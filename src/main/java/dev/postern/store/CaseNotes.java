package dev.postern.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Internal notes ({@code case_note}), sealed under the report key, for colleagues only. A DAO of
 * its own so that no source-side code can reach them: the intake package and the source pages must
 * not depend on this class (ArchitectureTest).
 */
public final class CaseNotes {
    private final Jdbi jdbi;

    public CaseNotes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * @throws KeyGenerationMoved when sealed under an older generation than the report's current
     *                            one (a revocation came first): nothing is stored
     */
    public void insert(String organizationId, String reportId, CaseStore.SealedRow note) {
        jdbi.useTransaction(h -> {
            CaseStore.requireCurrent(h, reportId, note.generation());
            h.createUpdate("""
                            INSERT INTO case_note (id, report_id, key_generation, body, created_hour)
                            VALUES (:id, :r, :g, :b, :h)""")
                    .bind("id", note.id()).bind("r", reportId).bind("g", note.generation()).bind("b", note.body())
                    .bind("h", note.createdHour()).execute();
            // Notes are searched: the report's row in colleagues' indexes is read again.
            ReportAccess.bumpChangeSeq(h, organizationId, reportId);
        });
    }

    /** The report's notes, oldest first. */
    public List<CaseStore.SealedRow> of(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, key_generation, body, created_hour FROM case_note WHERE report_id = :r ORDER BY seq""")
                .bind("r", reportId).map((rs, ctx) -> new CaseStore.SealedRow(rs.getString(1), rs.getInt(2),
                        rs.getBytes(3), rs.getLong(4)))
                .list());
    }
}
