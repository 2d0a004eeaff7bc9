package dev.postern.vault;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The generations of one report's key that a holder (a recipient's desk session or the source's
 * visit) has opened. Generation 0 is the key made at intake; a revocation makes generation g+1, and
 * everything written afterwards is sealed under it, so a revoked recipient, who never received
 * g+1, cannot read it even with every older key kept.
 *
 * <p>Security guarantees: none beyond {@link ReportKey}'s; this only picks the right key by the
 * generation a row names.
 *
 * <p>WARNING: write new content only under {@link #current()} after checking it is the report's
 * current generation in the same transaction; a writer behind a rotation must reload its keys.
 * Never persist it.
 */
public final class ReportKeys {
    private final NavigableMap<Integer, ReportKey> byGeneration;

    private ReportKeys(NavigableMap<Integer, ReportKey> byGeneration) {
        if (byGeneration.isEmpty()) {
            throw new IllegalArgumentException("no key generation");
        }
        this.byGeneration = Collections.unmodifiableNavigableMap(byGeneration);
    }

    /** Just generation 0: a report nobody has rotated. */
    public static ReportKeys initial(ReportKey key) {
        return of(Map.of(0, key));
    }

    public static ReportKeys of(Map<Integer, ReportKey> byGeneration) {
        return new ReportKeys(new TreeMap<>(byGeneration));
    }

    /** These keys and one more generation. */
    public ReportKeys with(int generation, ReportKey key) {
        TreeMap<Integer, ReportKey> more = new TreeMap<>(byGeneration);
        more.put(generation, key);
        return new ReportKeys(more);
    }

    /** The newest generation held. */
    public int currentGeneration() {
        return byGeneration.lastKey();
    }

    public ReportKey current() {
        return byGeneration.lastEntry().getValue();
    }

    public Optional<ReportKey> forGeneration(int generation) {
        return Optional.ofNullable(byGeneration.get(generation));
    }

    /**
     * The key of a row's generation; {@link VaultException} when it is not held (content written
     * after this holder was revoked, or a row whose generation was edited).
     */
    public ReportKey require(int generation) {
        ReportKey key = byGeneration.get(generation);
        if (key == null) {
            throw new VaultException("key generation " + generation + " is not held");
        }
        return key;
    }

    public boolean holds(int generation) {
        return byGeneration.containsKey(generation);
    }

    public Set<Integer> generations() {
        return byGeneration.keySet();
    }

    @Override
    public String toString() {
        return "ReportKeys[REDACTED]";
    }
}
