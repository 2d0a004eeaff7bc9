package dev.postern.web;

import dev.postern.intake.Answers;
import dev.postern.intake.IntakeException;
import dev.postern.intake.IntakeService;
import dev.postern.intake.OpenUploads;
import dev.postern.intake.ReportContents;
import dev.postern.intake.SourceAccess;
import dev.postern.intake.SourceCaseView;
import dev.postern.intake.Started;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Source pages: no third-party resource, no script but the upload helper's on the report page
 * (which works without it), and no cookie but two session cookies that die with the browser: one
 * naming the slot of a new receipt (for the receipt page only, ended after ten minutes or when the
 * source has written the receipt down) and one for the report page a receipt opens (ended after 30
 * idle minutes on the server). Receipt first: the start POST creates the report, its receipt and
 * the source session at once, so the report page follows the receipt without typing it. Handlers
 * are thin: check, call {@link IntakeService}, render.
 */
public final class SourcePages {
    static final String COOKIE = "postern_source";
    /** Names the slot holding a new receipt; its path is the receipt page of one organization. */
    static final String RECEIPT_COOKIE = "postern_receipt";
    private static final String FORM_EXPIRED = "error.formExpired";
    /**
     * How long the receipt page waits for a report still being stored (a double click whose first
     * request is still arriving); short, and one waiter per slot, so a cookie cannot hold request
     * slots. Past it the source gets a page that asks them to reload.
     */
    private static final Duration PENDING_WAIT = Duration.ofSeconds(3);
    private static final String ATTRIBUTE = "postern.source";
    private static final int SMALL_FORM_BYTES = 16 * 1024;
    private static final Set<String> REPORT_FIELDS = Set.of("what", "when", "where", "details", "exclude");
    private static final Set<String> MESSAGE_FIELDS = Set.of("message", "nonce");
    private static final Set<String> FILE_FIELDS = Set.of("batch");
    /** The answers form: four fields, the longest 100,000 characters of up to 4 UTF-8 bytes, encoded. */
    private static final int ANSWERS_FORM_BYTES = 2 * 1024 * 1024;
    private final IntakeService intake;
    private final Organizations organizations;
    private final Sessions<SourceAccess> sessions;
    private final FormTokens tokens;
    private final Pages pages;
    private final Cookies cookies;
    private final ReceiptSlots receipts;
    private final UploadSlots uploads;
    private final Clock clock;
    private final OpenUploads openUploads;
    private final SourceCaseView caseView;

