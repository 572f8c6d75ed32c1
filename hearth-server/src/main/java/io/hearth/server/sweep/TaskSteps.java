package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.cluster.ClusterPaths;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.step.ActionOnFailure;
import io.hearth.server.step.StepDefinition;
import io.hearth.server.step.StopRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of a process-isolated sweep, each a training-job step of its own on the sweep's
 * cluster: {@code sweep <sweep-id> <task-id>} in ListSteps, the Spark application
 * {@code <sweep-id>-<task-id>-a<attempt>}, its spec in {@code <data-dir>/sweeps/<sweep-id>/}.
 */
final class TaskSteps {
    private static final Logger LOG = LoggerFactory.getLogger(TaskSteps.class);
    private static final String TRAIN_CLASS = "io.hearth.spark.train.TrainModel";

    private final Path sweepsDirectory;
    private final SweepStore store;
    private final TaskStateMachine taskStates;
    private final ClusterManager clusters;

    TaskSteps(Path sweepsDirectory, SweepStore store, TaskStateMachine taskStates, ClusterManager clusters) {
        this.sweepsDirectory = requireNonNull(sweepsDirectory, "sweepsDirectory is null");
        this.store = requireNonNull(store, "store is null");
        this.taskStates = requireNonNull(taskStates, "taskStates is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
    }

    /** Adds the task's step to the sweep's cluster; false when the task is no longer pending or cannot run there (then it is FAILED). */
    boolean launch(Sweep sweep, SweepTask task) {
        String attemptName = sweep.sweepId() + "-" + task.taskId() + "-a" + task.attempt();
        String modelId = SharedSweepRuns.modelId(sweep, task);
        Path specFile = sweepsDirectory.resolve(sweep.sweepId()).resolve(task.taskId() + "-a" + task.attempt() + ".json");
        try {
            Files.createDirectories(specFile.getParent());
            Files.writeString(specFile, task.spec(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the spec of task " + task.taskId() + " to " + specFile, e);
        }
        StepDefinition step = new StepDefinition("sweep " + sweep.sweepId() + " " + task.taskId(), ActionOnFailure.CONTINUE, "command-runner.jar", null,
                List.of("spark-submit", "--name", attemptName, "--class", TRAIN_CLASS, "spark-internal", specFile.toString(), "--model-id", modelId),
                Map.of(), null, null);
        ClusterPaths paths = clusters.paths(clusters.getCluster(sweep.clusterId()));
        try {
            // The step and the task it runs commit together: after a crash the task is either still waiting or has its one step.
            // The task is RUNNING once the step starts (it may wait for the cluster's StepConcurrencyLevel): see follow.
            clusters.addSteps(sweep.clusterId(), List.of(step), "sweep", (handle, stepIds) -> {
                String logs = paths.locationOf(paths.logRoot().resolve(sweep.clusterId()).resolve("steps").resolve(stepIds.get(0)));
                if (!store.assign(handle, sweep.sweepId(), task.taskId(), modelId, stepIds.get(0), logs)) {
                    throw new TaskNoLongerPending(task.taskId());
                }
            });
        } catch (TaskNoLongerPending e) {
            return false;
        } catch (HearthException e) {
            // The cluster ended or is full: the task cannot run there.
            taskStates.failBeforeStart(sweep.sweepId(), task.taskId(), "Its step could not be added: " + e.getMessage());
            return false;
        }
        CrashPoints.reach("sweep.after-task-step");
        return true;
    }

    /** Rolls back a task's step when the task was cancelled while it was being added. */
    static final class TaskNoLongerPending extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskNoLongerPending(String taskId) {
            super("Task " + taskId + " is no longer pending", null, false, false);
        }
    }

    /** Interrupts the task's step; its end reaches the task through the step-ended event. */
    void cancel(Sweep sweep, SweepTask task) {
        try {
            clusters.cancelSteps(sweep.clusterId(), List.of(task.stepId()), StopRequest.CANCEL_SEND_INTERRUPT);
        } catch (HearthException e) {
            LOG.warn("Cannot cancel step {} of sweep {}: {}", task.stepId(), sweep.sweepId(), e.getMessage());
        }
    }
}
