package dev.postern.sanitize.media;

import dev.postern.sanitize.CannotSanitizeException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ffmpeg} and {@code ffprobe} executables shipped inside the bytedeco ffmpeg jar, run as
 * separate processes with a time limit, so that a decoder crash or hang on a hostile file cannot
 * take the JVM (or the web desk) with it.
 *
 * <p>The bundled binary links {@code libpulse.so.0} (through libavdevice) even though it is never
 * used here: on Debian install the package {@code libpulse0}, or ffmpeg will not start.
 */
public final class MediaTool {

    /** The outcome of one run. */
    public record Run(int exitCode, String stderrTail, byte[] stdout) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private static final int STDERR_KEEP = 4000;

    private final Path ffmpeg;
    private final Path ffprobe;

    public MediaTool(Path ffmpeg, Path ffprobe) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
    }

    /**
     * Finds the executables in the bytedeco jar (javacpp extracts them once to its cache directory).
     *
     * @throws CannotSanitizeException when the jar's natives are missing or cannot be extracted
     */
    public static MediaTool bundled() throws CannotSanitizeException {
        return Holder.get();
    }

    /** Loads once per JVM; remembers a failure so every media file gets the same clear reason. */
    private static final class Holder {
        private static MediaTool tool;
        private static String failure;

        static synchronized MediaTool get() throws CannotSanitizeException {
            if (tool == null && failure == null) {
                try {
                    // Extract the executables with the libraries beside them, without loading the
                    // JNI bindings into this JVM (they are not used here, and cost ~0.4 s).
                    java.io.File[] dirs = org.bytedeco.javacpp.Loader.cacheResources(MediaTool.class,
                            "/org/bytedeco/ffmpeg/linux-x86_64/");
                    if (dirs == null || dirs.length == 0) {
                        throw new IOException("the bytedeco ffmpeg linux-x86_64 jar is not on the class path");
                    }
                    Path dir = dirs[0].toPath();
                    for (String exe : List.of("ffmpeg", "ffprobe")) {
                        if (!dir.resolve(exe).toFile().canExecute() && !dir.resolve(exe).toFile().setExecutable(true, true)) {
                            throw new IOException("cannot make " + exe + " executable in " + dir);
                        }
                    }
                    MediaTool candidate = new MediaTool(dir.resolve("ffmpeg"), dir.resolve("ffprobe"));
                    Run v = candidate.ffmpeg(List.of("-version"), Duration.ofSeconds(30));
                    if (!v.ok()) {
                        failure = "the bundled ffmpeg does not run (" + firstLine(v.stderrTail())
                                + "); on Debian the bundled ffmpeg needs the package libpulse0";
                    } else {
                        tool = candidate;
                    }
                } catch (Throwable e) {
                    failure = "the bundled ffmpeg could not be loaded: " + e;
                }
            }
            if (tool == null) {
                throw new CannotSanitizeException(failure);
            }
            return tool;
        }
    }

    /** True when the bundled ffmpeg runs on this machine. */
    public static boolean available() {
        try {
            bundled();
            return true;
        } catch (CannotSanitizeException e) {
            return false;
        }
    }

    public Run ffmpeg(List<String> args, Duration timeout) throws CannotSanitizeException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffmpeg.toString());
        cmd.addAll(List.of("-nostdin", "-hide_banner", "-loglevel", "error"));
        cmd.addAll(args);
        return run(cmd, timeout, false);
    }

    public Run ffprobe(List<String> args, Duration timeout) throws CannotSanitizeException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffprobe.toString());
        cmd.addAll(List.of("-hide_banner", "-loglevel", "error"));
        cmd.addAll(args);
        return run(cmd, timeout, true);
    }

    public Path ffmpegPath() {
        return ffmpeg;
    }

    /**
     * Starts ffmpeg with stdin and stderr as pipes for the caller (raw frame streaming), stdout a
     * pipe only when {@code readStdout}; the caller must end the process ({@link #kill}).
     */
    public Process start(List<String> args, boolean readStdout) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffmpeg.toString());
        cmd.addAll(List.of("-hide_banner", "-loglevel", "error"));
        cmd.addAll(args);
        ProcessBuilder pb = environment(new ProcessBuilder(cmd));
        if (!readStdout) pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private Run run(List<String> cmd, Duration timeout, boolean keepStdout) throws CannotSanitizeException {
        ProcessBuilder pb = environment(new ProcessBuilder(cmd));
        if (!keepStdout) pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CannotSanitizeException("cannot start the media tool: " + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread errPump = pump(p.getErrorStream(), err, 1 << 20);
            Thread outPump = keepStdout ? pump(p.getInputStream(), out, 16 << 20) : null;
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new CannotSanitizeException("the media tool did not finish within " + timeout
                        + ": the file may be hostile or too long");
            }
            errPump.join(5000);
            if (outPump != null) outPump.join(5000);
            String e = err.toString(StandardCharsets.UTF_8);
            String tail = e.length() > STDERR_KEEP ? e.substring(e.length() - STDERR_KEEP) : e;
            return new Run(p.exitValue(), tail, out.toByteArray());
        } catch (InterruptedException ie) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new CannotSanitizeException("interrupted while the media tool ran");
        }
    }

    /**
     * The binaries look for the libraries shipped beside them (libva, libdrm) on the library path;
     * and ffmpeg writes a log file into the working directory when FFREPORT is set: never here.
     */
    private ProcessBuilder environment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("FFREPORT"));
        String libs = ffmpeg.toAbsolutePath().getParent().toString();
        String old = env.get("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", old == null || old.isEmpty() ? libs : libs + ":" + old);
        return pb;
    }

    /** Kills the process and anything it started. */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread pump(InputStream in, ByteArrayOutputStream sink, int cap) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (sink.size() < cap) sink.write(buf, 0, Math.min(n, cap - sink.size()));
                }
            } catch (IOException ignored) {
                // The process ended or was killed: what was read so far is enough.
            }
        }, "media-tool-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
