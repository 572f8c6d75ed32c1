package io.hearth.server.testing;

import io.hearth.server.HearthServer;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.HttpConfig;
import io.hearth.server.config.StepsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.waiters.EmrWaiter;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Boots the real Hearth server in-process on a free port of 127.0.0.1 with a fresh data directory,
 * and hands out AWS SDK clients pointed at it. Closing it stops the server (and every process it
 * started) and deletes the data directory.
 */
public final class TestingHearth implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "AKIATESTINGHEARTH";

    private final Path dataDirectory;
    private final Map<String, String> settings;
    private final TestingClock clock;
    private final boolean ownsDataDirectory;
    private HearthServer server;
    private EmrClient emr;
    private EmrWaiter waiter;
    private S3Client s3;
    private GlueClient glue;

    private TestingHearth(Path dataDirectory, Map<String, String> settings, TestingClock clock, boolean ownsDataDirectory) {
        this.dataDirectory = dataDirectory;
        this.settings = settings;
        this.clock = clock;
        this.ownsDataDirectory = ownsDataDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path sparkHome;
        private Path dataDirectory;

        private Builder() {
            settings.put(HearthConfig.HOUSEKEEPING_INTERVAL.key(), "200ms");
            settings.put(StepsConfig.STOP_GRACE_PERIOD.key(), "10s");
        }

        public Builder sparkHome(Path sparkHome) {
            this.sparkHome = sparkHome;
            return this;
        }

        /** A data directory that outlives this instance (for restarts across instances). */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public TestingHearth start() {
            try {
                boolean owned = dataDirectory == null;
                Path data = owned ? Files.createTempDirectory("hearth-test-") : dataDirectory;
                Path runtime = sparkHome != null ? sparkHome : TestingSparkRuntime.fake(data.resolve("fake-spark"));
                if (sparkHome == null) {
                    // The fake runtime has no jars to run a metastore from.
                    settings.putIfAbsent(CatalogConfig.ENABLED.key(), "false");
                }
                settings.put(HearthConfig.SPARK_HOME.key(), runtime.toString());
                settings.put(HearthConfig.DATA_DIRECTORY.key(), data.toString());
                settings.putIfAbsent(HttpConfig.PORT.key(), "0");
                TestingHearth hearth = new TestingHearth(data, new LinkedHashMap<>(settings), new TestingClock(), owned);
                hearth.startServer();
                return hearth;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void startServer() {
        server = HearthServer.start(HearthConfig.defaults().with(settings), clock);
        emr = EmrClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, "testing-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        glue = GlueClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, "testing-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, "testing-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        waiter = EmrWaiter.builder()
                .client(emr)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100)))
                        .maxAttempts(3000)
                        .build())
                .build();
    }

    /** Stops the server as Ctrl-C would and starts it again on the same data directory (and port). */
    public void restart() {
        stopServer();
        settings.put(HttpConfig.PORT.key(), Integer.toString(endpoint().getPort()));
        startServer();
    }

    public EmrClient emr() {
        return emr;
    }

    public EmrWaiter waiter() {
        return waiter;
    }

    /** A Glue client pointed at Hearth's Glue API (the catalog must be enabled, with a real Spark runtime). */
    public GlueClient glue() {
        return glue;
    }

    /** An S3 client with the SDK's default settings, pointed at Hearth's S3 API. */
    public S3Client s3() {
        return s3;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public HearthServer server() {
        return server;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public TestingClock clock() {
        return clock;
    }

    /**
     * Calls an EMR operation with a raw JSON body, for members newer than the AWS SDK version the
     * tests use; returns the response body (the error body for a 4xx).
     */
    public com.fasterxml.jackson.databind.JsonNode callEmr(String operation, String json) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "ElasticMapReduce." + operation)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/20261121/us-east-1/elasticmapreduce/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-target, Signature=00")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A step's log directory under the default log root. */
    public Path stepLogs(String clusterId, String stepId) {
        return dataDirectory.resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId);
    }

    private void stopServer() {
        if (waiter != null) {
            waiter.close();
        }
        if (emr != null) {
            emr.close();
        }
        if (glue != null) {
            glue.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() {
        stopServer();
        if (ownsDataDirectory) {
            deleteRecursively(dataDirectory);
        }
    }

    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
