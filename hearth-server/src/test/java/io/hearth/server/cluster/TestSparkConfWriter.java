package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TestSparkConfWriter {
    @TempDir
    Path temp;

    private static SparkSettings settings(Map<String, String> log4j2, Map<String, String> hiveSite, Map<String, String> coreSite,
            Map<String, String> metrics) {
        return new SparkSettings(Map.of(), Map.of(), log4j2, hiveSite, coreSite, metrics, false, List.of());
    }

    private static final SparkSettings NOTHING = settings(Map.of(), Map.of(), Map.of(), Map.of());

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static Map<String, String> hadoopXml(Path file) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        assertThat(document.getDocumentElement().getTagName()).isEqualTo("configuration");
        Map<String, String> values = new LinkedHashMap<>();
        NodeList properties = document.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            values.put(property.getElementsByTagName("name").item(0).getTextContent(),
                    property.getElementsByTagName("value").item(0).getTextContent());
        }
        return values;
    }

    @Test
    void sparkDefaultsAreSortedKeyValueLinesReadableByProperties() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("spark.z", "last");
        defaults.put("spark.master", "spark://127.0.0.1:7077");
        defaults.put("spark.driver.extraJavaOptions", "-Da=b -Dc=d:e #not a comment");
        defaults.put("spark.a", "1");

        SparkConfWriter.write(temp.resolve("conf"), defaults, NOTHING);

        Path file = temp.resolve("conf/spark-defaults.conf");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("# spark-defaults for this cluster, written by Hearth");
        assertThat(lines.subList(1, lines.size())).hasSize(4);
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.substring(0, line.indexOf('=')))
                .containsExactly("spark.a", "spark.driver.extraJavaOptions", "spark.master", "spark.z");
        assertThat(lines.get(1)).isEqualTo("spark.a=1");
        Properties read = load(file);
        assertThat(read).hasSize(4)
                .containsEntry("spark.a", "1")
                .containsEntry("spark.driver.extraJavaOptions", "-Da=b -Dc=d:e #not a comment")
                .containsEntry("spark.master", "spark://127.0.0.1:7077")
                .containsEntry("spark.z", "last");
    }

    @Test
    void onlySparkDefaultsIsWrittenWithoutOtherSettings() throws IOException {
        SparkConfWriter.write(temp.resolve("conf"), Map.of("spark.a", "1"), NOTHING);

        try (var files = Files.list(temp.resolve("conf"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("spark-defaults.conf");
        }
    }

    @Test
    void log4j2HasHearthsDefaultsPlusTheOverride() throws IOException {
        SparkConfWriter.write(temp, Map.of(), settings(
                Map.of("rootLogger.level", "warn", "logger.mine.name", "com.example", "logger.mine.level", "debug"), Map.of(), Map.of(), Map.of()));

        Path file = temp.resolve("log4j2.properties");
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("# spark-log4j2 for this cluster, written by Hearth");
        Properties read = load(file);
        assertThat(read)
                .containsEntry("rootLogger.level", "warn")
                .containsEntry("logger.mine.name", "com.example")
                .containsEntry("logger.mine.level", "debug")
                .containsEntry("rootLogger.appenderRef.stdout.ref", "console")
                .containsEntry("appender.console.type", "Console")
                .containsEntry("appender.console.target", "SYSTEM_ERR")
                .containsEntry("appender.console.layout.pattern", "%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex")
                .containsEntry("logger.jetty.name", "org.sparkproject.jetty")
                .containsEntry("logger.parquet.level", "error")
                .hasSize(13);
    }

    @Test
    void hiveSiteAndCoreSiteAreValidXmlWithEscapedValues() throws Exception {
        SparkConfWriter.write(temp, Map.of(), settings(Map.of(),
                Map.of("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=a<b&c>\"d'", "hive.b", "2"),
                Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000/?a=1&b=2"),
                Map.of()));

        assertThat(hadoopXml(temp.resolve("hive-site.xml"))).containsExactly(
                Map.entry("hive.b", "2"),
                Map.entry("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=a<b&c>\"d'"));
        assertThat(hadoopXml(temp.resolve("core-site.xml"))).containsExactly(
                Map.entry("fs.s3a.endpoint", "http://127.0.0.1:9000/?a=1&b=2"));
        assertThat(Files.readString(temp.resolve("hive-site.xml"))).contains("a&lt;b&amp;c&gt;&quot;d&apos;");
    }

    @Test
    void metricsPropertiesAreWritten() throws IOException {
        SparkConfWriter.write(temp, Map.of(), settings(Map.of(), Map.of(), Map.of(),
                Map.of("*.sink.console.class", "org.apache.spark.metrics.sink.ConsoleSink", "*.sink.console.period", "10")));

        Path file = temp.resolve("metrics.properties");
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("# spark-metrics for this cluster, written by Hearth");
        assertThat(load(file)).hasSize(2)
                .containsEntry("*.sink.console.class", "org.apache.spark.metrics.sink.ConsoleSink")
                .containsEntry("*.sink.console.period", "10");
    }

    @Test
    void keysAndValuesWithSpecialCharactersRoundTrip() throws IOException {
        Map<String, String> defaults = Map.of("key with space", " leading space", "k:colon", "a\\b", "#hash", "line1\nline2", "uni", "é✓");

        SparkConfWriter.write(temp, defaults, NOTHING);

        Properties read = load(temp.resolve("spark-defaults.conf"));
        assertThat(read).hasSize(4)
                .containsEntry("key with space", " leading space")
                .containsEntry("k:colon", "a\\b")
                .containsEntry("#hash", "line1\nline2")
                .containsEntry("uni", "é✓");
    }
}
