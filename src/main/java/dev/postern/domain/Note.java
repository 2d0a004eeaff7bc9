package dev.postern.domain;

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
        return Fields.encode(VERSION, out -> {
            Fields.write(out, by);
            Fields.write(out, text);
        });
    }

    /** Reads what {@link #encode} wrote; IllegalArgumentException for anything else. */
    public static Note decode(byte[] encoded) {
        return Fields.decode(encoded, VERSION, "note", in -> new Note(Fields.read(in), Fields.read(in)));
    }
}
