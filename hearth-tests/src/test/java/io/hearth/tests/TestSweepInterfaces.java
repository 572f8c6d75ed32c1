package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearth.client.HearthClient;
import io.hearth.client.HearthClientException;
import io.hearth.client.Leaderboard;
import io.hearth.client.ModelSummary;
import io.hearth.client.Specs;
import io.hearth.client.SweepStatus;
import io.hearth.client.TaskStatus;
import io.hearth.server.testing.TestingHearth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * Sweeps through the interfaces users script against: the Java client (REST API), the hearth
 * command, the leaderboard as a catalog table queried with SQL, the registry's best model, and a
 * training job that lives through a restart of Hearth.
 */
class TestSweepInterfaces {
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(6);
    private static TestingHearth hearth;
    private static String clusterId;

    @TempDir
    Path workingDirectory;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting("housekeeping.interval", "1s").start();
        hearth.s3().createBucket(r -> r.bucket("sweep-data"));
        hearth.s3().putObject(r -> r.bucket("sweep-data").key("iris/iris.csv"), Path.of(Distribution.irisCsv()));
        clusterId = createCluster(hearth.emr(), cluster("interfaces", 1, true, c -> c.stepConcurrencyLevel(4)));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    private static String trainingSpec(String model) {
        return """
                {"input": {"path": "s3://sweep-data/iris/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                 "label": {"column": "species"}, "split": {"train": 0.6, "validation": 0.0, "test": 0.4}, "model": %s}
                """.formatted(model);
    }

    private static String sweepSpec(String numTrees) {
        return """
                {"name": "iris grid", "maxParallel": 2, "isolation": "shared", "base": %s,
                 "grid": [{"model": "logistic_regression", "params": {"maxIter": [50]}},
                          {"model": "random_forest", "params": {"numTrees": %s}}]}
                """.formatted(trainingSpec("{\"type\": \"logistic_regression\"}"), numTrees);
    }

