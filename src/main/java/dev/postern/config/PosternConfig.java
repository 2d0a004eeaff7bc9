package dev.postern.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Validated, immutable configuration of one Postern instance. Read from a properties file
 * ({@code postern serve --config FILE}); every value has a safe default except the data directory.
 * Every number is checked against its range after parsing; an error names the setting.
 *
 * @param dataDir          where encrypted blobs and the embedded database live
 * @param databaseUrl      JDBC URL; empty means the embedded H2 database under {@code dataDir}
 * @param databaseUser     database user (PostgreSQL), may be empty
 * @param databasePassword database password, never printed
 * @param host             address the source site listens on
 * @param port             TCP port of the source site (0: any free port)
 * @param deskHost         address the desk listens on (a separate listener: the sources' onion
 *                         service never exposes the staff login)
 * @param deskPort         TCP port of the desk (0: any free port)
 * @param secureCookies    mark cookies Secure: set when TLS terminates in front of Postern
 * @param http             connection limits that keep one client from exhausting the server
 * @param limits           upload limits and the disk floor
 * @param budgets          instance-wide budgets (there are no addresses to limit by)
 * @param sanitizer        limits of the sanitizer worker processes
 * @param resume           how long unfinished uploads and empty reports wait, and how many
 *                         uploads one report may hold open
 * @param pinningKeyFile   the key that authenticates recipient public keys; it lives on the
 *                         application host beside the config, never in the database
 */
