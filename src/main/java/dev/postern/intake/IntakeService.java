package dev.postern.intake;

import dev.postern.config.UploadLimits;
import dev.postern.store.BlobStore;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.KeyGenerationMoved;
import dev.postern.store.ReportAccess;
import dev.postern.store.Organization;
import dev.postern.store.RecipientAccount;
import dev.postern.store.ReceiptCandidate;
import dev.postern.store.ReceiptIndex;
import dev.postern.store.Recipients;
import dev.postern.store.ReportStatus;
import dev.postern.store.ReportUsage;
import dev.postern.store.Reports;
import dev.postern.store.StoredFile;
import dev.postern.store.StoredMessage;
import dev.postern.store.StoredReport;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.Argon2Refused;
import dev.postern.vault.Argon2id;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.Receipt;
import dev.postern.vault.ReceiptSecrets;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.SourceKeyPair;
import dev.postern.vault.VaultException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side: new reports, the receipt, coming back, follow-up messages and files.
 *
 * <p>Rules it owns: a report is created with its receipt at the first POST, with or without text
 * (receipt first: a report with neither text nor files is hidden from recipients and expires, see
 * {@link EmptyReportSweeper}); files after that are committed one by one, and the per-report
 * limits count what the report already holds; everything is encrypted under a fresh
 * report key before it is stored; the key is wrapped to every recipient of the organization whose
 * public key is pinned (others are skipped with an alarm in the log) and to the receipt; source-side
 * times are whole hours; new reports share an hourly budget; uploads (reports and follow-ups) never
 * eat into the disk floor; a receipt that matches no report's tag is refused for the price of one
 * HMAC, and only receipts whose tag matches spend the instance's budget of checks and an Argon2id
 * evaluation (see docs/security.md, "Receipts").
 */
