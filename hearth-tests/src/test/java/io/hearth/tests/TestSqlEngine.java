package io.hearth.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.sql.EngineClient;
import io.hearth.server.sql.EngineClient.QueryRequest;
import io.hearth.server.sql.EngineClient.QueryStatus;
import io.hearth.server.sql.SqlEngine;
import io.hearth.server.testing.TestingHearth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;

/**
 * The SQL engine on a real Hearth, started on first use: queries over a Glue table, a CTAS whose table Glue lists at
 * once, beeline over its JDBC endpoint, and a {@code kill -9} during a query (the query is lost and said so, the
 * supervisor restarts the engine, the next query succeeds).
 */
class TestSqlEngine {
    private static TestingHearth hearth;
    private static SqlEngine engine;
    private static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        engine = hearth.server().sqlEngine().orElseThrow();
        assertThat(engine.running()).as("the engine starts on first use").isFalse();
        glue = hearth.glue();
        hearth.s3().createBucket(r -> r.bucket("lake"));
        hearth.s3().putObject(r -> r.bucket("lake").key("sales/part-0.csv"), RequestBody.fromString("north,100.0\nsouth,50.0\nnorth,20.0\n"));
        glue.createDatabase(r -> r.databaseInput(d -> d.name("shop")));
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("sales", "s3://lake/sales/", Map.of(),
                Column.builder().name("region").type("string").build(), Column.builder().name("amount").type("double").build())));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    private static QueryStatus run(String sql, String database) throws Exception {
        EngineClient client = engine.awaitClient();
        String id = UUID.randomUUID().toString();
        QueryStatus status = client.submit(new QueryRequest(id, sql, database, result(id).toString(), 0));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!status.ended() && System.nanoTime() < deadline) {
            status = client.status(id, Duration.ofSeconds(10));
        }
        return status;
    }

    private static String engineLog() throws java.io.IOException {
        List<String> lines = Files.readAllLines(engine.logFile());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static Path result(String id) {
        return engine.resultsDirectory().resolve(id + ".csv");
    }

    @Test
    void queriesSeeGlueTablesAndTheTablesTheyCreateAreInGlueAtOnce() throws Exception {
        QueryStatus totals = run("SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region", "shop");
        assertThat(totals.state()).as("%s; the engine's log ends:%n%s", totals.error(), engineLog()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(result(totals.id()))).isEqualTo("\"region\",\"total\"\n\"north\",\"120.0\"\n\"south\",\"50.0\"\n");
        assertThat(totals.columns()).extracting(EngineClient.Column::type).containsExactly("varchar", "double");
        assertThat(totals.bytesScanned()).isEqualTo(Files.size(hearth.dataDirectory().resolve("s3/lake/sales/part-0.csv")));

        QueryStatus created = run("CREATE TABLE shop.region_totals USING parquet AS SELECT region, sum(amount) AS total FROM shop.sales GROUP BY region",
                "default");
        assertThat(created.state()).as(created.error()).isEqualTo("SUCCEEDED");
        assertThat(created.statementType()).isEqualTo("DML");
        assertThat(glue.getTable(r -> r.databaseName("shop").name("region_totals")).table().storageDescriptor().columns())
                .extracting(Column::name).containsExactly("region", "total");

        QueryStatus missing = run("SELECT * FROM shop.no_such_table", "default");
        assertThat(missing.state()).isEqualTo("FAILED");
        assertThat(missing.userError()).isTrue();
        assertThat(missing.errorType()).isEqualTo("TABLE_OR_VIEW_NOT_FOUND");
    }

    @Test
    void beelineQueriesTheEngineOverJdbc() throws Exception {
        run("SELECT 1", "default");
        int port = engine.jdbcPort().orElseThrow();
        ExternalCommand.Result beeline = ExternalCommand.run(List.of(Distribution.sparkHome().resolve("bin").resolve("beeline").toString(),
                "-u", "jdbc:hive2://127.0.0.1:" + port + "/shop", "--silent=true", "--outputformat=csv2",
                "-e", "SELECT region, count(*) AS sales FROM sales GROUP BY region ORDER BY region"),
                Map.of("SPARK_HOME", Distribution.sparkHome().toString()), null, 180);
        assertThat(beeline.exitCode()).as(beeline.stderr()).isZero();
        // Beeline prints its prompt before the first line of the answer.
        assertThat(beeline.stdout().lines().map(line -> line.replaceFirst("^\\d+: jdbc:\\S+> ", "")).filter(line -> !line.isBlank()))
                .containsExactly("region,sales", "north,2", "south,1");
    }

    @Test
    void aKilledEngineLosesItsQueryWithAReasonAndIsRestarted() throws Exception {
        List<String> lost = new CopyOnWriteArrayList<>();
        engine.onEngineLost(lost::add);
        EngineClient client = engine.awaitClient();
        String id = UUID.randomUUID().toString();
        client.submit(new QueryRequest(id, "SELECT count(*) FROM range(0, 100000000000, 1, 2) WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL",
                "default", result(id).toString(), 0));
        List<ProcessHandle> engines = Distribution.processesMentioning(hearth.dataDirectory().resolve("sql").toString()).stream()
                .filter(process -> process.info().commandLine().orElse("").contains("io.hearth.spark.sql.SqlEngineMain")).toList();
        engines = engines.stream().filter(process -> process.info().command().orElse("").endsWith("/java")).toList();
        assertThat(engines).hasSize(1);
        engines.get(0).destroyForcibly();

        await().atMost(Duration.ofMinutes(1)).until(() -> !lost.isEmpty());
        assertThat(lost.get(0)).startsWith("The SQL engine (process ").contains("exited with code 137; it is restarting");
        await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(() -> run("SELECT 41 + 1 AS answer", "default").state().equals("SUCCEEDED"));
    }
}
