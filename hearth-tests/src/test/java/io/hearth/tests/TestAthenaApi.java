package io.hearth.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.sql.SqlEngine;
import io.hearth.server.testing.TestingHearth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.BatchGetPreparedStatementResponse;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.MetadataException;
import software.amazon.awssdk.services.athena.model.NamedQuery;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.ResourceNotFoundException;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.athena.model.Tag;
import software.amazon.awssdk.services.athena.model.TableMetadata;
import software.amazon.awssdk.services.athena.model.UnprocessedNamedQueryId;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;

/**
 * The Athena API on a real Hearth with the AWS SDK for Java v2: a Glue CSV table queried with Athena's result shapes
 * and files, paging, a CTAS that Glue lists, DDL, a failed and a cancelled query, the bytes-scanned cutoff of a work
 * group, twenty queries through a concurrency limit of four, the engine killed during a query, prepared statements,
 * tags, Athena's CTAS form read back by a spark-sql step, and beeline over JDBC (binary and HTTP) on the same warm
 * engine, its statements listed with the Athena queries.
 */
class TestAthenaApi {
    private static final String RESULTS = "s3://results/athena/";
    private static final String SALES = "north,100.0\nsouth,50.0\nnorth,20.0\n";
    /** A query that runs until it is stopped: every row sleeps a millisecond. */
    private static final String ENDLESS = "SELECT count(*) FROM range(0, 100000000000, 1, 2) WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL";

