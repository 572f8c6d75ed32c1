package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.sweep.Sweep;
import io.hearth.server.sweep.SweepManager;
import io.hearth.server.sweep.SweepState;
import io.hearth.server.sweep.SweepTask;
import io.hearth.server.sweep.TaskState;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One binary model per digit (a labels sweep over is_0 ... is_9 of scikit-learn's digits), in both
 * isolation modes: every task writes its held-out test rows with their ids and probabilities, and a
 * spark-sql step combines the ten prediction sets one-vs-rest (the digit whose model is surest wins)
 * and writes the combined accuracy to s3 for the test to read back.
 */
class TestDigitsMultiLabel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = IntStream.range(0, Datasets.DIGITS).mapToObj(digit -> "is_" + digit).toList();
    private static final int ROWS = 1797;

    private static TestingHearth hearth;
    private static String clusterId;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(CatalogConfig.ENABLED.key(), "false").start();
        hearth.s3().createBucket(r -> r.bucket("digits"));
        hearth.s3().putObject(r -> r.bucket("digits").key("data/digits.csv"), RequestBody.fromString(Datasets.digitsMultiLabelCsv()));
        clusterId = createCluster(hearth.emr(), TrainingClusters.smallJobsCluster("digits", 3));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    /**
     * Both sweeps run at once on the cluster (a step per task next to one application for all), which
     * keeps the two cores busy while steps start; then one spark-sql step scores both.
     */
    @Test
    void oneModelPerDigitInBothIsolationModesCombinedOneVsRest() throws IOException {
        SweepManager sweeps = hearth.server().sweeps();
        Sweep process = sweeps.submit(sweepSpec("process"), clusterId);
        Sweep shared = sweeps.submit(sweepSpec("shared"), clusterId);

        List<SweepTask> processTasks = awaitTasks(process, "process");
        assertThat(processTasks).extracting(SweepTask::stepId).as("a step per task").doesNotHaveDuplicates().doesNotContainNull();
        List<SweepTask> sharedTasks = awaitTasks(shared, "shared");
        assertThat(sharedTasks).extracting(SweepTask::stepId).as("one step for every task").containsOnly(sharedTasks.get(0).stepId()).doesNotContainNull();
        assertThat(sharedTasks).extracting(SweepTask::applicationId).as("one application for every task").containsOnly(sharedTasks.get(0).applicationId());

        Map<String, JsonNode> results = oneVsRest();
        assertOneVsRest("process", processTasks, results.get("process"));
        assertOneVsRest("shared", sharedTasks, results.get("shared"));
        assertThat(results.get("process").get("test_rows")).as("the same split in both modes").isEqualTo(results.get("shared").get("test_rows"));
    }

    /** The labels sweep: the row id is kept out of the features but written with each task's predictions, under the task's label. */
    private static String sweepSpec(String isolation) {
        return """
                {"name": "digits one-vs-rest (%1$s)", "maxParallel": 2, "isolation": "%1$s",
                 "base": {"input": {"path": "s3://digits/data/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                          "features": {"exclude": ["id"]}, "preprocessing": {"impute": false, "scale": false},
                          "label": {"column": "is_0", "task": "binary"},
                          "model": {"type": "logistic_regression", "params": {"maxIter": 30, "regParam": 0.001}},
                          "split": {"train": 0.7, "validation": 0.0, "test": 0.3, "seed": 17},
                          "output": {"predictions": {"path": "s3://digits/predictions/%1$s/{label}/"}}},
                 "labels": %2$s}
                """.formatted(isolation, LABELS.stream().map(label -> "\"" + label + "\"").collect(Collectors.joining(", ", "[", "]")));
    }

    /** Waits for the sweep, then checks its tasks: all succeeded, each with its label, AUC, features and predictions. */
    private static List<SweepTask> awaitTasks(Sweep sweep, String isolation) throws IOException {
        SweepManager sweeps = hearth.server().sweeps();
        Sweep ended;
        try {
            ended = await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sweeps.get(sweep.sweepId()), s -> s.state() != SweepState.RUNNING);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Sweep " + sweep.sweepId() + " (" + isolation + ") still runs: " + outcomes(sweeps.tasks(sweep.sweepId()))
                    + "\nsteps: " + hearth.emr().listSteps(r -> r.clusterId(clusterId)).steps().stream()
                            .map(step -> step.name() + " " + step.status().state() + " " + step.status().timeline()).collect(Collectors.joining("\n")), e);
        }
        List<SweepTask> tasks = sweeps.tasks(sweep.sweepId());
        String outcomes = outcomes(tasks);
        assertThat(ended.state()).as("sweep %s: %s\n%s", sweep.sweepId(), ended.stateMessage(), outcomes).isEqualTo(SweepState.COMPLETED);
        assertThat(tasks).as(outcomes).hasSize(Datasets.DIGITS).allSatisfy(task -> assertThat(task.state()).isEqualTo(TaskState.SUCCEEDED));
        assertThat(tasks).extracting(SweepTask::description).containsExactlyElementsOf(LABELS.stream().map(label -> "label " + label).toList());

        long trainRows = -1;
        for (int digit = 0; digit < Datasets.DIGITS; digit++) {
            SweepTask task = tasks.get(digit);
            JsonNode test = JSON.readTree(task.metrics()).path("test");
            assertThat(test.path("auc_roc").isNumber()).as("%s has a test AUC: %s", task.description(), task.metrics()).isTrue();
            assertThat(test.get("auc_roc").doubleValue()).as("test AUC of %s", task.description()).isGreaterThan(0.9);

            JsonNode card = JSON.readTree(hearth.dataDirectory().resolve("models").resolve(task.modelId()).resolve("model-card.json").toFile());
            assertThat(card.get("label").textValue()).isEqualTo("is_" + digit);
            assertThat(card.get("classes")).extracting(JsonNode::textValue).containsExactly("0", "1");
            List<String> numeric = new ArrayList<>();
            card.get("features").get("numeric").forEach(name -> numeric.add(name.textValue()));
            assertThat(numeric).as("the 64 pixels and nothing else: not the id, not another digit's label").hasSize(64).allMatch(name -> name.startsWith("pixel_"));
            assertThat(card.get("features").get("categorical")).isEmpty();
            assertThat(card.get("predictions").get("path").textValue()).isEqualTo("s3://digits/predictions/" + isolation + "/is_" + digit + "/");
            long train = card.get("data").get("train_rows").longValue();
            assertThat(train + card.get("data").get("test_rows").longValue()).isEqualTo(ROWS);
            assertThat(trainRows == -1 || trainRows == train).as("every task trains on as many rows (the same split)").isTrue();
            trainRows = train;
        }
        return tasks;
    }

    private static String outcomes(List<SweepTask> tasks) {
        return tasks.stream().map(task -> task.taskId() + " " + task.description() + ": " + task.state() + " step " + task.stepId()
                + (task.startedAt() == null ? "" : " " + task.startedAt() + " - " + task.endedAt())
                + (task.reason() == null ? "" : " (" + task.reason() + ", log " + task.logLocation() + ")")).collect(Collectors.joining("\n"));
    }

    /**
     * A spark-sql step joins the ten prediction sets of each sweep by row id. Each id's predicted digit is
     * the one whose model gives it the highest probability of 1, its actual digit the one whose label is 1.
     * The step writes one JSON row per sweep to s3; returns them by isolation.
     */
    private static Map<String, JsonNode> oneVsRest() throws IOException {
        StringBuilder sql = new StringBuilder("CREATE TEMPORARY VIEW scores AS\n");
        for (String isolation : List.of("process", "shared")) {
            for (int digit = 0; digit < Datasets.DIGITS; digit++) {
                sql.append(sql.indexOf("SELECT") < 0 ? "" : "UNION ALL\n").append(String.format(Locale.ROOT,
                        "SELECT '%1$s' AS isolation, %2$d AS digit, id, is_%2$d AS actual, probability[1] AS p FROM parquet.`s3://digits/predictions/%1$s/is_%2$d/`\n",
                        isolation, digit));
            }
        }
        sql.append(";\n");
        sql.append("CREATE TEMPORARY VIEW per_set AS SELECT isolation, digit, COUNT(*) AS set_rows, COUNT(DISTINCT id) AS ids FROM scores GROUP BY isolation, digit;\n");
        sql.append("CREATE TEMPORARY VIEW per_row AS SELECT isolation, id, COUNT(*) AS sets, SUM(actual) AS positives, MAX_BY(digit, p) AS predicted,"
                + " MAX(IF(actual = 1, digit, -1)) AS actual FROM scores GROUP BY isolation, id;\n");
        sql.append("CREATE TEMPORARY VIEW set_stats AS SELECT isolation, COUNT(*) AS prediction_sets, MIN(set_rows) AS min_set_rows, MAX(set_rows) AS max_set_rows,"
                + " MIN(ids) AS min_set_ids FROM per_set GROUP BY isolation;\n");
        sql.append("CREATE TEMPORARY VIEW row_stats AS SELECT isolation, COUNT(*) AS test_rows, MIN(sets) AS min_sets, MAX(sets) AS max_sets,"
                + " COUNT_IF(positives = 1) AS rows_with_one_digit, COUNT_IF(predicted = actual) AS correct FROM per_row GROUP BY isolation;\n");
        sql.append("INSERT OVERWRITE DIRECTORY 's3://digits/results/' USING json SELECT * FROM set_stats JOIN row_stats USING (isolation);\n");
        hearth.s3().putObject(r -> r.bucket("digits").key("sql/one-vs-rest.sql"), RequestBody.fromString(sql.toString()));

        StepConfig step = StepConfig.builder().name("one-vs-rest").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-f", "s3://digits/sql/one-vs-rest.sql").build()).build();
        String stepId = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        Step ended = awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED, StepState.FAILED, StepState.CANCELLED);
        assertThat(ended.status().state()).as("the spark-sql step: %s", ended.status().failureDetails()).isEqualTo(StepState.COMPLETED);

        List<String> parts = hearth.s3().listObjectsV2Paginator(r -> r.bucket("digits").prefix("results/")).contents().stream()
                .map(S3Object::key).filter(key -> key.endsWith(".json")).toList();
        Map<String, JsonNode> results = new TreeMap<>();
        for (String key : parts) {
            for (String line : hearth.s3().getObjectAsBytes(r -> r.bucket("digits").key(key)).asUtf8String().lines().filter(line -> !line.isBlank()).toList()) {
                JsonNode row = JSON.readTree(line);
                results.put(row.get("isolation").textValue(), row);
            }
        }
        assertThat(results).as("a result row per sweep in %s", parts).containsOnlyKeys("process", "shared");
        return results;
    }

    /**
     * If every id is in all ten sets and no set has an id twice, the sets hold the same rows: the test rows of
     * every model, so rows none of them trained on.
     */
    private static void assertOneVsRest(String isolation, List<SweepTask> tasks, JsonNode result) throws IOException {
        long testRows = result.get("test_rows").longValue();
        assertThat(testRows).as("held-out rows: %s", result).isGreaterThanOrEqualTo(200);
        assertThat(result.get("prediction_sets").intValue()).as("%s", result).isEqualTo(Datasets.DIGITS);
        assertThat(List.of(result.get("min_sets").longValue(), result.get("max_sets").longValue())).as("every id in all ten sets: %s", result)
                .containsOnly((long) Datasets.DIGITS);
        assertThat(List.of(result.get("min_set_rows").longValue(), result.get("max_set_rows").longValue(), result.get("min_set_ids").longValue()))
                .as("every set holds each test row once: %s", result).containsOnly(testRows);
        assertThat(result.get("rows_with_one_digit").longValue()).as("each row is one digit: %s", result).isEqualTo(testRows);
        for (SweepTask task : tasks) {
            JsonNode card = JSON.readTree(hearth.dataDirectory().resolve("models").resolve(task.modelId()).resolve("model-card.json").toFile());
            assertThat(card.get("data").get("test_rows").longValue()).as("%s's test rows", task.description()).isEqualTo(testRows);
        }
        double accuracy = (double) result.get("correct").longValue() / testRows;
        assertThat(accuracy).as("one-vs-rest accuracy (%s isolation): %s", isolation, result).isGreaterThanOrEqualTo(0.95);
    }
}