public final class IntakeService {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);
    private static final String RECEIPT_SALT = "receipt-salt";
    private static final String RECEIPT_TAG_KEY = "receipt-tag-key";
    /** The cost every receipt was stretched with before it was recorded per report (migration V2). */
    private static final Argon2Params UNRECORDED_RECEIPT_PARAMS = new Argon2Params(64 * 1024, 3, 1);
    /** Cleared once no report without a receipt tag is left, so fakes stop costing a query. */
    private volatile boolean untaggedReportsMayRemain = true;
    private final Recipients recipients;
    private final Reports reports;
    private final BlobStore blobs;
    private final InstanceSecrets secrets;
    private final Clock clock;
    private final UploadLimits limits;
    private final ReceiptBudget gate;
    private final ReceiptTagThrottle tagThrottle;
    private final ReportBudget budget;
    private final DiskFloor floor;
    private final RecentBatches batches = new RecentBatches();
    private final ExclusionLog exclusions;

    /** A service with no report budget and no disk floor (tools and storage tests). */
    public IntakeService(Recipients recipients, Reports reports, BlobStore blobs, InstanceSecrets secrets,
                         Clock clock, UploadLimits limits, ReceiptBudget gate) {
        this(recipients, reports, blobs, secrets, clock, limits, gate, new ReportBudget() {
            @Override
            public boolean tryTake() {
                return true;
            }

            @Override
            public void giveBack() {
            }
        }, DiskFloor.none(), ExclusionLog.NONE);
    }

    public IntakeService(Recipients recipients, Reports reports, BlobStore blobs, InstanceSecrets secrets,
                         Clock clock, UploadLimits limits, ReceiptBudget gate, ReportBudget budget, DiskFloor floor,
                         ExclusionLog exclusions) {
        this.exclusions = exclusions;
        this.budget = budget;
        this.floor = floor;
        this.recipients = recipients;
        this.reports = reports;
        this.blobs = blobs;
        this.secrets = secrets;
        this.clock = clock;
        this.limits = limits;
        this.gate = gate;
        this.tagThrottle = new ReceiptTagThrottle(clock);
    }

    public UploadLimits limits() {
        return limits;
    }

    /** Starts a new report for {@code organization} whose size is not declared. */
    public Submission begin(Organization organization) throws IntakeException {
        return begin(organization, -1);
    }

    /**
     * Starts a new report for {@code organization}. Close the submission whatever happens.
     *
     * @param declaredBytes the size the upload announces (negative when it announces none); checked
     *                      against the disk floor with the report budget when the first file
     *                      begins (or at {@link Submission#complete} for a report without files), so
     *                      the text that comes before the files can be shown again on a refusal
     */
    public Submission begin(Organization organization, long declaredBytes) throws IntakeException {
        List<RecipientAccount> team = receivingNew(organization.id());
        if (team.stream().noneMatch(RecipientAccount::keyPinned)) {
            // Said before the body is read, so the source loses nothing.
            team.forEach(IntakeService::alarmUnpinned);
            throw new IntakeException(IntakeException.Reason.NO_RECIPIENTS);
        }
        return new Submission(organization, team, declaredBytes);
    }

    /**
     * The colleagues a source may leave out of a new report, when the organization lets sources do
     * so (empty otherwise): those intake would wrap to.
     */
    public List<RecipientAccount> excludable(Organization organization) {
        if (!reports.access().sourceMayExclude(organization.id())) {
            return List.of();
        }
        return receivingNew(organization.id()).stream().filter(RecipientAccount::keyPinned).toList();
    }

    /** The colleagues intake wraps new reports to: active, and receiving new reports (pins are checked at the wrap). */
    private List<RecipientAccount> receivingNew(String organizationId) {
        return recipients.inOrganization(organizationId).stream()
                .filter(r -> r.active() && r.receivesNew()).toList();
    }

    /** A report being submitted: files stream in first, then {@link #complete} stores it. */
    public final class Submission implements AutoCloseable {
        private final Organization organization;
        private final List<RecipientAccount> team;
        private final String reportId = Ids.newId();
        private final ReportKey key = ReportKey.generate();
        private final EvidenceUpload upload;
        /** Colleagues the source left out (only where the organization lets sources do so). */
        private Set<String> excluded = Set.of();
        private final long declaredBytes;
        private boolean admitted;
        private boolean stored;

        private Submission(Organization organization, List<RecipientAccount> team, long declaredBytes) {
            this.organization = organization;
            this.team = team;
            this.declaredBytes = declaredBytes;
            this.upload = new EvidenceUpload(blobs, limits, floor, reportId, ReportKeys.initial(key));
        }

        /**
         * Leaves these colleagues out: nothing is wrapped to them, and no grant may add them later.
         * Ignored unless the organization lets sources leave people out; ids that are not among the
         * colleagues who receive new reports are ignored.
         *
         * @throws IntakeException NOBODY_LEFT when nobody would remain to read the report
         */
        public void exclude(Collection<String> recipientIds) throws IntakeException {
            if (recipientIds.isEmpty() || !reports.access().sourceMayExclude(organization.id())) {
                return;
            }
            Set<String> chosen = new HashSet<>();
            for (RecipientAccount r : team) {
                if (recipientIds.contains(r.id())) {
                    chosen.add(r.id());
                }
            }
            if (team.stream().filter(RecipientAccount::keyPinned).allMatch(r -> chosen.contains(r.id()))) {
                throw new IntakeException(IntakeException.Reason.NOBODY_LEFT);
            }
            this.excluded = Set.copyOf(chosen);
        }

        /** Encrypts a file as it streams in; refuses it past the limits. */
        public void addFile(String name, InputStream content) throws IOException, IntakeException {
            admit();
            upload.add(name, content);
        }

        /** Starts a file whose bytes are pushed in chunks (by a multipart parser). */
        public IncomingFile beginFile(String name) throws IOException, IntakeException {
            admit();
            return upload.begin(name);
        }

        /**
         * The disk floor and the hourly report budget, before any byte of a file: refused here, the
         * source still has the text they typed.
         */
        private void admit() throws IntakeException {
            if (admitted) {
                return;
            }
            floor.admit(declaredBytes);
            if (!budget.tryTake()) {
                throw new IntakeException(IntakeException.Reason.REPORT_BUDGET_SPENT);
            }
            admitted = true;
        }

        /** Stores the report and its files in one transaction and returns the source's receipt. */
        public Receipt complete(Answers answers) throws IntakeException, IOException {
            return complete(answers, () -> true).receipt();
        }

        /**
         * Stores the report and its files in one transaction and returns the source's receipt with
         * the access a source session holds. The answers may all be empty (receipt first): such a
         * report is hidden from recipients until it has text or a file, and expires otherwise.
         *
         * @param stillWanted false once the source's connection is gone: the receipt's Argon2id is
         *                    then not started, and nothing is stored
         * @throws IntakeException BUSY when the sources' Argon2id lane is full (nothing is stored)
         */
        public Started complete(Answers answers, BooleanSupplier stillWanted) throws IntakeException, IOException {
            admit();
            checkAnswers(answers);
            long hour = Hours.now(clock);
            Receipt receipt = Receipt.generate();
            Argon2Params cost = Argon2Params.DEFAULT;
            ReceiptSecrets receiptSecrets = stretch(receipt, cost, stillWanted);
            Map<String, byte[]> wrapped = new LinkedHashMap<>();
            for (RecipientAccount r : team) {
                if (excluded.contains(r.id())) {
                    continue;
                }
                if (!r.keyPinned()) {
                    alarmUnpinned(r);
                    continue;
                }
                RecipientPublicKey pk = RecipientPublicKey.parse(r.id(), r.credentials().publicKeyset());
                wrapped.put(r.id(), key.wrapTo(pk, reportId));
            }
            if (wrapped.isEmpty()) {
                throw new IntakeException(IntakeException.Reason.NO_RECIPIENTS);
            }
            StoredReport report = new StoredReport(reportId, organization.id(), ReportStatus.NEW, hour, hour,
                    key.seal(answers.encode(), ObjectRef.answers(reportId)), receiptSecrets.wrap(key, reportId));
            SourceKeyPair pair = SourceKeyPair.generate(reportId);
            ReportAccess.SourceKey sourceKey = sourceKeyRow(organization.id(), pair, receiptSecrets);
            List<StoredFile> files = upload.commitBlobs(null, hour);
            try {
                reports.insert(report, new ReceiptIndex(receiptSecrets.lookupId(),
                        ReceiptSecrets.tag(receipt, receiptTagKey()), cost), wrapped, files, !answers.isEmpty(),
                        sourceKey, excluded);
            } catch (RuntimeException e) {
                upload.deleteCommitted();
                throw e;
            }
            stored = true;
            for (String left : excluded) {
                exclusions.excluded(organization.id(), reportId, left);
            }
            return new Started(receipt, new SourceAccess(reportId, ReportKeys.initial(key), pair));
        }

        @Override
        public void close() {
            upload.close();
            if (admitted && !stored) {
                budget.giveBack();
            }
        }
    }

    /** Opens a report with a receipt as typed, as work nobody abandons (tests, tools). */
    public SourceAccess open(String typedReceipt) throws IntakeException {
        return open(typedReceipt, () -> true);
    }

    /**
     * Opens a report with a receipt as typed.
     *
     * <p>Cheap first: a malformed receipt, or one whose tag matches no report, is refused for at most
     * one HMAC and spends no budget. Only a tag match (and, while reports older than tags remain,
     * every well-formed receipt) spends one check from the instance's budget and one Argon2id
     * evaluation in the sources' lane, with the cost recorded for that report.
     *
     * @param stillWanted false once the source's connection is gone: queued Argon2id work is dropped
     * @throws IntakeException WRONG_RECEIPT for any receipt that opens nothing (malformed or not, the
     *                         same answer either way), TOO_MANY_ATTEMPTS when the instance's budget
     *                         of checks is spent, BUSY when the sources' Argon2id lane is full
     */
    public SourceAccess open(String typedReceipt, BooleanSupplier stillWanted) throws IntakeException {
        Optional<Receipt> parsed = Receipt.parse(typedReceipt);
        if (parsed.isEmpty()) {
            throw new IntakeException(IntakeException.Reason.WRONG_RECEIPT);
        }
        Receipt receipt = parsed.get();
        String tag = ReceiptSecrets.tag(receipt, receiptTagKey());
        List<ReceiptCandidate> candidates = reports.byReceiptTag(tag);
        boolean untagged = untaggedReportsMayRemain();
        if (candidates.isEmpty() && !untagged) {
            throw new IntakeException(IntakeException.Reason.WRONG_RECEIPT);
        }
        if (!tagThrottle.tryCheck(tag) || !gate.tryAcquire()) {
            throw new IntakeException(IntakeException.Reason.TOO_MANY_ATTEMPTS);
        }
        Map<Argon2Params, ReceiptSecrets> derived = new HashMap<>();
        for (ReceiptCandidate c : candidates) {
            ReceiptSecrets s = derived.get(c.index().params());
            if (s == null) {
                s = stretchForCheck(receipt, c.index().params(), stillWanted);
                derived.put(c.index().params(), s);
            }
            if (sameLookup(s.lookupId(), c.index().lookup())) {
                return opened(unwrap(s, c.report()));
            }
        }
        if (untagged) {
            // A report from before receipt tags: only its lookup id finds it; tag it for next time.
            ReceiptSecrets s = derived.get(UNRECORDED_RECEIPT_PARAMS);
            if (s == null) {
                s = stretchForCheck(receipt, UNRECORDED_RECEIPT_PARAMS, stillWanted);
            }
            Optional<ReceiptCandidate> old = reports.untaggedByReceiptLookup(s.lookupId());
            if (old.isPresent()) {
                SourceAccess access = unwrap(s, old.get().report());
                reports.setReceiptTag(old.get().report().id(), tag);
                return opened(access);
            }
        }
        throw new IntakeException(IntakeException.Reason.WRONG_RECEIPT);
    }

    /**
     * A receipt that opened its report gives its check back: the budget is there to slow guessing,
     * and only failed checks are guesses. Otherwise one genuine receipt posted over and over (an
     * attacker's own) would spend the instance's budget and keep every real source out.
     */
    private SourceAccess opened(SourceAccess access) {
        gate.refund();
        return access;
    }

    private boolean untaggedReportsMayRemain() {
        if (untaggedReportsMayRemain && !reports.anyWithoutReceiptTag()) {
            untaggedReportsMayRemain = false;
        }
        return untaggedReportsMayRemain;
    }

    /** A check the lane refused did not happen: its budget is given back. */
    private ReceiptSecrets stretchForCheck(Receipt receipt, Argon2Params cost, BooleanSupplier stillWanted)
            throws IntakeException {
        try {
            return stretch(receipt, cost, stillWanted);
        } catch (IntakeException e) {
            gate.refund();
            throw e;
        }
    }

    private ReceiptSecrets stretch(Receipt receipt, Argon2Params cost, BooleanSupplier stillWanted)
            throws IntakeException {
        try {
            return ReceiptSecrets.derive(receipt, receiptSalt(), cost, Argon2id.Caller.source(stillWanted));
        } catch (Argon2Refused e) {
            throw new IntakeException(IntakeException.Reason.BUSY);
        }
    }

    private static boolean sameLookup(String derived, String stored) {
        return MessageDigest.isEqual(derived.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Opens generation 0 with the receipt, then the source key pair and every generation wrapped to
     * it. A report made before V5 gets its pair now (the receipt is at hand only here).
     */
    private SourceAccess unwrap(ReceiptSecrets s, StoredReport report) throws IntakeException {
        String id = report.id();
        ReportKeys keys;
        try {
            keys = ReportKeys.initial(s.unwrap(report.receiptWrappedKey(), id));
        } catch (VaultException e) {
            throw new IntakeException(IntakeException.Reason.WRONG_RECEIPT);
        }
        ReportAccess store = reports.access();
        ReportAccess.SourceKey stored = store.sourceKey(id);
        SourceKeyPair pair;
        if (stored.exists()) {
            if (!recipients.pinVerifies(SourceKeyPair.pinId(id), report.organizationId(), stored.publicKeyset(),
                    stored.pin())) {
                LOG.error("ALARM: the source public key of report {} does not verify under the pinning key;"
                        + " the report opens with generation 0 only.", id);
                return new SourceAccess(id, keys);
            }
            try {
                pair = s.unwrapSourcePrivate(stored.wrappedPrivate(), id, stored.publicKeyset());
            } catch (VaultException e) {
                LOG.error("ALARM: the source key pair of report {} does not open with its receipt", id);
                return new SourceAccess(id, keys);
            }
        } else {
            pair = SourceKeyPair.generate(id);
            ReportAccess.SourceKey made = sourceKeyRow(report.organizationId(), pair, s);
            if (!store.setSourceKeyOnce(id, made.publicKeyset(), made.pin(), made.wrappedPrivate())) {
                // Two opens at once: the other one's pair stands; this visit opens it next time.
                return new SourceAccess(id, keys);
            }
        }
        return new SourceAccess(id, SourceAccess.withSourceWraps(keys, store.sourceWraps(id), pair, id), pair);
    }

    /** The source key pair's row: public half pinned, private half under the receipt. */
    private ReportAccess.SourceKey sourceKeyRow(String organizationId, SourceKeyPair pair, ReceiptSecrets s) {
        byte[] publicKeyset = pair.publicKeyset();
        return new ReportAccess.SourceKey(publicKeyset,
                recipients.pinOf(SourceKeyPair.pinId(pair.reportId()), organizationId, publicKeyset),
                s.wrapSourcePrivate(pair), false);
    }

    /** The conversation as the source sees it. */
    public ReportContents conversation(SourceAccess access) {
        StoredReport report = reports.byId(access.reportId()).orElseThrow(
                () -> new IllegalStateException("report vanished"));
        // A revocation since the visit began made a generation this session lacks: fetch it first.
        return ReportContents.read(reports, report, access.keysForWriting(reports.access())).forSource();
    }

    /** Whether the report's answers may still be saved (it was started without any). */
    public boolean answersOpen(SourceAccess access) {
        return !reports.answersSet(access.reportId());
    }

    /**
     * Saves the answers of a report started without them, once.
     *
     * @throws IntakeException ANSWERS_ALREADY_SET when they were saved before (what follows is a
     *                         message), EMPTY_REPORT when all four are empty, FIELD_TOO_LONG
     */
    public void saveAnswers(SourceAccess access, Answers answers) throws IntakeException {
        checkAnswers(answers);
        if (answers.isEmpty()) {
            throw new IntakeException(IntakeException.Reason.EMPTY_REPORT);
        }
        String id = access.reportId();
        // Answers are always generation 0: they are written once, with the report.
        if (!reports.setAnswersOnce(id, access.keys().require(0).seal(answers.encode(), ObjectRef.answers(id)),
                Hours.now(clock))) {
            throw new IntakeException(IntakeException.Reason.ANSWERS_ALREADY_SET);
        }
    }

    /**
     * The batch the report page's file form carries: the same until a form of it arrives whole, so
     * a form sent again after a cut, or the same files chosen again, store only what was missing.
     */
    public String fileBatch(SourceAccess access) {
        return batches.open(access.reportId(), Ids.newId());
    }

    /**
     * Starts adding files to the report itself, each committed the moment it has arrived.
     *
     * @param batch the form's batch, read when the first file begins (it is sent before the files)
     */
    public FileBatch addFiles(SourceAccess access, long declaredBytes, Supplier<String> batch) {
        return new FileBatch(access, declaredBytes, batch);
    }

    /**
     * Files of the report page's form: each is committed in its own transaction when its last byte
     * is encrypted (listed on the report page at once); a file of the same name and size already
     * kept under the same batch (a resend after a cut) is read and dropped.
     */
    public final class FileBatch implements AutoCloseable {
        private final SourceAccess access;
        private final EvidenceUpload upload;
        private final long declaredBytes;
        private final Supplier<String> sentBatch;
        private String batch;
        private boolean admitted;

        private FileBatch(SourceAccess access, long declaredBytes, Supplier<String> sentBatch) {
            this.access = access;
            this.declaredBytes = declaredBytes;
            this.sentBatch = sentBatch;
            String reportId = access.reportId();
            this.upload = new EvidenceUpload(blobs, limits, floor, reportId,
                    access.keysForWriting(reports.access()), reports.usage(reportId),
                    new KeptOneByOne(reportId, () -> batch, reports::addReportFile));
        }

        /** Starts a file whose bytes are pushed in chunks (by a multipart parser). */
        public IncomingFile beginFile(String name) throws IOException, IntakeException {
            if (!admitted) {
                floor.admit(declaredBytes);
                String sent = sentBatch.get();
                // Only a batch of the form's shape is remembered; anything else just dedups nothing.
                batch = sent != null && Ids.isValid(sent) ? sent : null;
                admitted = true;
            }
            return upload.begin(name);
        }

        /** Files committed by this request (resent copies of kept files not counted). */
        public int committed() {
            return upload.count();
        }

        /** The whole form arrived: the report page's next form gets a new batch. */
        public void complete() {
            if (batch != null) {
                batches.close(access.reportId(), batch);
            }
        }

        @Override
        public void close() {
            upload.close();
        }
    }

    /** Starts a follow-up message from the source whose size is not declared. */
    public FollowUp followUp(SourceAccess access) {
        return followUp(access, -1);
    }

    /**
     * Starts a follow-up message with files from the source; {@code declaredBytes} (negative: not
     * declared) is checked against the disk floor when the first file begins.
     */
    public FollowUp followUp(SourceAccess access, long declaredBytes) {
        return new FollowUp(access, declaredBytes);
    }

    /**
     * A source's follow-up. Its files are committed one by one as they arrive: the message row is
     * inserted when the first file is committed (with the text sent before the files), later files
     * attach to it, and {@link #complete} inserts the message only when no file came.
     */
    public final class FollowUp implements AutoCloseable {
        private final SourceAccess access;
        private final EvidenceUpload upload;
        private final long declaredBytes;
        private String messageId = Ids.newId();
        /** The form this follow-up came with (its nonce): what its files are remembered under. */
        private String form;
        private boolean admitted;
        private boolean inserted;
        /** A resend of a form whose message exists: its text is stored already. */
        private boolean resumed;
        private String text = "";

        private FollowUp(SourceAccess access, long declaredBytes) {
            this.access = access;
            this.declaredBytes = declaredBytes;
            this.upload = new EvidenceUpload(blobs, limits, floor, access.reportId(),
                    access.keysForWriting(reports.access()),
                    reports.usage(access.reportId()), new KeptOneByOne(access.reportId(), () -> form, row -> {
                        insertOnce(row.createdHour());
                        reports.addMessageFile(new StoredFile(row.id(), row.reportId(), messageId, row.name(),
                                row.sizeBytes(), row.createdHour(), row.keyGeneration()));
                    }));
        }

        /**
         * Remembers this follow-up under its form's one-time nonce, so that if the connection breaks
         * after its first file, the browser's resend of the same form adds the missing files to the
         * same message ({@link #resume}).
         */
        public void rememberAs(String formNonce) {
            this.form = formNonce;
        }

        /**
         * The same form again, after a cut: when its message exists, this follow-up adds to it, and
         * files of the same name and size already kept with it are dropped. False when the form
         * made no message (or is forgotten): it is then just sent twice.
         */
        public boolean resume(String formNonce) {
            String existing = batches.message(access.reportId(), formNonce);
            if (existing == null) {
                return false;
            }
            this.form = formNonce;
            this.messageId = existing;
            this.inserted = true;
            this.resumed = true;
            return true;
        }

        /** The message's text as sent before its files; stored with the first file that arrives. */
        public void text(String sent) throws IntakeException {
            String body = sent == null ? "" : sent.strip();
            checkText(body, Answers.LONG_FIELD_CHARS);
            this.text = body;
        }

        public void addFile(String name, InputStream content) throws IOException, IntakeException {
            admit();
            upload.add(name, content);
        }

        /** Starts a file whose bytes are pushed in chunks (by a multipart parser). */
        public IncomingFile beginFile(String name) throws IOException, IntakeException {
            admit();
            return upload.begin(name);
        }

        /** The disk floor, before any byte of a file (a follow-up spends no report budget). */
        private void admit() throws IntakeException {
            if (!admitted) {
                floor.admit(declaredBytes);
                admitted = true;
            }
        }

        /** Whether something of this message is stored (its row, at its first file). */
        public boolean stored() {
            return inserted;
        }

        private void insertOnce(long hour) {
            if (inserted) {
                return;
            }
            insert(messageId, text, hour);
            inserted = true;
            if (form != null) {
                batches.rememberMessage(access.reportId(), form, messageId);
            }
        }

        private void insert(String id, String body, long hour) {
            addSourceMessage(reports, access, id, body, hour, List.of());
        }

        public void complete(String sent) throws IntakeException, IOException {
            admit();
            if (inserted) {
                String late = sent == null ? "" : sent.strip();
                if (!late.isEmpty() && !late.equals(text) && !resumed) {
                    // Text sent after the files (a client that orders its parts so): its own message.
                    checkText(late, Answers.LONG_FIELD_CHARS);
                    insert(Ids.newId(), late, Hours.now(clock));
                }
                return;
            }
            text(sent);
            if (text.isEmpty()) {
                throw new IntakeException(IntakeException.Reason.EMPTY_MESSAGE);
            }
            insertOnce(Hours.now(clock));
        }

        @Override
        public void close() {
            upload.close();
        }
    }

    /**
     * Files committed one by one under the form that sent them (a report page's batch, a follow-up's
     * nonce; null while the form has not named it): a resend after a cut finds the files already
     * kept under the same form by name and size, and stores only the missing ones.
     */
    private final class KeptOneByOne implements EvidenceUpload.Committer {
        private final String reportId;
        private final Supplier<String> form;
        private final FileRecorder recorder;

        KeptOneByOne(String reportId, Supplier<String> form, FileRecorder recorder) {
            this.reportId = reportId;
            this.form = form;
            this.recorder = recorder;
        }

        @Override
        public long hour() {
            return Hours.now(clock);
        }

        @Override
        public boolean alreadyKept(String name, long size) {
            String f = form.get();
            return f != null && batches.contains(reportId, f, name, size);
        }

        @Override
        public long largestKept(String name) {
            String f = form.get();
            return f == null ? -1 : batches.largest(reportId, f, name);
        }

        @Override
        public void commit(StoredFile row, String name) throws IntakeException {
            recorder.record(row);
            String f = form.get();
            if (f != null) {
                batches.add(reportId, f, name, row.sizeBytes());
            }
        }
    }

    /** Writes the row of one file kept on its own (of the report, or of a follow-up message). */
    @FunctionalInterface
    private interface FileRecorder {
        void record(StoredFile row) throws IntakeException;
    }

    /**
     * A source message (with files already sealed, or none), sealed under the report's current
     * generation; a revocation that lands between the seal and the insert is caught in the insert's
     * transaction, and the message is sealed again under the new generation.
     */
    static void addSourceMessage(Reports reports, SourceAccess access, String id, String body, long hour,
                                 List<StoredFile> files) {
        ReportAccess store = reports.access();
        for (int attempt = 0; ; attempt++) {
            ReportKeys keys = access.keysForWriting(store);
            StoredMessage m = new StoredMessage(id, access.reportId(), StoredMessage.Author.SOURCE, null,
                    keys.current().seal(body, ObjectRef.message(access.reportId(), id)), hour, false,
                    keys.currentGeneration());
            try {
                reports.addMessage(m, files, access.lagsBehind(store, keys));
                return;
            } catch (KeyGenerationMoved e) {
                if (attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    /** The source deletes a recipient's reply: gone from their view, its text erased from the server. */
    public void deleteReply(SourceAccess access, String messageId) throws IntakeException {
        if (!Ids.isValid(messageId) || !reports.deleteReplyForSource(access.reportId(), messageId)) {
            throw new IntakeException(IntakeException.Reason.NO_SUCH_REPLY);
        }
    }

    /** A file arriving chunk by chunk; each chunk is encrypted before the next is read. */
    public interface IncomingFile {
        void write(byte[] b, int off, int len) throws IntakeException;

        void finish() throws IOException, IntakeException;
    }

    /** A row the pinning key does not vouch for: written to the database by someone else, or never pinned. */
    private static void alarmUnpinned(RecipientAccount r) {
        LOG.error("ALARM: the public key of recipient {} does not verify under the pinning key; no report key is"
                + " wrapped to it. Check the recipient table for rows or keys nobody added ('postern user pin'"
                + " once a key is known to be genuine).", r.id());
    }

    private byte[] receiptSalt() {
        return secrets.getOrCreate(RECEIPT_SALT, 16);
    }

    private byte[] receiptTagKey() {
        return secrets.getOrCreate(RECEIPT_TAG_KEY, 32);
    }

    private static void checkAnswers(Answers answers) throws IntakeException {
        checkText(answers.what(), Answers.SHORT_FIELD_CHARS);
        checkText(answers.when(), Answers.SHORT_FIELD_CHARS);
        checkText(answers.where(), Answers.SHORT_FIELD_CHARS);
        checkText(answers.details(), Answers.LONG_FIELD_CHARS);
    }

    private static void checkText(String s, int maxChars) throws IntakeException {
        if (s.length() > maxChars) {
            throw new IntakeException(IntakeException.Reason.FIELD_TOO_LONG);
        }
    }
}
