package dev.postern.sanitize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;

/**
 * Makes publishable copies of evidence files: the one entry point used by the CLI and, later, by
 * the web desk.
 *
 * <p>Every file is detected by content, cleaned by the cleaner for its family, re-detected (the copy
 * must still be the same format) and hashed. A file that cannot be cleaned is reported as
 * {@link SanitizeReport.Status#NOT_SANITIZED} and no copy is produced: nothing is ever passed
 * through as if clean.
 *
 * <p><b>Where bytes go.</b> Media tools (ffmpeg) and random-access parsers (PDF, ZIP) need real
 * files, so every entry point works in a scratch directory that is created inside a directory the
 * caller chooses and deleted before returning. The CLI uses the system temporary directory; the web
 * desk, which must never write decrypted evidence to persistent disk, must pass a directory on a
 * RAM-backed file system it controls (for example a private directory under {@code /dev/shm}) to
 * {@link #sanitize(InputStream, String, OutputStream, SanitizeOptions, Path)}.
 */
public final class Sanitizer {

    static {
        // ImageIO's default disk cache copies whole images (a PDF's embedded JPEG, for one) into
        // java.io.tmpdir: off before any cleaner can decode, in every JVM that builds a sanitizer.
        ImageIO.setUseCache(false);
    }

    private final FormatSniffer sniffer;
    private final Map<EvidenceFormat.Family, FormatCleaner> cleaners;

    /** Wires a sanitizer from a sniffer and one cleaner per family (families without one are refused). */
    public Sanitizer(FormatSniffer sniffer, Map<EvidenceFormat.Family, FormatCleaner> cleaners) {
        this.sniffer = sniffer;
        this.cleaners = new EnumMap<>(cleaners);
    }

    /** A sanitizer with every cleaner this package ships. */
    public static Sanitizer withDefaultCleaners() {
        return new Sanitizer(new FormatSniffer(), DefaultCleaners.all());
    }

    /**
     * Cleans {@code in} into {@code out}. Intermediate files live in a private directory under the
     * JVM's temporary directory and are deleted before this returns.
     *
     * @param out where the copy goes; {@code null} for a dry run that writes nothing and only reports
     */
    public SanitizeReport sanitize(Path in, Path out, SanitizeOptions options) throws IOException {
        try (ScratchDir scratch = ScratchDir.inSystemTemp()) {
            return sanitize(in, out, options, scratch.path());
        }
    }

    /**
     * Cleans {@code in} into {@code out}, using {@code workDir} (which must exist and which the caller
     * controls) for intermediate files; a private sub-directory is created there and removed again.
     *
     * @param out where the copy goes; {@code null} for a dry run
     */
    public SanitizeReport sanitize(Path in, Path out, SanitizeOptions options, Path workDir) throws IOException {
        if (out != null && Files.exists(out) && Files.isSameFile(in, out)) {
            throw new IOException("refusing to overwrite the original with its copy");
        }
        try (ScratchDir scratch = ScratchDir.in(workDir)) {
            Path copy = scratch.path().resolve("copy");
            CleaningJob.ArchiveBudget budget = new CleaningJob.ArchiveBudget(options.limits());
            SanitizeReport report = clean(in, displayName(in), copy, options, scratch.path(), 0, budget);
            if (report.sanitized() && out != null) {
                Files.move(copy, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return report;
        }
    }

    /**
     * Cleans a stream into a stream, for callers that hold evidence in memory (the web desk).
     *
     * <p>The input is copied into a private scratch directory inside {@code workDir} because media
     * tools and PDF/ZIP parsers need files; <b>the caller must therefore pass a directory whose
     * contents it accepts to hold plaintext briefly</b> — for decrypted evidence, a RAM-backed
     * directory (tmpfs such as {@code /dev/shm}), never persistent disk. Everything written there is
     * deleted before this method returns, whatever the outcome. The copy is written to {@code out}
     * only when the report says {@link SanitizeReport.Status#SANITIZED}; otherwise nothing is written.
     *
     * @param name a display name for the report (a file name, not a path)
     */
    public SanitizeReport sanitize(InputStream in, String name, OutputStream out, SanitizeOptions options,
                                   Path workDir) throws IOException {
        try (ScratchDir scratch = ScratchDir.in(workDir)) {
            Path original = scratch.path().resolve("original");
            Path copy = scratch.path().resolve("copy");
            copyBounded(in, original, options.limits().maxInputBytes());
            CleaningJob.ArchiveBudget budget = new CleaningJob.ArchiveBudget(options.limits());
            SanitizeReport report = clean(original, name, copy, options, scratch.path(), 0, budget);
            if (report.sanitized()) {
                Files.copy(copy, out);
            }
            return report;
        }
    }

    private static void copyBounded(InputStream in, Path to, long max) throws IOException {
        try (OutputStream o = Files.newOutputStream(to)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > max) {
                    throw new IOException("input larger than the limit of " + max + " bytes");
                }
                o.write(buf, 0, n);
            }
        }
    }

