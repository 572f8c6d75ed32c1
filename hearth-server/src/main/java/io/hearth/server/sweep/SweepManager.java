package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.cluster.Cluster;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.cluster.ClusterState;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.model.ModelRegistry;
import io.hearth.server.step.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sweeps. With process isolation every task is a training job step of its own on the sweep's
 * cluster (visible through ListSteps as {@code sweep <sweep-id> <task-id>}, with the Spark
 * application name {@code <sweep-id>-<task-id>-a<attempt>}), at most {@code maxParallel} at once.
 * A task follows its step: it is PENDING while the step waits for the cluster and RUNNING from the
 * step's start; COMPLETED is SUCCEEDED with the metrics the job wrote to the model
 * registry, FAILED carries the step's reason and log, CANCELLED and INTERRUPTED are CANCELLED.
 * Everything lives in the database and is settled again from the steps' states, so a sweep goes
 * on after Hearth restarts. With shared isolation the pending tasks run in one application
 * ({@link SharedSweepRuns}); with process isolation each runs as a step of its own ({@link TaskSteps}).
 */
public final class SweepManager {
    private static final Logger LOG = LoggerFactory.getLogger(SweepManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HearthConfig config;
    private final SweepStore store;
    private final TaskStateMachine taskStates;
    private final ClusterManager clusters;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final SharedSweepRuns shared;
    private final TaskSteps taskSteps;
    private final ComputedRanking ranking;
    private final SweepResults results;
    private final SweepStateMachine lifecycle;
    private final ExecutorService publishing;
    private ScheduledFuture<?> reconciling;
    private volatile boolean stopped;

    /** {@code metastore} is null when the catalog is turned off: leaderboards are then not written as tables. */
    public SweepManager(HearthConfig config, SweepStore store, ClusterManager clusters, ModelRegistry registry, MetastoreServer metastore, Clock clock,
            ScheduledExecutorService timer) {
        this.config = requireNonNull(config, "config is null");
        this.store = requireNonNull(store, "store is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.taskStates = new TaskStateMachine(store, clock);
        this.timer = requireNonNull(timer, "timer is null");
        this.shared = new SharedSweepRuns(config, store, clusters, clock);
        Path sweepsDirectory = config.dataDirectory().resolve("sweeps");
        this.taskSteps = new TaskSteps(sweepsDirectory, store, taskStates, clusters);
        this.lifecycle = new SweepStateMachine(store, clock);
        this.ranking = new ComputedRanking(store, config.modelsDirectory(), clock);
        this.results = new SweepResults(requireNonNull(registry, "registry is null"), metastore == null ? null : new LeaderboardTable(metastore, sweepsDirectory));
        // Writing results may wait for the metastore; it must not hold up scheduling.
        this.publishing = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hearth-sweep-results");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Follows task steps as they end, and settles every running sweep now and then (and at once, after a restart). */
    public void start() {
        clusters.addStepEndObserver(this::stepEnded);
        long every = config.housekeepingInterval().toMillis();
        reconciling = timer.scheduleWithFixedDelay(this::reconcileQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Steps that end from now on are left to the next start's reconcile, which reads them from the store. */
    public void stop() {
        stopped = true;
        if (reconciling != null) {
            reconciling.cancel(false);
        }
        publishing.shutdown();
        try {
            publishing.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Newest first. */
    public List<Sweep> list() {
        return store.list();
    }

    /** The tasks ranked by {@code metric} ({@code [validation.|test.]name}), or by the sweep's own metric when null. */
    public Leaderboard leaderboard(String sweepId, String metric) {
        Sweep sweep = get(sweepId);
        return Leaderboard.of(sweep, store.tasks(sweepId), metric);
    }

    /** Checks and stores a sweep, then starts its first tasks. */
    public Sweep submit(String specJson, String clusterId) {
        SweepPlanner.Plan plan = SweepPlanner.plan(SweepPlanner.parse(specJson));
        Cluster cluster = clusters.getCluster(clusterId);
        if (!cluster.state().acceptsChanges()) {
            throw HearthException.invalidState("Cluster %s is %s and takes no more steps", clusterId, cluster.state());
        }
        Sweep sweep = new Sweep(newSweepId(), plan.name(), clusterId, plan.isolation(), plan.maxParallel(), plan.stopOnFailure(), plan.metric(),
                specJson, SweepState.RUNNING, null, null, clock.instant(), null);
        store.create(sweep, plan.tasks());
        LOG.info("Sweep {} ({} tasks, at most {} at once) on cluster {}", sweep.sweepId(), plan.tasks().size(), plan.maxParallel(), clusterId);
        schedule(sweep.sweepId());
        return store.find(sweep.sweepId()).orElseThrow();
    }

    /** Checks and stores a sweep on the given cluster, or on the one cluster taking steps when {@code clusterId} is null. */
    public Sweep submitAnywhere(String specJson, String clusterId) {
        return submit(specJson, clusterId != null ? clusterId : onlyActiveCluster());
    }

    private String onlyActiveCluster() {
        Set<ClusterState> active = EnumSet.noneOf(ClusterState.class);
        for (ClusterState state : ClusterState.values()) {
            if (state.acceptsChanges()) {
                active.add(state);
            }
        }
        List<String> ids = clusters.listClusters(active, null, null, null, 50).stream().map(Cluster::id).toList();
        if (ids.size() != 1) {
            throw HearthException.invalidArgument("clusterId: is required when %s; name the cluster the tasks run on",
                    ids.isEmpty() ? "no cluster is running (start one with aws emr create-cluster)" : "several clusters are running (" + String.join(", ", ids) + ")");
        }
        return ids.get(0);
    }

    public Sweep get(String sweepId) {
        return store.find(sweepId).orElseThrow(() -> HearthException.notFound("Sweep %s does not exist", sweepId));
    }

    public List<SweepTask> tasks(String sweepId) {
        get(sweepId);
        return store.tasks(sweepId);
    }

    /** Runs again only the tasks that did not succeed; returns how many. */
    public synchronized int resume(String sweepId) {
        return resume(sweepId, null);
    }

    /**
     * Runs again only the tasks that did not succeed, with their specs from {@code correctedSpec}
     * when given (the same sweep with a mistake fixed: it must plan the same tasks, by id).
     */
    public synchronized int resume(String sweepId, String correctedSpec) {
        Sweep sweep = get(sweepId);
        List<SweepPlanner.PlannedTask> corrected = null;
        if (correctedSpec != null) {
            corrected = SweepPlanner.plan(SweepPlanner.parse(correctedSpec)).tasks();
            List<String> ids = store.tasks(sweepId).stream().map(SweepTask::taskId).toList();
            if (!corrected.stream().map(SweepPlanner.PlannedTask::taskId).toList().equals(ids)) {
                throw HearthException.invalidArgument("The corrected spec plans %d task(s) where sweep %s has %d; resume fixes tasks, it does not add or remove them",
                        corrected.size(), sweepId, ids.size());
            }
        }
        if (sweep.state() == SweepState.RUNNING && store.tasks(sweepId).stream().anyMatch(task -> !task.state().isTerminal())) {
            throw HearthException.invalidState("Sweep %s is still running; cancel it or wait for it to end before resuming", sweepId);
        }
        int again = lifecycle.transitionToRunningAgain(sweepId);
        if (corrected != null) {
            store.replaceSweepSpec(sweepId, correctedSpec);
            for (SweepPlanner.PlannedTask task : corrected) {
                store.replacePendingSpec(sweepId, task.taskId(), task.description(), task.spec().toString());
            }
        }
        if (again > 0) {
            LOG.info("Sweep {} resumed: {} task(s) run again", sweepId, again);
            schedule(sweepId);
        }
        return again;
    }

    /**
     * Records the cancel, then cancels the tasks not started and stops the running ones; the sweep
     * ends CANCELLED with the cancel's reason once they have, even if one of them fails meanwhile.
     */
    public synchronized void cancel(String sweepId) {
        String reason = "Cancelled by request";
        if (!lifecycle.requestCancel(sweepId, reason)) {
            return;
        }
        stopRemaining(get(sweepId), reason);
        schedule(sweepId);
    }

    /** A step that ended: if it ran sweep tasks (found by its id, whatever it is named), they follow it. */
    private void stepEnded(Step step) {
        if (stopped) {
            return;
        }
        Optional<String> sweepId = store.sweepOfStep(step.id());
        if (sweepId.isEmpty()) {
            return;
        }
        synchronized (this) {
            store.find(sweepId.get()).ifPresent(sweep -> {
                if (sweep.isolation() == SweepPlanner.Isolation.SHARED) {
                    store.tasks(sweep.sweepId()).stream().filter(task -> task.isInFlight() && step.id().equals(task.stepId()))
                            .forEach(task -> shared.settle(sweep, task, step));
                } else {
                    follow(sweep, step);
                }
            });
            schedule(sweepId.get());
        }
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("Settling running sweeps failed; trying again in {} ms", config.housekeepingInterval().toMillis(), e);
        }
    }

    /** Follows the tasks whose steps started or ended while nobody watched, then fills free slots. */
    public synchronized void reconcile() {
        for (Sweep sweep : store.running()) {
            for (SweepTask task : store.tasks(sweep.sweepId())) {
                if (task.isInFlight()) {
                    Step step = findStep(sweep.clusterId(), task.stepId());
                    if (sweep.isolation() == SweepPlanner.Isolation.SHARED) {
                        shared.settle(sweep, task, step);
                    } else if (step == null) {
                        taskStates.transitionToFailed(sweep.sweepId(), task.taskId(), "Its step " + task.stepId() + " no longer exists", clock.instant());
                    } else {
                        follow(sweep, step);
                    }
                }
            }
            schedule(sweep.sweepId());
        }
    }

    /** A task follows its step: RUNNING as of the step's start, and once the step has ended, ended the same way. */
    private void follow(Sweep sweep, Step step) {
        SweepTask task = store.tasks(sweep.sweepId()).stream().filter(t -> step.id().equals(t.stepId()) && t.isInFlight())
                .findFirst().orElse(null);
        if (task == null) {
            return;
        }
        if (task.state() == TaskState.PENDING && step.startedAt() != null) {
            taskStates.transitionToRunning(sweep.sweepId(), task.taskId(), step.id(), step.startedAt());
        }
        if (!step.state().isTerminal()) {
            return;
        }
        if (step.applicationId() != null) {
            store.recordApplicationId(sweep.sweepId(), task.taskId(), step.applicationId());
        }
        Instant ended = step.endedAt() != null ? step.endedAt() : clock.instant();
        switch (step.state()) {
            case COMPLETED -> {
                Path metrics = config.modelsDirectory().resolve(task.modelId()).resolve("metrics.json");
                try {
                    taskStates.transitionToSucceeded(sweep.sweepId(), task.taskId(), Files.readString(metrics, StandardCharsets.UTF_8), ended);
                } catch (IOException e) {
                    taskStates.transitionToFailed(sweep.sweepId(), task.taskId(),
                            "The training step completed but its metrics are missing (" + metrics + ")", ended);
                }
            }
            case FAILED -> {
                String reason = step.failure() == null ? "The training step failed" : step.failure().reason();
                taskStates.transitionToFailed(sweep.sweepId(), task.taskId(), reason, ended);
                if (sweep.stopOnFailure()) {
                    stopRemaining(sweep, "The sweep stopped after task " + task.taskId() + " failed");
                }
            }
            default -> taskStates.transitionToCancelled(sweep.sweepId(), task.taskId(),
                    step.stateMessage() == null ? "Its step ended " + step.state() : step.stateMessage(), ended);
        }
    }

    /** Starts pending tasks while there are free slots; ends the sweep when nothing is left to run. */
    private synchronized void schedule(String sweepId) {
        Sweep sweep = store.find(sweepId).orElse(null);
        if (sweep == null || sweep.state() != SweepState.RUNNING) {
            return;
        }
        List<SweepTask> tasks = store.tasks(sweepId);
        if (sweep.isCancelRequested()) {
            settleWhenAllEnded(sweep, tasks);
            return;
        }
        // A task handed to its step or application holds a slot whether or not it has started yet.
        long running = tasks.stream().filter(SweepTask::isInFlight).count();
        List<SweepTask> ready = ranking.ready(sweep, tasks);
        if (sweep.isolation() == SweepPlanner.Isolation.SHARED) {
            if (running == 0 && !ready.isEmpty()) {
                // One application for all that is ready; it bounds its own threads by maxParallel.
                shared.launch(sweep, ready);
            }
        }
        for (SweepTask task : sweep.isolation() == SweepPlanner.Isolation.SHARED ? List.<SweepTask>of() : ready) {
            if (running >= sweep.maxParallel()) {
                break;
            }
            if (taskSteps.launch(sweep, task)) {
                running++;
            }
        }
        settleWhenAllEnded(sweep, store.tasks(sweepId));
    }

    /** Ends the sweep once every task has ended: CANCELLED with the cancel's reason if one was asked for, else by how the tasks ended. */
    private void settleWhenAllEnded(Sweep sweep, List<SweepTask> now) {
        String sweepId = sweep.sweepId();
        if (now.stream().allMatch(task -> task.state().isTerminal())) {
            if (sweep.isCancelRequested()) {
                settle(sweepId, SweepState.CANCELLED, sweep.cancelReason(), now);
                return;
            }
            long failed = now.stream().filter(task -> task.state() == TaskState.FAILED).count();
            long cancelled = now.stream().filter(task -> task.state() == TaskState.CANCELLED).count();
            if (failed == 0 && cancelled == 0) {
                settle(sweepId, SweepState.COMPLETED, now.size() + " task(s) succeeded", now);
            } else {
                settle(sweepId, failed > 0 ? SweepState.FAILED : SweepState.CANCELLED,
                        failed + " of " + now.size() + " task(s) failed, " + cancelled + " cancelled; resume runs them again", now);
            }
        }
    }

    private void stopRemaining(Sweep sweep, String reason) {
        for (SweepTask task : store.tasks(sweep.sweepId())) {
            if (task.isInFlight() && sweep.isolation() == SweepPlanner.Isolation.SHARED) {
                // The application skips a queued task with a cancel file and stops a running one.
                shared.requestCancel(task);
            } else if (task.isInFlight()) {
                taskSteps.cancel(sweep, task);
            }
            if (task.state() == TaskState.PENDING) {
                // Never started, so nothing of it to wait for.
                taskStates.cancelBeforeStart(sweep.sweepId(), task.taskId(), reason);
            }
        }
    }

    /** Ends a sweep whose tasks have all ended ({@code ended}); only the winner of the end publishes its results. */
    private void settle(String sweepId, SweepState state, String message, List<SweepTask> ended) {
        if (transitionToEnd(sweepId, state, message)) {
            LOG.info("Sweep {} ended {}: {}", sweepId, state, message);
            store.find(sweepId).ifPresent(sweep -> publishing.execute(() -> results.publish(sweep, ended)));
        }
    }

    private boolean transitionToEnd(String sweepId, SweepState end, String message) {
        return switch (end) {
            case COMPLETED -> lifecycle.transitionToCompleted(sweepId, message);
            case FAILED -> lifecycle.transitionToFailed(sweepId, message);
            case CANCELLED -> lifecycle.transitionToCancelled(sweepId, message);
            case RUNNING -> throw new IllegalArgumentException("A sweep settles into an end, not " + end);
        };
    }

    private Step findStep(String clusterId, String stepId) {
        try {
            return clusters.getStep(clusterId, stepId);
        } catch (HearthException e) {
            return null;
        }
    }

    private static String newSweepId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder("sw-");
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
