package dev.postern.store;

/**
 * What a report already holds or has been promised, for its per-report limits: committed files
 * plus unfinished resumable uploads (counted at their declared length).
 *
 * @param files files committed or being uploaded
 * @param bytes their sizes (declared lengths for unfinished uploads)
 */
public record ReportUsage(int files, long bytes) {
}
