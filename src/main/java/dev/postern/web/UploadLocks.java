package dev.postern.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.EndPoint;

/**
 * One writer per resumable upload, in memory (like sessions). A second PATCH while one is active
 * and receiving is refused (409). A holder that has received nothing for {@link #STALL} is a Tor
 * circuit that died half-open, which the server would otherwise notice only at its idle timeout:
 * the next request for that upload closes the holder's connection (its read fails, and what it
 * received is kept as after any cut), waits briefly for the holder to let go, and goes on, so a
 * source coming back resumes at once instead of meeting a minute of refusals. The database is the
 * second guard: a piece is recorded only at the offset its writer started from.
 */
final class UploadLocks {
    /** Nothing received for this long: the holder's connection is presumed dead. */
    static final Duration STALL = Duration.ofSeconds(10);
    /** How long a preempting request waits for the stalled holder to record its piece and let go. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(5);
    private final ConcurrentHashMap<String, Lease> holders = new ConcurrentHashMap<>();
    private final Clock clock;

    UploadLocks(Clock clock) {
        this.clock = clock;
    }

    /** One request's hold on an upload. */
    final class Lease implements AutoCloseable {
        private final String uploadId;
        private final EndPoint endPoint;
        private final AtomicLong lastProgressMillis;
        private final CountDownLatch released = new CountDownLatch(1);

        private Lease(String uploadId, EndPoint endPoint) {
            this.uploadId = uploadId;
            this.endPoint = endPoint;
            this.lastProgressMillis = new AtomicLong(clock.millis());
        }

        /** Bytes arrived: the holder is alive. */
        void progressed() {
            lastProgressMillis.set(clock.millis());
        }

        private boolean stalled() {
            return clock.millis() - lastProgressMillis.get() >= STALL.toMillis();
        }

        @Override
        public void close() {
            holders.remove(uploadId, this);
            released.countDown();
        }
    }

    /** The upload's lease, unless another request holds it. */
    Optional<Lease> tryAcquire(String uploadId, EndPoint endPoint) {
        Lease lease = new Lease(uploadId, endPoint);
        return holders.putIfAbsent(uploadId, lease) == null ? Optional.of(lease) : Optional.empty();
    }

    /**
     * When the upload's holder has stalled, closes its connection and waits for it to let go.
     * Returns true when no request holds the upload any more (or none did).
     */
    boolean preemptIfStalled(String uploadId) {
        return preempt(uploadId, true);
    }

    /**
     * Cuts the holder whatever it is doing (the source cancels the upload it is sending) and waits
     * briefly for its release; true when the upload is free.
     */
    boolean preemptAlways(String uploadId) {
        return preempt(uploadId, false);
    }

    private boolean preempt(String uploadId, boolean onlyIfStalled) {
        Lease holder = holders.get(uploadId);
        if (holder == null) {
            return true;
        }
        if (onlyIfStalled && !holder.stalled()) {
            return false;
        }
        if (holder.endPoint != null) {
            holder.endPoint.close();
        }
        try {
            return holder.released.await(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
