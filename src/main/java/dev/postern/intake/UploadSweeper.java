package dev.postern.intake;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes unfinished resumable uploads past their expiry (their pieces are deleted, the row becomes
 * a tombstone that answers "gone") and deletes tombstones a day later. Runs on a virtual thread
 * every few minutes; what is expired is decided by the service's {@code Clock}, so tests call
 * {@link ResumableUploads#sweep} after moving a {@code MutableClock}.
 */
public final class UploadSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);
    /** How often the sweep runs: expiry is in whole hours, so minutes late is never late. */
    public static final Duration EVERY = Duration.ofMinutes(10);
    private final ResumableUploads uploads;
    private final Duration every;
    private PeriodicSweep sweep;

    public UploadSweeper(ResumableUploads uploads) {
        this(uploads, EVERY);
    }

    public UploadSweeper(ResumableUploads uploads, Duration every) {
        this.uploads = uploads;
        this.every = every;
    }

    public synchronized UploadSweeper start() {
        if (sweep == null) {
            sweep = PeriodicSweep.start("upload-sweeper", every, this::sweepOnce);
        }
        return this;
    }

    private void sweepOnce() {
        int expired = uploads.sweep();
        if (expired > 0) {
            LOG.info("removed {} expired unfinished upload(s)", expired);
        }
    }

    @Override
    public synchronized void close() {
        if (sweep != null) {
            sweep.close();
            sweep = null;
        }
    }
}
