package dev.postern.config;

import java.util.Locale;
import java.util.Properties;

/** Parses and range-checks numeric settings: nothing is narrowed after validation. */
final class Range {
    private Range() {
    }

    static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    static long longValue(Properties p, String name, long fallback, long min, long max) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + v.trim() + "'");
        }
        check(name, parsed, min, max);
        return parsed;
    }

    static int intValue(Properties p, String name, int fallback, int min, int max) {
        return (int) longValue(p, name, fallback, min, max);
    }

    static boolean booleanValue(Properties p, String name, boolean fallback) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + v.trim() + "'");
        };
    }
}
