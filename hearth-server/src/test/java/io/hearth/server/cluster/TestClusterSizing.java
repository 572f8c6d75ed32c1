package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestClusterSizing {
    private static final InstanceType M5_XLARGE = InstanceTypes.find("m5.xlarge").orElseThrow();
    private static final InstanceType R5_XLARGE = InstanceTypes.find("r5.xlarge").orElseThrow();
    private static final InstanceType M5_4XLARGE = InstanceTypes.find("m5.4xlarge").orElseThrow();

    private final ClusterSizing sizing = new ClusterSizing(new HostResources(2, 24576), 0.5, 2);

    @Test
    void masterAndTwoCoreInstancesAreScaledTogetherByTheWorkersDemand() {
        List<SparkResources> resources = sizing.size(List.of(M5_XLARGE, M5_XLARGE, M5_XLARGE), List.of(false, true, true));

        // memory factor = 24576 * 0.5 / (2 * 12288) = 0.5; cpu factor = 2 * 2 / (2 * 4) = 0.5
        int memory = (int) Math.floor(12288.0 * 12288 / 24576) / 64 * 64;
        assertThat(memory).isEqualTo(6144);
        assertThat(resources).containsExactly(
                new SparkResources(2, memory), new SparkResources(2, memory), new SparkResources(2, memory));
    }

    @Test
    void singleInstanceKeepsItsCoresAndIsScaledByMemory() {
        List<SparkResources> resources = sizing.size(List.of(R5_XLARGE), List.of(true));

        // cpu factor = min(1, 4 / 4) = 1; memory factor = 12288 / 24576 = 0.5
        assertThat(resources).containsExactly(new SparkResources(4, 12288));
    }

    @Test
    void instancesThatFitAreNeverScaledUp() {
        ClusterSizing big = new ClusterSizing(new HostResources(64, 1_000_000), 0.9, 4);

        assertThat(big.size(List.of(M5_XLARGE, M5_XLARGE), List.of(false, true)))
                .containsExactly(new SparkResources(4, 12288), new SparkResources(4, 12288));
    }

    @Test
    void memoryIsRoundedDownTo64Mb() {
        ClusterSizing odd = new ClusterSizing(new HostResources(8, 10000), 1.0, 1);

        // 12288 x (10000 / 12288) = 10000, rounded down to 64 MB = 9984
        assertThat(odd.size(List.of(M5_XLARGE), List.of(true))).containsExactly(new SparkResources(4, 9984));
    }

    @Test
    void neverBelowOneCoreOr1024Mb() {
        ClusterSizing tiny = new ClusterSizing(new HostResources(1, 2048), 0.5, 1);

        List<SparkResources> resources = tiny.size(List.of(M5_4XLARGE, M5_4XLARGE, M5_4XLARGE, M5_4XLARGE), List.of(false, true, true, true));

        assertThat(resources).containsOnly(new SparkResources(1, ClusterSizing.MINIMUM_MEMORY_MB)).hasSize(4);
        assertThat(ClusterSizing.MINIMUM_MEMORY_MB).isEqualTo(1024);
    }

    @Test
    void withoutWorkersNothingIsScaled() {
        assertThat(sizing.size(List.of(M5_4XLARGE), List.of(false))).containsExactly(new SparkResources(16, 57344));
    }

    @Test
    void hostIsKept() {
        assertThat(sizing.host()).isEqualTo(new HostResources(2, 24576));
    }

    @Test
    void heapForContainerLeavesRoomForSparksMemoryOverhead() {
        // below 3840 MB of heap the overhead is 384 MB; above it is 10% of the heap
        assertThat(ClusterSizing.heapForContainer(2048)).isEqualTo(2048 - 384);
        assertThat(ClusterSizing.heapForContainer(4224)).isEqualTo(3840);
        assertThat(ClusterSizing.heapForContainer(6016)).isEqualTo(5469);
        assertThat(ClusterSizing.heapForContainer(12288)).isEqualTo(11170);
    }

    @Test
    void heapForContainerIsAtLeast512Mb() {
        assertThat(ClusterSizing.heapForContainer(600)).isEqualTo(512);
        assertThat(ClusterSizing.heapForContainer(896)).isEqualTo(512);
        assertThat(ClusterSizing.heapForContainer(1024)).isEqualTo(640);
    }

    @Test
    void heapPlusOverheadFitsTheContainer() {
        for (int container : new int[] {1024, 2048, 4000, 4224, 4300, 6016, 12288, 57344}) {
            int heap = ClusterSizing.heapForContainer(container);
            assertThat(heap + Math.max(384, heap / 10)).as("container %d", container).isLessThanOrEqualTo(container);
        }
    }
}
