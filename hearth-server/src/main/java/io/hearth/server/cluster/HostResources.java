package io.hearth.server.cluster;

import java.lang.management.ManagementFactory;

/** The cores and memory of the machine Hearth runs on, which every cluster is scaled to fit. */
public record HostResources(int cores, long memoryMb) {
    public static HostResources detect() {
        long memoryBytes = 8L * 1024 * 1024 * 1024;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memoryBytes = os.getTotalMemorySize();
        }
        return new HostResources(Runtime.getRuntime().availableProcessors(), memoryBytes / (1024 * 1024));
    }
}
