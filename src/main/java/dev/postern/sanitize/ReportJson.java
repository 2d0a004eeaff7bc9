package dev.postern.sanitize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON that {@link SanitizeReport#toJson()} writes, as a worker process hands it back.
 * Strict: objects, arrays, strings and null only (the report has nothing else), bounded nesting;
 * anything else is refused, because the worker has just parsed hostile input.
 */
final class ReportJson {
    private static final int MAX_DEPTH = 32;
    private final String s;
    private int i;

    private ReportJson(String s) {
        this.s = s;
    }

    static SanitizeReport parse(String json) {
        ReportJson r = new ReportJson(json);
        Object v = r.value(0);
        r.space();
        if (r.i != json.length()) {
            throw r.error("trailing characters");
        }
        return report(v);
    }

    @SuppressWarnings("unchecked")
    private static SanitizeReport report(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a report must be a JSON object");
        }
        Map<String, Object> o = (Map<String, Object>) m;
        List<SanitizeReport> members = new ArrayList<>();
        for (Object member : list(o, "members")) {
            members.add(report(member));
        }
        return new SanitizeReport(text(o, "file"), text(o, "format"),
                SanitizeReport.Status.valueOf(text(o, "status")), text(o, "reason"), strings(o, "removed"),
                strings(o, "masks"), strings(o, "warnings"), text(o, "sha256Original"), text(o, "sha256Copy"),
                members);
    }

    private static String text(Map<String, Object> o, String key) {
        if (!o.containsKey(key)) {
            throw new IllegalArgumentException("report without " + key);
        }
        Object v = o.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return (String) v;
    }

    private static List<?> list(Map<String, Object> o, String key) {
        if (!(o.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException(key + " must be a list");
        }
        return l;
    }

    private static List<String> strings(Map<String, Object> o, String key) {
        List<String> out = new ArrayList<>();
        for (Object v : list(o, key)) {
            if (!(v instanceof String t)) {
                throw new IllegalArgumentException(key + " must hold strings");
            }
            out.add(t);
        }
        return out;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        space();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        if (c == '{') {
            return object(depth);
        }
        if (c == '[') {
            return array(depth);
        }
        if (c == '"') {
            return string();
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        throw error("unexpected character");
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek('}')) {
            i++;
            return m;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a name");
            }
            String key = string();
            space();
            expect(':');
            m.put(key, value(depth + 1));
            space();
            if (peek(',')) {
                i++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (peek(']')) {
            i++;
            return l;
        }
        while (true) {
            l.add(value(depth + 1));
            space();
            if (peek(',')) {
                i++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw error("bad escape");
            }
        }
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("malformed report JSON at " + i + ": " + what);
    }
}
