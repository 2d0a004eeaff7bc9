package dev.postern.desk;

import java.util.List;

/**
 * Who can read a report, as the report page shows it.
 *
 * @param holders           the colleagues holding wraps of its key, by name
 * @param grantable         active colleagues with a pinned key who hold none and whom the source
 *                          did not leave out
 * @param sourceKeyPending  a revocation could not wrap the newest generation to the source yet
 *                          (a report from before V5 whose source has not opened it since)
 * @param currentGeneration the report's current key generation
 */
public record KeyHolders(List<KeyHolder> holders, List<Colleague> grantable, boolean sourceKeyPending,
                         int currentGeneration) {
    /** A colleague by id and the name colleagues see. */
    public record Colleague(String id, String name) {
    }
}
