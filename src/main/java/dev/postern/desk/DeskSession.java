package dev.postern.desk;

import dev.postern.domain.Role;
import dev.postern.vault.OrgDataKey;
import dev.postern.vault.RecipientPrivateKey;

/**
 * A logged-in recipient. Holds the unlocked private key, and the organization's data key when it
 * has been handed to them, in memory for as long as the session lives.
 *
 * @param dataKey the organization's data key (status and label names, templates); null until a
 *                colleague who holds it has logged in since this recipient was added
 */
public record DeskSession(String recipientId, String organizationId, String username, RecipientPrivateKey privateKey,
                          Role role, OrgDataKey dataKey) {
    public boolean isAdmin() {
        return role.isAdmin();
    }

    @Override
    public String toString() {
        return "DeskSession[" + username + "]";
    }
}
