package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;

/** The training job as an EMR step on a real cluster: spec and data in s3://, the model in Hearth's registry. */
class TestTrainingStep {
    private static TestingHearth hearth;
    private static EmrClient emr;
    private static String clusterId;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(CatalogConfig.ENABLED.key(), "false").start();
        emr = hearth.emr();
        hearth.s3().createBucket(r -> r.bucket("ml-data"));
        hearth.s3().putObject(r -> r.bucket("ml-data").key("iris/iris.csv"), Path.of(Distribution.irisCsv()));
        clusterId = createCluster(emr, singleInstanceCluster("training"));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    private static String trainStep(String specKey, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("spark-submit", "--class", "io.hearth.spark.train.TrainModel", "spark-internal", "s3://ml-data/" + specKey));
        args.addAll(List.of(extra));
        StepConfig step = StepConfig.builder().name("train " + specKey).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(args).build()).build();
        return emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
    }

    @Test
    void aSpecInS3TrainsAModelIntoTheRegistry() throws IOException {
        hearth.s3().putObject(r -> r.bucket("ml-data").key("specs/iris.json"), RequestBody.fromString("""
                {"name": "iris", "input": {"path": "s3://ml-data/iris/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                 "label": {"column": "species"}, "model": {"type": "logistic_regression", "params": {"maxIter": 100}},
                 "split": {"train": 0.6, "validation": 0.0, "test": 0.4, "seed": 11}}
                """));

        String stepId = trainStep("specs/iris.json", "--model-id", "m-iris-step");
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);

        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepId).resolve("stdout"))).contains("Model m-iris-step (logistic_regression, multiclass) written to ");
        Path model = hearth.dataDirectory().resolve("models/m-iris-step");
        JsonNode card = new ObjectMapper().readTree(model.resolve("model-card.json").toFile());
        assertThat(card.get("classes")).hasSize(3);
        assertThat(card.get("metrics").get("test").get("accuracy").doubleValue()).isGreaterThan(0.85);
        assertThat(card.get("application_id").textValue()).startsWith("local-");
        assertThat(model.resolve("model/metadata")).isDirectory();
    }

    @Test
    void aBadSpecFailsTheStepNamingTheField() {
        hearth.s3().putObject(r -> r.bucket("ml-data").key("specs/bad.json"), RequestBody.fromString("""
                {"input": {"path": "s3://ml-data/iris/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                 "label": {"column": "kind"}, "model": {"type": "random_forest", "params": {"numTrees": 0}}}
                """));

        Step failed = awaitStepState(emr, clusterId, trainStep("specs/bad.json"), StepState.FAILED);

        assertThat(failed.status().failureDetails().reason())
                .isEqualTo("label.column: no column 'kind' in the input; its columns: sepal_length, sepal_width, petal_length, petal_width, species");
    }
}
