package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.StepsConfig;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.step.CancelStepResult;
import io.hearth.server.step.Step;
import io.hearth.server.step.StepDefinition;
import io.hearth.server.step.StepRunner;
import io.hearth.server.step.StepScheduler;
import io.hearth.server.step.StepState;
import io.hearth.server.step.StepStore;
import io.hearth.server.step.StopRequest;
import io.hearth.server.storage.LocationResolver;
import io.hearth.server.storage.ObjectStoreHadoopSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters feature's one entry point, behind the EMR API and Hearth's own: it checks and stores
 * what users ask for (clusters, steps, settings, tags) and hands the work to the class that owns it:
 * <ul>
 *   <li>{@link ClusterProvisioner}: STARTING, bootstrap actions (BOOTSTRAPPING), Spark, WAITING;</li>
 *   <li>{@link StepScheduler}: steps in order up to the StepConcurrencyLevel, cancels, ActionOnFailure,
 *       with {@link ClusterStepHost} moving the cluster between RUNNING and WAITING;</li>
 *   <li>{@link ClusterTermination}: TERMINATING, then TERMINATED or TERMINATED_WITH_ERRORS;</li>
 *   <li>{@link ClusterRecovery}: after a restart, every cluster that had not ended picks up again.</li>
 * </ul>
 * {@link ClusterStateMachine} makes every state change, as a compare-and-set in the store. Its
 * length (about 400 lines) is one short method per EMR operation it serves.
 */
