package dev.postern.vault;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Admission to expensive work for one kind of caller: a fixed number of platform threads run it,
 * a short bounded queue holds what waits, and everything else is refused at once.
 *
 * <p>Why bounded: an unbounded queue lets an anonymous client line up hours of work in seconds
 * (300 dropped logins delayed the next report by 85 s). Why per kind of caller: a flood of logins
 * must not delay sources, and a flood of receipts must not lock recipients out. Queued work whose
 * caller has gone (the client closed its connection) is dropped before it runs, and nothing waits
 * in the queue longer than {@code maxWait}.
 */
public final class Argon2Lane {
    /** How often a waiting caller looks whether its client is still there. */
    private static final long POLL_MILLIS = 50;
    private final ThreadPoolExecutor pool;
    private final long maxWaitNanos;
    private final AtomicLong ran = new AtomicLong();

    /**
     * @param concurrency how many evaluations run at once (each holds a core and its memory)
     * @param queue       how many may wait; a full queue refuses at once
     * @param maxWait     longest time a caller waits for its turn before it is refused
     */
    public Argon2Lane(String name, int concurrency, int queue, Duration maxWait) {
        if (concurrency < 1 || queue < 0) {
            throw new IllegalArgumentException("a lane needs at least one thread and a non-negative queue");
        }
        this.maxWaitNanos = maxWait.toNanos();
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
                Thread.ofPlatform().daemon().name("argon2id-" + name + "-", 0).factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on one of the lane's threads and returns its result.
     *
     * @throws Argon2Refused when the lane is full, the wait ran out, or {@code stillWanted} turned
     *                       false before the work started (then it never runs)
     */
    public <T> T run(Callable<T> work, BooleanSupplier stillWanted) {
        if (!stillWanted.getAsBoolean()) {
            throw new Argon2Refused(true);
        }
        // Whoever sets this first decides: the lane's thread (the work runs) or the caller (it never will).
        AtomicBoolean decided = new AtomicBoolean();
        Future<T> result;
        try {
            result = pool.submit(() -> {
                if (!decided.compareAndSet(false, true) || !stillWanted.getAsBoolean()) {
                    throw new Argon2Refused(true);
                }
                ran.incrementAndGet();
                return work.call();
            });
        } catch (RejectedExecutionException full) {
            throw new Argon2Refused(false);
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    boolean gone = !stillWanted.getAsBoolean();
                    if ((gone || System.nanoTime() - deadline > 0) && decided.compareAndSet(false, true)) {
                        // Not started yet: it never will, and its place in the queue is freed now.
                        result.cancel(false);
                        pool.remove((Runnable) result);
                        throw new Argon2Refused(gone);
                    }
                    // Already running: let it finish, the caller's state must not be half made.
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Argon2Refused refused) {
                throw refused;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Argon2id failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many pieces of work have started since the process began (for tests and monitoring). */
    public long ran() {
        return ran.get();
    }

    /** Evaluations running or waiting now (for tests and monitoring). */
    public int load() {
        return pool.getActiveCount() + pool.getQueue().size();
    }
}
