package dev.postern.store;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The organizations' case logs ({@code case_log}) and the public half of each organization's
 * case-log key ({@code organization.case_log_public_keyset}, with its pin). Entries are ciphertext;
 * a database reader learns how many access changes an organization had and in which hours.
 *
 * <p>Append-only: this class has no way to change or remove an entry, and no other class may touch
 * the table (a source scan in {@code ArchitectureTest} holds every other file to that), so issue 9
 * can chain the rows with hashes and backfill them.
 */
public final class CaseLogStore {
    /** Appends that lose the race for a sequence number this many times in a row give up. */
    private static final int ATTEMPTS = 100;
    private final Jdbi jdbi;

    public CaseLogStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The stored public half of an organization's case-log key and its pin (either may be forged). */
    public record PublicKey(byte[] keyset, byte[] pin) {
    }

    /** One stored entry. */
    public record Row(long seq, long createdHour, byte[] entry) {
    }

    public Optional<PublicKey> publicKey(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT case_log_public_keyset, case_log_key_pin FROM organization
                        WHERE id = :o AND case_log_public_keyset IS NOT NULL""")
                .bind("o", organizationId)
                .map((rs, ctx) -> new PublicKey(rs.getBytes(1), rs.getBytes(2))).findOne());
    }

    /**
     * Stores an organization's new case-log key: the public half with its pin, and the private half
     * wrapped to each administrator, in one transaction, so a key nobody holds is never left behind.
     *
     * @param wraps the wrapped private half by administrator id
     * @return false, storing nothing, when the organization already has a case-log key (two first
     *         logins raced: the one stored first stays)
     */
    public boolean establish(String organizationId, byte[] publicKeyset, byte[] pin, Map<String, byte[]> wraps) {
        return jdbi.inTransaction(h -> {
            int set = h.createUpdate("""
                            UPDATE organization SET case_log_public_keyset = :k, case_log_key_pin = :p
                            WHERE id = :o AND case_log_public_keyset IS NULL""")
                    .bind("k", publicKeyset).bind("p", pin).bind("o", organizationId).execute();
            if (set == 0) {
                return false;
            }
            wraps.forEach((recipientId, wrapped) ->
                    OrgKeyWraps.put(h, organizationId, OrgKeyWraps.Purpose.CASE_LOG, recipientId, wrapped));
            return true;
        });
    }

    /**
     * Appends the organization's next entry: the sequence number is taken inside the writing
     * transaction (1, 2, 3 ... without gaps, the primary key guarding it) and handed to
     * {@code sealFor}, which encrypts the entry for exactly that position. A writer that loses the
     * race to another retries with the next number.
     *
     * @return the entry's sequence number
     */
    public long append(String organizationId, long createdHour, LongFunction<byte[]> sealFor) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_log WHERE organization_id = :o")
                            .bind("o", organizationId).mapTo(Long.class).one();
                    h.createUpdate("""
                                    INSERT INTO case_log (organization_id, seq, created_hour, entry)
                                    VALUES (:o, :s, :h, :e)""")
                            .bind("o", organizationId).bind("s", seq).bind("h", createdHour)
                            .bind("e", sealFor.apply(seq)).execute();
                    return seq;
                });
            } catch (UnableToExecuteStatementException e) {
                if (!duplicateKey(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A page of the organization's entries, newest first. */
    public List<Row> newestFirst(String organizationId, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT seq, created_hour, entry FROM case_log WHERE organization_id = :o
                        ORDER BY seq DESC LIMIT :limit OFFSET :offset""")
                .bind("o", organizationId).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3))).list());
    }

    public long count(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM case_log WHERE organization_id = :o")
                .bind("o", organizationId).mapTo(Long.class).one());
    }

    /** SQLSTATE 23505 (unique violation), as both H2 and PostgreSQL report it. */
    private static boolean duplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
