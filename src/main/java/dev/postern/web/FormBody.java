package dev.postern.web;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An application/x-www-form-urlencoded body, read with a size ceiling and decoded as strict UTF-8
 * (the servlet container's parser silently replaces invalid bytes).
 */
final class FormBody {
    private final Map<String, String> fields;
    /** Every value of each field, in order (checkboxes of one name). */
    private final Map<String, List<String>> values;
    private FormTokens.Check token;

    private FormBody(Map<String, String> fields, Map<String, List<String>> values) {
        this.fields = fields;
        this.values = values;
    }

    /**
     * Reads a form shown before any session and refuses it (403) unless its "csrf" field is a fresh
     * token for {@code purpose}, which this spends; {@link #token()} is the spent token, for
     * {@link FormTokens#giveBack} when the request creates nothing.
     */
    static FormBody readSpending(Context ctx, int maxBytes, FormTokens tokens, FormTokens.Purpose purpose) {
        FormBody form = read(ctx, maxBytes);
        FormTokens.Check check = tokens.check(purpose, form.get("csrf"));
        if (!check.fresh()) {
            throw WebError.badToken();
        }
        form.token = check;
        return form;
    }

    /** The pre-session token this form spent (see {@link #readSpending}), or null. */
    FormTokens.Check token() {
        return token;
    }

    /** Reads the form and refuses it (403) unless its "csrf" field passes {@code tokenCheck}. */
    static FormBody readChecked(Context ctx, int maxBytes, java.util.function.Predicate<String> tokenCheck) {
        FormBody form = read(ctx, maxBytes);
        if (!tokenCheck.test(form.get("csrf"))) {
            throw WebError.badToken();
        }
        return form;
    }

    private static FormBody read(Context ctx, int maxBytes) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw WebError.badForm();
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw WebError.badForm();
        }
        if (body.length > maxBytes) {
            throw new WebError(413, "error.FIELD_TOO_LONG");
        }
        Map<String, String> fields = new HashMap<>();
        Map<String, List<String>> values = new HashMap<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '&') {
                if (i > start) {
                    int eq = start;
                    while (eq < i && body[eq] != '=') {
                        eq++;
                    }
                    String name = decode(body, start, eq);
                    String value = eq < i ? decode(body, eq + 1, i) : "";
                    fields.putIfAbsent(name, value);
                    values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
                start = i + 1;
            }
        }
        return new FormBody(fields, values);
    }

    private static String decode(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= to) {
                    throw WebError.badForm();
                }
                int hi = Character.digit(b[i + 1], 16);
                int lo = Character.digit(b[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw WebError.badForm();
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return StrictText.utf8(out.toByteArray());
    }

    /** Whether the form sent the field at all (a ticked checkbox). */
    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Every value sent for {@code name} (checkboxes), in order; empty when none. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String get(String name) {
        return fields.getOrDefault(name, "");
    }
}
