package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.config.CatalogConfig;
import io.hearth.server.sweep.Sweep;
import io.hearth.server.sweep.SweepManager;
import io.hearth.server.sweep.SweepState;
import io.hearth.server.sweep.SweepTask;
import io.hearth.server.sweep.TaskState;
import io.hearth.server.testing.TestingHearth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.StepSummary;

/** Sweeps on a real cluster, with process isolation (a step per task, bounded) and shared isolation (one application): a failed task explained, resume re-running it alone. */
class TestSweeps {
    private static TestingHearth hearth;
    private static String clusterId;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(CatalogConfig.ENABLED.key(), "false").start();
        hearth.s3().createBucket(r -> r.bucket("sweep-data"));
        hearth.s3().putObject(r -> r.bucket("sweep-data").key("iris/iris.csv"), Path.of(Distribution.irisCsv()));
        clusterId = createCluster(hearth.emr(), cluster("sweeps", 1, true, c -> c.stepConcurrencyLevel(4)));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    private static String spec(String numTrees) {
        return spec(numTrees, "process");
    }

    private static String spec(String numTrees, String isolation) {
        return """
                {"name": "iris grid", "maxParallel": 2, "isolation": "%s",
                 "base": {"input": {"path": "s3://sweep-data/iris/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                          "label": {"column": "species"}, "split": {"train": 0.6, "validation": 0.0, "test": 0.4}},
                 "grid": [{"model": "logistic_regression", "params": {"maxIter": [50]}},
                          {"model": "random_forest", "params": {"numTrees": %s}}]}
                """.formatted(isolation, numTrees);
    }

