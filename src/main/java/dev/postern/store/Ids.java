package dev.postern.store;

import dev.postern.vault.Crypto;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Random 128-bit ids, lowercase hex: unguessable and safe as file names. */
public final class Ids {
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{32}");

    private Ids() {
    }

    public static String newId() {
        return HexFormat.of().formatHex(Crypto.randomBytes(16));
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
