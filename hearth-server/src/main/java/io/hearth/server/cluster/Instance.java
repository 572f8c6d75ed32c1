package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An instance as stored: one simulated node of the cluster, with the Spark resources Hearth gave
 * it and, while it runs one, the process of its Spark daemon (master or worker).
 */
public record Instance(
        String id,
        String clusterId,
        String instanceGroupId,
        String ec2InstanceId,
        int position,
        InstanceRole role,
        String instanceType,
        InstanceState state,
        StateChangeReason reason,
        Instant createdAt,
        Instant readyAt,
        Instant endedAt,
        int sparkCores,
        int sparkMemoryMb,
        Long processId,
        Instant processStartedAt,
        Integer servicePort,
        Integer uiPort) {
    public Instance {
        requireNonNull(id, "id is null");
        requireNonNull(clusterId, "clusterId is null");
        requireNonNull(instanceGroupId, "instanceGroupId is null");
        requireNonNull(role, "role is null");
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
    }

    public boolean isMaster() {
        return role == InstanceRole.MASTER;
    }
}
