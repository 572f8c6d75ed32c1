package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's tasks in one Spark application on a bounded thread pool, each in its own FAIR pool. */
class TestSweepTasks {
    @TempDir
    static Path scratch;

    private static SparkSession spark;
    private static Path iris;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("sweep tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.scheduler.mode", "FAIR")
                .getOrCreate();
        iris = SklearnDatasets.classification("iris.csv", scratch.resolve("iris"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SweepTasks.Task task(String id, String model, String params) throws IOException {
        JsonNode spec = SpecReader.mapper().readTree("""
                {"input": {"path": "%s", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                 "label": {"column": "target"}, "model": {"type": "%s", "params": %s}}
                """.formatted(iris, model, params));
        return new SweepTasks.Task(id, "m-" + id, spec);
    }

    private static JsonNode status(Path statusDirectory, String taskId) throws IOException {
        return SpecReader.mapper().readTree(Files.readString(statusDirectory.resolve(taskId + ".json")));
    }

    @Test
    void tasksShareTheCachedInputAndAFailedOneExplainsItself() throws Exception {
        Path statusDirectory = scratch.resolve("status-continue");
        SweepTasks runner = new SweepTasks(spark, statusDirectory);
        Map<String, String> states = runner.run(new SweepTasks.Tasks(2, "continue", scratch.resolve("models").toString(), List.of(
                task("t1", "logistic_regression", "{\"maxIter\": 50}"),
                task("t2", "random_forest", "{\"numTrees\": 0}"),
                task("t3", "decision_tree", "{\"maxDepth\": 4}"),
                task("t4", "random_forest", "{\"numTrees\": 10}"))));

        assertThat(states).containsExactly(Map.entry("t1", "SUCCEEDED"), Map.entry("t2", "FAILED"), Map.entry("t3", "SUCCEEDED"), Map.entry("t4", "SUCCEEDED"));
        assertThat(runner.cachedInputs()).as("four tasks, one input read once").isEqualTo(1);
        assertThat(runner.preparations().made()).as("the specs differ only in their model: one split and preprocessing").isEqualTo(1);
        assertThat(runner.preparations().held()).as("released after the last task").isZero();
        JsonNode failed = status(statusDirectory, "t2");
        assertThat(failed.get("reason").textValue()).startsWith("model.params.numTrees: 0 is not a valid value (");
        assertThat(statusDirectory.resolve("t2.log")).content().contains("SpecException");
        JsonNode succeeded = status(statusDirectory, "t3");
        assertThat(succeeded.get("metrics").get("test").get("accuracy").doubleValue()).isGreaterThan(0.8);
        assertThat(succeeded.get("durationSeconds").doubleValue()).isPositive();
        assertThat(succeeded.get("applicationId").textValue()).isEqualTo(spark.sparkContext().applicationId());
        assertThat(scratch.resolve("models/m-t4/model-card.json")).exists();

        // A task on the shared preparation fits the model a job of its own fits.
        TrainingRun.Result alone = TrainingRun.run(spark, SpecReader.read(task("t3", "decision_tree", "{\"maxDepth\": 4}").spec().toString()),
                "m-t3-alone", scratch.resolve("models").toString());
        assertThat(SpecReader.mapper().readTree(SpecReader.mapper().writeValueAsString(alone.card().get("metrics")))).isEqualTo(succeeded.get("metrics"));

        // One task's pipeline was written whole, the others copied its preprocessing stages: all load and predict.
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(iris.toString());
        for (String modelId : List.of("m-t1", "m-t3", "m-t4")) {
            Dataset<Row> scored = PipelineModel.load(scratch.resolve("models").resolve(modelId).resolve("model").toString()).transform(raw);
            long right = scored.filter(col("prediction").equalTo(col("target").cast("double"))).count();
            assertThat(right).as(modelId + " right on the 150 rows").isGreaterThan(120);
        }
        Dataset<Row> shared = PipelineModel.load(scratch.resolve("models/m-t3/model").toString()).transform(raw).select("prediction");
        Dataset<Row> single = PipelineModel.load(scratch.resolve("models/m-t3-alone/model").toString()).transform(raw).select("prediction");
        assertThat(shared.collectAsList()).isEqualTo(single.collectAsList());
    }

    @Test
    void stopOnFailureCancelsTheTasksNotStarted() throws Exception {
        Path statusDirectory = scratch.resolve("status-stop");
        Map<String, String> states = new SweepTasks(spark, statusDirectory).run(new SweepTasks.Tasks(1, "stop", scratch.resolve("models").toString(), List.of(
                task("s1", "linear_svc", "{}"),
                task("s2", "logistic_regression", "{}"),
                task("s3", "decision_tree", "{}"))));

        assertThat(states).containsExactly(Map.entry("s1", "FAILED"), Map.entry("s2", "CANCELLED"), Map.entry("s3", "CANCELLED"));
        assertThat(status(statusDirectory, "s1").get("reason").textValue()).contains("'linear_svc' does not do multiclass tasks");
        assertThat(status(statusDirectory, "s3").get("reason").textValue()).isEqualTo("The sweep stopped after a failed task");
    }
}
