package dev.postern.store;

import dev.postern.domain.Role;

import dev.postern.vault.RecipientCredentials;

/**
 * A recipient's stored account.
 *
 * @param totpLastStep the last TOTP step accepted; codes of this step or earlier are refused
 * @param keyPinned    whether the row's public key, recipient id and organization verified under
 *                     the pinning key when the row was read; false for a row written by anyone
 *                     without that key (or never pinned). Report keys are wrapped, and logins
 *                     allowed, only for pinned keys.
 * @param displayName  shown to colleagues (and, where sources may leave people out, on the source
 *                     form); empty when none was set
 * @param disabledHour the hour an administrator disabled the account, or null while active
 * @param receivesNew  whether intake wraps new reports to this colleague
 * @param timeZone     IANA zone the desk shows hours in
 * @param locale       the desk's language (en, ru, uk)
 */
public record RecipientAccount(String id, String organizationId, String username,
                               RecipientCredentials credentials, long totpLastStep, boolean keyPinned,
                               Role role, String displayName, Long disabledHour, boolean receivesNew,
                               String timeZone, String locale) {
    public boolean active() {
        return disabledHour == null;
    }

    /** The display name, or the username when none was set. */
    public String shownName() {
        return displayName == null || displayName.isBlank() ? username : displayName;
    }
}
