package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A cluster as stored. {@code request} is the RunJobFlow request it was created from (without its
 * steps), kept to describe the cluster back and to configure Spark.
 */
public record Cluster(
        long seq,
        String id,
        String name,
        ClusterState state,
        StateChangeReason reason,
        Instant createdAt,
        Instant readyAt,
        Instant endedAt,
        String releaseLabel,
        String logUri,
        boolean autoTerminate,
        boolean terminationProtected,
        int stepConcurrencyLevel,
        Long idleTimeoutSeconds,
        Instant lastActivityAt,
        String sparkMasterUrl,
        String ownerAccessKeyId,
        ObjectNode request) {
    public Cluster {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(releaseLabel, "releaseLabel is null");
        requireNonNull(lastActivityAt, "lastActivityAt is null");
        requireNonNull(ownerAccessKeyId, "ownerAccessKeyId is null");
        requireNonNull(request, "request is null");
    }
}
