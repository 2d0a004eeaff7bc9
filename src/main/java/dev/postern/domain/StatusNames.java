package dev.postern.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static StatusNames decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown status names version");
            }
            StatusNames names = read(in);
            Fields.end(in);
            return names;
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not status names", e);
        }
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
