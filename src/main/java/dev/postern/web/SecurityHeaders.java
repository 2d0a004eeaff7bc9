package dev.postern.web;

import io.javalin.http.Context;

/** Headers every response carries: no scripts, no framing, no referrer, no caching of content. */
final class SecurityHeaders {
    static final String SOURCE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    /** The desk also plays evidence audio and video from its own origin. */
    static final String DESK_CSP = SOURCE_CSP + "; media-src 'self'";

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        boolean desk = Site.isDesk(ctx);
        ctx.header("Content-Security-Policy", desk ? DESK_CSP : SOURCE_CSP);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
        if (!ctx.path().startsWith("/static/")) {
            ctx.header("Cache-Control", "no-store");
            ctx.header("Pragma", "no-cache");
        }
    }
}
