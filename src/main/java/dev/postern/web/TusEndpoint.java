package dev.postern.web;

import dev.postern.intake.IntakeException;
import dev.postern.intake.ResumableUploads;
import dev.postern.intake.SourceAccess;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus 1.0.0 endpoint (core, creation, termination, checksum, expiration) under
 * {@value #PATH}, on the source listener, for the report of the live source session. Thin: checks
 * the headers in the order the protocol names them, then calls {@link ResumableUploads}.
 *
 * <p>Every state-changing request carries {@value #TOKEN_HEADER} = the session's form token (the
 * report page renders it in {@code data-tus-token}); a custom header also means another site's page
 * cannot send these requests without a CORS preflight, which Postern never answers.
 */
final class TusEndpoint {
    static final String PATH = "/conversation/uploads";
    static final String TOKEN_HEADER = "Postern-Upload-Token";
    /**
     * Retry-After of a 503 (every upload slot taken). Shorter than the pages' minute: a resuming
     * client loses nothing by asking again, and a slot frees as soon as any upload pauses.
     */
    static final String BUSY_RETRY_SECONDS = "10";
    private static final long KEEP_ALIVE_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(TusEndpoint.class);
    private final ResumableUploads uploads;
    private final Sessions<SourceAccess> sessions;
    private final UploadSlots slots;
    private final UploadLocks locks;
    private final Clock clock;

    TusEndpoint(ResumableUploads uploads, Sessions<SourceAccess> sessions, UploadSlots slots, Clock clock) {
        this.clock = clock;
        this.uploads = uploads;
        this.sessions = sessions;
        this.slots = slots;
        this.locks = new UploadLocks(clock);
    }

    /** Whether a path is the endpoint's (the filter checks {@code Tus-Resumable} there first). */
    static boolean covers(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /** The filter's first check on the endpoint: every request but OPTIONS names protocol 1.0.0. */
    static void requireVersion(Context ctx) {
        if (!TusHeaders.VERSION.equals(ctx.header("Tus-Resumable"))) {
            ctx.header("Tus-Version", TusHeaders.VERSION);
            throw new TusError(412, "Tus-Resumable 1.0.0 required");
        }
    }

    /** What the server offers; public, as it reveals only configuration. */
    void options(Context ctx) {
        ctx.header("Tus-Resumable", TusHeaders.VERSION);
        ctx.header("Tus-Version", TusHeaders.VERSION);
        ctx.header("Tus-Extension", TusHeaders.EXTENSIONS);
        ctx.header("Tus-Max-Size", Long.toString(uploads.limits().fileBytes()));
        ctx.header("Tus-Checksum-Algorithm", TusHeaders.CHECKSUM_ALGORITHMS);
        ctx.status(204);
    }

    /** Creation: a new upload of the session's report. */
    void create(Context ctx) {
        SourceAccess access = access(ctx, true);
        if (ctx.header("Upload-Defer-Length") != null) {
            throw new TusError(400, "Upload-Defer-Length is not offered");
        }
        long length = TusHeaders.nonNegative(ctx.header("Upload-Length"), "Upload-Length");
        Map<String, String> metadata = TusHeaders.metadata(ctx.header("Upload-Metadata"));
        String name = metadata.get("filename");
        if (name == null || name.isEmpty()) {
            throw new TusError(400, "Upload-Metadata needs a filename");
        }
        ResumableUploads.Context context = ResumableUploads.Context.parse(metadata.getOrDefault("context", "report"))
                .orElseThrow(() -> new TusError(400, "Upload-Metadata context is report or message"));
        ResumableUploads.Created created = call(() -> uploads.create(access, name, length, context));
        tusHeaders(ctx);
        ctx.header("Location", PATH + "/" + created.id());
        ctx.header("Upload-Expires", TusHeaders.date(created.expiresHour()));
        ctx.status(201);
    }

    /** Core: where an upload stands (finishing one a crash interrupted). */
    void head(Context ctx) {
        SourceAccess access = access(ctx, false);
        String id = ctx.pathParam("id");
        // Only a session of the upload's own report may cut its stalled holder.
        call(() -> uploads.peek(access, id));
        // A holder whose connection died half-open keeps the offset behind what it received.
        locks.preemptIfStalled(id);
        ResumableUploads.Status status = call(() -> uploads.head(access, id));
        tusHeaders(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Upload-Offset", Long.toString(status.offset()));
        ctx.header("Upload-Length", Long.toString(status.length()));
        if (!status.finished()) {
            ctx.header("Upload-Expires", TusHeaders.date(status.expiresHour()));
        }
        ctx.status(200);
    }

    /** Core: bytes at an offset. */
    void patch(Context ctx) {
        SourceAccess access = access(ctx, true);
        String id = ctx.pathParam("id");
        call(() -> uploads.peek(access, id));
        String type = ctx.header("Content-Type");
        if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(TusHeaders.OFFSET_CONTENT_TYPE)) {
            throw new TusError(415, "Content-Type must be " + TusHeaders.OFFSET_CONTENT_TYPE);
        }
        long offset = TusHeaders.nonNegative(ctx.header("Upload-Offset"), "Upload-Offset");
        Optional<ResumableUploads.Checksum> checksum = TusHeaders.checksum(ctx.header("Upload-Checksum"));
        long declared = ctx.req().getContentLengthLong();
        EndPoint endPoint = endPoint(ctx);
        Optional<UploadLocks.Lease> lease = locks.tryAcquire(id, endPoint);
        if (lease.isEmpty() && locks.preemptIfStalled(id)) {
            lease = locks.tryAcquire(id, endPoint);
        }
        if (lease.isEmpty()) {
            throw new TusError(409, "another PATCH of this upload is in progress");
        }
        ResumableUploads.Status status;
        try (UploadLocks.Lease held = lease.get(); UploadSlots.Hold slot = slots.hold()) {
            call(() -> {
                slot.take();
                return null;
            });
            InputStream body = new ClientBody(ctx.req().getInputStream());
            SessionKeepAlive keepAlive = new SessionKeepAlive(ctx.cookie(SourcePages.COOKIE));
            status = call(() -> uploads.append(access, id, offset, body, declared, checksum, n -> {
                held.progressed();
                keepAlive.received();
            }));
        } catch (IOException e) {
            throw new TusError(400, "the request body could not be read");
        }
        tusHeaders(ctx);
        ctx.header("Upload-Offset", Long.toString(status.offset()));
        if (!status.finished()) {
            ctx.header("Upload-Expires", TusHeaders.date(status.expiresHour()));
        }
        ctx.status(204);
    }

    /** Termination. */
    void delete(Context ctx) {
        SourceAccess access = access(ctx, true);
        String id = ctx.pathParam("id");
        call(() -> uploads.peek(access, id));
        // A cancel usually follows the client's own abort of the PATCH, which the server may not
        // have noticed yet: that PATCH is cut first. The termination itself is decided in the
        // database; a writer that still runs finds its upload gone and discards its piece.
        locks.preemptAlways(id);
        call(() -> {
            uploads.terminate(access, id);
            return null;
        });
        tusHeaders(ctx);
        ctx.status(204);
    }

    /** {@code POST} with {@code X-HTTP-Method-Override}: for clients that cannot send PATCH or DELETE. */
    void override(Context ctx) {
        String method = ctx.header("X-HTTP-Method-Override");
        method = method == null ? "" : method.trim().toUpperCase(Locale.ROOT);
        switch (method) {
            case "PATCH" -> patch(ctx);
            case "DELETE" -> delete(ctx);
            default -> throw new TusError(405, "POST on an upload needs X-HTTP-Method-Override: PATCH or DELETE");
        }
    }

    /** The live session (the filter found it) and, for writes, its token in {@value #TOKEN_HEADER}. */
    private SourceAccess access(Context ctx, boolean write) {
        Sessions.Session<SourceAccess> s = sessions.find(ctx.cookie(SourcePages.COOKIE))
                .orElseThrow(() -> new TusError(401, "no source session"));
        if (write && !FormTokens.same(s.csrf(), ctx.header(TOKEN_HEADER))) {
            throw new TusError(403, TOKEN_HEADER + " missing or wrong");
        }
        return s.value();
    }

    private static void tusHeaders(Context ctx) {
        ctx.header("Tus-Resumable", TusHeaders.VERSION);
    }

    /** A service call whose refusals become the statuses the protocol names. */
    private static <T> T call(ServiceCall<T> call) {
        try {
            return call.run();
        } catch (ResumableUploads.Refused e) {
            throw new TusError(e.reason().status(), e.reason().name());
        } catch (IntakeException e) {
            throw new TusError(switch (e.reason()) {
                case FILE_TOO_LARGE, REPORT_TOO_LARGE, TOO_MANY_FILES -> 413;
                case BAD_FILE_NAME -> 400;
                default -> e.reason().httpStatus();
            }, e.reason().name());
        } catch (IOException e) {
            // Our side failed (the disk is full, a piece is unreadable): not the client's fault, and
            // what it sent so far is kept, so it may try again later (tus clients retry a 503).
            LOG.error("an upload could not be stored: {}", e.getClass().getName());
            throw new TusError(503, "the upload could not be stored now; try again later");
        }
    }

    @FunctionalInterface
    private interface ServiceCall<T> {
        T run() throws ResumableUploads.Refused, IntakeException, IOException;
    }

    private static EndPoint endPoint(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request == null ? null : request.getConnectionMetaData().getConnection().getEndPoint();
    }

    /**
     * A PATCH can outlast the session's idle timeout (a 2 GB video over Tor takes an hour): while
     * bytes keep arriving, the session is touched about once a minute, as a request would, so the
     * retry after a cut still finds it. The absolute lifetime still ends it.
     */
    private final class SessionKeepAlive {
        private final String sessionId;
        private long lastTouch;

        SessionKeepAlive(String sessionId) {
            this.sessionId = sessionId;
            this.lastTouch = clock.millis();
        }

        void received() {
            long now = clock.millis();
            if (now - lastTouch >= KEEP_ALIVE_MILLIS) {
                lastTouch = now;
                sessions.find(sessionId);
            }
        }
    }

    /**
     * The request body, whose every failure is an IOException: Jetty reports a body slower than the
     * rate floor as a runtime exception, and the service treats read failures as a cut connection.
     */
    private static final class ClientBody extends FilterInputStream {
        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (RuntimeException e) {
                throw new IOException("reading the request body failed", e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                throw new IOException("reading the request body failed", e);
            }
        }
    }
}
