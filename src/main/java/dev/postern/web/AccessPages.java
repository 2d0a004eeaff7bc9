package dev.postern.web;

import dev.postern.desk.AccessJobs;
import dev.postern.desk.AccessService;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskService;
import dev.postern.desk.DeskSession;
import dev.postern.desk.KeyHolder;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may read a report: grant, revoke and restrict from the report page (a revocation or a
 * restriction is confirmed on a page of its own before its POST does it), the administrators'
 * backlog grant ({@code GET /desk/access}) and the progress page of a job ({@code GET /desk/jobs/{id}}).
 */
public final class AccessPages {
    private static final int FORM_BYTES = 64 * 1024;
    private final AccessService access;
    private final DeskService desk;
    private final DeskPages deskPages;
    private final Pages pages;

    public AccessPages(AccessService access, DeskService desk, DeskPages deskPages, Pages pages) {
        this.access = access;
        this.desk = desk;
        this.deskPages = deskPages;
        this.pages = pages;
    }

    void grant(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        access.grant(s.value(), report, form.get("colleague"));
        ctx.redirect("/desk/reports/" + report + "#access", HttpStatus.SEE_OTHER);
    }

    /** The confirmation page of a revocation (nothing changes on a GET). */
    void confirmRevoke(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        String report = ctx.pathParam("report");
        String recipient = ctx.queryParam("recipient");
        List<KeyHolder> named = desk.keyHolders(s.value(), report).holders().stream()
                .filter(h -> h.recipientId().equals(recipient)).toList();
        if (named.isEmpty()) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        confirm(ctx, s, report, "revoke", "recipient", named);
    }

    void revoke(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        access.revoke(s.value(), report, form.get("recipient"));
        ctx.redirect("/desk/reports/" + report + "#access", HttpStatus.SEE_OTHER);
    }

    /** The confirmation page of a restriction: it names who loses access. */
    void confirmRestrict(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        String report = ctx.pathParam("report");
        Set<String> keep = new HashSet<>(ctx.queryParams("keep"));
        List<KeyHolder> holders = desk.keyHolders(s.value(), report).holders();
        if (holders.stream().noneMatch(h -> keep.contains(h.recipientId()))) {
            throw new DeskException(DeskException.Reason.LAST_HOLDER);
        }
        List<KeyHolder> kept = holders.stream().filter(h -> keep.contains(h.recipientId())).toList();
        List<KeyHolder> removed = holders.stream().filter(h -> !keep.contains(h.recipientId())).toList();
        if (removed.isEmpty()) {
            ctx.redirect("/desk/reports/" + report + "#access", HttpStatus.SEE_OTHER);
            return;
        }
        pages.render(ctx, 200, "desk/access-confirm.jte", DeskPages.context(ctx), Map.of(
                "reportId", report, "action", "restrict", "field", "keep",
                "ids", kept.stream().map(KeyHolder::recipientId).toList(),
                "names", removed.stream().map(KeyHolder::shownName).toList()));
    }

    void restrict(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        access.restrict(s.value(), report, Set.copyOf(form.all("keep")));
        ctx.redirect("/desk/reports/" + report + "#access", HttpStatus.SEE_OTHER);
    }

    /** The administrators' page: share every report one can read with a colleague. */
    void accessPage(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        pages.render(ctx, 200, "desk/access.jte", DeskPages.context(ctx),
                Map.of("colleagues", access.backlogGrantees(s.value())));
    }

    void backlog(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        AccessJobs.Job job = access.grantBacklog(s.value(), form.get("colleague"));
        ctx.redirect("/desk/jobs/" + job.id(), HttpStatus.SEE_OTHER);
    }

    void job(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        AccessJobs.Job job = access.job(s.value(), ctx.pathParam("job"))
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND));
        pages.render(ctx, 200, "desk/job.jte", DeskPages.context(ctx), Map.of(
                "job", job, "subject", access.nameOf(s.value(), job.subjectId())));
    }

    private void confirm(Context ctx, Sessions.Session<DeskSession> s, String report, String action, String field,
                         List<KeyHolder> named) {
        pages.render(ctx, 200, "desk/access-confirm.jte", DeskPages.context(ctx), Map.of(
                "reportId", report, "action", action, "field", field,
                "ids", named.stream().map(KeyHolder::recipientId).toList(),
                "names", named.stream().map(KeyHolder::shownName).toList()));
    }
}
