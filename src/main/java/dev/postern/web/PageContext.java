package dev.postern.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What every template needs: the texts of the page's language, the form token for the page's forms
 * and, on desk pages, the signed-in colleague's name, role and time zone.
 *
 * @param csrf      the form token; empty where a page has no form
 * @param deskUser  the signed-in colleague's shown name, or empty on source pages
 * @param path      the page's own path, for language links; empty where following one would lose
 *                  what the page shows (the receipt)
 * @param zone      the zone desk hours are shown in (the colleague's own); UTC on source pages
 * @param deskAdmin whether the signed-in colleague is an administrator (the navigation shows their pages)
 */
public record PageContext(Texts texts, String csrf, String deskUser, String path, ZoneId zone, boolean deskAdmin) {
    /** The desk shows the hour in the colleague's zone, with the date and the zone's abbreviation. */
    private static final DateTimeFormatter LOCAL_HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);

    /** A page outside the desk (hours in UTC). */
    public PageContext(Texts texts, String csrf, String deskUser, String path) {
        this(texts, csrf, deskUser, path, ZoneOffset.UTC, false);
    }

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
        return String.format(Locale.ROOT, "%.1f", v).replace(".", texts.t("size.decimal")) + " " + units[u];
    }

    /** {@link #size(long, Texts)} in this page's language (source pages). */
    public String fileSize(long bytes) {
        return size(bytes, texts);
    }

    /** An hour timestamp as "2026-11-25 10:00 UTC" (source pages: the hour as stored). */
    public static String hour(long epochSeconds) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00 'UTC'")
                .withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(epochSeconds));
    }

    /**
     * A stored whole hour as the colleague reads it in their own zone: "2026-11-25 12:00 EET" (a
     * zone half an hour off UTC shows ":30", which is the same hour).
     */
    public String localHour(long epochSeconds) {
        return LOCAL_HOUR.withZone(zone).format(Instant.ofEpochSecond(epochSeconds));
    }
}
