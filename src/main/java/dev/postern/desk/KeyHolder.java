package dev.postern.desk;

/**
 * A colleague holding wraps of a report's key.
 *
 * @param keyPinned    whether their public key verifies under the pinning key today
 * @param holdsCurrent whether they hold the report's current key generation (a holder whose key
 *                     was not pinned, or who was disabled, at a revocation did not get it)
 * @param generations  how many generations of the key they hold
 */
public record KeyHolder(String recipientId, String username, String shownName, boolean keyPinned,
                        boolean holdsCurrent, int generations) {
}
