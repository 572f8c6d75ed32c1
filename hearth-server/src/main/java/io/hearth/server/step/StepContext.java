package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import io.hearth.server.storage.LocationResolver;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a step needs to know about its cluster to run: the Spark runtime and the cluster's
 * configuration directory, the master URL, the environment every Spark process of the cluster
 * gets, the cores its workers offer and its concurrency level (to share cores between steps),
 * and where logs go.
 *
 * @param logRoot local directory under which {@code <cluster-id>/steps/<step-id>/} holds the logs
 * @param logRootLocation the same directory as the user named it (an s3:// or file:// location), or null
 * @param sparkDefaults the spark-defaults the cluster was configured with (its Configurations)
 */
public record StepContext(
        String clusterId,
        Path sparkHome,
        Path confDirectory,
        String masterUrl,
        Map<String, String> environment,
        int workerCores,
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
        requireNonNull(logRoot, "logRoot is null");
        requireNonNull(workRoot, "workRoot is null");
        requireNonNull(locations, "locations is null");
        sparkDefaults = Map.copyOf(sparkDefaults);
    }

    /** The same context with logs under another root (a step's own LogUri). */
    public StepContext withLogRoot(Path newLogRoot, String newLogRootLocation) {
        return new StepContext(clusterId, sparkHome, confDirectory, masterUrl, environment, workerCores, stepConcurrencyLevel, newLogRoot,
                newLogRootLocation, workRoot, locations, sparkDefaults);
    }

    /** Whether steps run in Spark local mode (a single-instance cluster). */
    public boolean isLocalMode() {
        return masterUrl.startsWith("local");
    }
}
