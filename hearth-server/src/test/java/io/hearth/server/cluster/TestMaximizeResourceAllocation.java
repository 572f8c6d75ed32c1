package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestMaximizeResourceAllocation {
    private static Instance instance(String id, InstanceRole role, int cores, int memoryMb) {
        return new Instance(id, "j-1", "ig-" + role, "i-" + id, 0, role, "m5.xlarge", InstanceState.RUNNING, StateChangeReason.NONE,
                Instant.parse("2024-01-01T00:00:00Z"), null, null, cores, memoryMb, null, null, null, null);
    }

    @Test
    void singleMasterGetsDriverMemoryAndParallelismOfTwiceItsCores() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(instance("m", InstanceRole.MASTER, 4, 12288)), Map.of());

        assertThat(values).containsExactly(
                Map.entry("spark.driver.memory", "11170m"),
                Map.entry("spark.default.parallelism", "8"));
    }

    @Test
    void masterAndTwoCoreInstancesGetOneExecutorPerInstance() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(
                instance("m", InstanceRole.MASTER, 2, 6016),
                instance("c1", InstanceRole.CORE, 4, 12288),
                instance("c2", InstanceRole.CORE, 4, 12288)), Map.of());

        assertThat(values).containsExactly(
                Map.entry("spark.executor.cores", "4"),
                Map.entry("spark.executor.memory", "11170m"),
                Map.entry("spark.executor.instances", "2"),
                Map.entry("spark.default.parallelism", "16"),
                Map.entry("spark.driver.memory", "5469m"));
    }

    @Test
    void driverMemoryUsesTheWorkerWhenItIsSmallerThanTheMaster() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(
                instance("m", InstanceRole.MASTER, 4, 12288),
                instance("c1", InstanceRole.CORE, 2, 4224)), Map.of());

        assertThat(values).containsEntry("spark.driver.memory", "3840m").containsEntry("spark.executor.memory", "3840m");
    }

    @Test
    void executorInstancesAreOmittedWithDynamicAllocation() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(
                instance("m", InstanceRole.MASTER, 2, 6016),
                instance("c1", InstanceRole.CORE, 4, 12288),
                instance("c2", InstanceRole.CORE, 4, 12288)), Map.of("spark.dynamicAllocation.enabled", "TRUE"));

        assertThat(values).doesNotContainKey("spark.executor.instances")
                .containsEntry("spark.executor.cores", "4")
                .containsEntry("spark.default.parallelism", "16");
    }

    @Test
    void executorInstancesAreSetWhenDynamicAllocationIsOff() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(
                instance("m", InstanceRole.MASTER, 2, 6016),
                instance("c1", InstanceRole.CORE, 4, 12288)), Map.of("spark.dynamicAllocation.enabled", "false"));

        assertThat(values).containsEntry("spark.executor.instances", "1");
    }

    @Test
    void taskOnlyWorkersUseTheTaskInstance() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(
                instance("m", InstanceRole.MASTER, 4, 12288),
                instance("t1", InstanceRole.TASK, 2, 2048),
                instance("t2", InstanceRole.TASK, 2, 2048)), Map.of());

        assertThat(values).containsExactly(
                Map.entry("spark.executor.cores", "2"),
                Map.entry("spark.executor.memory", "1664m"),
                Map.entry("spark.executor.instances", "2"),
                Map.entry("spark.default.parallelism", "8"),
                Map.entry("spark.driver.memory", "1664m"));
    }

    @Test
    void coreInstanceIsPreferredOverAnEarlierTaskInstanceAndAllWorkersCount() {
        Map<String, String> values = MaximizeResourceAllocation.compute(List.of(
                instance("m", InstanceRole.MASTER, 4, 12288),
                instance("t1", InstanceRole.TASK, 2, 2048),
                instance("c1", InstanceRole.CORE, 4, 6016)), Map.of());

        assertThat(values).containsEntry("spark.executor.cores", "4")
                .containsEntry("spark.executor.memory", "5469m")
                .containsEntry("spark.executor.instances", "2")
                .containsEntry("spark.default.parallelism", "12");
    }
}
