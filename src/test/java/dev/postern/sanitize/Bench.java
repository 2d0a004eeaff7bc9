package dev.postern.sanitize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark driver for bench/sanitize-vs-mat2.sh (not a test): sanitizes every file given into
 * OUTDIR in one JVM, as the web desk would, and prints the count and the seconds spent.
 * Usage: {@code Bench OUTDIR [--mask-faces] [--threads N] [--warm] FILE...}; with threads, files
 * are sanitized N at a time (the sanitizer is thread-safe), as a desk with N cores could; with
 * --warm the files are first sanitized once untimed, as in the long-running web desk.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path outDir = Files.createDirectories(Path.of(args[0]));
        List<String> rest = new java.util.ArrayList<>(List.of(args).subList(1, args.length));
        boolean faces = rest.remove("--mask-faces");
        boolean warm = rest.remove("--warm");
        int threads = 1;
        int t = rest.indexOf("--threads");
        if (t >= 0) {
            threads = Integer.parseInt(rest.get(t + 1));
            rest.remove(t + 1);
            rest.remove(t);
        }
        Sanitizer s = Sanitizer.withDefaultCleaners();
        SanitizeOptions o = SanitizeOptions.defaults().withMaskFaces(faces);
        if (warm) {
            Path warmDir = Files.createDirectories(outDir.resolve("warm-up"));
            for (String f : rest) s.sanitize(Path.of(f), warmDir.resolve(Path.of(f).getFileName()), o);
        }
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> jobs = new java.util.ArrayList<>();
        for (String f : rest) {
            jobs.add(pool.submit(() -> {
                Path in = Path.of(f);
                SanitizeReport r = s.sanitize(in, outDir.resolve(in.getFileName()), o);
                if (!r.sanitized()) {
                    failed.incrementAndGet();
                    System.err.println("NOT sanitized: " + f + ": " + r.reason());
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> j : jobs) j.get();
        pool.shutdown();
        System.out.printf("files=%d failed=%d seconds=%.3f%n", rest.size(), failed.get(), (System.nanoTime() - t0) / 1e9);
    }
}
