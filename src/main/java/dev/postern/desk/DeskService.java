package dev.postern.desk;

import dev.postern.intake.ReportContents;
import dev.postern.store.BlobStore;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.store.KeyGenerationMoved;
import dev.postern.store.ReportAccess;
import dev.postern.store.Reports;
import dev.postern.store.StoredFile;
import dev.postern.store.StoredMessage;
import dev.postern.store.StoredReport;
import dev.postern.intake.Answers;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.Argon2Refused;
import dev.postern.vault.Argon2id;
import dev.postern.vault.Crypto;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.PublicKeyMismatchException;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.SourceKeyPair;
import dev.postern.vault.Totp;
import dev.postern.vault.VaultException;
import dev.postern.sanitize.SanitizeReport;
import dev.postern.sanitize.SanitizerBusyException;
import dev.postern.sanitize.SanitizerWorkers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipients' side: login with password and TOTP, the report list, reading a report, evidence
 * downloads, replies and statuses.
 *
 * <p>Rules it owns: the TOTP code is mandatory and single-use; a recipient sees only their own
 * organization's reports and reads only those whose key was wrapped to them; guessing is slowed by
 * a {@link LoginThrottle} that never locks anyone out, and a browser that logged in before is
 * exempt from its delays ({@link TrustedDevices}); a password change needs the current password
 * and a code and is throttled like a login.
 */
public final class DeskService {
    private static final Logger LOG = LoggerFactory.getLogger(DeskService.class);
    public static final int MIN_PASSWORD_CHARS = 12;
    private final Recipients recipients;
    private final OrgKeys orgKeys;
    private final Reports reports;
    private final BlobStore blobs;
    private final Clock clock;
    /** Spends the same Argon2id work for unknown usernames, so timing does not tell which exist. */
    private final RecipientCredentials decoy;
    private final LoginThrottle throttle;
    private final TrustedDevices devices;
    /** Worker processes that make sanitized copies in a RAM-backed directory; empty: no sanitized copies. */
    private final Optional<SanitizerWorkers> sanitizer;

    /** With device tokens that stay valid until the process ends (tools and tests). */
    public DeskService(Recipients recipients, Reports reports, BlobStore blobs, Clock clock, OrgKeys orgKeys,
                       Optional<SanitizerWorkers> sanitizer) {
        this(recipients, reports, blobs, clock, orgKeys, sanitizer, new ProgressiveLoginThrottle(clock),
                new TrustedDevices(Crypto.randomBytes(32), clock));
    }

    public DeskService(Recipients recipients, Reports reports, BlobStore blobs, Clock clock, OrgKeys orgKeys,
                       Optional<SanitizerWorkers> sanitizer, LoginThrottle throttle, TrustedDevices devices) {
        this.orgKeys = orgKeys;
        this.recipients = recipients;
        this.reports = reports;
        this.blobs = blobs;
        this.clock = clock;
        this.sanitizer = sanitizer;
        this.decoy = RecipientCredentials.create("decoy", Ids.newId(), Totp.newSecret(), Argon2Params.DEFAULT);
        this.throttle = throttle;
        this.devices = devices;
    }

    /** A login: the desk session, and a fresh device token for the browser to keep. */
    public record Login(DeskSession session, String deviceToken) {
    }

    /** Checks a login as work nobody abandons, from a browser without a device token (tools, tests). */
    public DeskSession login(String username, String password, String totpCode) throws DeskException {
        return login(username, password, totpCode, null, () -> true).session();
    }

