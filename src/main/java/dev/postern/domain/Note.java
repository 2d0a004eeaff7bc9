package dev.postern.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * An internal note on a report, for colleagues only, sealed under the report key
 * ({@code case_note.body}); the author is inside the ciphertext, not in a column.
 *
 * @param by   recipient id of the author
 * @param text the note
 */
public record Note(String by, String text) {
    private static final int VERSION = 1;

    public Note {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(text, "text");
    }

    public byte[] encode() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            Fields.write(out, by);
            Fields.write(out, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static Note decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown note version");
            }
            Note note = new Note(Fields.read(in), Fields.read(in));
            Fields.end(in);
            return note;
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not a note", e);
        }
    }
}
