package dev.postern.store;

import java.util.Map;

/**
 * A report as a desk session's case index reads it for one recipient: plain columns, ciphertexts
 * it opens itself, and that recipient's wraps of the report key.
 *
 * @param lastSourceMessageSeq the sequence number of the source's newest message, 0 when none:
 *                             within one hour, a follow-up ranks above a report without one
 * @param hasContent           false for a report the source has not filled yet (not listed)
 * @param wraps                this recipient's wrapped keys by generation; empty when not readable
 * @param caseState            the sealed case snapshot, or null when the report has none
 */
public record IndexRow(String id, long seq, ReportStatus status, long createdHour, long sourceActivityHour,
                       long lastSourceMessageSeq, Long ackHour, Long feedbackHour, String designation,
                       byte[] answers, boolean unread, int files, int messages, boolean hasContent,
                       Map<Integer, byte[]> wraps, int caseGeneration, byte[] caseState) {
    public IndexRow {
        wraps = Map.copyOf(wraps);
    }
}
