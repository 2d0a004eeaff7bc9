package dev.postern.sanitize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.desk.RamWorkspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sanitizer's worker processes, as the desk uses them: limits, time, concurrency, where bytes go. */
class WorkerTest {
    @TempDir
    Path fallback;
    /** Where the workers' private directories go: under /dev/shm when it is a tmpfs, as in the desk. */
    Path ram;

    @BeforeEach
    void ramRoot() throws IOException {
        Path parent = RamWorkspace.find().orElse(fallback);
        ram = Files.createTempDirectory(parent, "worker-test-");
    }

    @AfterEach
    void nothingLeftBehind() throws IOException {
        try (Stream<Path> left = Files.list(ram)) {
            assertThat(left.toList()).as("every worker's private directory is deleted").isEmpty();
        }
        Files.delete(ram);
    }

    @Test
    void jpegWithExifLosesItsMetadataThroughTheWorker() throws Exception {
        byte[] jpeg = Fixtures.jpeg(64, 48, 1);
        assertThat(Fixtures.plantedIn(jpeg)).isNotEmpty();
        SanitizerWorkers workers = new SanitizerWorkers(ram, 2, 256, Duration.ofSeconds(120));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SanitizeReport report = workers.sanitize(new ByteArrayInputStream(jpeg), "photo.jpg", out);

        assertThat(report.sanitized()).as(report.toText()).isTrue();
        assertThat(report.file()).isEqualTo("photo.jpg");
        assertThat(report.format()).isEqualTo("JPEG");
        assertThat(report.removed()).anyMatch(r -> r.contains("EXIF"));
        assertThat(report.sha256Original()).isEqualTo(sha256(jpeg));
        assertThat(Fixtures.plantedIn(out.toByteArray())).isEmpty();
        assertThat(sha256(out.toByteArray())).isEqualTo(report.sha256Copy());
        assertThat(ImageIO.read(new ByteArrayInputStream(out.toByteArray())).getWidth()).isEqualTo(64);
        assertThat(workers.running()).isZero();
    }

    @Test
    void videoIsCleanedByTheBundledFfmpegUnderTheWorker() throws Exception {
        // ffmpeg is the worker's child: it runs with the worker's reduced environment and TMPDIR.
        byte[] mp4 = Files.readAllBytes(MediaFixtures.video(fallback, "clip.mp4", "mp4", "mpeg4", "aac", false));
        SanitizerWorkers workers = new SanitizerWorkers(ram, 1, 256, Duration.ofSeconds(120));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SanitizeReport report = workers.sanitize(new ByteArrayInputStream(mp4), "clip.mp4", out);

        assertThat(report.sanitized()).as(report.toText()).isTrue();
        assertThat(out.size()).isPositive();
        assertThat(Fixtures.plantedIn(out.toByteArray())).isEmpty();
    }

    @Test
    void bigPngIsRefusedQuicklyInsideTheWorkersMemoryCap() throws Exception {
        byte[] png = BigPng.twelveThousandSquare();
        assertThat(png.length).isBetween(300_000, 600_000);
        SanitizerWorkers workers = new SanitizerWorkers(ram, 2, 1024, Duration.ofSeconds(120));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long start = System.nanoTime();
        SanitizeReport report = workers.sanitize(new ByteArrayInputStream(png), "bomb.png", out);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(report.sanitized()).isFalse();
        assertThat(report.reason()).contains("12000x12000", "decompression bomb");
        assertThat(out.size()).as("nothing is sent for a refused file").isZero();
        // The header is read, no pixel is decoded: seconds (JVM start on a busy machine), not minutes.
        assertThat(millis).isLessThan(60_000);
    }

