package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.describeStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.StorageConfig;
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
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
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
        service = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(CatalogConfig.ENABLED.key(), "false").start();
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome())
                .setting(StorageConfig.S3_ENDPOINT.key(), service.endpoint().toString())
                .setting(StorageConfig.S3_ACCESS_KEY.key(), "AKIASERVICE")
                .setting(StorageConfig.S3_SECRET_KEY.key(), "service-secret")
                .setting(StorageConfig.S3_LOG_UPLOAD_INTERVAL.key(), "500ms")
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
        remote.createBucket(r -> r.bucket("shop-logs"));
        remote.putObject(r -> r.bucket("shop").key("bootstrap/hello.sh"), RequestBody.fromString("#!/bin/sh\necho \"bootstrapped with $1\"\n"));
        remote.putObject(r -> r.bucket("shop").key("sales/part-0.csv"), RequestBody.fromString("region,amount\neast,10\nwest,5\n"));
        remote.putObject(r -> r.bucket("shop").key("sales/part-1.csv"), RequestBody.fromString("region,amount\neast,20\n"));

        GlueClient glue = hearth.glue();
        glue.createDatabase(r -> r.databaseInput(d -> d.name("shop")));
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("sales", "s3://shop/sales/", Map.of("classification", "csv", "skip.header.line.count", "1"),
                Column.builder().name("region").type("string").build(), Column.builder().name("amount").type("int").build())));
        // The metastore creates the folder of a table it is given, through S3A, in the service.
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("returns", "s3://shop/returns/", Map.of("classification", "csv"), Column.builder().name("region").type("string").build())));

        EmrClient emr = hearth.emr();
        // LogUri, bootstrap action and step script all live in the service.
        String clusterId = createCluster(emr, cluster("s3a", 1, true, cluster -> cluster.logUri("s3://shop-logs/emr/")
                .bootstrapActions(BootstrapActionConfig.builder().name("hello").scriptBootstrapAction(a -> a.path("s3://shop/bootstrap/hello.sh").args("s3")).build())));
        StepConfig step = StepConfig.builder().name("totals").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-e", String.join(";\n",
                        "SELECT region, SUM(amount) FROM shop.sales GROUP BY region ORDER BY region",
                        "SELECT COUNT(*) FROM csv.`s3a://shop/sales/`",
                        // Writes commit by renaming task folders, which S3A does with copies and deletes in the service.
                        "CREATE TABLE shop.totals USING parquet LOCATION 's3://shop/totals/' AS SELECT region, SUM(amount) AS total FROM shop.sales GROUP BY region",
                        "INSERT INTO shop.returns VALUES ('north'), ('south')",
                        "SELECT CONCAT('totals ', COUNT(*), ' ', SUM(total)) FROM shop.totals",
                        "SELECT CONCAT('returns ', COUNT(*)) FROM shop.returns")).build())
                .build();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);

        List<String> stdout = remoteText("shop-logs", "emr/" + clusterId + "/steps/" + stepId + "/stdout").lines().toList();
        assertThat(stdout).containsSubsequence("east\t30", "west\t5", "5", "totals 2 35", "returns 2");
        List<String> keys = remote.listObjectsV2Paginator(r -> r.bucket("shop")).contents().stream().map(S3Object::key).toList();
        assertThat(keys).contains("returns/", "totals/_SUCCESS");
        assertThat(keys).as("the tables' data files, and no leftovers of the commit")
                .anyMatch(key -> key.startsWith("totals/part-") && key.endsWith(".parquet"))
                .anyMatch(key -> key.startsWith("returns/") && !key.equals("returns/"))
                // Hive's own staging folder (.hive-staging_*) is hidden from readers and outlives the step on S3 too.
                .noneMatch(key -> key.contains("_temporary") || key.contains(".spark-staging"));
        assertThat(glue.getTable(r -> r.databaseName("shop").name("totals")).table().storageDescriptor().location()).isEqualTo("s3://shop/totals");
        String bootstrapOutput = await().atMost(Duration.ofSeconds(30)).until(() -> remote.listObjectsV2Paginator(r -> r.bucket("shop-logs").prefix("emr/" + clusterId + "/node/"))
                .contents().stream().map(S3Object::key).filter(key -> key.endsWith("/bootstrap-actions/1/stdout")).findFirst(), java.util.Optional::isPresent).get();
        assertThat(remoteText("shop-logs", bootstrapOutput)).isEqualTo("bootstrapped with s3\n");
        assertThat(hearth.dataDirectory().resolve("s3").resolve("shop")).as("nothing in Hearth's own object store").doesNotExist();
    }

    @Test
    void stepScriptsComeFromTheServiceAndTheirLogsGoThereWhileTheyRun() {
        remote.createBucket(r -> r.bucket("jobs"));
        remote.putObject(r -> r.bucket("jobs").key("scripts/slow.sh"),
                RequestBody.fromString("#!/bin/sh\necho \"started $1\"\nwhile [ ! -e \"$2\" ]; do sleep 0.2; done\necho finished\n"));
        EmrClient emr = hearth.emr();
        String clusterId = createCluster(emr, cluster("logs", 1, true, cluster -> cluster.logUri("s3://jobs/logs")));
        java.nio.file.Path release = hearth.dataDirectory().resolve("release-" + clusterId);
        StepConfig step = StepConfig.builder().name("slow").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("script-runner.jar").args("s3://jobs/scripts/slow.sh", "now", release.toString()).build())
                .build();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        String stdoutKey = "logs/" + clusterId + "/steps/" + stepId + "/stdout";

        await().atMost(Duration.ofMinutes(2)).ignoreException(NoSuchKeyException.class)
                .untilAsserted(() -> assertThat(remoteText("jobs", stdoutKey)).isEqualTo("started now\n"));
        assertThat(describeStep(emr, clusterId, stepId).status().state()).as("the log is there while the step runs").isEqualTo(StepState.RUNNING);
        try {
            java.nio.file.Files.writeString(release, "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(remoteText("jobs", stdoutKey)).as("complete once the step has ended").isEqualTo("started now\nfinished\n");
        assertThat(remoteText("jobs", "logs/" + clusterId + "/steps/" + stepId + "/controller")).contains("Step COMPLETED");

        StepConfig missing = StepConfig.builder().name("missing").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("s3://jobs/jars/missing.jar").build())
                .build();
        String missingId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(missing)).stepIds().get(0);
        Step failed = awaitStepState(emr, clusterId, missingId, StepState.FAILED);
        assertThat(failed.status().failureDetails().reason()).isEqualTo("HadoopJarStep.Jar s3://jobs/jars/missing.jar does not exist in the S3 service at "
                + service.endpoint());
    }

    private static String remoteText(String bucket, String key) {
        return remote.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }
}