public final class ClusterManager implements ClusterBackend.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterManager.class);
    static final String NOT_MODIFIABLE = "A job flow that is shutting down, terminated, or finished may not be modified.";

    private final HearthConfig config;
    private final Jdbi jdbi;
    private final ClusterStore clusters;
    private final StepScheduler scheduler;
    private final StepStore steps;
    private final ClusterPlanner planner;
    private final ClusterBackend backend;
    private final StepRunner runner;
    private final LocationResolver locations;
    private final Clock clock;
    private final ScheduledExecutorService housekeeping;
    private final ClusterFiles files;
    private final ClusterProvisioner provisioner;
    private final ClusterTermination termination;
    private final ClusterRecovery recovery;
    private volatile boolean stopping;
    private volatile ScheduledFuture<?> housekeepingTask;

    public ClusterManager(HearthConfig config, Jdbi jdbi, ClusterStore clusters, StepStore steps, ClusterSizing sizing, ClusterBackend backend,
            StepRunner runner, ProcessLauncher launcher, LocationResolver locations, CatalogEndpoint catalog, Clock clock,
            ExecutorService executor, ScheduledExecutorService housekeeping) {
        this.config = requireNonNull(config, "config is null");
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.planner = new ClusterPlanner(requireNonNull(sizing, "sizing is null"));
        SparkSetup sparkSetup = new SparkSetup(config.sparkHome(), config.processAddress(), config.warehouseDirectory(), config.modelsDirectory(),
                ObjectStoreHadoopSettings.of(config), requireNonNull(catalog, "catalog is null"),
                config.storage().usesS3Service() ? null : config.objectStoreDirectory());
        this.backend = requireNonNull(backend, "backend is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.clock = requireNonNull(clock, "clock is null");
        ClusterStateMachine lifecycle = new ClusterStateMachine(clusters, clock);
        requireNonNull(executor, "executor is null");
        this.housekeeping = requireNonNull(housekeeping, "housekeeping is null");
        this.scheduler = new StepScheduler(steps, runner, locations, clock, executor);
        this.files = new ClusterFiles(config, locations, clock);
        this.provisioner = new ClusterProvisioner(config, clusters, lifecycle, sparkSetup, catalog, backend, requireNonNull(launcher, "launcher is null"),
                locations, files, clock, executor,
                new ClusterProvisioner.Outcome() {
                    @Override
                    public void ready(String clusterId) {
                        scheduler.schedule(clusterId);
                    }

                    @Override
                    public void failed(String clusterId, ClusterStateChangeReasonCode code, String message) {
                        termination.begin(clusterId, code, message);
                    }
                });
        this.termination = new ClusterTermination(clusters, lifecycle, provisioner, scheduler, backend, locations, files, config.steps().stopGracePeriod(),
                clock, executor);
        scheduler.setHost(new ClusterStepHost(config, clusters, lifecycle, termination, sparkSetup, locations, files, clock));
        this.recovery = new ClusterRecovery(clusters, backend, sparkSetup, provisioner, termination, scheduler, files, executor);
        backend.setListener(this);
    }

    // ---------------------------------------------------------------- lifecycle of the manager

    /** Reconciles every cluster that had not ended when Hearth last stopped, then starts housekeeping. */
    public void start() {
        for (Cluster cluster : clusters.listNotTerminated()) {
            try {
                recovery.reconcile(cluster);
            } catch (RuntimeException e) {
                LOG.error("Cannot reconcile cluster {}", cluster.id(), e);
            }
        }
        long interval = config.housekeepingInterval().toMillis();
        housekeepingTask = housekeeping.scheduleWithFixedDelay(this::houseKeep, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops every process Hearth started: running steps end INTERRUPTED, Spark daemons stop. Clusters
     * keep their state and are brought back by {@link #start()} the next time Hearth runs. The
     * executors are the server's: it shuts them down after this, once their last tasks have run.
     */
    public void stop() {
        stopping = true;
        scheduler.stop();
        if (housekeepingTask != null) {
            housekeepingTask.cancel(false);
        }
        provisioner.cancelAll(Duration.ofSeconds(30));
        runner.stopAll(StopRequest.SERVER_STOPPING);
        backend.stopAll();
    }

    // ---------------------------------------------------------------- clusters

    /** Stores a new cluster and starts provisioning it; returns it as stored. */
    public Cluster createCluster(ClusterDefinition definition, String owner) {
        if (definition.logUri() != null) {
            locations.resolveForWriting(definition.logUri(), "LogUri");
        }
        checkStepLocations(definition.steps());
        if (definition.steps().size() > config.steps().maxUnfinishedPerCluster()) {
            throw HearthException.limitExceeded("Steps has %d steps; a cluster may have at most %d pending or running steps (setting %s)",
                    definition.steps().size(), config.steps().maxUnfinishedPerCluster(), StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key());
        }
        ClusterPlanner.Plan plan = planner.plan(definition, owner, clock.instant());
        jdbi.useTransaction(handle -> {
            clusters.insert(handle, plan.cluster(), plan.groups(), plan.instances(), definition.bootstrapActions(), definition.tags());
            steps.insert(handle, plan.steps());
        });
        Cluster cluster = getCluster(plan.cluster().id());
        LOG.info("Cluster {} ({}) created with {} instance(s) and {} step(s)", cluster.id(), cluster.name(), plan.instances().size(), plan.steps().size());
        provisioner.start(cluster.id());
        return cluster;
    }

    public Cluster getCluster(String clusterId) {
        return clusters.find(clusterId).orElseThrow(() -> HearthException.notFound("Cluster id '%s' is not valid.", clusterId));
    }

    public List<Cluster> listClusters(Set<ClusterState> states, Instant createdAfter, Instant createdBefore, Long beforeSeq, int limit) {
        return clusters.list(states, createdAfter, createdBefore, beforeSeq, limit);
    }

    public List<InstanceGroup> instanceGroups(String clusterId) {
        getCluster(clusterId);
        return clusters.instanceGroups(clusterId);
    }

    public List<Instance> instances(String clusterId) {
        getCluster(clusterId);
        return clusters.instances(clusterId);
    }

    public List<BootstrapAction> bootstrapActions(String clusterId) {
        getCluster(clusterId);
        return clusters.bootstrapActions(clusterId);
    }

    public ClusterPaths paths(Cluster cluster) {
        return files.paths(cluster);
    }

    /** TerminateJobFlows: all or nothing; a termination-protected cluster refuses the whole request. */
    public void terminateClusters(List<String> clusterIds) {
        List<Cluster> found = clusterIds.stream().map(this::getCluster).toList();
        for (Cluster cluster : found) {
            if (cluster.terminationProtected() && !cluster.state().isTerminal()) {
                throw HearthException.invalidState("Could not shut down one or more job flows since they are termination protected.");
            }
        }
        for (Cluster cluster : found) {
            termination.begin(cluster.id(), ClusterStateChangeReasonCode.USER_REQUEST, "Terminated by user request");
        }
    }

    public void setTerminationProtection(List<String> clusterIds, boolean protect) {
        jdbi.useTransaction(handle -> {
            for (String clusterId : clusterIds) {
                Cluster cluster = clusters.find(handle, clusterId, true)
                        .orElseThrow(() -> HearthException.notFound("Cluster id '%s' is not valid.", clusterId));
                if (!cluster.state().acceptsChanges()) {
                    throw HearthException.invalidState(NOT_MODIFIABLE);
                }
                clusters.setTerminationProtected(handle, clusterId, protect);
            }
        });
    }

    /** SetKeepJobFlowAliveWhenNoSteps: false makes the cluster end after its last step. */
    public void setKeepAliveWhenNoSteps(List<String> clusterIds, boolean keepAlive) {
        jdbi.useTransaction(handle -> {
            for (String clusterId : clusterIds) {
                Cluster cluster = clusters.find(handle, clusterId, true)
                        .orElseThrow(() -> HearthException.notFound("Cluster id '%s' is not valid.", clusterId));
                if (!cluster.state().acceptsChanges()) {
                    throw HearthException.invalidState(NOT_MODIFIABLE);
                }
                clusters.setAutoTerminate(handle, clusterId, !keepAlive);
            }
        });
        clusterIds.forEach(scheduler::scheduleSoon);
    }

    public int setStepConcurrencyLevel(String clusterId, int level) {
        ClusterPlanner.checkConcurrency(level, "StepConcurrencyLevel");
        Cluster cluster = getCluster(clusterId);
        if (!cluster.state().acceptsChanges()) {
            throw HearthException.invalidState(NOT_MODIFIABLE);
        }
        clusters.setStepConcurrencyLevel(clusterId, level);
        scheduler.scheduleSoon(clusterId);
        return level;
    }

    public void putAutoTerminationPolicy(String clusterId, long idleTimeoutSeconds) {
        ClusterPlanner.checkIdleTimeout(idleTimeoutSeconds, "AutoTerminationPolicy.IdleTimeout");
        Cluster cluster = getCluster(clusterId);
        if (!cluster.state().acceptsChanges()) {
            throw HearthException.invalidState(NOT_MODIFIABLE);
        }
        clusters.setIdleTimeout(clusterId, idleTimeoutSeconds, clock.instant());
    }

    public Optional<Long> autoTerminationPolicy(String clusterId) {
        return Optional.ofNullable(getCluster(clusterId).idleTimeoutSeconds());
    }

    public void removeAutoTerminationPolicy(String clusterId) {
        getCluster(clusterId);
        clusters.setIdleTimeout(clusterId, null, clock.instant());
    }

    public Map<String, String> tags(String clusterId) {
        getCluster(clusterId);
        return clusters.tags(clusterId);
    }

    public void addTags(String clusterId, Map<String, String> tags) {
        getCluster(clusterId);
        clusters.putTags(clusterId, tags);
    }

    public void removeTags(String clusterId, Collection<String> keys) {
        getCluster(clusterId);
        clusters.removeTags(clusterId, keys);
    }

    // ---------------------------------------------------------------- steps

    /** A write that commits with the steps it starts, or not at all (a sweep task and its step, say). */
    public interface StepsAddedWrite {
        void write(Handle handle, List<String> stepIds);
    }

    /** AddJobFlowSteps: stores the steps as PENDING, atomically with the checks on the cluster. */
    public List<String> addSteps(String clusterId, List<StepDefinition> definitions, String owner) {
        return addSteps(clusterId, definitions, owner, (handle, stepIds) -> {});
    }

    /**
     * Stores the steps as PENDING and makes {@code sameTransaction}'s write in the same transaction,
     * so that a crash leaves both or neither: whoever owns the steps never adds them twice.
     */
    public List<String> addSteps(String clusterId, List<StepDefinition> definitions, String owner, StepsAddedWrite sameTransaction) {
        checkStepLocations(definitions);
        List<String> ids = jdbi.inTransaction(handle -> {
            Cluster cluster = clusters.find(handle, clusterId, true)
                    .orElseThrow(() -> HearthException.notFound("Cluster id '%s' is not valid.", clusterId));
            if (!cluster.state().acceptsChanges()) {
                throw HearthException.invalidState(NOT_MODIFIABLE);
            }
            ClusterPlanner.checkSteps(definitions, cluster.stepConcurrencyLevel(), "Steps");
            int unfinished = steps.countUnfinished(handle, clusterId);
            if (unfinished + definitions.size() > config.steps().maxUnfinishedPerCluster()) {
                throw HearthException.limitExceeded("Cluster %s has %d pending or running steps; adding %d would exceed the limit of %d (setting %s)",
                        clusterId, unfinished, definitions.size(), config.steps().maxUnfinishedPerCluster(), StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key());
            }
            List<Step> newSteps = ClusterPlanner.newSteps(clusterId, definitions, owner, clock.instant());
            steps.insert(handle, newSteps);
            List<String> stepIds = newSteps.stream().map(Step::id).toList();
            sameTransaction.write(handle, stepIds);
            return stepIds;
        });
        CrashPoints.reach("steps.after-add");
        scheduler.scheduleSoon(clusterId);
        return ids;
    }

    /** A step's own log location must be one Hearth can write to. */
    private void checkStepLocations(List<StepDefinition> definitions) {
        for (int i = 0; i < definitions.size(); i++) {
            if (definitions.get(i).logUri() != null) {
                locations.resolveForWriting(definitions.get(i).logUri(), "Steps." + (i + 1) + ".StepMonitoringConfiguration.S3MonitoringConfiguration.LogUri");
            }
        }
    }

    public Step getStep(String clusterId, String stepId) {
        // The step alone answers the common case; the cluster is read only to word a not-found error.
        return steps.find(clusterId, stepId).orElseThrow(() -> {
            getCluster(clusterId);
            return HearthException.notFound("Step id '%s' is not valid.", stepId);
        });
    }

    public List<Step> listSteps(String clusterId, Set<StepState> states, Collection<String> stepIds, Long beforeSeq, int limit) {
        getCluster(clusterId);
        return steps.list(clusterId, states, stepIds, beforeSeq, limit);
    }

    /** CancelSteps: pending steps are cancelled at once, running ones are asked to stop (asynchronously, as on EMR). */
    public List<CancelStepResult> cancelSteps(String clusterId, List<String> stepIds, StopRequest option) {
        getCluster(clusterId);
        return scheduler.cancel(clusterId, stepIds, option);
    }

    /** Told of every step that ends, after the cluster has acted on it (sweeps follow their tasks' steps). */
    public void addStepEndObserver(Consumer<Step> observer) {
        scheduler.addStepEndObserver(observer);
    }

    // ---------------------------------------------------------------- reacting to processes and time

    @Override
    public void daemonExited(String clusterId, Instance instance, String message) {
        if (stopping) {
            return;
        }
        clusterLog(getCluster(clusterId)).warn(message);
        if (instance.isMaster()) {
            termination.begin(clusterId, ClusterStateChangeReasonCode.INSTANCE_FAILURE, message);
        } else {
            clusters.setInstanceState(instance.id(), InstanceState.TERMINATED, StateChangeReason.of(ClusterStateChangeReasonCode.INSTANCE_FAILURE, message),
                    clock.instant());
        }
    }

    private void houseKeep() {
        Instant now = clock.instant();
        for (Cluster cluster : clusters.listNotTerminated()) {
            try {
                Long timeout = cluster.idleTimeoutSeconds();
                if (cluster.state() == ClusterState.WAITING && timeout != null
                        && !cluster.lastActivityAt().plusSeconds(timeout).isAfter(now)) {
                    termination.begin(cluster.id(), ClusterStateChangeReasonCode.ALL_STEPS_COMPLETED,
                            "Cluster was idle for " + timeout + " seconds and was terminated by its auto-termination policy");
                } else if (cluster.state().isUp()) {
                    scheduler.schedule(cluster.id());
                }
            } catch (RuntimeException e) {
                LOG.error("Housekeeping of cluster {} failed", cluster.id(), e);
            }
        }
        try {
            runner.refreshApplicationIds();
        } catch (RuntimeException e) {
            LOG.error("Cannot refresh the application ids of running steps", e);
        }
    }

    /** Runs one round of housekeeping now (idle termination, scheduling, application ids); for tests and the CLI. */
    public void houseKeepNow() {
        houseKeep();
    }

    // ---------------------------------------------------------------- helpers

    private TimestampedLog clusterLog(Cluster cluster) {
        return files.log(cluster);
    }
}
