package dev.postern.web;

import dev.postern.admin.AdminException;
import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.desk.AccessJobs;
import dev.postern.desk.AccessService;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskSession;
import dev.postern.store.RecipientAccount;
import dev.postern.vault.RecipientKeyPins;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Colleagues in the desk: everyone sees who can log in; administrators add, disable, enable and
 * reset colleagues and change roles. Thin: check the form token, call {@link AdminService} (which
 * owns the rules and checks the administrator's account as it is now), render or redirect.
 *
 * <p>New credentials are shown once, in the answer to the POST itself (never stored, never
 * cached): the form carries a single-use token, so a reload that re-posts it gets "already done"
 * and no secrets.
 */
public final class ColleaguePages {
    static final String PATH = "/desk/colleagues";
    private static final Set<String> CONFIRMED = Set.of("disable", "enable", "reset");
    private static final Logger LOG = LoggerFactory.getLogger(ColleaguePages.class);
    private final AdminService admin;
    private final AccessService access;
    private final Sessions<DeskSession> sessions;
    private final FormTokens tokens;
    private final Pages pages;

    public ColleaguePages(AdminService admin, AccessService access, Sessions<DeskSession> sessions, FormTokens tokens,
                          Pages pages) {
        this.admin = admin;
        this.access = access;
        this.sessions = sessions;
        this.tokens = tokens;
        this.pages = pages;
    }

    /** One colleague as the list shows them. */
    public record Row(RecipientAccount account, String fingerprint, boolean self) {
    }

    void list(Context ctx) throws AdminException {
        renderList(ctx, 200, "");
    }

    void add(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        FormTokens.Check once = spend(ctx, form);
        if (once == null) {
            return;
        }
        NewRecipient added;
        try {
            added = admin.addColleague(s.value(), form.get("username").strip(), form.get("display_name"),
                    form.get("role"));
        } catch (AdminException e) {
            tokens.giveBack(once);
            if (e.reason() == AdminException.Reason.ADMIN_ONLY) {
                throw e;
            }
            renderList(ctx, e.reason().httpStatus(), Pages.texts(ctx).t("desk.admin.error." + e.reason().name()));
            return;
        }
        renderCredentials(ctx, added, false);
    }

    /** The confirmation page before disabling, enabling or resetting a colleague. */
    void confirm(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        String action = ctx.pathParam("action");
        if (!CONFIRMED.contains(action)) {
            throw new WebError(404, "error.notFound");
        }
        RecipientAccount colleague = admin.colleague(s.value(), ctx.pathParam("id"));
        PageContext p = DeskPages.context(ctx);
        String name = colleague.shownName();
        pages.render(ctx, 200, "desk/confirm.jte", p, Map.of(
                "title", p.t("desk.confirm." + action + ".title", name),
                "question", p.t("desk.confirm." + action + ".text"),
                "action", PATH + "/" + colleague.id() + "/" + action,
                "button", p.t("desk.confirm." + action + ".button"),
                "once", action.equals("reset") ? tokens.issue(FormTokens.Purpose.CREDENTIALS) : "",
                "back", PATH));
    }

    /**
     * Disables a colleague: their sessions end now, and the revoke-all job rotates every report
     * they held to a new key generation; the answer is its progress page.
     */
    void disable(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        DeskPages.checkedForm(ctx, s);
        RecipientAccount disabled = admin.disable(s.value(), ctx.pathParam("id"));
        sessions.endAllOf(held -> held.recipientId().equals(disabled.id()));
        Optional<AccessJobs.Job> job = startPendingRevocations(s.value()).stream()
                .filter(j -> j.subjectId().equals(disabled.id())).findFirst();
        ctx.redirect(job.map(j -> "/desk/jobs/" + j.id()).orElse(PATH), HttpStatus.SEE_OTHER);
    }

    /**
     * Starts the revoke-all job (a new key generation on every report they held) for each disabled
     * colleague still waiting for one: the one just disabled here, or those disabled from the
     * command line, at an administrator's login. A job that cannot start leaves them pending.
     */
    List<AccessJobs.Job> startPendingRevocations(DeskSession session) {
        List<AccessJobs.Job> started = new ArrayList<>();
        for (String recipientId : admin.claimPendingRevocations(session)) {
            try {
                started.add(access.revokeAllOf(session, recipientId));
            } catch (DeskException e) {
                LOG.warn("the rotation of a disabled colleague's reports did not start ({}); it waits for the next"
                        + " administrator login", e.reason());
                admin.markRevokePending(recipientId);
            }
        }
        return started;
    }

    void enable(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        DeskPages.checkedForm(ctx, s);
        admin.enable(s.value(), ctx.pathParam("id"));
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    void reset(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        FormTokens.Check once = spend(ctx, form);
        if (once == null) {
            return;
        }
        NewRecipient fresh;
        try {
            fresh = admin.reset(s.value(), ctx.pathParam("id"));
        } catch (AdminException e) {
            tokens.giveBack(once);
            throw e;
        }
        sessions.endAllOf(held -> held.recipientId().equals(fresh.id()));
        renderCredentials(ctx, fresh, true);
    }

    void role(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String id = ctx.pathParam("id");
        admin.setRole(s.value(), id, form.get("role"));
        // A session carries the role it logged in with: a demoted administrator must not keep using it.
        sessions.endAllOf(held -> held.recipientId().equals(id) && !held.recipientId().equals(s.value().recipientId()));
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    /**
     * Spends the form's single-use token; a token sent before answers with the "already done"
     * page (no secrets) and null. A forged or expired one is refused like a bad form token.
     */
    private FormTokens.Check spend(Context ctx, FormBody form) {
        FormTokens.Check once = tokens.check(FormTokens.Purpose.CREDENTIALS, form.get("once"));
        if (once.verdict() == FormTokens.Verdict.SPENT) {
            noStore(ctx);
            pages.render(ctx, 409, "desk/credentials.jte", DeskPages.context(ctx), Map.of("done", false,
                    "reset", false, "username", "", "password", "", "totpSecret", "", "totpUri", ""));
            return null;
        }
        if (!once.fresh()) {
            throw WebError.badToken();
        }
        return once;
    }

    private void renderCredentials(Context ctx, NewRecipient r, boolean reset) {
        noStore(ctx);
        pages.render(ctx, 200, "desk/credentials.jte", DeskPages.context(ctx), Map.of("done", true, "reset", reset,
                "username", r.username(), "password", r.password(), "totpSecret", r.totpSecret(),
                "totpUri", r.totpUri()));
    }

    private void renderList(Context ctx, int status, String error) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        List<Row> rows = admin.colleagues(s.value()).stream().map(a -> new Row(a,
                RecipientKeyPins.fingerprint(a.credentials().publicKeyset()), a.id().equals(s.value().recipientId())))
                .toList();
        pages.render(ctx, status, "desk/colleagues.jte", DeskPages.context(ctx), Map.of("colleagues", rows,
                "error", error, "once", tokens.issue(FormTokens.Purpose.CREDENTIALS)));
    }

    /** Credentials pages are never stored by the browser or anything between. */
    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }
}
