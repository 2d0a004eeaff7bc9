package dev.postern.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The organization keys wrapped to each colleague ({@code org_key_wrap}): the data key (purpose
 * {@link Purpose#DATA}) and the case-log private key ({@link Purpose#CASE_LOG}, administrators only).
 * Ciphertext only; who holds a wrap is visible, as for report keys.
 */
public final class OrgKeyWraps {
    public enum Purpose { DATA, CASE_LOG }

    private final Jdbi jdbi;

    public OrgKeyWraps(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<byte[]> of(String organizationId, Purpose purpose, String recipientId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT wrapped_key FROM org_key_wrap
                        WHERE organization_id = :o AND purpose = :p AND recipient_id = :r""")
                .bind("o", organizationId).bind("p", purpose.name()).bind("r", recipientId)
                .mapTo(byte[].class).findOne());
    }

    /** Whether anyone holds this key of the organization (none: it was never made). */
    public boolean exists(String organizationId, Purpose purpose) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM org_key_wrap WHERE organization_id = :o AND purpose = :p")
                .bind("o", organizationId).bind("p", purpose.name()).mapTo(Long.class).one()) > 0;
    }

    /** The colleagues who hold this key. */
    public List<String> holders(String organizationId, Purpose purpose) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT recipient_id FROM org_key_wrap WHERE organization_id = :o AND purpose = :p")
                .bind("o", organizationId).bind("p", purpose.name()).mapTo(String.class).list());
    }

    /** Stores a wrap unless the colleague already has one (idempotent: two sessions may race). */
    public void put(String organizationId, Purpose purpose, String recipientId, byte[] wrapped) {
        jdbi.useHandle(h -> put(h, organizationId, purpose, recipientId, wrapped));
    }

    /** {@link #put} inside a caller's transaction (a key made and handed out at once). */
    static void put(Handle h, String organizationId, Purpose purpose, String recipientId, byte[] wrapped) {
        h.createUpdate("""
                        INSERT INTO org_key_wrap (organization_id, purpose, recipient_id, wrapped_key)
                        SELECT :o, :p, :r, :k WHERE NOT EXISTS (SELECT 1 FROM org_key_wrap
                        WHERE organization_id = :o AND purpose = :p AND recipient_id = :r)""")
                .bind("o", organizationId).bind("p", purpose.name()).bind("r", recipientId).bind("k", wrapped)
                .execute();
    }

    /** Drops every organization key a colleague holds (disabled, or reset with a new key pair). */
    public void removeAllOf(String recipientId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM org_key_wrap WHERE recipient_id = :r")
                .bind("r", recipientId).execute());
    }
}
