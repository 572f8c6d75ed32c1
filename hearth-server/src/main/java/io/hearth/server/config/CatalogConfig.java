package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

    public static final Setting<Boolean> ENABLED = Setting.bool("catalog.enabled", true);
    public static final Setting<Integer> PORT = Setting.integer("catalog.port", 0, 0, 65535);
    public static final Setting<String> DATABASE_URL = Setting.optionalText("catalog.database.url");
    public static final Setting<String> DATABASE_USER = Setting.optionalText("catalog.database.user");
    public static final Setting<String> DATABASE_PASSWORD = Setting.optionalText("catalog.database.password");
    public static final Setting<Duration> START_TIMEOUT = Setting.duration("catalog.start-timeout", Duration.ofSeconds(180), Duration.ofSeconds(1));
    public static final Setting<Integer> MAX_HEAP_MB = Setting.integer("catalog.max-heap-mb", 1024, 128, 1024 * 1024);
    public static final Setting<List<Path>> ALLOWED_LOCAL_ROOTS = Setting.of("catalog.allowed-local-roots", List::of, CatalogConfig::folders,
            roots -> roots.stream().map(Path::toString).collect(Collectors.joining(",")));

    static final List<Setting<?>> SETTINGS = List.of(ENABLED, PORT, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, START_TIMEOUT, MAX_HEAP_MB,
            ALLOWED_LOCAL_ROOTS);

    public CatalogConfig {
        requireNonNull(startTimeout, "startTimeout is null");
        allowedLocalRoots = requireNonNull(allowedLocalRoots, "allowedLocalRoots is null").stream()
                .map(root -> root.toAbsolutePath().normalize())
                .toList();
    }

    static CatalogConfig from(SettingValues values) {
        return new CatalogConfig(values.get(ENABLED), values.get(PORT), values.get(DATABASE_URL), values.get(DATABASE_USER), values.get(DATABASE_PASSWORD),
                values.get(START_TIMEOUT), values.get(MAX_HEAP_MB), values.get(ALLOWED_LOCAL_ROOTS));
    }

    /** A comma-separated list of folders; relative ones are relative to the directory Hearth is started in. */
    private static List<Path> folders(String key, String text) {
        List<Path> paths = new ArrayList<>();
        for (String part : text.split(",")) {
            String folder = part.trim();
            if (folder.isEmpty()) {
                continue;
            }
            try {
                paths.add(Path.of(folder).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                throw HearthException.invalidArgument("Setting '%s' must be a comma-separated list of folders, and '%s' is not a path: %s", key,
                        folder, e.getReason());
            }
        }
        return List.copyOf(paths);
    }
}
