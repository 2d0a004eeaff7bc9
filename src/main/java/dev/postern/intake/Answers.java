package dev.postern.intake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What a source says in the report form. Encoded as length-prefixed UTF-8 before encryption.
 *
 * @param what    what happened
 * @param when    when, in the source's own words
 * @param where   where
 * @param details free text
 */
public record Answers(String what, String when, String where, String details) {
    public static final int SHORT_FIELD_CHARS = 1_000;
    public static final int LONG_FIELD_CHARS = 100_000;

    public Answers {
        what = what == null ? "" : what.strip();
        when = when == null ? "" : when.strip();
        where = where == null ? "" : where.strip();
        details = details == null ? "" : details.strip();
    }

    public boolean isEmpty() {
        return what.isEmpty() && when.isEmpty() && where.isEmpty() && details.isEmpty();
    }

    /** A one-line preview for the desk list. */
    public String headline() {
        String s = !what.isEmpty() ? what : details;
        s = s.replaceAll("\\s+", " ");
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    public byte[] encode() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(1);
            for (String s : new String[] {what, when, where, details}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return buffer.toByteArray();
    }

    static Answers decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != 1) {
                throw new IllegalStateException("unknown answers format");
            }
            String[] v = new String[4];
            for (int i = 0; i < 4; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                v[i] = new String(b, StandardCharsets.UTF_8);
            }
            return new Answers(v[0], v[1], v[2], v[3]);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt answers", e);
        }
    }
}