    private ExternalCommand.Result hearthCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Distribution.hearthCommand().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint", hearth.endpoint().toString()));
        return ExternalCommand.run(command, Map.of(), workingDirectory, 600);
    }

    @Test
    void aSweepThroughTheClientTheCommandLineAndSql() throws Exception {
        HearthClient client = HearthClient.connect(hearth.endpoint());
        SweepStatus submitted = client.submitSweep(null, Specs.parse(sweepSpec("[10, 0]")));
        assertThat(submitted.clusterId()).as("the only running cluster is chosen").isEqualTo(clusterId);
        assertThat(submitted.total()).isEqualTo(3);
        String sweepId = submitted.sweepId();

        List<String> progress = new ArrayList<>();
        SweepStatus ended = client.awaitSweep(sweepId, SWEEP_TIMEOUT, status -> progress.add(status.progress()));
        assertThat(ended.state()).as(ended.stateMessage()).isEqualTo("FAILED");
        assertThat(progress.get(progress.size() - 1)).isEqualTo(sweepId + " FAILED 2/3 succeeded, 1 failed, 0 running, 0 pending");
        TaskStatus failed = ended.tasks().get(2);
        assertThat(failed.reason()).startsWith("model.params.numTrees: 0 is not a valid value (");

        Leaderboard board = client.leaderboard(sweepId);
        assertThat(board.metric()).as("multiclass without validation rows: accuracy on the test rows").isEqualTo("accuracy");
        assertThat(board.entries()).extracting(Leaderboard.Entry::rank).containsExactly(1, 2, null);
        assertThat(board.entries().get(0).value()).isGreaterThanOrEqualTo(board.entries().get(1).value()).isGreaterThan(0.8);
        assertThat(board.entries().get(2).taskId()).isEqualTo("t-003");
        assertThat(board.best()).hasSize(1);
        assertThat(client.leaderboard(sweepId, "test.f1").metric()).isEqualTo("test.f1");
        assertThatThrownBy(() -> client.leaderboard(sweepId, "auc")).isInstanceOfSatisfying(HearthClientException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("metric: unknown metric 'auc'");
        });

        ExternalCommand.Result table = hearthCommand("sweep", "leaderboard", sweepId);
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains("ranked by accuracy, higher is better").containsPattern("(?m)^1\\*\\s+t-00[12]\\s+species")
                .containsPattern("(?m)^-\\s+t-003");

        Path fixed = Files.writeString(workingDirectory.resolve("fixed.json"), sweepSpec("[10, 20]"));
        ExternalCommand.Result resumed = hearthCommand("sweep", "resume", sweepId, "--spec", fixed.toString(), "--wait");
        assertThat(resumed.exitCode()).as(resumed.stdout() + resumed.stderr()).isZero();
        assertThat(resumed.stdout()).contains("1 task(s) run again").contains("t-003 SUCCEEDED").contains("Sweep " + sweepId + " ended COMPLETED");
        ExternalCommand.Result status = hearthCommand("sweep", "status", sweepId);
        assertThat(status.stdout()).containsPattern("(?m)^t-003\\s+SUCCEEDED\\s+2\\s");

        Leaderboard after = client.leaderboard(sweepId);
        assertThat(after.entries()).extracting(Leaderboard.Entry::rank).containsExactly(1, 2, 3);
        String bestModel = after.best().get(0).modelId();
        ModelSummary best = await().atMost(Duration.ofSeconds(30)).until(() -> client.model(bestModel), ModelSummary::best);
        assertThat(best.sweepId()).isEqualTo(sweepId);
        assertThat(best.card().path("metrics").path("test").path("accuracy").asDouble()).isEqualTo(after.best().get(0).value());
        assertThat(client.models()).filteredOn(model -> sweepId.equals(model.sweepId())).hasSize(3)
                .filteredOn(ModelSummary::best).extracting(ModelSummary::modelId).containsExactly(bestModel);
        assertThatThrownBy(() -> client.model("../etc")).isInstanceOfSatisfying(HearthClientException.class, e -> assertThat(e.status()).isEqualTo(400));

        // The leaderboard as a catalog table, seen through Glue and queried with SQL in a step.
        String tableName = sweepId.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        Table glueTable = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> hearth.glue().getTable(r -> r.databaseName("hearth_sweeps").name(tableName)).table(), t -> t != null);
        assertThat(glueTable.storageDescriptor().columns()).extracting(c -> c.name()).contains("rank", "task_id", "value", "test_accuracy", "best", "model_id");
        String stepId = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(StepConfig.builder().name("query leaderboard")
                .actionOnFailure(ActionOnFailure.CONTINUE).hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                        .args("spark-sql", "-e", "SELECT 'winner', task_id, model_id FROM hearth_sweeps." + tableName + " WHERE best;"
                                + " SELECT 'rows', count(*), max(rank) FROM hearth_sweeps." + tableName + ";").build()).build())).stepIds().get(0);
        awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED);
        String stdout = Distribution.read(hearth.stepLogs(clusterId, stepId).resolve("stdout"));
        assertThat(stdout.lines().toList()).contains("winner\t" + after.best().get(0).taskId() + "\t" + bestModel, "rows\t3\t3");
    }

    @Test
    void aTrainingJobOutlivesARestartAndResumeFinishesIt() {
        HearthClient client = HearthClient.connect(hearth.endpoint());
        SweepStatus job = client.train(clusterId, Specs.parse(trainingSpec("{\"type\": \"random_forest\", \"params\": {\"numTrees\": 30}}")));
        assertThat(job.total()).isEqualTo(1);
        await().atMost(Duration.ofMinutes(2)).until(() -> client.sweep(job.sweepId()).count("RUNNING") == 1);

        hearth.restart();
        HearthClient again = HearthClient.connect(hearth.endpoint());
        SweepStatus settled = again.awaitSweep(job.sweepId(), SWEEP_TIMEOUT, status -> {});
        TaskStatus task = settled.tasks().get(0);
        if (!settled.state().equals("COMPLETED")) {
            // The driver did not outlive the restart: the task says so, and resume runs it again.
            assertThat(task.state()).isIn("FAILED", "CANCELLED");
            assertThat(task.reason()).isNotBlank();
            SweepStatus resumed = again.resume(job.sweepId());
            assertThat(resumed.tasksResumed()).isEqualTo(1);
            settled = again.awaitSweep(job.sweepId(), SWEEP_TIMEOUT, status -> {});
            task = settled.tasks().get(0);
            assertThat(task.attempt()).isEqualTo(2);
        }
        assertThat(settled.state()).as(settled.stateMessage()).isEqualTo("COMPLETED");
        assertThat(task.testMetric("accuracy")).isGreaterThan(0.8);
        assertThat(again.model(task.modelId()).modelType()).isEqualTo("random_forest");
    }
}