    private SanitizeReport clean(Path in, String name, Path out, SanitizeOptions options, Path scratchParent,
                                 int depth, CleaningJob.ArchiveBudget budget) throws IOException {
        String shaIn = Sha256.of(in);
        Path jobDir = scratchParent.resolve("job" + depth + "-" + System.nanoTime());
        // Manual mask coordinates describe the file the caller gave, not the pictures inside it.
        SanitizeOptions memberOptions = options.withMasks(List.of());
        CleaningJob job = new CleaningJob(options, jobDir, depth, budget,
                (memberIn, memberName, memberOut, parent) -> clean(memberIn, memberName, memberOut, memberOptions,
                        parent.scratch(), parent.depth() + 1, budget));
        try {
            if (Files.size(in) > options.limits().maxInputBytes()) {
                return SanitizeReport.refused(name, "?", "file larger than the limit", shaIn, job.findings());
            }
            DetectedFormat detected = sniffer.detect(in);
            EvidenceFormat format = detected.format();
            FormatCleaner cleaner = cleaners.get(format.family());
            if (cleaner == null) {
                String why = format.family() == EvidenceFormat.Family.UNSUPPORTED ? detected.note()
                        : format + " is not supported by this build";
                return SanitizeReport.refused(name, format.name(), why, shaIn, job.findings());
            }
            warnAboutUnusedOptions(format, options, job.findings());
            try {
                runWithTimeout(() -> {
                    cleaner.clean(in, out, format, job);
                    return null;
                }, options);
                EvidenceFormat after = sniffer.detect(out).format();
                if (after != format && !(format == EvidenceFormat.HTML && after == EvidenceFormat.TEXT)) {
                    throw new CannotSanitizeException("the cleaned copy is no longer a " + format + " file (" + after + ")");
                }
            } catch (CannotSanitizeException e) {
                Files.deleteIfExists(out);
                return SanitizeReport.refused(name, format.name(), e.getMessage(), shaIn, job.findings());
            }
            Findings f = job.findings();
            return new SanitizeReport(name, format.name(), SanitizeReport.Status.SANITIZED, null, f.removed(),
                    f.masks(), f.warnings(), shaIn, Sha256.of(out), f.members());
        } finally {
            ScratchDir.deleteTree(jobDir);
        }
    }

    /** Says so when an option cannot apply to this kind of file, rather than ignoring it silently. */
    private static void warnAboutUnusedOptions(EvidenceFormat format, SanitizeOptions options, Findings f) {
        EvidenceFormat.Family family = format.family();
        boolean pictures = family == EvidenceFormat.Family.IMAGE || family == EvidenceFormat.Family.MEDIA;
        if (!options.masks().isEmpty() && !pictures) {
            f.warn("--mask applies to images and video only: nothing was masked in this " + format);
        }
        if (options.maskFaces() && !pictures && family != EvidenceFormat.Family.OFFICE
                && family != EvidenceFormat.Family.ARCHIVE) {
            f.warn("--mask-faces applies to images and video only (and to pictures inside documents and"
                    + " archives): nothing was masked in this " + format);
        }
        if (options.voice() != VoiceMode.KEEP && family != EvidenceFormat.Family.MEDIA
                && family != EvidenceFormat.Family.ARCHIVE) {
            f.warn("--voice applies to audio and video only");
        }
        if (options.rasterize() && format != EvidenceFormat.PDF && family != EvidenceFormat.Family.ARCHIVE) {
            f.warn("--rasterize applies to PDF only");
        }
    }

    /** A unit of cleaning work that may throw the checked exceptions cleaners throw. */
    private interface CleaningWork {
        Void run() throws IOException, CannotSanitizeException;
    }

    /**
     * Runs the cleaner in its own thread so that a parser stuck on a hostile file is abandoned after
     * the time limit (media tools are separate processes and are killed by their own timeout).
     */
    private static void runWithTimeout(CleaningWork work, SanitizeOptions options)
            throws IOException, CannotSanitizeException {
        FutureTask<Void> task = new FutureTask<>(() -> work.run());
        Thread t = new Thread(task, "sanitize-worker");
        t.setDaemon(true);
        t.start();
        try {
            awaitTask(task, options.limits().timeout().toMillis());
        } catch (TimeoutException e) {
            t.interrupt();
            throw new CannotSanitizeException("took longer than the time limit of " + options.limits().timeout()
                    + ": the file may be hostile or too large");
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CannotSanitizeException cse) throw cse;
            if (c instanceof OutOfMemoryError) {
                throw new CannotSanitizeException("the file needs more memory than allowed to decode: possible decompression bomb");
            }
            if (c instanceof StackOverflowError) {
                throw new CannotSanitizeException("the file nests too deeply to parse safely");
            }
            // Parsers throw many unchecked exceptions on malformed input: all mean "cannot clean".
            throw new CannotSanitizeException("malformed or unreadable " + describe(c), c);
        }
    }

    private static void awaitTask(Future<Void> task, long millis)
            throws InterruptedException, ExecutionException, TimeoutException {
        task.get(millis, TimeUnit.MILLISECONDS);
    }

    private static String describe(Throwable c) {
        String msg = c.getMessage();
        String kind = c.getClass().getSimpleName();
        return msg == null ? "file (" + kind + ")" : "file (" + kind + ": " + truncate(msg) + ")";
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    private static String displayName(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }
}
