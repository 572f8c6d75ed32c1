package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the data catalog: the Hive Metastore process Hearth supervises and the database it
 * keeps its tables in (embedded Derby under the data directory unless a JDBC URL is given).
 *
 * @param port the metastore's thrift port; 0 picks a free port once and keeps it in the data directory
 * @param allowedLocalRoots local folders, besides the data directory's warehouse and object store, where
 *     Glue databases, tables and partitions may be located
 */
public record CatalogConfig(
        boolean enabled,
        int port,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Duration startTimeout,
        int maxHeapMb,
        List<Path> allowedLocalRoots) {

    public CatalogConfig {
        requireNonNull(startTimeout, "startTimeout is null");
        allowedLocalRoots = requireNonNull(allowedLocalRoots, "allowedLocalRoots is null").stream()
                .map(root -> root.toAbsolutePath().normalize())
                .toList();
    }

    public static CatalogConfig defaults() {
        return new CatalogConfig(true, 0, null, null, null, Duration.ofSeconds(180), 1024, List.of());
    }
}
