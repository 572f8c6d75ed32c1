package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.step.CancelStepResult;
import io.hearth.server.step.Step;
import io.hearth.server.step.StepContext;
import io.hearth.server.step.StepDefinition;
import io.hearth.server.step.StepRunner;
import io.hearth.server.step.StepScheduler;
import io.hearth.server.step.StepState;
import io.hearth.server.step.StepStore;
import io.hearth.server.step.StopRequest;
import io.hearth.server.storage.LocationResolver;
import io.hearth.server.storage.ObjectStoreHadoopSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the lifecycle of clusters and the order in which their steps run:
 * <ol>
 *   <li>a new cluster is STARTING; its instances run their bootstrap actions (BOOTSTRAPPING), then
 *       Spark starts and the cluster is WAITING;</li>
 *   <li>steps start in submission order, up to the cluster's StepConcurrencyLevel; the cluster is
 *       RUNNING while any step is pending or running;</li>
 *   <li>a failed step's ActionOnFailure may cancel the pending steps or terminate the cluster; a
 *       transient cluster ends after its last step, an idle one by its auto-termination policy;</li>
 *   <li>TERMINATING stops running steps and Spark, then the cluster is TERMINATED (or
 *       TERMINATED_WITH_ERRORS).</li>
 * </ol>
 * Every state change is a compare-and-set in the store; decisions about one cluster's steps are
 * made under that cluster's lock. After a restart, {@link #start()} reconciles every cluster that
 * had not ended.
 */
