package dev.postern.web;

import dev.postern.admin.AdminException;
import dev.postern.admin.AdminService;
import dev.postern.desk.DeskSession;
import dev.postern.store.RecipientAccount;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The organization's settings (administrators: EU clocks, time zone, source-side exclusion, who
 * receives new reports; links to the statuses, labels and templates editors) and every
 * colleague's own page {@code /desk/me} (display name, desk language, time zone). Thin: check the
 * form token, call {@link AdminService}, redirect (PRG) or show the form again with the reason.
 */
public final class SettingsPages {
    static final String SETTINGS = "/desk/settings";
    static final String ME = "/desk/me";
    /** The per-colleague checkbox of "receives new reports": this prefix and the colleague's id. */
    static final String RECEIVES = "receives-";
    private final AdminService admin;
    private final Pages pages;

    public SettingsPages(AdminService admin, Pages pages) {
        this.admin = admin;
        this.pages = pages;
    }

    void settingsForm(Context ctx) throws AdminException {
        renderSettings(ctx, 200, "", "1".equals(ctx.queryParam("saved")));
    }

    void saveSettings(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        Set<String> receiving = new HashSet<>();
        for (RecipientAccount a : admin.colleagues(s.value())) {
            if (form.has(RECEIVES + a.id())) {
                receiving.add(a.id());
            }
        }
        try {
            admin.updateSettings(s.value(), form.has("eu_clocks"), form.get("time_zone"), form.has("source_may_exclude"),
                    receiving);
        } catch (AdminException e) {
            if (e.reason() == AdminException.Reason.ADMIN_ONLY) {
                throw e;
            }
            renderSettings(ctx, e.reason().httpStatus(), Pages.texts(ctx).t("desk.admin.error." + e.reason().name()),
                    false);
            return;
        }
        ctx.redirect(SETTINGS + "?saved=1", HttpStatus.SEE_OTHER);
    }

    void meForm(Context ctx) {
        renderMe(ctx, 200, "", "1".equals(ctx.queryParam("saved")));
    }

    void saveMe(Context ctx) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        FormBody form = DeskPages.checkedForm(ctx, s);
        try {
            admin.updatePreferences(s.value(), form.get("display_name"), form.get("language"), form.get("time_zone"));
        } catch (AdminException e) {
            if (e.reason() == AdminException.Reason.ADMIN_ONLY) {
                throw e;
            }
            renderMe(ctx, e.reason().httpStatus(), Pages.texts(ctx).t("desk.admin.error." + e.reason().name()), false);
            return;
        }
        ctx.redirect(ME + "?saved=1", HttpStatus.SEE_OTHER);
    }

    private void renderSettings(Context ctx, int status, String error, boolean saved) throws AdminException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        admin.requireAdmin(s.value());
        pages.render(ctx, status, "desk/settings.jte", DeskPages.context(ctx), Map.of(
                "organization", admin.organization(s.value()), "colleagues", admin.colleagues(s.value()),
                "zones", List.copyOf(AdminService.timeZones()), "error", error, "saved", saved));
    }

    private void renderMe(Context ctx, int status, String error, boolean saved) {
        pages.render(ctx, status, "desk/me.jte", DeskPages.context(ctx), Map.of(
                "me", DeskPages.account(ctx), "zones", List.copyOf(AdminService.timeZones()),
                "languages", AdminService.LANGUAGES, "error", error, "saved", saved));
    }
}
