package dev.postern.desk;

import dev.postern.store.ReportStatus;

/**
 * A line of the desk's report list.
 *
 * @param readable false when the report key was not wrapped to this recipient (added later)
 * @param headline first words of the report, or empty when not readable
 */
public record ReportListItem(String id, ReportStatus status, long createdHour, boolean unread, boolean readable,
                             String headline, int files, int messages) {
    public String shortId() {
        return id.substring(0, 8);
    }
}
