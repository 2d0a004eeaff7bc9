package dev.postern.store;

import dev.postern.vault.RecipientCredentials;

/**
 * A recipient's stored account.
 *
 * @param totpLastStep the last TOTP step accepted; codes of this step or earlier are refused
 * @param keyPinned    whether the row's public key, recipient id and organization verified under
 *                     the pinning key when the row was read; false for a row written by anyone
 *                     without that key (or never pinned). Report keys are wrapped, and logins
 *                     allowed, only for pinned keys.
 */
public record RecipientAccount(String id, String organizationId, String username,
                               RecipientCredentials credentials, long totpLastStep, boolean keyPinned) {
}
