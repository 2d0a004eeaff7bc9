package dev.postern.web;

import dev.postern.intake.Answers;
import dev.postern.intake.IntakeException;
import dev.postern.intake.IntakeService;
import dev.postern.intake.SourceAccess;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.vault.Receipt;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Source pages: no script, no third-party resource, no cookie until a receipt opens a conversation,
 * and then only a session cookie that dies with the browser (and after 30 idle minutes on the
 * server). Handlers are thin: check, call {@link IntakeService}, render.
 */
public final class SourcePages {
    static final String COOKIE = "postern_source";
    private static final String ATTRIBUTE = "postern.source";
    private static final int SMALL_FORM_BYTES = 16 * 1024;
    private static final java.util.Set<String> REPORT_FIELDS = java.util.Set.of("what", "when", "where", "details");
    private static final java.util.Set<String> MESSAGE_FIELDS = java.util.Set.of("message");
    private final IntakeService intake;
    private final Organizations organizations;
    private final Sessions<SourceAccess> sessions;
    private final FormTokens tokens;
    private final Pages pages;
    private final Cookies cookies;

    public SourcePages(IntakeService intake, Organizations organizations, Sessions<SourceAccess> sessions,
                       FormTokens tokens, Pages pages, Cookies cookies) {
        this.intake = intake;
        this.organizations = organizations;
        this.sessions = sessions;
        this.tokens = tokens;
        this.pages = pages;
        this.cookies = cookies;
    }

    void home(Context ctx) {
        List<Organization> all = organizations.all();
        if (all.size() == 1) {
            renderForm(ctx, 200, all.get(0), null, new Answers("", "", "", ""));
            return;
        }
        pages.render(ctx, 200, "source/home.jte", page(ctx, ""), Map.of("organizations", all));
    }

    void form(Context ctx) {
        renderForm(ctx, 200, organization(ctx), null, new Answers("", "", "", ""));
    }

    void submit(Context ctx) throws Exception {
        Organization org = organization(ctx);
        MultipartForm form = new MultipartForm();
        try (IntakeService.Submission submission = intake.begin(org)) {
            refuseOversizeBody(ctx);
            form.stream(ctx, tokens::isValid, REPORT_FIELDS, submission::beginFile);
            Receipt receipt = submission.complete(answers(form));
            pages.render(ctx, 200, "source/receipt.jte", page(ctx, ""), Map.of(
                    "receipt", receipt.grouped(), "organization", org));
        } catch (IntakeException e) {
            if (e.reason() == IntakeException.Reason.NO_RECIPIENTS) {
                throw e;
            }
            // Show the form again with what the source typed, so no text is lost.
            Uploads.drainAfterRefusal(ctx);
            renderForm(ctx, e.reason().httpStatus(), org, "error." + e.reason().name(), answers(form));
        } catch (WebError e) {
            if (e.status() == 403) {
                throw e;
            }
            Uploads.drainAfterRefusal(ctx);
            renderForm(ctx, e.status(), org, e.messageKey(), answers(form));
        }
    }

    void returnForm(Context ctx) {
        pages.render(ctx, 200, "source/return.jte", page(ctx, tokens.issue()), Map.of("error", ""));
    }