    private static Sweep awaitEnd(SweepManager sweeps, String sweepId) {
        return await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> sweeps.get(sweepId), sweep -> sweep.state() != SweepState.RUNNING);
    }

    @Test
    void tasksRunAsBoundedStepsAndResumeRerunsOnlyTheFailedOne() {
        SweepManager sweeps = hearth.server().sweeps();
        Sweep sweep = sweeps.submit(spec("[10, 0]"), clusterId);

        Sweep ended = awaitEnd(sweeps, sweep.sweepId());
        assertThat(ended.state()).isEqualTo(SweepState.FAILED);
        Map<String, SweepTask> tasks = sweeps.tasks(sweep.sweepId()).stream().collect(Collectors.toMap(SweepTask::taskId, Function.identity()));
        assertThat(tasks.get("t-001").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(tasks.get("t-001").metrics()).contains("\"accuracy\"");
        assertThat(tasks.get("t-002").state()).isEqualTo(TaskState.SUCCEEDED);
        SweepTask failed = tasks.get("t-003");
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.reason()).startsWith("model.params.numTrees: 0 is not a valid value (");
        assertThat(Path.of(failed.logLocation()).resolve("stderr")).as("the failed task's driver log is kept").content().contains("SpecException");
        assertThat(tasks.values()).allSatisfy(task -> assertThat(task.applicationId()).startsWith("local-"));

        List<StepSummary> steps = hearth.emr().listSteps(r -> r.clusterId(clusterId)).steps().stream()
                .filter(step -> step.name().startsWith("sweep " + sweep.sweepId())).toList();
        assertThat(steps).extracting(StepSummary::name).containsExactlyInAnyOrder(
                "sweep " + sweep.sweepId() + " t-001", "sweep " + sweep.sweepId() + " t-002", "sweep " + sweep.sweepId() + " t-003");
        assertThat(mostAtOnce(steps)).as("maxParallel bounds the running steps").isBetween(1, 2);

        assertThat(sweeps.resume(sweep.sweepId(), spec("[10, 20]"))).isEqualTo(1);
        Sweep resumed = awaitEnd(sweeps, sweep.sweepId());
        assertThat(resumed.state()).isEqualTo(SweepState.COMPLETED);
        Map<String, SweepTask> after = sweeps.tasks(sweep.sweepId()).stream().collect(Collectors.toMap(SweepTask::taskId, Function.identity()));
        assertThat(after.get("t-003")).extracting(SweepTask::state, SweepTask::attempt).containsExactly(TaskState.SUCCEEDED, 2);
        assertThat(after.get("t-003").description()).isEqualTo("random_forest numTrees=20");
        assertThat(after.get("t-001")).as("succeeded tasks are not run again").isEqualTo(tasks.get("t-001"));
        assertThat(hearth.emr().listSteps(r -> r.clusterId(clusterId)).steps())
                .filteredOn(step -> step.name().startsWith("sweep " + sweep.sweepId())).hasSize(4);
        assertThat(Files.exists(hearth.dataDirectory().resolve("models").resolve(after.get("t-003").modelId()).resolve("model-card.json"))).isTrue();
    }

    @Test
    void sharedIsolationRunsTheTasksInOneApplication() {
        SweepManager sweeps = hearth.server().sweeps();
        Sweep sweep = sweeps.submit(spec("[10, 0]", "shared"), clusterId);

        Sweep ended = awaitEnd(sweeps, sweep.sweepId());
        assertThat(ended.state()).isEqualTo(SweepState.FAILED);
        List<SweepTask> tasks = sweeps.tasks(sweep.sweepId());
        assertThat(tasks).extracting(SweepTask::state).containsExactly(TaskState.SUCCEEDED, TaskState.SUCCEEDED, TaskState.FAILED);
        assertThat(tasks).extracting(SweepTask::stepId).as("one step, one application for every task").containsOnly(tasks.get(0).stepId());
        assertThat(tasks).extracting(SweepTask::applicationId).containsOnly(tasks.get(0).applicationId()).doesNotContainNull();
        assertThat(tasks.get(2).reason()).startsWith("model.params.numTrees: 0 is not a valid value (");
        assertThat(Path.of(tasks.get(2).logLocation()).resolve("t-003.log")).content().contains("SpecException");
        assertThat(tasks.get(0).metrics()).contains("\"accuracy\"");
        assertThat(hearth.emr().listSteps(r -> r.clusterId(clusterId)).steps()).extracting(StepSummary::name).contains("sweep " + sweep.sweepId() + " shared");
        // A task runs from the moment a thread of the application starts it, not from the submission.
        assertThat(mostTasksAtOnce(tasks)).as("maxParallel 2 bounds the running tasks: %s", tasks).isBetween(1, 2);
        for (SweepTask task : tasks.subList(0, 2)) {
            double duration = Duration.between(task.startedAt(), task.endedAt()).toMillis() / 1000.0;
            double card = cardTimings(task).path("total_seconds").doubleValue();
            assertThat(duration).as(task.taskId() + " takes as long as its model card says, without the wait").isCloseTo(card, org.assertj.core.data.Offset.offset(1.0));
        }

        assertThat(sweeps.resume(sweep.sweepId(), spec("[10, 20]", "shared"))).isEqualTo(1);
        assertThat(awaitEnd(sweeps, sweep.sweepId()).state()).isEqualTo(SweepState.COMPLETED);
        assertThat(sweeps.tasks(sweep.sweepId()).get(2)).extracting(SweepTask::state, SweepTask::attempt).containsExactly(TaskState.SUCCEEDED, 2);
    }

    /** The most tasks whose [start, end] intervals overlap at one moment. */
    private static int mostTasksAtOnce(List<SweepTask> tasks) {
        int most = 0;
        for (SweepTask task : tasks) {
            Instant at = task.startedAt();
            int overlapping = (int) tasks.stream().filter(other -> !other.startedAt().isAfter(at) && other.endedAt().isAfter(at)).count();
            most = Math.max(most, overlapping);
        }
        return most;
    }

    private static com.fasterxml.jackson.databind.JsonNode cardTimings(SweepTask task) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(hearth.dataDirectory().resolve("models").resolve(task.modelId()).resolve("model-card.json").toFile()).path("timings");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The most steps whose [start, end] intervals overlap at one moment. */
    private static int mostAtOnce(List<StepSummary> steps) {
        int most = 0;
        for (StepSummary step : steps) {
            Instant at = step.status().timeline().startDateTime();
            int overlapping = (int) steps.stream().filter(other -> !other.status().timeline().startDateTime().isAfter(at)
                    && other.status().timeline().endDateTime().isAfter(at)).count();
            most = Math.max(most, overlapping);
        }
        return most;
    }
}
