package dev.postern.store;

/** A report row: everything readable about it is ciphertext. */
public record StoredReport(String id, String organizationId, ReportStatus status, long createdHour,
                           long sourceActivityHour, byte[] answers, byte[] receiptWrappedKey) {
}
