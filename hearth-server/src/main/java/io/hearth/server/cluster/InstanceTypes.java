package io.hearth.server.cluster;

import io.hearth.server.HearthException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The instance types Hearth accepts, with the resources they stand for. YARN memory is EMR's
 * published value (Amazon EMR Release Guide, "Task configuration") where it is listed; for the
 * other types it follows the same pattern: 75% of memory up to 32 GiB, 87.5% up to 64 GiB and
 * 93.75% above. docs/clusters.md shows the table.
 */
public final class InstanceTypes {
    private static final Map<String, InstanceType> TYPES = new LinkedHashMap<>();

    static {
        // General purpose
        add("m4.large", 2, 8, 6144);
        add("m4.xlarge", 4, 16, 12288);
        add("m4.2xlarge", 8, 32, 24576);
        add("m4.4xlarge", 16, 64, 57344);
        add("m5.large", 2, 8, 0);
        add("m5.xlarge", 4, 16, 12288);
        add("m5.2xlarge", 8, 32, 24576);
        add("m5.4xlarge", 16, 64, 57344);
        add("m5.8xlarge", 32, 128, 0);
        add("m5.12xlarge", 48, 192, 0);
        add("m5.16xlarge", 64, 256, 0);
        add("m5.24xlarge", 96, 384, 0);
        add("m5a.xlarge", 4, 16, 0);
        add("m5a.2xlarge", 8, 32, 0);
        add("m5d.xlarge", 4, 16, 0);
        add("m5d.2xlarge", 8, 32, 0);
        add("m6i.xlarge", 4, 16, 0);
        add("m6i.2xlarge", 8, 32, 0);
        add("m6i.4xlarge", 16, 64, 0);
        add("m6g.xlarge", 4, 16, 11712);
        add("m6g.2xlarge", 8, 32, 0);
        add("m6g.4xlarge", 16, 64, 0);
        add("m7g.xlarge", 4, 16, 0);
        add("m7g.2xlarge", 8, 32, 0);
        add("m7i.xlarge", 4, 16, 0);
        add("m7i.2xlarge", 8, 32, 0);
        // Compute optimized
        add("c4.xlarge", 4, 7.5, 5632);
        add("c5.xlarge", 4, 8, 6144);
        add("c5.2xlarge", 8, 16, 12288);
        add("c5.4xlarge", 16, 32, 0);
        add("c5.9xlarge", 36, 72, 0);
        add("c6g.xlarge", 4, 8, 0);
        add("c6g.2xlarge", 8, 16, 0);
        add("c6i.xlarge", 4, 8, 0);
        add("c6i.2xlarge", 8, 16, 0);
        add("c7g.xlarge", 4, 8, 0);
        // Memory optimized
        add("r4.xlarge", 4, 30.5, 0);
        add("r4.2xlarge", 8, 61, 0);
        add("r5.xlarge", 4, 32, 24576);
        add("r5.2xlarge", 8, 64, 57344);
        add("r5.4xlarge", 16, 128, 0);
        add("r5.8xlarge", 32, 256, 0);
        add("r5d.xlarge", 4, 32, 0);
        add("r6g.xlarge", 4, 32, 0);
        add("r6g.2xlarge", 8, 64, 0);
        add("r6i.xlarge", 4, 32, 0);
        add("r6i.2xlarge", 8, 64, 0);
        add("r7g.xlarge", 4, 32, 0);
        // Storage optimized
        add("i3.xlarge", 4, 30.5, 0);
        add("i3.2xlarge", 8, 61, 0);
    }

    private InstanceTypes() {}

    private static void add(String name, int vcpus, double memoryGiB, int yarnMemoryMb) {
        int memoryMb = (int) Math.round(memoryGiB * 1024);
        TYPES.put(name, new InstanceType(name, vcpus, memoryMb, yarnMemoryMb > 0 ? yarnMemoryMb : estimatedYarnMemoryMb(memoryMb)));
    }

    static int estimatedYarnMemoryMb(int memoryMb) {
        double share = memoryMb <= 32 * 1024 ? 0.75 : memoryMb <= 64 * 1024 ? 0.875 : 0.9375;
        return (int) (memoryMb * share);
    }

    public static Optional<InstanceType> find(String name) {
        return Optional.ofNullable(TYPES.get(name));
    }

    /** The type, or an invalid-argument error naming the member that carried it. */
    public static InstanceType get(String name, String member) {
        return find(name).orElseThrow(() -> HearthException.invalidArgument(
                "Instance type '%s' in %s is not supported by Hearth; supported types are listed in docs/clusters.md (for example m5.xlarge, r5.2xlarge, c5.xlarge)",
                name, member));
    }

    public static Collection<InstanceType> all() {
        return Collections.unmodifiableCollection(TYPES.values());
    }
}
