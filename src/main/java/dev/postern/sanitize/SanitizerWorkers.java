package dev.postern.sanitize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs each sanitized copy in its own worker process, so that the sanitizer's native code (OpenCV,
 * ffmpeg), its decoders and their memory never live in the web server's JVM (decision 0003).
 * This class is all the web side needs: it loads no cleaner, no image decoder and no native code.
 *
 * <p><b>Security guarantees.</b>
 * <ul>
 * <li>Plaintext goes to the worker through its standard input and comes back through a file in a
 *     private (0700) directory that this class creates inside a RAM-backed directory the caller
 *     chooses, and deletes, with everything in it, before returning. That directory is also the
 *     worker's {@code java.io.tmpdir}, {@code TMPDIR} and {@code -XX:ErrorFile} location; heap
 *     dumps are off, so nothing the worker holds reaches persistent disk through the JVM either.</li>
 * <li>Memory: the worker's heap is capped ({@code -Xmx}), JavaCPP's native allocations likewise,
 *     and an OutOfMemoryError ends the worker ({@code -XX:+ExitOnOutOfMemoryError}), never the web
 *     server. The worker refuses pictures whose declared size does not fit its heap.</li>
 * <li>Time: a worker still running at the time limit is killed with its child processes
 *     (ffmpeg); the caller gets a NOT-sanitized report that says so.</li>
 * <li>Concurrency: at most {@code workers} run at once; one more is refused at once
 *     ({@link SanitizerBusyException}), so nothing queues up behind a slow file.</li>
 * <li>The worker's standard output and error are discarded, never logged: libraries may quote
 *     evidence there. The worker never learns the file's name, and inherits only PATH, HOME,
 *     LANG, LC_ALL and USER of the server's environment.</li>
 * </ul>
 *
 * <p><b>WARNING.</b> The RAM-backed directory must really be RAM (tmpfs): this class cannot tell.
 * The desk finds one with {@code RamWorkspace}.
 */
public final class SanitizerWorkers {
    /** The worker's entry point; named, not referenced, so the web side does not load the cleaners. */
    static final String WORKER_MAIN = "dev.postern.sanitize.SanitizeWorker";
    /** The clean copy, in the worker's directory. */
    static final String COPY = "copy";
    /** The report, written last by the worker. */
    static final String REPORT = "report.json";
    /** The JVM's exit code after {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int EXIT_OUT_OF_MEMORY = 3;
    private static final long MAX_REPORT_BYTES = 64L << 20;
    private static final Set<String> INHERITED_ENVIRONMENT = Set.of("PATH", "HOME", "LANG", "LC_ALL", "USER");
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private final Path ramRoot;
    private final int workers;
    private final int memoryMib;
    private final Duration timeout;
    private final String mainClass;
    private final Semaphore permits;
    private volatile Consumer<Path> directoryWatcher = dir -> { };

    /**
     * @param ramRoot   a RAM-backed directory (tmpfs) where each worker gets a private directory
     * @param workers   how many workers may run at once
     * @param memoryMib each worker's heap limit
     * @param timeout   each worker's time limit, input included
     */
    public SanitizerWorkers(Path ramRoot, int workers, int memoryMib, Duration timeout) {
        this(ramRoot, workers, memoryMib, timeout, WORKER_MAIN);
    }

    /** With another worker entry point (tests: a worker that hangs or eats memory). */
    SanitizerWorkers(Path ramRoot, int workers, int memoryMib, Duration timeout, String mainClass) {
        if (workers < 1 || memoryMib < 16 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("workers, memory and timeout must be positive");
        }
        this.ramRoot = ramRoot;
        this.workers = workers;
        this.memoryMib = memoryMib;
        this.timeout = timeout;
        this.mainClass = mainClass;
        this.permits = new Semaphore(workers);
    }

    /** Tests: called with each worker's private directory before the worker starts. */
    void watchDirectories(Consumer<Path> watcher) {
        this.directoryWatcher = watcher;
    }

    /** How many workers run now. */
    public int running() {
        return workers - permits.availablePermits();
    }

    /**
     * Cleans {@code in} in a worker process. The copy is written to {@code out} only when the report
     * says SANITIZED; otherwise nothing is written and the report says why (including "could not
     * sanitize in time" and "needs more memory").
     *
     * @param name the file's display name, put into the report (the worker never sees it)
     * @throws SanitizerBusyException when {@code workers} copies are being made already
     * @throws IOException            when the worker cannot be started or the copy not delivered
     */
    public SanitizeReport sanitize(InputStream in, String name, OutputStream out)
            throws SanitizerBusyException, IOException {
        if (!permits.tryAcquire()) {
            throw new SanitizerBusyException(workers);
        }
        try {
            Path dir = Files.createTempDirectory(ramRoot, "sanitize-worker-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                directoryWatcher.accept(dir);
                return run(in, name, out, dir);
            } finally {
                ScratchDir.deleteTree(dir);
            }
        } finally {
            permits.release();
        }
    }