    void open(Context ctx) throws IntakeException {
        FormBody form = FormBody.readChecked(ctx, SMALL_FORM_BYTES, tokens::isValid);
        SourceAccess access;
        try {
            access = intake.open(form.get("receipt"), ClientPresence.of(ctx));
        } catch (IntakeException e) {
            if (e.reason() == IntakeException.Reason.BUSY) {
                ctx.header("Retry-After", "60");
            }
            PageContext p = page(ctx, tokens.issue());
            pages.render(ctx, e.reason().httpStatus(), "source/return.jte", p,
                    Map.of("error", p.t("error." + e.reason().name())));
            return;
        }
        Sessions.Session<SourceAccess> s = sessions.create(access);
        cookies.set(ctx, COOKIE, s.id(), "/conversation");
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void conversation(Context ctx) {
        renderConversation(ctx, session(ctx), 200, null, "");
    }

    void message(Context ctx) throws Exception {
        Sessions.Session<SourceAccess> s = session(ctx);
        MultipartForm form = new MultipartForm();
        try (IntakeService.FollowUp followUp = intake.followUp(s.value())) {
            refuseOversizeBody(ctx);
            form.stream(ctx, sent -> FormTokens.same(s.csrf(), sent), MESSAGE_FIELDS, followUp::beginFile);
            followUp.complete(form.get("message"));
        } catch (IntakeException e) {
            // Show the conversation again with what the source typed, so no text is lost.
            Uploads.drainAfterRefusal(ctx);
            renderConversation(ctx, s, e.reason().httpStatus(), "error." + e.reason().name(), form.get("message"));
            return;
        } catch (WebError e) {
            if (e.status() == 403) {
                throw e;
            }
            Uploads.drainAfterRefusal(ctx);
            renderConversation(ctx, s, e.status(), e.messageKey(), form.get("message"));
            return;
        }
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang() + "#end", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void renderConversation(Context ctx, Sessions.Session<SourceAccess> s, int status, String errorKey,
                                    String draft) {
        PageContext p = page(ctx, s.csrf());
        pages.render(ctx, status, "source/conversation.jte", p, Map.of(
                "report", intake.conversation(s.value()), "error", errorKey == null ? "" : p.t(errorKey),
                "draft", draft));
    }

    void deleteReply(Context ctx) throws IntakeException {
        Sessions.Session<SourceAccess> s = session(ctx);
        FormBody form = FormBody.readChecked(ctx, SMALL_FORM_BYTES, sent -> FormTokens.same(s.csrf(), sent));
        intake.deleteReply(s.value(), form.get("message"));
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void leave(Context ctx) {
        Sessions.Session<SourceAccess> s = session(ctx);
        FormBody.readChecked(ctx, SMALL_FORM_BYTES, sent -> FormTokens.same(s.csrf(), sent));
        sessions.end(s.id());
        cookies.clear(ctx, COOKIE, "/conversation");
        ctx.redirect("/?lang=" + Pages.texts(ctx).lang(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Part of the one access filter: the conversation needs a live source session. */
    void requireSession(Context ctx) {
        Sessions.Session<SourceAccess> s = sessions.find(ctx.cookie(COOKIE)).orElseThrow(
                () -> new WebError(401, "error.sourceSession"));
        ctx.attribute(ATTRIBUTE, s);
    }

    @SuppressWarnings("unchecked")
    private Sessions.Session<SourceAccess> session(Context ctx) {
        return (Sessions.Session<SourceAccess>) ctx.attribute(ATTRIBUTE);
    }

    private void refuseOversizeBody(Context ctx) throws IntakeException {
        long declared = ctx.req().getContentLengthLong();
        // Multipart framing adds a little to the files themselves; allow 1 MiB for it and the text.
        if (declared > intake.limits().reportBytes() + 1024 * 1024) {
            throw new IntakeException(IntakeException.Reason.REPORT_TOO_LARGE);
        }
    }

    private void renderForm(Context ctx, int status, Organization org, String errorKey, Answers answers) {
        PageContext p = page(ctx, tokens.issue());
        pages.render(ctx, status, "source/form.jte", p, Map.of(
                "organization", org, "answers", answers,
                "error", errorKey == null ? "" : p.t(errorKey),
                "fileLimit", PageContext.size(intake.limits().fileBytes()),
                "reportLimit", PageContext.size(intake.limits().reportBytes()),
                "maxFiles", intake.limits().filesPerSubmission()));
    }

    private Organization organization(Context ctx) {
        return organizations.bySlug(ctx.pathParam("org")).orElseThrow(() -> new WebError(404, "error.notFound"));
    }

    private static Answers answers(MultipartForm form) {
        return new Answers(form.get("what"), form.get("when"), form.get("where"), form.get("details"));
    }

    private static PageContext page(Context ctx, String csrf) {
        return new PageContext(Pages.texts(ctx), csrf, "", "GET".equals(ctx.method().name()) ? ctx.path() : "");
    }
}
