package dev.postern.desk;

import dev.postern.store.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access changes over many reports (a backlog grant, revoking everything a disabled colleague
 * held), each on its own virtual thread, with progress counters for the job page. A job works in
 * batches, one transaction each, and every step is idempotent: a job cut short (a restart) is
 * simply started again and carries on where the database says it stopped.
 */
public final class AccessJobs {
    private static final Logger LOG = LoggerFactory.getLogger(AccessJobs.class);
    /** Reports per batch (one transaction each). */
    public static final int BATCH = 200;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    /** What a job does. */
    public enum Kind { BACKLOG_GRANT, REVOKE_ALL }

    /** Where a job is. */
    public enum State { RUNNING, DONE, FAILED }

    /** One batch of report ids; returns how many of them it skipped. */
    @FunctionalInterface
    interface Batch {
        int run(List<String> reportIds) throws Exception;
    }

    /** A running or finished job, seen by the recipient who started it. */
    public static final class Job {
        private final String id = Ids.newId();
        private final Kind kind;
        private final String ownerId;
        private final String subjectId;
        private final int total;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private volatile State state = State.RUNNING;
        private final CountDownLatch ended = new CountDownLatch(1);

        Job(Kind kind, String ownerId, String subjectId, int total) {
            this.kind = kind;
            this.ownerId = ownerId;
            this.subjectId = subjectId;
            this.total = total;
        }

        public String id() {
            return id;
        }

        public Kind kind() {
            return kind;
        }

        /** The colleague the job is about (the grantee, the one revoked). */
        public String subjectId() {
            return subjectId;
        }

        public int total() {
            return total;
        }

        /** Reports processed (skipped ones included). */
        public int done() {
            return done.get();
        }

        /** Reports left as they were (the source left the grantee out, the admin lacks the newest key, the last holder). */
        public int skipped() {
            return skipped.get();
        }

        public State state() {
            return state;
        }

        public boolean running() {
            return state == State.RUNNING;
        }

        /** Waits at most {@code max} for the job to end (done or failed); true when it has. */
        public boolean awaitEnd(Duration max) throws InterruptedException {
            return ended.await(max.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Starts {@code batch} over {@code reportIds} in batches of {@link #BATCH} on a virtual thread. */
    Job start(Kind kind, String ownerId, String subjectId, List<String> reportIds, Batch batch) {
        return start(kind, ownerId, subjectId, reportIds, batch, () -> { });
    }

    /** As above; {@code onFailure} runs when the job stops before its last batch (so it can be taken up again). */
    Job start(Kind kind, String ownerId, String subjectId, List<String> reportIds, Batch batch, Runnable onFailure) {
        Job job = new Job(kind, ownerId, subjectId, reportIds.size());
        jobs.put(job.id, job);
        Thread.ofVirtual().name("access-job-" + kind).start(() -> {
            try {
                for (int from = 0; from < reportIds.size(); from += BATCH) {
                    List<String> slice = reportIds.subList(from, Math.min(reportIds.size(), from + BATCH));
                    job.skipped.addAndGet(batch.run(slice));
                    job.done.addAndGet(slice.size());
                }
                job.state = State.DONE;
            } catch (Exception | Error e) {
                // Class only: the job's reports and people stay out of the log.
                LOG.error("access job {} failed: {}", kind, e.getClass().getName());
                job.state = State.FAILED;
                try {
                    onFailure.run();
                } catch (RuntimeException again) {
                    LOG.error("access job {}: recording its failure failed too: {}", kind, again.getClass().getName());
                }
            }
            job.ended.countDown();
        });
        return job;
    }

    /** Waits at most {@code max} for every job started so far to end; true when all have. */
    public boolean awaitAll(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Job job : List.copyOf(jobs.values())) {
            if (!job.awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** The job, if {@code recipientId} started it (anyone else's is as unknown as a wrong id). */
    public Optional<Job> of(String recipientId, String jobId) {
        Job job = jobId == null ? null : jobs.get(jobId);
        return job != null && job.ownerId.equals(recipientId) ? Optional.of(job) : Optional.empty();
    }
}
