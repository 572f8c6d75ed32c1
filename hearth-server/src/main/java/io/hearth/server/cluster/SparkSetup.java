package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.aws.AwsJson;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Spark process of a cluster gets: its environment (Spark runtime, configuration
 * directory, loopback address, the cluster's spark-env exports) and its spark-defaults
 * (Hearth's settings, then maximizeResourceAllocation, then the cluster's own spark-defaults,
 * which win).
 */
final class SparkSetup {
    static final String LISTENER = "io.hearth.spark.report.ApplicationReportListener";
    private static final ObjectMapper AWS_JSON = AwsJson.newMapper();

    /** Spark sees s3://, s3a:// and s3n:// as Hearth's object store through this Hadoop file system (from hearth-spark). */
    static final String OBJECT_STORE_FILE_SYSTEM = "io.hearth.spark.fs.LocalObjectStoreFileSystem";
    static final String OBJECT_STORE_FILE_CONTEXT = "io.hearth.spark.fs.LocalObjectStoreFs";
    static final List<String> OBJECT_STORE_SCHEMES = List.of("s3", "s3a", "s3n");

    private final Path sparkHome;
    private final Path warehouseDirectory;
    private final Path objectStoreDirectory;

    SparkSetup(Path sparkHome, Path warehouseDirectory, Path objectStoreDirectory) {
        this.sparkHome = requireNonNull(sparkHome, "sparkHome is null");
        this.warehouseDirectory = requireNonNull(warehouseDirectory, "warehouseDirectory is null");
        this.objectStoreDirectory = requireNonNull(objectStoreDirectory, "objectStoreDirectory is null");
    }

    /** The Hadoop settings that map the S3 schemes to the object store, for Spark and for the metastore. */
    Map<String, String> objectStoreHadoopSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String scheme : OBJECT_STORE_SCHEMES) {
            settings.put("fs." + scheme + ".impl", OBJECT_STORE_FILE_SYSTEM);
            settings.put("fs.AbstractFileSystem." + scheme + ".impl", OBJECT_STORE_FILE_CONTEXT);
        }
        settings.put("hearth.object-store.root", objectStoreDirectory.toString());
        return settings;
    }

    Path sparkHome() {
        return sparkHome;
    }

    static List<Configuration> configurations(Cluster cluster) {
        JsonNode configurations = cluster.request().path("Configurations");
        if (!configurations.isArray()) {
            return List.of();
        }
        try {
            return List.of(AWS_JSON.treeToValue(configurations, Configuration[].class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot read the configurations of cluster " + cluster.id(), e);
        }
    }

    static SparkSettings settings(Cluster cluster) {
        return ConfigurationClassifications.resolve(configurations(cluster));
    }

    Map<String, String> environment(Cluster cluster, ClusterPaths paths) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("SPARK_CONF_DIR", paths.confDirectory().toString());
        environment.put("SPARK_SCALA_VERSION", "2.12");
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.putAll(settings(cluster).environment());
        return environment;
    }

    /** Writes the cluster's configuration directory; {@code masterUrl} is null until Spark is up. */
    void writeConfiguration(Cluster cluster, List<Instance> instances, ClusterPaths paths, String masterUrl) {
        SparkSettings settings = settings(cluster);
        Map<String, String> defaults = new LinkedHashMap<>();
        if (masterUrl != null) {
            defaults.put("spark.master", masterUrl);
        }
        defaults.put("spark.driver.host", "127.0.0.1");
        defaults.put("spark.driver.bindAddress", "127.0.0.1");
        defaults.put("spark.ui.showConsoleProgress", "false");
        defaults.put("spark.port.maxRetries", "100");
        defaults.put("spark.sql.warehouse.dir", warehouseDirectory.toUri().toString());
        objectStoreHadoopSettings().forEach((key, value) -> {
            // A cluster's own core-site or spark-defaults may point a scheme elsewhere; it wins.
            if (!settings.coreSite().containsKey(key)) {
                defaults.put("spark.hadoop." + key, value);
            }
        });
        if (settings.maximizeResourceAllocation()) {
            defaults.putAll(MaximizeResourceAllocation.compute(instances, settings.sparkDefaults()));
        }
        defaults.putAll(settings.sparkDefaults());
        String listeners = settings.sparkDefaults().get("spark.extraListeners");
        defaults.put("spark.extraListeners", listeners == null || listeners.isBlank() ? LISTENER
                : listeners.contains(LISTENER) ? listeners : listeners + "," + LISTENER);
        SparkConfWriter.write(paths.confDirectory(), defaults, settings);
    }
}
