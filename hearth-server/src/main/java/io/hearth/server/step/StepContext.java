package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import io.hearth.server.storage.LocationResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a step needs to know about its cluster to run: the Spark runtime and the cluster's
 * configuration directory, the master URL, the environment every Spark process of the cluster
 * gets, its running workers and its concurrency level (to share cores between steps and to know
 * whether a step's executors fit at all), and where logs go.
 *
 * @param workers the Spark workers of the cluster's running CORE and TASK instances
 * @param logRoot local directory under which {@code <cluster-id>/steps/<step-id>/} holds the logs
 * @param logRootLocation the same directory as the user named it (an s3:// or file:// location), or null
 * @param sparkDefaults the cluster's spark-defaults.conf: Hearth's settings, maximizeResourceAllocation's
 *        and the cluster's own spark-defaults configuration
 */
public record StepContext(
        String clusterId,
        Path sparkHome,
        Path confDirectory,
        String masterUrl,
        Map<String, String> environment,
        List<Worker> workers,
        int stepConcurrencyLevel,
        Path logRoot,
        String logRootLocation,
        Path workRoot,
        LocationResolver locations,
        Map<String, String> sparkDefaults) {
    public StepContext {
        requireNonNull(clusterId, "clusterId is null");
        requireNonNull(sparkHome, "sparkHome is null");
        requireNonNull(confDirectory, "confDirectory is null");
        requireNonNull(masterUrl, "masterUrl is null");
        environment = Map.copyOf(environment);
        workers = List.copyOf(workers);
        requireNonNull(logRoot, "logRoot is null");
        requireNonNull(workRoot, "workRoot is null");
        requireNonNull(locations, "locations is null");
        sparkDefaults = Map.copyOf(sparkDefaults);
    }

    /** The same context with logs under another root (a step's own LogUri). */
    public StepContext withLogRoot(Path newLogRoot, String newLogRootLocation) {
        return new StepContext(clusterId, sparkHome, confDirectory, masterUrl, environment, workers, stepConcurrencyLevel, newLogRoot,
                newLogRootLocation, workRoot, locations, sparkDefaults);
    }

    /** A Spark worker: the cores and memory it offers executors. */
    public record Worker(String instanceId, int cores, int memoryMb) {
        public Worker {
            requireNonNull(instanceId, "instanceId is null");
        }
    }

    /** The cores all running workers offer together. */
    public int workerCores() {
        return workers.stream().mapToInt(Worker::cores).sum();
    }

    /** Whether steps run in Spark local mode (a single-instance cluster). */
    public boolean isLocalMode() {
        return masterUrl.startsWith("local");
    }
}
