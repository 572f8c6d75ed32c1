package io.hearth.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.step.ActionOnFailure;
import io.hearth.server.step.Step;
import io.hearth.server.step.StepDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Shared isolation: the pending tasks of a sweep run in one Spark application, the
 * {@code io.hearth.spark.train.SweepTasks} step, which caches each input once and runs
 * {@code maxParallel} tasks at a time in FAIR pools. Each task reports its state in a status file;
 * the task's log location is that status folder ({@code <task-id>.json}, and {@code <task-id>.log}
 * for a failure), next to the step's own logs.
 */
final class SharedSweepRuns {
    private static final String RUNNER_CLASS = "io.hearth.spark.train.SweepTasks";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HearthConfig config;
    private final SweepStore store;
    private final TaskStateMachine taskStates;
    private final ClusterManager clusters;
    private final Clock clock;

    SharedSweepRuns(HearthConfig config, SweepStore store, ClusterManager clusters, Clock clock) {
        this.config = config;
        this.store = store;
        this.clusters = clusters;
        this.clock = clock;
        this.taskStates = new TaskStateMachine(store, clock);
    }

    /**
     * Starts one application for the pending tasks. They stay PENDING, queued in it, until one of
     * its {@code maxParallel} threads starts them: each becomes RUNNING as of the moment its status
     * file says its thread started it ({@link #settle}).
     */
    void launch(Sweep sweep, List<SweepTask> pending) {
        Path run = nextRunDirectory(sweep.sweepId());
        Path status = run.resolve("status");
        ObjectNode file = JSON.createObjectNode();
        file.put("maxParallel", sweep.maxParallel());
        file.put("onFailure", sweep.stopOnFailure() ? "stop" : "continue");
        file.put("outputRoot", config.modelsDirectory().toUri().toString());
        ArrayNode tasks = file.putArray("tasks");
        for (SweepTask task : pending) {
            ObjectNode entry = tasks.addObject();
            entry.put("taskId", task.taskId());
            entry.put("modelId", modelId(sweep, task));
            try {
                entry.set("spec", JSON.readTree(task.spec()));
            } catch (IOException e) {
                throw new UncheckedIOException("The stored spec of task " + task.taskId() + " is not JSON", e);
            }
        }
        Path tasksFile = run.resolve("tasks.json");
        try {
            Files.createDirectories(status);
            Files.writeString(tasksFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the tasks of sweep " + sweep.sweepId() + " to " + tasksFile, e);
        }
        StepDefinition step = new StepDefinition("sweep " + sweep.sweepId() + " shared", ActionOnFailure.CONTINUE, "command-runner.jar", null,
                List.of("spark-submit", "--name", sweep.sweepId() + "-" + run.getFileName(), "--conf", "spark.scheduler.mode=FAIR",
                        "--class", RUNNER_CLASS, "spark-internal", tasksFile.toString(), status.toString()),
                Map.of(), null, null);
        // The application's step and its tasks commit together: after a crash they have their one step, or are still waiting.
        clusters.addSteps(sweep.clusterId(), List.of(step), "sweep", (handle, stepIds) -> {
            for (SweepTask task : pending) {
                store.assign(handle, sweep.sweepId(), task.taskId(), modelId(sweep, task), stepIds.get(0), status.toString());
            }
        });
        CrashPoints.reach("sweep.after-task-step");
    }

    /**
     * Takes a queued or running task's state from its status file: RUNNING once its thread started
     * it (as of then), ended as of the time the application gives. Once the application has ended,
     * a task it never ended fails (or is cancelled, if the application was).
     */
    void settle(Sweep sweep, SweepTask task, Step step) {
        JsonNode status = readStatus(task);
        TaskState state = task.state();
        if (status != null) {
            String applicationId = status.path("applicationId").asText(null);
            if (applicationId != null) {
                store.recordApplicationId(sweep.sweepId(), task.taskId(), applicationId);
            }
            Instant started = instant(status, "startedAt");
            if (state == TaskState.PENDING && started != null && taskStates.transitionToRunning(sweep.sweepId(), task.taskId(), task.stepId(), started)) {
                state = TaskState.RUNNING;
            }
            Instant ended = instant(status, "endedAt");
            Instant endedAt = ended != null ? ended : clock.instant();
            switch (status.path("state").asText()) {
                case "SUCCEEDED" -> {
                    taskStates.transitionToSucceeded(sweep.sweepId(), task.taskId(), status.path("metrics").toString(), endedAt);
                    return;
                }
                case "FAILED" -> {
                    taskStates.transitionToFailed(sweep.sweepId(), task.taskId(), status.path("reason").asText("The task failed"), endedAt);
                    return;
                }
                case "CANCELLED" -> {
                    taskStates.transitionToCancelled(sweep.sweepId(), task.taskId(), status.path("reason").asText("Cancelled"), endedAt);
                    return;
                }
                default -> {
                    // RUNNING: nothing to settle yet.
                }
            }
        }
        if (step == null || step.state().isTerminal()) {
            String why = step == null ? "its application's step " + task.stepId() + " no longer exists"
                    : "its application (step " + step.id() + ") ended " + step.state() + (step.failure() == null ? "" : ": " + step.failure().reason());
            TaskState end = step != null && step.state() == io.hearth.server.step.StepState.FAILED ? TaskState.FAILED : TaskState.CANCELLED;
            Instant endedAt = step != null && step.endedAt() != null ? step.endedAt() : clock.instant();
            taskStates.transitionToEnded(sweep.sweepId(), task.taskId(), end, (state == TaskState.PENDING ? "The task never started: " : "The task did not end: ") + why,
                    endedAt);
        }
    }

    private static Instant instant(JsonNode status, String field) {
        String text = status.path(field).asText(null);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Asks the application to cancel a task: it watches for this file. */
    void requestCancel(SweepTask task) {
        try {
            Files.writeString(Path.of(task.logLocation()).resolve(task.taskId() + ".cancel"), "");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot ask for the cancellation of task " + task.taskId(), e);
        }
    }

    static String modelId(Sweep sweep, SweepTask task) {
        return "m-" + sweep.sweepId() + "-" + task.taskId() + "-a" + task.attempt();
    }

    private JsonNode readStatus(SweepTask task) {
        Path file = Path.of(task.logLocation()).resolve(task.taskId() + ".json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private Path nextRunDirectory(String sweepId) {
        Path sweepDirectory = config.dataDirectory().resolve("sweeps").resolve(sweepId);
        for (int run = 1; ; run++) {
            Path candidate = sweepDirectory.resolve("shared-" + run);
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }
}
