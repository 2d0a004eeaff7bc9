package dev.postern.vault;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * An organization's data key: a Tink AEAD keyset (AES-256-GCM) under which the organization's own
 * case vocabulary is sealed: status and label names, message templates. Every active colleague
 * holds it, HPKE-wrapped to their public key ({@code org_key_wrap}, purpose {@code DATA}).
 *
 * <p>Security guarantees: confidentiality and integrity of each sealed object; the organization,
 * the kind and the object id are the associated data, so a ciphertext moved to another row, kind
 * or organization fails to open. A wrap is bound to the organization and the recipient.
 *
 * <p>WARNING: report content never goes under this key (it is the report key's, so that access
 * stays per report). Never persist it unwrapped.
 */
public final class OrgDataKey {
    private final KeysetHandle keyset;
    private final Aead aead;

    private OrgDataKey(KeysetHandle keyset) {
        this.keyset = keyset;
        try {
            this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an AEAD keyset", e);
        }
    }

    /** A fresh random key, made once per organization. */
    public static OrgDataKey generate() {
        Crypto.init();
        try {
            return new OrgDataKey(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the organization data key", e);
        }
    }

    /** Seals a small object of the organization ({@code kind}: label, status, template, ...). */
    public byte[] seal(byte[] plaintext, String organizationId, String kind, String objectId) {
        try {
            return aead.encrypt(plaintext, associatedData(organizationId, kind, objectId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public byte[] seal(String plaintext, String organizationId, String kind, String objectId) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8), organizationId, kind, objectId);
    }

    /** Opens what {@link #seal} made for the same organization, kind and id; {@link VaultException} otherwise. */
    public byte[] open(byte[] ciphertext, String organizationId, String kind, String objectId) {
        try {
            return aead.decrypt(ciphertext, associatedData(organizationId, kind, objectId));
        } catch (GeneralSecurityException e) {
            throw new VaultException("organization object does not decrypt as " + kind);
        }
    }

    public String openString(byte[] ciphertext, String organizationId, String kind, String objectId) {
        return new String(open(ciphertext, organizationId, kind, objectId), StandardCharsets.UTF_8);
    }

    /** This key, HPKE-encrypted to a colleague, bound to the organization and the colleague. */
    public byte[] wrapTo(RecipientPublicKey recipient, String organizationId) {
        byte[] serialized = serialize();
        try {
            return recipient.encrypt(serialized, contextInfo(organizationId, recipient.recipientId()));
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    public static OrgDataKey unwrap(RecipientPrivateKey recipient, byte[] wrapped, String organizationId) {
        byte[] serialized = recipient.decrypt(wrapped, contextInfo(organizationId, recipient.recipientId()));
        try {
            return new OrgDataKey(TinkProtoKeysetFormat.parseKeyset(serialized, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException e) {
            throw new VaultException("not an organization data key", e);
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    private byte[] serialize() {
        try {
            return TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialize the organization data key", e);
        }
    }

    private static byte[] contextInfo(String organizationId, String recipientId) {
        return ("postern/v1/org-key/" + organizationId + "/data/recipient/" + recipientId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(String organizationId, String kind, String objectId) {
        if (organizationId.contains("/") || kind.contains("/") || objectId.contains("/")) {
            throw new IllegalArgumentException("ids cannot contain '/'");
        }
        return ("postern/v1/org/" + organizationId + "/" + kind + "/" + objectId).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OrgDataKey[REDACTED]";
    }
}
