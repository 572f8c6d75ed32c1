package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the data catalog: the Hive Metastore process Hearth supervises and the database it
 * keeps its tables in (embedded Derby under the data directory unless a JDBC URL is given).
 *
 * @param port the metastore's thrift port; 0 picks a free port once and keeps it in the data directory
 */
public record CatalogConfig(
        boolean enabled,
        int port,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Duration startTimeout,
        int maxHeapMb) {

    public CatalogConfig {
        requireNonNull(startTimeout, "startTimeout is null");
    }

    public static CatalogConfig defaults() {
        return new CatalogConfig(true, 0, null, null, null, Duration.ofSeconds(180), 1024);
    }
}
