package dev.postern.sanitize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SanitizeCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int exit, String stdout, String stderr) {
    }

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SanitizeCommand cmd = new SanitizeCommand(Sanitizer.withDefaultCleaners(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(cmd).execute(args);
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonReportAndExitZeroForACleanCopy() throws Exception {
        Path in = Fixtures.write(dir, "in.jpg", Fixtures.jpeg(16, 16, 1));
        Path out = dir.resolve("out.jpg");
        Outcome o = run(in.toString(), "--out", out.toString(), "--json");
        assertThat(o.exit()).as(o.stderr()).isZero();
        assertThat(o.stdout()).contains("\"status\": \"SANITIZED\"", "\"format\": \"JPEG\"", "EXIF GPSLatitude",
                "\"sha256Copy\": \"" + Sha256.of(out) + "\"");
        assertThat(Fixtures.plantedIn(o.stdout().getBytes(StandardCharsets.UTF_8))).as("report must not echo values").isEmpty();
        assertThat(Files.exists(out)).isTrue();
    }

    @Test
    void withoutOutNothingIsWrittenAnywhereNearTheInput() throws Exception {
        Path in = Fixtures.write(dir, "in.png", Fixtures.png(8, 8));
        Outcome o = run(in.toString());
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).contains("SANITIZED", "dry run", "PNG tEXt Author");
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactly(in);
        }
    }

    @Test
    void unrecognisedFileExitsNonZeroWithNotSanitized() throws Exception {
        Path in = Fixtures.write(dir, "x.bin", new byte[]{1, 2, 3, 0, (byte) 0x99});
        Outcome o = run(in.toString(), "--out", dir.resolve("y.bin").toString());
        assertThat(o.exit()).isEqualTo(3);
        assertThat(o.stdout()).contains("NOT sanitized");
        assertThat(Files.exists(dir.resolve("y.bin"))).isFalse();
    }

    @Test
    void badMaskIsAUsageError() throws Exception {
        Path in = Fixtures.write(dir, "in.png", Fixtures.png(8, 8));
        assertThat(run(in.toString(), "--mask", "1,2,3").exit()).isEqualTo(2);
        assertThat(run(in.toString(), "--voice", "loud").exit()).isEqualTo(2);
        assertThat(run(dir.resolve("missing.png").toString()).exit()).isEqualTo(4);
    }

    @Test
    void manualMaskIsReported() throws Exception {
        Path in = Fixtures.write(dir, "in.png", Fixtures.png(20, 20));
        Path out = dir.resolve("out.png");
        Outcome o = run(in.toString(), "--out", out.toString(), "--mask", "2,2,5,5");
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).contains("manual box 2,2,5,5");
        assertThat(javax.imageio.ImageIO.read(out.toFile()).getRGB(4, 4) & 0xFFFFFF).isZero();
    }

    @Test
    void optionsThatCannotApplyAreReportedNotSilentlyIgnored() throws Exception {
        Path in = Fixtures.write(dir, "doc.pdf", PdfFixtures.planted());
        Outcome o = run(in.toString(), "--out", dir.resolve("o.pdf").toString(), "--mask", "1,1,5,5", "--voice", "mute");
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).contains("--mask applies to images and video only", "--voice applies to audio and video only");
    }

    @Test
    void manualMasksAreNotAppliedToPicturesInsideArchives() throws Exception {
        Path in = Fixtures.write(dir, "photos.zip", OfficeFixtures.zip(java.util.Map.of("a.png", Fixtures.png(20, 20)), false));
        Outcome o = run(in.toString(), "--out", dir.resolve("o.zip").toString(), "--mask", "0,0,4,4", "--json");
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).contains("\"format\": \"PNG\"").doesNotContain("manual box");
    }

    @Test
    void registeredInMain() {
        assertThat(dev.postern.Main.commandLine().getSubcommands()).containsKey("sanitize");
    }
}