public record PosternConfig(
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        Secret databasePassword,
        String host,
        int port,
        String deskHost,
        int deskPort,
        boolean secureCookies,
        HttpLimits http,
        UploadLimits limits,
        Budgets budgets,
        SanitizerLimits sanitizer,
        ResumeLimits resume,
        Path pinningKeyFile) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_DESK_PORT = 8081;
    /** The pinning key's file name, beside the config file (or in the data directory of a demo). */
    public static final String PINNING_KEY_FILE = "postern-pinning.key";

    private static final List<String> KNOWN = List.of("data.dir", "database.url", "database.user",
            "database.password", "http.host", "http.port", "desk.host", "desk.port", "http.secure-cookies",
            "http.max-connections", "http.idle-timeout-seconds", "http.min-bytes-per-second",
            "http.max-concurrent-requests", "limits.file-bytes", "limits.report-bytes",
            "limits.files-per-submission", "limits.disk-floor-bytes", "receipt.attempts-per-minute",
            "limits.reports-per-hour", "sanitizer.workers", "sanitizer.memory-mib", "sanitizer.timeout-seconds",
            "uploads.expire-hours", "uploads.empty-report-hours", "uploads.checkpoint-seconds",
            "uploads.open-per-report", "uploads.finishers", "pinning.key-file");

    public PosternConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(databaseUser, "databaseUser");
        Objects.requireNonNull(databasePassword, "databasePassword");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(deskHost, "deskHost");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(sanitizer, "sanitizer");
        Objects.requireNonNull(resume, "resume");
        Objects.requireNonNull(pinningKeyFile, "pinningKeyFile");
        dataDir = dataDir.toAbsolutePath().normalize();
        pinningKeyFile = pinningKeyFile.toAbsolutePath().normalize();
        Range.check("http.port", port, 0, 65535);
        Range.check("desk.port", deskPort, 0, 65535);
        if (port != 0 && port == deskPort && host.equals(deskHost)) {
            throw new ConfigException("http.port and desk.port must differ: the source site and the desk"
                    + " listen separately");
        }
        if (!databaseUrl.isEmpty() && !databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:h2:")) {
            throw new ConfigException("database.url must be a jdbc:postgresql: or jdbc:h2: URL");
        }
    }

    /** Embedded defaults: H2 under {@code dataDir}, loopback, default limits; the desk on the next port. */
    public static PosternConfig embedded(Path dataDir, int port) {
        int desk = port == 0 ? 0 : port + 1;
        Range.check("http.port", port, 0, 65534);
        return new PosternConfig(dataDir, "", "", new Secret(""), "127.0.0.1", port, "127.0.0.1", desk, false,
                HttpLimits.DEFAULTS, UploadLimits.DEFAULTS, Budgets.DEFAULTS, SanitizerLimits.DEFAULTS,
                ResumeLimits.DEFAULTS, dataDir.resolve(PINNING_KEY_FILE));
    }

    public PosternConfig withDatabase(String url, String user, Secret password) {
        return new PosternConfig(dataDir, url, user, password, host, port, deskHost, deskPort, secureCookies,
                http, limits, budgets, sanitizer, resume, pinningKeyFile);
    }

    public PosternConfig withPorts(int sourcePort, int newDeskPort) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, sourcePort, deskHost,
                newDeskPort, secureCookies, http, limits, budgets, sanitizer, resume, pinningKeyFile);
    }

    public PosternConfig withHttp(HttpLimits newHttp) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port, deskHost,
                deskPort, secureCookies, newHttp, limits, budgets, sanitizer, resume, pinningKeyFile);
    }

    public PosternConfig withLimits(UploadLimits newLimits) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port, deskHost,
                deskPort, secureCookies, http, newLimits, budgets, sanitizer, resume, pinningKeyFile);
    }

    public PosternConfig withBudgets(Budgets newBudgets) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port, deskHost,
                deskPort, secureCookies, http, limits, newBudgets, sanitizer, resume, pinningKeyFile);
    }

    public PosternConfig withSanitizer(SanitizerLimits newSanitizer) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port, deskHost,
                deskPort, secureCookies, http, limits, budgets, newSanitizer, resume, pinningKeyFile);
    }

    public PosternConfig withResume(ResumeLimits newResume) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port, deskHost,
                deskPort, secureCookies, http, limits, budgets, sanitizer, newResume, pinningKeyFile);
    }

    public PosternConfig withPinningKeyFile(Path file) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port, deskHost,
                deskPort, secureCookies, http, limits, budgets, sanitizer, resume, file);
    }

    /** Reads a properties file; relative paths are resolved against the file's folder. */
    public static PosternConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        List<String> unknown = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            if (!KNOWN.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting(s) in " + file + ": " + String.join(", ", unknown));
        }
        String dir = p.getProperty("data.dir");
        if (dir == null || dir.isBlank()) {
            throw new ConfigException("data.dir is required in " + file);
        }
        Path base = file.toAbsolutePath().getParent();
        HttpLimits d = HttpLimits.DEFAULTS;
        HttpLimits http = new HttpLimits(
                Range.intValue(p, "http.max-connections", d.maxConnections(), 16, 1_000_000),
                Range.intValue(p, "http.idle-timeout-seconds", d.idleTimeoutSeconds(), 5, 3600),
                Range.intValue(p, "http.min-bytes-per-second", d.minBytesPerSecond(), 0, 1 << 30),
                Range.intValue(p, "http.max-concurrent-requests", d.maxConcurrentRequests(), 4, 1_000_000));
        UploadLimits u = UploadLimits.DEFAULTS;
        UploadLimits limits = new UploadLimits(
                Range.longValue(p, "limits.file-bytes", u.fileBytes(), 1, Long.MAX_VALUE),
                Range.longValue(p, "limits.report-bytes", u.reportBytes(), 1, Long.MAX_VALUE),
                Range.intValue(p, "limits.files-per-submission", u.filesPerSubmission(), 1, 100_000),
                Range.longValue(p, "limits.disk-floor-bytes", u.diskFloorBytes(), 0, Long.MAX_VALUE));
        Budgets b = Budgets.DEFAULTS;
        Budgets budgets = new Budgets(
                Range.intValue(p, "receipt.attempts-per-minute", b.receiptAttemptsPerMinute(), 1, 1_000_000),
                Range.intValue(p, "limits.reports-per-hour", b.reportsPerHour(), 1, 100_000_000));
        SanitizerLimits s = SanitizerLimits.DEFAULTS;
        SanitizerLimits sanitizer = new SanitizerLimits(
                Range.intValue(p, "sanitizer.workers", s.workers(), 1, 256),
                Range.intValue(p, "sanitizer.memory-mib", s.memoryMib(), 64, 1 << 20),
                Range.intValue(p, "sanitizer.timeout-seconds", s.timeoutSeconds(), 1, 86_400));
        ResumeLimits r = ResumeLimits.DEFAULTS;
        ResumeLimits resume = new ResumeLimits(
                Range.intValue(p, "uploads.expire-hours", r.expireHours(), 1, 24 * 365),
                Range.intValue(p, "uploads.empty-report-hours", r.emptyReportHours(), 1, 24 * 365),
                Range.intValue(p, "uploads.checkpoint-seconds", r.checkpointSeconds(), 1, 3600),
                Range.intValue(p, "uploads.open-per-report", r.openPerReport(), 1, 10_000),
                Range.intValue(p, "uploads.finishers", r.finishers(), 1, 256));
        String keyFile = p.getProperty("pinning.key-file", "").trim();
        return new PosternConfig(base.resolve(dir.trim()),
                p.getProperty("database.url", "").trim(),
                p.getProperty("database.user", "").trim(),
                new Secret(p.getProperty("database.password", "")),
                p.getProperty("http.host", "127.0.0.1").trim(),
                Range.intValue(p, "http.port", DEFAULT_PORT, 0, 65535),
                p.getProperty("desk.host", "127.0.0.1").trim(),
                Range.intValue(p, "desk.port", DEFAULT_DESK_PORT, 0, 65535),
                Range.booleanValue(p, "http.secure-cookies", false),
                http, limits, budgets, sanitizer, resume,
                base.resolve(keyFile.isEmpty() ? PINNING_KEY_FILE : keyFile));
    }

    /** The properties text that {@link #load} reads back to this config (the password excluded). */
    public String toProperties() {
        return "# Postern configuration. See README.md, 'Real deployment'.\n"
                + "data.dir=" + dataDir + "\n"
                + "# Empty: embedded H2 database in data.dir. For scale: jdbc:postgresql://host:5432/postern\n"
                + "database.url=" + databaseUrl + "\n"
                + "database.user=" + databaseUser + "\n"
                + "database.password=\n"
                + "# The source site (behind the sources' onion service) and the desk listen separately.\n"
                + "http.host=" + host + "\n"
                + "http.port=" + port + "\n"
                + "desk.host=" + deskHost + "\n"
                + "desk.port=" + deskPort + "\n"
                + "# true when TLS terminates in a reverse proxy in front of Postern\n"
                + "http.secure-cookies=" + secureCookies + "\n"
                + "http.max-connections=" + http.maxConnections() + "\n"
                + "http.idle-timeout-seconds=" + http.idleTimeoutSeconds() + "\n"
                + "http.min-bytes-per-second=" + http.minBytesPerSecond() + "\n"
                + "http.max-concurrent-requests=" + http.maxConcurrentRequests() + "\n"
                + "limits.file-bytes=" + limits.fileBytes() + "\n"
                + "limits.report-bytes=" + limits.reportBytes() + "\n"
                + "limits.files-per-submission=" + limits.filesPerSubmission() + "\n"
                + "limits.disk-floor-bytes=" + limits.diskFloorBytes() + "\n"
                + "limits.reports-per-hour=" + budgets.reportsPerHour() + "\n"
                + "receipt.attempts-per-minute=" + budgets.receiptAttemptsPerMinute() + "\n"
                + "sanitizer.workers=" + sanitizer.workers() + "\n"
                + "sanitizer.memory-mib=" + sanitizer.memoryMib() + "\n"
                + "sanitizer.timeout-seconds=" + sanitizer.timeoutSeconds() + "\n"
                + "# Unfinished resumable uploads and reports with neither text nor files are removed after:\n"
                + "uploads.expire-hours=" + resume.expireHours() + "\n"
                + "uploads.empty-report-hours=" + resume.emptyReportHours() + "\n"
                + "uploads.checkpoint-seconds=" + resume.checkpointSeconds() + "\n"
                + "uploads.open-per-report=" + resume.openPerReport() + "\n"
                + "uploads.finishers=" + resume.finishers() + "\n"
                + "# Authenticates recipient public keys; keep it on this host, never with the database.\n"
                + "pinning.key-file=" + pinningKeyFile + "\n";
    }
}
