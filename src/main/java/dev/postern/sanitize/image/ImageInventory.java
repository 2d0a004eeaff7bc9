package dev.postern.sanitize.image;

import dev.postern.sanitize.EvidenceFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the metadata an image file carries before it is re-encoded, so that the report is specific
 * ("EXIF GPSLatitude", "PNG tEXt Author") rather than a vague "metadata removed". Only names and
 * kinds are recorded, never values: the report itself may be shared.
 */
final class ImageInventory {

    /** What was found. */
    record Result(List<String> found, int orientation, int frames) {
    }

    private final List<String> found = new ArrayList<>();
    private int orientation = 1;
    private int frames = 1;

    static Result of(EvidenceFormat format, byte[] b) {
        ImageInventory inv = new ImageInventory();
        try {
            switch (format) {
                case JPEG -> inv.jpeg(b);
                case PNG -> inv.png(b);
                case GIF -> inv.gif(b);
                case TIFF -> inv.exif(b, 0, b.length);
                case WEBP -> inv.webp(b);
                case BMP -> inv.bmp(b);
                default -> { }
            }
        } catch (IndexOutOfBoundsException e) {
            // A truncated structure: what was named so far stays listed; decoding decides the rest.
            inv.found.add("malformed metadata structure (dropped)");
        }
        return new Result(List.copyOf(inv.found), inv.orientation, inv.frames);
    }

    private void exif(byte[] b, int off, int len) {
        ExifDirectory.Inventory e = ExifDirectory.read(b, off, len);
        found.addAll(e.tags());
        if (e.hasThumbnail()) found.add("EXIF thumbnail image");
        orientation = e.orientation();
    }

    private void jpeg(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) return;
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) { p++; continue; }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) { p += 2; continue; }
            if (marker == 0xDA || marker == 0xD9) return;
            int len = u16be(b, p + 2);
            int data = p + 4;
            int dataLen = len - 2;
            if (dataLen < 0 || data + dataLen > b.length) return;
            if (marker == 0xE1 && startsWith(b, data, "Exif\0\0")) {
                found.add("JPEG APP1 EXIF block");
                exif(b, data + 6, dataLen - 6);
            } else if (marker == 0xE1 && startsWith(b, data, "http://ns.adobe.com/xap/1.0/")) {
                found.add("XMP packet (APP1)");
            } else if (marker == 0xE1 && startsWith(b, data, "http://ns.adobe.com/xmp/extension/")) {
                found.add("extended XMP (APP1)");
            } else if (marker == 0xE2 && startsWith(b, data, "ICC_PROFILE")) {
                found.add("ICC profile (APP2)");
            } else if (marker == 0xE2 && startsWith(b, data, "MPF")) {
                found.add("MPF preview images (APP2)");
            } else if (marker == 0xED) {
                found.add("IPTC/Photoshop block (APP13)");
            } else if (marker == 0xEE) {
                found.add("Adobe APP14 block");
            } else if (marker == 0xFE) {
                found.add("JPEG comment (COM)");
            } else if (marker == 0xE0 && startsWith(b, data, "JFXX")) {
                found.add("JFIF thumbnail (APP0 JFXX)");
            } else if (marker > 0xE0 && marker <= 0xEF) {
                found.add("JPEG APP" + (marker - 0xE0) + " segment");
            }
            p = data + dataLen;
        }
    }

    private void png(byte[] b) {
        int p = 8;
        while (p + 12 <= b.length) {
            long len = u32be(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int data = p + 8;
            if (len < 0 || data + len + 4 > b.length) {
                return;
            }
            int n = (int) len;
            switch (type) {
                case "tEXt", "zTXt", "iTXt" -> found.add("PNG " + type + " " + keyword(b, data, n));
                case "eXIf" -> { found.add("PNG eXIf EXIF block"); exif(b, data, n); }
                case "iCCP" -> found.add("ICC profile (PNG iCCP)");
                case "tIME" -> found.add("PNG tIME modification time");
                case "acTL" -> frames = Math.max(2, frames);
                case "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "pHYs", "bKGD", "sBIT",
                     "fcTL", "fdAT" -> { }
                default -> found.add("PNG chunk " + printable(type));
            }
            if (type.equals("IEND")) {
                if (data + n + 4 < b.length) found.add("data after the end of the PNG");
                return;
            }
            p = data + n + 4;
        }
    }

    private void gif(byte[] b) {
        int p = 13;
        int flags = b[10] & 0xFF;
        if ((flags & 0x80) != 0) p += 3 * (1 << ((flags & 7) + 1));
        int images = 0;
        while (p < b.length) {
            int block = b[p] & 0xFF;
            if (block == 0x3B) break;
            if (block == 0x21) {
                int label = b[p + 1] & 0xFF;
                int q = p + 2;
                if (label == 0xFE) found.add("GIF comment");
                else if (label == 0x01) found.add("GIF plain-text extension");
                else if (label == 0xFF) {
                    String app = new String(b, q + 1, Math.min(11, b[q] & 0xFF), StandardCharsets.ISO_8859_1);
                    if (app.startsWith("XMP Data")) found.add("XMP packet (GIF application extension)");
                    else if (!app.startsWith("NETSCAPE2.0") && !app.startsWith("ANIMEXTS1.0")) {
                        found.add("GIF application extension " + printable(app));
                    }
                }
                p = skipSubBlocks(b, q);
            } else if (block == 0x2C) {
                images++;
                int f = b[p + 9] & 0xFF;
                p += 10;
                if ((f & 0x80) != 0) p += 3 * (1 << ((f & 7) + 1));
                p = skipSubBlocks(b, p + 1);
            } else {
                break;
            }
        }
        frames = Math.max(1, images);
    }

    private static int skipSubBlocks(byte[] b, int p) {
        while (p < b.length) {
            int n = b[p] & 0xFF;
            p += 1 + n;
            if (n == 0) break;
        }
        return p;
    }

    private void webp(byte[] b) {
        int p = 12;
        while (p + 8 <= b.length) {
            String type = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            long len = u32le(b, p + 4);
            int data = p + 8;
            if (data + len > b.length) return;
            int n = (int) len;
            switch (type) {
                case "EXIF" -> {
                    found.add("WebP EXIF chunk");
                    int off = startsWith(b, data, "Exif\0\0") ? 6 : 0;
                    exif(b, data + off, n - off);
                }
                case "XMP " -> found.add("XMP packet (WebP)");
                case "ICCP" -> found.add("ICC profile (WebP)");
                case "ANIM", "ANMF" -> frames = Math.max(2, frames);
                case "VP8 ", "VP8L", "VP8X", "ALPH" -> { }
                default -> found.add("WebP chunk " + printable(type));
            }
            p = data + n + (n & 1);
        }
    }

    private void bmp(byte[] b) {
        if (b.length >= 14 + 124 && u32le(b, 14) == 124 && startsWith(b, 14 + 56, "MBED")) {
            found.add("ICC profile (BMP)");
        } else if (b.length >= 14 + 124 && u32le(b, 14) == 124 && startsWith(b, 14 + 56, "LINK")) {
            found.add("linked ICC profile path (BMP)");
        }
    }

    private static String keyword(byte[] b, int off, int len) {
        int end = off;
        while (end < off + Math.min(len, 79) && b[end] != 0) end++;
        return printable(new String(b, off, end - off, StandardCharsets.ISO_8859_1));
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static boolean startsWith(byte[] b, int off, String s) {
        if (off < 0 || off + s.length() > b.length) return false;
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != (byte) s.charAt(i)) return false;
        }
        return true;
    }

    private static int u16be(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }

    private static long u32le(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
