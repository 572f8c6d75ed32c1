package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

/**
 * An EC2 instance type as EMR sizes it: vCPUs, memory, and the memory EMR gives YARN containers
 * on it ({@code yarn.nodemanager.resource.memory-mb}), which is what Spark executors may use.
 */
public record InstanceType(String name, int vcpus, int memoryMb, int yarnMemoryMb) {
    public InstanceType {
        requireNonNull(name, "name is null");
    }

    public double memoryGiB() {
        return memoryMb / 1024.0;
    }
}
