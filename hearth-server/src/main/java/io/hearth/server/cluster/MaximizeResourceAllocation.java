package io.hearth.server.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EMR's {@code maximizeResourceAllocation}: one executor per worker instance, as large as the
 * instance allows. With the Spark resources Hearth gave the instances (see {@link ClusterSizing}):
 * <pre>
 *   spark.executor.cores       = cores of a CORE instance (a TASK instance if there is no CORE group)
 *   spark.executor.memory      = largest heap H with H + max(384 MB, 10% of H) within that instance's memory
 *   spark.executor.instances   = number of CORE and TASK instances (not set when dynamic allocation is on)
 *   spark.default.parallelism  = 2 x the cores of all CORE and TASK instances
 *   spark.driver.memory        = the same heap rule on the smaller of the MASTER and that instance
 * </pre>
 * A single-instance cluster runs in local mode: the driver gets the heap rule on the master's
 * memory and parallelism is twice its cores.
 */
final class MaximizeResourceAllocation {
    private MaximizeResourceAllocation() {}

    static Map<String, String> compute(List<Instance> instances, Map<String, String> userDefaults) {
        Map<String, String> values = new LinkedHashMap<>();
        Instance master = instances.stream().filter(Instance::isMaster).findFirst().orElseThrow();
        List<Instance> workers = instances.stream().filter(instance -> !instance.isMaster()).toList();
        if (workers.isEmpty()) {
            values.put("spark.driver.memory", ClusterSizing.heapForContainer(master.sparkMemoryMb()) + "m");
            values.put("spark.default.parallelism", Integer.toString(2 * master.sparkCores()));
            return values;
        }
        Instance node = workers.stream().filter(instance -> instance.role() == InstanceRole.CORE).findFirst().orElse(workers.get(0));
        int totalCores = workers.stream().mapToInt(Instance::sparkCores).sum();
        values.put("spark.executor.cores", Integer.toString(node.sparkCores()));
        values.put("spark.executor.memory", ClusterSizing.heapForContainer(node.sparkMemoryMb()) + "m");
        if (!"true".equalsIgnoreCase(userDefaults.get("spark.dynamicAllocation.enabled"))) {
            values.put("spark.executor.instances", Integer.toString(workers.size()));
        }
        values.put("spark.default.parallelism", Integer.toString(2 * totalCores));
        values.put("spark.driver.memory", ClusterSizing.heapForContainer(Math.min(master.sparkMemoryMb(), node.sparkMemoryMb())) + "m");
        return values;
    }
}
