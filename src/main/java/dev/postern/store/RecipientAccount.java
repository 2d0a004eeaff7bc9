package dev.postern.store;

import dev.postern.vault.RecipientCredentials;

/**
 * A recipient's stored account.
 *
 * @param totpLastStep the last TOTP step accepted; codes of this step or earlier are refused
 */
public record RecipientAccount(String id, String organizationId, String username,
                               RecipientCredentials credentials, long totpLastStep) {
}
