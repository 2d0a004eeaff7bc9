package dev.postern.sanitize;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Test fixtures made at run time, each carrying planted identifying values that a clean copy must
 * not contain. Every planted value starts with {@link #PLANTED} so that one byte search finds any.
 */
public final class Fixtures {
    public static final String PLANTED = "PLANTED";
    public static final String ARTIST = "PLANTED-ARTIST-Jane-Doe";
    public static final String SERIAL = "PLANTED-SERIAL-SN48151623";
    public static final String OWNER = "PLANTED-OWNER-Cpl-Smith";
    public static final String DATUM = "PLANTED-GPS-DATUM";
    public static final String COMMENT = "PLANTED-COMMENT-unit-7";
    public static final String XMP = "PLANTED-XMP-creator";
    public static final String TITLE = "PLANTED-TITLE-Operation-Nightfall";

    /** Every planted string, for byte searches. */
    public static final List<String> ALL = List.of(ARTIST, SERIAL, OWNER, DATUM, COMMENT, XMP, TITLE);

    private Fixtures() {
    }

    /** A simple picture with some structure (so encoders do real work). */
    public static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(90, 140, 200));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(220, 60, 40));
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    /** The EXIF (TIFF) block with artist, camera serial, owner, GPS and an orientation. */
    public static byte[] exif(int orientation) {
        TiffBlock gps = new TiffBlock().ascii(0x01, "N").rationals(0x02, 48, 1, 51, 1, 2976, 100)
                .ascii(0x03, "E").rationals(0x04, 2, 1, 17, 1, 4000, 100).ascii(0x12, DATUM);
        TiffBlock exifIfd = new TiffBlock().ascii(0xA431, SERIAL).ascii(0xA430, OWNER)
                .ascii(0x9003, "2026:01:02 03:04:05");
        return new TiffBlock().ascii(0x010F, "PlantedCam").ascii(0x013B, ARTIST).shortValue(0x0112, orientation)
                .sub(0x8769, exifIfd).sub(0x8825, gps).toBytes();
    }

    static byte[] xmpPacket() {
        return ("<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>"
                + "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description"
                + " xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator>" + XMP + "</dc:creator>"
                + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>").getBytes(StandardCharsets.UTF_8);
    }

    /** A JPEG with EXIF (orientation, GPS, serial), XMP and a comment. */
    public static byte[] jpeg(int w, int h, int orientation) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(picture(w, h), "jpeg", plain);
        byte[] p = plain.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p, 0, 2);
        segment(out, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exif(orientation)));
        segment(out, 0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1), xmpPacket()));
        segment(out, 0xFE, COMMENT.getBytes(StandardCharsets.US_ASCII));
        out.write(p, 2, p.length - 2);
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
        out.write(0xFF);
        out.write(marker);
        int len = data.length + 2;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(data);
    }

    /** A PNG with tEXt (Author, Title), iTXt, eXIf and tIME chunks. */
    public static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(picture(w, h), "png", plain);
        byte[] p = plain.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int afterIhdr = 8 + 8 + 13 + 4;
        out.write(p, 0, afterIhdr);
        chunk(out, "tEXt", concat("Author\0".getBytes(StandardCharsets.ISO_8859_1), ARTIST.getBytes(StandardCharsets.ISO_8859_1)));
        chunk(out, "tEXt", concat("Title\0".getBytes(StandardCharsets.ISO_8859_1), TITLE.getBytes(StandardCharsets.ISO_8859_1)));
        chunk(out, "iTXt", concat("XML:com.adobe.xmp\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1), xmpPacket()));
        chunk(out, "eXIf", exif(1));
        chunk(out, "tIME", new byte[]{0x07, (byte) 0xEA, 1, 2, 3, 4, 5});
        out.write(p, afterIhdr, p.length - afterIhdr);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(len.array());
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A GIF with a comment extension and an XMP application extension. */
    public static byte[] gif(int w, int h) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(picture(w, h), "gif", plain);
        byte[] p = plain.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p, 0, p.length - 1);
        out.write(0x21);
        out.write(0xFE);
        subBlocks(out, COMMENT.getBytes(StandardCharsets.US_ASCII));
        out.write(0x21);
        out.write(0xFF);
        out.write(11);
        out.writeBytes("XMP DataXMP".getBytes(StandardCharsets.US_ASCII));
        subBlocks(out, xmpPacket());
        out.write(0x3B);
        return out.toByteArray();
    }

    private static void subBlocks(ByteArrayOutputStream out, byte[] data) {
        for (int i = 0; i < data.length; i += 255) {
            int n = Math.min(255, data.length - i);
            out.write(n);
            out.write(data, i, n);
        }
        out.write(0);
    }

    /** An uncompressed RGB TIFF whose own IFD carries artist, description and serial tags. */
    public static byte[] tiff(int w, int h) {
        BufferedImage img = picture(w, h);
        byte[] pixels = new byte[w * h * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                pixels[i++] = (byte) (rgb >> 16);
                pixels[i++] = (byte) (rgb >> 8);
                pixels[i++] = (byte) rgb;
            }
        }
        // Pixels first (at offset 8), then the IFD: the builder lays the IFD out where we say.
        int ifdAt = 8 + pixels.length + (pixels.length & 1);
        TiffBlock ifd = new TiffBlock().longValue(0x0100, w).longValue(0x0101, h).shortValue(0x0102, 8)
                .shortValue(0x0103, 1).shortValue(0x0106, 2).longValue(0x0111, 8).shortValue(0x0115, 3)
                .longValue(0x0116, h).longValue(0x0117, pixels.length).ascii(0x013B, ARTIST)
                .ascii(0x010E, TITLE).ascii(0x0131, SERIAL);
        byte[] dir = ifd.layout(ifdAt);
        ByteBuffer b = ByteBuffer.allocate(ifdAt + dir.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{'I', 'I', 42, 0}).putInt(ifdAt).put(pixels);
        b.position(ifdAt);
        b.put(dir);
        return b.array();
    }

    /** A BMP with identifying bytes hidden after the pixel data. */
    public static byte[] bmp(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture(w, h), "bmp", out);
        out.writeBytes(COMMENT.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** An SVG with editor metadata, RDF, a comment, a script and an event handler. */
    public static byte[] svg() {
        return ("<?xml version='1.0' encoding='UTF-8'?>\n<!-- " + COMMENT + " -->\n"
                + "<svg xmlns='http://www.w3.org/2000/svg' xmlns:inkscape='http://www.inkscape.org/namespaces/inkscape'"
                + " xmlns:sodipodi='http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd'"
                + " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns:dc='http://purl.org/dc/elements/1.1/'"
                + " width='100' height='100' sodipodi:docname='" + TITLE + ".svg' inkscape:export-filename='/home/"
                + OWNER + "/x.png'>\n"
                + "<title>" + TITLE + "</title><metadata><rdf:RDF><dc:creator>" + ARTIST + "</dc:creator></rdf:RDF></metadata>\n"
                + "<sodipodi:namedview inkscape:document-units='" + SERIAL + "'/>\n"
                + "<script>alert('" + XMP + "')</script>\n"
                + "<rect x='10' y='10' width='80' height='80' fill='red' onclick='steal(\"" + DATUM + "\")'/>\n"
                + "<circle cx='50' cy='50' r='20' fill='blue'/>\n</svg>\n").getBytes(StandardCharsets.UTF_8);
    }

    public static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The planted values that occur in {@code bytes} (empty when clean). */
    public static List<String> plantedIn(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        String utf16 = new String(bytes, StandardCharsets.UTF_16LE);
        List<String> hits = new java.util.ArrayList<>(
                ALL.stream().filter(v -> s.contains(v) || utf16.contains(v)).toList());
        if (hits.isEmpty() && (s.contains(PLANTED) || utf16.contains(PLANTED))) hits.add(PLANTED);
        return hits;
    }
}