    /**
     * Checks username, password and TOTP code, and unlocks the recipient's private key.
     *
     * @param deviceToken  the browser's device token, if any: one issued for this username skips
     *                     the login delays
     * @param stillWanted  false once the client has gone: queued Argon2id work is then dropped
     * @throws DeskException BAD_LOGIN for any wrong part; CODE_ALREADY_USED when the password is
     *                       right and the code was right but already used; TOO_MANY_ATTEMPTS (with
     *                       the wait) inside a login delay, before any Argon2id work; BUSY when the
     *                       desk's Argon2id lane is full
     */
    public Login login(String username, String password, String totpCode, String deviceToken,
                       BooleanSupplier stillWanted) throws DeskException {
        String name = username == null ? "" : username.strip();
        Optional<Duration> wait = throttle.tryAttempt(name, devices.vouchesFor(deviceToken, name));
        if (wait.isPresent()) {
            throw new DeskException(DeskException.Reason.TOO_MANY_ATTEMPTS, wait.get());
        }
        DeskSession session;
        try {
            session = checkLogin(name, password, totpCode, Argon2id.Caller.desk(stillWanted));
        } catch (Argon2Refused e) {
            throttle.notChecked(name);
            throw new DeskException(DeskException.Reason.BUSY);
        }
        throttle.succeeded(name);
        return new Login(session, devices.issue(name));
    }

    private DeskSession checkLogin(String username, String password, String totpCode, Argon2id.Caller caller)
            throws DeskException {
        Optional<RecipientAccount> account = recipients.byUsername(username);
        if (account.isEmpty() || password == null) {
            try {
                decoy.unlock("decoy", password == null ? "" : password, caller);
            } catch (VaultException expected) {
                // always fails; it is there for the time it takes
            }
            throw new DeskException(DeskException.Reason.BAD_LOGIN);
        }
        RecipientAccount a = account.get();
        RecipientCredentials.Unlocked unlocked;
        try {
            unlocked = a.credentials().unlock(a.id(), password, caller);
        } catch (VaultException e) {
            throw new DeskException(DeskException.Reason.BAD_LOGIN);
        } catch (PublicKeyMismatchException e) {
            LOG.error("ALARM: recipient {} logged in with the right password, but the public key stored for them"
                    + " is not their own: someone replaced it in the database. Login refused.", a.id());
            throw new DeskException(DeskException.Reason.KEY_NOT_PINNED);
        }
        if (!a.active()) {
            // Answered like a wrong password, after the same Argon2id work: no account oracle.
            Arrays.fill(unlocked.totpSecret(), (byte) 0);
            throw new DeskException(DeskException.Reason.BAD_LOGIN);
        }
        try {
            checkCode(a, unlocked.totpSecret(), totpCode);
        } finally {
            Arrays.fill(unlocked.totpSecret(), (byte) 0);
        }
        if (!a.keyPinned()) {
            LOG.error("ALARM: recipient {} logged in with the right password and code, but their public key does not"
                    + " verify under the pinning key (a row nobody added, or one never pinned). Login refused;"
                    + " 'postern user pin' once the key is known to be genuine.", a.id());
            throw new DeskException(DeskException.Reason.KEY_NOT_PINNED);
        }
        return new DeskSession(a.id(), a.organizationId(), a.username(), unlocked.privateKey(), a.role(),
                orgKeys.openAtLogin(a, unlocked.privateKey()));
    }

    /** The code must be right now and not used before; using it uses it up. */
    private void checkCode(RecipientAccount a, byte[] totpSecret, String totpCode) throws DeskException {
        OptionalLong anyStep = Totp.verify(totpSecret, totpCode, clock.instant(), Long.MIN_VALUE);
        if (anyStep.isEmpty()) {
            throw new DeskException(DeskException.Reason.BAD_LOGIN);
        }
        OptionalLong fresh = Totp.verify(totpSecret, totpCode, clock.instant(), a.totpLastStep());
        if (fresh.isEmpty() || !recipients.consumeTotpStep(a.id(), fresh.getAsLong())) {
            throw new DeskException(DeskException.Reason.CODE_ALREADY_USED);
        }
    }

