package dev.postern.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** What the web layer does around streamed uploads. */
final class Uploads {
    /** Bytes of an unwanted body read and thrown away so the browser can show the error page. */
    private static final long DRAIN_CAP = 64L * 1024 * 1024 * 1024;

    private Uploads() {
    }

    /**
     * After refusing an upload mid-stream, reads and discards the rest of the body: browsers show
     * a response only once they have sent their request, and the source deserves the clear page,
     * not a reset connection. Nothing read here is kept.
     */
    static void drainAfterRefusal(Context ctx) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        ctx.header("Connection", "close");
        long remaining = ctx.req().getContentLengthLong();
        if (remaining > DRAIN_CAP) {
            return;
        }
        byte[] sink = new byte[64 * 1024];
        long total = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while (total < DRAIN_CAP && (n = in.read(sink)) != -1) {
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, was too slow (Jetty's BadMessageException), or the body was
            // read otherwise; nothing more to do.
        }
    }
}
