package dev.postern.vault;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * An organization's case-log key pair ({@link Hpke}'s suite). Anyone who has the public half (intake,
 * the CLI, every colleague's service) can append an entry; only the holders of the private half,
 * the organization's administrators, can read the log. This object is the private half, opened in
 * an administrator's desk request and dropped with it.
 *
 * <p>Security guarantees: an entry is bound to its organization and sequence number (HPKE context
 * info), so an entry moved to another organization or position does not open. A wrap of the private
 * half is bound to the organization and the administrator.
 *
 * <p>WARNING: the public half is stored in the database; pin it ({@link RecipientKeyPins} with
 * {@link #pinId}) and check the pin before every {@link #seal}, or someone who can write to the
 * database swaps in a key of their own and reads every later entry. Never persist the private half
 * unwrapped.
 */
public final class CaseLogKey {
    private final KeysetHandle privateKeyset;
    private final HybridDecrypt decrypt;

    private CaseLogKey(KeysetHandle privateKeyset) {
        this.privateKeyset = privateKeyset;
        this.decrypt = Hpke.decrypter(privateKeyset);
    }

    /** A fresh key pair, made once per organization. */
    public static CaseLogKey generate() {
        return new CaseLogKey(Hpke.newPrivateKeyset());
    }

    /** The id under which the public half is pinned: never a recipient id. */
    public static String pinId(String organizationId) {
        return "case-log:" + organizationId;
    }

    /** The public half, to store beside the organization (Tink binary format, no secrets). */
    public byte[] publicKeyset() {
        return Hpke.publicKeyset(privateKeyset);
    }

    /** Encrypts entry {@code seq} of the organization's log to {@code publicKeyset}. */
    public static byte[] seal(byte[] publicKeyset, byte[] entry, String organizationId, long seq) {
        try {
            return Hpke.encrypter(publicKeyset).encrypt(entry, entryContext(organizationId, seq));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HPKE encryption failed", e);
        }
    }

    /** Opens entry {@code seq} of the organization's log; {@link VaultException} if it is not that entry. */
    public byte[] open(byte[] sealed, String organizationId, long seq) {
        try {
            return decrypt.decrypt(sealed, entryContext(organizationId, seq));
        } catch (GeneralSecurityException e) {
            throw new VaultException("not entry " + seq + " of this organization's case log");
        }
    }

    /** The private half, HPKE-encrypted to an administrator, bound to the organization and the administrator. */
    public byte[] wrapTo(RecipientPublicKey administrator, String organizationId) {
        byte[] serialized;
        try {
            serialized = TinkProtoKeysetFormat.serializeKeyset(privateKeyset, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialize the case-log key", e);
        }
        try {
            return administrator.encrypt(serialized, wrapContext(organizationId, administrator.recipientId()));
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    public static CaseLogKey unwrap(RecipientPrivateKey administrator, byte[] wrapped, String organizationId) {
        byte[] serialized = administrator.decrypt(wrapped, wrapContext(organizationId, administrator.recipientId()));
        try {
            return new CaseLogKey(TinkProtoKeysetFormat.parseKeyset(serialized, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException e) {
            throw new VaultException("not a case-log key", e);
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    private static byte[] entryContext(String organizationId, long seq) {
        return ("postern/v1/case-log/" + organizationId + "/" + seq).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] wrapContext(String organizationId, String recipientId) {
        return ("postern/v1/org-key/" + organizationId + "/case-log/recipient/" + recipientId)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CaseLogKey[REDACTED]";
    }
}