    /**
     * The organization's reports, newest first, unpaged and without case details (tools and tests;
     * the desk's list is {@link TriageService#list}, over a per-session {@link CaseIndex}).
     */
    public List<ReportListItem> reports(DeskSession session) {
        CaseIndex index = new CaseIndex(session.recipientId());
        index.applyRows(reports.indexRows(session.organizationId(), session.recipientId(), -1), session.privateKey(), 0);
        return index.all().stream().map(e -> ReportListItem.of(e, null, false, Map.of(), Map.of())).toList();
    }

    /** Decrypts a report for reading and marks it read for this recipient. */
    public ReportContents open(DeskSession session, String reportId) throws DeskException {
        StoredReport report = reportOf(session, reportId);
        ReportContents contents;
        try {
            ReportKeys keys = keysOf(session, report);
            contents = ReportContents.read(reports, report, keys);
            catchUpSource(report, keys);
        } catch (VaultException e) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
        reports.markRead(reportId, session.recipientId());
        return contents;
    }

    /**
     * A report made before V5 whose source had no key pair when a revocation came (decision 0005,
     * 2.2): once the source has opened it (the pair exists), the first holder who opens it wraps
     * every generation the source lacks to the source's pinned public key.
     */
    private void catchUpSource(StoredReport report, ReportKeys keys) {
        ReportAccess store = reports.access();
        ReportAccess.SourceKey source = store.sourceKey(report.id());
        if (!source.pending() || !source.exists()) {
            return;
        }
        if (!recipients.pinVerifies(SourceKeyPair.pinId(report.id()), report.organizationId(),
                source.publicKeyset(), source.pin())) {
            LOG.error("ALARM: the source public key of report {} does not verify under the pinning key;"
                    + " no new key generation is wrapped to it.", report.id());
            return;
        }
        RecipientPublicKey sourceKey = SourceKeyPair.publicKey(report.id(), source.publicKeyset());
        Map<Integer, byte[]> held = store.sourceWraps(report.id());
        Map<Integer, byte[]> missing = new TreeMap<>();
        for (int g : keys.generations()) {
            if (g >= 1 && !held.containsKey(g)) {
                missing.put(g, keys.require(g).wrapToSource(sourceKey, report.id(), g));
            }
        }
        store.addSourceWraps(report.id(), missing);
    }

    /**
     * Who holds the report's key (a holder whose public key no longer verifies under the pinning
     * key, or who lacks the newest generation, is marked), and whom it may be granted to.
     */
    public KeyHolders keyHolders(DeskSession session, String reportId) throws DeskException {
        StoredReport report = reportOf(session, reportId);
        ReportAccess store = reports.access();
        int current = store.currentGeneration(report.id());
        Map<String, ReportAccess.Holder> held = new HashMap<>();
        store.holders(report.id()).forEach(h -> held.put(h.recipientId(), h));
        Set<String> excluded = store.excluded(report.id());
        List<KeyHolder> holders = new ArrayList<>();
        List<KeyHolders.Colleague> grantable = new ArrayList<>();
        for (RecipientAccount r : recipients.inOrganization(session.organizationId())) {
            ReportAccess.Holder h = held.get(r.id());
            if (h != null) {
                holders.add(new KeyHolder(r.id(), r.username(), r.shownName(), r.keyPinned(),
                        h.generations().contains(current), h.generations().size()));
            } else if (r.active() && r.keyPinned() && !excluded.contains(r.id())) {
                grantable.add(new KeyHolders.Colleague(r.id(), r.shownName()));
            }
        }
        return new KeyHolders(List.copyOf(holders), List.copyOf(grantable), store.sourceKey(report.id()).pending(),
                current);
    }

