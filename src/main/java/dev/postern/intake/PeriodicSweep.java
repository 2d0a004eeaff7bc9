package dev.postern.intake;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one cleanup pass every so often on a named virtual thread (a daemon, so it never holds the
 * JVM open) until closed. Only the wait lives here: what is due is decided by the pass itself from
 * the injected {@code Clock}, so tests call the pass directly instead of waiting for this loop.
 */
public final class PeriodicSweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicSweep.class);
    private final Thread thread;

    private PeriodicSweep(Thread thread) {
        this.thread = thread;
    }

    /** Starts running {@code pass} every {@code every}, the first time one period from now. */
    public static PeriodicSweep start(String name, Duration every, Runnable pass) {
        return new PeriodicSweep(Thread.ofVirtual().name(name).start(() -> loop(name, every, pass)));
    }

    private static void loop(String name, Duration every, Runnable pass) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            try {
                pass.run();
            } catch (RuntimeException e) {
                // Class only: a message may carry a receipt or a path; the next pass tries again.
                LOG.error("{} failed: {}", name, e.getClass().getName());
            }
        }
    }

    /** Stops the loop; a pass already running finishes. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
