package dev.postern.sanitize;

import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

class OfficeSanitizerTest {

    @TempDir
    Path dir;

    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    private SanitizeReport clean(String name, byte[] bytes) throws IOException {
        Path in = Fixtures.write(dir, name, bytes);
        assertThat(OfficeFixtures.plantedInPackage(in)).as("fixture carries planted values").isNotEmpty();
        return sanitizer.sanitize(in, dir.resolve("clean-" + name), SanitizeOptions.defaults(), dir);
    }

    private Path out(String name) {
        return dir.resolve("clean-" + name);
    }

    @Test
    void docxLosesPropertiesCommentAuthorsRevisionsTemplatePathAndCustomXml() throws IOException {
        SanitizeReport r = clean("memo.docx", OfficeFixtures.docx());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo("DOCX");
        assertThat(r.removed()).contains("docProps/core.xml: dc:creator", "docProps/core.xml: cp:lastModifiedBy",
                "docProps/app.xml: Company", "revision ids (rsid)", "comment and tracked-change authors",
                "comment author initials", "path of the attached template", "document id (links copies of one document)",
                "word/media/image1.jpeg: EXIF GPSLatitude");
        assertThat(r.removed()).anyMatch(s -> s.startsWith("part customXml/item1.xml"));
        assertThat(r.removed()).anyMatch(s -> s.startsWith("part docProps/custom.xml"));
        assertThat(r.removed()).anyMatch(s -> s.startsWith("part docProps/thumbnail.jpeg"));
        assertThat(OfficeFixtures.plantedInPackage(out("memo.docx"))).isEmpty();
        try (XWPFDocument doc = new XWPFDocument(Files.newInputStream(out("memo.docx")));
             XWPFWordExtractor text = new XWPFWordExtractor(doc)) {
            assertThat(text.getText()).contains("Visible paragraph", "inserted words");
        }
        String rels = member(out("memo.docx"), "_rels/.rels");
        assertThat(rels).doesNotContain("custom.xml", "thumbnail");
        assertThat(member(out("memo.docx"), "[Content_Types].xml")).doesNotContain("custom.xml");
    }

    @Test
    void utf16PartsAreScrubbedToo() throws IOException {
        // The same comments part, re-encoded as UTF-16: a byte search for "author" would miss it.
        java.util.Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
        try (ZipFile z = new ZipFile(Fixtures.write(dir, "src.docx", OfficeFixtures.docx()).toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    byte[] b = in.readAllBytes();
                    if (e.getName().equals("word/comments.xml")) {
                        b = new String(b, StandardCharsets.UTF_8).replace("encoding='UTF-8'", "encoding='UTF-16'")
                                .getBytes(StandardCharsets.UTF_16LE);
                    }
                    parts.put(e.getName(), b);
                }
            }
        }
        SanitizeReport r = clean("utf16.docx", OfficeFixtures.zip(parts, false));
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("comment and tracked-change authors");
        assertThat(OfficeFixtures.plantedInPackage(out("utf16.docx"))).isEmpty();
    }

    @Test
    void xlsxLosesPropertiesAndCommentAuthors() throws IOException {
        SanitizeReport r = clean("sheet.xlsx", OfficeFixtures.xlsx());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("docProps/core.xml: dc:creator", "comment authors");
        assertThat(OfficeFixtures.plantedInPackage(out("sheet.xlsx"))).isEmpty();
        try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(out("sheet.xlsx")))) {
            assertThat(wb.getSheet("Data").getRow(0).getCell(0).getStringCellValue()).isEqualTo("Visible cell");
            assertThat(wb.getProperties().getCoreProperties().getCreator()).isNullOrEmpty();
        }
    }

    @Test
    void pptxLosesProperties() throws IOException {
        SanitizeReport r = clean("deck.pptx", OfficeFixtures.pptx());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(OfficeFixtures.plantedInPackage(out("deck.pptx"))).isEmpty();
        try (XMLSlideShow ppt = new XMLSlideShow(Files.newInputStream(out("deck.pptx")))) {
            assertThat(ppt.getSlides()).hasSize(1);
        }
    }

    @Test
    void odtLosesMetaSettingsThumbnailAndAnnotationAuthors() throws IOException {
        SanitizeReport r = clean("letter.odt", OfficeFixtures.odt());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo("ODT");
        assertThat(r.removed()).contains("meta.xml: meta:initial-creator", "meta.xml: dc:title",
                "meta.xml: meta:user-defined field", "comment and tracked-change authors and dates",
                "revision ids (rsid)");
        assertThat(r.removed()).anyMatch(s -> s.startsWith("part settings.xml"));
        assertThat(r.removed()).anyMatch(s -> s.startsWith("part Thumbnails/thumbnail.png"));
        Path o = out("letter.odt");
        assertThat(OfficeFixtures.plantedInPackage(o)).isEmpty();
        assertValidOdfLayout(o, "application/vnd.oasis.opendocument.text");
        assertThat(member(o, "content.xml")).contains("Visible text", "a remark");
    }

    @Test
    void epubKeepsOnlyRequiredMetadata() throws IOException {
        SanitizeReport r = clean("book.epub", OfficeFixtures.epub());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("EPUB dc:creator", "EPUB dc:publisher", "EPUB table-of-contents author",
                "HTML meta author");
        Path o = out("book.epub");
        assertThat(OfficeFixtures.plantedInPackage(o)).isEmpty();
        assertValidOdfLayout(o, "application/epub+zip");
        assertThat(member(o, "OEBPS/content.opf")).contains("dc:title", "dc:language", "dc:identifier");
    }

    @Test
    void zipBombInsideAPackageIsRefusedInBoundedTime() throws IOException {
        // A 200 MB run of zeros deflates to ~200 KB; with a 16 MiB part limit it must be refused early.
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry("mimetype"));
            z.write("application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("content.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) z.write(zeros);
            z.closeEntry();
        }
        Path in = Fixtures.write(dir, "bomb.odt", bos.toByteArray());
        SanitizeLimits small = new SanitizeLimits(1L << 30, 10_000_000, 100, 64L << 20, 3, 16L << 20,
                java.time.Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.odt"), SanitizeOptions.defaults().withLimits(small), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("zip bomb");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    static void assertValidOdfLayout(Path zip, String mimetype) throws IOException {
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(zip), 80);
        // The first member is "mimetype", stored, so readers can sniff it at a fixed offset.
        assertThat(new String(head, 30, 8, StandardCharsets.US_ASCII)).isEqualTo("mimetype");
        assertThat(new String(head, 38, mimetype.length(), StandardCharsets.US_ASCII)).isEqualTo(mimetype);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
            if (names.contains("META-INF/manifest.xml")) {
                String manifest = member(zip, "META-INF/manifest.xml");
                for (String n : names) {
                    if (!n.equals("mimetype") && !n.equals("META-INF/manifest.xml")) {
                        assertThat(manifest).as("manifest lists " + n).contains("\"" + n + "\"");
                    }
                }
                assertThat(manifest).doesNotContain("settings.xml", "Thumbnails");
            }
        }
    }

    static String member(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry(name);
            assertThat(e).as(name).isNotNull();
            try (InputStream in = z.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
