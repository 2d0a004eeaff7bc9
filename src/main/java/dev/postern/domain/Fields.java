package dev.postern.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed UTF-8 text fields for the small sealed case objects (status changes, notes, status
 * names): unlike {@link DataOutputStream#writeUTF} they hold texts longer than 64 KiB (a reason or a
 * note may be long), and a null is written as such.
 */
final class Fields {
    /** Far above any field the desk accepts: a corrupt length fails before allocating much. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private Fields() {
    }

    static void write(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("bad field length");
        }
        byte[] bytes = new byte[n];
        // readFully, not readNBytes: a truncated field must fail, not come back short.
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes the fields of one object. */
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the fields of one object. */
    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** A versioned encoding: the version byte, then the fields. */
    static byte[] encode(int version, Writer fields) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(version);
            fields.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Reads what {@link #encode} wrote with {@code version}: IllegalArgumentException for another
     * version, missing or trailing bytes, or a required field that is null.
     */
    static <T> T decode(byte[] encoded, int version, String what, Reader<T> fields) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != version) {
                throw new IllegalArgumentException("unknown " + what + " version");
            }
            T value = fields.read(in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the " + what);
            }
            return value;
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not a " + what, e);
        }
    }
}
