package dev.postern.web;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The user-facing texts of one language, from {@code i18n/messages_xx.properties} (UTF-8). Source
 * pages exist in English, Russian and Ukrainian; the desk too, in each colleague's own language.
 */
public final class Texts {
    public static final List<String> LANGUAGES = List.of("en", "ru", "uk");
    private static final Map<String, Texts> ALL = Map.of(
            "en", new Texts("en"), "ru", new Texts("ru"), "uk", new Texts("uk"));
    private final String lang;
    private final ResourceBundle bundle;

    private Texts(String lang) {
        this.lang = lang;
        this.bundle = ResourceBundle.getBundle("i18n.messages", Locale.forLanguageTag(lang),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Texts of(String lang) {
        return ALL.getOrDefault(lang, ALL.get("en"));
    }

    /**
     * The best supported language for an Accept-Language header (RFC 9110 weights), English if
     * none matches.
     */
    public static String fromAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > 500) {
            return "en";
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(header);
            String best = Locale.lookupTag(ranges, LANGUAGES);
            return best == null ? "en" : best;
        } catch (IllegalArgumentException e) {
            return "en";
        }
    }

    public String lang() {
        return lang;
    }

    public String t(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    public String t(String key, Object... args) {
        return new MessageFormat(t(key), Locale.forLanguageTag(lang)).format(args);
    }
}
