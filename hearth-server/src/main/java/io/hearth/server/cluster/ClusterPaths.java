package io.hearth.server.cluster;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.storage.LocationResolver;
import java.nio.file.Path;

/**
 * Where a cluster keeps its files. Work files live under {@code <data-dir>/clusters/<cluster-id>/}
 * ({@code conf/} for Spark, {@code python/} its Python environment, {@code instances/<instance-id>/} per instance, {@code steps/<step-id>/});
 * logs live under the log root, the cluster's LogUri when given or {@code <data-dir>/logs}:
 * {@code <cluster-id>/cluster.log}, {@code <cluster-id>/node/<instance-id>/...} and {@code <cluster-id>/steps/<step-id>/...}.
 *
 * @param logRootLocation the log root as the user named it (LogUri), or null for the default
 */
public record ClusterPaths(Path workDirectory, Path logRoot, String logRootLocation) {
    public static ClusterPaths of(HearthConfig config, LocationResolver locations, String clusterId, String logUri) {
        Path logRoot = logUri == null ? config.logDirectory() : locations.resolve(logUri, "LogUri");
        return new ClusterPaths(config.clustersDirectory().resolve(clusterId), logRoot, logUri);
    }

    public Path confDirectory() {
        return workDirectory.resolve("conf");
    }

    public Path instanceDirectory(String instanceId) {
        return workDirectory.resolve("instances").resolve(instanceId);
    }

    /** The cluster's Python environment, layered on Hearth's (see {@link PythonEnvironment}). */
    public Path pythonEnvironment() {
        return workDirectory.resolve("python");
    }

    public Path stepsWorkRoot() {
        return workDirectory.resolve("steps");
    }

    public Path clusterLog(String clusterId) {
        return logRoot.resolve(clusterId).resolve("cluster.log");
    }

    public Path nodeLogDirectory(String clusterId, String instanceId) {
        return logRoot.resolve(clusterId).resolve("node").resolve(instanceId);
    }

    /** A log file as the user would name it: under LogUri when given, else the local path. */
    public String locationOf(Path logFile) {
        if (logRootLocation == null) {
            return logFile.toString();
        }
        return LocationResolver.join(logRootLocation, logRoot.relativize(logFile).toString());
    }
}
