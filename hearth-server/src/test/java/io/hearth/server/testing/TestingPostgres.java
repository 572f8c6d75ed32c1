package io.hearth.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL schema per test, in the database named by {@code HEARTH_TEST_POSTGRES_URL}
 * (a JDBC URL with user and password; .ci/run starts a server and sets it). Without it the test is
 * skipped, visibly, unless {@code HEARTH_REQUIRE_POSTGRES=true} (as in CI), where it fails.
 */
public final class TestingPostgres implements AutoCloseable {
    public static final String URL_VARIABLE = "HEARTH_TEST_POSTGRES_URL";
    public static final String REQUIRED_VARIABLE = "HEARTH_REQUIRE_POSTGRES";

    private final String baseUrl;
    private final String schema;

    private TestingPostgres(String baseUrl, String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    public static TestingPostgres create() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (Boolean.parseBoolean(System.getenv(REQUIRED_VARIABLE))) {
                throw new IllegalStateException(REQUIRED_VARIABLE + " is true but " + URL_VARIABLE + " is not set: .ci/run starts PostgreSQL and sets it");
            }
            Assumptions.abort("PostgreSQL tests need " + URL_VARIABLE + " (a JDBC URL); .ci/run sets it");
        }
        String schema = "hearth_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute(url, "CREATE SCHEMA " + schema);
        return new TestingPostgres(url, schema);
    }

    /** A JDBC URL whose tables live in this test's own schema. */
    public String jdbcUrl() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String schema() {
        return schema;
    }

    @Override
    public void close() {
        execute(baseUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + url.replaceAll("password=[^&]*", "password=***") + ": " + e.getMessage(), e);
        }
    }
}
