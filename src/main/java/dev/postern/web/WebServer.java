package dev.postern.web;

import dev.postern.config.HttpLimits;
import dev.postern.admin.AdminException;
import dev.postern.desk.DeskException;
import dev.postern.intake.IntakeException;
import dev.postern.intake.ResumableUploads;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP servers: every route is registered here, in one place, and one filter per listener
 * decides access. The source site and the desk listen on separate ports, so the sources' onion
 * service never exposes the staff login. Source routes are public (a source has no account); the
 * conversation needs the source session that a receipt opens. On the desk listener every route
 * but the login needs a recipient's desk session.
 *
 * <p>No request log is kept, and no log line carries an address, a user agent, a receipt, a
 * password or a request body.
 *
 * <p>Each listener bounds what anonymous clients can hold ({@link HttpLimits}): open connections
 * (beyond the cap Jetty stops accepting, and idle connections get a short timeout), request headers
 * (size, and a deadline for their arrival, {@link HeaderDeadline}), an idle timeout, a minimum
 * request body rate, and requests handled at once (more wait briefly, then get a 503 page).
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** The short explicit list of source routes anyone may open. */
    private static final Set<String> PUBLIC_SOURCE_PATHS = Set.of("/", "/return", "/static/postern.css",
            StaticScripts.PREFIX + StaticScripts.TUS, StaticScripts.PREFIX + StaticScripts.UPLOAD);
    private static final String PUBLIC_PREFIX = "/o/";
    /** The short explicit list of desk routes anyone may open. */
    private static final Set<String> PUBLIC_DESK_PATHS = Set.of("/desk/login", "/static/postern.css");
    /** Request line and headers together: our own pages need a fraction of this. */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /** The longest a request's headers may take to arrive (shorter when the idle timeout is). */
    static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
    /**
     * The idle timeout of every connection while a listener is at its connection cap: connections
     * that only hold a slot (opened, nothing sent; a stalled body) make room for new ones quickly.
     * Long enough for a request to follow its connection across a Tor circuit.
     */
    static final Duration IDLE_AT_CAP = Duration.ofSeconds(3);
    /**
     * Connections the kernel holds for us while we are at the cap (bounded by net.core.somaxconn):
     * they wait there, costing no descriptor of ours, instead of timing out on connect.
     */
    static final int ACCEPT_QUEUE = 1024;
    /**
     * How long a request over the concurrency cap waits for a free slot before its 503: longer
     * than it takes to notice the saturation (1 s) and cut idle slot holders ({@link #IDLE_AT_CAP}).
     */
    static final Duration QUEUE_WAIT = Duration.ofSeconds(8);

    private final Javalin source;
    private final Javalin desk;

    public WebServer(SourcePages sourcePages, DeskPages deskPages, CasePages casePages, ListPages listPages,
                     CaseLogPages caseLogPages, AccessPages accessPages, ColleaguePages colleaguePages,
                     SettingsPages settingsPages, Pages pages, HttpLimits limits) {
        this(sourcePages, deskPages, casePages, listPages, caseLogPages, accessPages, colleaguePages, settingsPages, pages,
                limits, null);
    }

    /** With the tus endpoint for resumable uploads ({@code uploads}; null: none). */
    public WebServer(SourcePages sourcePages, DeskPages deskPages, CasePages casePages, ListPages listPages,
                     CaseLogPages caseLogPages, AccessPages accessPages, ColleaguePages colleaguePages,
                     SettingsPages settingsPages, Pages pages, HttpLimits limits, ResumableUploads uploads) {
        TusEndpoint tus = uploads == null ? null
                : new TusEndpoint(uploads, sourcePages.sessions(), sourcePages.uploadSlots(), sourcePages.clock());
        this.source = Javalin.create(config -> {
            common(config, pages, limits, false);
            config.routes.before(ctx -> {
                Site.SOURCE.mark(ctx);
                SecurityHeaders.apply(ctx);
                refuseCrossSiteWrites(ctx);
                checkSourceAccess(ctx, sourcePages);
            });
            if (tus != null) {
                config.routes.options(TusEndpoint.PATH, tus::options);
                config.routes.post(TusEndpoint.PATH, tus::create);
                config.routes.head(TusEndpoint.PATH + "/{id}", tus::head);
                config.routes.patch(TusEndpoint.PATH + "/{id}", tus::patch);
                config.routes.delete(TusEndpoint.PATH + "/{id}", tus::delete);
                config.routes.post(TusEndpoint.PATH + "/{id}", tus::override);
            }

            config.routes.get("/static/postern.css", pages::stylesheet);
            config.routes.get(StaticScripts.PREFIX + StaticScripts.TUS, StaticScripts.serve(StaticScripts.TUS));
            config.routes.get(StaticScripts.PREFIX + StaticScripts.UPLOAD, StaticScripts.serve(StaticScripts.UPLOAD));
            config.routes.get("/", sourcePages::home);
            config.routes.get("/o/{org}", sourcePages::form);
            config.routes.post("/o/{org}/submit", sourcePages::submit);
            config.routes.get("/o/{org}/receipt", sourcePages::receipt);
            config.routes.post("/o/{org}/receipt/written", sourcePages::receiptWritten);
            config.routes.get("/return", sourcePages::returnForm);
            config.routes.post("/return", sourcePages::open);
            config.routes.get("/conversation", sourcePages::conversation);
            config.routes.post("/conversation/answers", sourcePages::saveAnswers);
            config.routes.post("/conversation/files", sourcePages::addFiles);
            config.routes.post("/conversation/message", sourcePages::message);
            config.routes.post("/conversation/delete-reply", sourcePages::deleteReply);
            config.routes.post("/conversation/leave", sourcePages::leave);
        });
        this.desk = Javalin.create(config -> {
            common(config, pages, limits, true);
            config.routes.before(ctx -> {
                Site.DESK.mark(ctx);
                SecurityHeaders.apply(ctx);
                refuseCrossSiteWrites(ctx);
                checkDeskAccess(ctx, deskPages);
            });

            config.routes.get("/static/postern.css", pages::stylesheet);
            config.routes.get("/", ctx -> ctx.redirect("/desk", HttpStatus.SEE_OTHER));
            config.routes.get("/desk/login", deskPages::loginForm);
            config.routes.post("/desk/login", deskPages::login);
            // Triage: the list, "assigned to me", labels and assignment, the label editor.
            config.routes.get("/desk", listPages::list);
            config.routes.get("/desk/mine", listPages::mine);
            config.routes.post("/desk/reports/{report}/labels", listPages::labels);
            config.routes.post("/desk/reports/{report}/assign", listPages::assign);
            config.routes.get("/desk/settings/labels", listPages::labelsForm);
            config.routes.post("/desk/settings/labels", listPages::saveLabels);
            config.routes.get("/desk/reports/{report}", deskPages::report);
            config.routes.get("/desk/reports/{report}/files/{file}", deskPages::download);
            config.routes.get("/desk/reports/{report}/files/{file}/sanitized", deskPages::sanitized);
            // Case handling: replies (feedback clock), statuses, acknowledgement, notes, settings.
            config.routes.post("/desk/reports/{report}/reply", casePages::reply);
            config.routes.post("/desk/reports/{report}/status", casePages::status);
            config.routes.post("/desk/reports/{report}/acknowledge", casePages::acknowledge);
            config.routes.post("/desk/reports/{report}/notes", casePages::note);
            config.routes.get("/desk/settings/statuses", casePages::statusesForm);
            config.routes.post("/desk/settings/statuses", casePages::saveStatuses);
            config.routes.get("/desk/settings/templates", casePages::templatesForm);
            config.routes.post("/desk/settings/templates", casePages::saveTemplates);
            // Colleagues and roles, the organization's settings, each colleague's own language and zone.
            config.routes.get(ColleaguePages.PATH, colleaguePages::list);
            config.routes.post(ColleaguePages.PATH, colleaguePages::add);
            config.routes.get(ColleaguePages.PATH + "/{id}/{action}", colleaguePages::confirm);
            config.routes.post(ColleaguePages.PATH + "/{id}/disable", colleaguePages::disable);
            config.routes.post(ColleaguePages.PATH + "/{id}/enable", colleaguePages::enable);
            config.routes.post(ColleaguePages.PATH + "/{id}/reset", colleaguePages::reset);
            config.routes.post(ColleaguePages.PATH + "/{id}/role", colleaguePages::role);
            config.routes.get(SettingsPages.SETTINGS, settingsPages::settingsForm);
            config.routes.post(SettingsPages.SETTINGS, settingsPages::saveSettings);
            config.routes.get(SettingsPages.ME, settingsPages::meForm);
            config.routes.post(SettingsPages.ME, settingsPages::saveMe);
            config.routes.get("/desk/password", deskPages::passwordForm);
            config.routes.post("/desk/password", deskPages::changePassword);
            config.routes.post("/desk/logout", deskPages::logout);
            // The case log (administrators).
            config.routes.get("/desk/log", caseLogPages::log);
            // Access per report: grants, revocations and restrictions (confirmed first), backlog jobs.
            config.routes.post("/desk/reports/{report}/grant", accessPages::grant);
            config.routes.get("/desk/reports/{report}/revoke", accessPages::confirmRevoke);
            config.routes.post("/desk/reports/{report}/revoke", accessPages::revoke);
            config.routes.get("/desk/reports/{report}/restrict", accessPages::confirmRestrict);
            config.routes.post("/desk/reports/{report}/restrict", accessPages::restrict);
            config.routes.get("/desk/access", accessPages::accessPage);
            config.routes.post("/desk/access/backlog", accessPages::backlog);
            config.routes.get("/desk/jobs/{job}", accessPages::job);
        });
    }

    /** Settings and error mapping both listeners share. */
    private static void common(JavalinConfig config, Pages pages, HttpLimits limits, boolean desk) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.concurrency.useVirtualThreads = true;
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.generateEtags = false;
        config.http.maxRequestSize = 1024 * 1024;
        long idleMillis = limits.idleTimeoutSeconds() * 1000L;
        long headerMillis = Math.min(HEADER_DEADLINE.toMillis(), idleMillis);
        config.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            http.setSendDateHeader(false);
            http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
            // Checked by Jetty at every read of a body, averaged from its first byte.
            http.setMinRequestDataRate(limits.minBytesPerSecond());
        });
        QoSHandler queue = new QoSHandler();
        queue.setMaxRequestCount(limits.maxConcurrentRequests());
        queue.setMaxSuspendedRequestCount(limits.maxConcurrentRequests());
        queue.setMaxSuspend(QUEUE_WAIT);
        queue.setRejectStatusCode(503);
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new JettyErrorPages(desk));
            // Outermost, so Javalin's own handlers sit inside it.
            server.insertHandler(queue);
        });
        long idleAtCapMillis = Math.min(IDLE_AT_CAP.toMillis(), idleMillis);
        config.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HeaderDeadline(http, headerMillis,
                    idleAtCapMillis, () -> queue.getSuspendedRequestCount() > 0));
            connector.setHost(config.jetty.host);
            connector.setPort(config.jetty.port);
            connector.setIdleTimeout(idleMillis);
            connector.setAcceptQueueSize(ACCEPT_QUEUE);
            NetworkConnectionLimit cap = new NetworkConnectionLimit(limits.maxConnections(), connector);
            // At the cap Jetty stops accepting (new clients wait in the kernel's queue, holding no
            // descriptor of ours), and connections that are merely idle make room quickly.
            cap.setEndPointIdleTimeout(idleAtCapMillis);
            server.addBean(cap);
            return connector;
        });
        config.routes.exception(TusError.class, (e, ctx) -> {
            // tus clients are programs: the status, the protocol header and one line of text.
            if (!"HEAD".equals(ctx.method().name()) && ctx.req().getContentLengthLong() != 0) {
                // The body was not read (or not all of it): this connection cannot carry another request.
                ctx.header("Connection", "close");
            }
            ctx.header("Tus-Resumable", TusHeaders.VERSION);
            ctx.header("Cache-Control", "no-store");
            if (e.status() == 503) {
                // Every upload slot is taken: when to try again.
                ctx.header("Retry-After", TusEndpoint.BUSY_RETRY_SECONDS);
            }
            ctx.status(e.status()).contentType("text/plain; charset=utf-8").result(e.reason() + "\n");
        });
        config.routes.exception(WebError.class, (e, ctx) -> {
            Uploads.drainAfterRefusal(ctx);
            pages.error(ctx, e.status(), e.messageKey());
        });
        config.routes.exception(IntakeException.class, (e, ctx) -> {
            Uploads.drainAfterRefusal(ctx);
            pages.error(ctx, e.reason().httpStatus(), "error." + e.reason().name());
        });
        config.routes.exception(BadMessageException.class, (e, ctx) -> {
            // Jetty refused to read on: a body slower than http.min-bytes-per-second, say.
            ctx.header("Connection", "close");
            pages.error(ctx, e.getCode() == 408 ? 408 : 400, "error.malformed");
        });
        config.routes.exception(AdminException.class,
                (e, ctx) -> pages.error(ctx, e.reason().httpStatus(), "desk.admin.error." + e.reason().name()));
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
    }

    /**
     * Every write (any method but GET, HEAD and OPTIONS: form posts, tus PATCH and DELETE) on both
     * listeners: refused when another site made the browser send it.
     */
    private static void refuseCrossSiteWrites(Context ctx) {
        String method = ctx.method().name();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
            CrossSite.check(ctx);
        }
    }

    /** The source listener's filter: public pages, or the conversation with a source session. */
    private static void checkSourceAccess(Context ctx, SourcePages source) {
        String path = ctx.path();
        if (PUBLIC_SOURCE_PATHS.contains(path) || path.startsWith(PUBLIC_PREFIX)) {
            return;
        }
        if (TusEndpoint.covers(path)) {
            // The tus endpoint: OPTIONS is public (it reveals only configuration); every other
            // request names the protocol version before anything else is looked at.
            if ("OPTIONS".equals(ctx.method().name()) && path.equals(TusEndpoint.PATH)) {
                return;
            }
            TusEndpoint.requireVersion(ctx);
        }
        if (path.equals("/conversation") || path.startsWith("/conversation/")) {
            source.requireSession(ctx);
            return;
        }
        // Everything else, the desk's paths included, does not exist on the source site.
        throw new WebError(404, "error.notFound");
    }

    /** The desk listener's filter: the login page, or a desk session. */
    private static void checkDeskAccess(Context ctx, DeskPages desk) {
        String path = ctx.path();
        if (PUBLIC_DESK_PATHS.contains(path) || path.equals("/")) {
            return;
        }
        if (!path.equals("/desk") && !path.startsWith("/desk/")) {
            throw new WebError(404, "error.notFound");
        }
        desk.requireSession(ctx);
    }

    public WebServer start(String sourceHost, int sourcePort, String deskHost, int deskPort) {
        source.start(sourceHost, sourcePort);
        desk.start(deskHost, deskPort);
        return this;
    }

    /** The source site's port (the real one when the config asked for port 0). */
    public int port() {
        return source.port();
    }

    /** The desk's port. */
    public int deskPort() {
        return desk.port();
    }

    @Override
    public void close() {
        source.stop();
        desk.stop();
    }
}
