package dev.postern.web;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * Session cookies: no Expires or Max-Age, so they die with the browser (the desk's device cookie
 * is the one exception, see {@link #setLasting}); HttpOnly,
 * SameSite=Strict, and Secure when TLS terminates in front of Postern.
 */
public final class Cookies {
    private final boolean secure;

    public Cookies(boolean secure) {
        this.secure = secure;
    }

    void set(Context ctx, String name, String value, String path) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
    }

    /**
     * A cookie that outlives the browser session. WARNING: desk only (a staff browser may keep a
     * cookie); never on the source site, where no cookie may outlive a source's visit.
     */
    void setLasting(Context ctx, String name, String value, String path, Duration maxAge) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
    }

    void clear(Context ctx, String name, String path) {
        ctx.res().addHeader("Set-Cookie", name + "=; Path=" + path + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
    }
}
