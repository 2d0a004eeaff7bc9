package dev.postern.sanitize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The context of cleaning one file: the caller's options, where to record findings, a private
 * scratch directory inside the caller's work directory, and the archive budget shared by every
 * level of nesting (so a zip of zips cannot multiply the limits).
 */
public final class CleaningJob {
    private final SanitizeOptions options;
    private final Findings findings = new Findings();
    private final Path scratch;
    private final int depth;
    private final ArchiveBudget budget;
    private final MemberSanitizer members;
    private final AtomicInteger counter = new AtomicInteger();

    /** Sanitizes a member of an archive with the same options, one level deeper. */
    @FunctionalInterface
    public interface MemberSanitizer {
        SanitizeReport sanitize(Path in, String name, Path out, CleaningJob parent) throws IOException;
    }

    /** Members and expanded bytes left for the whole tree of archives. */
    public static final class ArchiveBudget {
        private final AtomicInteger membersLeft;
        private final AtomicLong bytesLeft;

        public ArchiveBudget(SanitizeLimits limits) {
            membersLeft = new AtomicInteger(limits.maxArchiveMembers());
            bytesLeft = new AtomicLong(limits.maxArchiveExpandedBytes());
        }

        /** Takes one member from the budget, or fails with the reason. */
        public void takeMember() throws CannotSanitizeException {
            if (membersLeft.decrementAndGet() < 0) {
                throw new CannotSanitizeException("archive has too many members (limit reached): possible zip bomb");
            }
        }

        /** Takes expanded bytes from the budget, or fails with the reason. */
        public void takeBytes(long n) throws CannotSanitizeException {
            if (bytesLeft.addAndGet(-n) < 0) {
                throw new CannotSanitizeException("archive expands beyond the size limit: possible zip bomb");
            }
        }
    }

    CleaningJob(SanitizeOptions options, Path scratch, int depth, ArchiveBudget budget, MemberSanitizer members) {
        this.options = options;
        this.scratch = scratch;
        this.depth = depth;
        this.budget = budget;
        this.members = members;
    }

    public SanitizeOptions options() {
        return options;
    }

    public SanitizeLimits limits() {
        return options.limits();
    }

    public Findings findings() {
        return findings;
    }

    /** Nesting level: 0 for the file the caller gave, 1 for a member of an archive, and so on. */
    public int depth() {
        return depth;
    }

    public ArchiveBudget budget() {
        return budget;
    }

    /** A fresh path in this job's scratch directory; the directory is deleted when the job ends. */
    public Path tempFile(String suffix) throws IOException {
        Files.createDirectories(scratch);
        return scratch.resolve("t" + counter.incrementAndGet() + (suffix.startsWith(".") ? suffix : "." + suffix));
    }

    /** Scratch directory of this job (created on demand). */
    public Path scratch() throws IOException {
        return Files.createDirectories(scratch);
    }

    /** Sanitizes an archive member recursively, returning its own report. */
    public SanitizeReport sanitizeMember(Path in, String name, Path out) throws IOException {
        return members.sanitize(in, name, out, this);
    }
}
