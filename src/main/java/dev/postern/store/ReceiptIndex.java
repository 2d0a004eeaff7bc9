package dev.postern.store;

import dev.postern.vault.Argon2Params;

/**
 * How a report is found again from its receipt: the lookup id (from Argon2id of the receipt), the
 * short receipt tag (an HMAC of the receipt, null for reports older than tags) and the Argon2id
 * cost the receipt was stretched with.
 */
public record ReceiptIndex(String lookup, String tag, Argon2Params params) {
}
