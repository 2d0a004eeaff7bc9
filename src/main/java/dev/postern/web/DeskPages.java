package dev.postern.web;

import dev.postern.admin.AdminService;
import dev.postern.desk.CaseService;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskService;
import dev.postern.desk.DeskSession;
import dev.postern.desk.OpenedEvidence;
import dev.postern.desk.TriageService;
import dev.postern.desk.TrustedDevices;
import dev.postern.sanitize.SanitizeReport;
import dev.postern.store.RecipientAccount;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipients' desk. Every route but the login form needs a desk session (see
 * {@link WebServer}); every form carries the session's own token.
 */
public final class DeskPages {
    static final String COOKIE = "postern_desk";
    /** The desk's device cookie ({@link TrustedDevices}): sent only to the login form's address. */
    static final String DEVICE_COOKIE = "postern_device";
    private static final Logger LOG = LoggerFactory.getLogger(DeskPages.class);
    private static final String ATTRIBUTE = "postern.desk";
    /** The signed-in colleague's account as read for this request (language, zone, name, role). */
    private static final String ACCOUNT = Pages.DESK_ACCOUNT;
    private static final int FORM_BYTES = 1024 * 1024;
    private final DeskService desk;
    private final CaseService cases;
    private final TriageService triage;
    private final Sessions<DeskSession> sessions;
    private final FormTokens tokens;
    private final Pages pages;
    private final Cookies cookies;
    private final AdminService admin;
    private final ColleaguePages colleagues;

    /**
     * @param colleagues starts, at an administrator's login, the rotations still pending for
     *                   colleagues disabled from the command line
     */
    public DeskPages(DeskService desk, CaseService cases, TriageService triage, Sessions<DeskSession> sessions,
                     FormTokens tokens, Pages pages, Cookies cookies, AdminService admin, ColleaguePages colleagues) {
        this.admin = admin;
        this.colleagues = colleagues;
        this.desk = desk;
        this.triage = triage;
        this.cases = cases;
        this.sessions = sessions;
        this.tokens = tokens;
        this.pages = pages;
        this.cookies = cookies;
    }

    void loginForm(Context ctx) {
        renderLogin(ctx, 200, "");
    }

    void login(Context ctx) {
        FormBody form = FormBody.readSpending(ctx, 16 * 1024, tokens, FormTokens.Purpose.SIGN_IN);
        DeskService.Login login;
        try {
            login = desk.login(form.get("username"), form.get("password"), form.get("totp"),
                    ctx.cookie(DEVICE_COOKIE), ClientPresence.of(ctx));
        } catch (DeskException e) {
            // No session was made: a replay of a failed login is harmless, and failures must not
            // fill the store of spent tokens. Only a successful login spends its token for good.
            tokens.giveBack(form.token());
            renderLogin(ctx, e.reason().httpStatus(), explain(ctx, e));
            return;
        }
        Sessions.Session<DeskSession> s = sessions.create(login.session());
        // The list's index is built while the browser follows the redirect.
        triage.warm(login.session());
        colleagues.startPendingRevocations(login.session());
        cookies.set(ctx, COOKIE, s.id(), "/desk");
        cookies.setLasting(ctx, DEVICE_COOKIE, login.deviceToken(), "/desk/login", TrustedDevices.LIFETIME);
        ctx.redirect("/desk", HttpStatus.SEE_OTHER);
    }

    void report(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = session(ctx);
        pages.render(ctx, 200, "desk/report.jte", context(ctx), Map.of(
                "report", desk.open(s.value(), ctx.pathParam("report")),
                "keyHolders", desk.keyHolders(s.value(), ctx.pathParam("report")),
                "kase", cases.view(s.value(), ctx.pathParam("report"), context(ctx).lang()),
                "triage", triage.caseOf(s.value(), ctx.pathParam("report"))));
    }

