package dev.postern.desk;

import dev.postern.domain.StatusNames;
import dev.postern.store.ReportStatus;

/**
 * One of the organization's statuses, its names opened with the organization's data key.
 *
 * @param parentId the status a sub-status belongs to, or null for a top-level status
 * @param phase    the coarse phase the status stands for ({@code report.status})
 * @param retired  no longer offered; still named in the history of reports that had it
 */
public record OrgStatus(String id, String parentId, ReportStatus phase, int position, StatusNames names,
                        boolean retired) {
    public boolean isSubStatus() {
        return parentId != null;
    }
}
