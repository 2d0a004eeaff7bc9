package dev.postern.vault;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a receipt opens: Argon2id(receipt, instance salt) expanded with HKDF into a lookup id (stored,
 * to find the report) and a wrapping key (never stored) under which the report key is kept for the
 * source.
 *
 * <p>Security guarantees: the lookup id and the wrapping key are independent HKDF outputs, so the
 * stored lookup id does not help to unwrap; each receipt guess costs one Argon2id evaluation. The
 * Argon2id parameters are stored per report, so raising the default later never breaks an old
 * receipt.
 *
 * <p>The {@link #tag receipt tag} is a 32-bit HMAC-SHA256 of the receipt under an instance key. It
 * lets the server refuse a receipt that matches no report for the price of one HMAC, before any
 * Argon2id or budget is spent. WARNING: it is a filter, not a secret: with the database and the
 * tag key, an offline attacker still enumerates 2^83 receipts (each tag matches 2^51 of them), and
 * every candidate still costs one Argon2id evaluation.
 */
public final class ReceiptSecrets {
    private final String lookupId;
    private final WrappingKey wrappingKey;
    /** Wraps the report's source private key (decision 0005, section 2.2); independent of {@link #wrappingKey}. */
    private final WrappingKey sourceKeyWrap;

    private ReceiptSecrets(String lookupId, WrappingKey wrappingKey, WrappingKey sourceKeyWrap) {
        this.lookupId = lookupId;
        this.wrappingKey = wrappingKey;
        this.sourceKeyWrap = sourceKeyWrap;
    }

    /** Bytes of the receipt tag: 2^32 values, so a random guess matches one of N reports with odds N/2^32. */
    public static final int TAG_BYTES = 4;

    /** Derives with the default cost, as work nobody abandons (tests, tools). */
    public static ReceiptSecrets derive(Receipt receipt, byte[] instanceSalt) {
        return derive(receipt, instanceSalt, Argon2Params.DEFAULT, Argon2id.Caller.LOCAL);
    }

    /**
     * Derives the lookup id and wrapping key of {@code receipt} with the cost recorded for its report.
     *
     * @throws Argon2Refused when the caller's Argon2id lane is full or the caller has gone
     */
    public static ReceiptSecrets derive(Receipt receipt, byte[] instanceSalt, Argon2Params params,
                                        Argon2id.Caller caller) {
        byte[] secret = receipt.canonicalBytes();
        byte[] stretched;
        try {
            stretched = Argon2id.derive(secret, instanceSalt, params, caller);
        } catch (RuntimeException e) {
            Arrays.fill(secret, (byte) 0);
            throw e;
        }
        try {
            String lookup = HexFormat.of().formatHex(WrappingKey.hkdf(stretched, "postern/v1/receipt-lookup"));
            // Both wrapping keys come from the one Argon2id output, which is not kept.
            return new ReceiptSecrets(lookup, WrappingKey.derive(stretched, "postern/v1/receipt-wrap"),
                    WrappingKey.derive(stretched, "postern/v1/receipt-source-key"));
        } finally {
            Arrays.fill(stretched, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The receipt's tag: the first {@value #TAG_BYTES} bytes of HMAC-SHA256(tagKey, receipt digits),
     * in hex. Stored with the report; costs one HMAC to compute.
     */
    public static String tag(Receipt receipt, byte[] tagKey) {
        byte[] secret = receipt.canonicalBytes();
        try {
            byte[] mac = Crypto.hmacSha256(tagKey, "postern/v1/receipt-tag/".getBytes(StandardCharsets.UTF_8), secret);
            return HexFormat.of().formatHex(Arrays.copyOf(mac, TAG_BYTES));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Stored with the report; finds it again from the receipt. */
    public String lookupId() {
        return lookupId;
    }

    public byte[] wrap(ReportKey key, String reportId) {
        byte[] serialized = key.serialize();
        try {
            return wrappingKey.wrap(serialized, binding(reportId));
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    /** @throws VaultException when the wrapped key was not made with this receipt for this report */
    public ReportKey unwrap(byte[] wrapped, String reportId) {
        byte[] serialized = wrappingKey.unwrap(wrapped, binding(reportId));
        try {
            return ReportKey.parse(serialized);
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    /** The source key pair's private half, encrypted under the receipt, bound to the report. */
    public byte[] wrapSourcePrivate(SourceKeyPair pair) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(pair.privateKeyset(), sourceKeyWrap.aead(),
                    sourceBinding(pair.reportId()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap the source private key", e);
        }
    }

    /**
     * Opens the source key pair wrapped with {@link #wrapSourcePrivate}, and checks that the stored
     * public key is its public half (constant time): a public key swapped in the database would
     * otherwise receive the next generations.
     *
     * @throws VaultException when it was not wrapped with this receipt for this report, or the
     *                        public key is not its own
     */
    public SourceKeyPair unwrapSourcePrivate(byte[] wrapped, String reportId, byte[] storedPublicKeyset) {
        KeysetHandle privateKeyset;
        try {
            privateKeyset = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, sourceKeyWrap.aead(),
                    sourceBinding(reportId));
        } catch (GeneralSecurityException e) {
            throw new VaultException("source key does not open", e);
        }
        if (storedPublicKeyset == null || !MessageDigest.isEqual(Hpke.publicKeyset(privateKeyset), storedPublicKeyset)) {
            throw new VaultException("the stored source public key is not the source's");
        }
        return new SourceKeyPair(reportId, privateKeyset);
    }

    private static byte[] sourceBinding(String reportId) {
        return ("postern/v1/source-key/" + reportId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] binding(String reportId) {
        return ("postern/v1/report-key/" + reportId + "/receipt").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceiptSecrets[REDACTED]";
    }
}
