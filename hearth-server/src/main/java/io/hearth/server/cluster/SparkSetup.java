package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.server.catalog.CatalogEndpoint;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Spark process of a cluster gets: its environment (Spark runtime, configuration
 * directory, the address to listen on, the cluster's Python, the cluster's spark-env exports) and its spark-defaults
 * (Hearth's settings, then maximizeResourceAllocation, then the cluster's own spark-defaults,
 * which win).
 */
final class SparkSetup {
    static final String LISTENER = "io.hearth.spark.report.ApplicationReportListener";
    static final String METASTORE_URIS = "hive.metastore.uris";

    private final Path sparkHome;
    private final String address;
    private final Path warehouseDirectory;
    private final Path modelsDirectory;
    private final Map<String, String> objectStoreSettings;
    private final CatalogEndpoint catalog;
    private final Path localObjectStore;

    /**
     * @param address where every Spark process listens (SPARK_LOCAL_IP, the driver's addresses): Hearth's process address
     * @param localObjectStore where s3:// objects are files on this machine, or null when they live in an S3-compatible service
     */
    SparkSetup(Path sparkHome, String address, Path warehouseDirectory, Path modelsDirectory, Map<String, String> objectStoreSettings,
            CatalogEndpoint catalog, Path localObjectStore) {
        this.sparkHome = requireNonNull(sparkHome, "sparkHome is null");
        this.address = requireNonNull(address, "address is null");
        this.warehouseDirectory = requireNonNull(warehouseDirectory, "warehouseDirectory is null");
        this.modelsDirectory = requireNonNull(modelsDirectory, "modelsDirectory is null");
        this.objectStoreSettings = Map.copyOf(requireNonNull(objectStoreSettings, "objectStoreSettings is null"));
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.localObjectStore = localObjectStore;
    }

    /** Whether the cluster's Spark uses Hearth's catalog (rather than a metastore its own hive-site names). */
    boolean usesHearthCatalog(Cluster cluster) {
        return catalog.metastoreUri().isPresent() && !settings(cluster).hiveSite().containsKey(METASTORE_URIS);
    }

    /**
     * The cluster's hive-site.xml: Hearth's metastore, so every Spark session of the cluster shares one
     * catalog, then what the cluster's hive-site and spark-hive-site configurations say (they win).
     */
    private Map<String, String> hiveSite(SparkSettings settings) {
        Map<String, String> site = new LinkedHashMap<>();
        catalog.metastoreUri().ifPresent(uri -> site.put(METASTORE_URIS, uri.toString()));
        site.putAll(settings.hiveSite());
        return site;
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
            return ConfigurationsJson.fromTree(configurations);
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
        // Spark's RPC endpoints, block managers and web UIs (which otherwise bind every interface) listen here.
        environment.put("SPARK_LOCAL_IP", address);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // The cluster's Python, as /usr/bin/python3 is on an EMR instance: PySpark drivers, their executors'
        // Python workers and bootstrap actions' python3 and pip (a spark-env PYSPARK_PYTHON wins).
        PythonEnvironment.of(paths).ifPresent(python -> {
            environment.put("PYSPARK_PYTHON", python.toString());
            environment.put("PATH", python.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            if (localObjectStore != null) {
                // pip of the cluster's environment reads s3:// requirements and wheel folders from here.
                environment.put("HEARTH_S3_ROOT", localObjectStore.toString());
            }
        });
        environment.putAll(settings(cluster).environment());
        return environment;
    }

    /** Writes the cluster's configuration directory; {@code masterUrl} is null until Spark is up. */
    void writeConfiguration(Cluster cluster, List<Instance> instances, ClusterPaths paths, String masterUrl) {
        SparkSettings settings = settings(cluster);
        SparkConfWriter.write(paths.confDirectory(), sparkDefaults(cluster, instances, masterUrl), settings.withHiveSite(hiveSite(settings)));
    }

    /** The cluster's spark-defaults.conf, as {@link #writeConfiguration} writes it. */
    Map<String, String> sparkDefaults(Cluster cluster, List<Instance> instances, String masterUrl) {
        SparkSettings settings = settings(cluster);
        Map<String, String> defaults = new LinkedHashMap<>();
        if (masterUrl != null) {
            defaults.put("spark.master", masterUrl);
        }
        defaults.put("spark.driver.host", address);
        defaults.put("spark.driver.bindAddress", address);
        defaults.put("spark.ui.showConsoleProgress", "false");
        defaults.put("spark.port.maxRetries", "100");
        defaults.put("spark.sql.warehouse.dir", warehouseDirectory.toUri().toString());
        // Where training jobs (io.hearth.spark.train.TrainModel) register models by default.
        defaults.put("spark.hearth.models.dir", modelsDirectory.toUri().toString());
        // As on EMR, pandas conversions and pandas UDFs go through Arrow.
        defaults.put("spark.sql.execution.arrow.pyspark.enabled", "true");
        Map<String, String> hiveSite = hiveSite(settings);
        if (hiveSite.containsKey(METASTORE_URIS)) {
            defaults.put("spark.sql.catalogImplementation", "hive");
        }
        objectStoreSettings.forEach((key, value) -> {
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
        return defaults;
    }
}