    private static TestingHearth hearth;
    private static AthenaClient athena;
    private static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting("sql.max-concurrent-queries", "4").start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        athena = AthenaClient.builder()
                .endpointOverride(hearth.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTING", "testing-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        glue = hearth.glue();
        hearth.s3().createBucket(r -> r.bucket("lake"));
        hearth.s3().createBucket(r -> r.bucket("results"));
        hearth.s3().putObject(r -> r.bucket("lake").key("sales/part-0.csv"), RequestBody.fromString(SALES));
        glue.createDatabase(r -> r.databaseInput(d -> d.name("shop")));
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("sales", "s3://lake/sales/", Map.of(),
                Column.builder().name("region").type("string").build(), Column.builder().name("amount").type("double").build())));
    }

    @AfterAll
    static void stop() {
        if (athena != null) {
            athena.close();
        }
        if (hearth != null) {
            hearth.close();
        }
    }

    private static String start(String sql, String database) {
        return athena.startQueryExecution(r -> r.queryString(sql).queryExecutionContext(c -> c.database(database))
                .resultConfiguration(c -> c.outputLocation(RESULTS))).queryExecutionId();
    }

    /** The query as GetQueryExecution first answered it ended. */
    private static QueryExecution awaitEnd(String id) {
        return await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(50))
                .until(() -> athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution(),
                        query -> Set.of(QueryExecutionState.SUCCEEDED, QueryExecutionState.FAILED, QueryExecutionState.CANCELLED)
                                .contains(query.status().state()));
    }

    private static QueryExecution run(String sql, String database) {
        QueryExecution done = awaitEnd(start(sql, database));
        assertThat(done.status().state()).as("%s: %s", sql, done.status().stateChangeReason()).isEqualTo(QueryExecutionState.SUCCEEDED);
        return done;
    }

    private static List<List<String>> values(List<Row> rows) {
        return rows.stream().map(row -> row.data().stream().map(Datum::varCharValue).toList()).toList();
    }

    @Test
    void aGlueTableAnswersInAthenasShapesAndItsResultFilesAreWhereAthenaPutsThem() {
        QueryExecution done = run("SELECT region, sum(amount) AS total, count(*) AS sales FROM sales GROUP BY region ORDER BY region", "shop");

        assertThat(done.statementType().toString()).isEqualTo("DML");
        assertThat(done.resultConfiguration().outputLocation()).isEqualTo(RESULTS + done.queryExecutionId() + ".csv");
        assertThat(done.statistics().dataScannedInBytes()).isEqualTo((long) SALES.length());
        assertThat(done.statistics().engineExecutionTimeInMillis()).isPositive();
        GetQueryResultsResponse results = athena.getQueryResults(r -> r.queryExecutionId(done.queryExecutionId()));
        assertThat(values(results.resultSet().rows())).containsExactly(List.of("region", "total", "sales"), List.of("north", "120.0", "2"),
                List.of("south", "50.0", "1"));
        assertThat(results.resultSet().resultSetMetadata().columnInfo()).extracting(ColumnInfo::name, ColumnInfo::type)
                .containsExactly(tuple("region", "varchar"), tuple("total", "double"),
                        tuple("sales", "bigint"));
        assertThat(hearth.s3().getObjectAsBytes(r -> r.bucket("results").key("athena/" + done.queryExecutionId() + ".csv")).asUtf8String())
                .isEqualTo("\"region\",\"total\",\"sales\"\n\"north\",\"120.0\",\"2\"\n\"south\",\"50.0\",\"1\"\n");
        assertThat(hearth.s3().headObject(r -> r.bucket("results").key("athena/" + done.queryExecutionId() + ".csv.metadata")).contentLength())
                .isPositive();
        assertThat(athena.listQueryExecutions(r -> r.workGroup("primary")).queryExecutionIds()).contains(done.queryExecutionId());
    }

    @Test
    void aPartitionedParquetTableMadeThroughGlueIsQueriedPartitionByPartition() {
        // Parquet files in Hive's partition folders, written by the engine, then a Glue table and partitions over them.
        run("CREATE TABLE shop.staging USING parquet PARTITIONED BY (dt) LOCATION 's3://lake/events/' AS "
                + "SELECT id, CAST(id * 1.5 AS DOUBLE) AS amount, CASE WHEN id < 3 THEN '2026-01-01' ELSE '2026-01-02' END AS dt FROM range(5)", "default");
        Column id = Column.builder().name("id").type("bigint").build();
        Column amount = Column.builder().name("amount").type("double").build();
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.parquet("events", "s3://lake/events/",
                List.of(Column.builder().name("dt").type("string").build()), id, amount)));
        for (String day : List.of("2026-01-01", "2026-01-02")) {
            glue.createPartition(r -> r.databaseName("shop").tableName("events").partitionInput(p -> p.values(day)
                    .storageDescriptor(GlueTables.parquetStorage("s3://lake/events/dt=" + day + "/", id, amount))));
        }

        QueryExecution oneDay = run("SELECT dt, count(*) AS n, sum(amount) AS total FROM events WHERE dt = '2026-01-02' GROUP BY dt", "shop");
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(oneDay.queryExecutionId())).resultSet().rows()))
                .containsExactly(List.of("dt", "n", "total"), List.of("2026-01-02", "2", "10.5"));
        QueryExecution everything = run("SELECT dt, count(*) AS n, sum(amount) AS total FROM events GROUP BY dt", "shop");
        assertThat(oneDay.statistics().dataScannedInBytes()).as("only one partition's files are read")
                .isPositive().isLessThan(everything.statistics().dataScannedInBytes());
        QueryExecution partitions = run("SHOW PARTITIONS events", "shop");
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(partitions.queryExecutionId())).resultSet().rows()))
                .containsExactly(List.of("dt=2026-01-01"), List.of("dt=2026-01-02"));
    }

    @Test
    void resultsComeInPagesOfAtMostMaxResults() {
        QueryExecution done = run("SELECT id, CASE WHEN id % 2 = 0 THEN NULL ELSE concat('a,\"', id) END AS text FROM range(2500)", "default");
        List<List<String>> rows = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetQueryResultsResponse page = athena.getQueryResults(r -> r.queryExecutionId(done.queryExecutionId()).maxResults(1000).nextToken(next));
            assertThat(page.resultSet().rows()).hasSizeLessThanOrEqualTo(1000);
            rows.addAll(values(page.resultSet().rows()));
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(rows).hasSize(2501);
        assertThat(rows.get(0)).containsExactly("id", "text");
        assertThat(rows.get(1)).containsExactly("0", null);
        assertThat(rows.get(2)).containsExactly("1", "a,\"1");
        assertThat(rows.get(2500)).containsExactly("2499", "a,\"2499");
    }

    @Test
    void aCtasTableIsInGlueAndDdlAnswersAsAthenasDo() {
        QueryExecution created = run("CREATE TABLE shop.region_totals USING parquet AS SELECT region, sum(amount) AS total FROM shop.sales GROUP BY region",
                "default");
        assertThat(athena.getQueryResults(r -> r.queryExecutionId(created.queryExecutionId())).updateCount()).isEqualTo(2L);
        assertThat(glue.getTable(r -> r.databaseName("shop").name("region_totals")).table().storageDescriptor().columns())
                .extracting(Column::name).containsExactly("region", "total");

        QueryExecution shown = run("SHOW TABLES IN shop", "default");
        assertThat(shown.statementType().toString()).isEqualTo("UTILITY");
        assertThat(shown.resultConfiguration().outputLocation()).endsWith(".txt");
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(shown.queryExecutionId())).resultSet().rows()))
                .as("no header row for a utility statement").extracting(row -> row.get(1)).contains("region_totals", "sales");

        // Athena's double-quoted identifiers, and ? placeholders with ExecutionParameters
        String id = athena.startQueryExecution(r -> r.queryString("SELECT \"total\" FROM \"shop\".\"region_totals\" WHERE region = ?")
                .executionParameters("'north'").resultConfiguration(c -> c.outputLocation(RESULTS))).queryExecutionId();
        assertThat(awaitEnd(id).status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(id)).resultSet().rows())).containsExactly(List.of("total"), List.of("120.0"));
    }

    @Test
    void athenasCtasFormMakesAPartitionedParquetTableThatAStepReads() {
        QueryExecution created = run("""
                CREATE TABLE shop.by_region WITH (format = 'PARQUET', external_location = 's3://lake/sales_by_region/',
                    partitioned_by = ARRAY['region'], write_compression = 'SNAPPY')
                AS SELECT amount, region FROM shop.sales""", "default");
        assertThat(athena.getQueryResults(r -> r.queryExecutionId(created.queryExecutionId())).updateCount()).isEqualTo(3L);
        software.amazon.awssdk.services.glue.model.Table table = glue.getTable(r -> r.databaseName("shop").name("by_region")).table();
        assertThat(table.partitionKeys()).extracting(Column::name).containsExactly("region");
        assertThat(table.storageDescriptor().location()).isEqualTo("s3://lake/sales_by_region");
        assertThat(hearth.s3().listObjectsV2(r -> r.bucket("lake").prefix("sales_by_region/region=north/")).contents())
                .extracting(o -> o.key()).anyMatch(key -> key.endsWith(".snappy.parquet"));

        String clusterId = createCluster(hearth.emr(), singleInstanceCluster("reads-ctas").toBuilder().logUri("s3://lake/logs/").build());
        StepConfig step = StepConfig.builder().name("read the CTAS table").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                        .args("spark-sql", "-e", "SELECT region, sum(amount) FROM shop.by_region GROUP BY region ORDER BY region").build())
                .build();
        String stepId = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED);
        String stdout = hearth.s3().getObjectAsBytes(r -> r.bucket("lake").key("logs/" + clusterId + "/steps/" + stepId + "/stdout")).asUtf8String();
        assertThat(stdout.lines().toList()).containsSubsequence("north\t120.0", "south\t50.0");
        hearth.emr().terminateJobFlows(r -> r.jobFlowIds(clusterId));

        QueryExecution refused = awaitEnd(start("CREATE TABLE shop.iceberg WITH (table_type = 'ICEBERG') AS SELECT 1 AS x", "default"));
        assertThat(refused.status().state()).isEqualTo(QueryExecutionState.FAILED);
        assertThat(refused.status().stateChangeReason()).contains("CTAS property table_type");
        assertThat(refused.status().athenaError().errorCategory()).isEqualTo(2);
    }

    @Test
    void aClientRequestTokenStartsOneQuery() {
        StartQueryExecutionRequest request = StartQueryExecutionRequest.builder().queryString("SELECT 7").clientRequestToken("token-0123456789-0123456789-0123456789")
                .resultConfiguration(c -> c.outputLocation(RESULTS)).build();
        String first = athena.startQueryExecution(request).queryExecutionId();
        assertThat(athena.startQueryExecution(request).queryExecutionId()).isEqualTo(first);
        assertThatThrownBy(() -> athena.startQueryExecution(request.toBuilder().queryString("SELECT 8").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ClientRequestToken");
    }

    @Test
    void theCatalogCallsReadTheGlueCatalog() {
        assertThat(athena.listDataCatalogs(r -> { }).dataCatalogsSummary()).extracting(c -> c.catalogName()).containsExactly("AwsDataCatalog");
        assertThat(athena.listDatabases(r -> r.catalogName("AwsDataCatalog")).databaseList()).extracting(d -> d.name()).contains("default", "shop");
        assertThat(athena.getDatabase(r -> r.catalogName("AwsDataCatalog").databaseName("shop")).database().name()).isEqualTo("shop");

        TableMetadata sales = athena.getTableMetadata(r -> r.catalogName("AwsDataCatalog").databaseName("shop").tableName("sales")).tableMetadata();
        assertThat(sales.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(sales.columns()).extracting(c -> c.name() + " " + c.type()).containsExactly("region string", "amount double");
        assertThat(athena.listTableMetadata(r -> r.catalogName("AwsDataCatalog").databaseName("shop").expression("sal*")).tableMetadataList())
                .extracting(TableMetadata::name).containsExactly("sales");

        assertThatThrownBy(() -> athena.getTableMetadata(r -> r.catalogName("AwsDataCatalog").databaseName("shop").tableName("nothing")))
                .isInstanceOf(MetadataException.class);
        assertThatThrownBy(() -> athena.listDatabases(r -> r.catalogName("OtherCatalog"))).isInstanceOf(MetadataException.class)
                .hasMessageContaining("OtherCatalog");
    }

    @Test
    void namedQueriesAreSavedListedChangedAndRun() {
        String token = "named-0123456789-0123456789-0123456789";
        String id = athena.createNamedQuery(r -> r.name("totals").database("shop").queryString("SELECT count(*) FROM sales")
                .clientRequestToken(token)).namedQueryId();
        assertThat(athena.createNamedQuery(r -> r.name("totals").database("shop").queryString("SELECT count(*) FROM sales")
                .clientRequestToken(token)).namedQueryId()).as("the same token").isEqualTo(id);
        athena.updateNamedQuery(r -> r.namedQueryId(id).name("region totals").queryString("SELECT region, count(*) FROM sales GROUP BY region"));

        NamedQuery saved = athena.getNamedQuery(r -> r.namedQueryId(id)).namedQuery();
        assertThat(saved.name()).isEqualTo("region totals");
        assertThat(saved.workGroup()).isEqualTo("primary");
        assertThat(athena.listNamedQueries(r -> r.workGroup("primary")).namedQueryIds()).contains(id);
        assertThat(athena.batchGetNamedQuery(r -> r.namedQueryIds(id, "no-such-named-query")).unprocessedNamedQueryIds())
                .extracting(UnprocessedNamedQueryId::namedQueryId).containsExactly("no-such-named-query");
        QueryExecution ran = run(saved.queryString(), saved.database());
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(ran.queryExecutionId())).resultSet().rows())).hasSize(3);

        athena.deleteNamedQuery(r -> r.namedQueryId(id));
        assertThatThrownBy(() -> athena.getNamedQuery(r -> r.namedQueryId(id))).isInstanceOf(InvalidRequestException.class).hasMessageContaining(id);
    }

    @Test
    void preparedStatementsAreMadeThroughTheApiOrSqlAndRunWithExecuteUsing() {
        athena.createPreparedStatement(r -> r.workGroup("primary").statementName("by_region")
                .queryStatement("SELECT sum(amount) AS total FROM shop.sales WHERE region = ?").description("totals of one region"));
        assertThatThrownBy(() -> athena.createPreparedStatement(r -> r.workGroup("primary").statementName("by_region").queryStatement("SELECT 1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already exists");
        assertThat(athena.getPreparedStatement(r -> r.workGroup("primary").statementName("by_region")).preparedStatement().description())
                .isEqualTo("totals of one region");

        QueryExecution using = run("EXECUTE by_region USING 'north'", "default");
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(using.queryExecutionId())).resultSet().rows()))
                .containsExactly(List.of("total"), List.of("120.0"));
        String withParameters = athena.startQueryExecution(r -> r.queryString("EXECUTE by_region").executionParameters("'south'")
                .resultConfiguration(c -> c.outputLocation(RESULTS))).queryExecutionId();
        assertThat(awaitEnd(withParameters).status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(withParameters)).resultSet().rows()))
                .containsExactly(List.of("total"), List.of("50.0"));

        QueryExecution prepared = run("PREPARE region_count FROM SELECT count(*) AS n FROM shop.sales WHERE region = ?", "default");
        assertThat(prepared.statementType()).isEqualTo(StatementType.UTILITY);
        assertThat(athena.listPreparedStatements(r -> r.workGroup("primary")).preparedStatements()).extracting(s -> s.statementName())
                .containsExactly("by_region", "region_count");
        BatchGetPreparedStatementResponse batch = athena.batchGetPreparedStatement(r -> r.workGroup("primary")
                .preparedStatementNames("region_count", "nothing"));
        assertThat(batch.preparedStatements()).extracting(s -> s.queryStatement()).containsExactly(
                "SELECT count(*) AS n FROM shop.sales WHERE region = ?");
        assertThat(batch.unprocessedPreparedStatementNames()).extracting(s -> s.statementName()).containsExactly("nothing");

        athena.updatePreparedStatement(r -> r.workGroup("primary").statementName("region_count")
                .queryStatement("SELECT count(*) * 10 AS n FROM shop.sales WHERE region = ?"));
        QueryExecution updated = run("EXECUTE region_count USING 'north'", "default");
        assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(updated.queryExecutionId())).resultSet().rows()))
                .containsExactly(List.of("n"), List.of("20"));

        run("DEALLOCATE PREPARE region_count", "default");
        athena.deletePreparedStatement(r -> r.workGroup("primary").statementName("by_region"));
        assertThatThrownBy(() -> athena.getPreparedStatement(r -> r.workGroup("primary").statementName("by_region")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("by_region");
        QueryExecution gone = awaitEnd(start("EXECUTE region_count USING 'north'", "default"));
        assertThat(gone.status().state()).isEqualTo(QueryExecutionState.FAILED);
        assertThat(gone.status().stateChangeReason()).contains("region_count", "not found");
    }

    @Test
    void workGroupsAndTheDataCatalogTakeTags() {
        athena.createWorkGroup(r -> r.name("tagged").tags(Tag.builder().key("team").value("growth").build()));
        String arn = "arn:aws:athena:us-east-1:000000000000:workgroup/tagged";
        athena.tagResource(r -> r.resourceARN(arn).tags(Tag.builder().key("cost-center").value("42").build(),
                Tag.builder().key("team").value("data").build()));
        assertThat(athena.listTagsForResource(r -> r.resourceARN(arn)).tags()).extracting(Tag::key, Tag::value)
                .containsExactly(tuple("cost-center", "42"), tuple("team", "data"));
        athena.untagResource(r -> r.resourceARN(arn).tagKeys("cost-center"));
        assertThat(athena.listTagsForResource(r -> r.resourceARN(arn)).tags()).extracting(Tag::key).containsExactly("team");

        String catalog = "arn:aws:athena:us-east-1:000000000000:datacatalog/AwsDataCatalog";
        athena.tagResource(r -> r.resourceARN(catalog).tags(Tag.builder().key("owner").value("platform").build()));
        assertThat(athena.listTagsForResource(r -> r.resourceARN(catalog)).tags()).extracting(Tag::key).containsExactly("owner");

        assertThatThrownBy(() -> athena.tagResource(r -> r.resourceARN("arn:aws:athena:us-east-1:000000000000:workgroup/nobody")
                .tags(Tag.builder().key("a").value("b").build()))).isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> athena.createWorkGroup(r -> r.name("reserved").tags(Tag.builder().key("aws:owner").value("x").build())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("aws:");
        assertThat(athena.listWorkGroups(r -> { }).workGroups()).as("a refused tag leaves no work group").extracting(w -> w.name())
                .doesNotContain("reserved");

        athena.deleteWorkGroup(r -> r.workGroup("tagged"));
        athena.createWorkGroup(r -> r.name("tagged"));
        assertThat(athena.listTagsForResource(r -> r.resourceARN(arn)).tags()).as("a deleted work group's tags go with it").isEmpty();
    }

    @Test
    void aBadQueryFailsTheQueryAndApiMistakesAreInvalidRequests() {
        QueryExecution failed = awaitEnd(start("SELECT * FROM shop.no_such_table", "default"));
        assertThat(failed.status().state()).isEqualTo(QueryExecutionState.FAILED);
        assertThat(failed.status().stateChangeReason()).contains("no_such_table");
        assertThat(failed.status().athenaError().errorCategory()).isEqualTo(2);
        assertThatThrownBy(() -> athena.getQueryResults(r -> r.queryExecutionId(failed.queryExecutionId())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("FAILED");

        assertThatThrownBy(() -> athena.startQueryExecution(r -> r.queryString("SELECT 1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("No output location provided");
        assertThatThrownBy(() -> athena.startQueryExecution(r -> r.queryString("SELECT 1").workGroup("nobody")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> athena.getQueryExecution(r -> r.queryExecutionId("no-such-query")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no-such-query");
        assertThatThrownBy(() -> athena.startQueryExecution(r -> r.queryString("SELECT 1").resultConfiguration(c -> c.outputLocation("s3://no-bucket/x/"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no-bucket");
    }

    @Test
    void aStoppedQueryEndsCancelled() {
        String id = start(ENDLESS, "default");
        await().atMost(Duration.ofMinutes(3)).until(() -> athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution().status().state()
                == QueryExecutionState.RUNNING);
        athena.stopQueryExecution(r -> r.queryExecutionId(id));

        QueryExecution stopped = awaitEnd(id);
        assertThat(stopped.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(stopped.status().stateChangeReason()).contains("StopQueryExecution");
    }

    @Test
    void aWorkGroupCutoffCancelsAQueryThatScansMore() {
        athena.createWorkGroup(r -> r.name("small").configuration(c -> c.bytesScannedCutoffPerQuery(10_000_000L)
                .resultConfiguration(rc -> rc.outputLocation("s3://results/small/"))));
        assertThat(athena.getWorkGroup(r -> r.workGroup("small")).workGroup().configuration().bytesScannedCutoffPerQuery()).isEqualTo(10_000_000L);
        hearth.s3().putObject(r -> r.bucket("lake").key("big/part-0.csv"), RequestBody.fromString("x,1.0\n".repeat(3_000_000)));
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("big", "s3://lake/big/", Map.of(),
                Column.builder().name("region").type("string").build(), Column.builder().name("amount").type("double").build())));

        String id = athena.startQueryExecution(r -> r.queryString("SELECT count(*) FROM shop.big").workGroup("small")).queryExecutionId();
        QueryExecution limited = awaitEnd(id);
        assertThat(limited.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(limited.status().stateChangeReason()).contains("10000000");
        assertThat(limited.resultConfiguration().outputLocation()).startsWith("s3://results/small/");
    }

    @Test
    void twentyQueriesRunFourAtATimeAndAllSucceed() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(start("SELECT " + i + " AS n, count(*) FROM range(0, 400, 1, 1) WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL", "default"));
        }
        Set<QueryExecutionState> seen = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<QueryExecution> states = athena.batchGetQueryExecution(r -> r.queryExecutionIds(ids)).queryExecutions();
            long running = states.stream().filter(q -> q.status().state() == QueryExecutionState.RUNNING).count();
            assertThat(running).as("running at once").isLessThanOrEqualTo(4);
            states.forEach(q -> seen.add(q.status().state()));
            return states.stream().allMatch(q -> q.status().state() == QueryExecutionState.SUCCEEDED);
        });
        assertThat(seen).contains(QueryExecutionState.QUEUED, QueryExecutionState.RUNNING);
        QueryExecution last = athena.getQueryExecution(r -> r.queryExecutionId(ids.get(19))).queryExecution();
        assertThat(last.statistics().queryQueueTimeInMillis()).isPositive();
    }

    @Test
    void theAwsCliRunsAQueryAndReadsItsResults() throws Exception {
        assertThat(ExternalCommand.onPath("aws") || !Boolean.parseBoolean(System.getenv(TestAwsCliAndBoto3.REQUIRED_VARIABLE)))
                .as("the aws CLI must be installed where %s=true", TestAwsCliAndBoto3.REQUIRED_VARIABLE).isTrue();
        assumeTrue(ExternalCommand.onPath("aws"), "the aws CLI is not installed");
        Map<String, String> environment = new HashMap<>(Map.of("AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
                "AWS_PAGER", ""));
        ExternalCommand.Result env = ExternalCommand.run(List.of(Distribution.hearthCommand().toString(), "env", "--data-dir",
                hearth.dataDirectory().toString()), Map.of(), null, 60);
        assertThat(env.exitCode()).as(env.stderr()).isZero();
        env.stdout().lines().map(line -> line.substring("export ".length()))
                .forEach(assignment -> environment.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1)));
        ExternalCommand.Result started = ExternalCommand.run(List.of("aws", "athena", "start-query-execution", "--query-string",
                "SELECT region, count(*) AS n FROM sales GROUP BY region ORDER BY region", "--query-execution-context", "Database=shop",
                "--result-configuration", "OutputLocation=" + RESULTS, "--query", "QueryExecutionId", "--output", "text"), environment, null, 120);
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        String id = started.stdout().strip();
        QueryExecution ended = awaitEnd(id);
        assertThat(ended.queryExecutionId()).isEqualTo(id);
        assertThat(ended.status().state()).as("%s", ended).isEqualTo(QueryExecutionState.SUCCEEDED);

        ExternalCommand.Result results = ExternalCommand.run(List.of("aws", "athena", "get-query-results", "--query-execution-id", id, "--output", "json"),
                environment, null, 120);
        assertThat(results.exitCode()).as(results.stderr()).isZero();
        JsonNode rows = new ObjectMapper().readTree(results.stdout()).path("ResultSet")
                .path("Rows");
        assertThat(rows.findValuesAsText("VarCharValue")).containsExactly("region", "n", "north", "2", "south", "1");
    }

    @Test
    void hearthSqlPrintsATableCsvOrJson() {
        List<String> command = List.of(Distribution.hearthCommand().toString(), "sql", "--endpoint", hearth.endpoint().toString(), "--database", "shop");
        ExternalCommand.Result table = ExternalCommand.run(concat(command, "SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region"),
                Map.of(), null, 180);
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout().lines()).containsExactly("region | total", "-------+------", "north  | 120.0", "south  | 50.0");

        ExternalCommand.Result csv = ExternalCommand.run(concat(command, "--format", "csv", "SELECT region, amount FROM sales ORDER BY amount LIMIT 2"),
                Map.of(), null, 180);
        assertThat(csv.stdout().lines()).containsExactly("region,amount", "north,20.0", "south,50.0");

        ExternalCommand.Result json = ExternalCommand.run(concat(command, "--format", "json", "SELECT region, NULL AS none FROM sales LIMIT 1"),
                Map.of(), null, 180);
        assertThat(json.stdout().lines()).containsExactly("{\"region\":\"north\",\"none\":null}");

        ExternalCommand.Result failed = ExternalCommand.run(concat(command, "SELECT nothing FROM sales"), Map.of(), null, 180);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("FAILED", "nothing");
    }

    @Test
    void hearthSqlInATerminalKeepsAHistoryTheUpArrowRecalls() throws Exception {
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("hearth-sql-home-");
        java.nio.file.Path driver = home.resolve("sql_prompt_in_a_terminal.py");
        try (java.io.InputStream script = TestAthenaApi.class.getResourceAsStream("sql_prompt_in_a_terminal.py")) {
            java.nio.file.Files.copy(script, driver);
        }
        ExternalCommand.Result session = ExternalCommand.run(List.of("python3", driver.toString(), Distribution.hearthCommand().toString(),
                hearth.endpoint().toString()), Map.of("HOME", home.toString()), null, 400);
        assertThat(session.exitCode()).as(session.stdout() + session.stderr()).isZero();
        assertThat(session.stdout().strip()).as("the statement ran twice, the second time from the history").isEqualTo("results 2 exit 0");
        assertThat(java.nio.file.Files.readString(home.resolve(".hearth/sql-history"))).contains("SELECT 41 + 1 AS answer;");
        TestingHearth.deleteRecursively(home);
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void beelineQueriesTheSameEngineOverJdbcBinaryAndHttp() throws Exception {
        run("SELECT 1", "default");
        SqlEngine engine = hearth.server().sqlEngine().orElseThrow();
        String binary = "jdbc:hive2://127.0.0.1:" + engine.jdbcPort().orElseThrow() + "/shop";
        String http = engine.jdbcHttpUrl().replace("/default;", "/shop;");
        assertThat(http).matches("jdbc:hive2://127\\.0\\.0\\.1:\\d+/shop;transportMode=http;httpPath=cliservice");
        for (String url : List.of(binary, http)) {
            ExternalCommand.Result beeline = ExternalCommand.run(List.of(Distribution.sparkHome().resolve("bin").resolve("beeline").toString(),
                    "-u", url, "--silent=true", "--outputformat=csv2",
                    "-e", "SELECT region, count(*) AS sales FROM sales GROUP BY region ORDER BY region"),
                    Map.of("SPARK_HOME", Distribution.sparkHome().toString()), null, 180);
            assertThat(beeline.exitCode()).as(url + ": " + beeline.stderr()).isZero();
            // Beeline prints its prompt before the first line of the answer.
            assertThat(beeline.stdout().lines().map(line -> line.replaceFirst("^\\d+: jdbc:\\S+> ", "")).filter(line -> !line.isBlank()))
                    .as(url).containsExactly("region,sales", "north,2", "south,1");
        }

        // The statements JDBC clients ran are in Athena's query list too, without a result Hearth keeps.
        String statement = "SELECT region, count(*) AS sales FROM sales GROUP BY region ORDER BY region";
        List<QueryExecution> fromJdbc = await().atMost(Duration.ofSeconds(30)).until(() -> athena.listQueryExecutions(r -> r.workGroup("primary"))
                .queryExecutionIds().stream().limit(20).map(id -> athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution())
                .filter(query -> query.query().equals(statement) && query.status().state() == QueryExecutionState.SUCCEEDED).toList(),
                found -> found.size() == 2);
        assertThat(fromJdbc).allSatisfy(query -> {
            assertThat(query.statementType()).isEqualTo(StatementType.DML);
            assertThat(query.resultConfiguration()).isNull();
            assertThat(query.statistics().engineExecutionTimeInMillis()).isPositive();
        });
        assertThatThrownBy(() -> athena.getQueryResults(r -> r.queryExecutionId(fromJdbc.get(0).queryExecutionId())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("JDBC client");
    }

    @Test
    void aKilledEngineFailsItsQueryWithAReasonAndTheNextQuerySucceeds() {
        String id = start(ENDLESS, "default");
        await().atMost(Duration.ofMinutes(3)).until(() -> athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution().status().state()
                == QueryExecutionState.RUNNING);
        List<ProcessHandle> engines = Distribution.processesMentioning(hearth.dataDirectory().resolve("sql").toString()).stream()
                .filter(process -> process.info().commandLine().orElse("").contains("io.hearth.spark.sql.SqlEngineMain"))
                .filter(process -> process.info().command().orElse("").endsWith("/java")).toList();
        assertThat(engines).hasSize(1);
        engines.get(0).destroyForcibly();

        QueryExecution lost = awaitEnd(id);
        assertThat(lost.status().state()).isEqualTo(QueryExecutionState.FAILED);
        assertThat(lost.status().stateChangeReason()).startsWith("The SQL engine (process ").contains("exited with code 137");
        assertThat(lost.status().athenaError().errorCategory()).isEqualTo(1);
        await().atMost(Duration.ofMinutes(4)).ignoreExceptions().until(() -> awaitEnd(start("SELECT 41 + 1", "default")).status().state()
                == QueryExecutionState.SUCCEEDED);
    }
}