    @Test
    void theWorkerRunsWithCappedMemoryAndItsScratchInItsPrivateDirectory() throws IOException {
        SanitizerWorkers workers = new SanitizerWorkers(ram, 1, 384, Duration.ofSeconds(7));
        Path dir = ram.resolve("sanitize-worker-x");
        List<String> cmd = workers.command(dir);
        assertThat(cmd.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(cmd).contains("-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-XX:-HeapDumpOnOutOfMemoryError",
                "-XX:ErrorFile=" + dir.resolve("jvm-error-%p.log"), "-Djava.io.tmpdir=" + dir,
                "-Dorg.bytedeco.javacpp.maxBytes=" + (384L << 20), SanitizerWorkers.WORKER_MAIN, "7");
        assertThat(cmd.get(cmd.indexOf("-cp") + 1)).isEqualTo(System.getProperty("java.class.path"));
        assertThat(SanitizerWorkers.WORKER_MAIN).isEqualTo(SanitizeWorker.class.getName());
    }

    @Test
    void aWorkerThatRunsOutOfMemoryEndsAloneWithAReason() throws Exception {
        SanitizerWorkers workers = new SanitizerWorkers(ram, 1, 64, Duration.ofSeconds(120),
                HungryWorker.class.getName());

        SanitizeReport report = workers.sanitize(new ByteArrayInputStream(new byte[] {1, 2, 3}), "x.png",
                new ByteArrayOutputStream());

        assertThat(report.sanitized()).isFalse();
        assertThat(report.reason()).contains("more memory than the sanitizer's limit of 64 MiB");
    }

    @Test
    void aStuckWorkerIsKilledAtTheTimeLimit() throws Exception {
        SanitizerWorkers workers = new SanitizerWorkers(ram, 1, 64, Duration.ofSeconds(1),
                StuckWorker.class.getName());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long start = System.nanoTime();
        SanitizeReport report = workers.sanitize(new ByteArrayInputStream(new byte[] {1, 2, 3}), "x.pdf", out);

        assertThat(report.sanitized()).isFalse();
        assertThat(report.reason()).startsWith("could not sanitize in time");
        assertThat(out.size()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(20_000);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(StuckWorker.class.getName()))
                        .orElse(false)))
                .as("the stuck worker is gone").isEmpty();
    }

    @Test
    void whenEveryWorkerIsBusyTheNextCopyIsRefusedAtOnce() throws Exception {
        SanitizerWorkers workers = new SanitizerWorkers(ram, 1, 64, Duration.ofSeconds(2),
                StuckWorker.class.getName());
        CompletableFuture<SanitizeReport> first = CompletableFuture.supplyAsync(() -> {
            try {
                return workers.sanitize(new ByteArrayInputStream(new byte[] {1}), "a", new ByteArrayOutputStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (workers.running() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(workers.running()).isEqualTo(1);

        long start = System.nanoTime();
        assertThatThrownBy(() -> workers.sanitize(new ByteArrayInputStream(new byte[] {2}), "b",
                new ByteArrayOutputStream()))
                .isInstanceOf(SanitizerBusyException.class)
                .hasMessageContaining("all 1 sanitizer workers are busy");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("refused, not queued")
                .isLessThan(1_000);

        assertThat(first.get(60, TimeUnit.SECONDS).reason()).startsWith("could not sanitize in time");
        assertThat(workers.running()).isZero();
    }

    @Test
    void aPdfWithAJpegLeavesNoPlaintextOutsideTheWorkersRamDirectory() throws Exception {
        byte[] pdf = PdfFixtures.planted();
        Path systemTemp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> imageioBefore = imageioFiles(systemTemp);
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        SanitizerWorkers workers = new SanitizerWorkers(ram, 1, 256, Duration.ofSeconds(120));
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            // Every file created in the worker's directory, which is also its java.io.tmpdir: the
            // ImageIO disk cache (imageio*.tmp) would show up here, even if it is deleted at once.
            workers.watchDirectories(dir -> {
                try {
                    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            SanitizeReport report = workers.sanitize(new ByteArrayInputStream(pdf), "statement.pdf", out);

            assertThat(report.sanitized()).as(report.toText()).isTrue();
            assertThat(report.removed()).contains("JPEG image metadata inside the PDF (images re-encoded)");
            assertThat(Fixtures.plantedIn(out.toByteArray())).isEmpty();
            WatchKey key;
            while ((key = watch.poll(1, TimeUnit.SECONDS)) != null) {
                for (WatchEvent<?> e : key.pollEvents()) {
                    created.add(String.valueOf(e.context()));
                }
                key.reset();
            }
        }
        assertThat(created).as("the watcher saw the worker's files").contains("evidence", "copy", "report.json");
        assertThat(created).noneMatch(n -> n.startsWith("imageio"));
        assertThat(created).allMatch(n -> List.of("evidence", "copy", "report.json", "report.json.part").contains(n)
                || n.startsWith("sanitize-"));
        assertThat(imageioFiles(systemTemp)).isEqualTo(imageioBefore);
    }

    @Test
    void thisJvmsSanitizerAlsoRefusesTheBigPngAndKeepsImageIoOffDisk() throws Exception {
        // The CLI (postern sanitize) cleans in its own JVM: the same checks apply there.
        Path png = Fixtures.write(fallback, "bomb.png", BigPng.twelveThousandSquare());
        SanitizeReport report = Sanitizer.withDefaultCleaners().sanitize(png, null, SanitizeOptions.defaults(),
                fallback);
        assertThat(ImageIO.getUseCache()).isFalse();
        assertThat(report.sanitized()).isFalse();
        assertThat(report.reason()).contains("12000x12000");
        assertThat(SanitizeLimits.defaults().maxPixels())
                .isLessThanOrEqualTo(DecodeLimits.pixelsFor(Runtime.getRuntime().maxMemory()));
    }

    @Test
    void theReportSurvivesItsJsonForm() {
        SanitizeReport member = new SanitizeReport("a/\"b\".jpg", "JPEG", SanitizeReport.Status.SANITIZED, null,
                List.of("EXIF GPSLatitude", "tab\there\nnewline \u2028 \u0001"), List.of(), List.of("w"), "00", "11",
                List.of());
        SanitizeReport report = new SanitizeReport("x.zip", "ZIP", SanitizeReport.Status.NOT_SANITIZED,
                "because \\ reasons", List.of(), List.of("face"), List.of(), "22", null, List.of(member, member));
        assertThat(SanitizeReport.fromJson(report.toJson())).isEqualTo(report);
        assertThatThrownBy(() -> SanitizeReport.fromJson(report.toJson() + "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SanitizeReport.fromJson("{\"file\": 1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SanitizeReport.fromJson("[".repeat(100))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> imageioFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("imageio")).sorted().toList();
        }
    }
}
