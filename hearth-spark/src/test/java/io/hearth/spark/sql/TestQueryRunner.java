package io.hearth.spark.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's query runner on a local Spark session: results as Athena's CSV, failures, cancels, the scan cutoff. */
class TestQueryRunner {
    private static SparkSession spark;
    private static QueryRunner runner;

    @TempDir
    Path directory;

    @TempDir
    static Path warehouse;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("query runner tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        runner = new QueryRunner(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private EngineQuery.Status run(String sql, long maxBytesScanned) throws InterruptedException {
        String id = UUID.randomUUID().toString();
        EngineQuery query = runner.submit(new EngineQuery.Request(id, sql, "default", directory.resolve(id + ".csv").toString(), maxBytesScanned));
        query.awaitEnd(120_000);
        return runner.status(query);
    }

    private String result(EngineQuery.Status status) throws IOException {
        return Files.readString(directory.resolve(status.id() + ".csv"), StandardCharsets.UTF_8);
    }

    @Test
    void aSelectWritesAthenasCsvAndDescribesItsColumns() throws Exception {
        EngineQuery.Status status = run("SELECT 1 AS one, 'say \"hi\"' AS text, CAST(NULL AS STRING) AS nothing, CAST(2.50 AS DECIMAL(5,2)) AS amount", 0);
        assertThat(status.state()).isEqualTo(EngineQuery.State.SUCCEEDED);
        assertThat(status.statementType()).isEqualTo("DML");
        assertThat(status.rows()).isEqualTo(1);
        assertThat(result(status)).isEqualTo("\"one\",\"text\",\"nothing\",\"amount\"\n\"1\",\"say \"\"hi\"\"\",,\"2.50\"\n");
        assertThat(status.columns()).containsExactly(
                new ResultColumn("one", "integer", 10, 0, "NOT_NULL"),
                new ResultColumn("text", "varchar", Integer.MAX_VALUE, 0, "NOT_NULL"),
                new ResultColumn("nothing", "varchar", Integer.MAX_VALUE, 0, "NULLABLE"),
                new ResultColumn("amount", "decimal", 5, 2, "NOT_NULL"));
    }

    @Test
    void duplicateColumnNamesAndManyRowsAreWritten() throws Exception {
        EngineQuery.Status status = run("SELECT id, id FROM range(0, 1000, 1, 4)", 0);
        assertThat(status.state()).isEqualTo(EngineQuery.State.SUCCEEDED);
        assertThat(status.rows()).isEqualTo(1000);
        assertThat(result(status).lines()).hasSize(1001).startsWith("\"id\",\"id\"", "\"0\",\"0\"").endsWith("\"999\",\"999\"");
    }

    @Test
    void aMistakeFailsTheQueryWithSparksMessageAndErrorClass() throws Exception {
        EngineQuery.Status unknown = run("SELECT * FROM no_such_table", 0);
        assertThat(unknown.state()).isEqualTo(EngineQuery.State.FAILED);
        assertThat(unknown.userError()).isTrue();
        assertThat(unknown.errorType()).isEqualTo("TABLE_OR_VIEW_NOT_FOUND");
        assertThat(unknown.error()).contains("no_such_table").contains("line 1 pos 14");

        EngineQuery.Status syntax = run("SELEC 1", 0);
        assertThat(syntax.state()).isEqualTo(EngineQuery.State.FAILED);
        assertThat(syntax.userError()).isTrue();
        assertThat(syntax.errorType()).isEqualTo("PARSE_SYNTAX_ERROR");
    }

    @Test
    void ddlAndWritesReportNoRowsButWhatTheyWrote() throws Exception {
        assertThat(run("CREATE TABLE written (id BIGINT) USING parquet", 0).statementType()).isEqualTo("DDL");
        EngineQuery.Status insert = run("INSERT INTO written SELECT id FROM range(7)", 0);
        assertThat(insert.state()).isEqualTo(EngineQuery.State.SUCCEEDED);
        assertThat(insert.statementType()).isEqualTo("DML");
        assertThat(insert.updateCount()).isEqualTo(7L);
        assertThat(result(insert)).isEmpty();
        EngineQuery.Status count = run("SELECT count(*) AS n FROM written", 0);
        assertThat(result(count)).isEqualTo("\"n\"\n\"7\"\n");
        assertThat(count.bytesScanned()).isPositive();
    }

    @Test
    void aCancelledQueryEndsCancelledAndItsJobsStop() throws Exception {
        String id = UUID.randomUUID().toString();
        EngineQuery query = runner.submit(new EngineQuery.Request(id, "SELECT count(*) FROM range(0, 100000000000, 1, 4) WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL",
                null, directory.resolve(id + ".csv").toString(), 0));
        Thread.sleep(1500);
        assertThat(runner.cancel(query, "Query was cancelled by the user")).isTrue();
        query.awaitEnd(60_000);
        EngineQuery.Status status = runner.status(query);
        assertThat(status.state()).isEqualTo(EngineQuery.State.CANCELLED);
        assertThat(status.error()).isEqualTo("Query was cancelled by the user");
        assertThat(spark.sparkContext().statusTracker().getActiveJobIds()).isEmpty();
    }

    @Test
    void aQueryOverItsBytesScannedCutoffIsCancelled() throws Exception {
        Path data = directory.resolve("numbers");
        spark.range(0, 40_000, 1, 4).selectExpr("id", "uuid() AS text").write().parquet(data.toString());
        EngineQuery.Status status = run("SELECT count(DISTINCT text) FROM parquet.`" + data + "`", 50_000);
        assertThat(status.state()).isEqualTo(EngineQuery.State.CANCELLED);
        assertThat(status.error()).startsWith("Query exhausted the bytes scanned limit").contains("allows 50000 per query");
        assertThat(status.bytesScanned()).isGreaterThan(50_000);
    }

    @Test
    void statementTypesFollowAthena() {
        assertThat(StatementType.of("-- a comment\n  select 1")).isEqualTo(StatementType.DML);
        assertThat(StatementType.of("WITH t AS (SELECT 1) SELECT * FROM t")).isEqualTo(StatementType.DML);
        assertThat(StatementType.of("CREATE TABLE t AS SELECT 1")).isEqualTo(StatementType.DML);
        assertThat(StatementType.of("CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/t/'")).isEqualTo(StatementType.DDL);
        assertThat(StatementType.of("MSCK REPAIR TABLE t")).isEqualTo(StatementType.DDL);
        assertThat(StatementType.of("/* x */ SHOW TABLES")).isEqualTo(StatementType.UTILITY);
        assertThat(StatementType.returnsRows("DESCRIBE t")).isTrue();
        assertThat(StatementType.returnsRows("INSERT INTO t VALUES (1)")).isFalse();
    }
}
