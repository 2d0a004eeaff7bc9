package dev.postern.desk;

import dev.postern.vault.RecipientPrivateKey;

/**
 * A logged-in recipient. Holds the unlocked private key in memory for as long as the session lives.
 */
public record DeskSession(String recipientId, String organizationId, String username, RecipientPrivateKey privateKey) {
    @Override
    public String toString() {
        return "DeskSession[" + username + "]";
    }
}