    /** The worker's command line: nothing on it comes from the evidence. */
    List<String> command(Path dir) {
        long bytes = (long) memoryMib << 20;
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + memoryMib + "m",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:-HeapDumpOnOutOfMemoryError",
                "-XX:ErrorFile=" + dir.resolve("jvm-error-%p.log"),
                // No hsperfdata file in /tmp (the system's, not the worker's, temporary directory).
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + dir,
                "-Djava.awt.headless=true",
                "-Dorg.bytedeco.javacpp.maxBytes=" + bytes,
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=" + 2 * bytes,
                "-cp", System.getProperty("java.class.path"),
                mainClass,
                Long.toString(Math.max(1, timeout.toSeconds())));
    }

    private SanitizeReport run(InputStream in, String name, OutputStream out, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(dir))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // Only what a JVM and ffmpeg need: the server's environment is none of the worker's business.
        Map<String, String> env = pb.environment();
        env.keySet().retainAll(INHERITED_ENVIRONMENT);
        env.put("TMPDIR", dir.toString());
        Process p = pb.start();
        Feeder feeder = new Feeder(in, p);
        Thread feeding = Thread.ofVirtual().name("sanitize-feeder").start(feeder);
        try {
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(p);
                feeding.join(KILL_GRACE);
                return refused(name, feeder, "could not sanitize in time: the worker was stopped after "
                        + timeout.toSeconds() + " seconds (sanitizer.timeout-seconds); the file may be hostile or"
                        + " too large");
            }
            feeding.join(KILL_GRACE);
            if (feeder.inputFailed()) {
                throw new IOException("the evidence could not be read to the end");
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sanitizing", e);
        }
        int exit = p.exitValue();
        Path reportFile = dir.resolve(REPORT);
        if (exit == 0 && Files.isRegularFile(reportFile) && Files.size(reportFile) <= MAX_REPORT_BYTES) {
            SanitizeReport report;
            try {
                report = SanitizeReport.fromJson(Files.readString(reportFile, StandardCharsets.UTF_8)).named(name);
            } catch (IllegalArgumentException e) {
                return refused(name, feeder, "the sanitizer worker returned a report that cannot be read");
            }
            if (report.sanitized()) {
                Files.copy(dir.resolve(COPY), out);
            }
            return report;
        }
        if (exit == EXIT_OUT_OF_MEMORY) {
            return refused(name, feeder, "the file needs more memory than the sanitizer's limit of " + memoryMib
                    + " MiB (sanitizer.memory-mib): possible decompression bomb");
        }
        return refused(name, feeder, "the sanitizer worker failed (exit code " + exit + ") before it could report;"
                + " the file may be malformed or larger than the sanitizer accepts");
    }

    /** Kills the worker and the tools it started (ffmpeg), children first so none is left behind. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SanitizeReport refused(String name, Feeder feeder, String reason) {
        return new SanitizeReport(name, "?", SanitizeReport.Status.NOT_SANITIZED, reason, List.of(), List.of(),
                List.of(), feeder.sha256(), null, List.of());
    }

    /**
     * Copies the evidence into the worker's standard input, hashing it on the way. When the evidence
     * cannot be read (a tampered blob fails to decrypt), the worker is killed before its input ends:
     * it must never clean, and call clean, a truncated file.
     */
    private static final class Feeder implements Runnable {
        private final InputStream in;
        private final Process worker;
        private final MessageDigest sha;
        private volatile String hex;
        private volatile boolean inputFailed;

        Feeder(InputStream in, Process worker) {
            this.in = in;
            this.worker = worker;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void run() {
            OutputStream o = worker.getOutputStream();
            byte[] buf = new byte[1 << 16];
            try {
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        inputFailed = true;
                        kill(worker);
                        return;
                    }
                    if (n < 0) {
                        break;
                    }
                    sha.update(buf, 0, n);
                    o.write(buf, 0, n);
                }
                hex = HexFormat.of().formatHex(sha.digest());
            } catch (IOException e) {
                // The worker stopped reading (it refused the input, failed or was killed): its exit
                // code, not this, says what happened.
            } finally {
                try {
                    o.close();
                } catch (IOException e) {
                    // already gone
                }
            }
        }

        /** The original's SHA-256 when all of it was read, else null. */
        String sha256() {
            return hex;
        }

        boolean inputFailed() {
            return inputFailed;
        }
    }
}
