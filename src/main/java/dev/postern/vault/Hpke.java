package dev.postern.vault;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkeParameters;
import java.security.GeneralSecurityException;

/**
 * Postern's one HPKE suite (RFC 9180): DHKEM X25519 / HKDF-SHA256 / AES-256-GCM, Tink's
 * {@code NO_PREFIX} variant. Every key pair (recipients, the case log, sources) is made here, so
 * they cannot drift apart.
 */
final class Hpke {
    static final HpkeParameters PARAMETERS;

    static {
        Crypto.init();
        try {
            PARAMETERS = HpkeParameters.builder()
                    .setVariant(HpkeParameters.Variant.NO_PREFIX)
                    .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
                    .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
                    .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Hpke() {
    }

    /** A fresh private keyset of the suite. */
    static KeysetHandle newPrivateKeyset() {
        try {
            return KeysetHandle.generateNew(PARAMETERS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate HPKE key pair", e);
        }
    }

    /** The public half of {@code privateKeyset} (Tink binary format, no secrets). */
    static byte[] publicKeyset(KeysetHandle privateKeyset) {
        try {
            return TinkProtoKeysetFormat.serializeKeysetWithoutSecret(privateKeyset.getPublicKeysetHandle());
        } catch (GeneralSecurityException e) {
            throw new VaultException("not an HPKE private keyset", e);
        }
    }

    /** Encryption to a stored public keyset; {@link VaultException} when it is not one. */
    static HybridEncrypt encrypter(byte[] publicKeyset) {
        try {
            KeysetHandle handle = TinkProtoKeysetFormat.parseKeysetWithoutSecret(publicKeyset);
            return handle.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
        } catch (GeneralSecurityException e) {
            throw new VaultException("not an HPKE public key", e);
        }
    }

    static HybridDecrypt decrypter(KeysetHandle privateKeyset) {
        try {
            return privateKeyset.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
        } catch (GeneralSecurityException e) {
            throw new VaultException("not an HPKE private keyset", e);
        }
    }
}
