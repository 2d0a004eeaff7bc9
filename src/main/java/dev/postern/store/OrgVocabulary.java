package dev.postern.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * An organization's own case vocabulary: its status definitions ({@code org_status}) and message
 * templates ({@code org_template}). Names and template texts are ciphertext under the
 * organization's data key; only ids, phases, positions and the retired flag are plain.
 */
public final class OrgVocabulary {
    /** The template kinds. */
    public enum TemplateKind { ACK }

    /**
     * One status definition.
     *
     * @param parentId the status a sub-status belongs to, or null for a top-level status
     * @param names    sealed names (en, ru, uk)
     */
    public record StatusRow(String id, String parentId, ReportStatus phase, int position, byte[] names,
                            boolean retired) {
    }

    private final Jdbi jdbi;

    public OrgVocabulary(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The organization's statuses, retired ones too (history names them), in their order. */
    public List<StatusRow> statuses(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, parent_id, phase, position, names, retired FROM org_status
                        WHERE organization_id = :o ORDER BY position, id""")
                .bind("o", organizationId)
                .map((rs, ctx) -> new StatusRow(rs.getString(1), rs.getString(2), ReportStatus.valueOf(rs.getString(3)),
                        rs.getInt(4), rs.getBytes(5), rs.getBoolean(6)))
                .list());
    }

    /**
     * Stores an organization's first statuses, unless it has some already (a colleague's session made
     * them a moment ago): returns false then.
     */
    public boolean insertFirst(String organizationId, List<StatusRow> rows) {
        return jdbi.inTransaction(h -> {
            long existing = h.createQuery("SELECT COUNT(*) FROM org_status WHERE organization_id = :o")
                    .bind("o", organizationId).mapTo(Long.class).one();
            if (existing > 0) {
                return false;
            }
            for (StatusRow row : rows) {
                insert(h, organizationId, row);
            }
            return true;
        });
    }

    public void insert(String organizationId, StatusRow row) {
        jdbi.useHandle(h -> insert(h, organizationId, row));
    }

    private static void insert(org.jdbi.v3.core.Handle h, String organizationId, StatusRow row) {
        h.createUpdate("""
                        INSERT INTO org_status (id, organization_id, parent_id, phase, position, names, retired)
                        VALUES (:id, :o, :parent, :phase, :position, :names, :retired)""")
                .bind("id", row.id()).bind("o", organizationId).bind("parent", row.parentId())
                .bind("phase", row.phase().name()).bind("position", row.position()).bind("names", row.names())
                .bind("retired", row.retired()).execute();
    }

    /** Replaces a status's sealed names; false when the organization has no such status. */
    public boolean rename(String organizationId, String statusId, byte[] names) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE org_status SET names = :n WHERE id = :id AND organization_id = :o")
                .bind("n", names).bind("id", statusId).bind("o", organizationId).execute()) == 1;
    }

    /** Retires or restores a status (and, for a top-level status, its sub-statuses with it). */
    public boolean setRetired(String organizationId, String statusId, boolean retired) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE org_status SET retired = :r WHERE id = :id AND organization_id = :o")
                    .bind("r", retired).bind("id", statusId).bind("o", organizationId).execute();
            h.createUpdate("UPDATE org_status SET retired = :r WHERE parent_id = :id AND organization_id = :o")
                    .bind("r", retired).bind("id", statusId).bind("o", organizationId).execute();
            return n == 1;
        });
    }

    /** A template's sealed text in one language, if the organization wrote one. */
    public Optional<byte[]> template(String organizationId, TemplateKind kind, String locale) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT body FROM org_template WHERE organization_id = :o AND kind = :k AND locale = :l""")
                .bind("o", organizationId).bind("k", kind.name()).bind("l", locale).mapTo(byte[].class).findOne());
    }

    public void putTemplate(String organizationId, TemplateKind kind, String locale, byte[] body) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM org_template WHERE organization_id = :o AND kind = :k AND locale = :l")
                    .bind("o", organizationId).bind("k", kind.name()).bind("l", locale).execute();
            h.createUpdate("""
                            INSERT INTO org_template (organization_id, kind, locale, body) VALUES (:o, :k, :l, :b)""")
                    .bind("o", organizationId).bind("k", kind.name()).bind("l", locale).bind("b", body).execute();
        });
    }
}
