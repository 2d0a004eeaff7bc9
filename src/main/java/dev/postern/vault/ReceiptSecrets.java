package dev.postern.vault;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a receipt opens: Argon2id(receipt, instance salt) expanded with HKDF into a lookup id (stored,
 * to find the report) and a wrapping key (never stored) under which the report key is kept for the
 * source.
 *
 * <p>Security guarantees: the lookup id and the wrapping key are independent HKDF outputs, so the
 * stored lookup id does not help to unwrap; each receipt guess costs one Argon2id evaluation.
 */
public final class ReceiptSecrets {
    private final String lookupId;
    private final WrappingKey wrappingKey;

    private ReceiptSecrets(String lookupId, WrappingKey wrappingKey) {
        this.lookupId = lookupId;
        this.wrappingKey = wrappingKey;
    }

    public static ReceiptSecrets derive(Receipt receipt, byte[] instanceSalt) {
        byte[] secret = receipt.canonicalBytes();
        byte[] stretched = Argon2id.derive(secret, instanceSalt, Argon2Params.DEFAULT);
        try {
            String lookup = HexFormat.of().formatHex(WrappingKey.hkdf(stretched, "postern/v1/receipt-lookup"));
            return new ReceiptSecrets(lookup, WrappingKey.derive(stretched, "postern/v1/receipt-wrap"));
        } finally {
            Arrays.fill(stretched, (byte) 0);
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

    private static byte[] binding(String reportId) {
        return ("postern/v1/report-key/" + reportId + "/receipt").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceiptSecrets[REDACTED]";
    }
}
