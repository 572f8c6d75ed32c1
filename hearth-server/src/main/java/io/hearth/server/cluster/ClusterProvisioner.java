package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.storage.LocationResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a STARTING cluster up: writes its Spark configuration, runs its bootstrap actions on every
 * instance at once (BOOTSTRAPPING), waits for the catalog, starts Spark, and moves it to WAITING.
 * A failure anywhere ends in {@link Outcome#failed}, which terminates the cluster with the cause.
 * Provisioning runs on the executor and can be cancelled (a terminate, or Hearth stopping).
 */
final class ClusterProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterProvisioner.class);

    /** What follows provisioning. */
    interface Outcome {
        /** Spark is up and the cluster WAITING: its steps may run. */
        void ready(String clusterId);

        /** The cluster could not be brought up: it terminates with this reason. */
        void failed(String clusterId, ClusterStateChangeReasonCode code, String message);
    }

    /** A cluster being provisioned: the task, and a future that completes when it has wound down. */
    private record Provisioning(Future<?> task, CompletableFuture<Void> ended) {}

    private final HearthConfig config;
    private final ClusterStore clusters;
    private final ClusterStateMachine lifecycle;
    private final SparkSetup sparkSetup;
    private final CatalogEndpoint catalog;
    private final ClusterBackend backend;
    private final ProcessLauncher launcher;
    private final LocationResolver locations;
    private final ClusterFiles files;
    private final Clock clock;
    private final ExecutorService executor;
    private final Outcome outcome;
    private final Map<String, Provisioning> provisioning = new ConcurrentHashMap<>();

    ClusterProvisioner(HearthConfig config, ClusterStore clusters, ClusterStateMachine lifecycle, SparkSetup sparkSetup, CatalogEndpoint catalog,
            ClusterBackend backend, ProcessLauncher launcher, LocationResolver locations, ClusterFiles files, Clock clock, ExecutorService executor,
            Outcome outcome) {
        this.config = requireNonNull(config, "config is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
        this.sparkSetup = requireNonNull(sparkSetup, "sparkSetup is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.files = requireNonNull(files, "files is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.outcome = requireNonNull(outcome, "outcome is null");
    }

    /** Stops provisioning the cluster, if it still is, and waits up to {@code timeout} for it to wind down. */
    void cancel(String clusterId, Duration timeout) {
        Provisioning starting = provisioning.get(clusterId);
        if (starting != null && !starting.task().isDone()) {
            starting.task().cancel(true);
            awaitQuietly(starting.ended(), timeout);
        }
    }

    /** Stops every provisioning under way (Hearth is stopping) and waits up to {@code timeout} for each. */
    void cancelAll(Duration timeout) {
        provisioning.values().forEach(running -> running.task().cancel(true));
        for (Provisioning running : List.copyOf(provisioning.values())) {
            awaitQuietly(running.ended(), timeout);
        }
    }

    /** Provisions the cluster on the executor: bootstrap actions, then Spark; the cluster is WAITING or terminating after. */
    void start(String clusterId) {
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
        Cluster cluster = clusters.find(clusterId).orElseThrow();
        ClusterPaths paths = files.paths(cluster);
        TimestampedLog log = files.log(cluster);
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
            new PythonEnvironment(config.pythonHome(), launcher).prepare(paths, log);
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
                outcome.failed(clusterId, ClusterStateChangeReasonCode.BOOTSTRAP_FAILURE, failure.get().message());
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
            outcome.ready(clusterId);
        } catch (InterruptedException e) {
            bootstrap.stopAll();
            backend.stop(clusterId);
            Thread.currentThread().interrupt();
        } catch (ClusterBackend.ClusterStartException e) {
            log.warn(e.getMessage());
            backend.stop(clusterId);
            outcome.failed(clusterId, ClusterStateChangeReasonCode.INTERNAL_ERROR, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot start cluster {}", clusterId, e);
            backend.stop(clusterId);
            String message = "Hearth could not start the cluster: " + e.getMessage();
            try {
                log.warn(message);
            } catch (UncheckedIOException logFailure) {
                LOG.warn("Cannot write the log of cluster {}", clusterId, logFailure);
            }
            outcome.failed(clusterId, ClusterStateChangeReasonCode.INTERNAL_ERROR, message);
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
