package dev.postern.web;

import dev.postern.store.RecipientAccount;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Rendering shared by source and desk pages: language, templates, error pages, the stylesheet. */
public final class Pages {
    private static final String BUSY_RETRY_SECONDS = "60";
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*/?");
    /** The request attribute holding the signed-in colleague's account, set by the desk's access filter. */
    static final String DESK_ACCOUNT = "postern.desk.account";
    private final Templates templates = new Templates();
    private final byte[] stylesheet;

    public Pages() {
        try (InputStream in = Pages.class.getResourceAsStream("/static/postern.css")) {
            this.stylesheet = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page language: {@code ?lang=} when it names a supported language (links and forms carry
     * it, so no cookie is needed), else the browser's Accept-Language. Desk pages speak the signed-in
     * colleague's language once the desk's access filter has found their account, else the browser's (the login page).
     */
    static Texts texts(Context ctx) {
        if (Site.isDesk(ctx)) {
            RecipientAccount account = ctx.attribute(DESK_ACCOUNT);
            return Texts.of(account != null ? account.locale() : Texts.fromAcceptLanguage(ctx.header("Accept-Language")));
        }
        String lang = ctx.queryParam("lang");
        if (lang != null && Texts.LANGUAGES.contains(lang)) {
            return Texts.of(lang);
        }
        return Texts.of(Texts.fromAcceptLanguage(ctx.header("Accept-Language")));
    }

    /**
     * Where a source page's language links lead: the page itself when it answers a GET; when it
     * answers a form (a POST), the page that form was on, so a link never resends anything. Desk
     * pages have none (empty).
     */
    static String languagePath(Context ctx) {
        if (Site.isDesk(ctx)) {
            return "";
        }
        String path = ctx.path();
        if (!SAFE_PATH.matcher(path).matches()) {
            // Only plain paths of this site go into a link ("//elsewhere" would leave it).
            return "/";
        }
        if ("GET".equals(ctx.method().name())) {
            return path;
        }
        if (path.startsWith("/conversation/")) {
            return "/conversation";
        }
        if (path.startsWith("/o/") && path.endsWith("/submit")) {
            return path.substring(0, path.length() - "/submit".length());
        }
        return path.equals("/return") ? path : "/";
    }

    void render(Context ctx, int status, String template, PageContext page, Map<String, Object> params) {
        if (status == 503 && ctx.res().getHeader("Retry-After") == null) {
            // Every "busy" page (a full Argon2id lane, upload slots, sanitizer workers, the budget)
            // says when to come back; nothing waits in a queue for the client.
            ctx.header("Retry-After", BUSY_RETRY_SECONDS);
        }
        Map<String, Object> all = new HashMap<>(params);
        all.put("p", page);
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(templates.render(template, all));
    }

    void error(Context ctx, int status, String messageKey) {
        Texts texts = texts(ctx);
        String back = Site.isDesk(ctx) ? "/desk" : "/?lang=" + texts.lang();
        // A path that does not exist is not echoed into links: they lead to the start page.
        String languages = status == 404 || status == 405 ? (Site.isDesk(ctx) ? "" : "/") : languagePath(ctx);
        render(ctx, status, "error.jte", new PageContext(texts, "", "", languages),
                Map.of("status", status, "message", texts.t(messageKey), "back", back));
    }

    void stylesheet(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType("text/css; charset=utf-8");
        ctx.result(stylesheet);
    }
}
