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
 *
 * @param dataDir          where encrypted blobs and the embedded database live
 * @param databaseUrl      JDBC URL; empty means the embedded H2 database under {@code dataDir}
 * @param databaseUser     database user (PostgreSQL), may be empty
 * @param databasePassword database password, never printed
 * @param host             address to listen on; 127.0.0.1 behind a reverse proxy or onion service
 * @param port             TCP port
 * @param secureCookies    mark cookies Secure: set when TLS terminates in front of Postern
 * @param limits           upload limits
 * @param receiptAttemptsPerMinute global ceiling on receipt checks (there are no addresses to limit by)
 */
public record PosternConfig(
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        Secret databasePassword,
        String host,
        int port,
        boolean secureCookies,
        UploadLimits limits,
        int receiptAttemptsPerMinute) {

    public static final int DEFAULT_PORT = 8080;

    public PosternConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(databaseUser, "databaseUser");
        Objects.requireNonNull(databasePassword, "databasePassword");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        dataDir = dataDir.toAbsolutePath().normalize();
        if (port < 0 || port > 65535) {
            throw new ConfigException("port must be between 0 and 65535, got " + port);
        }
        if (receiptAttemptsPerMinute < 1) {
            throw new ConfigException("receipt.attempts-per-minute must be at least 1");
        }
        if (!databaseUrl.isEmpty() && !databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:h2:")) {
            throw new ConfigException("database.url must be a jdbc:postgresql: or jdbc:h2: URL");
        }
    }

    /** Embedded defaults: H2 under {@code dataDir}, loopback, default limits. */
    public static PosternConfig embedded(Path dataDir, int port) {
        return new PosternConfig(dataDir, "", "", new Secret(""), "127.0.0.1", port, false,
                UploadLimits.DEFAULTS, 30);
    }

    public PosternConfig withDatabase(String url, String user, Secret password) {
        return new PosternConfig(dataDir, url, user, password, host, port, secureCookies, limits,
                receiptAttemptsPerMinute);
    }

    public PosternConfig withLimits(UploadLimits newLimits) {
        return new PosternConfig(dataDir, databaseUrl, databaseUser, databasePassword, host, port,
                secureCookies, newLimits, receiptAttemptsPerMinute);
    }

    /** Reads a properties file; relative {@code data.dir} is resolved against the file's folder. */
    public static PosternConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        List<String> known = List.of("data.dir", "database.url", "database.user", "database.password",
                "http.host", "http.port", "http.secure-cookies", "limits.file-bytes",
                "limits.report-bytes", "limits.files-per-submission", "receipt.attempts-per-minute");
        List<String> unknown = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            if (!known.contains(name)) {
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
        UploadLimits limits = new UploadLimits(
                longValue(p, "limits.file-bytes", UploadLimits.DEFAULTS.fileBytes()),
                longValue(p, "limits.report-bytes", UploadLimits.DEFAULTS.reportBytes()),
                (int) longValue(p, "limits.files-per-submission", UploadLimits.DEFAULTS.filesPerSubmission()));
        return new PosternConfig(base.resolve(dir.trim()),
                p.getProperty("database.url", "").trim(),
                p.getProperty("database.user", "").trim(),
                new Secret(p.getProperty("database.password", "")),
                p.getProperty("http.host", "127.0.0.1").trim(),
                (int) longValue(p, "http.port", DEFAULT_PORT),
                Boolean.parseBoolean(p.getProperty("http.secure-cookies", "false").trim()),
                limits,
                (int) longValue(p, "receipt.attempts-per-minute", 30));
    }

    /** The properties text that {@link #load} reads back to this config (the password excluded). */
    public String toProperties() {
        return "# Postern configuration. See README.md, 'Real deployment'.\n"
                + "data.dir=" + dataDir + "\n"
                + "# Empty: embedded H2 database in data.dir. For scale: jdbc:postgresql://host:5432/postern\n"
                + "database.url=" + databaseUrl + "\n"
                + "database.user=" + databaseUser + "\n"
                + "database.password=\n"
                + "http.host=" + host + "\n"
                + "http.port=" + port + "\n"
                + "# true when TLS terminates in a reverse proxy in front of Postern\n"
                + "http.secure-cookies=" + secureCookies + "\n"
                + "limits.file-bytes=" + limits.fileBytes() + "\n"
                + "limits.report-bytes=" + limits.reportBytes() + "\n"
                + "limits.files-per-submission=" + limits.filesPerSubmission() + "\n"
                + "receipt.attempts-per-minute=" + receiptAttemptsPerMinute + "\n";
    }

    private static long longValue(Properties p, String name, long fallback) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + v.trim() + "'");
        }
    }
}
