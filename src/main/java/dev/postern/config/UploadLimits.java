package dev.postern.config;

/**
 * Upload ceilings, checked while the upload streams.
 *
 * @param fileBytes          largest single file
 * @param reportBytes        largest submission (all files of one POST together)
 * @param filesPerSubmission most files in one submission
 * @param diskFloorBytes     free space that uploads never eat into: an upload that would leave less
 *                           free is refused before its body is read
 */
public record UploadLimits(long fileBytes, long reportBytes, int filesPerSubmission, long diskFloorBytes) {
    public static final long GIB = 1024L * 1024 * 1024;
    public static final long DEFAULT_DISK_FLOOR = 2 * GIB;
    public static final UploadLimits DEFAULTS = new UploadLimits(4 * GIB, 16 * GIB, 100, DEFAULT_DISK_FLOOR);

    /** Limits with the default disk floor. */
    public UploadLimits(long fileBytes, long reportBytes, int filesPerSubmission) {
        this(fileBytes, reportBytes, filesPerSubmission, DEFAULT_DISK_FLOOR);
    }


    public UploadLimits {
        if (diskFloorBytes < 0) {
            throw new ConfigException("limits.disk-floor-bytes must not be negative");
        }
        if (fileBytes < 1 || reportBytes < 1 || filesPerSubmission < 1) {
            throw new ConfigException("upload limits must be positive");
        }
        if (fileBytes > reportBytes) {
            throw new ConfigException("limits.file-bytes cannot exceed limits.report-bytes");
        }
    }
}
