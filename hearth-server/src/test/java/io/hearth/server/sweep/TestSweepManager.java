package io.hearth.server.sweep;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.fakeStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.step.Step;
import io.hearth.server.step.StepState;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;

/**
 * When a sweep's tasks are RUNNING and what their times are, on a Hearth whose stand-in Spark
 * runtime plays the training jobs and the shared application (the tests write the shared
 * application's status files and end the stand-in jobs).
 */
class TestSweepManager {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BASE = """
            "base": {"input": {"table": "ml.bc"}, "label": {"column": "target"}, "model": {"type": "logistic_regression"}},
            "grid": [{"model": "gbt", "params": {"maxDepth": [2, 3, 4]}}]""";

    private TestingHearth hearth;
    private SweepManager sweeps;

    @BeforeEach
    void start() {
        hearth = TestingHearth.builder().start();
        sweeps = hearth.server().sweeps();
    }

    @AfterEach
    void stop() {
        hearth.close();
    }

    private List<SweepTask> tasksOnceLaunched(String sweepId, int launched) {
        return await().atMost(WAIT).until(() -> sweeps.tasks(sweepId), tasks -> tasks.stream().filter(task -> task.stepId() != null).count() >= launched);
    }

    private static void writeStatus(Path statusDirectory, String taskId, String json) throws IOException {
        Files.writeString(statusDirectory.resolve(taskId + ".json"), json);
    }

