package dev.postern.vault;

import java.text.Normalizer;
import java.util.Optional;

/**
 * A source's receipt code: 25 random decimal digits (83 bits), shown once in five groups of five.
 * Digits are the same in every script and keyboard, so the code is language-neutral.
 *
 * <p>WARNING: a receipt is the only credential a source has. Never log it, never store it; the
 * server keeps only {@link ReceiptSecrets#lookupId()}.
 */
public final class Receipt {
    public static final int DIGITS = 25;
    public static final int GROUP = 5;
    private final String digits;

    private Receipt(String digits) {
        this.digits = digits;
    }

    public static Receipt generate() {
        StringBuilder b = new StringBuilder(DIGITS);
        for (int i = 0; i < DIGITS; i++) {
            b.append((char) ('0' + Crypto.random().nextInt(10)));
        }
        return new Receipt(b.toString());
    }

    /**
     * Reads a receipt as a person types it: spaces, dashes, dots and any Unicode digit forms
     * (full-width, Arabic-Indic) are accepted; letters are not.
     */
    public static Optional<Receipt> parse(String typed) {
        if (typed == null || typed.length() > 200) {
            return Optional.empty();
        }
        String normalized = Normalizer.normalize(typed, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(DIGITS);
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (Character.isDigit(c)) {
                b.append((char) ('0' + Character.digit(c, 10)));
            } else if (!(Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '-' || c == '.'
                    || c == '\u2010' || c == '\u2011' || c == '\u2012' || c == '\u2013' || c == '\u2014')) {
                return Optional.empty();
            }
        }
        return b.length() == DIGITS ? Optional.of(new Receipt(b.toString())) : Optional.empty();
    }

    /** The code as shown to the source: {@code 12345 67890 12345 67890 12345}. */
    public String grouped() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < DIGITS; i += GROUP) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(digits, i, i + GROUP);
        }
        return b.toString();
    }

    /** Entropy in bits: 25 * log2(10). */
    public static double entropyBits() {
        return DIGITS * Math.log(10) / Math.log(2);
    }

    byte[] canonicalBytes() {
        return digits.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && java.security.MessageDigest.isEqual(canonicalBytes(), r.canonicalBytes());
    }

    @Override
    public int hashCode() {
        return 0; // receipts are not meant for hash maps; keep equals/hashCode consistent without leaking
    }

    @Override
    public String toString() {
        return "Receipt[REDACTED]";
    }
}
