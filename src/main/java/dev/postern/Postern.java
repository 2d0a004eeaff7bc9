package dev.postern;

import dev.postern.admin.AdminService;
import dev.postern.config.PosternConfig;
import dev.postern.desk.DeskService;
import dev.postern.desk.DeskSession;
import dev.postern.desk.RamWorkspace;
import dev.postern.sanitize.Sanitizer;
import java.nio.file.Path;
import java.util.Optional;
import dev.postern.intake.IntakeService;
import dev.postern.intake.ReceiptGate;
import dev.postern.intake.SourceAccess;
import dev.postern.store.BlobStore;
import dev.postern.store.Database;
import dev.postern.store.InstanceSecrets;
import dev.postern.store.Organizations;
import dev.postern.store.Recipients;
import dev.postern.store.Reports;
import dev.postern.web.Cookies;
import dev.postern.web.DeskPages;
import dev.postern.web.FormTokens;
import dev.postern.web.Pages;
import dev.postern.web.Sessions;
import dev.postern.web.SourcePages;
import dev.postern.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
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

    private final PosternConfig config;
    private final Clock clock;
    private final Database database;
    private final BlobStore blobs;
    private final Organizations organizations;
    private final Recipients recipients;
    private final Reports reports;
    private final InstanceSecrets secrets;
    private final AdminService admin;
    private WebServer web;

    private Postern(PosternConfig config, Clock clock) {
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
        this.blobs = new BlobStore(config.dataDir());
        this.organizations = new Organizations(database.jdbi(), clock);
        this.recipients = new Recipients(database.jdbi(), clock);
        this.reports = new Reports(database.jdbi());
        this.secrets = new InstanceSecrets(database.jdbi());
        this.admin = new AdminService(organizations, recipients);
    }

    /** Storage and services without the web server (for CLI commands). */
    public static Postern open(PosternConfig config, Clock clock) {
        return new Postern(config, clock);
    }

    /** Opens storage, removes what an interrupted upload left, and serves HTTP. */
    public Postern serve() {
        int removed = blobs.sweep(reports.allFileKeys());
        if (removed > 0) {
            LOG.info("removed {} unfinished or orphaned encrypted upload file(s)", removed);
        }
        IntakeService intake = new IntakeService(recipients, reports, blobs, secrets, clock, config.limits(),
                new ReceiptGate(clock, config.budgets().receiptAttemptsPerMinute()));
        Optional<Path> ram = RamWorkspace.find();
        if (ram.isEmpty()) {
            LOG.warn("no RAM-backed /dev/shm: the desk will not offer sanitized copies");
        }
        DeskService desk = new DeskService(recipients, reports, blobs, clock, Sanitizer.withDefaultCleaners(), ram);
        FormTokens tokens = new FormTokens(secrets.getOrCreate("form-token-key", 32), clock);
        Pages pages = new Pages();
        Cookies cookies = new Cookies(config.secureCookies());
        Sessions<SourceAccess> sourceSessions = new Sessions<>(clock, SESSION_IDLE);
        Sessions<DeskSession> deskSessions = new Sessions<>(clock, SESSION_IDLE);
        this.web = new WebServer(
                new SourcePages(intake, organizations, sourceSessions, tokens, pages, cookies),
                new DeskPages(desk, deskSessions, tokens, pages, cookies),
                pages, config.http()).start(config.host(), config.port(), config.deskHost(), config.deskPort());
        Thread.ofPlatform().daemon().name("session-sweeper").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(Duration.ofMinutes(1));
                } catch (InterruptedException e) {
                    return;
                }
                sourceSessions.sweep();
                deskSessions.sweep();
            }
        });
        return this;
    }

    public AdminService admin() {
        return admin;
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
        if (web != null) {
            web.close();
        }
        database.close();
    }
}
