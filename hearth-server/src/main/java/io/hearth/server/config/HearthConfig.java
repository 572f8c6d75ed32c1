package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Server settings. Each has a dotted kebab-case key, settable in {@code <data-dir>/hearth.properties}
 * or with {@code hearth up --set key=value}; {@link #keys()} lists them all and docs/configuration.md
 * describes each.
 */
public record HearthConfig(
        String bindAddress,
        int port,
        Path dataDirectory,
        Path sparkHome,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String accountId,
        int maxUnfinishedStepsPerCluster,
        Duration stepStopGracePeriod,
        double clusterMemoryFraction,
        double clusterCpuOversubscription,
        Duration clusterStartTimeout,
        Duration housekeepingInterval,
        int maxRequestBytes,
        List<String> corsAllowedOrigins,
        CatalogConfig catalog,
        StorageConfig storage) {

    public static final String BIND_ADDRESS = "http.bind-address";
    public static final String PORT = "http.port";
    public static final String DATA_DIRECTORY = "data-dir";
    public static final String SPARK_HOME = "spark.home";
    public static final String DATABASE_URL = "database.url";
    public static final String DATABASE_USER = "database.user";
    public static final String DATABASE_PASSWORD = "database.password";
    public static final String ACCOUNT_ID = "aws.account-id";
    public static final String MAX_UNFINISHED_STEPS = "steps.max-unfinished-per-cluster";
    public static final String STEP_STOP_GRACE_PERIOD = "steps.stop-grace-period";
    public static final String CLUSTER_MEMORY_FRACTION = "clusters.memory-fraction";
    public static final String CLUSTER_CPU_OVERSUBSCRIPTION = "clusters.cpu-oversubscription";
    public static final String CLUSTER_START_TIMEOUT = "clusters.start-timeout";
    public static final String HOUSEKEEPING_INTERVAL = "housekeeping.interval";
    public static final String MAX_REQUEST_BYTES = "http.max-request-bytes";
    public static final String CORS_ALLOWED_ORIGINS = "http.cors-allowed-origins";
    public static final String CATALOG_ENABLED = "catalog.enabled";
    public static final String CATALOG_PORT = "catalog.port";
    public static final String CATALOG_DATABASE_URL = "catalog.database.url";
    public static final String CATALOG_DATABASE_USER = "catalog.database.user";
    public static final String CATALOG_DATABASE_PASSWORD = "catalog.database.password";
    public static final String CATALOG_START_TIMEOUT = "catalog.start-timeout";
    public static final String CATALOG_MAX_HEAP_MB = "catalog.max-heap-mb";
    public static final String CATALOG_ALLOWED_LOCAL_ROOTS = "catalog.allowed-local-roots";
    public static final String STORAGE_S3_ENDPOINT = "storage.s3-endpoint";
    public static final String STORAGE_S3_ACCESS_KEY = "storage.s3-access-key";
    public static final String STORAGE_S3_SECRET_KEY = "storage.s3-secret-key";
    public static final String STORAGE_S3_REGION = "storage.s3-region";
    public static final String STORAGE_S3_PATH_STYLE_ACCESS = "storage.s3-path-style-access";
    public static final String STORAGE_S3_LOG_UPLOAD_INTERVAL = "storage.s3-log-upload-interval";

    public static final int DEFAULT_PORT = 8780;

    public HearthConfig {
        requireNonNull(bindAddress, "bindAddress is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(sparkHome, "sparkHome is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(stepStopGracePeriod, "stepStopGracePeriod is null");
        requireNonNull(clusterStartTimeout, "clusterStartTimeout is null");
        requireNonNull(housekeepingInterval, "housekeepingInterval is null");
        corsAllowedOrigins = List.copyOf(requireNonNull(corsAllowedOrigins, "corsAllowedOrigins is null"));
        requireNonNull(catalog, "catalog is null");
        requireNonNull(storage, "storage is null");
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        sparkHome = sparkHome.toAbsolutePath().normalize();
    }

    /** Every setting at its default; the Spark runtime is looked for at {@code <hearth.home>/spark}. */
    public static HearthConfig defaults() {
        return new HearthConfig(
                "127.0.0.1",
                DEFAULT_PORT,
                Path.of("hearth-data"),
                defaultSparkHome(),
                null,
                null,
                null,
                "000000000000",
                10_000,
                Duration.ofSeconds(60),
                0.5,
                2.0,
                Duration.ofSeconds(120),
                Duration.ofSeconds(5),
                16 * 1024 * 1024,
                List.of(),
                CatalogConfig.defaults(),
                StorageConfig.defaults());
    }

    private static Path defaultSparkHome() {
        String home = System.getProperty("hearth.home");
        return home == null ? Path.of("spark") : Path.of(home, "spark");
    }

    public static Set<String> keys() {
        return new TreeSet<>(defaults().toProperties().keySet());
    }

    /** Applies settings given by key; an unknown key or a bad value is an error naming the key. */
    public HearthConfig with(Map<String, String> settings) {
        Map<String, String> merged = new LinkedHashMap<>(toProperties());
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (!merged.containsKey(setting.getKey())) {
                throw HearthException.invalidArgument("Unknown setting '%s'; known settings: %s", setting.getKey(), keys());
            }
            merged.put(setting.getKey(), setting.getValue());
        }
        return fromProperties(merged);
    }

    private static HearthConfig fromProperties(Map<String, String> values) {
        return new HearthConfig(
                values.get(BIND_ADDRESS),
                integer(values, PORT, 0, 65535),
                Path.of(values.get(DATA_DIRECTORY)),
                Path.of(values.get(SPARK_HOME)),
                emptyToNull(values.get(DATABASE_URL)),
                emptyToNull(values.get(DATABASE_USER)),
                emptyToNull(values.get(DATABASE_PASSWORD)),
                values.get(ACCOUNT_ID),
                integer(values, MAX_UNFINISHED_STEPS, 1, Integer.MAX_VALUE),
                duration(values, STEP_STOP_GRACE_PERIOD, Duration.ZERO),
                fraction(values, CLUSTER_MEMORY_FRACTION, 0.01, 1.0),
                fraction(values, CLUSTER_CPU_OVERSUBSCRIPTION, 0.1, 64.0),
                duration(values, CLUSTER_START_TIMEOUT, Duration.ofSeconds(1)),
                duration(values, HOUSEKEEPING_INTERVAL, Duration.ofMillis(10)),
                integer(values, MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE),
                origins(values, CORS_ALLOWED_ORIGINS),
                new CatalogConfig(
                        bool(values, CATALOG_ENABLED),
                        integer(values, CATALOG_PORT, 0, 65535),
                        emptyToNull(values.get(CATALOG_DATABASE_URL)),
                        emptyToNull(values.get(CATALOG_DATABASE_USER)),
                        emptyToNull(values.get(CATALOG_DATABASE_PASSWORD)),
                        duration(values, CATALOG_START_TIMEOUT, Duration.ofSeconds(1)),
                        integer(values, CATALOG_MAX_HEAP_MB, 128, 1024 * 1024),
                        paths(values, CATALOG_ALLOWED_LOCAL_ROOTS)),
                storage(values));
    }

    private static StorageConfig storage(Map<String, String> values) {
        URI endpoint = endpoint(values, STORAGE_S3_ENDPOINT);
        String accessKey = emptyToNull(values.get(STORAGE_S3_ACCESS_KEY));
        String secretKey = emptyToNull(values.get(STORAGE_S3_SECRET_KEY));
        if ((accessKey == null) != (secretKey == null)) {
            throw HearthException.invalidArgument("Settings '%s' and '%s' go together: set both or neither", STORAGE_S3_ACCESS_KEY, STORAGE_S3_SECRET_KEY);
        }
        String region = values.get(STORAGE_S3_REGION).trim();
        if (!region.matches("[a-z0-9-]{1,64}")) {
            throw HearthException.invalidArgument("Setting '%s' must be a region name such as us-east-1, not '%s'", STORAGE_S3_REGION, region);
        }
        return new StorageConfig(endpoint, accessKey, secretKey, region, bool(values, STORAGE_S3_PATH_STYLE_ACCESS),
                duration(values, STORAGE_S3_LOG_UPLOAD_INTERVAL, Duration.ofMillis(100)));
    }

    /**
     * Web origins a browser page may call Hearth from: a comma-separated list of
     * {@code scheme://host[:port]} (kept in the form browsers send in their Origin header, default
     * ports dropped), or {@code *} for any page; empty for none.
     */
    private static List<String> origins(Map<String, String> values, String key) {
        String text = values.get(key).trim();
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> origins = new ArrayList<>();
        for (String entry : text.split(",")) {
            String origin = entry.trim();
            if (origin.equals("*")) {
                origins.add(origin);
                continue;
            }
            origins.add(origin(origin).orElseThrow(() -> HearthException.invalidArgument(
                    "Setting '%s' must list origins such as http://localhost:3000 (scheme, host and port only) or *, not '%s'", key, origin)));
        }
        return List.copyOf(origins);
    }

    /** An origin in the form browsers send it: lower-case scheme and host, the port only when it is not the scheme's default. */
    public static Optional<String> origin(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            boolean bare = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
            if (!web || !bare || uri.getHost() == null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** An http(s) URL with a host and nothing after the port, or null when the setting is empty. */
    private static URI endpoint(Map<String, String> values, String key) {
        String text = emptyToNull(values.get(key));
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            boolean bare = uri.getRawQuery() == null && uri.getRawFragment() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                    || uri.getRawPath().equals("/"));
            if (web && uri.getHost() != null && bare) {
                return new URI(uri.getScheme().toLowerCase(java.util.Locale.ROOT), null, uri.getHost(), uri.getPort(), null, null, null);
            }
        } catch (URISyntaxException e) {
            // Worded below.
        }
        throw HearthException.invalidArgument("Setting '%s' must be an http:// or https:// URL of an S3-compatible service, such as "
                + "http://127.0.0.1:9000, not '%s'", key, text);
    }

    public Map<String, String> toProperties() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(BIND_ADDRESS, bindAddress);
        values.put(PORT, Integer.toString(port));
        values.put(DATA_DIRECTORY, dataDirectory.toString());
        values.put(SPARK_HOME, sparkHome.toString());
        values.put(DATABASE_URL, nullToEmpty(databaseUrl));
        values.put(DATABASE_USER, nullToEmpty(databaseUser));
        values.put(DATABASE_PASSWORD, nullToEmpty(databasePassword));
        values.put(ACCOUNT_ID, accountId);
        values.put(MAX_UNFINISHED_STEPS, Integer.toString(maxUnfinishedStepsPerCluster));
        values.put(STEP_STOP_GRACE_PERIOD, format(stepStopGracePeriod));
        values.put(CLUSTER_MEMORY_FRACTION, Double.toString(clusterMemoryFraction));
        values.put(CLUSTER_CPU_OVERSUBSCRIPTION, Double.toString(clusterCpuOversubscription));
        values.put(CLUSTER_START_TIMEOUT, format(clusterStartTimeout));
        values.put(HOUSEKEEPING_INTERVAL, format(housekeepingInterval));
        values.put(MAX_REQUEST_BYTES, Integer.toString(maxRequestBytes));
        values.put(CORS_ALLOWED_ORIGINS, String.join(",", corsAllowedOrigins));
        values.put(CATALOG_ENABLED, Boolean.toString(catalog.enabled()));
        values.put(CATALOG_PORT, Integer.toString(catalog.port()));
        values.put(CATALOG_DATABASE_URL, nullToEmpty(catalog.databaseUrl()));
        values.put(CATALOG_DATABASE_USER, nullToEmpty(catalog.databaseUser()));
        values.put(CATALOG_DATABASE_PASSWORD, nullToEmpty(catalog.databasePassword()));
        values.put(CATALOG_START_TIMEOUT, format(catalog.startTimeout()));
        values.put(CATALOG_MAX_HEAP_MB, Integer.toString(catalog.maxHeapMb()));
        values.put(CATALOG_ALLOWED_LOCAL_ROOTS, catalog.allowedLocalRoots().stream().map(Path::toString).collect(Collectors.joining(",")));
        values.put(STORAGE_S3_ENDPOINT, storage.s3Endpoint() == null ? "" : storage.s3Endpoint().toString());
        values.put(STORAGE_S3_ACCESS_KEY, nullToEmpty(storage.s3AccessKey()));
        values.put(STORAGE_S3_SECRET_KEY, nullToEmpty(storage.s3SecretKey()));
        values.put(STORAGE_S3_REGION, storage.s3Region());
        values.put(STORAGE_S3_PATH_STYLE_ACCESS, Boolean.toString(storage.pathStyleAccess()));
        values.put(STORAGE_S3_LOG_UPLOAD_INTERVAL, format(storage.logUploadInterval()));
        return values;
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
            address = InetAddress.getByName(bindAddress.trim());
        } catch (UnknownHostException e) {
            throw HearthException.invalidArgument("Setting '%s' must be an IP address or host name of this machine, not '%s'", BIND_ADDRESS, bindAddress);
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

    private static int integer(Map<String, String> values, String key, int min, int max) {
        String text = values.get(key);
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min || value > max) {
                throw HearthException.invalidArgument("Setting '%s' must be between %d and %d, not %s", key, min, max, text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw HearthException.invalidArgument("Setting '%s' must be an integer, not '%s'", key, text);
        }
    }

    /** A comma-separated list of folders; relative ones are relative to the directory Hearth is started in. */
    private static List<Path> paths(Map<String, String> values, String key) {
        List<Path> paths = new ArrayList<>();
        for (String part : values.get(key).split(",")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            try {
                paths.add(Path.of(text));
            } catch (InvalidPathException e) {
                throw HearthException.invalidArgument("Setting '%s' must be a comma-separated list of folders, and '%s' is not a path: %s", key,
                        text, e.getReason());
            }
        }
        return paths;
    }

    private static boolean bool(Map<String, String> values, String key) {
        String text = values.get(key).trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw HearthException.invalidArgument("Setting '%s' must be true or false, not '%s'", key, text);
    }

    private static double fraction(Map<String, String> values, String key, double min, double max) {
        String text = values.get(key);
        try {
            double value = Double.parseDouble(text.trim());
            if (!(value >= min && value <= max)) {
                throw HearthException.invalidArgument("Setting '%s' must be between %s and %s, not %s", key, min, max, text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw HearthException.invalidArgument("Setting '%s' must be a number, not '%s'", key, text);
        }
    }

    /** Durations are written as a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; at least {@code minimum}. */
    static Duration duration(Map<String, String> values, String key, Duration minimum) {
        String text = values.get(key).trim();
        Matcher matcher = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)").matcher(text);
        if (!matcher.matches()) {
            throw HearthException.invalidArgument("Setting '%s' must be a duration such as 500ms, 30s, 5m or 1h, not '%s'", key, text);
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.compareTo(minimum) < 0) {
            throw HearthException.invalidArgument("Setting '%s' must be at least %s, not '%s'", key, format(minimum), text);
        }
        return duration;
    }

    /** The shortest exact form: whole seconds as {@code 30s}, anything else in milliseconds. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
