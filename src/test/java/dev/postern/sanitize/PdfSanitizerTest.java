package dev.postern.sanitize;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PdfSanitizerTest {

    @TempDir
    Path dir;

    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    @Test
    void fixtureReallyCarriesThePlantedValues() throws IOException {
        byte[] pdf = PdfFixtures.planted();
        assertThat(Fixtures.plantedIn(pdf)).contains(Fixtures.ARTIST, Fixtures.TITLE, Fixtures.OWNER, Fixtures.DATUM);
    }

    @Test
    void freshDocumentWithoutInfoXmpFilesScriptsFormsOrHistory() throws IOException {
        Path in = Fixtures.write(dir, "leak.pdf", PdfFixtures.planted());
        Path out = dir.resolve("clean.pdf");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("PDF info Author", "PDF info Title", "XMP metadata (document)",
                "embedded files", "document JavaScript", "open action", "annotation author (T)",
                "annotation Widget (form field)", "JPEG image metadata inside the PDF (images re-encoded)",
                "annotation entry XOwner", "page entry XDept");
        assertThat(r.removed()).anyMatch(s -> s.startsWith("incremental-update history"));
        assertThat(r.removed()).anyMatch(s -> s.startsWith("form fields and their values"));
        byte[] bytes = Files.readAllBytes(out);
        assertThat(Fixtures.plantedIn(bytes)).isEmpty();
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).containsOnlyOnce("%%EOF");
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(doc.getDocument().getTrailer().getCOSDictionary(COSName.INFO)).isNull();
            assertThat(doc.getDocumentCatalog().getMetadata()).isNull();
            assertThat(doc.getDocumentCatalog().getNames()).isNull();
            assertThat(doc.getDocumentCatalog().getAcroForm(null)).isNull();
            assertThat(doc.getDocumentCatalog().getCOSObject().containsKey(COSName.OPEN_ACTION)).isFalse();
            for (PDAnnotation a : doc.getPage(0).getAnnotations()) {
                assertThat(a.getCOSObject().containsKey(COSName.T)).isFalse();
            }
            assertThat(new PDFTextStripper().getText(doc)).contains("Visible statement");
        }
    }

    @Test
    void rasterizedCopyHasNoTextLeft() throws IOException {
        Path in = Fixtures.write(dir, "leak.pdf", PdfFixtures.planted());
        Path out = dir.resolve("raster.pdf");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withRasterize(true), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).isEmpty();
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(new PDFTextStripper().getText(doc).strip()).isEmpty();
        }
    }

    @Test
    void fontResourcePointingAtTheInfoDictionaryIsRefused() throws IOException {
        // Found by the corruption property: one changed object number made a page resource point at
        // document-level data, which then rode into the copy under an allowed key.
        byte[] pdf;
        try (PDDocument doc = new PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            doc.getDocumentInformation().setAuthor(Fixtures.ARTIST);
            org.apache.pdfbox.cos.COSDictionary fonts = new org.apache.pdfbox.cos.COSDictionary();
            fonts.setItem(COSName.getPDFName("F1"), doc.getDocumentInformation().getCOSObject());
            org.apache.pdfbox.cos.COSDictionary resources = new org.apache.pdfbox.cos.COSDictionary();
            resources.setItem(COSName.FONT, fonts);
            page.getCOSObject().setItem(COSName.RESOURCES, resources);
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            doc.save(b);
            pdf = b.toByteArray();
        }
        Path in = Fixtures.write(dir, "linked.pdf", pdf);
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.pdf"), SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).as(r.toText()).isFalse();
        assertThat(r.reason()).contains("link to document-level data (Author)");
        assertThat(Files.exists(dir.resolve("o.pdf"))).isFalse();
    }

    @Test
    void imageWhoseDictionaryIsGarbledIsNotCopiedUnread() throws IOException {
        // Found by the corruption property: one byte turned the image dictionary's keys into
        // nonsense, the stream (a JPEG with EXIF) was no longer recognised as an image and its
        // bytes rode along unread.
        String pdf = new String(PdfFixtures.planted(), java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/Length (\\d+)\n/Type /XObject\n/Subtype /Image").matcher(pdf);
        assertThat(m.find()).isTrue();
        String broken = pdf.substring(0, m.start()) + "/Length\u0001" + pdf.substring(m.start() + 8);
        Path in = Fixtures.write(dir, "garbled.pdf", broken.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path out = dir.resolve("o.pdf");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        if (r.sanitized()) {
            assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).isEmpty();
        }
    }

    @Test
    void imageReachedThroughAGarbledResourceKeyIsStillRebuilt() throws IOException {
        // Found by the corruption property: "/XObject" with its slash zeroed hid the image from the
        // resource walk, and the JPEG (with EXIF) was copied unread under an unknown key.
        String pdf = new String(PdfFixtures.planted(), java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = pdf.indexOf("/XObject <<");
        assertThat(at).isPositive();
        String broken = pdf.substring(0, at) + "\u0000" + pdf.substring(at + 1);
        Path in = Fixtures.write(dir, "hidden.pdf", broken.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path out = dir.resolve("o.pdf");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        if (r.sanitized()) {
            assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).isEmpty();
        }
    }

    @Test
    void truncatedPdfIsReportedNotPassedThrough() throws IOException {
        byte[] pdf = PdfFixtures.planted();
        byte[] cut = java.util.Arrays.copyOf(pdf, 40);
        Path in = Fixtures.write(dir, "cut.pdf", cut);
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.pdf"), SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(Files.exists(dir.resolve("o.pdf"))).isFalse();
    }
}
