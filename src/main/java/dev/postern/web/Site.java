package dev.postern.web;

import io.javalin.http.Context;

/** Which listener a request came to: the source site or the desk. Set by each listener's filter. */
enum Site {
    SOURCE, DESK;

    private static final String ATTRIBUTE = "postern.site";

    void mark(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** True on the desk listener only; a request the filter has not seen counts as the source site's. */
    static boolean isDesk(Context ctx) {
        return ctx.attribute(ATTRIBUTE) == DESK;
    }
}
