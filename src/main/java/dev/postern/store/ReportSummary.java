package dev.postern.store;

/**
 * A report as the desk list shows it to one recipient.
 *
 * @param wrappedKey the report key wrapped to that recipient, or null when it was not (a recipient
 *                   added after the report arrived)
 */
public record ReportSummary(StoredReport report, boolean unread, byte[] wrappedKey, int files, int messages) {
}
