package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The message bundles: merged by union (.gitattributes), so a key two branches both added shows up
 * twice; placeholders agree across languages; and the Russian and Ukrainian source pages keep the
 * wording fixed in docs/i18n-review.md.
 */
class BundlesTest {
    static final List<String> LANGUAGES = Texts.LANGUAGES;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([0-9]+)[^}]*}");

    @Test
    void noKeyIsDefinedTwice() throws IOException {
        for (String lang : LANGUAGES) {
            List<String> twice = new ArrayList<>();
            TreeSet<String> seen = new TreeSet<>();
            for (String[] entry : entries(lang)) {
                if (!seen.add(entry[0])) {
                    twice.add(entry[0]);
                }
            }
            assertThat(twice).as("keys defined twice in messages_%s", lang).isEmpty();
        }
    }

    @Test
    void everyKeyExistsInAllThreeLanguages() throws IOException {
        Map<String, TreeSet<String>> keys = new LinkedHashMap<>();
        for (String lang : LANGUAGES) {
            keys.put(lang, new TreeSet<>(map(lang).keySet()));
        }
        for (String lang : LANGUAGES) {
            for (String other : LANGUAGES) {
                TreeSet<String> missing = new TreeSet<>(keys.get(other));
                missing.removeAll(keys.get(lang));
                assertThat(missing).as("keys of messages_%s missing from messages_%s", other, lang).isEmpty();
            }
            assertThat(map(lang).entrySet()).as("empty values in messages_%s", lang)
                    .noneMatch(e -> e.getValue().isBlank());
        }
    }

    @Test
    void placeholdersAgreeAcrossLanguages() throws IOException {
        Map<String, String> en = map("en");
        for (String lang : List.of("ru", "uk")) {
            map(lang).forEach((key, value) -> {
                if (en.containsKey(key)) {
                    assertThat(placeholders(value)).as("placeholders of %s in %s", key, lang)
                            .isEqualTo(placeholders(en.get(key)));
                }
            });
        }
    }

    /** What the native reading of issue 8 (item 9) found must not come back on the source side. */
    @Test
    void sourceWordingKeepsItsFixes() throws IOException {
        Map<String, Pattern> banned = new LinkedHashMap<>();
        banned.put("«в час» (reads «at one o'clock»)", Pattern.compile("в час "));
        banned.put("«визит»/«візит» (say «сеанс»)", Pattern.compile("(?iu)визит|візит"));
        banned.put("a calque «код ничего не открывает»", Pattern.compile("(?iu)ничего не открывает|нічого не відкриває"));
        banned.put("a bare «часть»/«частина» for a military unit", Pattern.compile(
                "(?u)(?<!воинская )(?<!військова )\\b(часть|частина)\\b(?! (сейчас|зараз))"));
        banned.put("«компьютером или телефоном и сетью»", Pattern.compile("(?u)телефоном (и|і) мереж|телефоном и сет"));
        banned.put("«удалите их»/«видаліть їх»", Pattern.compile("(?u)удалите их|видаліть їх"));
        banned.put("«Вже» at the start of a sentence", Pattern.compile("(?u)(^|[.!?]\\s+)Вже\\b"));
        banned.put("«Завантаження»/«загрузка» (upload or download?)", Pattern.compile("(?iu)завантаженн|завантажу|загрузк|загружа"));
        banned.put("binary unit symbols in Cyrillic text", Pattern.compile("MiB|GiB|KiB|МиБ|ГиБ|КиБ"));
        for (String lang : List.of("ru", "uk")) {
            map(lang).forEach((key, value) -> {
                if (key.startsWith("desk.")) {
                    return;
                }
                banned.forEach((why, pattern) ->
                        assertThat(pattern.matcher(value).find()).as("%s in %s of messages_%s: %s", why, key, lang, value)
                                .isFalse());
            });
        }
    }

    private static TreeSet<String> placeholders(String value) {
        TreeSet<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    static Map<String, String> map(String lang) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (String[] e : entries(lang)) {
            map.put(e[0], e[1]);
        }
        return map;
    }

    /** Key and value of every line, in file order (duplicates kept: java.util.Properties would hide them). */
    static List<String[]> entries(String lang) throws IOException {
        List<String[]> entries = new ArrayList<>();
        try (InputStream in = BundlesTest.class.getResourceAsStream("/i18n/messages_" + lang + ".properties")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                assertThat(eq).as("a key=value line in messages_%s: %s", lang, line).isPositive();
                entries.add(new String[] {line.substring(0, eq).strip(), line.substring(eq + 1)});
            }
        }
        return entries;
    }
}