    /** Streams a decrypted evidence file; honours a single HTTP byte range so media can seek. */
    void download(Context ctx) throws DeskException, IOException {
        Sessions.Session<DeskSession> s = session(ctx);
        OpenedEvidence evidence = desk.evidence(s.value(), ctx.pathParam("report"), ctx.pathParam("file"));
        long size = evidence.sizeBytes();
        long[] range = ByteRange.parse(ctx.header("Range"), size);
        if (range == ByteRange.UNSATISFIABLE) {
            ctx.header("Content-Range", "bytes */" + size);
            throw new DeskException(DeskException.Reason.BAD_RANGE);
        }
        long start = range == null ? 0 : range[0];
        long end = range == null ? size - 1 : range[1];
        long length = size == 0 ? 0 : end - start + 1;
        ctx.status(range == null ? 200 : 206);
        if (range != null) {
            ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Content-Type", MediaTypes.forName(evidence.name()));
        ctx.header("Content-Disposition", contentDisposition(evidence.name()));
        ctx.header("Content-Length", Long.toString(length));
        try (SeekableByteChannel in = evidence.opener().open()) {
            in.position(start);
            OutputStream out = ctx.res().getOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
            long remaining = length;
            while (remaining > 0) {
                buffer.clear();
                if (remaining < buffer.capacity()) {
                    buffer.limit((int) remaining);
                }
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                out.write(buffer.array(), 0, n);
                remaining -= n;
            }
            out.flush();
        } catch (IOException e) {
            // A tampered blob fails here, or the viewer stopped reading (a video seek): both end
            // the response; only the first is worth a line.
            if (!(e instanceof org.eclipse.jetty.io.EofException)) {
                LOG.warn("evidence download ended early: {}", e.getClass().getSimpleName());
            }
        }
    }

    /**
     * A sanitized copy of an evidence file, as an attachment; when the file cannot be cleaned,
     * a page that says why (nothing is sent as if it were clean).
     */
    void sanitized(Context ctx) throws DeskException, IOException {
        Sessions.Session<DeskSession> s = session(ctx);
        SanitizeReport report;
        report = desk.sanitizedCopy(s.value(), ctx.pathParam("report"), ctx.pathParam("file"), name -> {
            ctx.status(200);
            ctx.header("Content-Type", MediaTypes.forName(name));
            ctx.header("Content-Disposition", contentDisposition("sanitized-" + name));
            try {
                return ctx.res().getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!report.sanitized()) {
            pages.render(ctx, 422, "desk/not-sanitized.jte", context(ctx), Map.of(
                    "reportId", ctx.pathParam("report"), "sanitizeReport", report));
        }
    }

    void passwordForm(Context ctx) {
        pages.render(ctx, 200, "desk/password.jte", context(ctx), Map.of("message", ""));
    }

    void changePassword(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = session(ctx);
        FormBody form = checkedForm(ctx, s);
        String message;
        int status = 200;
        if (!form.get("new").equals(form.get("repeat"))) {
            message = Pages.texts(ctx).t("desk.password.differ");
            status = 400;
        } else {
            try {
                desk.changePassword(s.value(), form.get("old"), form.get("new"), form.get("totp"),
                        ClientPresence.of(ctx));
                // Whoever else held a session of this recipient (a forgotten browser, a thief) is out.
                sessions.endOthers(s);
                message = Pages.texts(ctx).t("desk.password.changed");
            } catch (DeskException e) {
                message = explain(ctx, e);
                status = e.reason().httpStatus();
            }
        }
        pages.render(ctx, status, "desk/password.jte", context(ctx), Map.of("message", message));
    }

    void logout(Context ctx) {
        Sessions.Session<DeskSession> s = session(ctx);
        checkedForm(ctx, s);
        sessions.end(s.id());
        cookies.clear(ctx, COOKIE, "/desk");
        ctx.redirect("/desk/login", HttpStatus.SEE_OTHER);
    }

    /** Part of the one access filter: desk routes need a live desk session. */
    void requireSession(Context ctx) {
        var found = sessions.find(ctx.cookie(COOKIE));
        Optional<RecipientAccount> account = found.flatMap(s -> admin.deskAccount(s.value()));
        if (found.isPresent() && account.isEmpty()) {
            // Disabled (from the desk or the command line) since this session began: it ends now.
            sessions.end(found.get().id());
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            if ("GET".equals(ctx.method().name())) {
                ctx.redirect("/desk/login", HttpStatus.SEE_OTHER);
                ctx.skipRemainingHandlers();
                return;
            }
            throw new WebError(401, "error.deskSession");
        }
        ctx.attribute(ATTRIBUTE, found.get());
        ctx.attribute(ACCOUNT, account.get());
    }

    /** The posted form, once its token has been checked against the session's. */
    static FormBody checkedForm(Context ctx, Sessions.Session<DeskSession> s) {
        FormBody form = FormBody.readChecked(ctx, FORM_BYTES, sent -> FormTokens.same(s.csrf(), sent));
        return form;
    }

    /** The desk session the access filter found for this request. */
    @SuppressWarnings("unchecked")
    static Sessions.Session<DeskSession> session(Context ctx) {
        return (Sessions.Session<DeskSession>) ctx.attribute(ATTRIBUTE);
    }

    /** The reason in words; a login delay also says how long, and in a Retry-After header. */
    private static String explain(Context ctx, DeskException e) {
        if (e.waitSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.waitSeconds()));
            return Pages.texts(ctx).t("desk.error." + e.reason().name(), e.waitSeconds());
        }
        return Pages.texts(ctx).t("desk.error." + e.reason().name());
    }

    private void renderLogin(Context ctx, int status, String error) {
        pages.render(ctx, status, "desk/login.jte", new PageContext(Pages.texts(ctx), tokens.issue(), "", ""),
                Map.of("error", error));
    }

    /**
     * Every desk page's context: the colleague's own language ({@code recipient.locale}) and time
     * zone as they are now (a change on {@code /desk/me} shows on the next page), their shown name,
     * and whether the navigation offers the administrators' pages.
     */
    static PageContext context(Context ctx) {
        Sessions.Session<DeskSession> s = session(ctx);
        RecipientAccount a = ctx.attribute(ACCOUNT);
        return new PageContext(Texts.of(a.locale()), s.csrf(), a.shownName(), "", zoneOf(a.timeZone()),
                a.role().isAdmin());
    }

    /** The signed-in colleague's account as read for this request. */
    static RecipientAccount account(Context ctx) {
        return ctx.attribute(ACCOUNT);
    }

    private static ZoneId zoneOf(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            // Only valid zones are stored (AdminService checks them); a zone a newer JDK dropped falls back.
            return ZoneOffset.UTC;
        }
    }

    /** attachment, with an ASCII fallback name and the real name in RFC 5987 form. */
    static String contentDisposition(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? c : '_');
        }
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
