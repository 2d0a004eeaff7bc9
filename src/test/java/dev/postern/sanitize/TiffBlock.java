package dev.postern.sanitize;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Test helper: builds little-endian TIFF/EXIF tag structures carrying planted values. */
final class TiffBlock {
    static final int ASCII = 2, SHORT = 3, LONG = 4, RATIONAL = 5, UNDEFINED = 7;

    private record Entry(int tag, int type, int count, byte[] data, TiffBlock sub) {
    }

    private final List<Entry> entries = new ArrayList<>();

    TiffBlock ascii(int tag, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.US_ASCII);
        entries.add(new Entry(tag, ASCII, b.length, b, null));
        return this;
    }

    TiffBlock shortValue(int tag, int v) {
        entries.add(new Entry(tag, SHORT, 1, new byte[]{(byte) v, (byte) (v >> 8), 0, 0}, null));
        return this;
    }

    TiffBlock longValue(int tag, long v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v);
        entries.add(new Entry(tag, LONG, 1, b.array(), null));
        return this;
    }

    TiffBlock rationals(int tag, long... nd) {
        ByteBuffer b = ByteBuffer.allocate(nd.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : nd) b.putInt((int) v);
        entries.add(new Entry(tag, RATIONAL, nd.length / 2, b.array(), null));
        return this;
    }

    TiffBlock sub(int tag, TiffBlock ifd) {
        entries.add(new Entry(tag, LONG, 1, new byte[4], ifd));
        return this;
    }

    /** The whole block: "II*\0", offset 8, then this IFD and its sub-IFDs. */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = {'I', 'I', 42, 0, 8, 0, 0, 0};
        out.writeBytes(header);
        byte[] body = layout(8);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Lays this IFD out at absolute offset {@code at}, returning its bytes followed by data and sub-IFDs. */
    byte[] layout(int at) {
        entries.sort(Comparator.comparingInt(Entry::tag));
        int n = entries.size();
        int dirSize = 2 + 12 * n + 4;
        ByteBuffer dir = ByteBuffer.allocate(dirSize).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        int tailStart = at + dirSize;
        dir.putShort((short) n);
        List<Object[]> subs = new ArrayList<>();
        for (Entry e : entries) {
            dir.putShort((short) e.tag()).putShort((short) e.type()).putInt(e.count());
            if (e.sub() != null) {
                subs.add(new Object[]{dir.position(), e.sub()});
                dir.putInt(0);
            } else if (e.data().length <= 4) {
                byte[] v = new byte[4];
                System.arraycopy(e.data(), 0, v, 0, e.data().length);
                dir.put(v);
            } else {
                dir.putInt(tailStart + tail.size());
                tail.writeBytes(e.data());
                if ((tail.size() & 1) == 1) tail.write(0);
            }
        }
        dir.putInt(0);
        for (Object[] s : subs) {
            int pos = (int) s[0];
            int subAt = tailStart + tail.size();
            dir.putInt(pos, subAt);
            tail.writeBytes(((TiffBlock) s[1]).layout(subAt));
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(dir.array());
        all.writeBytes(tail.toByteArray());
        return all.toByteArray();
    }
}
