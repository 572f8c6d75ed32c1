package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.log.TimestampedLog;
import io.hearth.server.step.StepScheduler;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart, every cluster that had not ended picks up where it was: a starting one starts
 * again (after stopping what survived of it), a running one re-attaches to its Spark daemons and
 * steps, and a terminating one finishes terminating.
 */
final class ClusterRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRecovery.class);

    private final ClusterStore clusters;
    private final ClusterBackend backend;
    private final SparkSetup sparkSetup;
    private final ClusterProvisioner provisioner;
    private final ClusterTermination termination;
    private final StepScheduler scheduler;
    private final ClusterFiles files;
    private final Executor executor;

    ClusterRecovery(ClusterStore clusters, ClusterBackend backend, SparkSetup sparkSetup, ClusterProvisioner provisioner, ClusterTermination termination,
            StepScheduler scheduler, ClusterFiles files, Executor executor) {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.sparkSetup = requireNonNull(sparkSetup, "sparkSetup is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.termination = requireNonNull(termination, "termination is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.files = requireNonNull(files, "files is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Brings back one cluster that had not ended: starts it again, re-attaches it, or finishes its termination. */
    void reconcile(Cluster cluster) {
        TimestampedLog log = files.log(cluster);
        ClusterPaths paths = files.paths(cluster);
        List<Instance> instances = clusters.instances(cluster.id());
        switch (cluster.state()) {
            case STARTING, BOOTSTRAPPING -> {
                log.info("Hearth restarted while the cluster was starting; starting it again");
                backend.stopSurvivors(instances, paths);
                provisioner.start(cluster.id());
            }
            case RUNNING, WAITING -> executor.execute(() -> recoverRunning(cluster, paths, instances, log));
            case TERMINATING -> executor.execute(() -> {
                log.info("Hearth restarted while the cluster was terminating; finishing");
                scheduler.recoverActive(cluster.id());
                backend.stopSurvivors(instances, paths);
                termination.finish(cluster.id());
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
            termination.begin(cluster.id(), ClusterStateChangeReasonCode.INTERNAL_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Cannot recover cluster {}", cluster.id(), e);
            termination.begin(cluster.id(), ClusterStateChangeReasonCode.INTERNAL_ERROR, "Hearth could not recover the cluster after a restart: " + e.getMessage());
        }
    }
}
