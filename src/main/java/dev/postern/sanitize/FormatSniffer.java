package dev.postern.sanitize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Detects the format of a file from its leading bytes ("magic numbers"), never from its name: a
 * source may rename a file, and a hostile file may lie about what it is.
 */
public final class FormatSniffer {

    private static final int HEAD = 8192;

    /** Reads the head of the file (and, for zips, its central directory) and names the format. */
    public DetectedFormat detect(Path file) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(file)) {
            h = in.readNBytes(HEAD);
        }
        DetectedFormat binary = detectBinary(h);
        if (binary != null) {
            if (binary.format() == EvidenceFormat.ZIP) {
                return detectZipFlavour(file);
            }
            return binary;
        }
        return detectText(h);
    }

    static DetectedFormat detectBinary(byte[] h) {
        if (h.length == 0) {
            return DetectedFormat.refused("empty file");
        }
        if (startsWith(h, 0, 0xFF, 0xD8, 0xFF)) return DetectedFormat.of(EvidenceFormat.JPEG);
        if (startsWith(h, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return DetectedFormat.of(EvidenceFormat.PNG);
        if (ascii(h, 0, "GIF87a") || ascii(h, 0, "GIF89a")) return DetectedFormat.of(EvidenceFormat.GIF);
        if (startsWith(h, 0, 'I', 'I', 42, 0) || startsWith(h, 0, 'M', 'M', 0, 42)) return DetectedFormat.of(EvidenceFormat.TIFF);
        if (ascii(h, 0, "BM") && h.length >= 18 && isBmpHeaderSize(u32le(h, 14))) return DetectedFormat.of(EvidenceFormat.BMP);
        if (ascii(h, 0, "RIFF") && h.length >= 12) {
            if (ascii(h, 8, "WEBP")) return DetectedFormat.of(EvidenceFormat.WEBP);
            if (ascii(h, 8, "WAVE")) return DetectedFormat.of(EvidenceFormat.WAV);
            if (ascii(h, 8, "AVI ")) return DetectedFormat.of(EvidenceFormat.AVI);
        }
        if (ascii(h, 0, "FORM") && h.length >= 12 && (ascii(h, 8, "AIFF") || ascii(h, 8, "AIFC"))) {
            return DetectedFormat.of(EvidenceFormat.AIFF);
        }
        if (h.length >= 12 && ascii(h, 4, "ftyp")) return isoBmff(asciiAt(h, 8, 4));
        if (h.length >= 8 && (ascii(h, 4, "moov") || ascii(h, 4, "mdat") || ascii(h, 4, "wide")
                || ascii(h, 4, "free") || ascii(h, 4, "skip") || ascii(h, 4, "pnot"))) {
            return DetectedFormat.of(EvidenceFormat.MOV);
        }
        if (startsWith(h, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return DetectedFormat.of(indexOf(h, "webm", 64) >= 0 ? EvidenceFormat.WEBM : EvidenceFormat.MKV);
        }
        if (ascii(h, 0, "OggS")) return DetectedFormat.of(EvidenceFormat.OGG);
        if (ascii(h, 0, "fLaC")) return DetectedFormat.of(EvidenceFormat.FLAC);
        if (ascii(h, 0, "ID3")) return DetectedFormat.of(EvidenceFormat.MP3);
        if (h.length >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0) {
            int layer = (h[1] >> 1) & 0x3;
            if (layer == 0 && (h[1] & 0xF6) == 0xF0) return DetectedFormat.of(EvidenceFormat.AAC);
            // A sync word alone is 11 bits: demand a valid header followed by another frame.
            if (layer != 0 && dev.postern.sanitize.media.MpegAudioFrame.looksLikeFrames(h, 0)) {
                return DetectedFormat.of(EvidenceFormat.MP3);
            }
        }
        if (startsWith(h, 0, 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11)) return DetectedFormat.of(EvidenceFormat.ASF);
        if (indexOf(h, "%PDF-", 1024) >= 0) return DetectedFormat.of(EvidenceFormat.PDF);
        if (startsWith(h, 0, 'P', 'K', 3, 4) || startsWith(h, 0, 'P', 'K', 5, 6)) return DetectedFormat.of(EvidenceFormat.ZIP);
        if (h.length >= 262 && ascii(h, 257, "ustar")) return DetectedFormat.of(EvidenceFormat.TAR);
        if (startsWith(h, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return DetectedFormat.refused("legacy OLE2 Office file (DOC/XLS/PPT/MSG): its metadata streams are not"
                    + " handled; convert it to DOCX/XLSX/PPTX or ODF first");
        }
        if (ascii(h, 0, "{\\rtf")) {
            return DetectedFormat.refused("RTF: its \\info group and revision tables are not handled; convert to DOCX or ODT first");
        }
        if (startsWith(h, 0, 0x1F, 0x8B) || ascii(h, 0, "BZh") || startsWith(h, 0, 0xFD, '7', 'z', 'X', 'Z', 0)
                || startsWith(h, 0, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C) || ascii(h, 0, "Rar!")) {
            return DetectedFormat.refused("compressed archive (gzip/bzip2/xz/7z/rar) is not handled: unpack it and"
                    + " submit the files or a ZIP/TAR of them");
        }
        return null;
    }

    private static DetectedFormat isoBmff(String brand) {
        return switch (brand) {
            case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis" ->
                    new DetectedFormat(EvidenceFormat.HEIF, "HEIF/HEIC/AVIF image: no HEVC/AV1 still-image encoder"
                            + " is available here to write a clean copy in the same format, and it is not silently"
                            + " converted; convert it to JPEG or PNG and sanitize that");
            case "qt  " -> DetectedFormat.of(EvidenceFormat.MOV);
            case "M4A ", "M4B ", "M4P " -> DetectedFormat.of(EvidenceFormat.M4A);
            case "M4V ", "M4VH", "M4VP" -> DetectedFormat.of(EvidenceFormat.M4V);
            default -> DetectedFormat.of(EvidenceFormat.MP4);
        };
    }

    private static DetectedFormat detectZipFlavour(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry mimetype = zip.getEntry("mimetype");
            if (mimetype != null && mimetype.getSize() >= 0 && mimetype.getSize() < 200) {
                String mt;
                try (InputStream in = zip.getInputStream(mimetype)) {
                    mt = new String(in.readNBytes(200), StandardCharsets.US_ASCII).trim();
                }
                switch (mt) {
                    case "application/vnd.oasis.opendocument.text": return DetectedFormat.of(EvidenceFormat.ODT);
                    case "application/vnd.oasis.opendocument.spreadsheet": return DetectedFormat.of(EvidenceFormat.ODS);
                    case "application/vnd.oasis.opendocument.presentation": return DetectedFormat.of(EvidenceFormat.ODP);
                    case "application/vnd.oasis.opendocument.graphics": return DetectedFormat.of(EvidenceFormat.ODG);
                    case "application/epub+zip": return DetectedFormat.of(EvidenceFormat.EPUB);
                    default: break;
                }
            }
            if (zip.getEntry("[Content_Types].xml") != null) {
                if (zip.getEntry("word/document.xml") != null) return DetectedFormat.of(EvidenceFormat.DOCX);
                if (zip.getEntry("xl/workbook.xml") != null) return DetectedFormat.of(EvidenceFormat.XLSX);
                if (zip.getEntry("ppt/presentation.xml") != null) return DetectedFormat.of(EvidenceFormat.PPTX);
                return DetectedFormat.refused("OOXML package of an unhandled kind (not DOCX, XLSX or PPTX)");
            }
            return DetectedFormat.of(EvidenceFormat.ZIP);
        } catch (IOException | RuntimeException e) {
            return DetectedFormat.refused("damaged ZIP container: " + e.getMessage());
        }
    }

    static DetectedFormat detectText(byte[] h) {
        String text;
        try {
            int n = h.length;
            // The head may cut a multi-byte character: back off up to 3 bytes before decoding.
            int cut = n == HEAD ? Math.max(0, n - 3) : n;
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(h, 0, cut)).toString();
        } catch (CharacterCodingException e) {
            return new DetectedFormat(EvidenceFormat.UNKNOWN, "unrecognised binary format");
        }
        if (text.indexOf('\0') >= 0) {
            return new DetectedFormat(EvidenceFormat.UNKNOWN, "unrecognised binary format");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String start = lower.stripLeading();
        if (start.startsWith("\ufeff")) start = start.substring(1).stripLeading();
        if (lower.contains("<svg") && (start.startsWith("<?xml") || start.startsWith("<svg") || start.startsWith("<!--")
                || start.startsWith("<!doctype svg"))) {
            return DetectedFormat.of(EvidenceFormat.SVG);
        }
        if (start.startsWith("<!doctype html") || start.startsWith("<html") || lower.contains("<html")
                || (start.startsWith("<") && (lower.contains("<head") || lower.contains("<body")))) {
            return DetectedFormat.of(EvidenceFormat.HTML);
        }
        if (start.startsWith("<") || looksLikeMarkup(lower)) {
            // Markup we do not understand: its metadata cannot be told apart from its text, so it is
            // not passed through as "plain text" (a damaged SVG or XML would keep its comments).
            return DetectedFormat.refused("XML or markup document of an unrecognised kind: its metadata"
                    + " cannot be told apart from its content");
        }
        return DetectedFormat.of(EvidenceFormat.TEXT);
    }

    /**
     * True for text carrying XML or SGML markup (declarations, comments, namespaces, SVG): such a
     * file is structured, so treating it as plain text would keep its metadata as "wording".
     *
     * @param lower the text in lower case
     */
    public static boolean looksLikeMarkup(String lower) {
        return lower.contains("<?xml") || lower.contains("<svg") || lower.contains("<!--")
                || lower.contains("<!doctype") || lower.contains("xmlns") || lower.contains("<![cdata[");
    }

    private static boolean isBmpHeaderSize(long size) {
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108 || size == 124;
    }

    private static long u32le(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    private static boolean startsWith(byte[] h, int off, int... bytes) {
        if (h.length < off + bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) {
            if ((h[off + i] & 0xFF) != (bytes[i] & 0xFF)) return false;
        }
        return true;
    }

    private static boolean ascii(byte[] h, int off, String s) {
        if (h.length < off + s.length()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (h[off + i] != (byte) s.charAt(i)) return false;
        }
        return true;
    }

    private static String asciiAt(byte[] h, int off, int len) {
        return new String(h, off, Math.min(len, h.length - off), StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] h, String s, int within) {
        int limit = Math.min(h.length, within) - s.length();
        for (int i = 0; i <= limit; i++) {
            if (ascii(h, i, s)) return i;
        }
        return -1;
    }
}
