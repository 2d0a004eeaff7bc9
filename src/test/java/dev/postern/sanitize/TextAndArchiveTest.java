package dev.postern.sanitize;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class TextAndArchiveTest {

    @TempDir
    Path dir;

    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    private static final SanitizeLimits SMALL = SanitizeLimits.defaults().withArchive(500, 64L << 20, 3)
            .withTimeout(Duration.ofSeconds(60));

    @Test
    void htmlLosesMetaTitleCommentsScriptsAndTrackingAttributes() throws IOException {
        String html = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + Fixtures.TITLE + "</title>"
                + "<meta name='author' content='" + Fixtures.ARTIST + "'><meta name='generator' content='" + Fixtures.SERIAL
                + "'><link rel='author' href='https://example.org/" + Fixtures.OWNER + "'><!-- " + Fixtures.COMMENT + " -->"
                + "<script>track('" + Fixtures.DATUM + "')</script></head><body><p data-user='" + Fixtures.XMP
                + "' onclick='x()'>Visible\u200B text</p></body></html>";
        Path in = Fixtures.write(dir, "page.htm", html.getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("clean.html");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo("HTML");
        assertThat(r.removed()).contains("HTML <title>", "HTML meta author", "HTML meta generator", "HTML comment",
                "HTML <script>", "HTML event handler onclick");
        byte[] bytes = Files.readAllBytes(out);
        assertThat(Fixtures.plantedIn(bytes)).isEmpty();
        String clean = new String(bytes, StandardCharsets.UTF_8);
        assertThat(org.jsoup.Jsoup.parse(clean).text()).contains("Visible text");
    }

    @Test
    void plainTextLosesZeroWidthWatermarks() throws IOException {
        Path in = Fixtures.write(dir, "note.txt", "Meet at\u200B the\u200D usual\u2060 place.\n".getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("clean.txt");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).isTrue();
        assertThat(r.format()).isEqualTo("TEXT");
        assertThat(r.removed()).anyMatch(s -> s.startsWith("invisible characters (3"));
        assertThat(Files.readString(out)).isEqualTo("Meet at the usual place.\n");
    }

    private static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                e.setComment(Fixtures.OWNER);
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
            z.setComment(Fixtures.SERIAL);
        }
        return out.toByteArray();
    }

    /** Planted values anywhere in a zip, looking inside nested zips too. */
    private static List<String> plantedDeep(byte[] zip) throws IOException {
        List<String> hits = new ArrayList<>(Fixtures.plantedIn(zip));
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                byte[] b = z.readAllBytes();
                hits.addAll(Fixtures.plantedIn(b));
                if (b.length > 4 && b[0] == 'P' && b[1] == 'K') hits.addAll(plantedDeep(b));
                if (e.getComment() != null) hits.add("comment");
            }
        }
        return hits;
    }

    @Test
    void zipMembersAreEachSanitizedRecursively() throws IOException {
        Map<String, byte[]> inner = new LinkedHashMap<>();
        inner.put("deeper/pic.png", Fixtures.png(10, 10));
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("photos/IMG_0001.JPG", Fixtures.jpeg(12, 12, 1));
        outer.put("memo.docx", OfficeFixtures.docx());
        outer.put("nested.zip", zip(inner));
        outer.put("../../etc/evil.txt", "plain words\n".getBytes(StandardCharsets.UTF_8));
        Path in = Fixtures.write(dir, "bundle.zip", zip(outer));
        Path out = dir.resolve("clean.zip");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withLimits(SMALL), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.members()).extracting(SanitizeReport::format).containsExactly("JPEG", "DOCX", "ZIP", "TEXT");
        assertThat(r.members().get(2).members()).extracting(SanitizeReport::format).containsExactly("PNG");
        assertThat(r.members().get(0).removed()).contains("EXIF GPSLatitude");
        byte[] bytes = Files.readAllBytes(out);
        assertThat(plantedDeep(bytes)).isEmpty();
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) names.add(e.getName());
        }
        assertThat(names).containsExactly("photos/IMG_0001.JPG", "memo.docx", "nested.zip", "etc/evil.txt");
    }

    @Test
    void tarLosesOwnersAndTimesAndMembersAreSanitized() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bos)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            byte[] jpg = Fixtures.jpeg(12, 12, 1);
            TarArchiveEntry e = new TarArchiveEntry("dcim/photo.jpg");
            e.setSize(jpg.length);
            e.setUserName(Fixtures.OWNER);
            e.setGroupName(Fixtures.ARTIST);
            e.setUserId(4242);
            t.putArchiveEntry(e);
            t.write(jpg);
            t.closeArchiveEntry();
        }
        Path in = Fixtures.write(dir, "dump.tar", bos.toByteArray());
        Path out = dir.resolve("clean.tar");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withLimits(SMALL), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo("TAR");
        byte[] bytes = Files.readAllBytes(out);
        assertThat(Fixtures.plantedIn(bytes)).isEmpty();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            TarArchiveEntry e = t.getNextEntry();
            assertThat(e.getName()).isEqualTo("dcim/photo.jpg");
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getModTime().toInstant()).isEqualTo(java.time.Instant.parse("1980-01-02T00:00:00Z"));
            assertThat(javax.imageio.ImageIO.read(t)).isNotNull();
        }
    }

    @Test
    void zipBombIsStoppedByTheExpandedSizeLimit() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry("zeros.txt"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) z.write(zeros);
            z.closeEntry();
        }
        Path in = Fixtures.write(dir, "bomb.zip", bos.toByteArray());
        long t0 = System.nanoTime();
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.zip"), SanitizeOptions.defaults().withLimits(SMALL), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("zip bomb");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(Files.exists(dir.resolve("o.zip"))).isFalse();
    }

    @Test
    void tooManyMembersAndTooDeepNestingAreRefused() throws IOException {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) many.put("f" + i + ".txt", "x".getBytes(StandardCharsets.US_ASCII));
        Path in = Fixtures.write(dir, "many.zip", zip(many));
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.zip"), SanitizeOptions.defaults().withLimits(SMALL), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("too many members");

        byte[] nested = "deep".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5; i++) nested = zip(Map.of("level" + i + (i == 0 ? ".txt" : ".zip"), nested));
        Path deep = Fixtures.write(dir, "deep.zip", nested);
        SanitizeReport d = sanitizer.sanitize(deep, dir.resolve("d.zip"), SanitizeOptions.defaults().withLimits(SMALL), dir);
        assertThat(d.sanitized()).isFalse();
        assertThat(d.reason()).contains("nested");
    }

    @Test
    void oneUncleanableMemberMakesTheWholeArchiveNotSanitized() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("ok.txt", "fine".getBytes(StandardCharsets.US_ASCII));
        m.put("blob.bin", new byte[]{0, (byte) 0x99, 1, 2, 0, 3});
        Path in = Fixtures.write(dir, "mixed.zip", zip(m));
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.zip"), SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("blob.bin", "NOT sanitized");
        assertThat(Files.exists(dir.resolve("o.zip"))).isFalse();
    }
}
