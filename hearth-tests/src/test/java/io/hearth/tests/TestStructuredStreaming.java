package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.testing.TestingHearth;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Structured Streaming over {@code s3://} paths in real Spark steps: a file source, a Parquet sink
 * and the checkpoint all in the object store, the query run twice with Trigger.AvailableNow; the
 * second run reads only the file uploaded between the two.
 */
class TestStructuredStreaming {
    private static TestingHearth hearth;
    private static EmrClient emr;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        emr = hearth.emr();
        s3 = hearth.s3();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    @Test
    void aStreamingStepRunTwiceReadsOnlyTheNewFilesTheSecondTime() {
        s3.createBucket(r -> r.bucket("events"));
        put("incoming/day-1.csv", "id,city\n1,Lisbon\n2,Porto\n3,Faro\n");
        put("incoming/day-2.csv", "id,city\n4,Braga\n5,Lisbon\n");
        String clusterId = createCluster(emr, singleInstanceCluster("streaming"));

        String first = runStream(clusterId, "first run");
        assertThat(first).contains("Read 5 new rows in 1 batch(es) from s3://events/incoming/", "The output s3://events/parquet/ holds 5 rows");
        assertThat(keys("checkpoint/")).contains("checkpoint/offsets/0", "checkpoint/commits/0", "checkpoint/sources/0/0");
        assertThat(keys("parquet/")).contains("parquet/_spark_metadata/0");

        put("incoming/day-3.csv", "id,city\n6,Porto\n7,Faro\n8,Faro\n9,Braga\n");
        String second = runStream(clusterId, "second run");
        assertThat(second).contains("Read 4 new rows in 1 batch(es) from s3://events/incoming/", "The output s3://events/parquet/ holds 9 rows");
        assertThat(keys("checkpoint/")).contains("checkpoint/offsets/1", "checkpoint/commits/1");
        assertThat(keys("parquet/")).contains("parquet/_spark_metadata/1");
    }

    /** Runs the example streaming job as a step; returns its stdout. */
    private static String runStream(String clusterId, String name) {
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep(name, ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.StreamCsvToParquet", Distribution.examplesJar(),
                "s3://events/incoming/", "s3://events/parquet/", "s3://events/checkpoint/", "id BIGINT, city STRING"))).stepIds().get(0);
        var ended = awaitStepState(emr, clusterId, stepId, StepState.COMPLETED, StepState.FAILED);
        String stdout = Distribution.read(hearth.dataDirectory().resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve("stdout"));
        assertThat(ended.status().state()).as("step %s: %s", name, ended.status().failureDetails()).isEqualTo(StepState.COMPLETED);
        return stdout;
    }

    private static void put(String key, String text) {
        s3.putObject(r -> r.bucket("events").key(key), RequestBody.fromString(text));
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket("events").prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }
}
