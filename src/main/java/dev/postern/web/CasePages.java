package dev.postern.web;

import dev.postern.desk.CaseService;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskSession;
import dev.postern.desk.OrgStatus;
import dev.postern.domain.StatusNames;
import dev.postern.store.ReportStatus;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;

/**
 * The case forms of the desk's report page (status with reason and message, one-click
 * acknowledgement, internal notes, replies) and the administrators' settings of statuses and the
 * acknowledgement template. Thin: check the form token, call {@link CaseService}, redirect.
 */
public final class CasePages {
    private static final String STATUSES = "/desk/settings/statuses";
    private static final String TEMPLATES = "/desk/settings/templates";
    private final CaseService cases;
    private final Pages pages;

    public CasePages(CaseService cases, Pages pages) {
        this.cases = cases;
        this.pages = pages;
    }

    void reply(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        cases.reply(s.value(), report, form.get("text"));
        ctx.redirect("/desk/reports/" + report + "#conversation", HttpStatus.SEE_OTHER);
    }

    void status(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        cases.changeStatus(s.value(), report, form.get("status"), form.get("reason"), form.get("message"));
        ctx.redirect("/desk/reports/" + report + "#case", HttpStatus.SEE_OTHER);
    }

    void acknowledge(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        cases.acknowledge(s.value(), report);
        ctx.redirect("/desk/reports/" + report + "#case", HttpStatus.SEE_OTHER);
    }

    void note(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String report = ctx.pathParam("report");
        cases.addNote(s.value(), report, form.get("text"));
        ctx.redirect("/desk/reports/" + report + "#notes", HttpStatus.SEE_OTHER);
    }

    void statusesForm(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        List<OrgStatus> statuses = List.of();
        boolean ready = true;
        try {
            statuses = cases.statusSettings(s.value());
        } catch (DeskException e) {
            ready = orgKeyMissing(e);
        }
        pages.render(ctx, 200, "desk/settings-statuses.jte", DeskPages.context(ctx), Map.of(
                "orgKeyReady", ready, "statuses", statuses, "phases", List.of(ReportStatus.values())));
    }

    /** One form per action: {@code action} = rename, add, retire or restore. */
    void saveStatuses(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        String action = form.get("action");
        switch (action) {
            case "rename" -> cases.renameStatus(s.value(), form.get("id"), names(form));
            case "add" -> cases.addStatus(s.value(), ReportStatus.parse(form.get("phase")).orElse(null),
                    form.get("parent"), names(form));
            case "retire" -> cases.retireStatus(s.value(), form.get("id"), true);
            case "restore" -> cases.retireStatus(s.value(), form.get("id"), false);
            default -> throw new DeskException(DeskException.Reason.BAD_STATUS);
        }
        ctx.redirect(STATUSES, HttpStatus.SEE_OTHER);
    }

    void templatesForm(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        Map<String, String> templates = Map.of();
        boolean ready = true;
        try {
            templates = cases.ackTemplates(s.value());
        } catch (DeskException e) {
            ready = orgKeyMissing(e);
        }
        pages.render(ctx, 200, "desk/settings-templates.jte", DeskPages.context(ctx), Map.of(
                "orgKeyReady", ready, "templates", templates, "saved", "1".equals(ctx.queryParam("saved"))));
    }

    void saveTemplates(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        cases.saveAckTemplates(s.value(), Map.of("en", form.get("en"), "ru", form.get("ru"), "uk", form.get("uk")));
        ctx.redirect(TEMPLATES + "?saved=1", HttpStatus.SEE_OTHER);
    }

    private static StatusNames names(FormBody form) {
        return new StatusNames(form.get("en").strip(), form.get("ru").strip(), form.get("uk").strip());
    }

    /**
     * A settings page without the organization's data key says so (a colleague must log in once)
     * instead of failing: false for that reason, any other is rethrown.
     */
    private static boolean orgKeyMissing(DeskException e) throws DeskException {
        if (e.reason() != DeskException.Reason.NO_ORG_KEY) {
            throw e;
        }
        return false;
    }
}