    /** Opens an evidence file for a decrypted, seekable download. */
    public OpenedEvidence evidence(DeskSession session, String reportId, String fileId) throws DeskException {
        StoredReport report = reportOf(session, reportId);
        if (!Ids.isValid(fileId)) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        StoredFile file = reports.file(reportId, fileId)
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND));
        ReportKey key;
        String name;
        try {
            key = keysOf(session, report).require(file.keyGeneration());
            name = key.openString(file.name(), ObjectRef.fileName(reportId, fileId));
        } catch (VaultException e) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
        Path path = blobs.path(reportId, fileId);
        if (!Files.isRegularFile(path)) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        ObjectRef ref = ObjectRef.fileContent(reportId, fileId);
        OpenedEvidence.Opener opener = () -> key.decryptingChannel(FileChannel.open(path, StandardOpenOption.READ), ref);
        // A blob whose plaintext is not the size the row records is not this file (a truncated or
        // swapped object, say a piece of an upload): refused rather than served as if complete.
        try (SeekableByteChannel channel = opener.open()) {
            // Tink knows the size only after a first read; reading the last byte also checks
            // that the object ends where its writer ended it.
            channel.read(ByteBuffer.allocate(1));
            long size = channel.size();
            if (size > 0) {
                channel.position(size - 1);
                channel.read(ByteBuffer.allocate(1));
            }
            if (size != file.sizeBytes()) {
                LOG.error("ALARM: evidence file {} of report {} does not hold the size its row records", fileId, reportId);
                throw new DeskException(DeskException.Reason.NOT_FOUND);
            }
        } catch (IOException e) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        return new OpenedEvidence(name, file.sizeBytes(), opener);
    }

    /**
     * Writes a sanitized copy of an evidence file (metadata removed, pixels and audio re-encoded)
     * and returns the sanitizer's report. The original is kept as it is. The copy is made by a
     * worker process ({@link SanitizerWorkers}): decrypted bytes reach it through a pipe and come
     * back through its private RAM-backed directory; this JVM runs none of the sanitizer's decoders
     * or native code. {@code outputFor} is called with the evidence's file name when the copy is
     * ready, and never when the file cannot be cleaned (or not in time), so the caller can still
     * answer with the reason.
     *
     * @throws DeskException SANITIZER_UNAVAILABLE when this server has no RAM-backed workspace;
     *                       SANITIZER_BUSY when every worker is busy (try again later)
     */
    public SanitizeReport sanitizedCopy(DeskSession session, String reportId, String fileId,
                                        Function<String, OutputStream> outputFor) throws DeskException, IOException {
        OpenedEvidence evidence = evidence(session, reportId, fileId);
        SanitizerWorkers workers = sanitizer.orElseThrow(() -> new DeskException(DeskException.Reason.SANITIZER_UNAVAILABLE));
        try (InputStream in = Channels.newInputStream(evidence.opener().open());
             OutputStream out = new OpenOnFirstWrite(() -> outputFor.apply(evidence.name()))) {
            return workers.sanitize(in, evidence.name(), out);
        } catch (SanitizerBusyException e) {
            throw new DeskException(DeskException.Reason.SANITIZER_BUSY);
        }
    }

    /** Sends a reply to the source; returns the message's id. */
    public String reply(DeskSession session, String reportId, String text) throws DeskException {
        StoredReport report = reportOf(session, reportId);
        String body = text == null ? "" : text.strip();
        if (body.isEmpty()) {
            throw new DeskException(DeskException.Reason.EMPTY_REPLY);
        }
        if (body.length() > Answers.LONG_FIELD_CHARS) {
            throw new DeskException(DeskException.Reason.REPLY_TOO_LONG);
        }
        String messageId = Ids.newId();
        for (int attempt = 0; ; attempt++) {
            ReportKeys keys = keysForWriting(session, report);
            try {
                reports.addMessage(new StoredMessage(messageId, reportId, StoredMessage.Author.RECIPIENT,
                        session.recipientId(), keys.current().seal(body, ObjectRef.message(reportId, messageId)),
                        Hours.now(clock), false, keys.currentGeneration()), List.of());
                return messageId;
            } catch (KeyGenerationMoved e) {
                // A revocation committed between our read and our insert: seal again under its generation.
                if (attempt >= 2) {
                    throw new DeskException(DeskException.Reason.NO_ACCESS);
                }
            }
        }
    }

    /**
     * The keys to write under: every generation this recipient holds, which must include the
     * report's current one (a holder whose key was not pinned at a revocation lacks it, and may
     * then not write: a message must not land under a generation the revoked recipient holds).
     */
    ReportKeys keysForWriting(DeskSession session, StoredReport report) throws DeskException {
        ReportKeys keys = keysOf(session, report);
        if (keys.currentGeneration() != reports.access().currentGeneration(report.id())) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
        return keys;
    }

    /**
     * Re-wraps the recipient's private key and TOTP secret under a new password, keeping the
     * recipient's Argon2id cost. Needs the current password and a fresh code, and is throttled like
     * a login (a stolen session must not become a password oracle). The caller ends the
     * recipient's other sessions.
     *
     * @throws DeskException WEAK_PASSWORD, BAD_LOGIN (wrong password or code), CODE_ALREADY_USED,
     *                       TOO_MANY_ATTEMPTS (with the wait), BUSY
     */
    public void changePassword(DeskSession session, String oldPassword, String newPassword, String totpCode,
                               BooleanSupplier stillWanted) throws DeskException {
        if (newPassword == null || newPassword.length() < MIN_PASSWORD_CHARS) {
            throw new DeskException(DeskException.Reason.WEAK_PASSWORD);
        }
        Optional<Duration> wait = throttle.tryAttempt(session.username(), false);
        if (wait.isPresent()) {
            throw new DeskException(DeskException.Reason.TOO_MANY_ATTEMPTS, wait.get());
        }
        RecipientAccount a = recipients.byId(session.recipientId())
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND));
        RecipientCredentials changed;
        try {
            changed = a.credentials().rewrap(a.id(), oldPassword == null ? "" : oldPassword, newPassword,
                    totpSecret -> checkCode(a, totpSecret, totpCode), Argon2id.Caller.desk(stillWanted));
        } catch (VaultException e) {
            throw new DeskException(DeskException.Reason.BAD_LOGIN);
        } catch (Argon2Refused e) {
            throttle.notChecked(session.username());
            throw new DeskException(DeskException.Reason.BUSY);
        }
        recipients.updateCredentials(a.id(), changed);
        throttle.succeeded(session.username());
    }

    /** The session's organization's report, if it has content; NOT_FOUND otherwise (CaseService shares the check). */
    StoredReport reportOf(DeskSession session, String reportId) throws DeskException {
        if (!Ids.isValid(reportId)) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        StoredReport report = reports.byId(reportId)
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND));
        // A report with neither text nor files yet is the source's alone (receipt first, issue 7).
        if (!report.organizationId().equals(session.organizationId()) || !reports.hasContent(report.id())) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        return report;
    }

    /**
     * Every generation of the report's key this recipient holds, unwrapped (read each row with its
     * generation's key; write under {@link ReportKeys#current()} after checking it is the report's
     * current generation, see {@link #keysForWriting}).
     *
     * @throws DeskException NOT_FOUND for another organization's report or one without content yet;
     *                       NO_ACCESS when no wrap is held or one does not open
     */
    public ReportKeys keysOf(DeskSession session, String reportId) throws DeskException {
        return keysOf(session, reportOf(session, reportId));
    }

    /** {@link #keysOf(DeskSession, String)} for a report already checked (CaseService shares it). */
    ReportKeys keysOf(DeskSession session, StoredReport report) throws DeskException {
        Map<Integer, byte[]> wraps = reports.access().wrapsOf(report.id(), session.recipientId());
        if (wraps.isEmpty()) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
        Map<Integer, ReportKey> keys = new TreeMap<>();
        try {
            for (Map.Entry<Integer, byte[]> w : wraps.entrySet()) {
                keys.put(w.getKey(), ReportKey.unwrap(session.privateKey(), w.getValue(), report.id(), w.getKey()));
            }
        } catch (VaultException e) {
            throw new DeskException(DeskException.Reason.NO_ACCESS);
        }
        return ReportKeys.of(keys);
    }
}
