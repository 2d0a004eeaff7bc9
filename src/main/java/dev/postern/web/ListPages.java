package dev.postern.web;

import dev.postern.desk.CaseQuery;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskSession;
import dev.postern.desk.TriageService;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The desk's report list (sort, filters, search, pages), the labels and assignment forms of a
 * report page, and the administrators' label editor. Thin: check the form token, call
 * {@link TriageService}, render or redirect.
 *
 * <p>Checkbox fields are named per choice ({@code label.<id>}, {@code collaborator.<id>}): the
 * form reader keeps one value per name.
 */
public final class ListPages {
    private static final String LABELS = "/desk/settings/labels";
    private final TriageService triage;
    private final Pages pages;

    public ListPages(TriageService triage, Pages pages) {
        this.triage = triage;
        this.pages = pages;
    }

    void list(Context ctx) {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        CaseQuery query = CaseQuery.parse(ctx::queryParam);
        pages.render(ctx, 200, "desk/list.jte", DeskPages.context(ctx), Map.of(
                "view", triage.list(s.value(), query), "query", query));
    }

    /** "Assigned to me". */
    void mine(Context ctx) {
        ctx.redirect("/desk?assignee=" + CaseQuery.ME, HttpStatus.SEE_OTHER);
    }

    void labels(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        Set<String> chosen = new LinkedHashSet<>();
        for (TriageService.Option l : triage.labels(s.value())) {
            if (!form.get("label." + l.id()).isEmpty()) {
                chosen.add(l.id());
            }
        }
        triage.setLabels(s.value(), report, chosen);
        ctx.redirect("/desk/reports/" + report + "#triage", HttpStatus.SEE_OTHER);
    }

    void assign(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        Set<String> collaborators = new LinkedHashSet<>();
        for (TriageService.Option c : triage.caseOf(s.value(), report).collaborators()) {
            if (!form.get("collaborator." + c.id()).isEmpty()) {
                collaborators.add(c.id());
            }
        }
        triage.assign(s.value(), report, form.get("owner"), collaborators);
        ctx.redirect("/desk/reports/" + report + "#triage", HttpStatus.SEE_OTHER);
    }

    void labelsForm(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        requireAdmin(s.value());
        pages.render(ctx, 200, "desk/settings-labels.jte", DeskPages.context(ctx), Map.of(
                "labels", triage.labels(s.value()), "keyReady", s.value().dataKey() != null));
    }

    /** One form per action: add (name), rename (id, name) or delete (id). */
    void saveLabels(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        switch (form.get("action")) {
            case "add" -> triage.addLabel(s.value(), form.get("name"));
            case "rename" -> triage.renameLabel(s.value(), form.get("id"), form.get("name"));
            case "delete" -> triage.deleteLabel(s.value(), form.get("id"));
            default -> throw WebError.badForm();
        }
        ctx.redirect(LABELS, HttpStatus.SEE_OTHER);
    }

    private static void requireAdmin(DeskSession session) throws DeskException {
        if (!session.isAdmin()) {
            throw new DeskException(DeskException.Reason.ADMIN_ONLY);
        }
    }
}
