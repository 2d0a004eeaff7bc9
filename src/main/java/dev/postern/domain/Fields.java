package dev.postern.domain;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    static void end(DataInputStream in) throws IOException {
        if (in.read() != -1) {
            throw new IOException("trailing bytes");
        }
    }
}
