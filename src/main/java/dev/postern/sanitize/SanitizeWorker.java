package dev.postern.sanitize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.imageio.ImageIO;

/**
 * The hidden entry point of a sanitizer worker process ({@link SanitizerWorkers} starts it; it is
 * not a CLI command). One process cleans one file and exits, so native code (OpenCV, ffmpeg), a
 * decoder stuck on a hostile file and whatever memory it took all end with it.
 *
 * <p>Protocol: the evidence arrives on standard input. The process's {@code java.io.tmpdir} is the
 * private, RAM-backed directory its parent made for it; the worker writes the clean copy there as
 * {@code copy} (only when it is clean) and then the report as {@code report.json} (JSON, see
 * {@link SanitizeReport#toJson()}), and exits 0. Standard output and error carry nothing the parent
 * reads: libraries may print evidence content there. The worker never learns the file's name.
 *
 * <p>Arguments: the time limit for cleaning, in seconds.
 */
public final class SanitizeWorker {
    /** The clean copy, in the worker's directory. */
    static final String COPY = SanitizerWorkers.COPY;
    /** The report, written last: its presence means the worker finished. */
    static final String REPORT = SanitizerWorkers.REPORT;
    /** The name the input has inside the worker; the parent puts the real name back. */
    static final String INPUT = "evidence";
    /** Input, output or arguments failed: there is no report. (3 is the JVM's exit on OutOfMemoryError.) */
    static final int EXIT_FAILED = 1;

    private SanitizeWorker() {
    }

    public static void main(String[] args) {
        ImageIO.setUseCache(false);
        int code;
        try {
            code = run(Duration.ofSeconds(Long.parseLong(args[0])), System.in,
                    Path.of(System.getProperty("java.io.tmpdir")));
        } catch (RuntimeException | IOException e) {
            // No message: it could quote evidence. The parent reports that the worker failed.
            code = EXIT_FAILED;
        }
        // Exit now, whatever is still running: the cleaner thread of a timed-out parser cannot be
        // stopped, and this process is the only way to end it.
        Runtime.getRuntime().halt(code);
    }

    static int run(Duration timeout, InputStream in, Path dir) throws IOException {
        SanitizeOptions options = SanitizeOptions.defaults();
        options = options.withLimits(options.limits().withTimeout(timeout));
        Path original = dir.resolve(INPUT);
        Path copy = dir.resolve(COPY);
        try (OutputStream o = Files.newOutputStream(original)) {
            long max = options.limits().maxInputBytes();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > max) {
                    return EXIT_FAILED;
                }
                o.write(buf, 0, n);
            }
        }
        SanitizeReport report = Sanitizer.withDefaultCleaners().sanitize(original, copy, options, dir);
        Files.delete(original);
        Path partial = dir.resolve(REPORT + ".part");
        Files.writeString(partial, report.toJson(), StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(REPORT), StandardCopyOption.ATOMIC_MOVE);
        return 0;
    }
}
