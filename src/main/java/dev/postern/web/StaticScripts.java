package dev.postern.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two scripts of the report page (decision 0004, section 4): the vendored tus-js-client and our
 * postern-upload.js, read from the class path once, at start-up, and served from memory on the
 * source listener. Nothing else under /static/js exists. Templates name them with their
 * sub-resource integrity ({@link #integrity}), so a changed file is not run.
 */
public final class StaticScripts {
    public static final String TUS = "tus-js-client-4.3.1.min.js";
    public static final String UPLOAD = "postern-upload.js";
    static final String PREFIX = "/static/js/";

    private record Script(byte[] bytes, String integrity) {
    }

    private static final Map<String, Script> SCRIPTS = List.of(TUS, UPLOAD).stream()
            .collect(Collectors.toUnmodifiableMap(name -> name, StaticScripts::load));

    private StaticScripts() {
    }

    /** The {@code integrity} attribute value for a script tag: "sha384-…". */
    public static String integrity(String name) {
        Script s = SCRIPTS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no such script: " + name);
        }
        return s.integrity();
    }

    /**
     * A route handler for one script. Registering the routes loads the class, so a missing script
     * fails the start, not the first report page.
     */
    static Handler serve(String name) {
        Script s = SCRIPTS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no such script: " + name);
        }
        return ctx -> write(ctx, s);
    }

    private static void write(Context ctx, Script s) {
        // Cacheable like the stylesheet; the integrity in the page catches a stale copy after an upgrade.
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType("text/javascript; charset=utf-8");
        ctx.result(s.bytes());
    }

    private static Script load(String name) {
        try (InputStream in = StaticScripts.class.getResourceAsStream(PREFIX + name)) {
            if (in == null) {
                throw new IllegalStateException("missing on the class path: " + PREFIX + name);
            }
            byte[] bytes = in.readAllBytes();
            return new Script(bytes, "sha384-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-384").digest(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
