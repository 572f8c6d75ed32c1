package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Server settings, one config class per feature ({@link HttpConfig}, {@link DatabaseConfig},
 * {@link StepsConfig}, {@link ClustersConfig}, {@link CatalogConfig}, {@link StorageConfig}, {@link SqlConfig}) and the
 * few that belong to Hearth as a whole here. Each setting is a {@link Setting} constant of its class,
 * declared once with its key, default, parser and bounds; it is settable in
 * {@code <data-dir>/hearth.properties} or with {@code hearth up --set key=value}. {@link #keys()}
 * lists them all and docs/configuration.md describes each.
 */
public final class HearthConfig {
    public static final Setting<Path> DATA_DIRECTORY = Setting.path("data-dir", () -> Path.of("hearth-data"));
    public static final Setting<Path> SPARK_HOME = Setting.path("spark.home", () -> defaultHomeEntry("spark"));
    public static final Setting<Path> PYTHON_HOME = Setting.path("python.home", () -> defaultHomeEntry("python"));
    public static final Setting<String> ACCOUNT_ID = Setting.text("aws.account-id", "000000000000");
    public static final Setting<Duration> HOUSEKEEPING_INTERVAL = Setting.duration("housekeeping.interval", Duration.ofSeconds(5), Duration.ofMillis(10));

    /** Every setting, in the order {@link #toProperties()} lists them. */
    private static final List<Setting<?>> SETTINGS = Stream.of(
                    List.<Setting<?>>of(DATA_DIRECTORY, SPARK_HOME, PYTHON_HOME, ACCOUNT_ID, HOUSEKEEPING_INTERVAL),
                    HttpConfig.SETTINGS, DatabaseConfig.SETTINGS, StepsConfig.SETTINGS, ClustersConfig.SETTINGS, CatalogConfig.SETTINGS,
                    StorageConfig.SETTINGS, SqlConfig.SETTINGS)
            .flatMap(List::stream)
            .toList();

    static {
        // A key declared twice would make one of its settings unreachable.
        Set<String> seen = new TreeSet<>();
        SETTINGS.stream().map(Setting::key).filter(key -> !seen.add(key)).findFirst().ifPresent(key -> {
            throw new IllegalStateException("Setting '" + key + "' is declared twice");
        });
    }

    /** Settings whose values are never printed. */
    private static final Set<String> SECRETS = Set.of(DatabaseConfig.PASSWORD.key(), CatalogConfig.DATABASE_PASSWORD.key(),
            StorageConfig.S3_SECRET_KEY.key());

    private final Map<String, String> properties;
    private final Path dataDirectory;
    private final Path sparkHome;
    private final Path pythonHome;
    private final String accountId;
    private final Duration housekeepingInterval;
    private final HttpConfig http;
    private final DatabaseConfig database;
    private final StepsConfig steps;
    private final ClustersConfig clusters;
    private final CatalogConfig catalog;
    private final StorageConfig storage;
    private final SqlConfig sql;

    private HearthConfig(Map<String, String> properties) {
        SettingValues values = new SettingValues(properties);
        this.properties = properties;
        this.dataDirectory = values.get(DATA_DIRECTORY);
        this.sparkHome = values.get(SPARK_HOME);
        this.pythonHome = values.get(PYTHON_HOME);
        this.accountId = requireNonNull(values.get(ACCOUNT_ID), "accountId is null");
        this.housekeepingInterval = values.get(HOUSEKEEPING_INTERVAL);
        this.http = HttpConfig.from(values);
        this.database = DatabaseConfig.from(values);
        this.steps = StepsConfig.from(values);
        this.clusters = ClustersConfig.from(values);
        this.catalog = CatalogConfig.from(values);
        this.storage = StorageConfig.from(values);
        this.sql = SqlConfig.from(values);
    }

    /** Every setting at its default; the Spark runtime is looked for at {@code <hearth.home>/spark}. */
    public static HearthConfig defaults() {
        Map<String, String> properties = new LinkedHashMap<>();
        SETTINGS.forEach(setting -> properties.put(setting.key(), setting.defaultText()));
        return new HearthConfig(properties);
    }

    private static Path defaultHomeEntry(String name) {
        String home = System.getProperty("hearth.home");
        return home == null ? Path.of(name) : Path.of(home, name);
    }

    public static Set<String> keys() {
        return SETTINGS.stream().map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Applies settings given by key; an unknown key or a bad value is an error naming the key. */
    public HearthConfig with(Map<String, String> settings) {
        Map<String, String> merged = new LinkedHashMap<>(properties);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (!merged.containsKey(setting.getKey())) {
                throw HearthException.invalidArgument("Unknown setting '%s'; known settings: %s", setting.getKey(), keys());
            }
            merged.put(setting.getKey(), setting.getValue());
        }
        // Each text in the form its setting writes it, so that equal configurations are equal.
        for (Setting<?> setting : SETTINGS) {
            merged.put(setting.key(), setting.normalize(merged.get(setting.key())));
        }
        return new HearthConfig(merged);
    }

    /** Every setting by key, as text in the form each setting writes it. */
    public Map<String, String> toProperties() {
        return new LinkedHashMap<>(properties);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The Spark distribution clusters, steps and the catalog's metastore run from. */
    public Path sparkHome() {
        return sparkHome;
    }

    /** The Python environment every cluster's own environment is layered on (docs/python.md). */
    public Path pythonHome() {
        return pythonHome;
    }

    /** The AWS account id Hearth answers with in ARNs and owner fields. */
    public String accountId() {
        return accountId;
    }

    /** How often Hearth checks idle clusters against their auto-termination policy, starts steps that are due, and records running steps' application ids. */
    public Duration housekeepingInterval() {
        return housekeepingInterval;
    }

    public HttpConfig http() {
        return http;
    }

    public DatabaseConfig database() {
        return database;
    }

    public StepsConfig steps() {
        return steps;
    }

    public ClustersConfig clusters() {
        return clusters;
    }

    public SqlConfig sql() {
        return sql;
    }

    /** Where the SQL engine keeps its configuration, process record, token and query results. */
    public Path sqlDirectory() {
        return dataDirectory.resolve("sql");
    }

    public CatalogConfig catalog() {
        return catalog;
    }

    public StorageConfig storage() {
        return storage;
    }

    /**
     * The address every process Hearth starts listens on and is reached at: the catalog's metastore,
     * Spark masters and workers, executors, drivers and their web UIs. That is the HTTP bind address
     * when it is one IPv4 address of this machine (a host name is resolved); a wildcard address
     * ({@code 0.0.0.0}, {@code ::}) is no address Spark can be reached at, and Spark 3.5 does not take
     * IPv6 literals everywhere, so for those the processes stay on {@code 127.0.0.1}.
     */
    public String processAddress() {
        InetAddress address;
        try {
            address = InetAddress.getByName(http.bindAddress().trim());
        } catch (UnknownHostException e) {
            throw HearthException.invalidArgument("Setting '%s' must be an IP address or host name of this machine, not '%s'", HttpConfig.BIND_ADDRESS.key(), http.bindAddress());
        }
        return address instanceof Inet4Address && !address.isAnyLocalAddress() ? address.getHostAddress() : "127.0.0.1";
    }

    public Path logDirectory() {
        return dataDirectory.resolve("logs");
    }

    public Path clustersDirectory() {
        return dataDirectory.resolve("clusters");
    }

    public Path databaseDirectory() {
        return dataDirectory.resolve("db");
    }

    /** The catalog's own files: the metastore's configuration, process record and embedded database. */
    public Path catalogDirectory() {
        return dataDirectory.resolve("catalog");
    }

    /** Where managed tables live when their database names no location (Spark's and the metastore's warehouse). */
    public Path warehouseDirectory() {
        return dataDirectory.resolve("warehouse");
    }

    /** The model registry: one folder per trained model (its PipelineModel, metrics and model card). */
    public Path modelsDirectory() {
        return dataDirectory.resolve("models");
    }

    /** Where {@code s3://bucket/key} lives on this machine. */
    public Path objectStoreDirectory() {
        return dataDirectory.resolve("s3");
    }

    /** What the object store keeps beside its buckets: uploads arriving, multipart uploads in progress, bucket settings. */
    public Path objectStoreStateDirectory() {
        return dataDirectory.resolve("s3-state");
    }

    /**
     * With {@code storage.s3-endpoint} set: Hearth's local copies of the service's objects it reads
     * (step jars, scripts) and writes (logs under an s3:// LogUri), at {@code <bucket>/<key>}.
     */
    public Path s3ServiceCopiesDirectory() {
        return dataDirectory.resolve("s3-service");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HearthConfig config && config.properties.equals(properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    /** The settings by key, secrets masked. */
    @Override
    public String toString() {
        List<String> entries = new ArrayList<>();
        properties.forEach((key, value) -> entries.add(key + "=" + (SECRETS.contains(key) && !value.isEmpty() ? "****" : value)));
        return "HearthConfig" + entries;
    }
}
