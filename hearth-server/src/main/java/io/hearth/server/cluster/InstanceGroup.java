package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;

/** An instance group as stored; {@code configurations} is the group's own Configurations list. */
public record InstanceGroup(
        String id,
        String clusterId,
        int position,
        String name,
        InstanceRole role,
        String instanceType,
        int requestedCount,
        String market,
        String bidPrice,
        ArrayNode configurations,
        InstanceGroupState state,
        StateChangeReason reason,
        Instant createdAt,
        Instant readyAt,
        Instant endedAt) {
    public InstanceGroup {
        requireNonNull(id, "id is null");
        requireNonNull(clusterId, "clusterId is null");
        requireNonNull(role, "role is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(configurations, "configurations is null");
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
    }
}
