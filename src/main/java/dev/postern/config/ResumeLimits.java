package dev.postern.config;

/**
 * How long unfinished work waits for a source on a bad connection, and how much of it one report may
 * hold (issue 7: receipt first, resumable uploads).
 *
 * @param expireHours       an unfinished resumable upload is removed this many hours after its last
 *                          recorded progress (rounded up to the next whole hour)
 * @param emptyReportHours  a report with neither text nor files is deleted this many hours after
 *                          it was started (it was never shown to recipients)
 * @param checkpointSeconds inside one long PATCH, the bytes received are sealed and recorded at
 *                          least this often, so a crash loses at most this much of it
 * @param openPerReport     most unfinished resumable uploads one report may have at once
 * @param finishers         uploads turned into evidence at once (each is a read, decrypt,
 *                          encrypt and write of the whole file when it came in several pieces)
 */
public record ResumeLimits(int expireHours, int emptyReportHours, int checkpointSeconds, int openPerReport,
                           int finishers) {
    public static final ResumeLimits DEFAULTS = new ResumeLimits(24, 24, 30, 16, 2);

    public ResumeLimits {
        Range.check("uploads.expire-hours", expireHours, 1, 24 * 365);
        Range.check("uploads.empty-report-hours", emptyReportHours, 1, 24 * 365);
        Range.check("uploads.checkpoint-seconds", checkpointSeconds, 1, 3600);
        Range.check("uploads.open-per-report", openPerReport, 1, 10_000);
        Range.check("uploads.finishers", finishers, 1, 256);
    }
}
