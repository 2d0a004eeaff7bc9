package dev.postern.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postern.config.PosternConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The relational store: embedded H2 under the data directory by default, PostgreSQL when
 * configured. Migrations run on open, so a new data directory or database is ready at once.
 */
public final class Database implements AutoCloseable {
    /** H2's "database may be already in use" (the file lock of another process). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's "database is already closed". */
    private static final int H2_DATABASE_CLOSED = 90121;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean embedded;

    private Database(HikariDataSource dataSource, boolean embedded) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.embedded = embedded;
    }

    public static Database open(PosternConfig config) {
        String url = config.databaseUrl().isEmpty() ? embeddedUrl(config.dataDir()) : config.databaseUrl();
        return open(url, config.databaseUser(), config.databasePassword().reveal());
    }

    public static Database open(String url, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (!user.isEmpty()) {
            hc.setUsername(user);
        }
        if (!password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(16);
        hc.setPoolName("postern");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            if (errorCode(e) == H2_DATABASE_ALREADY_OPEN) {
                throw new StoreException("the embedded database is in use by another process (a running"
                        + " 'postern serve'?); stop it first", e);
            }
            throw e;
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, url.startsWith("jdbc:h2:"));
    }

    private static int errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }

    /**
     * Purges what deleted and overwritten rows left in freed database pages (a reply the source
     * deleted, old versions of a recipient's row). Embedded H2 keeps old page versions in its
     * file until it rewrites them: {@code SHUTDOWN COMPACT} rewrites the file with live data only
     * and closes the database, so this object is unusable afterwards. The embedded database can
     * only be open in one process, so the server must be stopped. PostgreSQL: {@code VACUUM FULL}
     * of every table of Postern's schema, which rewrites each table (an exclusive lock while it
     * runs); its WAL and backups still hold old versions (README, "Deleting for good").
     *
     * @return what was done, for the operator
     */
    public String compact() {
        if (embedded) {
            // Plain JDBC: the statement closes the database under the connection, which JDBI would
            // then try to use for an update count and a transaction check.
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                // Closing the connection fails once the database is shut down; anything else is real.
                if (e.getErrorCode() != H2_DATABASE_CLOSED) {
                    throw new StoreException("SHUTDOWN COMPACT failed", e);
                }
            } finally {
                dataSource.close();
            }
            return "embedded database compacted (SHUTDOWN COMPACT)";
        }
        List<String> tables = jdbi.withHandle(h -> h.createQuery("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name""")
                .mapTo(String.class).list());
        jdbi.useHandle(h -> {
            for (String table : tables) {
                h.execute("VACUUM FULL \"" + table.replace("\"", "\"\"") + "\"");
            }
        });
        return "VACUUM FULL of " + tables.size() + " tables: " + String.join(", ", tables);
    }

    /**
     * Makes every commit so far survive a crash of the process or of the machine. H2's MVStore
     * writes committed transactions to its file from a background thread, up to WRITE_DELAY
     * (500 ms) later, and not at all without that thread (WRITE_DELAY=0 turns it off rather than
     * making commits synchronous): a kill in that window lost a report whose receipt the source
     * already held. {@code CHECKPOINT SYNC} writes the store and forces it to the device. On
     * PostgreSQL a commit is durable when it returns (synchronous_commit), so nothing is done.
     */
    public void makeDurable() {
        if (embedded) {
            jdbi.useHandle(h -> h.execute("CHECKPOINT SYNC"));
        }
    }

    /**
     * TRACE_LEVEL_FILE=0: H2 otherwise writes its internal errors with millisecond timestamps to
     * {@code postern.trace.db}, a plaintext log beside the database; errors still reach Postern as
     * exceptions. Commits a source is told about are made durable by {@link #makeDurable}; the rest
     * reach the file within H2's default write delay.
     */
    static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("postern").toAbsolutePath() + ";TRACE_LEVEL_FILE=0";
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
