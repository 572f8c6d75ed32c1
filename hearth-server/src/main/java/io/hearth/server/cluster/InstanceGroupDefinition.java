package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** An instance group to create: EMR's InstanceGroupConfig with defaults applied. */
public record InstanceGroupDefinition(
        String name,
        InstanceRole role,
        String instanceType,
        int count,
        String market,
        String bidPrice,
        List<Configuration> configurations) {
    public InstanceGroupDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(market, "market is null");
        configurations = List.copyOf(configurations);
    }
}
