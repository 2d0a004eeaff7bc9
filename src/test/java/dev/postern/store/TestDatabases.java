package dev.postern.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The databases storage tests run against: embedded H2 always, and PostgreSQL at the URL in the
 * system property {@code postern.test.postgres} when something answers there. Each PostgreSQL run
 * gets a fresh schema so runs never see each other's rows.
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static String postgresUrl() {
        return System.getProperty("postern.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    public static boolean postgresAvailable() {
        try (Connection c = DriverManager.getConnection(postgresUrl() + "&connectTimeout=2&loginTimeout=2")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /** A fresh PostgreSQL schema for one test, as a JDBC URL that uses it. */
    public static String freshPostgresSchema() throws Exception {
        String schema = "t_" + Ids.newId().substring(0, 12);
        try (Connection c = DriverManager.getConnection(postgresUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return postgresUrl() + "&currentSchema=" + schema;
    }

    /** Database URLs to run storage tests on: "h2" and, when reachable, "postgresql". */
    public static Stream<Arguments> kinds() {
        List<Arguments> kinds = new ArrayList<>();
        kinds.add(Arguments.of("h2"));
        if (postgresAvailable()) {
            kinds.add(Arguments.of("postgresql"));
        } else {
            System.err.println("PostgreSQL not reachable at " + postgresUrl() + ": storage tests run on H2 only");
        }
        return kinds.stream();
    }

    public static Database open(String kind, Path dataDir) throws Exception {
        if (kind.equals("postgresql")) {
            return Database.open(freshPostgresSchema(), "", "");
        }
        return Database.open(Database.embeddedUrl(dataDir), "", "");
    }
}
