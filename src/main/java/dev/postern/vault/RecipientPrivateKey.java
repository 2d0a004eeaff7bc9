package dev.postern.vault;

import com.google.crypto.tink.HybridDecrypt;
import java.security.GeneralSecurityException;

/**
 * A recipient's unlocked HPKE private key. Exists only in memory, in a logged-in desk session.
 *
 * <p>WARNING: the JVM cannot guarantee that key bytes are wiped from memory; drop every reference
 * (logout, idle timeout) so the key becomes unreachable as soon as it is not needed.
 */
public final class RecipientPrivateKey {
    private final String recipientId;
    private final HybridDecrypt decrypt;

    RecipientPrivateKey(String recipientId, HybridDecrypt decrypt) {
        this.recipientId = recipientId;
        this.decrypt = decrypt;
    }

    public String recipientId() {
        return recipientId;
    }

    byte[] decrypt(byte[] ciphertext, byte[] contextInfo) {
        try {
            return decrypt.decrypt(ciphertext, contextInfo);
        } catch (GeneralSecurityException e) {
            throw new VaultException("key was not wrapped to this recipient for this report");
        }
    }

    @Override
    public String toString() {
        return "RecipientPrivateKey[REDACTED]";
    }
}
