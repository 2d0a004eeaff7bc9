package dev.postern.web;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Parameters of a multipart part's Content-Disposition header (RFC 7578 section 4.2). */
final class ContentDisposition {
    private ContentDisposition() {
    }

    /** Lower-cased parameter names to values, quotes and backslash escapes removed. */
    static Map<String, String> parameters(String header) {
        Map<String, String> params = new HashMap<>();
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++;
            while (i < header.length() && header.charAt(i) == ' ') {
                i++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < header.length() && header.charAt(j) == '"') {
                j++;
                while (j < header.length() && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length()) {
                        c = header.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                j++;
            } else {
                while (j < header.length() && header.charAt(j) != ';') {
                    value.append(header.charAt(j++));
                }
            }
            params.putIfAbsent(name, value.toString());
            i = header.indexOf(';', j);
        }
        return params;
    }
}
