package dev.postern.vault;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.security.GeneralSecurityException;

/**
 * A recipient's HPKE public key (DHKEM X25519, HKDF-SHA256, AES-256-GCM), to which report keys are
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
        Crypto.init();
        try {
            KeysetHandle handle = TinkProtoKeysetFormat.parseKeysetWithoutSecret(publicKeyset);
            return new RecipientPublicKey(recipientId, handle.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class));
        } catch (GeneralSecurityException e) {
            throw new VaultException("not a recipient public key", e);
        }
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