public final class ClusterManager implements ClusterBackend.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterManager.class);
    static final String NOT_MODIFIABLE = "A job flow that is shutting down, terminated, or finished may not be modified.";

    private final HearthConfig config;
    private final Jdbi jdbi;
    private final ClusterStore clusters;
    private final ClusterStateMachine lifecycle;
    private final StepScheduler scheduler;
    private final StepStore steps;
    private final ClusterPlanner planner;
    private final SparkSetup sparkSetup;
    private final CatalogEndpoint catalog;
    private final ClusterBackend backend;
    private final StepRunner runner;
    private final ProcessLauncher launcher;
    private final LocationResolver locations;
    private final Clock clock;
    private final ExecutorService executor;
    private final ScheduledExecutorService housekeeping;
    private final Map<String, Provisioning> provisioning = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** A cluster being provisioned: the task, and a future that completes when it has wound down. */
    private record Provisioning(Future<?> task, CompletableFuture<Void> ended) {}

    public ClusterManager(HearthConfig config, Jdbi jdbi, ClusterStore clusters, StepStore steps, ClusterSizing sizing, ClusterBackend backend,
            StepRunner runner, ProcessLauncher launcher, LocationResolver locations, CatalogEndpoint catalog, Clock clock,
            ExecutorService executor, ScheduledExecutorService housekeeping) {
        this.config = requireNonNull(config, "config is null");
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.planner = new ClusterPlanner(requireNonNull(sizing, "sizing is null"));
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.sparkSetup = new SparkSetup(config.sparkHome(), config.processAddress(), config.warehouseDirectory(), config.modelsDirectory(),
                ObjectStoreHadoopSettings.of(config), catalog);
        this.backend = requireNonNull(backend, "backend is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifecycle = new ClusterStateMachine(clusters, clock);
        this.executor = requireNonNull(executor, "executor is null");
        this.housekeeping = requireNonNull(housekeeping, "housekeeping is null");
        this.scheduler = new StepScheduler(steps, runner, locations, clock, executor);
        scheduler.setHost(new SchedulingHost());
        backend.setListener(this);
    }

    // ---------------------------------------------------------------- lifecycle of the manager

    /** Reconciles every cluster that had not ended when Hearth last stopped, then starts housekeeping. */
    public void start() {
        for (Cluster cluster : clusters.listNotTerminated()) {
            try {
                reconcile(cluster);
            } catch (RuntimeException e) {
                LOG.error("Cannot reconcile cluster {}", cluster.id(), e);
            }
        }
        long interval = config.housekeepingInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::houseKeep, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops every process Hearth started: running steps end INTERRUPTED, Spark daemons stop. Clusters
     * keep their state and are brought back by {@link #start()} the next time Hearth runs.
     */
    public void stop() {
        stopping = true;
        scheduler.stop();
        housekeeping.shutdownNow();
        provisioning.values().forEach(running -> running.task().cancel(true));
        for (Provisioning running : List.copyOf(provisioning.values())) {
            awaitQuietly(running.ended(), Duration.ofSeconds(30));
        }
        runner.stopAll(StopRequest.SERVER_STOPPING);
        backend.stopAll();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- clusters

    /** Stores a new cluster and starts provisioning it; returns it as stored. */
    public Cluster createCluster(ClusterDefinition definition, String owner) {
        if (definition.logUri() != null) {
            locations.resolveForWriting(definition.logUri(), "LogUri");
        }
        checkStepLocations(definition.steps());
        if (definition.steps().size() > config.maxUnfinishedStepsPerCluster()) {
            throw HearthException.limitExceeded("Steps has %d steps; a cluster may have at most %d pending or running steps (setting %s)",
                    definition.steps().size(), config.maxUnfinishedStepsPerCluster(), HearthConfig.MAX_UNFINISHED_STEPS);
        }
        ClusterPlanner.Plan plan = planner.plan(definition, owner, clock.instant());
        jdbi.useTransaction(handle -> {
            clusters.insert(handle, plan.cluster(), plan.groups(), plan.instances(), definition.bootstrapActions(), definition.tags());
            steps.insert(handle, plan.steps());
        });
        Cluster cluster = getCluster(plan.cluster().id());
        LOG.info("Cluster {} ({}) created with {} instance(s) and {} step(s)", cluster.id(), cluster.name(), plan.instances().size(), plan.steps().size());
        startProvisioning(cluster.id());
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
        return ClusterPaths.of(config, locations, cluster.id(), cluster.logUri());
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
            beginTermination(cluster.id(), ClusterStateChangeReasonCode.USER_REQUEST, "Terminated by user request");
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
            if (unfinished + definitions.size() > config.maxUnfinishedStepsPerCluster()) {
                throw HearthException.limitExceeded("Cluster %s has %d pending or running steps; adding %d would exceed the limit of %d (setting %s)",
                        clusterId, unfinished, definitions.size(), config.maxUnfinishedStepsPerCluster(), HearthConfig.MAX_UNFINISHED_STEPS);
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

    /** The cluster side of step scheduling: whether it is up, what its steps run with, RUNNING and WAITING. */
    private final class SchedulingHost implements StepScheduler.Host {
        @Override
        public OptionalInt concurrencyWhenUp(String clusterId) {
            return clusters.find(clusterId).filter(cluster -> cluster.state().isUp())
                    .map(cluster -> OptionalInt.of(cluster.stepConcurrencyLevel())).orElse(OptionalInt.empty());
        }

        @Override
        public StepContext stepContext(String clusterId) {
            return ClusterManager.this.stepContext(getCluster(clusterId));
        }

        @Override
        public TimestampedLog log(String clusterId) {
            return clusterLog(getCluster(clusterId));
        }

        @Override
        public void settled(String clusterId, boolean busy) {
            Cluster cluster = getCluster(clusterId);
            if (busy) {
                if (cluster.state() == ClusterState.WAITING) {
                    lifecycle.transitionToRunning(clusterId, "Running step");
                }
            } else if (cluster.autoTerminate()) {
                beginTermination(clusterId, ClusterStateChangeReasonCode.ALL_STEPS_COMPLETED, "Steps completed");
            } else if (cluster.state() == ClusterState.RUNNING) {
                lifecycle.transitionToWaiting(clusterId, "Waiting after step completed");
            }
        }

        @Override
        public void stepEnded(String clusterId) {
            clusters.recordActivity(clusterId, clock.instant());
        }

        @Override
        public boolean terminateAfterStepFailure(String clusterId, String stepId) {
            if (getCluster(clusterId).terminationProtected()) {
                return false;
            }
            beginTermination(clusterId, ClusterStateChangeReasonCode.STEP_FAILURE, "Shut down as step failed");
            return true;
        }
    }

    // ---------------------------------------------------------------- provisioning

    private void startProvisioning(String clusterId) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        AtomicReference<Provisioning> entry = new AtomicReference<>();
        AtomicBoolean started = new AtomicBoolean();
        FutureTask<Void> task = new FutureTask<>(() -> {
            started.set(true);
            try {
                provision(clusterId);
            } catch (RuntimeException | Error e) {
                LOG.error("Provisioning cluster {} failed", clusterId, e);
                throw e;
            } finally {
                provisioning.remove(clusterId, entry.get());
                ended.complete(null);
            }
        }, null) {
            @Override
            protected void done() {
                // Cancelled before it ran: nothing will wind down, so it has ended.
                if (!started.get()) {
                    provisioning.remove(clusterId, entry.get());
                    ended.complete(null);
                }
            }
        };
        entry.set(new Provisioning(task, ended));
        provisioning.put(clusterId, entry.get());
        executor.execute(task);
    }

    /** Spark sessions open the shared catalog when they first touch a table: the metastore must be up by then. */
    private void awaitCatalog(TimestampedLog log) throws InterruptedException, ClusterBackend.ClusterStartException {
        try {
            catalog.awaitReady(Duration.ofMillis(50));
        } catch (HearthException notYet) {
            log.info("Waiting for the data catalog (Hive Metastore) to start");
            try {
                catalog.awaitReady(config.catalog().startTimeout());
            } catch (HearthException e) {
                throw new ClusterBackend.ClusterStartException(e.getMessage());
            }
        }
        catalog.metastoreUri().ifPresent(uri -> log.info("Data catalog: Hive Metastore " + uri));
    }

    private void provision(String clusterId) {
        Cluster cluster = getCluster(clusterId);
        ClusterPaths paths = paths(cluster);
        TimestampedLog log = clusterLog(cluster);
        BootstrapRunner bootstrap = new BootstrapRunner(launcher, locations);
        try {
            List<Instance> instances = clusters.instances(clusterId);
            log.info("Cluster " + clusterId + " (" + cluster.name() + ") starting: release " + cluster.releaseLabel() + ", " + describe(instances));
            SparkSettings settings = SparkSetup.settings(cluster);
            settings.notes().forEach(log::info);
            if (settings.sparkDefaults().containsKey("spark.master")) {
                log.warn("spark-defaults sets spark.master=" + settings.sparkDefaults().get("spark.master")
                        + ": steps will use it instead of the cluster's own Spark master");
            }
            Files.createDirectories(paths.stepsWorkRoot());
            sparkSetup.writeConfiguration(cluster, instances, paths, null);
            Map<String, String> environment = sparkSetup.environment(cluster, paths);

            if (!lifecycle.transitionToBootstrapping(clusterId)) {
                return;
            }
            setInstancesState(clusterId, instances, InstanceGroupState.BOOTSTRAPPING, InstanceState.BOOTSTRAPPING);
            List<BootstrapAction> actions = clusters.bootstrapActions(clusterId);
            Optional<BootstrapRunner.Failure> failure = runBootstrapActions(cluster, instances, actions, paths, environment, log, bootstrap);
            if (failure.isPresent()) {
                log.warn(failure.get().message());
                clusters.setInstanceState(failure.get().instance().id(), InstanceState.TERMINATED,
                        StateChangeReason.of(ClusterStateChangeReasonCode.BOOTSTRAP_FAILURE, failure.get().message()), clock.instant());
                beginTermination(clusterId, ClusterStateChangeReasonCode.BOOTSTRAP_FAILURE, failure.get().message());
                return;
            }

            if (sparkSetup.usesHearthCatalog(cluster)) {
                awaitCatalog(log);
            }
            String masterUrl = backend.start(cluster, instances, paths, environment, log);
            clusters.setSparkMasterUrl(clusterId, masterUrl);
            sparkSetup.writeConfiguration(cluster, instances, paths, masterUrl);
            setInstancesState(clusterId, instances, InstanceGroupState.RUNNING, InstanceState.RUNNING);
            if (!lifecycle.transitionToWaiting(clusterId, "Cluster ready to run steps.")) {
                backend.stop(clusterId);
                return;
            }
            log.info("Cluster ready: Spark master " + masterUrl + ", configuration in " + paths.confDirectory());
            scheduler.schedule(clusterId);
        } catch (InterruptedException e) {
            bootstrap.stopAll();
            backend.stop(clusterId);
            Thread.currentThread().interrupt();
        } catch (ClusterBackend.ClusterStartException e) {
            log.warn(e.getMessage());
            backend.stop(clusterId);
            beginTermination(clusterId, ClusterStateChangeReasonCode.INTERNAL_ERROR, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot start cluster {}", clusterId, e);
            backend.stop(clusterId);
            String message = "Hearth could not start the cluster: " + e.getMessage();
            try {
                log.warn(message);
            } catch (UncheckedIOException logFailure) {
                LOG.warn("Cannot write the log of cluster {}", clusterId, logFailure);
            }
            beginTermination(clusterId, ClusterStateChangeReasonCode.INTERNAL_ERROR, message);
        }
    }

    /** Runs the actions on every instance at once; the first failure wins. */
    private Optional<BootstrapRunner.Failure> runBootstrapActions(Cluster cluster, List<Instance> instances, List<BootstrapAction> actions, ClusterPaths paths,
            Map<String, String> environment, TimestampedLog log, BootstrapRunner bootstrap) throws InterruptedException, IOException {
        if (actions.isEmpty()) {
            return Optional.empty();
        }
        ExecutorCompletionService<Optional<BootstrapRunner.Failure>> completion = new ExecutorCompletionService<>(executor);
        List<Future<Optional<BootstrapRunner.Failure>>> runs = new ArrayList<>();
        for (Instance instance : instances) {
            runs.add(completion.submit(() -> bootstrap.run(cluster, instance, actions, paths, environment, log)));
        }
        try {
            for (int finished = 0; finished < runs.size(); finished++) {
                Optional<BootstrapRunner.Failure> failure = completion.take().get();
                if (failure.isPresent()) {
                    bootstrap.stopAll();
                    return failure;
                }
            }
            log.info("Bootstrap actions completed on " + instances.size() + " instance(s)");
            return Optional.empty();
        } catch (ExecutionException e) {
            bootstrap.stopAll();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("Bootstrap actions failed inside Hearth: " + cause, cause);
        } catch (InterruptedException e) {
            runs.forEach(run -> run.cancel(true));
            bootstrap.stopAll();
            throw e;
        }
    }

    private void setInstancesState(String clusterId, List<Instance> instances, InstanceGroupState groupState, InstanceState instanceState) {
        Instant now = clock.instant();
        clusters.setInstanceGroupsState(clusterId, groupState, StateChangeReason.NONE, now);
        for (Instance instance : instances) {
            clusters.setInstanceState(instance.id(), instanceState, StateChangeReason.NONE, now);
        }
    }

    // ---------------------------------------------------------------- termination

    /**
     * Moves a cluster to TERMINATING (if it is not ending already) and stops it in the background.
     * The reason code decides the final state: USER_REQUEST and ALL_STEPS_COMPLETED end TERMINATED,
     * anything else TERMINATED_WITH_ERRORS.
     */
    private void beginTermination(String clusterId, ClusterStateChangeReasonCode code, String message) {
        if (lifecycle.transitionToTerminating(clusterId, code, message)) {
            LOG.info("Cluster {} terminating: {} {}", clusterId, code, message);
            executor.execute(() -> finishTermination(clusterId));
        }
    }

    private void finishTermination(String clusterId) {
        Cluster cluster = getCluster(clusterId);
        TimestampedLog log = clusterLog(cluster);
        try {
            log.info("Terminating: " + cluster.reason().code() + " " + cluster.reason().message());
            Provisioning starting = provisioning.get(clusterId);
            if (starting != null && !starting.task().isDone()) {
                starting.task().cancel(true);
                awaitQuietly(starting.ended(), Duration.ofSeconds(60));
            }
            clusters.setInstanceGroupsState(clusterId, InstanceGroupState.TERMINATING, StateChangeReason.NONE, clock.instant());
            scheduler.stopAll(clusterId, log, config.stepStopGracePeriod());
            backend.stop(clusterId);
            Instant now = clock.instant();
            StateChangeReason ended = new StateChangeReason("CLUSTER_TERMINATED", "Cluster terminated");
            for (Instance instance : clusters.instances(clusterId)) {
                clusters.setInstanceState(instance.id(), InstanceState.TERMINATED, ended, now);
            }
            clusters.setInstanceGroupsState(clusterId, InstanceGroupState.ENDED, ended, now);
            lifecycle.transitionToTerminated(clusterId, cluster.reason());
            log.info("Cluster " + ClusterStateMachine.finalStateFor(cluster.reason().code()));
            locations.publish(paths(cluster).clusterLog(clusterId).getParent());
        } catch (RuntimeException e) {
            LOG.error("Cannot finish terminating cluster {}", clusterId, e);
            backend.stop(clusterId);
            lifecycle.transitionToTerminatedWithErrors(clusterId, "Hearth failed while terminating the cluster: " + e.getMessage());
        } finally {
            scheduler.forget(clusterId);
        }
    }


    // ---------------------------------------------------------------- reacting to processes and time

    @Override
    public void daemonExited(String clusterId, Instance instance, String message) {
        if (stopping) {
            return;
        }
        clusterLog(getCluster(clusterId)).warn(message);
        if (instance.isMaster()) {
            beginTermination(clusterId, ClusterStateChangeReasonCode.INSTANCE_FAILURE, message);
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
                    beginTermination(cluster.id(), ClusterStateChangeReasonCode.ALL_STEPS_COMPLETED,
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

    // ---------------------------------------------------------------- recovery after a restart

    private void reconcile(Cluster cluster) {
        TimestampedLog log = clusterLog(cluster);
        ClusterPaths paths = paths(cluster);
        List<Instance> instances = clusters.instances(cluster.id());
        switch (cluster.state()) {
            case STARTING, BOOTSTRAPPING -> {
                log.info("Hearth restarted while the cluster was starting; starting it again");
                backend.stopSurvivors(instances, paths);
                startProvisioning(cluster.id());
            }
            case RUNNING, WAITING -> executor.execute(() -> recoverRunning(cluster, paths, instances, log));
            case TERMINATING -> executor.execute(() -> {
                log.info("Hearth restarted while the cluster was terminating; finishing");
                scheduler.recoverActive(cluster.id());
                backend.stopSurvivors(instances, paths);
                finishTermination(cluster.id());
            });
            default -> {
            }
        }
    }

    private void recoverRunning(Cluster cluster, ClusterPaths paths, List<Instance> instances, TimestampedLog log) {
        try {
            log.info("Hearth restarted; reconciling the cluster");
            String masterUrl = backend.recover(cluster, instances, paths, sparkSetup.environment(cluster, paths), log);
            if (!masterUrl.equals(cluster.sparkMasterUrl())) {
                clusters.setSparkMasterUrl(cluster.id(), masterUrl);
                sparkSetup.writeConfiguration(cluster, instances, paths, masterUrl);
            }
            scheduler.recoverActive(cluster.id());
            scheduler.schedule(cluster.id());
        } catch (ClusterBackend.ClusterStartException e) {
            log.warn(e.getMessage());
            beginTermination(cluster.id(), ClusterStateChangeReasonCode.INTERNAL_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Cannot recover cluster {}", cluster.id(), e);
            beginTermination(cluster.id(), ClusterStateChangeReasonCode.INTERNAL_ERROR, "Hearth could not recover the cluster after a restart: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private StepContext stepContext(Cluster cluster) {
        ClusterPaths paths = paths(cluster);
        List<Instance> instances = clusters.instances(cluster.id());
        List<StepContext.Worker> workers = instances.stream()
                .filter(instance -> !instance.isMaster() && instance.state() == InstanceState.RUNNING)
                .map(instance -> new StepContext.Worker(instance.id(), instance.sparkCores(), instance.sparkMemoryMb()))
                .toList();
        String masterUrl = cluster.sparkMasterUrl() == null ? "local[1]" : cluster.sparkMasterUrl();
        return new StepContext(cluster.id(), config.sparkHome(), paths.confDirectory(), masterUrl, sparkSetup.environment(cluster, paths),
                workers, cluster.stepConcurrencyLevel(), paths.logRoot(), paths.logRootLocation(), paths.stepsWorkRoot(), locations,
                sparkSetup.sparkDefaults(cluster, instances, cluster.sparkMasterUrl()));
    }

    private TimestampedLog clusterLog(Cluster cluster) {
        return new TimestampedLog(paths(cluster).clusterLog(cluster.id()), clock);
    }

    private static String describe(List<Instance> instances) {
        List<String> parts = new ArrayList<>();
        for (Instance instance : instances) {
            parts.add(instance.role() + " " + instance.id() + " " + instance.instanceType() + " (Spark: " + instance.sparkCores() + " cores, "
                    + instance.sparkMemoryMb() + " MB)");
        }
        return String.join("; ", parts);
    }

    private static void awaitQuietly(CompletableFuture<Void> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Gave up waiting", e);
        }
    }
}
