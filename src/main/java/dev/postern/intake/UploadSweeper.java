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
    private Thread thread;

    public UploadSweeper(ResumableUploads uploads) {
        this(uploads, EVERY);
    }

    public UploadSweeper(ResumableUploads uploads, Duration every) {
        this.uploads = uploads;
        this.every = every;
    }

    public synchronized UploadSweeper start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("upload-sweeper").start(this::loop);
        }
        return this;
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            try {
                int expired = uploads.sweep();
                if (expired > 0) {
                    LOG.info("removed {} expired unfinished upload(s)", expired);
                }
            } catch (RuntimeException e) {
                LOG.error("the upload sweep failed: {}", e.getClass().getName());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
