package dev.postern.domain;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * A status's name in the three languages of the source pages. Sealed under the organization's data
 * key in the status definition, and copied under the report key into every status change, so the
 * source reads the name in their language without the organization's key.
 */
public record StatusNames(String en, String ru, String uk) {
    private static final int VERSION = 1;
    /** The longest name the settings accept, in characters. */
    public static final int MAX_CHARS = 100;

    public StatusNames {
        Objects.requireNonNull(en, "en");
        Objects.requireNonNull(ru, "ru");
        Objects.requireNonNull(uk, "uk");
    }

    /** The name in {@code lang} (en, ru, uk); English for any other. */
    public String in(String lang) {
        return switch (lang) {
            case "ru" -> ru;
            case "uk" -> uk;
            default -> en;
        };
    }

    /** Whether every name is given and none is too long. */
    public boolean complete() {
        return valid(en) && valid(ru) && valid(uk);
    }

    private static boolean valid(String name) {
        return !name.isBlank() && name.length() <= MAX_CHARS;
    }

    public byte[] encode() {
        return Fields.encode(VERSION, this::write);
    }

    /** Reads what {@link #encode} wrote; IllegalArgumentException for anything else. */
    public static StatusNames decode(byte[] encoded) {
        return Fields.decode(encoded, VERSION, "status names", StatusNames::read);
    }

    void write(DataOutputStream out) throws IOException {
        Fields.write(out, en);
        Fields.write(out, ru);
        Fields.write(out, uk);
    }

    static StatusNames read(DataInputStream in) throws IOException {
        return new StatusNames(Fields.read(in), Fields.read(in), Fields.read(in));
    }
}
