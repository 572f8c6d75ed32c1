package io.hearth.server.cluster;

import io.hearth.server.config.HadoopXml;
import io.hearth.server.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Writes a cluster's Spark configuration directory (SPARK_CONF_DIR): spark-defaults.conf,
 * log4j2.properties, hive-site.xml, core-site.xml and metrics.properties. Spark's launcher puts
 * this directory first on the classpath of every driver and executor, so the XML files reach
 * Hadoop and Hive inside Spark too.
 */
public final class SparkConfWriter {
    /** Spark's own default logging: INFO to stderr. A spark-log4j2 configuration adds to or replaces these lines. */
    private static final Map<String, String> LOG4J2_DEFAULTS = Map.ofEntries(
            Map.entry("rootLogger.level", "info"),
            Map.entry("rootLogger.appenderRef.stdout.ref", "console"),
            Map.entry("appender.console.type", "Console"),
            Map.entry("appender.console.name", "console"),
            Map.entry("appender.console.target", "SYSTEM_ERR"),
            Map.entry("appender.console.layout.type", "PatternLayout"),
            Map.entry("appender.console.layout.pattern", "%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex"),
            Map.entry("logger.jetty.name", "org.sparkproject.jetty"),
            Map.entry("logger.jetty.level", "warn"),
            Map.entry("logger.parquet.name", "org.apache.parquet"),
            Map.entry("logger.parquet.level", "error"));

    private SparkConfWriter() {}

    public static void write(Path directory, Map<String, String> sparkDefaults, SparkSettings settings) {
        try {
            Files.createDirectories(directory);
            writeProperties(directory.resolve("spark-defaults.conf"), sparkDefaults, "spark-defaults for this cluster, written by Hearth");
            if (!settings.log4j2().isEmpty()) {
                Map<String, String> log4j2 = new TreeMap<>(LOG4J2_DEFAULTS);
                log4j2.putAll(settings.log4j2());
                writeProperties(directory.resolve("log4j2.properties"), log4j2, "spark-log4j2 for this cluster, written by Hearth");
            }
            if (!settings.metrics().isEmpty()) {
                writeProperties(directory.resolve("metrics.properties"), settings.metrics(), "spark-metrics for this cluster, written by Hearth");
            }
            if (!settings.hiveSite().isEmpty()) {
                HadoopXml.write(directory.resolve("hive-site.xml"), settings.hiveSite());
            }
            if (!settings.coreSite().isEmpty()) {
                HadoopXml.write(directory.resolve("core-site.xml"), settings.coreSite());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Spark configuration in " + directory, e);
        }
    }

    /** Writes sorted properties, each escaped by java.util.Properties itself (which Spark and log4j read them with). */
    private static void writeProperties(Path file, Map<String, String> values, String comment) throws IOException {
        StringBuilder text = new StringBuilder("# ").append(comment).append(System.lineSeparator());
        for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
            Properties single = new Properties();
            single.setProperty(entry.getKey(), entry.getValue());
            StringWriter line = new StringWriter();
            single.store(line, null);
            line.toString().lines().filter(row -> !row.startsWith("#")).forEach(row -> text.append(row).append(System.lineSeparator()));
        }
        OwnerOnlyFiles.writeString(file, text.toString());
    }
}
