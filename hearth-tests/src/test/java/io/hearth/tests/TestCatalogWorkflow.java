package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.testing.TestingHearth;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The catalog workflow end to end, with real Spark steps on a cluster whose LogUri is in S3:
 * CSV files uploaded to a bucket, an external table over their folder created through Glue and
 * queried from a step, the table switched to a new folder with UpdateTable, daily partitions
 * added with BatchCreatePartition and pruned by a filtered query, a join across two databases,
 * and a table a step creates read back through Glue.
 */
class TestCatalogWorkflow {
    private static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    private static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    private static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

    private static TestingHearth hearth;
    private static EmrClient emr;
    private static GlueClient glue;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        emr = hearth.emr();
        glue = hearth.glue();
        s3 = hearth.s3();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    private static void put(String key, String text) {
        s3.putObject(r -> r.bucket("lake").key(key), RequestBody.fromString(text));
    }

    /** Runs SQL in a spark-sql step; returns the step and its stdout, read back through the S3 API from the cluster's LogUri. */
    private static StepResult sql(String clusterId, String name, String statements, StepState expected) {
        StepConfig step = StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-e", statements).build())
                .build();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        Step ended = awaitStepState(emr, clusterId, stepId, expected);
        String stdout = s3.getObjectAsBytes(r -> r.bucket("lake").key("logs/" + clusterId + "/steps/" + stepId + "/stdout")).asUtf8String();
        return new StepResult(ended, stdout);
    }

    private record StepResult(Step step, String stdout) {}

