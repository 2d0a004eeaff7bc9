package dev.postern.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postern.config.PosternConfig;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The relational store: embedded H2 under the data directory by default, PostgreSQL when
 * configured. Migrations run on open, so a new data directory or database is ready at once.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
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
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /**
     * WRITE_DELAY=0: H2 otherwise flushes commits up to half a second late, and a crash in that
     * window would lose a report whose receipt the source already holds.
     */
    static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("postern").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
