package dev.postern.web;

import dev.postern.desk.DeskException;
import dev.postern.intake.IntakeException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.util.Set;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every route is registered here, in one place, and one filter decides access.
 * Source routes are public (a source has no account); the conversation needs the source session
 * that a receipt opens; every other route needs a recipient's desk session.
 *
 * <p>No request log is kept, and no log line carries an address, a user agent, a receipt, a
 * password or a request body.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** The short explicit list of routes anyone may open. */
    private static final Set<String> PUBLIC_PATHS = Set.of("/", "/return", "/static/postern.css", "/desk/login");
    private static final String PUBLIC_PREFIX = "/o/";
    private static final long IDLE_TIMEOUT_MS = 5 * 60 * 1000;

    private final Javalin app;

    public WebServer(SourcePages source, DeskPages desk, Pages pages) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.generateEtags = false;
            config.http.maxRequestSize = 1024 * 1024;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });

            config.routes.before(ctx -> {
                SecurityHeaders.apply(ctx);
                checkAccess(ctx, source, desk);
            });

            config.routes.get("/static/postern.css", pages::stylesheet);

            config.routes.get("/", source::home);
            config.routes.get("/o/{org}", source::form);
            config.routes.post("/o/{org}/submit", source::submit);
            config.routes.get("/return", source::returnForm);
            config.routes.post("/return", source::open);
            config.routes.get("/conversation", source::conversation);
            config.routes.post("/conversation/message", source::message);
            config.routes.post("/conversation/delete-reply", source::deleteReply);
            config.routes.post("/conversation/leave", source::leave);

            config.routes.get("/desk/login", desk::loginForm);
            config.routes.post("/desk/login", desk::login);
            config.routes.get("/desk", desk::list);
            config.routes.get("/desk/reports/{report}", desk::report);
            config.routes.get("/desk/reports/{report}/files/{file}", desk::download);
            config.routes.get("/desk/reports/{report}/files/{file}/sanitized", desk::sanitized);
            config.routes.post("/desk/reports/{report}/reply", desk::reply);
            config.routes.post("/desk/reports/{report}/status", desk::status);
            config.routes.get("/desk/password", desk::passwordForm);
            config.routes.post("/desk/password", desk::changePassword);
            config.routes.post("/desk/logout", desk::logout);

            config.routes.exception(WebError.class, (e, ctx) -> {
                Uploads.drainAfterRefusal(ctx);
                pages.error(ctx, e.status(), e.messageKey());
            });
            config.routes.exception(IntakeException.class, (e, ctx) -> {
                Uploads.drainAfterRefusal(ctx);
                pages.error(ctx, e.reason().httpStatus(), "error." + e.reason().name());
            });
            config.routes.exception(DeskException.class,
                    (e, ctx) -> pages.error(ctx, e.reason().httpStatus(), "desk.error." + e.reason().name()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                // Class and stack only: exception messages may quote request data.
                LOG.error("request failed: {} at {}", e.getClass().getName(),
                        e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
                pages.error(ctx, 500, "error.internal");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    pages.error(ctx, 404, "error.notFound");
                }
            });
            config.routes.error(405, ctx -> pages.error(ctx, 405, "error.notFound"));
        });
    }

    /** One filter for every route: public, source session, or desk session. */
    private static void checkAccess(Context ctx, SourcePages source, DeskPages desk) {
        String path = ctx.path();
        if (PUBLIC_PATHS.contains(path) || path.startsWith(PUBLIC_PREFIX)) {
            return;
        }
        if (path.equals("/conversation") || path.startsWith("/conversation/")) {
            source.requireSession(ctx);
            return;
        }
        desk.requireSession(ctx);
    }

    public WebServer start(String host, int port) {
        app.start(host, port);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc) {
                // Slow sources over Tor stall for long seconds; drop only truly dead connections.
                sc.setIdleTimeout(IDLE_TIMEOUT_MS);
            }
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
