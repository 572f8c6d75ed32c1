package io.hearth.server.cluster;

import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The EMR configuration classifications Hearth understands. Those that configure Spark reach
 * every Spark process of the cluster; those of EMR applications Hearth does not run (YARN, HDFS,
 * EMRFS, Livy) are accepted so existing configurations keep working, and the cluster log says
 * they had no effect. Anything else is rejected.
 */
public final class ConfigurationClassifications {
    static final Set<String> APPLIED = Set.of(
            "spark", "spark-defaults", "spark-env", "spark-log4j2", "spark-hive-site", "hive-site", "core-site", "spark-metrics");

    static final Set<String> ACCEPTED_WITHOUT_EFFECT = Set.of(
            "spark-log4j", "hadoop-env", "hadoop-log4j", "hdfs-site", "hdfs-env", "mapred-site", "mapred-env",
            "yarn-site", "yarn-env", "capacity-scheduler", "container-executor", "container-log4j", "emrfs-site",
            "hive", "hive-env", "hive-log4j2", "hive-exec-log4j2", "hiveserver2-site", "hive-parquet-logging",
            "hive-beeline-log4j2", "livy-conf", "livy-env", "livy-log4j2", "jupyter-notebook-conf", "zeppelin-env");

    private ConfigurationClassifications() {}

    /** Checks classifications and nesting; errors name the member, e.g. {@code Configurations.2.Classification}. */
    public static void validate(List<Configuration> configurations, String member) {
        for (int i = 0; i < configurations.size(); i++) {
            Configuration configuration = configurations.get(i);
            String path = member + "." + (i + 1);
            String classification = configuration.classification();
            if (classification == null || classification.isBlank()) {
                throw HearthException.invalidArgument("%s.Classification is required", path);
            }
            String name = classification.toLowerCase(Locale.ROOT);
            if (!APPLIED.contains(name) && !ACCEPTED_WITHOUT_EFFECT.contains(name)) {
                Set<String> known = new TreeSet<>(APPLIED);
                known.addAll(ACCEPTED_WITHOUT_EFFECT);
                throw HearthException.invalidArgument("%s.Classification '%s' is not a known configuration classification; known: %s",
                        path, classification, known);
            }
            for (int j = 0; j < configuration.configurations().size(); j++) {
                Configuration nested = configuration.configurations().get(j);
                String nestedPath = path + ".Configurations." + (j + 1);
                if (!name.endsWith("-env") || !"export".equalsIgnoreCase(nested.classification())) {
                    throw HearthException.invalidArgument("%s.Classification '%s' cannot be nested in '%s': only 'export' may be nested, inside an -env classification",
                            nestedPath, nested.classification(), classification);
                }
                if (!nested.configurations().isEmpty()) {
                    throw HearthException.invalidArgument("%s.Configurations must be empty: 'export' takes properties only", nestedPath);
                }
            }
            if (name.equals("spark")) {
                for (Map.Entry<String, String> property : configuration.properties().entrySet()) {
                    if (!property.getKey().equals("maximizeResourceAllocation")) {
                        throw HearthException.invalidArgument("%s.Properties: classification 'spark' takes only maximizeResourceAllocation, not '%s'",
                                path, property.getKey());
                    }
                    if (!property.getValue().equalsIgnoreCase("true") && !property.getValue().equalsIgnoreCase("false")) {
                        throw HearthException.invalidArgument("%s.Properties.maximizeResourceAllocation must be 'true' or 'false', not '%s'",
                                path, property.getValue());
                    }
                }
            }
        }
    }

    static final String CLIENT_FACTORY_PROPERTY = "hive.metastore.client.factory.class";
    static final String GLUE_CLIENT_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory";

    /** Collects what the (validated) configurations ask of Spark; later entries win over earlier ones. */
    public static SparkSettings resolve(List<Configuration> configurations) {
        Map<String, String> sparkDefaults = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, String> log4j2 = new LinkedHashMap<>();
        Map<String, String> hiveSite = new LinkedHashMap<>();
        Map<String, String> sparkHiveSite = new LinkedHashMap<>();
        Map<String, String> coreSite = new LinkedHashMap<>();
        Map<String, String> metrics = new LinkedHashMap<>();
        boolean maximize = false;
        List<String> notes = new ArrayList<>();
        for (Configuration configuration : configurations) {
            String name = configuration.classification().toLowerCase(Locale.ROOT);
            switch (name) {
                case "spark" -> maximize = Boolean.parseBoolean(configuration.properties().getOrDefault("maximizeResourceAllocation", "false"));
                case "spark-defaults" -> sparkDefaults.putAll(configuration.properties());
                case "spark-env" -> {
                    configuration.configurations().forEach(export -> environment.putAll(export.properties()));
                    if (!configuration.properties().isEmpty()) {
                        notes.add("Properties of 'spark-env' outside its nested 'export' configuration were ignored: "
                                + configuration.properties().keySet() + "; put environment variables in an 'export' configuration");
                    }
                }
                case "spark-log4j2" -> log4j2.putAll(configuration.properties());
                case "spark-hive-site" -> sparkHiveSite.putAll(configuration.properties());
                case "hive-site" -> hiveSite.putAll(configuration.properties());
                case "core-site" -> coreSite.putAll(configuration.properties());
                case "spark-metrics" -> metrics.putAll(configuration.properties());
                default -> notes.add("Configuration classification '" + configuration.classification()
                        + "' was accepted but has no effect: Hearth runs Spark without " + application(name));
            }
        }
        // Spark reads one hive-site.xml: hive-site first, spark-hive-site (Spark's own) wins.
        hiveSite.putAll(sparkHiveSite);
        if (GLUE_CLIENT_FACTORY.equals(hiveSite.get(CLIENT_FACTORY_PROPERTY))) {
            // EMR's switch to the Glue Data Catalog: on Hearth that catalog is Hearth's own metastore.
            hiveSite.remove(CLIENT_FACTORY_PROPERTY);
            notes.add("hive-site: " + CLIENT_FACTORY_PROPERTY + " names the AWS Glue Data Catalog client; Spark uses Hearth's catalog,"
                    + " which the Glue API serves");
        }
        return new SparkSettings(sparkDefaults, environment, log4j2, hiveSite, coreSite, metrics, maximize, notes);
    }

    private static String application(String classification) {
        if (classification.startsWith("yarn") || classification.startsWith("capacity") || classification.startsWith("container")) {
            return "YARN";
        }
        if (classification.startsWith("hdfs") || classification.startsWith("hadoop") || classification.startsWith("mapred")) {
            return "HDFS or MapReduce";
        }
        if (classification.startsWith("hive")) {
            return "a Hive server (Spark SQL and the metastore serve Hive tables)";
        }
        if (classification.startsWith("emrfs")) {
            return "EMRFS";
        }
        if (classification.equals("spark-log4j")) {
            return "log4j 1 (Spark 3.5 uses spark-log4j2)";
        }
        return "that application";
    }
}
