package io.hearth.server.persistence;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import io.hearth.server.HearthException;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The control-plane database: an embedded H2 file under the data directory by default, or any
 * PostgreSQL database given by JDBC URL. The schema is brought up to date with Flyway migrations
 * ({@code db/migration}) every time it opens.
 *
 * <p>A commit is on disk before Hearth answers the request that made it, so an answer survives a
 * crash of Hearth's process (kill -9): H2 otherwise keeps commits in memory for up to half a
 * second ({@code WRITE_DELAY}), and PostgreSQL sessions are held to {@code synchronous_commit}.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String description;
    private final Connection lockHolder;

    private Database(HikariDataSource dataSource, String description, Connection lockHolder) {
        this.dataSource = dataSource;
        this.description = description;
        this.lockHolder = lockHolder;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** The embedded default: one H2 file at {@code <directory>/hearth.mv.db}. */
    public static Database openEmbedded(Path directory) {
        Path file = directory.toAbsolutePath().resolve("hearth");
        // Commits are written by the committing thread (WRITE_DELAY=0); through a FileChannel an interrupt of that
        // thread (a cancelled task) would close the file and with it the database, so H2 uses an asynchronous channel.
        return open("jdbc:h2:async:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", null, null);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("hearth-db");
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            // A server or database set to asynchronous commits could lose the last answered writes.
            config.setConnectionInitSql("SET synchronous_commit = on");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        String description = jdbcUrl.replaceAll("password=[^;&]*", "password=***");
        Connection lockHolder = null;
        try {
            lockHolder = jdbcUrl.startsWith("jdbc:postgresql:") ? lockPostgresSchema(dataSource, description) : null;
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            closeQuietly(lockHolder);
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, description, lockHolder);
    }

    /**
     * One Hearth per PostgreSQL schema: two servers reconciling the same clusters would each start
     * and stop their processes. The embedded H2 file is locked by H2 itself. The session-level
     * advisory lock lives as long as the connection holding it, so a crashed server frees it.
     */
    private static Connection lockPostgresSchema(HikariDataSource dataSource, String description) {
        try {
            Connection connection = dataSource.getConnection();
            try (Statement statement = connection.createStatement();
                    ResultSet locked = statement.executeQuery("SELECT pg_try_advisory_lock(hashtext('hearth:' || current_schema()))")) {
                if (locked.next() && locked.getBoolean(1)) {
                    return connection;
                }
            }
            connection.close();
            throw HearthException.invalidState("Another Hearth is already using the database %s", description);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot lock the database " + description + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a lock holder that failed anyway
            }
        }
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
        closeQuietly(lockHolder);
        dataSource.close();
    }
}
