package dev.postern.intake;

import dev.postern.store.ReportAccess;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.SourceKeyPair;
import dev.postern.vault.VaultException;
import java.util.Map;

/**
 * What a correct receipt opens: the report, every generation of its key the source holds, and the
 * source key pair that opens the generations a revocation makes later. Held in memory for the
 * length of the source's visit only.
 */
public final class SourceAccess {
    private final String reportId;
    /** Null for a report made before V5 until its pair is made (at the next open with the receipt). */
    private final SourceKeyPair sourceKey;
    private volatile ReportKeys keys;

    public SourceAccess(String reportId, ReportKeys keys) {
        this(reportId, keys, null);
    }

    public SourceAccess(String reportId, ReportKeys keys, SourceKeyPair sourceKey) {
        this.reportId = reportId;
        this.keys = keys;
        this.sourceKey = sourceKey;
    }

    public String reportId() {
        return reportId;
    }

    /** The generations held now (reading: pick each row's by its generation). */
    public ReportKeys keys() {
        return keys;
    }

    /**
     * The keys to write under: when a revocation made a generation this visit lacks, the source's
     * wraps are read again and opened with its key pair. If the report was never wrapped to the
     * pair (made before V5, {@code source_key_pending}), the newest generation held is all there is.
     */
    public ReportKeys keysForWriting(ReportAccess store) {
        int current = store.currentGeneration(reportId);
        if (!keys.holds(current) && sourceKey != null) {
            keys = withSourceWraps(keys, store.sourceWraps(reportId), sourceKey, reportId);
        }
        return keys;
    }

    /** Whether {@code writing} reaches the report's current generation (else the write may lag, see above). */
    public boolean lagsBehind(ReportAccess store, ReportKeys writing) {
        return writing.currentGeneration() < store.currentGeneration(reportId);
    }

    /** {@code keys} and every generation wrapped to the source that opens with its pair. */
    static ReportKeys withSourceWraps(ReportKeys keys, Map<Integer, byte[]> wraps, SourceKeyPair pair,
                                      String reportId) {
        ReportKeys all = keys;
        for (Map.Entry<Integer, byte[]> e : wraps.entrySet()) {
            if (!all.holds(e.getKey())) {
                try {
                    all = all.with(e.getKey(), ReportKey.unwrapAsSource(pair.privateKey(), e.getValue(), reportId,
                            e.getKey()));
                } catch (VaultException skipped) {
                    // A wrap that does not open is not the source's (tampering): it is not held.
                }
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "SourceAccess[REDACTED]";
    }
}
