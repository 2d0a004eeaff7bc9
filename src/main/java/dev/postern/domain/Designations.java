package dev.postern.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Human-friendly names for reports ("amber heron 27"), so colleagues can say "please grant me amber
 * heron 27" instead of reading hex. A name is drawn at random (64 adjectives × 64 nouns × 1-99 =
 * 405,504 names) and says nothing about the report: it is stored in plaintext, and the database's
 * unique index per organization decides a clash, after which the caller draws again.
 *
 * <p>It lives in the domain rather than the desk because the store draws it when a report is
 * inserted (the store may not depend on services).
 */
public final class Designations {
    /** Draws after which the number range widens, so a very full organization still finds a free name. */
    public static final int NARROW_ATTEMPTS = 4;
    private static final Pattern FORMAT = Pattern.compile("[a-z]+ [a-z]+ [1-9][0-9]{0,3}");
    private static final List<String> ADJECTIVES = words("adjectives.txt");
    private static final List<String> NOUNS = words("nouns.txt");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Designations() {
    }

    /** A random name; from the {@value #NARROW_ATTEMPTS}th attempt on, with a number up to 9999. */
    public static String draw(int attempt) {
        int numbers = attempt < NARROW_ATTEMPTS ? 99 : 9999;
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + " " + NOUNS.get(RANDOM.nextInt(NOUNS.size()))
                + " " + (1 + RANDOM.nextInt(numbers));
    }

    /** Whether a text has the form of a designation (lower-case words and a number). */
    public static boolean isWellFormed(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /** How many names the narrow range holds. */
    public static int narrowCount() {
        return ADJECTIVES.size() * NOUNS.size() * 99;
    }

    private static List<String> words(String file) {
        try (InputStream in = Designations.class.getResourceAsStream("/designations/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing word list " + file);
            }
            List<String> words = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(w -> !w.isEmpty()).distinct().toList();
            if (words.size() != 64) {
                throw new IllegalStateException("word list " + file + " must hold 64 words");
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
