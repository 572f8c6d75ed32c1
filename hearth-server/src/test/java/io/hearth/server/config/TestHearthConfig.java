package io.hearth.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestHearthConfig {
    private static final String HEARTH_HOME = "hearth.home";

    private static HearthConfig defaultsWithHearthHome(String home) {
        String previous = System.getProperty(HEARTH_HOME);
        try {
            if (home == null) {
                System.clearProperty(HEARTH_HOME);
            } else {
                System.setProperty(HEARTH_HOME, home);
            }
            return HearthConfig.defaults();
        } finally {
            if (previous == null) {
                System.clearProperty(HEARTH_HOME);
            } else {
                System.setProperty(HEARTH_HOME, previous);
            }
        }
    }

    private static HearthConfig with(String key, String value) {
        return HearthConfig.defaults().with(Map.of(key, value));
    }

    private static HearthException invalidArgument(Supplier<HearthConfig> action) {
        HearthException error = catchThrowableOfType(HearthException.class, action::get);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return error;
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    // --- defaults, one setting at a time ---

    @Test
    void defaultBindAddressIsLoopback() {
        assertThat(HearthConfig.defaults().http().bindAddress()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "127.0.0.2, 127.0.0.2",
            "192.0.2.7, 192.0.2.7",
            "localhost, 127.0.0.1",
            "0.0.0.0, 127.0.0.1",
            "'::', 127.0.0.1",
            "'::1', 127.0.0.1"})
    void processesListenOnTheBindAddressWhenItIsOneIpv4AddressElseOnLoopback(String bindAddress, String processAddress) {
        assertThat(with(HttpConfig.BIND_ADDRESS.key(), bindAddress).processAddress()).isEqualTo(processAddress);
    }

    @Test
    void anUnknownBindHostIsAnErrorNamingTheSetting() {
        assertThat(invalidArgument(() -> {
            with(HttpConfig.BIND_ADDRESS.key(), "no-such-host.invalid").processAddress();
            return null;
        })).hasMessage("Setting 'http.bind-address' must be an IP address or host name of this machine, not 'no-such-host.invalid'");
    }

    @Test
    void defaultPortIs8780() {
        assertThat(HearthConfig.defaults().http().port()).isEqualTo(8780).isEqualTo(HttpConfig.DEFAULT_PORT);
    }

    @Test
    void defaultDataDirectoryIsHearthDataInTheWorkingDirectory() {
        assertThat(HearthConfig.defaults().dataDirectory()).isEqualTo(absolute("hearth-data"));
    }

    @Test
    void defaultSparkHomeWithoutHearthHomeIsSparkInTheWorkingDirectory() {
        assertThat(defaultsWithHearthHome(null).sparkHome()).isEqualTo(absolute("spark"));
    }

    @Test
    void defaultSparkHomeIsUnderHearthHome() {
        assertThat(defaultsWithHearthHome("/opt/hearth").sparkHome()).isEqualTo(Path.of("/opt/hearth/spark"));
    }

    @Test
    void defaultPythonHomeIsUnderHearthHome() {
        assertThat(defaultsWithHearthHome("/opt/hearth").pythonHome()).isEqualTo(Path.of("/opt/hearth/python"));
        assertThat(defaultsWithHearthHome(null).pythonHome()).isEqualTo(absolute("python"));
    }

    @Test
    void defaultCorsAllowedOriginsIsNone() {
        assertThat(HearthConfig.defaults().http().corsAllowedOrigins()).isEmpty();
        assertThat(HearthConfig.defaults().toProperties()).containsEntry(HttpConfig.CORS_ALLOWED_ORIGINS.key(), "");
    }

    @Test
    void corsAllowedOriginsAreOriginsOrAStar() {
        assertThat(with(HttpConfig.CORS_ALLOWED_ORIGINS.key(), "http://127.0.0.1:8888,http://Localhost:80").http().corsAllowedOrigins())
                .containsExactly("http://127.0.0.1:8888", "http://localhost");
        assertThat(with(HttpConfig.CORS_ALLOWED_ORIGINS.key(), " * ").http().corsAllowedOrigins()).containsExactly("*");
        for (String bad : new String[] {"localhost:3000", "http://localhost:3000/app", "file:///tmp", "null", "http://user@host"}) {
            assertThat(invalidArgument(() -> with(HttpConfig.CORS_ALLOWED_ORIGINS.key(), bad)).getMessage())
                    .isEqualTo("Setting 'http.cors-allowed-origins' must list origins such as http://localhost:3000 (scheme, host and port only)"
                            + " or *, not '" + bad + "'");
        }
    }

    @Test
    void defaultCatalogIsAnEmbeddedMetastoreOnAPortChosenOnce() {
        CatalogConfig catalog = HearthConfig.defaults().catalog();
        assertThat(catalog.enabled()).isTrue();
        assertThat(catalog.port()).isZero();
        assertThat(catalog.databaseUrl()).isNull();
        assertThat(catalog.startTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(catalog.maxHeapMb()).isEqualTo(1024);
    }

    @Test
    void catalogEnabledMustBeABoolean() {
        assertThat(invalidArgument(() -> with(CatalogConfig.ENABLED.key(), "yes")).getMessage())
                .isEqualTo("Setting 'catalog.enabled' must be true or false, not 'yes'");
        assertThat(with(CatalogConfig.ENABLED.key(), "FALSE").catalog().enabled()).isFalse();
    }

    @Test
    void defaultDatabaseUrlIsUnset() {
        assertThat(HearthConfig.defaults().database().url()).isNull();
    }

    @Test
    void defaultDatabaseUserIsUnset() {
        assertThat(HearthConfig.defaults().database().user()).isNull();
    }

    @Test
    void defaultDatabasePasswordIsUnset() {
        assertThat(HearthConfig.defaults().database().password()).isNull();
    }

    @Test
    void defaultAccountIdIsTwelveZeros() {
        assertThat(HearthConfig.defaults().accountId()).isEqualTo("000000000000");
    }

    @Test
    void defaultMaxUnfinishedStepsPerClusterIs10000() {
        assertThat(HearthConfig.defaults().steps().maxUnfinishedPerCluster()).isEqualTo(10_000);
    }

    @Test
    void defaultStepStopGracePeriodIs60Seconds() {
        assertThat(HearthConfig.defaults().steps().stopGracePeriod()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void defaultClusterMemoryFractionIsHalf() {
        assertThat(HearthConfig.defaults().clusters().memoryFraction()).isEqualTo(0.5);
    }

    @Test
    void defaultClusterCpuOversubscriptionIsTwo() {
        assertThat(HearthConfig.defaults().clusters().cpuOversubscription()).isEqualTo(2.0);
    }

    @Test
    void defaultClusterStartTimeoutIs120Seconds() {
        assertThat(HearthConfig.defaults().clusters().startTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void defaultHousekeepingIntervalIs5Seconds() {
        assertThat(HearthConfig.defaults().housekeepingInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultMaxRequestBytesIs16MiB() {
        assertThat(HearthConfig.defaults().http().maxRequestBytes()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void defaultsAsProperties() {
        HearthConfig defaults = defaultsWithHearthHome(null);

        assertThat(defaults.toProperties()).containsExactly(
                Map.entry("data-dir", absolute("hearth-data").toString()),
                Map.entry("spark.home", absolute("spark").toString()),
                Map.entry("python.home", absolute("python").toString()),
                Map.entry("aws.account-id", "000000000000"),
                Map.entry("housekeeping.interval", "5s"),
                Map.entry("http.bind-address", "127.0.0.1"),
                Map.entry("http.port", "8780"),
                Map.entry("http.max-request-bytes", "16777216"),
                Map.entry("http.cors-allowed-origins", ""),
                Map.entry("database.url", ""),
                Map.entry("database.user", ""),
                Map.entry("database.password", ""),
                Map.entry("steps.max-unfinished-per-cluster", "10000"),
                Map.entry("steps.stop-grace-period", "60s"),
                Map.entry("clusters.memory-fraction", "0.5"),
                Map.entry("clusters.cpu-oversubscription", "2.0"),
                Map.entry("clusters.start-timeout", "120s"),
                Map.entry("catalog.enabled", "true"),
                Map.entry("catalog.port", "0"),
                Map.entry("catalog.database.url", ""),
                Map.entry("catalog.database.user", ""),
                Map.entry("catalog.database.password", ""),
                Map.entry("catalog.start-timeout", "180s"),
                Map.entry("catalog.max-heap-mb", "1024"),
                Map.entry("catalog.allowed-local-roots", ""),
                Map.entry("storage.s3-endpoint", ""),
                Map.entry("storage.s3-access-key", ""),
                Map.entry("storage.s3-secret-key", ""),
                Map.entry("storage.s3-region", "us-east-1"),
                Map.entry("storage.s3-path-style-access", "true"),
                Map.entry("storage.s3-log-upload-interval", "10s"),
                Map.entry("sql.enabled", "true"),
                Map.entry("sql.start-with-hearth", "false"),
                Map.entry("sql.idle-timeout", "1800s"),
                Map.entry("sql.jdbc-port", "0"),
                Map.entry("sql.jdbc-http-port", "0"),
                Map.entry("sql.start-timeout", "180s"),
                Map.entry("sql.cores", "0"),
                Map.entry("sql.memory-mb", "0"),
                Map.entry("sql.max-concurrent-queries", "8"));
    }

    @Test
    void everyFeatureAtItsDefaults() {
        HearthConfig defaults = defaultsWithHearthHome(null);

        assertThat(defaults.dataDirectory()).isEqualTo(absolute("hearth-data"));
        assertThat(defaults.sparkHome()).isEqualTo(absolute("spark"));
        assertThat(defaults.accountId()).isEqualTo("000000000000");
        assertThat(defaults.housekeepingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.http()).isEqualTo(new HttpConfig("127.0.0.1", 8780, 16 * 1024 * 1024, List.of()));
        assertThat(defaults.database()).isEqualTo(new DatabaseConfig(null, null, null));
        assertThat(defaults.steps()).isEqualTo(new StepsConfig(10_000, Duration.ofSeconds(60)));
        assertThat(defaults.clusters()).isEqualTo(new ClustersConfig(0.5, 2.0, Duration.ofSeconds(120)));
        assertThat(defaults.catalog()).isEqualTo(new CatalogConfig(true, 0, null, null, null, Duration.ofSeconds(180), 1024, List.of()));
        assertThat(defaults.storage()).isEqualTo(new StorageConfig(null, null, null, "us-east-1", true, Duration.ofSeconds(10)));
        assertThat(defaults.sql()).isEqualTo(new SqlConfig(true, false, Duration.ofMinutes(30), 0, 0, Duration.ofSeconds(180), 0, 0, 8));
    }

    @Test
    void secretsAreMaskedWhenAConfigurationIsPrinted() {
        HearthConfig config = HearthConfig.defaults().with(Map.of(DatabaseConfig.PASSWORD.key(), "db-secret", StorageConfig.S3_ACCESS_KEY.key(), "minio",
                StorageConfig.S3_SECRET_KEY.key(), "minio-password", CatalogConfig.DATABASE_PASSWORD.key(), "hive-secret"));

        assertThat(config.toString()).contains("database.password=****", "storage.s3-access-key=minio")
                .doesNotContain("db-secret", "minio-password", "hive-secret");
    }

    @Test
    void keysAreTheSortedPropertyNames() {
        assertThat(HearthConfig.keys()).containsExactly(
                "aws.account-id", "catalog.allowed-local-roots", "catalog.database.password", "catalog.database.url", "catalog.database.user", "catalog.enabled",
                "catalog.max-heap-mb", "catalog.port", "catalog.start-timeout", "clusters.cpu-oversubscription", "clusters.memory-fraction", "clusters.start-timeout",
                "data-dir", "database.password", "database.url", "database.user", "housekeeping.interval",
                "http.bind-address", "http.cors-allowed-origins", "http.max-request-bytes", "http.port", "python.home", "spark.home",
                "sql.cores", "sql.enabled", "sql.idle-timeout", "sql.jdbc-http-port", "sql.jdbc-port", "sql.max-concurrent-queries", "sql.memory-mb", "sql.start-timeout", "sql.start-with-hearth",
                "steps.max-unfinished-per-cluster", "steps.stop-grace-period", "storage.s3-access-key", "storage.s3-endpoint",
                "storage.s3-log-upload-interval", "storage.s3-path-style-access", "storage.s3-region", "storage.s3-secret-key");
    }

    @Test
    void defaultsSurviveARoundTripThroughProperties() {
        HearthConfig defaults = HearthConfig.defaults();

        assertThat(defaults.with(defaults.toProperties())).isEqualTo(defaults);
    }

    // --- with(...) ---

    @Test
    void withAppliesEverySetting() {
        HearthConfig config = HearthConfig.defaults().with(Map.ofEntries(
                Map.entry(HttpConfig.BIND_ADDRESS.key(), "0.0.0.0"),
                Map.entry(HttpConfig.PORT.key(), "9000"),
                Map.entry(HearthConfig.DATA_DIRECTORY.key(), "/var/lib/hearth/../hearth"),
                Map.entry(HearthConfig.SPARK_HOME.key(), "/opt/spark"),
                Map.entry(DatabaseConfig.URL.key(), "jdbc:postgresql://db/hearth"),
                Map.entry(DatabaseConfig.USER.key(), "hearth"),
                Map.entry(DatabaseConfig.PASSWORD.key(), "secret"),
                Map.entry(HearthConfig.ACCOUNT_ID.key(), "123456789012"),
                Map.entry(StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key(), "5"),
                Map.entry(StepsConfig.STOP_GRACE_PERIOD.key(), "30s"),
                Map.entry(ClustersConfig.MEMORY_FRACTION.key(), "0.25"),
                Map.entry(ClustersConfig.CPU_OVERSUBSCRIPTION.key(), "4"),
                Map.entry(ClustersConfig.START_TIMEOUT.key(), "5m"),
                Map.entry(HearthConfig.HOUSEKEEPING_INTERVAL.key(), "500ms"),
                Map.entry(HttpConfig.MAX_REQUEST_BYTES.key(), "2048"),
                Map.entry(HttpConfig.CORS_ALLOWED_ORIGINS.key(), "http://localhost:3000, HTTPS://Notebook.Example.com:443"),
                Map.entry(CatalogConfig.ENABLED.key(), "false"),
                Map.entry(CatalogConfig.PORT.key(), "9083"),
                Map.entry(CatalogConfig.DATABASE_URL.key(), "jdbc:postgresql://db/metastore"),
                Map.entry(CatalogConfig.DATABASE_USER.key(), "hive"),
                Map.entry(CatalogConfig.DATABASE_PASSWORD.key(), "hive-secret"),
                Map.entry(CatalogConfig.START_TIMEOUT.key(), "90s"),
                Map.entry(CatalogConfig.MAX_HEAP_MB.key(), "2048"),
                Map.entry(CatalogConfig.ALLOWED_LOCAL_ROOTS.key(), " /mnt/lake/../lake, ,/srv/exports "),
                Map.entry(StorageConfig.S3_ENDPOINT.key(), "HTTP://minio.local:9000/"),
                Map.entry(StorageConfig.S3_ACCESS_KEY.key(), "minio"),
                Map.entry(StorageConfig.S3_SECRET_KEY.key(), "minio-secret"),
                Map.entry(StorageConfig.S3_REGION.key(), "eu-west-1"),
                Map.entry(StorageConfig.S3_PATH_STYLE_ACCESS.key(), "false"),
                Map.entry(StorageConfig.S3_LOG_UPLOAD_INTERVAL.key(), "2s")));

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/hearth"));
        assertThat(config.sparkHome()).isEqualTo(Path.of("/opt/spark"));
        assertThat(config.accountId()).isEqualTo("123456789012");
        assertThat(config.housekeepingInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.http()).isEqualTo(new HttpConfig("0.0.0.0", 9000, 2048, List.of("http://localhost:3000", "https://notebook.example.com")));
        assertThat(config.database()).isEqualTo(new DatabaseConfig("jdbc:postgresql://db/hearth", "hearth", "secret"));
        assertThat(config.steps()).isEqualTo(new StepsConfig(5, Duration.ofSeconds(30)));
        assertThat(config.clusters()).isEqualTo(new ClustersConfig(0.25, 4.0, Duration.ofMinutes(5)));
        assertThat(config.catalog()).isEqualTo(new CatalogConfig(false, 9083, "jdbc:postgresql://db/metastore", "hive", "hive-secret",
                Duration.ofSeconds(90), 2048, List.of(Path.of("/mnt/lake"), Path.of("/srv/exports"))));
        assertThat(config.storage()).isEqualTo(
                new StorageConfig(URI.create("http://minio.local:9000"), "minio", "minio-secret", "eu-west-1", false, Duration.ofSeconds(2)));
    }

    @Test
    void withLeavesUnmentionedSettingsAlone() {
        HearthConfig config = with(HttpConfig.PORT.key(), "9000");

        assertThat(config.toProperties()).containsAllEntriesOf(Map.of(
                HttpConfig.BIND_ADDRESS.key(), "127.0.0.1", StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key(), "10000", HearthConfig.HOUSEKEEPING_INTERVAL.key(), "5s"));
        assertThat(config.http().port()).isEqualTo(9000);
    }

    @Test
    void blankDatabaseSettingsMeanUnset() {
        HearthConfig config = HearthConfig.defaults()
                .with(Map.of(DatabaseConfig.URL.key(), "jdbc:h2:mem:x", DatabaseConfig.USER.key(), "sa"))
                .with(Map.of(DatabaseConfig.URL.key(), "  ", DatabaseConfig.USER.key(), ""));

        assertThat(config.database().url()).isNull();
        assertThat(config.database().user()).isNull();
    }

    @Test
    void integerSettingsMayBeSurroundedByWhitespace() {
        assertThat(with(HttpConfig.PORT.key(), " 9001 ").http().port()).isEqualTo(9001);
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with("http.prot", "9000"));

        assertThat(error).hasMessage("Unknown setting 'http.prot'; known settings: " + HearthConfig.keys());
    }

    @Test
    void nonIntegerIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with(HttpConfig.PORT.key(), "eighty"));

        assertThat(error).hasMessage("Setting 'http.port' must be an integer, not 'eighty'");
    }

    @Test
    void integerOutOfRangeIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with(HttpConfig.PORT.key(), "65536"));

        assertThat(error).hasMessage("Setting 'http.port' must be between 0 and 65535, not 65536");
    }

    @Test
    void maxUnfinishedStepsMustBePositive() {
        HearthException error = invalidArgument(() -> with(StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key(), "0"));

        assertThat(error).hasMessage("Setting 'steps.max-unfinished-per-cluster' must be between 1 and 2147483647, not 0");
    }

    @Test
    void maxRequestBytesMustBeAtLeast1024() {
        HearthException error = invalidArgument(() -> with(HttpConfig.MAX_REQUEST_BYTES.key(), "1023"));

        assertThat(error).hasMessage("Setting 'http.max-request-bytes' must be between 1024 and 2147483647, not 1023");
    }

    @Test
    void nonNumberFractionIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with(ClustersConfig.MEMORY_FRACTION.key(), "half"));

        assertThat(error).hasMessage("Setting 'clusters.memory-fraction' must be a number, not 'half'");
    }

    @Test
    void fractionOutOfRangeIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with(ClustersConfig.MEMORY_FRACTION.key(), "1.5"));

        assertThat(error).hasMessage("Setting 'clusters.memory-fraction' must be between 0.01 and 1.0, not 1.5");
    }

    @Test
    void cpuOversubscriptionOutOfRangeIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with(ClustersConfig.CPU_OVERSUBSCRIPTION.key(), "0.05"));

        assertThat(error).hasMessage("Setting 'clusters.cpu-oversubscription' must be between 0.1 and 64.0, not 0.05");
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "' 2 s ', PT2S"})
    void durationsTakeAUnit(String text, Duration expected) {
        assertThat(with(HearthConfig.HOUSEKEEPING_INTERVAL.key(), text).housekeepingInterval()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"30", "1.5s", "5 minutes", "-1s", "1d", "PT30S"})
    void badDurationIsAnErrorNamingTheKey(String text) {
        HearthException error = invalidArgument(() -> with(ClustersConfig.START_TIMEOUT.key(), text));

        assertThat(error).hasMessage("Setting 'clusters.start-timeout' must be a duration such as 500ms, 30s, 5m or 1h, not '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"minio:9000", "s3://bucket", "ftp://host", "http://host:9000/bucket", "http://host?x=1", "http://"})
    void badS3EndpointIsAnErrorNamingTheKey(String text) {
        HearthException error = invalidArgument(() -> with(StorageConfig.S3_ENDPOINT.key(), text));

        assertThat(error).hasMessage("Setting 'storage.s3-endpoint' must be an http:// or https:// URL of an S3-compatible service, such as "
                + "http://127.0.0.1:9000, not '" + text + "'");
    }

    @Test
    void s3KeysGoTogether() {
        HearthException error = invalidArgument(() -> with(StorageConfig.S3_ACCESS_KEY.key(), "minio"));

        assertThat(error).hasMessage("Settings 'storage.s3-access-key' and 'storage.s3-secret-key' go together: set both or neither");
        assertThat(HearthConfig.defaults().storage().usesS3Service()).isFalse();
        assertThat(with(StorageConfig.S3_ENDPOINT.key(), "https://s3.example.com").storage().usesS3Service()).isTrue();
    }

    @Test
    void subSecondStepStopGracePeriodIsAccepted() {
        assertThat(with(StepsConfig.STOP_GRACE_PERIOD.key(), "500ms").steps().stopGracePeriod()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void derivedDirectoriesAreUnderTheDataDirectory() {
        HearthConfig config = with(HearthConfig.DATA_DIRECTORY.key(), "/srv/hearth");

        assertThat(config.logDirectory()).isEqualTo(Path.of("/srv/hearth/logs"));
        assertThat(config.clustersDirectory()).isEqualTo(Path.of("/srv/hearth/clusters"));
        assertThat(config.databaseDirectory()).isEqualTo(Path.of("/srv/hearth/db"));
        assertThat(config.objectStoreDirectory()).isEqualTo(Path.of("/srv/hearth/s3"));
    }

    // --- edge cases found by review ---

    @Test
    void subSecondGracePeriodSurvivesAFurtherWith() {
        HearthConfig config = with(StepsConfig.STOP_GRACE_PERIOD.key(), "500ms").with(Map.of(HttpConfig.PORT.key(), "9000"));

        assertThat(config.steps().stopGracePeriod()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void notANumberFractionIsRejected() {
        HearthException error = invalidArgument(() -> with(ClustersConfig.MEMORY_FRACTION.key(), "NaN"));

        assertThat(error).hasMessageContaining("'clusters.memory-fraction'");
    }

    @Test
    void hugeDurationIsAnErrorNamingTheKey() {
        HearthException error = invalidArgument(() -> with(ClustersConfig.START_TIMEOUT.key(), "99999999999999999999s"));

        assertThat(error).hasMessageContaining("'clusters.start-timeout'");
    }

    @Test
    void zeroHousekeepingIntervalIsRejected() {
        HearthException error = invalidArgument(() -> with(HearthConfig.HOUSEKEEPING_INTERVAL.key(), "0ms"));

        assertThat(error).hasMessageContaining("'housekeeping.interval'");
    }
}
