package dev.postern.sanitize;

import dev.postern.sanitize.media.MediaTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the copies with the tools an adversary (or a careful editor) would use: exiftool (Debian
 * package libimage-exiftool-perl) must find none of the planted values, and for every metadata
 * field that mat2 (Debian package mat2) removes from a fixture, our copy must not have it either.
 * Each check skips when its tool is not installed; mat2 needs Debian's ffmpeg for audio/video and
 * cannot clean some fixtures at all (that is reported as a skip, not a failure).
 */
class ExternalToolsTest {

    @TempDir
    static Path dir;

    private static List<Corpus.Item> corpus;
    private static final Sanitizer SANITIZER = Sanitizer.withDefaultCleaners();

    @BeforeAll
    static void writeCorpus() throws IOException {
        corpus = Corpus.write(dir.resolve("corpus"), MediaTool.available());
    }

    private static boolean onPath(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, tool))) return true;
        }
        return false;
    }

    /** Runs a command, returns stdout+stderr; fails the test on a hang. */
    private static Run run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: " + cmd).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record Run(int exit, String output) {
    }

    private static Path ourCopy(Corpus.Item item) throws IOException {
        Path outDir = Files.createDirectories(dir.resolve("ours"));
        Path out = outDir.resolve(item.file().getFileName());
        if (!Files.exists(out)) {
            SanitizeReport r = SANITIZER.sanitize(item.file(), out, SanitizeOptions.defaults(), dir);
            assertThat(r.sanitized()).as(r.toText()).isTrue();
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> exiftoolFindsNoPlantedValueInAnyCopy() {
        return corpus.stream().map(item -> DynamicTest.dynamicTest(item.file().getFileName().toString(), () -> {
            Assumptions.assumeTrue(onPath("exiftool"), "exiftool not installed (Debian: libimage-exiftool-perl)");
            Path out = ourCopy(item);
            Run before;
            Run after;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                // Two independent runs: perl's start-up overlaps.
                Future<Run> afterRun = pool.submit(() -> run(List.of("exiftool", "-a", "-u", "-ee", "-G1", "-s", out.toString()), dir));
                before = run(List.of("exiftool", "-a", "-u", "-ee", "-G1", "-s", item.file().toString()), dir);
                after = afterRun.get();
            }
            Assumptions.assumeFalse(before.output().contains("Install Archive::Zip"),
                    "exiftool cannot read zip-based documents here (Debian: libarchive-zip-perl)");
            if (!item.group().equals("text") && !item.file().toString().endsWith(".svg")) {
                assertThat(before.output()).as("exiftool sees the planted values in the fixture").contains(Fixtures.PLANTED);
            }
            assertThat(after.output()).doesNotContain(Fixtures.PLANTED).doesNotContain("48.8566");
        }));
    }

    /** Metadata keys that a {@code mat2 --show} output lists (names only), at any nesting level. */
    private static Set<String> mat2Keys(Run show) {
        Set<String> keys = new TreeSet<>();
        java.util.regex.Pattern field = java.util.regex.Pattern.compile("^\\s+([^:\\[]+):(\\s.*)?$");
        for (String line : show.output().split("\n")) {
            java.util.regex.Matcher m = field.matcher(line);
            if (m.matches() && !line.contains("Metadata for")) keys.add(m.group(1).strip());
        }
        return keys;
    }

    /** {@code mat2 --show file}, started now; mat2 is mostly interpreter start-up, so independent runs overlap. */
    private static Future<Run> mat2Show(ExecutorService pool, Path file) {
        return pool.submit(() -> run(List.of("mat2", "--show", file.toString()), dir));
    }

    @TestFactory
    Stream<DynamicTest> removesAtLeastWhatMat2Removes() {
        return corpus.stream().map(item -> DynamicTest.dynamicTest(item.file().getFileName().toString(), () -> {
            Assumptions.assumeTrue(onPath("mat2"), "mat2 not installed (Debian: mat2)");
            Path ours = ourCopy(item);
            Path m2dir = Files.createDirectories(dir.resolve("mat2-" + item.file().getFileName()));
            Path copy = Files.copy(item.file(), m2dir.resolve(item.file().getFileName()));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Run> showOriginal = mat2Show(pool, item.file());
                Future<Run> showOurs = mat2Show(pool, ours);
                Run clean = run(List.of("mat2", copy.toString()), m2dir);
                String name = copy.getFileName().toString();
                int dot = name.lastIndexOf('.');
                Path cleaned = m2dir.resolve(name.substring(0, dot) + ".cleaned" + name.substring(dot));
                Assumptions.assumeTrue(clean.exit() == 0 && Files.exists(cleaned),
                        "mat2 cannot clean this fixture itself: " + clean.output().strip());
                Set<String> removedByMat2 = mat2Keys(showOriginal.get());
                removedByMat2.removeAll(mat2Keys(run(List.of("mat2", "--show", cleaned.toString()), dir)));
                Set<String> left = new TreeSet<>(mat2Keys(showOurs.get()));
                left.retainAll(removedByMat2);
                assertThat(left).as("fields mat2 removes but our copy still has").isEmpty();
                assertThat(showOurs.get().output()).doesNotContain(Fixtures.PLANTED);
            }
        }));
    }

    /** Keeps the list of fixtures honest: every corpus file is checked by both factories above. */
    static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Corpus.Item i : corpus) n.add(i.file().getFileName().toString());
        return n;
    }
}
