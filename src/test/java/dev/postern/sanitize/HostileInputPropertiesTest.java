package dev.postern.sanitize;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Random, truncated and corrupted inputs: the sanitizer must always answer with a report (never
 * an exception, never a hang), and whenever it does call a damaged file clean, the copy must still
 * be free of the planted values.
 */
class HostileInputPropertiesTest {

    private static Path dir;
    private static final Map<String, byte[]> FIXTURES = new LinkedHashMap<>();
    private static final Sanitizer SANITIZER = Sanitizer.withDefaultCleaners();
    private static final SanitizeOptions OPTIONS = SanitizeOptions.defaults().withLimits(
            SanitizeLimits.defaults().withArchive(200, 32L << 20, 3).withMaxPixels(20_000_000)
                    .withTimeout(Duration.ofSeconds(30)));

    @BeforeContainer
    static void fixtures() throws IOException {
        dir = Files.createTempDirectory("hostile-");
        FIXTURES.put("jpeg", Fixtures.jpeg(24, 16, 6));
        FIXTURES.put("png", Fixtures.png(16, 16));
        FIXTURES.put("gif", Fixtures.gif(16, 16));
        FIXTURES.put("tiff", Fixtures.tiff(8, 8));
        FIXTURES.put("svg", Fixtures.svg());
        FIXTURES.put("pdf", PdfFixtures.planted());
        FIXTURES.put("docx", OfficeFixtures.docx());
        FIXTURES.put("odt", OfficeFixtures.odt());
        FIXTURES.put("epub", OfficeFixtures.epub());
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        ScratchDir.deleteTree(dir);
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of(FIXTURES.keySet());
    }

    private SanitizeReport run(byte[] bytes) throws IOException {
        Path in = Files.write(dir.resolve("in-" + System.nanoTime()), bytes);
        Path out = dir.resolve("out-" + System.nanoTime());
        try {
            long t0 = System.nanoTime();
            SanitizeReport r = SANITIZER.sanitize(in, out, OPTIONS, dir);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(35));
            if (r.sanitized()) {
                assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).as(r.toText()).isEmpty();
            } else {
                assertThat(r.reason()).isNotBlank();
                assertThat(Files.exists(out)).isFalse();
            }
            return r;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Property(tries = 150)
    void randomBytesAlwaysGetAReport(@ForAll @Size(max = 4096) byte[] bytes) throws IOException {
        run(bytes);
    }

    @Property(tries = 120)
    void truncatedFixturesAlwaysGetAReport(@ForAll("kinds") String kind, @ForAll double cut) throws IOException {
        byte[] full = FIXTURES.get(kind);
        int len = (int) (Math.abs(cut % 1.0) * full.length);
        run(Arrays.copyOf(full, len));
    }

    @Property(tries = 120)
    void corruptedFixturesAlwaysGetAReport(@ForAll("kinds") String kind, @ForAll @Size(min = 1, max = 8) int[] positions,
                                           @ForAll byte value) throws IOException {
        byte[] b = FIXTURES.get(kind).clone();
        for (int p : positions) b[Math.floorMod(p, b.length)] = value;
        run(b);
    }

    @Property(tries = 300)
    void sniffingNeverThrows(@ForAll @Size(max = 600) byte[] head) {
        assertThatCode(() -> {
            DetectedFormat d = FormatSniffer.detectBinary(head);
            if (d == null) FormatSniffer.detectText(head);
        }).doesNotThrowAnyException();
    }

    @Property(tries = 300)
    void maskSyntaxFailsOnlyWithIllegalArgument(@ForAll @Size(max = 40) String spec) {
        try {
            ManualMask m = ManualMask.parse(spec);
            assertThat(m.width()).isPositive();
        } catch (IllegalArgumentException expected) {
            // The documented way to reject a bad mask.
        }
    }
}
