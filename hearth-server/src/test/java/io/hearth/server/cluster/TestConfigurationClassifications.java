package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestConfigurationClassifications {
    private static final String KNOWN = "[capacity-scheduler, container-executor, container-log4j, core-site, emrfs-site, hadoop-env, "
            + "hadoop-log4j, hdfs-env, hdfs-site, hive, hive-beeline-log4j2, hive-env, hive-exec-log4j2, hive-log4j2, hive-parquet-logging, "
            + "hive-site, hiveserver2-site, jupyter-notebook-conf, livy-conf, livy-env, livy-log4j2, mapred-env, mapred-site, spark, "
            + "spark-defaults, spark-env, spark-hive-site, spark-log4j, spark-log4j2, spark-metrics, yarn-env, yarn-site, zeppelin-env]";

    private static Configuration config(String classification, Map<String, String> properties, Configuration... nested) {
        return new Configuration(classification, properties, List.of(nested));
    }

    private static void validate(Configuration... configurations) {
        ConfigurationClassifications.validate(List.of(configurations), "Configurations");
    }

    // ---- validate ----

    @Test
    void unknownClassificationIsRejectedNamingItsMemberAndListingKnownOnes() {
        assertThatThrownBy(() -> validate(config("spark-defaults", Map.of("a", "b")), config("presto-config", Map.of())))
                .isInstanceOf(HearthException.class)
                .hasMessage("Configurations.2.Classification 'presto-config' is not a known configuration classification; known: " + KNOWN)
                .extracting(e -> ((HearthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void missingClassificationIsRejected() {
        assertThatThrownBy(() -> validate(config(null, Map.of("a", "b"))))
                .isInstanceOf(HearthException.class)
                .hasMessage("Configurations.1.Classification is required");
        assertThatThrownBy(() -> validate(config(" ", Map.of())))
                .hasMessage("Configurations.1.Classification is required");
    }

    @Test
    void classificationsAreCaseInsensitive() {
        assertThatCode(() -> validate(config("Spark-Defaults", Map.of("spark.a", "1")), config("SPARK", Map.of("maximizeResourceAllocation", "TRUE"))))
                .doesNotThrowAnyException();
    }

    @Test
    void nestedConfigurationOtherThanExportIsRejected() {
        assertThatThrownBy(() -> validate(config("spark-env", Map.of(), config("spark-defaults", Map.of()))))
                .isInstanceOf(HearthException.class)
                .hasMessage("Configurations.1.Configurations.1.Classification 'spark-defaults' cannot be nested in 'spark-env': "
                        + "only 'export' may be nested, inside an -env classification");
    }

    @Test
    void exportNestedOutsideAnEnvClassificationIsRejected() {
        assertThatThrownBy(() -> validate(config("spark-defaults", Map.of(), config("export", Map.of("A", "1")))))
                .hasMessage("Configurations.1.Configurations.1.Classification 'export' cannot be nested in 'spark-defaults': "
                        + "only 'export' may be nested, inside an -env classification");
    }

    @Test
    void exportNestedUnderSparkEnvIsAccepted() {
        assertThatCode(() -> validate(config("spark-env", Map.of(), config("export", Map.of("PYSPARK_PYTHON", "/usr/bin/python3")))))
                .doesNotThrowAnyException();
    }

    @Test
    void exportMustNotHaveNestedConfigurations() {
        assertThatThrownBy(() -> validate(config("spark-env", Map.of(), config("export", Map.of(), config("export", Map.of())))))
                .hasMessage("Configurations.1.Configurations.1.Configurations must be empty: 'export' takes properties only");
    }

    @Test
    void sparkClassificationTakesOnlyMaximizeResourceAllocation() {
        assertThatThrownBy(() -> validate(config("spark", Map.of("spark.executor.memory", "2g"))))
                .isInstanceOf(HearthException.class)
                .hasMessage("Configurations.1.Properties: classification 'spark' takes only maximizeResourceAllocation, not 'spark.executor.memory'");
    }

    @Test
    void maximizeResourceAllocationMustBeTrueOrFalse() {
        assertThatThrownBy(() -> validate(config("spark", Map.of("maximizeResourceAllocation", "yes"))))
                .isInstanceOf(HearthException.class)
                .hasMessage("Configurations.1.Properties.maximizeResourceAllocation must be 'true' or 'false', not 'yes'");
    }

    @Test
    void validConfigurationsPass() {
        assertThatCode(() -> validate(
                config("spark", Map.of("maximizeResourceAllocation", "false")),
                config("spark-defaults", Map.of("spark.sql.shuffle.partitions", "8")),
                config("yarn-site", Map.of("yarn.nodemanager.vmem-check-enabled", "false")),
                config("hadoop-env", Map.of(), config("EXPORT", Map.of("HADOOP_X", "1")))))
                .doesNotThrowAnyException();
    }

    // ---- resolve ----

    @Test
    void resolveCollectsEachClassificationIntoItsTarget() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(
                config("spark-defaults", Map.of("spark.a", "1")),
                config("spark-env", Map.of(), config("export", Map.of("JAVA_OPTS", "-Xss4m"))),
                config("spark-log4j2", Map.of("rootLogger.level", "warn")),
                config("core-site", Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000")),
                config("spark-metrics", Map.of("*.sink.console.class", "org.apache.spark.metrics.sink.ConsoleSink"))));

        assertThat(settings.sparkDefaults()).containsExactly(Map.entry("spark.a", "1"));
        assertThat(settings.environment()).containsExactly(Map.entry("JAVA_OPTS", "-Xss4m"));
        assertThat(settings.log4j2()).containsExactly(Map.entry("rootLogger.level", "warn"));
        assertThat(settings.coreSite()).containsExactly(Map.entry("fs.s3a.endpoint", "http://127.0.0.1:9000"));
        assertThat(settings.metrics()).containsExactly(Map.entry("*.sink.console.class", "org.apache.spark.metrics.sink.ConsoleSink"));
        assertThat(settings.hiveSite()).isEmpty();
        assertThat(settings.maximizeResourceAllocation()).isFalse();
        assertThat(settings.notes()).isEmpty();
    }

    @Test
    void laterConfigurationsWinOverEarlierOnes() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(
                config("spark-defaults", Map.of("spark.a", "1")),
                config("spark-defaults", Map.of("spark.a", "2"))));

        assertThat(settings.sparkDefaults()).containsExactly(Map.entry("spark.a", "2"));
    }

    @Test
    void sparkHiveSiteWinsOverHiveSiteForTheSameKeyWhateverTheOrder() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(
                config("spark-hive-site", Map.of("hive.metastore.uris", "thrift://spark:9083")),
                config("hive-site", Map.of("hive.metastore.uris", "thrift://hive:9083", "hive.other", "x"))));

        assertThat(settings.hiveSite()).containsOnly(
                Map.entry("hive.metastore.uris", "thrift://spark:9083"),
                Map.entry("hive.other", "x"));
    }

    @Test
    void maximizeResourceAllocationFlag() {
        assertThat(ConfigurationClassifications.resolve(List.of(config("spark", Map.of("maximizeResourceAllocation", "true"))))
                .maximizeResourceAllocation()).isTrue();
        assertThat(ConfigurationClassifications.resolve(List.of(config("Spark", Map.of("maximizeResourceAllocation", "TRUE"))))
                .maximizeResourceAllocation()).isTrue();
        assertThat(ConfigurationClassifications.resolve(List.of(config("spark", Map.of("maximizeResourceAllocation", "false"))))
                .maximizeResourceAllocation()).isFalse();
    }

    @Test
    void yarnSiteIsAcceptedWithANoteThatItHasNoEffect() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(
                config("yarn-site", Map.of("yarn.nodemanager.vmem-check-enabled", "false"))));

        assertThat(settings.notes()).containsExactly(
                "Configuration classification 'yarn-site' was accepted but has no effect: Hearth runs Spark without YARN");
        assertThat(settings.sparkDefaults()).isEmpty();
    }

    @Test
    void otherAcceptedClassificationsNameWhatIsMissing() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(
                config("hdfs-site", Map.of()), config("hive-env", Map.of()), config("emrfs-site", Map.of()),
                config("spark-log4j", Map.of()), config("livy-conf", Map.of())));

        assertThat(settings.notes()).containsExactly(
                "Configuration classification 'hdfs-site' was accepted but has no effect: Hearth runs Spark without HDFS or MapReduce",
                "Configuration classification 'hive-env' was accepted but has no effect: Hearth runs Spark without a Hive server (Spark SQL and the metastore serve Hive tables)",
                "Configuration classification 'emrfs-site' was accepted but has no effect: Hearth runs Spark without EMRFS",
                "Configuration classification 'spark-log4j' was accepted but has no effect: Hearth runs Spark without log4j 1 (Spark 3.5 uses spark-log4j2)",
                "Configuration classification 'livy-conf' was accepted but has no effect: Hearth runs Spark without that application");
    }

    @Test
    void theGlueDataCatalogClientMeansHearthsCatalog() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(config("spark-hive-site", Map.of(
                "hive.metastore.client.factory.class", "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
                "hive.exec.dynamic.partition.mode", "nonstrict"))));

        assertThat(settings.hiveSite()).containsExactly(Map.entry("hive.exec.dynamic.partition.mode", "nonstrict"));
        assertThat(settings.notes()).singleElement().asString().contains("AWS Glue Data Catalog client").contains("Hearth's catalog");
    }

    @Test
    void anotherMetastoreClientFactoryIsKept() {
        SparkSettings settings = ConfigurationClassifications.resolve(List.of(config("hive-site", Map.of(
                "hive.metastore.client.factory.class", "org.example.MyFactory"))));

        assertThat(settings.hiveSite()).containsEntry("hive.metastore.client.factory.class", "org.example.MyFactory");
        assertThat(settings.notes()).isEmpty();
    }
}
