package dev.postern.desk;

/**
 * A recipient to whom a report's key was wrapped.
 *
 * @param keyPinned whether their public key verifies under the pinning key today
 */
public record KeyHolder(String username, boolean keyPinned) {
}
