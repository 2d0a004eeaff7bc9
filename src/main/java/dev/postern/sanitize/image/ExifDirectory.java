package dev.postern.sanitize.image;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bounds-checked reader of the TIFF/EXIF tag structure, used only to <em>name</em> what an image
 * carries (so the report can say "GPSLatitude, BodySerialNumber") and to find its orientation.
 * Values are never copied: the pixels are re-encoded without any of it.
 */
final class ExifDirectory {

    /** Tag names and the orientation, read from one EXIF/TIFF block. */
    record Inventory(List<String> tags, int orientation, boolean hasThumbnail) {
    }

    private static final Map<Integer, String> IFD0 = Map.ofEntries(
            Map.entry(0x010E, "ImageDescription"), Map.entry(0x010F, "Make"), Map.entry(0x0110, "Model"),
            Map.entry(0x0112, "Orientation"), Map.entry(0x0131, "Software"), Map.entry(0x0132, "DateTime"),
            Map.entry(0x013B, "Artist"), Map.entry(0x8298, "Copyright"), Map.entry(0x8769, "ExifIFD"),
            Map.entry(0x8825, "GPSInfo"), Map.entry(0xA005, "InteropIFD"), Map.entry(0x0201, "ThumbnailOffset"),
            Map.entry(0x0202, "ThumbnailLength"), Map.entry(0x829A, "ExposureTime"), Map.entry(0x829D, "FNumber"),
            Map.entry(0x8827, "ISOSpeed"), Map.entry(0x9003, "DateTimeOriginal"), Map.entry(0x9004, "DateTimeDigitized"),
            Map.entry(0x9010, "OffsetTime"), Map.entry(0x9011, "OffsetTimeOriginal"), Map.entry(0x920A, "FocalLength"),
            Map.entry(0x927C, "MakerNote"), Map.entry(0x9286, "UserComment"), Map.entry(0xA420, "ImageUniqueID"),
            Map.entry(0xA430, "CameraOwnerName"), Map.entry(0xA431, "BodySerialNumber"),
            Map.entry(0xA432, "LensSpecification"), Map.entry(0xA433, "LensMake"), Map.entry(0xA434, "LensModel"),
            Map.entry(0xA435, "LensSerialNumber"), Map.entry(0xC4A5, "PrintIM"), Map.entry(0x9C9B, "XPTitle"),
            Map.entry(0x9C9C, "XPComment"), Map.entry(0x9C9D, "XPAuthor"), Map.entry(0x9C9E, "XPKeywords"),
            Map.entry(0x9C9F, "XPSubject"), Map.entry(0x02BC, "XMP"), Map.entry(0x83BB, "IPTC"),
            Map.entry(0x8773, "ICCProfile"), Map.entry(0x8649, "PhotoshopSettings"), Map.entry(0x0100, "ImageWidth"),
            Map.entry(0x0101, "ImageLength"), Map.entry(0x0102, "BitsPerSample"), Map.entry(0x0103, "Compression"),
            Map.entry(0x0106, "PhotometricInterpretation"), Map.entry(0x0111, "StripOffsets"),
            Map.entry(0x0115, "SamplesPerPixel"), Map.entry(0x0116, "RowsPerStrip"), Map.entry(0x0117, "StripByteCounts"),
            Map.entry(0x011A, "XResolution"), Map.entry(0x011B, "YResolution"), Map.entry(0x0128, "ResolutionUnit"),
            Map.entry(0x011C, "PlanarConfiguration"), Map.entry(0x013C, "HostComputer"),
            Map.entry(0x010D, "DocumentName"), Map.entry(0x011D, "PageName"));

    private static final Map<Integer, String> GPS = Map.ofEntries(
            Map.entry(0x00, "GPSVersionID"), Map.entry(0x01, "GPSLatitudeRef"), Map.entry(0x02, "GPSLatitude"),
            Map.entry(0x03, "GPSLongitudeRef"), Map.entry(0x04, "GPSLongitude"), Map.entry(0x05, "GPSAltitudeRef"),
            Map.entry(0x06, "GPSAltitude"), Map.entry(0x07, "GPSTimeStamp"), Map.entry(0x10, "GPSImgDirectionRef"),
            Map.entry(0x11, "GPSImgDirection"), Map.entry(0x12, "GPSMapDatum"), Map.entry(0x1B, "GPSProcessingMethod"),
            Map.entry(0x1D, "GPSDateStamp"));

    /** Tags that describe pixel layout rather than the photographer: not worth a line in the report. */
    private static final Set<Integer> STRUCTURAL = Set.of(0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0111, 0x0115,
            0x0116, 0x0117, 0x011C, 0x0128, 0x011A, 0x011B, 0x8769, 0x8825, 0xA005);

    private static final int MAX_ENTRIES = 2000;

    private final byte[] b;
    private final int base;
    private final int end;
    private boolean little;
    private final List<String> tags = new ArrayList<>();
    private final Set<Integer> visited = new HashSet<>();
    private int orientation = 1;
    private boolean thumbnail;
    private int entries;

    private ExifDirectory(byte[] b, int base, int len) {
        this.b = b;
        this.base = base;
        this.end = Math.min(b.length, base + len);
    }

    /** Reads a TIFF-structured block starting at {@code base}; malformed parts are simply not listed. */
    static Inventory read(byte[] data, int base, int len) {
        ExifDirectory d = new ExifDirectory(data, base, len);
        d.parse();
        return new Inventory(List.copyOf(d.tags), d.orientation, d.thumbnail);
    }

    private void parse() {
        if (end - base < 8) return;
        if (b[base] == 'I' && b[base + 1] == 'I') little = true;
        else if (b[base] == 'M' && b[base + 1] == 'M') little = false;
        else return;
        long ifd0 = u32(base + 4);
        long next = ifd(ifd0, IFD0, "EXIF ");
        if (next > 0) {
            thumbnail = true;
            ifd(next, IFD0, "EXIF thumbnail ");
        }
    }

    /** Walks one directory, returns the offset of the next one (0 if none). */
    private long ifd(long offset, Map<Integer, String> names, String prefix) {
        if (offset <= 0 || offset > Integer.MAX_VALUE || !visited.add((int) offset)) return 0;
        int p = base + (int) offset;
        if (p + 2 > end || p < base) return 0;
        int count = u16(p);
        p += 2;
        for (int i = 0; i < count && entries++ < MAX_ENTRIES; i++, p += 12) {
            if (p + 12 > end) return 0;
            int tag = u16(p);
            int type = u16(p + 2);
            long value = u32(p + 8);
            String name = names.getOrDefault(tag, String.format("tag 0x%04X", tag));
            if (names == IFD0 && tag == 0x0112 && type == 3) {
                orientation = little ? (b[p + 8] & 0xFF) | (b[p + 9] & 0xFF) << 8 : (b[p + 8] & 0xFF) << 8 | (b[p + 9] & 0xFF);
            }
            if (!(names == IFD0 && STRUCTURAL.contains(tag))) {
                tags.add(prefix + name);
            }
            if (names == IFD0 && (tag == 0x8769 || tag == 0xA005)) {
                ifd(value, IFD0, prefix);
            } else if (names == IFD0 && tag == 0x8825) {
                ifd(value, GPS, "EXIF ");
            } else if (names == IFD0 && tag == 0x0201) {
                thumbnail = true;
            }
        }
        return p + 4 <= end ? u32(p) : 0;
    }

    private int u16(int p) {
        return little ? (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 : (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private long u32(int p) {
        if (p + 4 > end) return 0;
        return little
                ? (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
                : (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }
}
