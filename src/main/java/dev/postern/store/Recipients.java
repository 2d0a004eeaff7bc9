package dev.postern.store;

import dev.postern.domain.Role;

import dev.postern.vault.Argon2Params;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientKeyPins;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Storage of recipient accounts. Every public key is stored with its pin ({@link RecipientKeyPins})
 * and every row read is checked against it, so {@link RecipientAccount#keyPinned()} says whether
 * the row is one the application host vouched for.
 */
public final class Recipients {
    private static final String COLUMNS = "id, organization_id, username, kdf_salt, kdf_memory_kib, kdf_iterations,"
            + " kdf_parallelism, password_verifier, public_keyset, wrapped_private_keyset, wrapped_totp_secret,"
            + " totp_last_step, public_key_pin";
    /** What is read besides the columns written at insert (those have defaults). */
    private static final String SETTINGS = ", role, display_name, disabled_hour, receives_new, time_zone, locale";
    private final Jdbi jdbi;
    private final Clock clock;
    private final RecipientKeyPins pins;

    public Recipients(Jdbi jdbi, Clock clock, RecipientKeyPins pins) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.pins = pins;
    }

    /** Whether any recipient row exists (pinned or not). */
    public static boolean anyExist(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM recipient").mapTo(Long.class).one()) > 0;
    }

    /** Stores a new recipient with its public key pinned. */
    public void insert(String id, String organizationId, String username, RecipientCredentials c) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO recipient (" + COLUMNS + ", created_at) VALUES"
                        + " (:id, :org, :username, :salt, :m, :t, :p, :verifier, :pub, :priv, :totp, 0, :pin, :at)")
                .bind("id", id).bind("org", organizationId).bind("username", username)
                .bind("salt", c.salt()).bind("m", c.params().memoryKib()).bind("t", c.params().iterations())
                .bind("p", c.params().parallelism()).bind("verifier", c.verifier())
                .bind("pub", c.publicKeyset()).bind("priv", c.wrappedPrivateKeyset())
                .bind("totp", c.wrappedTotpSecret()).bind("pin", pins.pin(id, organizationId, c.publicKeyset()))
                .bind("at", clock.instant().getEpochSecond())
                .execute());
    }

    /**
     * Pins the public key that {@code account} holds, if the row still holds exactly that key and
     * organization (an administrator vouched for what they were shown, nothing written since).
     *
     * @return false when the row changed or vanished in the meantime
     */
    public boolean pin(RecipientAccount account) {
        byte[] publicKeyset = account.credentials().publicKeyset();
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE recipient SET public_key_pin = :pin
                        WHERE id = :id AND organization_id = :org AND public_keyset = :pub""")
                .bind("pin", pins.pin(account.id(), account.organizationId(), publicKeyset))
                .bind("id", account.id()).bind("org", account.organizationId()).bind("pub", publicKeyset)
                .execute()) == 1;
    }

    /** The pin of a public key that is not a recipient's (a report's source key pair, decision 0005). */
    public byte[] pinOf(String holderId, String organizationId, byte[] publicKeyset) {
        return pins.pin(holderId, organizationId, publicKeyset);
    }

    /** Whether {@code pin} vouches for that holder's public key; false for null. */
    public boolean pinVerifies(String holderId, String organizationId, byte[] publicKeyset, byte[] pin) {
        return publicKeyset != null && pins.verifies(holderId, organizationId, publicKeyset, pin);
    }

    /** The recipients a report's key was wrapped to, by username. */
    public List<RecipientAccount> holdingKeyOf(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + prefixed("r.") + " FROM report_key k"
                        + " JOIN recipient r ON r.id = k.recipient_id WHERE k.report_id = :report AND k.generation = 0"
                        + " ORDER BY r.username")
                .bind("report", reportId).map((rs, ctx) -> read(rs)).list());
    }

    public void updateCredentials(String id, RecipientCredentials c) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE recipient SET kdf_salt = :salt, kdf_memory_kib = :m, kdf_iterations = :t,
                        kdf_parallelism = :p, password_verifier = :verifier, wrapped_private_keyset = :priv,
                        wrapped_totp_secret = :totp WHERE id = :id""")
                .bind("id", id).bind("salt", c.salt()).bind("m", c.params().memoryKib())
                .bind("t", c.params().iterations()).bind("p", c.params().parallelism())
                .bind("verifier", c.verifier()).bind("priv", c.wrappedPrivateKeyset())
                .bind("totp", c.wrappedTotpSecret()).execute());
    }

    /**
     * Records {@code step} as used if it is later than the last used one. Atomic, so two logins
     * racing with the same code cannot both pass.
     */
    public boolean consumeTotpStep(String id, long step) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE recipient SET totp_last_step = :s WHERE id = :id AND totp_last_step < :s")
                .bind("s", step).bind("id", id).execute()) == 1;
    }

    public Optional<RecipientAccount> byUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + SETTINGS + " FROM recipient WHERE username = :u")
                .bind("u", username).map((rs, ctx) -> read(rs)).findOne());
    }

    public Optional<RecipientAccount> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + SETTINGS + " FROM recipient WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> read(rs)).findOne());
    }

    public List<RecipientAccount> inOrganization(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + SETTINGS
                        + " FROM recipient WHERE organization_id = :o ORDER BY username")
                .bind("o", organizationId).map((rs, ctx) -> read(rs)).list());
    }

    private static String prefixed(String prefix) {
        return prefix + (COLUMNS + SETTINGS).replace(", ", ", " + prefix);
    }

    private RecipientAccount read(ResultSet rs) throws SQLException {
        RecipientCredentials c = new RecipientCredentials(rs.getBytes("kdf_salt"),
                new Argon2Params(rs.getInt("kdf_memory_kib"), rs.getInt("kdf_iterations"), rs.getInt("kdf_parallelism")),
                rs.getBytes("password_verifier"), rs.getBytes("public_keyset"),
                rs.getBytes("wrapped_private_keyset"), rs.getBytes("wrapped_totp_secret"));
        String id = rs.getString("id");
        String organizationId = rs.getString("organization_id");
        boolean pinned = pins.verifies(id, organizationId, c.publicKeyset(), rs.getBytes("public_key_pin"));
        long disabled = rs.getLong("disabled_hour");
        Long disabledHour = rs.wasNull() ? null : disabled;
        return new RecipientAccount(id, organizationId, rs.getString("username"), c, rs.getLong("totp_last_step"),
                pinned, Role.valueOf(rs.getString("role")), rs.getString("display_name"), disabledHour,
                rs.getBoolean("receives_new"), rs.getString("time_zone"), rs.getString("locale"));
    }
}
