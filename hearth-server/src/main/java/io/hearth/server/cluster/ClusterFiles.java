package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.storage.LocationResolver;
import java.time.Clock;

/** Where a cluster's files are (work directory, log root) and its own log, for every class that acts on clusters. */
final class ClusterFiles {
    private final HearthConfig config;
    private final LocationResolver locations;
    private final Clock clock;

    ClusterFiles(HearthConfig config, LocationResolver locations, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    ClusterPaths paths(Cluster cluster) {
        return ClusterPaths.of(config, locations, cluster.id(), cluster.logUri());
    }

    /** The cluster's log: what happened to it, with times, as a user reads it. */
    TimestampedLog log(Cluster cluster) {
        return new TimestampedLog(paths(cluster).clusterLog(cluster.id()), clock);
    }
}
