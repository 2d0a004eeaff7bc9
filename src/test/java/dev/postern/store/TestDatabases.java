package dev.postern.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The databases storage tests run against: embedded H2 always, and PostgreSQL at the URL in the
 * system property {@code postern.test.postgres}. Each PostgreSQL run gets a fresh schema so runs
 * never see each other's rows.
 *
 * <p>When PostgreSQL does not answer, its cases are reported as skipped (a JUnit assumption), so the
 * test report shows they did not run. When PostgreSQL is required (environment variable
 * {@code POSTERN_TEST_POSTGRES_REQUIRED=1} or system property
 * {@code postern.test.postgres.required=true}; {@code .ci/run} sets it) they fail instead: a CI
 * machine whose database is gone must not pass on H2 alone.
 */
public final class TestDatabases {
    /** Environment variable that makes a missing PostgreSQL a failure. */
    public static final String REQUIRED_ENV = "POSTERN_TEST_POSTGRES_REQUIRED";
    /** System property that makes a missing PostgreSQL a failure. */
    public static final String REQUIRED_PROPERTY = "postern.test.postgres.required";

    /** Checked once per JVM: every PostgreSQL case asks, and a dead address should cost one timeout. */
    private static volatile String unavailableBecause;
    private static volatile boolean checked;

    private TestDatabases() {
    }

    public static String postgresUrl() {
        String url = System.getProperty("postern.test.postgres");
        if (url == null || url.isBlank() || url.startsWith("${")) {
            return "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        }
        return url;
    }

    /** True when PostgreSQL must answer: its absence then fails the tests instead of skipping them. */
    public static boolean postgresRequired() {
        String env = System.getenv(REQUIRED_ENV);
        return "1".equals(env) || "true".equalsIgnoreCase(env)
                || Boolean.parseBoolean(System.getProperty(REQUIRED_PROPERTY, "false"));
    }

    /** Null when PostgreSQL answers at {@link #postgresUrl()}, else why not. */
    private static synchronized String unavailableBecause() {
        if (!checked) {
            try (Connection c = DriverManager.getConnection(postgresUrl() + "&connectTimeout=2&loginTimeout=2")) {
                unavailableBecause = c.isValid(2) ? null : "connection not valid";
            } catch (Exception e) {
                unavailableBecause = e.toString();
            }
            checked = true;
        }
        return unavailableBecause;
    }

    public static boolean postgresAvailable() {
        return unavailableBecause() == null;
    }

    /**
     * Call before using PostgreSQL: returns when it answers; otherwise fails the test when PostgreSQL
     * is required, and skips it (assumption) when not.
     */
    public static void requirePostgres() {
        String why = unavailableBecause();
        if (why == null) {
            return;
        }
        String message = "PostgreSQL not reachable at " + postgresUrl() + " (" + why + ")";
        if (postgresRequired()) {
            throw new AssertionError(message + ", and it is required (" + REQUIRED_ENV + "=1 or -D"
                    + REQUIRED_PROPERTY + "=true)");
        }
        assumeTrue(false, message + ": PostgreSQL case skipped; set " + REQUIRED_ENV + "=1 to make this a failure");
    }

    /** A fresh PostgreSQL schema for one test, as a JDBC URL that uses it. */
    public static String freshPostgresSchema() throws Exception {
        requirePostgres();
        String schema = "t_" + Ids.newId().substring(0, 12);
        try (Connection c = DriverManager.getConnection(postgresUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return postgresUrl() + "&currentSchema=" + schema;
    }

    /**
     * Database kinds to run storage tests on: "h2" and "postgresql", always both; the PostgreSQL case
     * fails or skips in {@link #open} / {@link #freshPostgresSchema} when the database is absent.
     */
    public static Stream<Arguments> kinds() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    public static Database open(String kind, Path dataDir) throws Exception {
        if (kind.equals("postgresql")) {
            return Database.open(freshPostgresSchema(), "", "");
        }
        return Database.open(Database.embeddedUrl(dataDir), "", "");
    }
}
