package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.log.TimestampedLog;
import io.hearth.server.step.StepScheduler;
import io.hearth.server.storage.LocationResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends clusters: TERMINATING records why (the first reason wins), then, in the background, provisioning
 * is cancelled, pending steps cancelled, running ones interrupted, Spark stopped, and the cluster
 * reaches the end its reason calls for.
 */
final class ClusterTermination {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTermination.class);

    private final ClusterStore clusters;
    private final ClusterStateMachine lifecycle;
    private final ClusterProvisioner provisioner;
    private final StepScheduler scheduler;
    private final ClusterBackend backend;
    private final LocationResolver locations;
    private final ClusterFiles files;
    private final Duration stepStopGracePeriod;
    private final Clock clock;
    private final Executor executor;

    ClusterTermination(ClusterStore clusters, ClusterStateMachine lifecycle, ClusterProvisioner provisioner, StepScheduler scheduler, ClusterBackend backend,
            LocationResolver locations, ClusterFiles files, Duration stepStopGracePeriod, Clock clock, Executor executor) {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.files = requireNonNull(files, "files is null");
        this.stepStopGracePeriod = requireNonNull(stepStopGracePeriod, "stepStopGracePeriod is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /**
     * Moves a cluster to TERMINATING (if it is not ending already) and stops it in the background.
     * The reason code decides the final state: USER_REQUEST and ALL_STEPS_COMPLETED end TERMINATED,
     * anything else TERMINATED_WITH_ERRORS.
     */
    void begin(String clusterId, ClusterStateChangeReasonCode code, String message) {
        if (lifecycle.transitionToTerminating(clusterId, code, message)) {
            LOG.info("Cluster {} terminating: {} {}", clusterId, code, message);
            executor.execute(() -> finish(clusterId));
        }
    }

    /** Stops what is left of a TERMINATING cluster (provisioning, steps, Spark) and moves it to its end. */
    void finish(String clusterId) {
        Cluster cluster = clusters.find(clusterId).orElseThrow();
        TimestampedLog log = files.log(cluster);
        try {
            log.info("Terminating: " + cluster.reason().code() + " " + cluster.reason().message());
            provisioner.cancel(clusterId, Duration.ofSeconds(60));
            clusters.setInstanceGroupsState(clusterId, InstanceGroupState.TERMINATING, StateChangeReason.NONE, clock.instant());
            scheduler.stopAll(clusterId, log, stepStopGracePeriod);
            backend.stop(clusterId);
            Instant now = clock.instant();
            StateChangeReason ended = new StateChangeReason("CLUSTER_TERMINATED", "Cluster terminated");
            for (Instance instance : clusters.instances(clusterId)) {
                clusters.setInstanceState(instance.id(), InstanceState.TERMINATED, ended, now);
            }
            clusters.setInstanceGroupsState(clusterId, InstanceGroupState.ENDED, ended, now);
            lifecycle.transitionToTerminated(clusterId, cluster.reason());
            log.info("Cluster " + ClusterStateMachine.finalStateFor(cluster.reason().code()));
            locations.publish(files.paths(cluster).clusterLog(clusterId).getParent());
        } catch (RuntimeException e) {
            LOG.error("Cannot finish terminating cluster {}", clusterId, e);
            backend.stop(clusterId);
            lifecycle.transitionToTerminatedWithErrors(clusterId, "Hearth failed while terminating the cluster: " + e.getMessage());
        } finally {
            scheduler.forget(clusterId);
        }
    }
}
