package dev.postern.web;

import dev.postern.domain.CaseLog;
import dev.postern.desk.DeskException;
import dev.postern.desk.DeskSession;
import dev.postern.desk.EncryptedCaseLog;
import io.javalin.http.Context;
import java.util.Map;

/** The organization's case log for its administrators: {@code GET /desk/log?page=n}, newest first. */
public final class CaseLogPages {
    private final EncryptedCaseLog log;
    private final DeskPages desk;
    private final Pages pages;

    public CaseLogPages(EncryptedCaseLog log, DeskPages desk, Pages pages) {
        this.log = log;
        this.desk = desk;
        this.pages = pages;
    }

    void log(Context ctx) throws DeskException {
        Sessions.Session<DeskSession> s = DeskPages.session(ctx);
        EncryptedCaseLog.Page page = log.read(s.value(), pageNumber(ctx.queryParam("page")) - 1);
        pages.render(ctx, 200, "desk/log.jte", DeskPages.context(ctx), Map.of("log", page));
    }

    /** Who an entry names, in words: a colleague's display name, the source, the command line. */
    public static String who(PageContext p, EncryptedCaseLog.Page page, String id) {
        if (id == null) {
            return "";
        }
        if (id.equals("source") || id.equals("cli")) {
            return p.t("desk.log.actor." + id);
        }
        return page.names().getOrDefault(id, id);
    }

    /** What happened, in words. */
    public static String action(PageContext p, CaseLog.Action action) {
        return p.t("desk.log.action." + action.name());
    }

    /** 1-based page from the query; anything else is the first page (never an error for a bad link). */
    private static int pageNumber(String raw) {
        if (raw == null || !raw.matches("[0-9]{1,6}")) {
            return 1;
        }
        return Math.max(1, Integer.parseInt(raw));
    }
}
