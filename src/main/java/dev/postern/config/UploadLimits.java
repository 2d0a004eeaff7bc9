package dev.postern.config;

/**
 * Upload ceilings, checked while the upload streams.
 *
 * @param fileBytes          largest single file
 * @param reportBytes        largest submission (all files of one POST together)
 * @param filesPerSubmission most files in one submission
 */
public record UploadLimits(long fileBytes, long reportBytes, int filesPerSubmission) {
    public static final long GIB = 1024L * 1024 * 1024;
    public static final UploadLimits DEFAULTS = new UploadLimits(4 * GIB, 16 * GIB, 100);

    public UploadLimits {
        if (fileBytes < 1 || reportBytes < 1 || filesPerSubmission < 1) {
            throw new ConfigException("upload limits must be positive");
        }
        if (fileBytes > reportBytes) {
            throw new ConfigException("limits.file-bytes cannot exceed limits.report-bytes");
        }
    }
}
