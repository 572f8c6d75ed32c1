package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.testing.TestingHearth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Hearth pointed at an S3-compatible service ({@code storage.s3-endpoint}): Spark steps and the
 * catalog's metastore reach {@code s3://} and {@code s3a://} paths through Hadoop's S3A client.
 * The service is a second Hearth's S3 API, a real S3 endpoint over HTTP with data of its own.
 */
class TestS3CompatibleStorage {
    private static TestingHearth service;
    private static TestingHearth hearth;
    private static S3Client remote;

    @BeforeAll
    static void start() throws Exception {
        service = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(HearthConfig.CATALOG_ENABLED, "false").start();
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome())
                .setting(HearthConfig.STORAGE_S3_ENDPOINT, service.endpoint().toString())
                .setting(HearthConfig.STORAGE_S3_ACCESS_KEY, "AKIASERVICE")
                .setting(HearthConfig.STORAGE_S3_SECRET_KEY, "service-secret")
                .start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        remote = service.s3();
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void sparkAndTheCatalogUseTheServiceThroughS3A() {
        remote.createBucket(r -> r.bucket("shop"));
        remote.putObject(r -> r.bucket("shop").key("sales/part-0.csv"), RequestBody.fromString("region,amount\neast,10\nwest,5\n"));
        remote.putObject(r -> r.bucket("shop").key("sales/part-1.csv"), RequestBody.fromString("region,amount\neast,20\n"));

        GlueClient glue = hearth.glue();
        glue.createDatabase(r -> r.databaseInput(d -> d.name("shop")));
        glue.createTable(r -> r.databaseName("shop").tableInput(TableInput.builder().name("sales").tableType("EXTERNAL_TABLE")
                .parameters(Map.of("classification", "csv", "skip.header.line.count", "1"))
                .storageDescriptor(StorageDescriptor.builder()
                        .columns(Column.builder().name("region").type("string").build(), Column.builder().name("amount").type("int").build())
                        .location("s3://shop/sales/")
                        .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe").parameters(Map.of("field.delim", ",")))
                        .build())
                .build()));

        // The metastore creates the folder of a table it is given, through S3A, in the service.
        glue.createTable(r -> r.databaseName("shop").tableInput(TableInput.builder().name("returns").tableType("EXTERNAL_TABLE")
                .storageDescriptor(StorageDescriptor.builder().columns(Column.builder().name("region").type("string").build())
                        .location("s3://shop/returns/").build())
                .build()));

        EmrClient emr = hearth.emr();
        String clusterId = createCluster(emr, singleInstanceCluster("s3a"));
        StepConfig step = StepConfig.builder().name("totals").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-e", String.join(";\n",
                        "SELECT region, SUM(amount) FROM shop.sales GROUP BY region ORDER BY region",
                        "SELECT COUNT(*) FROM csv.`s3a://shop/sales/`")).build())
                .build();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);

        List<String> stdout = Distribution.lines(hearth.stepLogs(clusterId, stepId).resolve("stdout"));
        assertThat(stdout).containsSubsequence("east\t30", "west\t5", "5");
        List<String> keys = remote.listObjectsV2Paginator(r -> r.bucket("shop")).contents().stream().map(S3Object::key).toList();
        assertThat(keys).contains("returns/");
        assertThat(hearth.dataDirectory().resolve("s3").resolve("shop")).as("nothing in Hearth's own object store").doesNotExist();
    }
}
