package dev.postern;

import com.google.crypto.tink.KeysetHandle;
import dev.postern.admin.AdminService;
import dev.postern.audit.AuditTrail;
import dev.postern.config.ConfigException;
import dev.postern.config.PosternConfig;
import dev.postern.desk.CaseLogKeys;
import dev.postern.desk.DeskService;
import dev.postern.desk.AccessJobs;
import dev.postern.domain.CaseLog;
import dev.postern.desk.AccessService;
import dev.postern.desk.EncryptedCaseLog;
import dev.postern.desk.CaseService;
import dev.postern.desk.OrgKeys;
import dev.postern.desk.DeskSession;
import dev.postern.desk.TriageService;
import dev.postern.desk.ProgressiveLoginThrottle;
import dev.postern.desk.TrustedDevices;
import dev.postern.desk.RamWorkspace;
import dev.postern.handoff.HandOffCopies;
import dev.postern.sanitize.SanitizerWorkers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.postern.intake.DiskFloor;
import dev.postern.intake.EmptyReportSweeper;
import dev.postern.intake.HourlyReportBudget;
import dev.postern.intake.IntakeService;
import dev.postern.intake.ResumableUploads;
import dev.postern.intake.PeriodicSweep;
import dev.postern.intake.UploadSweeper;
import dev.postern.intake.ReceiptGate;
import dev.postern.intake.SourceAccess;
import dev.postern.intake.SourceCaseView;
import dev.postern.store.BlobStore;
import dev.postern.store.CaseLogStore;
import dev.postern.store.Database;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.Organizations;
import dev.postern.store.PieceStore;
import dev.postern.store.Recipients;
import dev.postern.store.CaseNotes;
import dev.postern.store.CaseStore;
import dev.postern.store.OrgVocabulary;
import dev.postern.store.Labels;
import dev.postern.store.Reports;
import dev.postern.store.Uploads;
import dev.postern.vault.CleartextPinningKeyFile;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.VaultException;
import dev.postern.web.AccessPages;
import dev.postern.web.CaseLogPages;
import dev.postern.web.Cookies;
import dev.postern.web.CasePages;
import dev.postern.web.ColleaguePages;
import dev.postern.web.SettingsPages;
import dev.postern.web.ListPages;
import dev.postern.web.DeskPages;
import dev.postern.web.FormTokens;
import dev.postern.web.MemorySessions;
import dev.postern.web.Pages;
import dev.postern.web.Sessions;
import dev.postern.web.SourcePages;
import dev.postern.web.Texts;
import dev.postern.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap: opens storage and wires every service with constructors, in one place. The CLI
 * and the web server use the same services built here.
 */
