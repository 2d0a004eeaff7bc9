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

    /** Stores a new recipient with its public key pinned: a plain recipient without a display name. */
    public void insert(String id, String organizationId, String username, RecipientCredentials c) {
        insert(id, organizationId, username, "", Role.RECIPIENT, c);
    }

    /** Stores a new colleague with its public key pinned. */
    public void insert(String id, String organizationId, String username, String displayName, Role role,
                       RecipientCredentials c) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO recipient (" + COLUMNS + ", display_name, role, created_at)"
                        + " VALUES (:id, :org, :username, :salt, :m, :t, :p, :verifier, :pub, :priv, :totp, 0, :pin,"
                        + " :display, :role, :at)")
                .bind("id", id).bind("org", organizationId).bind("username", username)
                .bind("display", displayName).bind("role", role.name())
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

    // --- Colleagues: roles, disabling, reset, preferences (issue 8) ---

    /** Whether the organization has any recipient yet (its first becomes an administrator). */
    public boolean anyIn(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM recipient WHERE organization_id = :o")
                .bind("o", organizationId).mapTo(Long.class).one()) > 0;
    }

    /** Counts the active administrators of :org other than :id, inside the guarded statement itself. */
    private static final String OTHER_ACTIVE_ADMINS = "(SELECT COUNT(*) FROM recipient o WHERE o.organization_id ="
            + " :org AND o.role = 'ADMIN' AND o.disabled_hour IS NULL AND o.id <> :id)";

    /**
     * Disables a colleague from {@code hour} on and marks their reports for rotation
     * ({@code revoke_pending}); their organization-key wraps go in the same transaction. Refused
     * (false) when they are the organization's last active administrator, checked in the same
     * statement so two administrators disabling each other cannot both succeed.
     */
    public boolean disable(String id, String organizationId, long hour) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE recipient SET disabled_hour = :hour, revoke_pending = TRUE"
                            + " WHERE id = :id AND organization_id = :org AND disabled_hour IS NULL"
                            + " AND (role <> 'ADMIN' OR " + OTHER_ACTIVE_ADMINS + " > 0)")
                    .bind("hour", hour).bind("id", id).bind("org", organizationId).execute();
            if (changed == 1) {
                h.createUpdate("DELETE FROM org_key_wrap WHERE recipient_id = :id").bind("id", id).execute();
            }
            return changed == 1;
        });
    }

    /** Re-enables a disabled colleague; their reports need new grants. */
    public void enable(String id, String organizationId) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE recipient SET disabled_hour = NULL WHERE id = :id AND organization_id = :org")
                .bind("id", id).bind("org", organizationId).execute());
    }

    /**
     * Changes a colleague's role. A demotion is refused (false) for the last active administrator
     * and takes away the case-log key (administrators only) in the same transaction.
     */
    public boolean setRole(String id, String organizationId, Role role) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE recipient SET role = :role WHERE id = :id AND organization_id = :org"
                            + (role.isAdmin() ? "" : " AND (role <> 'ADMIN' OR disabled_hour IS NOT NULL OR "
                            + OTHER_ACTIVE_ADMINS + " > 0)"))
                    .bind("role", role.name()).bind("id", id).bind("org", organizationId).execute();
            if (changed == 1 && !role.isAdmin()) {
                h.createUpdate("DELETE FROM org_key_wrap WHERE recipient_id = :id AND purpose = 'CASE_LOG'")
                        .bind("id", id).execute();
            }
            return changed == 1;
        });
    }

    /**
     * New credentials and key pair for a colleague (reset): the row gets the new public key and its
     * pin, and every wrap to the old key (report keys of every generation, organization keys) goes
     * in the same transaction, since nothing can open them any more.
     */
    public void reset(String id, String organizationId, RecipientCredentials c) {
        jdbi.useTransaction(h -> {
            int changed = h.createUpdate("""
                            UPDATE recipient SET kdf_salt = :salt, kdf_memory_kib = :m, kdf_iterations = :t,
                            kdf_parallelism = :p, password_verifier = :verifier, public_keyset = :pub,
                            wrapped_private_keyset = :priv, wrapped_totp_secret = :totp, totp_last_step = 0,
                            public_key_pin = :pin WHERE id = :id AND organization_id = :org""")
                    .bind("id", id).bind("org", organizationId).bind("salt", c.salt())
                    .bind("m", c.params().memoryKib()).bind("t", c.params().iterations())
                    .bind("p", c.params().parallelism()).bind("verifier", c.verifier())
                    .bind("pub", c.publicKeyset()).bind("priv", c.wrappedPrivateKeyset())
                    .bind("totp", c.wrappedTotpSecret()).bind("pin", pins.pin(id, organizationId, c.publicKeyset()))
                    .execute();
            if (changed != 1) {
                throw new StoreException("no recipient " + id + " in organization " + organizationId);
            }
            h.createUpdate("DELETE FROM report_key WHERE recipient_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM org_key_wrap WHERE recipient_id = :id").bind("id", id).execute();
        });
    }

    /** Whether intake wraps new reports to this colleague. */
    public void setReceivesNew(String id, String organizationId, boolean receivesNew) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE recipient SET receives_new = :r WHERE id = :id AND organization_id = :org")
                .bind("r", receivesNew).bind("id", id).bind("org", organizationId).execute());
    }

    /** A colleague's own desk preferences: the name colleagues see, the desk's language and time zone. */
    public void setPreferences(String id, String displayName, String locale, String timeZone) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE recipient SET display_name = :d, locale = :l, time_zone = :z WHERE id = :id")
                .bind("d", displayName).bind("l", locale).bind("z", timeZone).bind("id", id).execute());
    }

    /** Marks a disabled colleague's reports for rotation at the next administrator login again. */
    public void markRevokePending(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE recipient SET revoke_pending = TRUE WHERE id = :id AND disabled_hour"
                        + " IS NOT NULL").bind("id", id).execute());
    }

    /** Colleagues disabled while no administrator's session could rotate their reports' keys (the CLI). */
    public List<String> revokePending(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM recipient WHERE organization_id = :o AND revoke_pending ORDER BY id")
                .bind("o", organizationId).mapTo(String.class).list());
    }

    /**
     * Takes on the rotation for a disabled colleague: true for exactly one caller (two
     * administrators logging in at once do not both start it).
     */
    public boolean claimRevokePending(String id) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE recipient SET revoke_pending = FALSE WHERE id = :id AND revoke_pending")
                .bind("id", id).execute()) == 1;
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
