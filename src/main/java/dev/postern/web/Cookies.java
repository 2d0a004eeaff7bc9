package dev.postern.web;

import io.javalin.http.Context;

/**
 * Session cookies only: no Expires or Max-Age, so they die with the browser; HttpOnly,
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

    void clear(Context ctx, String name, String path) {
        ctx.res().addHeader("Set-Cookie", name + "=; Path=" + path + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
    }
}
