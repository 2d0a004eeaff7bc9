package dev.postern.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The organization's labels ({@code org_label}): an id, a position in the list and a name sealed
 * under the organization's data key (the store sees ciphertext only). A report carries label ids
 * in its sealed case snapshot.
 */
public final class Labels {
    /** A stored label: {@code name} is ciphertext. */
    public record SealedLabel(String id, int position, byte[] name) {
    }

    private final Jdbi jdbi;

    public Labels(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The organization's labels in their order. */
    public List<SealedLabel> of(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, position, name FROM org_label WHERE organization_id = :o ORDER BY position, id")
                .bind("o", organizationId)
                .map((rs, ctx) -> new SealedLabel(rs.getString(1), rs.getInt(2), rs.getBytes(3))).list());
    }

    /** Adds a label at the end of the list. */
    public void add(String organizationId, String id, byte[] sealedName) {
        jdbi.useTransaction(h -> h.createUpdate("""
                        INSERT INTO org_label (id, organization_id, position, name)
                        SELECT :id, :o, COALESCE(MAX(position), 0) + 1, :n FROM org_label WHERE organization_id = :o""")
                .bind("id", id).bind("o", organizationId).bind("n", sealedName).execute());
    }

    /** Renames a label; false when the organization has no such label. */
    public boolean rename(String organizationId, String id, byte[] sealedName) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE org_label SET name = :n WHERE id = :id AND organization_id = :o")
                .bind("n", sealedName).bind("id", id).bind("o", organizationId).execute()) == 1;
    }

    /**
     * Deletes a label; the reports that carry it keep its id in their snapshots, which the desk
     * ignores once the label is gone.
     */
    public boolean delete(String organizationId, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM org_label WHERE id = :id AND organization_id = :o")
                .bind("id", id).bind("o", organizationId).execute()) == 1;
    }
}
