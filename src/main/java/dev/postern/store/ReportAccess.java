package dev.postern.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Who holds which generation of a report's key: {@code report_key} (wraps per recipient and
 * generation), {@code report_source_key} (generations >= 1 wrapped to the source), the source key
 * pair's columns, {@code report_exclusion}, and the report's current generation. Every access
 * change bumps {@code organization.change_seq} and sets the report's to it, in its transaction.
 */
public final class ReportAccess {
    private final Jdbi jdbi;

    public ReportAccess(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The source key pair as stored: the public half (pinned), the private half wrapped under the
     * receipt; all null for a report made before V5 until its source opens it.
     *
     * @param pending a revocation could not wrap its new generation to the source
     */
    public record SourceKey(byte[] publicKeyset, byte[] pin, byte[] wrappedPrivate, boolean pending) {
        public boolean exists() {
            return publicKeyset != null && wrappedPrivate != null;
        }
    }

    /** A recipient holding wraps of a report's key, with the generations they hold. */
    public record Holder(String recipientId, Set<Integer> generations) {
    }

    /** The report's current key generation, read in {@code h}'s transaction. */
    public static int currentGeneration(Handle h, String reportId) {
        // FOR UPDATE: a writer's check waits for a rotation in progress instead of reading around it,
        // so nothing commits under generation g after the move to g+1 has committed.
        return h.createQuery("SELECT key_generation FROM report WHERE id = :r FOR UPDATE")
                .bind("r", reportId).mapTo(Integer.class).findOne()
                .orElseThrow(() -> new StoreException("no such report"));
    }

    public int currentGeneration(String reportId) {
        return jdbi.withHandle(h -> currentGeneration(h, reportId));
    }

    /** The wraps {@code recipientId} holds, by generation. */
    public Map<Integer, byte[]> wrapsOf(String reportId, String recipientId) {
        return jdbi.withHandle(h -> {
            Map<Integer, byte[]> wraps = new TreeMap<>();
            h.createQuery("SELECT generation, wrapped_key FROM report_key WHERE report_id = :r AND recipient_id = :p")
                    .bind("r", reportId).bind("p", recipientId)
                    .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getBytes(2)))
                    .forEach(e -> wraps.put(e.getKey(), e.getValue()));
            return wraps;
        });
    }

    /** {@code recipientId}'s wraps of many reports at once (a backlog batch): report id → generation → wrap. */
    public Map<String, Map<Integer, byte[]>> wrapsOf(Collection<String> reportIds, String recipientId) {
        Map<String, Map<Integer, byte[]>> all = new LinkedHashMap<>();
        if (reportIds.isEmpty()) {
            return all;
        }
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT report_id, generation, wrapped_key FROM report_key
                        WHERE recipient_id = :p AND report_id IN (<reports>)""")
                .bind("p", recipientId).bindList("reports", List.copyOf(reportIds))
                .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getBytes(3)})
                .forEach(row -> all.computeIfAbsent((String) row[0], k -> new TreeMap<>())
                        .put((Integer) row[1], (byte[]) row[2])));
        return all;
    }

    /** The current generation of many reports at once (a backlog batch). */
    public Map<String, Integer> currentGenerations(Collection<String> reportIds) {
        Map<String, Integer> all = new LinkedHashMap<>();
        if (reportIds.isEmpty()) {
            return all;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT id, key_generation FROM report WHERE id IN (<reports>)")
                .bindList("reports", List.copyOf(reportIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> all.put(e.getKey(), e.getValue())));
        return all;
    }

    /** Generations >= 1 wrapped to the source, by generation. */
    public Map<Integer, byte[]> sourceWraps(String reportId) {
        return jdbi.withHandle(h -> {
            Map<Integer, byte[]> wraps = new TreeMap<>();
            h.createQuery("SELECT generation, wrapped_key FROM report_source_key WHERE report_id = :r")
                    .bind("r", reportId)
                    .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getBytes(2)))
                    .forEach(e -> wraps.put(e.getKey(), e.getValue()));
            return wraps;
        });
    }

    public SourceKey sourceKey(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT source_public_keyset, source_key_pin, source_wrapped_private, source_key_pending
                        FROM report WHERE id = :r""")
                .bind("r", reportId)
                .map((rs, ctx) -> new SourceKey(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3), rs.getBoolean(4)))
                .findOne().orElseThrow(() -> new StoreException("no such report")));
    }

    /** Gives a report made before V5 its source key pair, once (its source opened it). False when it had one. */
    public boolean setSourceKeyOnce(String reportId, byte[] publicKeyset, byte[] pin, byte[] wrappedPrivate) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE report SET source_public_keyset = :pub, source_key_pin = :pin,
                        source_wrapped_private = :priv WHERE id = :r AND source_public_keyset IS NULL""")
                .bind("pub", publicKeyset).bind("pin", pin).bind("priv", wrappedPrivate).bind("r", reportId)
                .execute()) == 1;
    }

    /**
     * Catches the source up (decision 0005, 2.2): the wraps of generations it lacked, and the
     * pending flag cleared once every generation >= 1 is wrapped to it.
     */
    public void addSourceWraps(String reportId, Map<Integer, byte[]> wraps) {
        jdbi.useTransaction(h -> {
            for (Map.Entry<Integer, byte[]> e : wraps.entrySet()) {
                h.createUpdate("""
                                INSERT INTO report_source_key (report_id, generation, wrapped_key)
                                SELECT :r, :g, :k WHERE NOT EXISTS
                                  (SELECT 1 FROM report_source_key WHERE report_id = :r AND generation = :g)""")
                        .bind("r", reportId).bind("g", e.getKey()).bind("k", e.getValue()).execute();
            }
            int current = currentGeneration(h, reportId);
            long wrapped = h.createQuery("SELECT COUNT(*) FROM report_source_key WHERE report_id = :r")
                    .bind("r", reportId).mapTo(Long.class).one();
            if (wrapped >= current) {
                h.createUpdate("UPDATE report SET source_key_pending = FALSE WHERE id = :r")
                        .bind("r", reportId).execute();
            }
        });
    }

    /** The recipients holding any wrap of the report's key, with their generations, by recipient id. */
    public List<Holder> holders(String reportId) {
        return jdbi.withHandle(h -> {
            Map<String, Set<Integer>> byRecipient = new TreeMap<>();
            h.createQuery("SELECT recipient_id, generation FROM report_key WHERE report_id = :r")
                    .bind("r", reportId)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                    .forEach(e -> byRecipient.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue()));
            List<Holder> holders = new ArrayList<>();
            byRecipient.forEach((id, gens) -> holders.add(new Holder(id, Set.copyOf(gens))));
            return holders;
        });
    }

    /** Recipients the source left out of the report. */
    public Set<String> excluded(String reportId) {
        return jdbi.withHandle(h -> Set.copyOf(h.createQuery(
                        "SELECT recipient_id FROM report_exclusion WHERE report_id = :r")
                .bind("r", reportId).mapTo(String.class).list()));
    }

    /**
     * Adds wraps for one recipient (a grant), idempotently, and bumps the change sequences. Returns
     * how many wraps were new.
     */
    public int grant(String organizationId, String reportId, String recipientId, Map<Integer, byte[]> wraps) {
        return jdbi.inTransaction(h -> grant(h, organizationId, reportId, recipientId, wraps));
    }

    /**
     * Grants of many reports to one recipient in one transaction (a backlog batch): one batched
     * insert, and one step of the organization's change sequence for the whole batch.
     */
    public int grantAll(String organizationId, String recipientId, Map<String, Map<Integer, byte[]>> wrapsByReport) {
        if (wrapsByReport.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            PreparedBatch insert = h.prepareBatch("""
                    INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key)
                    SELECT :r, :p, :g, :k WHERE NOT EXISTS (SELECT 1 FROM report_key
                      WHERE report_id = :r AND recipient_id = :p AND generation = :g)
                    """ + STILL_GRANTABLE);
            for (Map.Entry<String, Map<Integer, byte[]>> e : wrapsByReport.entrySet()) {
                int newest = Collections.max(e.getValue().keySet());
                for (Map.Entry<Integer, byte[]> w : e.getValue().entrySet()) {
                    insert.bind("r", e.getKey()).bind("p", recipientId).bind("g", w.getKey()).bind("k", w.getValue())
                            .bind("newest", newest).add();
                }
            }
            int added = IntStream.of(insert.execute()).sum();
            h.createUpdate("UPDATE organization SET change_seq = change_seq + 1 WHERE id = :o")
                    .bind("o", organizationId).execute();
            h.createUpdate("""
                            UPDATE report SET change_seq = (SELECT change_seq FROM organization WHERE id = :o)
                            WHERE id IN (<reports>)""")
                    .bind("o", organizationId).bindList("reports", List.copyOf(wrapsByReport.keySet())).execute();
            return added;
        });
    }

    /**
     * The guard of every grant insert, checked in its transaction: the grantee is still active (a
     * backlog job running while they are disabled adds nothing), and the wraps reach the report's
     * current generation (a grant prepared before a revocation committed does not bring back
     * generations the revocation took away).
     */
    private static final String STILL_GRANTABLE = """
            AND EXISTS (SELECT 1 FROM recipient WHERE id = :p AND disabled_hour IS NULL)
            AND (SELECT key_generation FROM report WHERE id = :r) = :newest""";

    private static int grant(Handle h, String organizationId, String reportId, String recipientId,
                             Map<Integer, byte[]> wraps) {
        int added = 0;
        int newest = Collections.max(wraps.keySet());
        // Holds the report row: a rotation waits for this grant, or this grant sees its result.
        currentGeneration(h, reportId);
        for (Map.Entry<Integer, byte[]> e : wraps.entrySet()) {
            added += h.createUpdate("""
                            INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key)
                            SELECT :r, :p, :g, :k WHERE NOT EXISTS (SELECT 1 FROM report_key
                              WHERE report_id = :r AND recipient_id = :p AND generation = :g)
                            """ + STILL_GRANTABLE)
                    .bind("r", reportId).bind("p", recipientId).bind("g", e.getKey()).bind("k", e.getValue())
                    .bind("newest", newest).execute();
        }
        if (added > 0) {
            bumpChangeSeq(h, organizationId, reportId);
        }
        return added;
    }

    /**
     * One rotation: deletes every wrap of {@code revoked}, adds generation {@code from + 1} wrapped
     * to the remaining holders ({@code newWraps}) and to the source ({@code sourceWrap}, or null:
     * the report is then marked {@code source_key_pending}), and moves the report to it, all in one
     * transaction. False (nothing changed) when the report is no longer at {@code from}: someone
     * rotated first.
     */
    public boolean rotate(String organizationId, String reportId, int from, Set<String> revoked,
                          Map<String, byte[]> newWraps, byte[] sourceWrap) {
        int to = from + 1;
        return jdbi.inTransaction(h -> {
            int moved = h.createUpdate("UPDATE report SET key_generation = :to WHERE id = :r AND key_generation = :from")
                    .bind("to", to).bind("r", reportId).bind("from", from).execute();
            if (moved != 1) {
                return false;
            }
            for (String id : revoked) {
                h.createUpdate("DELETE FROM report_key WHERE report_id = :r AND recipient_id = :p")
                        .bind("r", reportId).bind("p", id).execute();
            }
            for (Map.Entry<String, byte[]> e : newWraps.entrySet()) {
                h.createUpdate("INSERT INTO report_key (report_id, recipient_id, generation, wrapped_key)"
                                + " VALUES (:r, :p, :g, :k)")
                        .bind("r", reportId).bind("p", e.getKey()).bind("g", to).bind("k", e.getValue()).execute();
            }
            if (sourceWrap != null) {
                h.createUpdate("INSERT INTO report_source_key (report_id, generation, wrapped_key) VALUES (:r, :g, :k)")
                        .bind("r", reportId).bind("g", to).bind("k", sourceWrap).execute();
            } else {
                h.createUpdate("UPDATE report SET source_key_pending = TRUE WHERE id = :r").bind("r", reportId).execute();
            }
            bumpChangeSeq(h, organizationId, reportId);
            return true;
        });
    }

    /** Reports of the organization {@code holderId} holds a wrap of and {@code granteeId} holds none of, nor was left out of. */
    public List<String> grantable(String organizationId, String holderId, String granteeId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.id FROM report r WHERE r.organization_id = :o
                        AND EXISTS (SELECT 1 FROM report_key k WHERE k.report_id = r.id AND k.recipient_id = :holder)
                        AND NOT EXISTS (SELECT 1 FROM report_key k WHERE k.report_id = r.id AND k.recipient_id = :grantee)
                        AND NOT EXISTS (SELECT 1 FROM report_exclusion x WHERE x.report_id = r.id
                                        AND x.recipient_id = :grantee)
                        ORDER BY r.id""")
                .bind("o", organizationId).bind("holder", holderId).bind("grantee", granteeId)
                .mapTo(String.class).list());
    }

    /** Reports of the organization {@code recipientId} holds any wrap of. */
    public List<String> heldBy(String organizationId, String recipientId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.id FROM report r WHERE r.organization_id = :o
                        AND EXISTS (SELECT 1 FROM report_key k WHERE k.report_id = r.id AND k.recipient_id = :p)
                        ORDER BY r.id""")
                .bind("o", organizationId).bind("p", recipientId).mapTo(String.class).list());
    }

    /** Writes the source's exclusions of a new report (in the report's insert transaction). */
    static void insertExclusions(Handle h, String reportId, Collection<String> excluded) {
        for (String id : excluded) {
            h.createUpdate("INSERT INTO report_exclusion (report_id, recipient_id) VALUES (:r, :p)")
                    .bind("r", reportId).bind("p", id).execute();
        }
    }

    /** Every access change moves the organization's sequence, and the report takes its new value. */
    static void bumpChangeSeq(Handle h, String organizationId, String reportId) {
        h.createUpdate("UPDATE organization SET change_seq = change_seq + 1 WHERE id = :o")
                .bind("o", organizationId).execute();
        h.createUpdate("""
                        UPDATE report SET change_seq = (SELECT change_seq FROM organization WHERE id = :o)
                        WHERE id = :r""")
                .bind("o", organizationId).bind("r", reportId).execute();
    }

    /** Whether the organization lets sources leave colleagues out of their report (decision 0005, 2.3). */
    public boolean sourceMayExclude(String organizationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT source_may_exclude FROM organization WHERE id = :o")
                .bind("o", organizationId).mapTo(Boolean.class).findOne()).orElse(false);
    }

    /** The report's change sequence (tests, triage). */
    public long changeSeq(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT change_seq FROM report WHERE id = :r")
                .bind("r", reportId).mapTo(Long.class).one());
    }

    public Optional<String> organizationOf(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT organization_id FROM report WHERE id = :r")
                .bind("r", reportId).mapTo(String.class).findOne());
    }
}
