package dev.postern.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declared sizes are checked before anything is decoded: pictures, images inside PDFs, rasterized pages. */
class DecodeLimitsTest {
    @TempDir
    Path dir;
    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    @Test
    void aPictureThatExpandsMoreThanAThousandTimesIsRefusedEvenUnderThePixelLimit() throws Exception {
        // 4200x4200: 17.6 million pixels (under the limit), 70 MB decoded from about 55 KB.
        byte[] png = BigPng.of(4200, 4200);
        SanitizeReport r = sanitizer.sanitize(Fixtures.write(dir, "flat.png", png), null, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("4200x4200", "expansion of more than 1000 times");
    }

    @Test
    void aSmallFlatPictureIsStillCleaned() throws Exception {
        SanitizeReport r = sanitizer.sanitize(Fixtures.write(dir, "flat.png", BigPng.of(2000, 2000)), null,
                SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
    }

    @Test
    void anImageInsideAPdfIsCheckedBeforeItIsDecoded() throws Exception {
        byte[] pdf;
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A5);
            doc.addPage(page);
            PDImageXObject photo = JPEGFactory.createFromByteArray(doc, Fixtures.jpeg(32, 24, 1));
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawImage(photo, 40, 300, 64, 48);
            }
            // The dictionary now declares a 100000x100000 picture for a few hundred bytes of JPEG.
            photo.getCOSObject().setInt(COSName.WIDTH, 100_000);
            photo.getCOSObject().setInt(COSName.HEIGHT, 100_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            pdf = out.toByteArray();
        }
        long start = System.nanoTime();
        SanitizeReport r = sanitizer.sanitize(Fixtures.write(dir, "bomb.pdf", pdf), null, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("100000x100000", "decompression bomb");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void aRasterizedPageIsCheckedBeforeItIsRendered() throws Exception {
        byte[] pdf;
        try (PDDocument doc = new PDDocument()) {
            // 14400 pt square (the PDF maximum): 30000x30000 pixels at 150 dpi.
            doc.addPage(new PDPage(new PDRectangle(14_400, 14_400)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            pdf = out.toByteArray();
        }
        SanitizeReport r = sanitizer.sanitize(Fixtures.write(dir, "huge.pdf", pdf), null,
                SanitizeOptions.defaults().withRasterize(true), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("30000x30000");
    }

    @Test
    void thePixelBudgetFollowsTheHeap() {
        assertThat(DecodeLimits.pixelsFor(1024L << 20)).isEqualTo((1024L << 20) / 16);
        assertThat(DecodeLimits.pixelsFor(1024L << 20)).isLessThan(12_000L * 12_000);
        assertThat(DecodeLimits.pixelsFor(1024L << 20)).isGreaterThan(8_000L * 8_000);
    }
}
