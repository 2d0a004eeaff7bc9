package dev.postern.vault;

import com.google.crypto.tink.HybridEncrypt;
import java.security.GeneralSecurityException;

/**
 * A recipient's HPKE public key ({@link Hpke}'s suite), to which report keys are
 * wrapped at submission time.
 *
 * <p>Security guarantees: only the holder of the matching private key opens what is encrypted here;
 * context info binds each ciphertext to its purpose.
 */
public final class RecipientPublicKey {
    private final String recipientId;
    private final HybridEncrypt encrypt;

    private RecipientPublicKey(String recipientId, HybridEncrypt encrypt) {
        this.recipientId = recipientId;
        this.encrypt = encrypt;
    }

    /** Parses a public keyset as stored by {@link RecipientCredentials}. */
    public static RecipientPublicKey parse(String recipientId, byte[] publicKeyset) {
        return new RecipientPublicKey(recipientId, Hpke.encrypter(publicKeyset));
    }

    public String recipientId() {
        return recipientId;
    }

    byte[] encrypt(byte[] plaintext, byte[] contextInfo) {
        try {
            return encrypt.encrypt(plaintext, contextInfo);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HPKE encryption failed", e);
        }
    }
}
