package io.hearth.server.cluster;

import io.hearth.server.log.TimestampedLog;
import java.util.List;
import java.util.Map;

/**
 * Runs Spark for clusters. The local backend runs everything on this machine; other backends
 * (an existing standalone master, YARN, Kubernetes) will implement the same contract, and the
 * step code never knows which one it runs on.
 */
public interface ClusterBackend {
    /** Told when a Spark daemon of a running cluster exits without Hearth asking it to. */
    interface Listener {
        void daemonExited(String clusterId, Instance instance, String message);
    }

    void setListener(Listener listener);

    /**
     * Starts Spark for a bootstrapped cluster and waits until it can take applications.
     *
     * @return the master URL drivers use
     * @throws ClusterStartException when Spark does not come up
     */
    String start(Cluster cluster, List<Instance> instances, ClusterPaths paths, Map<String, String> environment, TimestampedLog log)
            throws ClusterStartException, InterruptedException;

    /**
     * After Hearth restarted: adopts the cluster's daemons that are still alive and starts the
     * ones that are not.
     *
     * @return the master URL drivers use (it changes if the master had to be started again)
     */
    String recover(Cluster cluster, List<Instance> instances, ClusterPaths paths, Map<String, String> environment, TimestampedLog log)
            throws ClusterStartException, InterruptedException;

    /**
     * Stops the cluster's daemons that survived a restart of Hearth, found by the process ids
     * recorded for its instances (used for clusters that were starting or terminating).
     */
    void stopSurvivors(List<Instance> instances, ClusterPaths paths);

    /** Stops every process of the cluster and waits for them; safe to call more than once. */
    void stop(String clusterId);

    /** Stops every process of every cluster (Hearth is shutting down). */
    void stopAll();

    /** Spark did not come up; the message says what the user can read. */
    final class ClusterStartException extends Exception {
        private static final long serialVersionUID = 1L;

        public ClusterStartException(String message) {
            super(message);
        }
    }
}
