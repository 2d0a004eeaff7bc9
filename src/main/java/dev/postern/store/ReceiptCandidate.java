package dev.postern.store;

/** A report whose receipt tag matches a typed receipt, with what is needed to check it fully. */
public record ReceiptCandidate(StoredReport report, ReceiptIndex index) {
}