public final class Postern implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Postern.class);
    /** Idle time after which a session, and the decrypted keys it holds, is dropped. */
    public static final Duration SESSION_IDLE = Duration.ofMinutes(30);
    /**
     * A desk session ends after a working day however active it is, so a browser left logged in
     * (with the recipient's decrypted private key on the server) does not stay open for good.
     */
    public static final Duration DESK_SESSION_LIFETIME = Duration.ofHours(12);
    /**
     * A source's conversation ends after 4 hours: long enough to read and answer at Tor speed,
     * short enough that a seized, still-open browser does not keep the conversation open.
     */
    public static final Duration SOURCE_SESSION_LIFETIME = Duration.ofHours(4);

    private final PosternConfig config;
    private final Clock clock;
    private final Database database;
    private final BlobStore blobs;
    private final Organizations organizations;
    private final Recipients recipients;
    private final Reports reports;
    private final InstanceSecrets secrets;
    private final AdminService admin;
    private final OrgKeys orgKeys;
    private final RecipientKeyPins pins;
    private final CaseLogKeys caseLogKeys;
    private final EncryptedCaseLog caseLog;
    /** Every desk and CLI action appends to it (issue 9, item 6). */
    private final AuditTrail audit;
    private AccessService access;
    private TriageService triage;
    private WebServer web;
    private ResumableUploads resumable;
    private UploadSweeper uploadSweeper;
    private EmptyReportSweeper emptyReports;
    private PeriodicSweep emptyReportSweep;
    private PeriodicSweep sessionSweep;
    /** Where free space is read for the disk floor; null: the data directory's file store. */
    private LongSupplier freeSpace;

    private Postern(PosternConfig config, Clock clock, boolean createMissingPinningKey) {
        this.config = config;
        this.clock = clock;
        try {
            Files.createDirectories(config.dataDir());
            // Everything inside is ciphertext, but sizes and times are still nobody else's business.
            if (config.dataDir().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        this.database = Database.open(config);
        try {
            this.pins = new RecipientKeyPins(pinningKey(config, database, createMissingPinningKey));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        this.blobs = new BlobStore(config.dataDir());
        this.organizations = new Organizations(database.jdbi(), clock);
        this.recipients = new Recipients(database.jdbi(), clock, pins);
        this.reports = new Reports(database.jdbi(), database::makeDurable);
        this.secrets = new InstanceSecrets(database.jdbi());
        CaseLogStore caseLogStore = new CaseLogStore(database.jdbi());
        this.caseLogKeys = new CaseLogKeys(caseLogStore, new OrgKeyWraps(database.jdbi()), recipients, pins);
        // The case log: every service that changes access appends to it (they take domain.CaseLog).
        this.caseLog = new EncryptedCaseLog(caseLogStore, caseLogKeys, recipients, clock);
        this.audit = AuditTrail.NONE;
        this.orgKeys = new OrgKeys(new OrgKeyWraps(database.jdbi()), recipients, caseLogKeys);
        this.admin = new AdminService(organizations, recipients, caseLogKeys, orgKeys, caseLog, clock);
    }

    /**
     * Storage and services without the web server (for CLI commands). Creates the pinning key when
     * its file is missing and no recipient exists yet; refuses to open when it is missing and
     * recipients exist.
     */
    public static Postern open(PosternConfig config, Clock clock) {
        return new Postern(config, clock, false);
    }

    /** As {@link #open}, but creates a missing pinning key even when recipients exist (for re-pinning). */
    public static Postern openCreatingPinningKey(PosternConfig config, Clock clock) {
        return new Postern(config, clock, true);
    }

    /**
     * The key that authenticates recipient public keys, from its file beside the config. A missing
     * file while recipients exist means it was lost or not restored: making a new one silently
     * would leave every recipient unable to log in or receive reports, so the operator decides.
     */
    private static KeysetHandle pinningKey(PosternConfig config, Database database, boolean createMissing) {
        Path file = config.pinningKeyFile();
        if (CleartextPinningKeyFile.exists(file)) {
            try {
                return CleartextPinningKeyFile.read(file);
            } catch (VaultException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        if (!createMissing && Recipients.anyExist(database.jdbi())) {
            throw new ConfigException("the pinning key file " + file + " is missing, but recipients exist. Restore it"
                    + " from your backup (pinning.key-file in the config names it). If it is lost for good,"
                    + " 'postern user pin --config FILE --username NAME' creates a new one and pins that recipient;"
                    + " check and pin every other recipient the same way (README, 'Recipient keys are pinned').");
        }
        LOG.info("created the pinning key {} (back it up apart from the database)", file);
        return CleartextPinningKeyFile.create(file);
    }

    /** Reads free space for the disk floor from {@code freeBytes} instead of the disk (tests). */
    public Postern freeSpaceFrom(LongSupplier freeBytes) {
        this.freeSpace = freeBytes;
        return this;
    }

    /** Opens storage, removes what an interrupted upload left, and serves HTTP. */
    public Postern serve() {
        Uploads uploadRows = new Uploads(database.jdbi(), database::makeDurable);
        PieceStore pieces = new PieceStore(config.dataDir());
        // Blobs a finishing upload already moved into place are kept for its finishing to pick up.
        List<String[]> keptBlobs = new ArrayList<>(reports.allFileKeys());
        keptBlobs.addAll(uploadRows.finishingFileKeys());
        int removedPieces = pieces.sweep(uploadRows.allPieceKeys());
        if (removedPieces > 0) {
            LOG.info("removed {} unrecorded piece(s) of resumable uploads", removedPieces);
        }
        int removed = blobs.sweep(keptBlobs);
        if (removed > 0) {
            LOG.info("removed {} unfinished or orphaned encrypted upload file(s)", removed);
        }
        DiskFloor floor = freeSpace == null ? DiskFloor.of(config.dataDir(), config.limits().diskFloorBytes())
                : new DiskFloor(freeSpace, config.limits().diskFloorBytes());
        IntakeService intake = new IntakeService(recipients, reports, blobs, secrets, clock, config.limits(),
                new ReceiptGate(clock, config.budgets().receiptAttemptsPerMinute()),
                new HourlyReportBudget(clock, config.budgets().reportsPerHour()), floor,
                // A colleague the source left out is logged, so administrators know why they cannot read it.
                (orgId, reportId, left) -> caseLog.append(orgId, new CaseLog.Entry(CaseLog.Action.EXCLUDED_BY_SOURCE,
                        "source", left, reportId, 0)));
        this.resumable = new ResumableUploads(reports, uploadRows, pieces, blobs, config.limits(), config.resume(),
                floor, clock);
        this.uploadSweeper = new UploadSweeper(resumable).start();
        Optional<Path> ram = RamWorkspace.find();
        if (ram.isEmpty()) {
            LOG.warn("no RAM-backed /dev/shm: the desk will not offer sanitized copies");
        }
        // Sanitized copies are made by worker processes: no decoder or native code in this JVM.
        Optional<SanitizerWorkers> sanitizer = ram.map(dir -> new SanitizerWorkers(dir, config.sanitizer().workers(),
                config.sanitizer().memoryMib(), Duration.ofSeconds(config.sanitizer().timeoutSeconds())));
        DeskService desk = new DeskService(recipients, reports, blobs, clock, orgKeys, sanitizer,
                new ProgressiveLoginThrottle(clock), new TrustedDevices(secrets.getOrCreate("desk-device-key", 32), clock));
        // Case handling: statuses, acknowledgement, notes (sealed per report) and the org's vocabulary.
        CaseStore caseStore = new CaseStore(database.jdbi());
        CaseService cases = new CaseService(desk, reports, recipients, caseStore, new CaseNotes(database.jdbi()),
                new OrgVocabulary(database.jdbi()), (key, lang) -> Texts.of(lang).t(key), clock);
        FormTokens tokens = new FormTokens(secrets.getOrCreate("form-token-key", 32), clock);
        Pages pages = new Pages();
        Cookies cookies = new Cookies(config.secureCookies());
        Sessions<SourceAccess> sourceSessions = new MemorySessions<>(clock, SESSION_IDLE, SOURCE_SESSION_LIFETIME,
                SourceAccess::reportId);
        Sessions<DeskSession> deskSessions = new MemorySessions<>(clock, SESSION_IDLE, DESK_SESSION_LIFETIME,
                DeskSession::recipientId);
        // Access per report (grants, revocations, jobs): the colleagues' pages use it to revoke a disabled account.
        this.access = new AccessService(reports, recipients, desk, caseLog, new AccessJobs());
        // Triage: the per-session case index behind the list, labels and assignment (which grants).
        this.triage = new TriageService(reports, recipients, new Labels(database.jdbi()), caseStore, access,
                clock);
        // What leaves the organization (forward, export): texts redacted, files sanitized by default.
        HandOffCopies handOffCopies = new HandOffCopies(desk);
        ColleaguePages colleaguePages = new ColleaguePages(admin, access, deskSessions, tokens, pages);
        DeskPages deskPages = new DeskPages(desk, cases, triage, deskSessions, tokens, pages, cookies, admin,
                colleaguePages);
        this.web = new WebServer(
                new SourcePages(intake, organizations, sourceSessions, tokens, pages, cookies, clock,
                        // Half of the request slots may receive files; the rest stay for pages.
                        config.http().maxConcurrentRequests() / 2,
                        resumable, new SourceCaseView(caseStore)),
                deskPages,
                new CasePages(cases, pages),
                new ListPages(triage, pages),
                new CaseLogPages(caseLog, deskPages, pages),
                new AccessPages(access, desk, deskPages, pages),
                colleaguePages,
                new SettingsPages(admin, pages),
                pages, config.http(), resumable).start(config.host(), config.port(), config.deskHost(), config.deskPort());
        this.emptyReports = new EmptyReportSweeper(reports, clock, config.resume().emptyReportHours());
        this.emptyReportSweep = emptyReports.start();
        this.sessionSweep = PeriodicSweep.start("session-sweeper", Duration.ofMinutes(1), () -> {
            sourceSessions.sweep();
            deskSessions.sweep();
        });
        return this;
    }

    /**
     * Purges freed database pages (deleted replies, old row versions); closes the database when it
     * is the embedded one, so call it last. See {@link Database#compact()}.
     */
    public String compactDatabase() {
        return database.compact();
    }

    /** The resumable uploads of the running server (null before {@link #serve}). */
    public ResumableUploads resumableUploads() {
        return resumable;
    }

    /** Deletes reports that never got text or a file (tests call it after moving the clock). */
    public EmptyReportSweeper emptyReports() {
        return emptyReports;
    }

    public AdminService admin() {
        return admin;
    }

    /** The encrypted case log every access change is appended to. */
    /** Access per report (set by {@link #serve}): grants, revocations, {@link AccessService#revokeAllOf}. */
    public AccessService access() {
        return access;
    }

    /** The desk's list and search (set by {@link #serve}). */
    public TriageService triage() {
        return triage;
    }

    /** The audit log every desk and CLI action appends to. */
    public AuditTrail audit() {
        return audit;
    }

    public EncryptedCaseLog caseLog() {
        return caseLog;
    }

    public PosternConfig config() {
        return config;
    }

    /** The port served on (the real one when the config asked for port 0). */
    public int port() {
        return web.port();
    }

    /** The desk's port (the real one when the config asked for port 0). */
    public int deskPort() {
        return web.deskPort();
    }

    /** The source site's address. */
    public String baseUrl() {
        return url(config.host(), port());
    }

    /** The desk's address. */
    public String deskUrl() {
        return url(config.deskHost(), deskPort());
    }

    private static String url(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public void close() {
        if (uploadSweeper != null) {
            uploadSweeper.close();
        }
        if (emptyReportSweep != null) {
            emptyReportSweep.close();
        }
        if (sessionSweep != null) {
            sessionSweep.close();
        }
        if (web != null) {
            web.close();
        }
        database.close();
    }
}
