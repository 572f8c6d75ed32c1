package io.hearth.server.persistence;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The control-plane database: an embedded H2 file under the data directory by default, or any
 * PostgreSQL database given by JDBC URL. The schema is brought up to date with Flyway migrations
 * ({@code db/migration}) every time it opens.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String description;

    private Database(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.description = description;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** The embedded default: one H2 file at {@code <directory>/hearth.mv.db}. */
    public static Database openEmbedded(Path directory) {
        Path file = directory.toAbsolutePath().resolve("hearth");
        return open("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", null, null);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("hearth-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, jdbcUrl.replaceAll("password=[^;&]*", "password=***"));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The JDBC URL without secrets, for log lines. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
