package dev.postern.vault;

import com.google.crypto.tink.KeysetHandle;

/**
 * A report's source key pair (decision 0005, section 2.2), made at intake: every key generation
 * after the first is wrapped to its public half ({@link ReportKey#wrapToSource}), so a source
 * keeps reading and writing a report after a revocation. The private half is kept only wrapped
 * under the receipt ({@link ReceiptSecrets#wrapSourcePrivate}); the public half is pinned like a
 * recipient's, with the holder id {@link #pinId}.
 *
 * <p>Security guarantees: those of the HPKE suite every Postern key pair uses.
 *
 * <p>WARNING: never persist it unwrapped.
 */
public final class SourceKeyPair {
    private final String reportId;
    private final KeysetHandle privateKeyset;

    SourceKeyPair(String reportId, KeysetHandle privateKeyset) {
        this.reportId = reportId;
        this.privateKeyset = privateKeyset;
    }

    public static SourceKeyPair generate(String reportId) {
        return new SourceKeyPair(reportId, Hpke.newPrivateKeyset());
    }

    /** The id under which the source's public key is pinned ({@link RecipientKeyPins}). */
    public static String pinId(String reportId) {
        return "source:" + reportId;
    }

    public String reportId() {
        return reportId;
    }

    KeysetHandle privateKeyset() {
        return privateKeyset;
    }

    /** The public half, as stored in {@code report.source_public_keyset}. */
    public byte[] publicKeyset() {
        return Hpke.publicKeyset(privateKeyset);
    }

    public RecipientPrivateKey privateKey() {
        return new RecipientPrivateKey(pinId(reportId), Hpke.decrypter(privateKeyset));
    }

    /** The public half of a stored source key, to wrap new generations to. */
    public static RecipientPublicKey publicKey(String reportId, byte[] publicKeyset) {
        return RecipientPublicKey.parse(pinId(reportId), publicKeyset);
    }

    @Override
    public String toString() {
        return "SourceKeyPair[REDACTED]";
    }
}