    public SourcePages(IntakeService intake, Organizations organizations, Sessions<SourceAccess> sessions,
                       FormTokens tokens, Pages pages, Cookies cookies, Clock clock, int uploadsAtOnce,
                       OpenUploads openUploads, SourceCaseView caseView) {
        this.openUploads = openUploads;
        this.caseView = caseView;
        this.receipts = new ReceiptSlots(clock);
        this.uploads = new UploadSlots(uploadsAtOnce);
        this.clock = clock;
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
            renderForm(ctx, 200, all.get(0), null, new Answers("", "", "", ""), Set.of());
            return;
        }
        pages.render(ctx, 200, "source/home.jte", page(ctx, ""), Map.of("organizations", all));
    }

    void form(Context ctx) {
        renderForm(ctx, 200, organization(ctx), null, new Answers("", "", "", ""), Set.of());
    }

    /**
     * A new report, with or without text (receipt first), and the source session for its report
     * page. Its form token is spent when it arrives and given back if nothing is stored, so one
     * filled-in form makes at most one report; the receipt is shown by a redirect to
     * {@link #receipt}, never in this answer (the browser would offer to send it again).
     */
    void submit(Context ctx) throws Exception {
        Organization org = organization(ctx);
        MultipartForm form = new MultipartForm();
        ReportToken token = new ReportToken(org);
        try (UploadSlots.Hold upload = uploads.hold();
             IntakeService.Submission submission = intake.begin(org, ctx.req().getContentLengthLong())) {
            refuseOversizeBody(ctx);
            form.stream(ctx, token::accept, REPORT_FIELDS, name -> {
                token.require();
                upload.take();
                return submission.beginFile(name);
            });
            token.require();
            submission.exclude(form.all("exclude"));
            Started started = submission.complete(answers(form), ClientPresence.of(ctx));
            Sessions.Session<SourceAccess> s = sessions.create(started.access());
            caseView.rememberLanguage(started.access(), Pages.texts(ctx).lang());
            receipts.fulfil(token.slot, started.receipt().grouped(), s.id());
            token.stored = true;
            cookies.set(ctx, COOKIE, s.id(), "/conversation");
            showReceipt(ctx, org, token.slot);
        } catch (AlreadySent e) {
            Uploads.drainAfterRefusal(ctx);
            alreadySent(ctx, org, token.check);
        } catch (IntakeException e) {
            if (e.reason() == IntakeException.Reason.NO_RECIPIENTS) {
                throw e;
            }
            // Show the form again with what the source typed, so no text is lost.
            Uploads.drainAfterRefusal(ctx);
            renderForm(ctx, e.reason().httpStatus(), org, "error." + e.reason().name(), answers(form),
                    Set.copyOf(form.all("exclude")));
        } catch (WebError e) {
            if (forged(e)) {
                throw e;
            }
            Uploads.drainAfterRefusal(ctx);
            renderForm(ctx, e.status(), org, e.messageKey(), answers(form), Set.copyOf(form.all("exclude")));
        } finally {
            token.release();
        }
    }

    /** The receipt of the report just stored, from the slot the source's cookie names. */
    void receipt(Context ctx) {
        Organization org = organization(ctx);
        Optional<ReceiptSlots.Slot> slot = receipts.find(ctx.cookie(RECEIPT_COOKIE))
                .filter(s -> s.organization().equals(org.slug()));
        Optional<String> receipt = slot.flatMap(s -> s.receipt(PENDING_WAIT));
        if (receipt.isPresent()) {
            pages.render(ctx, 200, "source/receipt.jte", page(ctx, slot.get().csrf()), Map.of(
                    "receipt", receipt.get(), "organization", org));
        } else if (slot.isPresent() && slot.get().pending()) {
            renderNotice(ctx, 202, org, "receipt.pendingTitle", "receipt.pending");
        } else {
            renderNotice(ctx, 410, org, "receipt.goneTitle", "receipt.gone");
        }
    }

    /** The source wrote the receipt down: the slot ends and its cookie is cleared. */
    void receiptWritten(Context ctx) {
        Organization org = organization(ctx);
        Optional<ReceiptSlots.Slot> slot = receipts.find(ctx.cookie(RECEIPT_COOKIE));
        // Without a slot there is nothing to protect; the button only clears a stale cookie then.
        FormBody.readChecked(ctx, SMALL_FORM_BYTES, sent -> slot.map(s -> FormTokens.same(s.csrf(), sent))
                .orElse(true));
        slot.ifPresent(receipts::end);
        cookies.clear(ctx, RECEIPT_COOKIE, receiptPath(org));
        // On to the report page; without a live session there it asks for the receipt.
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang(), HttpStatus.SEE_OTHER);
    }

    private void showReceipt(Context ctx, Organization org, ReceiptSlots.Slot slot) {
        cookies.set(ctx, RECEIPT_COOKIE, slot.id(), receiptPath(org));
        ctx.redirect(receiptPath(org) + "?lang=" + Pages.texts(ctx).lang(), HttpStatus.SEE_OTHER);
    }

    /**
     * The same report form was sent again. While its receipt's slot lives (a double click whose
     * first answer the browser dropped, back and resend) the source gets that receipt; later they
     * are told the report was received and how to come back.
     */
    private void alreadySent(Context ctx, Organization org, FormTokens.Check check) {
        Optional<ReceiptSlots.Slot> slot = receipts.forToken(check.id());
        if (slot.isPresent()) {
            // The first answer, with its cookies, may never have reached the browser.
            String sessionId = slot.get().sessionId();
            if (sessionId != null && sessions.find(sessionId).isPresent()) {
                cookies.set(ctx, COOKIE, sessionId, "/conversation");
            }
            showReceipt(ctx, org, slot.get());
            return;
        }
        renderNotice(ctx, 409, org, "already.title", "already.text");
    }

    private void renderNotice(Context ctx, int status, Organization org, String titleKey, String textKey) {
        PageContext p = page(ctx, "");
        pages.render(ctx, status, "source/notice.jte", p, Map.of(
                "title", p.t(titleKey), "text", p.t(textKey), "organization", org));
    }

    private static String receiptPath(Organization org) {
        return "/o/" + org.slug() + "/receipt";
    }

    /** A refusal for a forged or missing token: nothing the source typed is shown again. */
    private static boolean forged(WebError e) {
        return e.status() == 403 && !FORM_EXPIRED.equals(e.messageKey());
    }

    /** The same form arrived again: nothing is created. */
    private static final class AlreadySent extends Exception {
        AlreadySent() {
            super("form sent again", null, false, false);
        }
    }

    /**
     * The report form's token, checked when the first field arrives but acted on only once the
     * text fields are read (at the first file, or at the end), so a refusal can show the text again.
     */
    private final class ReportToken {
        private final Organization org;
        private FormTokens.Check check;
        private ReceiptSlots.Slot slot;
        private boolean stored;
        private boolean released;

        ReportToken(Organization org) {
            this.org = org;
        }

        /** MultipartForm's check: anything but a forgery passes on, to be decided by {@link #require}. */
        boolean accept(String sent) {
            check = tokens.check(FormTokens.Purpose.REPORT, sent);
            if (check.fresh()) {
                slot = receipts.reserve(check.id(), org.slug());
            }
            return check.verdict() != FormTokens.Verdict.FORGED;
        }

        void require() throws AlreadySent {
            requireFresh(check);
        }

        /** Nothing was stored: the form may be sent again, and a replay waiting on it learns so. */
        void release() {
            if (stored || released) {
                return;
            }
            released = true;
            tokens.giveBack(check);
            if (slot != null) {
                receipts.cancel(slot);
            }
        }
    }

    private static void requireFresh(FormTokens.Check check) throws AlreadySent {
        if (check == null || check.verdict() == FormTokens.Verdict.FORGED) {
            throw WebError.badToken();
        }
        switch (check.verdict()) {
            case SPENT -> throw new AlreadySent();
            case EXPIRED -> throw new WebError(403, FORM_EXPIRED);
            default -> {
            }
        }
    }

    void returnForm(Context ctx) {
        pages.render(ctx, 200, "source/return.jte", page(ctx, tokens.issue(FormTokens.Purpose.RECEIPT)),
                Map.of("error", ""));
    }

    void open(Context ctx) throws IntakeException {
        FormBody form = FormBody.readSpending(ctx, SMALL_FORM_BYTES, tokens, FormTokens.Purpose.RECEIPT);
        SourceAccess access;
        try {
            access = intake.open(form.get("receipt"), ClientPresence.of(ctx));
        } catch (IntakeException e) {
            // Nothing was opened: the token goes back, so failed attempts do not fill the store of
            // spent tokens (which would age out every open receipt form); replaying a failure is harmless.
            tokens.giveBack(form.token());
            PageContext p = page(ctx, tokens.issue(FormTokens.Purpose.RECEIPT));
            pages.render(ctx, e.reason().httpStatus(), "source/return.jte", p,
                    Map.of("error", p.t("error." + e.reason().name())));
            return;
        }
        Sessions.Session<SourceAccess> s = sessions.create(access);
        caseView.rememberLanguage(access, Pages.texts(ctx).lang());
        cookies.set(ctx, COOKIE, s.id(), "/conversation");
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The report page: answers, files, unfinished uploads, the file form, then the conversation. */
    void conversation(Context ctx) {
        renderConversation(ctx, session(ctx), 200, null, "");
    }

    /** The answers of a report started without them, saved once; after that, text goes in messages. */
    void saveAnswers(Context ctx) {
        Sessions.Session<SourceAccess> s = session(ctx);
        FormBody form = FormBody.readChecked(ctx, ANSWERS_FORM_BYTES, sent -> FormTokens.same(s.csrf(), sent));
        Answers answers = new Answers(form.get("what"), form.get("when"), form.get("where"), form.get("details"));
        try {
            intake.saveAnswers(s.value(), answers);
        } catch (IntakeException e) {
            if (e.reason() == IntakeException.Reason.ANSWERS_ALREADY_SET) {
                // What they typed is not lost: it waits in the message form.
                renderConversation(ctx, s, e.reason().httpStatus(), "error." + e.reason().name(), asMessage(answers),
                        null);
            } else {
                renderConversation(ctx, s, e.reason().httpStatus(), "error." + e.reason().name(), "", answers);
            }
            return;
        }
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang(), HttpStatus.SEE_OTHER);
    }

    /**
     * Files for the report itself, each committed the moment its part ends: a cut loses only the
     * file in flight. A file already kept under the form's {@code batch} (the browser sending the
     * form again after a cut) is read and dropped.
     */
    void addFiles(Context ctx) throws Exception {
        Sessions.Session<SourceAccess> s = session(ctx);
        MultipartForm form = new MultipartForm();
        try (UploadSlots.Hold upload = uploads.hold();
             IntakeService.FileBatch files = intake.addFiles(s.value(), ctx.req().getContentLengthLong(),
                     () -> form.get("batch"))) {
            refuseOversizeBody(ctx);
            form.stream(ctx, sent -> FormTokens.same(s.csrf(), sent), FILE_FIELDS, name -> {
                upload.take();
                return files.beginFile(name);
            });
            files.complete();
        } catch (IntakeException e) {
            Uploads.drainAfterRefusal(ctx);
            renderConversation(ctx, s, e.reason().httpStatus(), "error." + e.reason().name(), "");
            return;
        } catch (WebError e) {
            if (forged(e)) {
                throw e;
            }
            Uploads.drainAfterRefusal(ctx);
            renderConversation(ctx, s, e.status(), e.messageKey(), "");
            return;
        }
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang() + "#files", HttpStatus.SEE_OTHER);
    }

    /**
     * A file refusal on the report page, where files before the refused one were kept (they are
     * committed one by one): its own text, not the start form's "nothing was saved".
     */
    private static String onReportPage(String errorKey) {
        return switch (errorKey) {
            case "error.FILE_TOO_LARGE", "error.REPORT_TOO_LARGE", "error.TOO_MANY_FILES" ->
                    "files.refused." + errorKey.substring("error.".length());
            default -> errorKey;
        };
    }

    /**
     * Which form of the report page a refusal belongs to, so it is shown at the top of that form:
     * "answers", "files", "message", or "page" (the top of the page).
     */
    private static String errorPlace(Context ctx, String errorKey) {
        if (errorKey == null) {
            return "";
        }
        if (errorKey.equals("error.ANSWERS_ALREADY_SET")) {
            // What they typed waits in the message form.
            return "message";
        }
        return switch (ctx.path()) {
            case "/conversation/answers" -> "answers";
            case "/conversation/files" -> "files";
            case "/conversation/message" -> "message";
            default -> "page";
        };
    }

    private static String asMessage(Answers a) {
        StringBuilder b = new StringBuilder();
        for (String part : new String[] {a.what(), a.when(), a.where(), a.details()}) {
            if (!part.isEmpty()) {
                b.append(b.length() > 0 ? "\n\n" : "").append(part);
            }
        }
        return b.toString();
    }

    /**
     * A follow-up from the source. Each rendered form carries a one-time nonce, so the same form
     * sent twice adds one message.
     */
    void message(Context ctx) throws Exception {
        Sessions.Session<SourceAccess> s = session(ctx);
        MultipartForm form = new MultipartForm();
        MessageNonce nonce = new MessageNonce();
        boolean stored = false;
        try (UploadSlots.Hold upload = uploads.hold();
             IntakeService.FollowUp followUp = intake.followUp(s.value(), ctx.req().getContentLengthLong())) {
            refuseOversizeBody(ctx);
            try {
                form.stream(ctx, sent -> FormTokens.same(s.csrf(), sent), MESSAGE_FIELDS, name -> {
                    nonce.admit(followUp, form.get("nonce"));
                    upload.take();
                    followUp.text(form.get("message"));
                    return followUp.beginFile(name);
                });
                nonce.admit(followUp, form.get("nonce"));
                followUp.complete(form.get("message"));
            } finally {
                // Files are committed one by one: once the message exists, its form is spent.
                stored = followUp.stored();
            }
        } catch (AlreadySent e) {
            // The message is already in the conversation; showing it is all that is left to do.
            Uploads.drainAfterRefusal(ctx);
        } catch (IntakeException e) {
            // Show the conversation again with what the source typed, so no text is lost.
            Uploads.drainAfterRefusal(ctx);
            // The text went with the first file if one was kept; otherwise it is shown again.
            renderConversation(ctx, s, e.reason().httpStatus(), "error." + e.reason().name(),
                    stored ? "" : form.get("message"));
            return;
        } catch (WebError e) {
            if (forged(e)) {
                throw e;
            }
            Uploads.drainAfterRefusal(ctx);
            renderConversation(ctx, s, e.status(), e.messageKey(), form.get("message"));
            return;
        } finally {
            if (!stored) {
                // Nothing was added: the same form may be sent again.
                tokens.giveBack(nonce.check);
            }
        }
        ctx.redirect("/conversation?lang=" + Pages.texts(ctx).lang() + "#end", HttpStatus.SEE_OTHER);
    }

    /** The follow-up form's one-time nonce, spent the first time it is asked for. */
    private final class MessageNonce {
        private FormTokens.Check check;
        private boolean admitted;

        FormTokens.Check spend(String sent) {
            if (check == null) {
                check = tokens.check(FormTokens.Purpose.MESSAGE, sent);
            }
            return check;
        }

        /**
         * A fresh form goes on and is remembered by its nonce; the same form sent again after a cut
         * adds its missing files to the message its first sending made; any other spent form was
         * simply sent twice.
         */
        void admit(IntakeService.FollowUp followUp, String sent) throws AlreadySent {
            if (admitted) {
                return;
            }
            FormTokens.Check c = spend(sent);
            if (c != null && c.verdict() == FormTokens.Verdict.SPENT && followUp.resume(sent)) {
                admitted = true;
                return;
            }
            requireFresh(c);
            followUp.rememberAs(sent);
            admitted = true;
        }
    }

    private void renderConversation(Context ctx, Sessions.Session<SourceAccess> s, int status, String errorKey,
                                    String draft) {
        renderConversation(ctx, s, status, errorKey, draft, null);
    }

    /** @param answersDraft answers typed into a refused answers form, shown again; null: none */
    private void renderConversation(Context ctx, Sessions.Session<SourceAccess> s, int status, String errorKey,
                                    String draft, Answers answersDraft) {
        PageContext p = page(ctx, s.csrf());
        SourceAccess access = s.value();
        Map<String, Object> model = new HashMap<>();
        ReportContents report = intake.conversation(access);
        model.put("report", report);
        model.put("kase", caseView.of(access, report.status(), p.lang()));
        model.put("error", errorKey == null ? "" : p.t(onReportPage(errorKey)));
        model.put("errorAt", errorPlace(ctx, errorKey));
        model.put("draft", draft);
        model.put("nonce", tokens.issue(FormTokens.Purpose.MESSAGE));
        model.put("answersOpen", intake.answersOpen(access));
        model.put("answersDraft", answersDraft == null ? new Answers("", "", "", "") : answersDraft);
        model.put("batch", intake.fileBatch(access));
        model.put("unfinished", openUploads.of(access));
        model.put("fileLimit", p.fileSize(intake.limits().fileBytes()));
        model.put("reportLimit", p.fileSize(intake.limits().reportBytes()));
        model.put("maxFiles", intake.limits().filesPerSubmission());
        SecurityHeaders.allowUploadScripts(ctx);
        pages.render(ctx, status, "source/conversation.jte", p, model);
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

    /** For the tus endpoint: the same sessions, upload slots and clock as the forms. */
    Sessions<SourceAccess> sessions() {
        return sessions;
    }

    UploadSlots uploadSlots() {
        return uploads;
    }

    Clock clock() {
        return clock;
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

    /** The start form; {@code excluded}: the colleagues the source ticked to leave out (kept on a refusal). */
    private void renderForm(Context ctx, int status, Organization org, String errorKey, Answers answers,
                            Set<String> excluded) {
        PageContext p = page(ctx, tokens.issue(FormTokens.Purpose.REPORT));
        pages.render(ctx, status, "source/form.jte", p, Map.of(
                "organization", org, "answers", answers,
                "excludable", intake.excludable(org), "excluded", excluded,
                "error", errorKey == null ? "" : p.t(errorKey),
                "fileLimit", p.fileSize(intake.limits().fileBytes()),
                "reportLimit", p.fileSize(intake.limits().reportBytes()),
                "maxFiles", intake.limits().filesPerSubmission()));
    }

    private Organization organization(Context ctx) {
        return organizations.bySlug(ctx.pathParam("org")).orElseThrow(() -> new WebError(404, "error.notFound"));
    }

    private static Answers answers(MultipartForm form) {
        return new Answers(form.get("what"), form.get("when"), form.get("where"), form.get("details"));
    }

    private static PageContext page(Context ctx, String csrf) {
        return new PageContext(Pages.texts(ctx), csrf, "", Pages.languagePath(ctx));
    }
}
