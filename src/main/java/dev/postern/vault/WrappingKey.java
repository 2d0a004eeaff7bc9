package dev.postern.vault;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * An AES-256-GCM key derived from a high-entropy secret (an Argon2id output), used only to wrap
 * other keys: a recipient's private keyset and TOTP secret, or a report key under a receipt.
 *
 * <p>Security guarantees: IND-CCA2 and integrity of what it wraps; associated data binds a wrapped
 * key to its owner, so a wrapped key copied to another row does not unwrap.
 *
 * <p>WARNING: derive it only from Argon2id output or another uniformly random secret, never from
 * a password directly.
 */
public final class WrappingKey {
    private final Aead aead;

    private WrappingKey(Aead aead) {
        this.aead = aead;
    }

    /**
     * Expands {@code secret} with HKDF-SHA256 under {@code purpose} into an AES-256-GCM key. Distinct
     * purposes give independent keys from one secret.
     */
    static WrappingKey derive(byte[] secret, String purpose) {
        Crypto.init();
        byte[] keyBytes = hkdf(secret, purpose);
        try {
            AesGcmKey key = AesGcmKey.builder()
                    .setParameters(AesGcmParameters.builder()
                            .setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                            .setVariant(AesGcmParameters.Variant.NO_PREFIX).build())
                    .setKeyBytes(SecretBytes.copyFrom(keyBytes, InsecureSecretKeyAccess.get()))
                    .build();
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary())
                    .build();
            return new WrappingKey(handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build AES-GCM key", e);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    /** HKDF-SHA256 of {@code secret} with a fixed salt and {@code purpose} as info, 32 bytes. */
    static byte[] hkdf(byte[] secret, String purpose) {
        try {
            return Hkdf.computeHkdf("HMACSHA256", secret, "postern-hkdf-v1".getBytes(StandardCharsets.UTF_8),
                    purpose.getBytes(StandardCharsets.UTF_8), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF unavailable", e);
        }
    }

    Aead aead() {
        return aead;
    }

    byte[] wrap(byte[] plaintext, byte[] associatedData) {
        try {
            return aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    byte[] unwrap(byte[] ciphertext, byte[] associatedData) {
        try {
            return aead.decrypt(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new VaultException("wrapped key does not open with this secret");
        }
    }
}
