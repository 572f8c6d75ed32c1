package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.step.StepContext;
import io.hearth.server.step.StepScheduler;
import io.hearth.server.storage.LocationResolver;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;

/**
 * The cluster side of step scheduling: whether a cluster is up and how many steps it runs at once,
 * what its steps run with, RUNNING while steps are pending or running and WAITING (or the end of a
 * transient cluster) once none is, and TERMINATE_CLUSTER after a failed step.
 */
final class ClusterStepHost implements StepScheduler.Host {
    private final HearthConfig config;
    private final ClusterStore clusters;
    private final ClusterStateMachine lifecycle;
    private final ClusterTermination termination;
    private final SparkSetup sparkSetup;
    private final LocationResolver locations;
    private final ClusterFiles files;
    private final Clock clock;

    ClusterStepHost(HearthConfig config, ClusterStore clusters, ClusterStateMachine lifecycle, ClusterTermination termination, SparkSetup sparkSetup,
            LocationResolver locations, ClusterFiles files, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
        this.termination = requireNonNull(termination, "termination is null");
        this.sparkSetup = requireNonNull(sparkSetup, "sparkSetup is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.files = requireNonNull(files, "files is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public OptionalInt concurrencyWhenUp(String clusterId) {
        return clusters.find(clusterId).filter(cluster -> cluster.state().isUp())
                .map(cluster -> OptionalInt.of(cluster.stepConcurrencyLevel())).orElse(OptionalInt.empty());
    }

    @Override
    public StepContext stepContext(String clusterId) {
        return stepContext(cluster(clusterId));
    }

    @Override
    public TimestampedLog log(String clusterId) {
        return files.log(cluster(clusterId));
    }

    @Override
    public void settled(String clusterId, boolean busy) {
        Cluster cluster = cluster(clusterId);
        if (busy) {
            if (cluster.state() == ClusterState.WAITING) {
                lifecycle.transitionToRunning(clusterId, "Running step");
            }
        } else if (cluster.autoTerminate()) {
            termination.begin(clusterId, ClusterStateChangeReasonCode.ALL_STEPS_COMPLETED, "Steps completed");
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
        if (cluster(clusterId).terminationProtected()) {
            return false;
        }
        termination.begin(clusterId, ClusterStateChangeReasonCode.STEP_FAILURE, "Shut down as step failed");
        return true;
    }

    private StepContext stepContext(Cluster cluster) {
        ClusterPaths paths = files.paths(cluster);
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

    private Cluster cluster(String clusterId) {
        return clusters.find(clusterId).orElseThrow(() -> new IllegalStateException("Cluster " + clusterId + " is not stored"));
    }
}
