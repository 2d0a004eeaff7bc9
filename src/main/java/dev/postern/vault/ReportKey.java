package dev.postern.vault;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The data key of one report: a Tink streaming AEAD keyset (AES-256-GCM-HKDF, 64 KiB segments).
 * Every object of the report (answers, messages, file names, file contents) is encrypted under a
 * per-object key that Tink derives from it with HKDF and a random salt.
 *
 * <p>Security guarantees: confidentiality and integrity of each object, segment by segment, so
 * files of any size stream with constant memory; the object's {@link ObjectRef} is the associated
 * data, so a blob moved to another object or report, truncated, reordered or altered fails to
 * decrypt.
 *
 * <p>WARNING: a decrypting stream reports tampering only when the tampered segment is read: never
 * act on a partially read plaintext as if it were complete. Never persist a report key unwrapped;
 * use {@link #wrapTo} or {@link ReceiptSecrets#wrap}.
 */
public final class ReportKey {
    static final AesGcmHkdfStreamingParameters PARAMETERS;

    static {
        Crypto.init();
        try {
            PARAMETERS = AesGcmHkdfStreamingParameters.builder()
                    .setKeySizeBytes(32)
                    .setDerivedAesGcmKeySizeBytes(32)
                    .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                    // 64 KiB: JIT-friendly (the GCM path warms up within ~256 MiB) and 0.04% overhead.
                    .setCiphertextSegmentSizeBytes(64 * 1024)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle keyset;
    private final StreamingAead streamingAead;

    private ReportKey(KeysetHandle keyset) {
        this.keyset = keyset;
        try {
            this.streamingAead = keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a streaming AEAD keyset", e);
        }
    }

    /** A fresh random report key. */
    public static ReportKey generate() {
        try {
            return new ReportKey(KeysetHandle.generateNew(PARAMETERS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate report key", e);
        }
    }

    /** Wraps {@code out}: what is written is encrypted as {@code ref}; close it to finish. */
    public OutputStream encrypting(OutputStream out, ObjectRef ref) throws IOException {
        try {
            return streamingAead.newEncryptingStream(out, ref.associatedData());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start encryption", e);
        }
    }

    /** Decrypts {@code in}, written as {@code ref}; reading throws IOException on any tampering. */
    public InputStream decrypting(InputStream in, ObjectRef ref) throws IOException {
        try {
            return streamingAead.newDecryptingStream(in, ref.associatedData());
        } catch (GeneralSecurityException e) {
            throw new VaultException("cannot start decryption", e);
        }
    }

    /** Random access to the plaintext of {@code ciphertext}, for HTTP range requests. */
    public SeekableByteChannel decryptingChannel(SeekableByteChannel ciphertext, ObjectRef ref) throws IOException {
        try {
            return streamingAead.newSeekableDecryptingChannel(ciphertext, ref.associatedData());
        } catch (GeneralSecurityException e) {
            throw new VaultException("cannot start decryption", e);
        }
    }

    /** Encrypts a small object held in memory. */
    public byte[] seal(byte[] plaintext, ObjectRef ref) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(plaintext.length + 64);
        try (OutputStream out = encrypting(buffer, ref)) {
            out.write(plaintext);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory encryption failed", e);
        }
        return buffer.toByteArray();
    }

    public byte[] seal(String plaintext, ObjectRef ref) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8), ref);
    }

    /** Decrypts a small object sealed with {@link #seal}; throws {@link VaultException} if altered. */
    public byte[] open(byte[] ciphertext, ObjectRef ref) {
        try (InputStream in = decrypting(new ByteArrayInputStream(ciphertext), ref)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new VaultException("object does not decrypt as " + ref.kind(), e);
        }
    }

    public String openString(byte[] ciphertext, ObjectRef ref) {
        return new String(open(ciphertext, ref), StandardCharsets.UTF_8);
    }

    /** Generation 0 of {@link #wrapTo(RecipientPublicKey, String, int)}: the key made at intake. */
    public byte[] wrapTo(RecipientPublicKey recipient, String reportId) {
        return wrapTo(recipient, reportId, 0);
    }

    /**
     * This key, encrypted to a recipient's public key (HPKE), bound to the report, the recipient and
     * the key generation: a wrap copied to another report, recipient or generation does not open.
     */
    public byte[] wrapTo(RecipientPublicKey recipient, String reportId, int generation) {
        byte[] serialized = serialize();
        try {
            return recipient.encrypt(serialized, contextInfo(reportId, recipient.recipientId(), generation));
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    /** Opens a generation-0 key wrapped with {@link #wrapTo(RecipientPublicKey, String)}. */
    public static ReportKey unwrap(RecipientPrivateKey recipient, byte[] wrapped, String reportId) {
        return unwrap(recipient, wrapped, reportId, 0);
    }

    /** Opens a key wrapped with {@link #wrapTo(RecipientPublicKey, String, int)} for this recipient, report and generation. */
    public static ReportKey unwrap(RecipientPrivateKey recipient, byte[] wrapped, String reportId, int generation) {
        byte[] serialized = recipient.decrypt(wrapped, contextInfo(reportId, recipient.recipientId(), generation));
        try {
            return parse(serialized);
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    /**
     * This key (generation {@code generation} >= 1), encrypted to the report's source public key
     * ({@link SourceKeyPair}): generation 0 is the source's under the receipt.
     */
    public byte[] wrapToSource(RecipientPublicKey source, String reportId, int generation) {
        byte[] serialized = serialize();
        try {
            return source.encrypt(serialized, sourceContextInfo(reportId, generation));
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    /** Opens a key wrapped with {@link #wrapToSource}. */
    public static ReportKey unwrapAsSource(RecipientPrivateKey source, byte[] wrapped, String reportId, int generation) {
        byte[] serialized = source.decrypt(wrapped, sourceContextInfo(reportId, generation));
        try {
            return parse(serialized);
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    static byte[] sourceContextInfo(String reportId, int generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("generation 0 is the source's under the receipt");
        }
        return ("postern/v1/report-key/" + reportId + "/source/generation/" + generation)
                .getBytes(StandardCharsets.UTF_8);
    }

    byte[] serialize() {
        try {
            return TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialize report key", e);
        }
    }

    static ReportKey parse(byte[] serialized) {
        try {
            return new ReportKey(TinkProtoKeysetFormat.parseKeyset(serialized, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException e) {
            throw new VaultException("not a report key", e);
        }
    }

    /**
     * Generation 0 keeps the context of the wraps made before generations existed, so they still
     * open; every later generation names itself.
     */
    static byte[] contextInfo(String reportId, String recipientId, int generation) {
        if (generation < 0) {
            throw new IllegalArgumentException("negative key generation");
        }
        String base = "postern/v1/report-key/" + reportId + "/recipient/" + recipientId;
        return (generation == 0 ? base : base + "/generation/" + generation).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReportKey[REDACTED]";
    }
}