    @Test
    void catalogWorkflow() {
        s3.createBucket(r -> r.bucket("lake"));
        put("housing/v1/part-0.csv", "id,city,sqft,price\n1,Lisbon,70,300000\n2,Lisbon,90,420000\n3,Porto,60,210000\n");
        put("housing/v1/part-1.csv", "id,city,sqft,price\n4,Porto,80,260000\n5,Faro,120,380000\n");
        put("housing/v2/part-0.csv", "id,city,sqft,price\n1,Lisbon,70,310000\n2,Lisbon,90,430000\n3,Porto,60,215000\n6,Braga,100,250000\n");

        glue.createDatabase(r -> r.databaseInput(d -> d.name("realestate").description("Housing data")));
        glue.createTable(r -> r.databaseName("realestate").tableInput(TableInput.builder()
                .name("housing")
                .tableType("EXTERNAL_TABLE")
                .parameters(Map.of("classification", "csv", "skip.header.line.count", "1"))
                .storageDescriptor(StorageDescriptor.builder()
                        .columns(Column.builder().name("id").type("bigint").build(), Column.builder().name("city").type("string").build(),
                                Column.builder().name("sqft").type("int").build(), Column.builder().name("price").type("double").build())
                        .location("s3://lake/housing/v1/")
                        .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe").parameters(Map.of("field.delim", ",")))
                        .build())
                .build()));

        // EMR's switch to the Glue Data Catalog is accepted and means Hearth's catalog.
        String clusterId = createCluster(emr, singleInstanceCluster("catalog").toBuilder()
                .logUri("s3://lake/logs/")
                .configurations(Configuration.builder().classification("spark-hive-site")
                        .properties(Map.of("hive.metastore.client.factory.class", "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"))
                        .build())
                .build());

        // Step 1: the Glue table over the v1 folder (header lines skipped), and Parquet files for three days of events.
        StepResult first = sql(clusterId, "housing v1", String.join(";\n",
                "SELECT city, COUNT(*), CAST(SUM(price) AS BIGINT) FROM realestate.housing GROUP BY city ORDER BY city",
                "INSERT OVERWRITE DIRECTORY 's3://lake/events/dt=2024-01-01' USING parquet SELECT id AS user_id, 'view' AS action FROM range(1, 4)",
                "INSERT OVERWRITE DIRECTORY 's3://lake/events/dt=2024-01-02' USING parquet SELECT id AS user_id, 'buy' AS action FROM range(1, 6)",
                "INSERT OVERWRITE DIRECTORY 's3://lake/events/dt=2024-01-03' USING parquet SELECT id AS user_id, 'view' AS action FROM range(2, 7)"),
                StepState.COMPLETED);
        assertThat(first.stdout().lines().toList()).containsSubsequence("Faro\t1\t380000", "Lisbon\t2\t720000", "Porto\t2\t470000");

        // UpdateTable switches the table to v2; the next query reads v2, and v1 stays as a table version.
        Table v1 = glue.getTable(r -> r.databaseName("realestate").name("housing")).table();
        glue.updateTable(r -> r.databaseName("realestate").tableInput(TableInput.builder()
                .name("housing").tableType(v1.tableType()).parameters(v1.parameters()).partitionKeys(v1.partitionKeys())
                .storageDescriptor(v1.storageDescriptor().toBuilder().location("s3://lake/housing/v2/").build())
                .build()));
        assertThat(glue.getTableVersions(r -> r.databaseName("realestate").tableName("housing")).tableVersions())
                .extracting(version -> version.table().storageDescriptor().location())
                .containsExactly("s3://lake/housing/v2/", "s3://lake/housing/v1/");

        // A second database with a partitioned Parquet table; daily partitions arrive in two batches.
        glue.createDatabase(r -> r.databaseInput(d -> d.name("web")));
        glue.createTable(r -> r.databaseName("web").tableInput(TableInput.builder()
                .name("events")
                .tableType("EXTERNAL_TABLE")
                .partitionKeys(Column.builder().name("dt").type("string").build())
                .storageDescriptor(StorageDescriptor.builder()
                        .columns(Column.builder().name("user_id").type("bigint").build(), Column.builder().name("action").type("string").build())
                        .location("s3://lake/events/").inputFormat(PARQUET_INPUT).outputFormat(PARQUET_OUTPUT)
                        .serdeInfo(s -> s.serializationLibrary(PARQUET_SERDE)).build())
                .build()));
        assertThat(glue.batchCreatePartition(r -> r.databaseName("web").tableName("events").partitionInputList(day("2024-01-01"), day("2024-01-02")))
                .errors()).isEmpty();
        assertThat(glue.batchCreatePartition(r -> r.databaseName("web").tableName("events").partitionInputList(day("2024-01-03"))).errors()).isEmpty();
        // A file no Parquet reader can read, in the partition the filtered queries must skip.
        put("events/dt=2024-01-02/corrupt.parquet", "this is not parquet");

        StepResult second = sql(clusterId, "queries", String.join(";\n",
                "SELECT 'housing', city, COUNT(*) FROM realestate.housing GROUP BY city ORDER BY city",
                "SELECT 'day3', COUNT(*), MIN(user_id), MAX(user_id) FROM web.events WHERE dt = '2024-01-03'",
                "SELECT 'joined', h.city, COUNT(*) FROM realestate.housing h JOIN web.events e ON h.id = e.user_id"
                        + " WHERE e.dt IN ('2024-01-01', '2024-01-03') GROUP BY h.city ORDER BY h.city",
                "CREATE TABLE web.daily_counts USING parquet LOCATION 's3://lake/daily_counts/'"
                        + " AS SELECT dt, COUNT(*) AS events FROM web.events WHERE dt <> '2024-01-02' GROUP BY dt"),
                StepState.COMPLETED);
        assertThat(second.stdout().lines().toList()).containsSubsequence("housing\tBraga\t1", "housing\tLisbon\t2", "housing\tPorto\t1");
        assertThat(second.stdout()).doesNotContain("Faro");
        assertThat(second.stdout().lines().toList()).contains("day3\t5\t2\t6");
        // Day 1 users 1-3 and day 3 users 2-6, joined with houses 1, 2, 3 and 6: Lisbon 1,2,2; Porto 3,3; Braga 6.
        assertThat(second.stdout().lines().toList()).containsSubsequence("joined\tBraga\t1", "joined\tLisbon\t3", "joined\tPorto\t2");

        // The table the step created is in the catalog for Glue clients too.
        Table created = glue.getTable(r -> r.databaseName("web").name("daily_counts")).table();
        assertThat(created.storageDescriptor().location()).isEqualTo("s3://lake/daily_counts");
        assertThat(created.storageDescriptor().columns()).extracting(Column::name, Column::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dt", "string"), org.assertj.core.groups.Tuple.tuple("events", "bigint"));
        assertThat(created.parameters()).containsEntry("spark.sql.sources.provider", "parquet");
        assertThat(s3.listObjectsV2(r -> r.bucket("lake").prefix("daily_counts/")).contents()).isNotEmpty();

        // The control: without the partition filter Spark reads the corrupt file and the step fails.
        StepResult unfiltered = sql(clusterId, "unfiltered", "SELECT COUNT(*) FROM web.events", StepState.FAILED);
        // The driver's log names the file; FailureDetails may hold a later error of the shutdown instead.
        String stderr = s3.getObjectAsBytes(r -> r.bucket("lake").key("logs/" + clusterId + "/steps/" + unfiltered.step().id() + "/stderr"))
                .asUtf8String();
        assertThat(stderr).contains("corrupt.parquet");
    }

    private static PartitionInput day(String dt) {
        return PartitionInput.builder().values(dt)
                .storageDescriptor(StorageDescriptor.builder().location("s3://lake/events/dt=" + dt + "/")
                        .columns(Column.builder().name("user_id").type("bigint").build(), Column.builder().name("action").type("string").build())
                        .inputFormat(PARQUET_INPUT).outputFormat(PARQUET_OUTPUT).serdeInfo(s -> s.serializationLibrary(PARQUET_SERDE)).build())
                .build();
    }
}