    @Test
    void aSharedTaskIsPendingUntilItsThreadStartsIt() throws IOException {
        String clusterId = createCluster(hearth.emr(), cluster("shared", 1, true, c -> c));
        Sweep sweep = sweeps.submit("{\"isolation\": \"shared\", \"maxParallel\": 1, " + BASE + "}", clusterId);

        List<SweepTask> queued = tasksOnceLaunched(sweep.sweepId(), 3);
        assertThat(queued).extracting(SweepTask::stepId).as("one application for the three tasks").containsOnly(queued.get(0).stepId());
        assertThat(queued).as("no thread has started any").allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.PENDING);
            assertThat(task.startedAt()).isNull();
        });

        Path status = Path.of(queued.get(0).logLocation());
        Instant started = Instant.parse("2026-11-21T10:00:01.250Z");
        writeStatus(status, "t-001", "{\"state\": \"RUNNING\", \"applicationId\": \"app-1\", \"startedAt\": \"" + started + "\"}");
        sweeps.reconcile();
        List<SweepTask> tasks = sweeps.tasks(sweep.sweepId());
        assertThat(tasks).extracting(SweepTask::state).containsExactly(TaskState.RUNNING, TaskState.PENDING, TaskState.PENDING);
        assertThat(tasks.get(0).startedAt()).as("when its thread started it").isEqualTo(started);

        writeStatus(status, "t-001", "{\"state\": \"SUCCEEDED\", \"applicationId\": \"app-1\", \"startedAt\": \"" + started + "\", \"endedAt\": \""
                + started.plusSeconds(92) + "\", \"metrics\": {\"test\": {\"rows\": 10, \"auc_roc\": 0.99}}}");
        writeStatus(status, "t-002", "{\"state\": \"RUNNING\", \"applicationId\": \"app-1\", \"startedAt\": \"" + started.plusSeconds(92) + "\"}");
        sweeps.reconcile();
        tasks = sweeps.tasks(sweep.sweepId());
        assertThat(tasks).extracting(SweepTask::state).containsExactly(TaskState.SUCCEEDED, TaskState.RUNNING, TaskState.PENDING);
        assertThat(Duration.between(tasks.get(0).startedAt(), tasks.get(0).endedAt())).as("the task's own time, not the wait").isEqualTo(Duration.ofSeconds(92));
        assertThat(tasks.get(1).startedAt()).isEqualTo(started.plusSeconds(92));
        assertThat(tasks.get(2).startedAt()).isNull();

        // Cancelling ends the waiting task at once and asks the application to skip it and stop the running one.
        sweeps.cancel(sweep.sweepId());
        tasks = sweeps.tasks(sweep.sweepId());
        assertThat(tasks.get(2).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(status.resolve("t-002.cancel")).exists();
        assertThat(status.resolve("t-003.cancel")).exists();
        assertThat(sweeps.get(sweep.sweepId()).state()).as("t-002 is still running").isEqualTo(SweepState.RUNNING);
        writeStatus(status, "t-002", "{\"state\": \"CANCELLED\", \"reason\": \"Cancelled\", \"startedAt\": \"" + started.plusSeconds(92) + "\", \"endedAt\": \""
                + started.plusSeconds(95) + "\"}");
        Files.writeString(status.resolve("exit"), "");
        Sweep ended = await().atMost(WAIT).until(() -> sweeps.get(sweep.sweepId()), s -> s.state() != SweepState.RUNNING);
        assertThat(ended.state()).isEqualTo(SweepState.CANCELLED);
        assertThat(sweeps.tasks(sweep.sweepId())).extracting(SweepTask::state).containsExactly(TaskState.SUCCEEDED, TaskState.CANCELLED, TaskState.CANCELLED);
    }

    @Test
    void aProcessTaskIsPendingWhileItsStepWaitsForTheCluster() throws IOException {
        // Two at a time by the sweep, one at a time by the cluster: the second step waits.
        String clusterId = createCluster(hearth.emr(), cluster("process", 1, true, c -> c.stepConcurrencyLevel(1)));
        Sweep sweep = sweeps.submit("{\"isolation\": \"process\", \"maxParallel\": 2, " + BASE + "}", clusterId);

        List<SweepTask> launched = tasksOnceLaunched(sweep.sweepId(), 2);
        SweepTask second = launched.get(1);
        assertThat(launched.get(2).stepId()).as("maxParallel counts the waiting step").isNull();
        await().atMost(WAIT).until(() -> sweeps.tasks(sweep.sweepId()).get(0).state() == TaskState.RUNNING);
        assertThat(step(clusterId, second.stepId()).state()).isEqualTo(StepState.PENDING);
        sweeps.reconcile();
        SweepTask waiting = sweeps.tasks(sweep.sweepId()).get(1);
        assertThat(waiting.state()).isEqualTo(TaskState.PENDING);
        assertThat(waiting.startedAt()).isNull();
        SweepTask first = sweeps.tasks(sweep.sweepId()).get(0);
        assertThat(first.startedAt()).as("when its step started").isEqualTo(step(clusterId, first.stepId()).startedAt());

        Files.writeString(specFile(sweep, "t-001"), "1");
        SweepTask running = await().atMost(WAIT).until(() -> sweeps.tasks(sweep.sweepId()).get(1), task -> task.state() == TaskState.RUNNING);
        assertThat(running.startedAt()).isEqualTo(step(clusterId, second.stepId()).startedAt());
        assertThat(sweeps.tasks(sweep.sweepId()).get(0).state()).isEqualTo(TaskState.FAILED);

        sweeps.cancel(sweep.sweepId());
        Sweep ended = await().atMost(WAIT).until(() -> sweeps.get(sweep.sweepId()), s -> s.state() != SweepState.RUNNING);
        assertThat(ended).as("a cancel decides how the sweep ends, whatever failed before").extracting(Sweep::state, Sweep::stateMessage)
                .containsExactly(SweepState.CANCELLED, "Cancelled by request");
        assertThat(sweeps.tasks(sweep.sweepId())).extracting(SweepTask::state).containsExactly(TaskState.FAILED, TaskState.CANCELLED, TaskState.CANCELLED);
    }

    @Test
    void aProcessSweepRunsAtMostMaxParallelTasksAndCompletesWithTheirMetrics() throws IOException {
        String clusterId = createCluster(hearth.emr(), cluster("complete", 1, true, c -> c.stepConcurrencyLevel(3)));
        Sweep sweep = sweeps.submit("{\"isolation\": \"process\", \"maxParallel\": 2, " + BASE + "}", clusterId);

        List<SweepTask> launched = tasksOnceLaunched(sweep.sweepId(), 2);
        assertThat(launched.get(2).stepId()).as("the third waits for a slot of the sweep's own").isNull();
        for (String taskId : List.of("t-001", "t-002", "t-003")) {
            SweepTask task = await().atMost(WAIT).until(() -> sweeps.tasks(sweep.sweepId()).stream().filter(t -> t.taskId().equals(taskId)).findFirst().orElseThrow(),
                    t -> t.state() == TaskState.RUNNING);
            assertThat(sweeps.tasks(sweep.sweepId()).stream().filter(SweepTask::isInFlight).count()).isLessThanOrEqualTo(2);
            Path model = hearth.server().config().modelsDirectory().resolve(task.modelId());
            Files.createDirectories(model);
            Files.writeString(model.resolve("metrics.json"), "{\"test\": {\"auc_roc\": 0.9" + taskId.charAt(4) + "}}");
            Files.writeString(specFile(sweep, taskId), "0");
        }

        Sweep ended = await().atMost(WAIT).until(() -> sweeps.get(sweep.sweepId()), s -> s.state() != SweepState.RUNNING);
        assertThat(ended).extracting(Sweep::state, Sweep::stateMessage).containsExactly(SweepState.COMPLETED, "3 task(s) succeeded");
        assertThat(sweeps.tasks(sweep.sweepId())).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(task.metrics()).contains("auc_roc");
            assertThat(task.endedAt()).isEqualTo(step(clusterId, task.stepId()).endedAt());
        });
        assertThat(sweeps.resume(sweep.sweepId())).as("a completed sweep has nothing to run again").isZero();
    }

    @Test
    void onFailureStopCancelsTheRestAndResumeRunsOnlyWhatDidNotSucceed() throws IOException {
        String clusterId = createCluster(hearth.emr(), cluster("stop", 1, true, c -> c.stepConcurrencyLevel(2)));
        Sweep sweep = sweeps.submit("{\"isolation\": \"process\", \"maxParallel\": 1, \"onFailure\": \"stop\", " + BASE + "}", clusterId);
        await().atMost(WAIT).until(() -> sweeps.tasks(sweep.sweepId()).get(0).state() == TaskState.RUNNING);
        Files.writeString(specFile(sweep, "t-001"), "1");

        Sweep ended = await().atMost(WAIT).until(() -> sweeps.get(sweep.sweepId()), s -> s.state() != SweepState.RUNNING);
        assertThat(ended.state()).isEqualTo(SweepState.FAILED);
        assertThat(sweeps.tasks(sweep.sweepId())).extracting(SweepTask::state).containsExactly(TaskState.FAILED, TaskState.CANCELLED, TaskState.CANCELLED);
        assertThat(sweeps.tasks(sweep.sweepId()).get(1).reason()).isEqualTo("The sweep stopped after task t-001 failed");
        assertThat(sweeps.tasks(sweep.sweepId()).get(1).stepId()).as("never handed to a step").isNull();

        assertThat(sweeps.resume(sweep.sweepId())).isEqualTo(3);
        SweepTask again = await().atMost(WAIT).until(() -> sweeps.tasks(sweep.sweepId()).get(0), task -> task.state() == TaskState.RUNNING);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(sweeps.get(sweep.sweepId())).extracting(Sweep::state, Sweep::stateMessage, Sweep::cancelReason).containsExactly(SweepState.RUNNING, null, null);
        sweeps.cancel(sweep.sweepId());
    }

    @Test
    void aCancelRacingATasksFailureEndsTheSweepCancelledWithTheCancelsReason() throws IOException {
        String clusterId = createCluster(hearth.emr(), cluster("race", 1, true, c -> c.stepConcurrencyLevel(2)));
        Sweep sweep = sweeps.submit("{\"isolation\": \"process\", \"maxParallel\": 2, " + BASE + "}", clusterId);
        await().atMost(WAIT).until(() -> sweeps.tasks(sweep.sweepId()).stream().filter(task -> task.state() == TaskState.RUNNING).count() == 2);

        // The first driver fails as the cancel arrives: whichever the step records, the cancel was asked first.
        Files.writeString(specFile(sweep, "t-001"), "1");
        sweeps.cancel(sweep.sweepId());
        sweeps.cancel(sweep.sweepId());

        Sweep ended = await().atMost(WAIT).until(() -> sweeps.get(sweep.sweepId()), s -> s.state() != SweepState.RUNNING);
        assertThat(ended).extracting(Sweep::state, Sweep::stateMessage, Sweep::cancelReason)
                .containsExactly(SweepState.CANCELLED, "Cancelled by request", "Cancelled by request");
        assertThat(sweeps.tasks(sweep.sweepId())).extracting(SweepTask::state).doesNotContain(TaskState.PENDING, TaskState.RUNNING);
        assertThat(sweeps.tasks(sweep.sweepId()).get(2).state()).as("never started").isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void aUserStepNamedLikeASweepTaskLeavesTheSweepAlone() {
        String clusterId = createCluster(hearth.emr(), cluster("named", 1, true, c -> c.stepConcurrencyLevel(2)));
        Sweep sweep = sweeps.submit("{\"isolation\": \"process\", \"maxParallel\": 1, " + BASE + "}", clusterId);
        SweepTask first = tasksOnceLaunched(sweep.sweepId(), 1).get(0);

        String userStep = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId)
                .steps(fakeStep("sweep " + sweep.sweepId() + " " + first.taskId(), ActionOnFailure.CONTINUE, "Fail"))).stepIds().get(0);
        awaitStepState(hearth.emr(), clusterId, userStep, software.amazon.awssdk.services.emr.model.StepState.FAILED);
        sweeps.reconcile();

        SweepTask after = sweeps.tasks(sweep.sweepId()).get(0);
        assertThat(after.stepId()).isEqualTo(first.stepId());
        assertThat(after.state()).as("its own step still runs").isIn(TaskState.PENDING, TaskState.RUNNING);
        assertThat(after.reason()).isNull();
        assertThat(sweeps.get(sweep.sweepId()).state()).isEqualTo(SweepState.RUNNING);
        assertThat(hearth.server().sweeps().tasks(sweep.sweepId())).extracting(SweepTask::stepId).doesNotContain(userStep);
        sweeps.cancel(sweep.sweepId());
    }

    private Step step(String clusterId, String stepId) {
        return hearth.server().clusters().getStep(clusterId, stepId);
    }

    private Path specFile(Sweep sweep, String taskId) {
        return hearth.dataDirectory().resolve("sweeps").resolve(sweep.sweepId()).resolve(taskId + "-a1.json.exit");
    }
}
