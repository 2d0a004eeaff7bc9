package dev.postern.web;

/**
 * What every template needs: the texts of the page's language, the form token for the page's forms
 * and the signed-in recipient's name on desk pages.
 *
 * @param csrf     the form token; empty where a page has no form
 * @param deskUser the signed-in recipient, or empty on source pages
 * @param path     the page's own path, for language links; empty where following one would lose
 *                 what the page shows (the receipt)
 */
public record PageContext(Texts texts, String csrf, String deskUser, String path) {
    public String lang() {
        return texts.lang();
    }

    public String t(String key) {
        return texts.t(key);
    }

    public String t(String key, Object... args) {
        return texts.t(key, args);
    }

    /** A source-side URL with the page's language, so the choice survives without a cookie. */
    public String url(String path) {
        return path + (path.contains("?") ? "&" : "?") + "lang=" + lang();
    }

    /** Human-readable size in English (the desk): "1.5 MiB". */
    public static String size(long bytes) {
        return size(bytes, Texts.of("en"));
    }

    /**
     * Human-readable size in a language's unit symbols and decimal separator (bundle keys
     * {@code size.units}, {@code size.decimal}): "1.5 MiB", "1,5 МБ". Binary multiples throughout.
     */
    public static String size(long bytes, Texts texts) {
        String[] units = texts.t("size.units").split(",");
        if (bytes < 1024) {
            return bytes + " " + units[0];
        }
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f", v).replace(".", texts.t("size.decimal")) + " " + units[u];
    }

    /** {@link #size(long, Texts)} in this page's language (source pages). */
    public String fileSize(long bytes) {
        return size(bytes, texts);
    }

    /** An hour timestamp as "2026-11-25 10:00 UTC". */
    public static String hour(long epochSeconds) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochSecond(epochSeconds));
    }
}
