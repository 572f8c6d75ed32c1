package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Turns instance types into Spark resources that fit this machine. Each instance asks for its
 * type's vCPUs and YARN memory. The instances that run Spark work (the CORE and TASK instances;
 * the MASTER when it is alone) are scaled down together, never up:
 * <pre>
 *   memory factor = min(1, host memory x clusters.memory-fraction / sum of their YARN memory)
 *   cpu factor    = min(1, host cores x clusters.cpu-oversubscription / sum of their vCPUs)
 *   cores  = max(1, floor(vCPUs x cpu factor))
 *   memory = max(1024 MB, YARN memory x memory factor, rounded down to 64 MB)
 * </pre>
 * A multi-instance cluster's MASTER runs the Spark master and the drivers; it is scaled with the
 * same factors. Several clusters are each scaled as if they were alone on the machine.
 */
public final class ClusterSizing {
    static final int MINIMUM_MEMORY_MB = 1024;

    private final HostResources host;
    private final double memoryFraction;
    private final double cpuOversubscription;

    public ClusterSizing(HostResources host, double memoryFraction, double cpuOversubscription) {
        this.host = requireNonNull(host, "host is null");
        this.memoryFraction = memoryFraction;
        this.cpuOversubscription = cpuOversubscription;
    }

    public HostResources host() {
        return host;
    }

    /** Spark resources for each of the given instance types, in order; {@code workers} says which ones do the work. */
    public List<SparkResources> size(List<InstanceType> types, List<Boolean> workers) {
        long workerMemory = 0;
        long workerCores = 0;
        for (int i = 0; i < types.size(); i++) {
            if (workers.get(i)) {
                workerMemory += types.get(i).yarnMemoryMb();
                workerCores += types.get(i).vcpus();
            }
        }
        double memoryFactor = workerMemory == 0 ? 1 : Math.min(1.0, host.memoryMb() * memoryFraction / workerMemory);
        double cpuFactor = workerCores == 0 ? 1 : Math.min(1.0, host.cores() * cpuOversubscription / workerCores);
        return types.stream().map(type -> scale(type, memoryFactor, cpuFactor)).toList();
    }

    private static SparkResources scale(InstanceType type, double memoryFactor, double cpuFactor) {
        int cores = Math.max(1, (int) Math.floor(type.vcpus() * cpuFactor));
        int memory = Math.max(MINIMUM_MEMORY_MB, (int) (type.yarnMemoryMb() * memoryFactor) / 64 * 64);
        return new SparkResources(cores, memory);
    }

    /**
     * The largest executor (or driver) heap that fits a container of {@code containerMb} together with
     * Spark's default memory overhead, max(384 MB, 10% of the heap).
     */
    public static int heapForContainer(int containerMb) {
        int tenPercentRule = (int) Math.floor(containerMb / 1.1);
        int heap = tenPercentRule >= 3840 ? tenPercentRule : containerMb - 384;
        return Math.max(512, heap);
    }
}
