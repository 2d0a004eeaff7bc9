package dev.postern.web;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * Headers every response carries, our pages and Jetty's own error pages alike: no scripts (but two
 * same-origin files on the report page), no framing, no referrer, no caching of content.
 */
final class SecurityHeaders {
    static final String SOURCE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    /**
     * The report page alone runs script: the two same-origin files of {@link StaticScripts}, which
     * upload to the same origin (tus). Every other source page keeps {@link #SOURCE_CSP}.
     */
    static final String SOURCE_UPLOAD_CSP = "default-src 'none'; script-src 'self'; connect-src 'self';"
            + " style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** The desk also plays evidence audio and video from its own origin. */
    static final String DESK_CSP = SOURCE_CSP + "; media-src 'self'";

    private SecurityHeaders() {
    }

    /** Built once: the before-filter runs for every request on both listeners. */
    private static final Map<String, String> SOURCE = headers(false, true);
    private static final Map<String, String> SOURCE_UPLOAD = withCsp(SOURCE, SOURCE_UPLOAD_CSP);
    private static final Map<String, String> SOURCE_STATIC = headers(false, false);
    private static final Map<String, String> DESK = headers(true, true);
    private static final Map<String, String> DESK_STATIC = headers(true, false);

    static void apply(Context ctx) {
        boolean desk = Site.isDesk(ctx);
        boolean noStore = !ctx.path().startsWith("/static/");
        (desk ? (noStore ? DESK : DESK_STATIC) : (noStore ? SOURCE : SOURCE_STATIC)).forEach(ctx::header);
    }

    /**
     * The report page (shown by GET /conversation, and again by its own forms when they refuse
     * something) loads the upload scripts: only that response gets {@link #SOURCE_UPLOAD_CSP}.
     */
    static void allowUploadScripts(Context ctx) {
        SOURCE_UPLOAD.forEach(ctx::header);
    }

    /** For responses Jetty writes itself, before or outside Javalin (400, 414, 431, 503). */
    static void apply(HttpFields.Mutable fields, boolean desk) {
        (desk ? DESK : SOURCE).forEach(fields::put);
    }

    private static Map<String, String> headers(boolean desk, boolean noStore) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", desk ? DESK_CSP : SOURCE_CSP);
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
        if (noStore) {
            h.put("Cache-Control", "no-store");
            h.put("Pragma", "no-cache");
        }
        return Collections.unmodifiableMap(h);
    }

    private static Map<String, String> withCsp(Map<String, String> base, String csp) {
        Map<String, String> h = new LinkedHashMap<>(base);
        h.put("Content-Security-Policy", csp);
        return Collections.unmodifiableMap(h);
    }
}
