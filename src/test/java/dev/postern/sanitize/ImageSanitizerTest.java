package dev.postern.sanitize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ImageSanitizerTest {

    @TempDir
    Path dir;

    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    private SanitizeReport clean(String name, byte[] bytes) throws IOException {
        Path in = Fixtures.write(dir, name, bytes);
        return sanitizer.sanitize(in, dir.resolve("clean-" + name), SanitizeOptions.defaults(), dir);
    }

    private byte[] cleaned(String name) throws IOException {
        return Files.readAllBytes(dir.resolve("clean-" + name));
    }

    @Test
    void jpegLosesExifGpsSerialXmpAndCommentAndIsTurnedUpright() throws IOException {
        SanitizeReport r = clean("photo.dat", Fixtures.jpeg(40, 20, 6));
        assertThat(r.status()).isEqualTo(SanitizeReport.Status.SANITIZED);
        assertThat(r.format()).isEqualTo("JPEG");
        assertThat(r.removed()).contains("EXIF GPSLatitude", "EXIF BodySerialNumber", "EXIF Artist",
                "EXIF CameraOwnerName", "XMP packet (APP1)", "JPEG comment (COM)");
        byte[] out = cleaned("photo.dat");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        assertThat(new String(out, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(out));
        assertThat(img.getWidth()).isEqualTo(20);
        assertThat(img.getHeight()).isEqualTo(40);
        assertThat(r.sha256Copy()).isEqualTo(Sha256.of(dir.resolve("clean-photo.dat")));
        assertThat(r.sha256Original()).isEqualTo(Sha256.of(dir.resolve("photo.dat")));
    }

    @Test
    void pngLosesTextChunksAndExif() throws IOException {
        SanitizeReport r = clean("a.png", Fixtures.png(30, 30));
        assertThat(r.sanitized()).isTrue();
        assertThat(r.removed()).contains("PNG tEXt Author", "PNG tEXt Title", "PNG iTXt XML:com.adobe.xmp",
                "PNG eXIf EXIF block", "EXIF GPSLatitude", "PNG tIME modification time");
        byte[] out = cleaned("a.png");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        assertThat(ImageIO.read(new ByteArrayInputStream(out)).getWidth()).isEqualTo(30);
    }

    @Test
    void gifLosesCommentAndXmp() throws IOException {
        SanitizeReport r = clean("a.gif", Fixtures.gif(16, 16));
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("GIF comment", "XMP packet (GIF application extension)");
        byte[] out = cleaned("a.gif");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        assertThat(ImageIO.read(new ByteArrayInputStream(out)).getWidth()).isEqualTo(16);
    }

    @Test
    void animatedGifKeepsItsFramesAndLosesItsComment() throws IOException {
        MediaFixtures.tool();
        Path plain = dir.resolve("plain.gif");
        MediaFixtures.ffmpeg(java.util.List.of("-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=1",
                "-f", "gif", plain.toString()));
        byte[] p = Files.readAllBytes(plain);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(p, 0, p.length - 1);
        b.write(0x21);
        b.write(0xFE);
        b.write(Fixtures.COMMENT.length());
        b.writeBytes(Fixtures.COMMENT.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.write(0);
        b.write(0x3B);
        SanitizeReport r = clean("anim.gif", b.toByteArray());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("GIF comment");
        byte[] out = cleaned("anim.gif");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        try (var iis = ImageIO.createImageInputStream(new ByteArrayInputStream(out))) {
            var reader = ImageIO.getImageReaders(iis).next();
            reader.setInput(iis);
            assertThat(reader.getNumImages(true)).isEqualTo(5);
        }
    }

    /** A WebP made by the bundled ffmpeg, extended (VP8X) with planted EXIF and XMP chunks. */
    private byte[] webpWithMetadata() throws IOException {
        Path png = Fixtures.write(dir, "src.png", Fixtures.png(40, 30));
        Path plain = dir.resolve("plain.webp");
        MediaFixtures.ffmpeg(java.util.List.of("-y", "-i", png.toString(), "-c:v", "libwebp", "-f", "webp", plain.toString()));
        byte[] w = Files.readAllBytes(plain);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer vp8x = java.nio.ByteBuffer.allocate(18).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        vp8x.put("VP8X".getBytes()).putInt(10).put((byte) 0x0C).put(new byte[3]);
        int cw = 40 - 1, ch = 30 - 1;
        vp8x.put((byte) cw).put((byte) (cw >> 8)).put((byte) (cw >> 16)).put((byte) ch).put((byte) (ch >> 8)).put((byte) (ch >> 16));
        body.writeBytes(vp8x.array());
        body.write(w, 12, w.length - 12);
        for (String[] c : new String[][]{{"EXIF", null}, {"XMP ", null}}) {
            byte[] data = c[0].equals("EXIF") ? Fixtures.exif(1) : Fixtures.xmpPacket();
            java.nio.ByteBuffer hdr = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            hdr.put(c[0].getBytes()).putInt(data.length);
            body.writeBytes(hdr.array());
            body.writeBytes(data);
            if ((data.length & 1) == 1) body.write(0);
        }
        byte[] b = body.toByteArray();
        java.nio.ByteBuffer riff = java.nio.ByteBuffer.allocate(12 + b.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes()).putInt(4 + b.length).put("WEBP".getBytes()).put(b);
        return riff.array();
    }

    @Test
    void webpLosesExifAndXmpChunks() throws IOException {
        MediaFixtures.tool();
        byte[] webp = webpWithMetadata();
        assertThat(Fixtures.plantedIn(webp)).isNotEmpty();
        SanitizeReport r = clean("pic.webp", webp);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo("WEBP");
        assertThat(r.removed()).contains("WebP EXIF chunk", "XMP packet (WebP)", "EXIF GPSLatitude");
        byte[] out = cleaned("pic.webp");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(out));
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
    }

    @Test
    void heicAndLegacyOfficeAreRefusedWithAReason() throws IOException {
        byte[] heic = new byte[64];
        System.arraycopy(new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, 0, heic, 0, 12);
        SanitizeReport h = clean("IMG_1234.HEIC", heic);
        assertThat(h.sanitized()).isFalse();
        assertThat(h.format()).isEqualTo("HEIF");
        assertThat(h.reason()).contains("HEIF", "convert it to JPEG or PNG");
        byte[] ole = new byte[512];
        System.arraycopy(new byte[]{(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1}, 0, ole, 0, 8);
        SanitizeReport o = clean("memo.doc", ole);
        assertThat(o.sanitized()).isFalse();
        assertThat(o.reason()).contains("legacy OLE2 Office");
    }

    @Test
    void jpegWithABrokenMarkerIsNotTakenForMp3() throws IOException {
        // Found by the corruption property: FF FF FF E1 ... passed as an MP3 sync word, and the
        // whole JPEG (EXIF and all) was copied as "audio".
        byte[] jpeg = Fixtures.jpeg(16, 16, 1);
        jpeg[1] = (byte) 0xFF;
        SanitizeReport r = clean("broken.jpg", jpeg);
        assertThat(r.format()).isNotEqualTo("MP3");
        if (r.sanitized()) {
            assertThat(Fixtures.plantedIn(cleaned("broken.jpg"))).isEmpty();
        }
    }

    @Test
    void tiffLosesItsTextTags() throws IOException {
        SanitizeReport r = clean("a.tif", Fixtures.tiff(12, 10));
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("EXIF Artist", "EXIF ImageDescription", "EXIF Software");
        byte[] out = cleaned("a.tif");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        assertThat(ImageIO.read(new ByteArrayInputStream(out)).getHeight()).isEqualTo(10);
    }

    @Test
    void bmpIsReencodedWithoutTrailingBytes() throws IOException {
        SanitizeReport r = clean("a.bmp", Fixtures.bmp(10, 10));
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        byte[] out = cleaned("a.bmp");
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        assertThat(ImageIO.read(new ByteArrayInputStream(out)).getWidth()).isEqualTo(10);
    }

    @Test
    void svgLosesMetadataEditorDataScriptsAndComments() throws IOException {
        SanitizeReport r = clean("a.svg", Fixtures.svg());
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("SVG <metadata>", "SVG <script>", "SVG comment", "SVG <title>",
                "SVG event handler onclick");
        byte[] out = cleaned("a.svg");
        String svg = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(Fixtures.plantedIn(out)).isEmpty();
        assertThat(svg).contains("<rect", "<circle").doesNotContain("inkscape", "sodipodi", "script");
    }

    @Test
    void svgWithExternalEntityIsNotFetched() throws IOException {
        Path secret = Fixtures.write(dir, "secret.txt", Fixtures.OWNER.getBytes());
        String xxe = "<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>"
                + "<svg xmlns='http://www.w3.org/2000/svg'><text>&x;</text></svg>";
        SanitizeReport r = clean("x.svg", xxe.getBytes());
        if (r.sanitized()) {
            assertThat(Fixtures.plantedIn(cleaned("x.svg"))).isEmpty();
        }
    }

    @Test
    void hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws IOException {
        // A PNG header claiming 100000 x 100000 pixels: a decompression bomb must be refused, not decoded.
        byte[] png = Fixtures.png(8, 8);
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(100_000).putInt(100_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        SanitizeReport r = clean("bomb.png", png);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("decompression bomb");
        assertThat(Files.exists(dir.resolve("clean-bomb.png"))).isFalse();
    }

    @Test
    void unknownBinaryIsNotSanitizedAndNothingIsWritten() throws IOException {
        SanitizeReport r = clean("blob.jpg", new byte[]{0, 1, 2, 3, (byte) 0xFE, (byte) 0xFF, 0, 7});
        assertThat(r.status()).isEqualTo(SanitizeReport.Status.NOT_SANITIZED);
        assertThat(r.reason()).contains("unrecognised");
        assertThat(r.sha256Copy()).isNull();
        assertThat(Files.exists(dir.resolve("clean-blob.jpg"))).isFalse();
    }

    @Test
    void scratchSpaceIsEmptyAfterwards() throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path in = Fixtures.write(dir, "p.jpg", Fixtures.jpeg(8, 8, 1));
        sanitizer.sanitize(in, dir.resolve("out.jpg"), SanitizeOptions.defaults(), work);
        try (var s = Files.list(work)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void streamEntryPointWritesOnlyToTheCallersStream() throws IOException {
        Path work = Files.createDirectory(dir.resolve("ram"));
        var out = new java.io.ByteArrayOutputStream();
        SanitizeReport r = sanitizer.sanitize(new ByteArrayInputStream(Fixtures.png(9, 9)), "upload.png", out,
                SanitizeOptions.defaults(), work);
        assertThat(r.sanitized()).isTrue();
        assertThat(r.file()).isEqualTo("upload.png");
        assertThat(Fixtures.plantedIn(out.toByteArray())).isEmpty();
        assertThat(ImageIO.read(new ByteArrayInputStream(out.toByteArray()))).isNotNull();
        try (var s = Files.list(work)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
