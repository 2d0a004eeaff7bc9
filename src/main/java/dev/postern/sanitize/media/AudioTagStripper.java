package dev.postern.sanitize.media;

import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes tags from the simple audio containers (WAV, AIFF, FLAC, MP3) without decoding anything:
 * the file is rebuilt from an allow-list of structural chunks or blocks, and the audio bytes are
 * copied as they are. Only container headers are read, in memory-safe Java with bounds checks, so
 * this needs no separate process; anything unusual (RF64, streamed sizes, broken structure) is left
 * to the ffmpeg path by returning {@code false}.
 */
final class AudioTagStripper {

    /** WAV chunks needed to play the audio. */
    private static final Set<String> WAV_KEEP = Set.of("fmt ", "data", "fact");
    /** AIFF/AIFC chunks needed to play the audio. */
    private static final Set<String> AIFF_KEEP = Set.of("COMM", "SSND", "FVER");

    private AudioTagStripper() {
    }

    /** One byte range of the original to copy into the copy. */
    private record Range(long from, long length) {
    }

    /**
     * Writes a tag-free copy, or returns false (writing nothing useful) when the file should go
     * through ffmpeg instead.
     */
    static boolean strip(EvidenceFormat format, Path in, Path out, Findings f) throws IOException {
        try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ)) {
            Plan plan = switch (format) {
                case WAV -> riff(src, f);
                case AIFF -> aiff(src, f);
                case FLAC -> flac(src, f);
                case MP3 -> mp3(src, f);
                default -> null;
            };
            if (plan == null) return false;
            try (FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                dst.write(ByteBuffer.wrap(plan.header()));
                for (Range r : plan.ranges()) {
                    long done = 0;
                    while (done < r.length()) {
                        long n = src.transferTo(r.from() + done, r.length() - done, dst);
                        if (n <= 0) throw new IOException("short read");
                        done += n;
                    }
                }
                if (plan.trailer().length > 0) dst.write(ByteBuffer.wrap(plan.trailer()));
            }
            for (String s : plan.removed()) f.removed(s);
            return true;
        }
    }

    /** What to write: a fresh header, ranges of the original, a fresh trailer; and what was dropped. */
    private record Plan(byte[] header, List<Range> ranges, byte[] trailer, List<String> removed) {
    }

    private static ByteBuffer read(FileChannel c, long pos, int n, ByteOrder order) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        while (b.hasRemaining()) {
            if (c.read(b, pos + b.position()) < 0) return null;
        }
        return b.flip();
    }

    private static String id(ByteBuffer b, int at) {
        String s = new String(b.array(), at, 4, StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static Plan riff(FileChannel c, Findings f) throws IOException {
        long size = c.size();
        ByteBuffer h = read(c, 0, 12, ByteOrder.LITTLE_ENDIAN);
        if (h == null || !id(h, 0).equals("RIFF") || !id(h, 8).equals("WAVE")) return null;
        List<Range> keep = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        long body = 4;
        boolean data = false;
        for (long p = 12; p + 8 <= size; ) {
            ByteBuffer ch = read(c, p, 8, ByteOrder.LITTLE_ENDIAN);
            String id = id(ch, 0);
            long len = Integer.toUnsignedLong(ch.getInt(4));
            long padded = len + (len & 1);
            if (p + 8 + len > size) return null;
            if (WAV_KEEP.contains(id)) {
                keep.add(new Range(p, Math.min(8 + padded, size - p)));
                body += Math.min(8 + padded, size - p);
                data |= id.equals("data");
            } else {
                removed.add(describeWav(c, p, id, len));
            }
            p += 8 + padded;
        }
        if (!data || body > 0xFFFFFFFFL) return null;
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) body).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        return new Plan(header.array(), keep, new byte[0], removed);
    }

    private static String describeWav(FileChannel c, long p, String id, long len) throws IOException {
        if (id.equals("LIST") && len >= 4) {
            ByteBuffer t = read(c, p + 8, 4, ByteOrder.LITTLE_ENDIAN);
            if (t != null && id(t, 0).equals("INFO")) {
                List<String> keys = new ArrayList<>();
                long end = p + 8 + Math.min(len, 1 << 16);
                for (long q = p + 12; q + 8 <= end && keys.size() < 50; ) {
                    ByteBuffer s = read(c, q, 8, ByteOrder.LITTLE_ENDIAN);
                    if (s == null) break;
                    keys.add(id(s, 0));
                    long l = Integer.toUnsignedLong(s.getInt(4));
                    q += 8 + l + (l & 1);
                }
                return "WAV LIST/INFO tags " + String.join(", ", keys);
            }
        }
        return switch (id) {
            case "bext" -> "WAV bext chunk (broadcast originator, reference, date and time)";
            case "iXML" -> "WAV iXML chunk (recorder metadata)";
            case "_PMX" -> "XMP packet (WAV)";
            case "id3 ", "ID3 " -> "ID3 tag (WAV)";
            default -> "WAV chunk " + id;
        };
    }

    private static Plan aiff(FileChannel c, Findings f) throws IOException {
        long size = c.size();
        ByteBuffer h = read(c, 0, 12, ByteOrder.BIG_ENDIAN);
        if (h == null || !id(h, 0).equals("FORM")) return null;
        String kind = id(h, 8);
        if (!kind.equals("AIFF") && !kind.equals("AIFC")) return null;
        List<Range> keep = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        long body = 4;
        boolean sound = false;
        for (long p = 12; p + 8 <= size; ) {
            ByteBuffer ch = read(c, p, 8, ByteOrder.BIG_ENDIAN);
            String id = id(ch, 0);
            long len = Integer.toUnsignedLong(ch.getInt(4));
            long padded = len + (len & 1);
            if (p + 8 + len > size) return null;
            if (AIFF_KEEP.contains(id)) {
                keep.add(new Range(p, Math.min(8 + padded, size - p)));
                body += Math.min(8 + padded, size - p);
                sound |= id.equals("SSND");
            } else {
                removed.add(switch (id) {
                    case "NAME" -> "AIFF name";
                    case "AUTH" -> "AIFF author";
                    case "(c) " -> "AIFF copyright";
                    case "ANNO", "COMT" -> "AIFF annotation/comments";
                    case "ID3 " -> "ID3 tag (AIFF)";
                    default -> "AIFF chunk " + id;
                });
            }
            p += 8 + padded;
        }
        if (!sound || body > 0xFFFFFFFFL) return null;
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        header.put("FORM".getBytes(StandardCharsets.US_ASCII)).putInt((int) body).put(kind.getBytes(StandardCharsets.US_ASCII));
        return new Plan(header.array(), keep, new byte[0], removed);
    }

    private static Plan flac(FileChannel c, Findings f) throws IOException {
        long size = c.size();
        ByteBuffer h = read(c, 0, 4, ByteOrder.BIG_ENDIAN);
        if (h == null || !id(h, 0).equals("fLaC")) return null;
        List<long[]> keptBlocks = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        long p = 4;
        boolean last = false;
        int blocks = 0;
        while (!last) {
            ByteBuffer b = read(c, p, 4, ByteOrder.BIG_ENDIAN);
            if (b == null || ++blocks > 10_000) return null;
            int head = b.get(0) & 0xFF;
            last = (head & 0x80) != 0;
            int type = head & 0x7F;
            long len = ((b.get(1) & 0xFFL) << 16) | ((b.get(2) & 0xFFL) << 8) | (b.get(3) & 0xFFL);
            if (p + 4 + len > size) return null;
            switch (type) {
                case 0, 3 -> keptBlocks.add(new long[]{p, len, type});
                case 4 -> removed.add("FLAC Vorbis comments " + vorbisKeys(c, p + 4, len));
                case 6 -> removed.add("FLAC picture (cover art)");
                case 2 -> removed.add("FLAC application block");
                case 5 -> removed.add("FLAC cue sheet");
                case 1 -> { }
                default -> removed.add("FLAC metadata block type " + type);
            }
            p += 4 + len;
        }
        if (keptBlocks.isEmpty() || keptBlocks.get(0)[2] != 0) return null;
        // Rebuild the metadata headers (the last kept block carries the "last" flag), then copy frames.
        java.io.ByteArrayOutputStream meta = new java.io.ByteArrayOutputStream();
        meta.writeBytes("fLaC".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < keptBlocks.size(); i++) {
            long[] k = keptBlocks.get(i);
            ByteBuffer body = read(c, k[0] + 4, (int) k[1], ByteOrder.BIG_ENDIAN);
            if (body == null) return null;
            int flag = i == keptBlocks.size() - 1 ? 0x80 : 0;
            meta.write(flag | (int) k[2]);
            meta.write((int) (k[1] >> 16));
            meta.write((int) (k[1] >> 8));
            meta.write((int) k[1]);
            meta.writeBytes(body.array());
        }
        return new Plan(meta.toByteArray(), List.of(new Range(p, size - p)), new byte[0], removed);
    }

    /** Names (not values) of the fields in a Vorbis comment block. */
    private static String vorbisKeys(FileChannel c, long at, long len) throws IOException {
        if (len > (1 << 20)) return "(large)";
        ByteBuffer b = read(c, at, (int) len, ByteOrder.LITTLE_ENDIAN);
        List<String> keys = new ArrayList<>();
        try {
            int vendor = b.getInt();
            if (vendor < 0 || vendor > b.remaining()) return "(malformed)";
            b.position(b.position() + vendor);
            int n = b.getInt();
            for (int i = 0; i < n && i < 100; i++) {
                int l = b.getInt();
                if (l < 0 || l > b.remaining()) break;
                byte[] field = new byte[l];
                b.get(field);
                String s = new String(field, StandardCharsets.UTF_8);
                int eq = s.indexOf('=');
                keys.add((eq < 0 ? s : s.substring(0, eq)).replaceAll("[^\\w.-]", "?"));
            }
        } catch (RuntimeException e) {
            keys.add("(malformed)");
        }
        return String.join(", ", keys);
    }

    private static Plan mp3(FileChannel c, Findings f) throws IOException {
        long size = c.size();
        List<String> removed = new ArrayList<>();
        long start = 0;
        for (int guard = 0; guard < 8; guard++) {
            ByteBuffer h = read(c, start, 10, ByteOrder.BIG_ENDIAN);
            if (h == null || !new String(h.array(), 0, 3, StandardCharsets.ISO_8859_1).equals("ID3")) break;
            int flags = h.get(5) & 0xFF;
            long len = ((h.get(6) & 0x7FL) << 21) | ((h.get(7) & 0x7FL) << 14) | ((h.get(8) & 0x7FL) << 7) | (h.get(9) & 0x7FL);
            removed.add("ID3v2 tag " + id3Frames(c, start, h.get(3), len));
            start += 10 + len + ((flags & 0x10) != 0 ? 10 : 0);
        }
        long end = size;
        ByteBuffer tail = size >= 128 ? read(c, size - 128, 3, ByteOrder.BIG_ENDIAN) : null;
        if (tail != null && new String(tail.array(), StandardCharsets.ISO_8859_1).equals("TAG")) {
            removed.add("ID3v1 tag");
            end -= 128;
        }
        ByteBuffer ape = end >= 32 ? read(c, end - 32, 32, ByteOrder.LITTLE_ENDIAN) : null;
        if (ape != null && new String(ape.array(), 0, 8, StandardCharsets.ISO_8859_1).equals("APETAGEX")) {
            long tagSize = Integer.toUnsignedLong(ape.getInt(12));
            boolean header = (ape.getInt(20) & 0x80000000) != 0;
            end -= tagSize + (header ? 32 : 0);
            removed.add("APE tag");
        }
        if (end <= start) return null;
        // What is left must be a chain of MPEG frames from start to end, nothing else; anything
        // unusual (junk between frames, a trailing tag we do not know) goes to ffmpeg, which keeps
        // frames only.
        byte[] head = new byte[4];
        long p = start;
        long frames = 0;
        while (p < end) {
            ByteBuffer h = read(c, p, 4, ByteOrder.BIG_ENDIAN);
            if (h == null) return null;
            h.get(head);
            int len = MpegAudioFrame.length(head, 0);
            if (len <= 4 || p + len > end) return null;
            p += len;
            frames++;
        }
        if (frames == 0) return null;
        return new Plan(new byte[0], List.of(new Range(start, end - start)), new byte[0], removed);
    }

    /** Frame ids (TIT2, TPE1, APIC, GEOB...) of an ID3v2.3/2.4 tag, names only. */
    private static String id3Frames(FileChannel c, long start, byte version, long len) throws IOException {
        if (version < 3 || len > (4 << 20)) return "";
        ByteBuffer b = read(c, start + 10, (int) len, ByteOrder.BIG_ENDIAN);
        if (b == null) return "";
        List<String> ids = new ArrayList<>();
        int p = 0;
        while (p + 10 <= len && ids.size() < 100) {
            String frame = new String(b.array(), p, 4, StandardCharsets.ISO_8859_1);
            if (!frame.matches("[A-Z0-9]{4}")) break;
            long fl = version == 4
                    ? ((b.get(p + 4) & 0x7FL) << 21) | ((b.get(p + 5) & 0x7FL) << 14) | ((b.get(p + 6) & 0x7FL) << 7) | (b.get(p + 7) & 0x7FL)
                    : Integer.toUnsignedLong(b.getInt(p + 4));
            ids.add(frame);
            p += 10 + (int) Math.min(fl, len);
        }
        return "(" + String.join(", ", ids) + ")";
    }
}
