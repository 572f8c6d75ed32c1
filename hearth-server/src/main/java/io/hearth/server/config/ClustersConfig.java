package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Settings of clusters: how much of this machine they may use and how long they may take to start.
 *
 * @param memoryFraction the share of this machine's memory the workers of one cluster may use together
 * @param cpuOversubscription how many Spark cores the workers of one cluster may have together per CPU core of this machine
 * @param startTimeout how long a multi-instance cluster's Spark master may take to answer, and again its workers to register
 */
public record ClustersConfig(double memoryFraction, double cpuOversubscription, Duration startTimeout) {
    public static final Setting<Double> MEMORY_FRACTION = Setting.number("clusters.memory-fraction", 0.5, 0.01, 1.0);
    public static final Setting<Double> CPU_OVERSUBSCRIPTION = Setting.number("clusters.cpu-oversubscription", 2.0, 0.1, 64.0);
    public static final Setting<Duration> START_TIMEOUT = Setting.duration("clusters.start-timeout", Duration.ofSeconds(120), Duration.ofSeconds(1));

    static final List<Setting<?>> SETTINGS = List.of(MEMORY_FRACTION, CPU_OVERSUBSCRIPTION, START_TIMEOUT);

    public ClustersConfig {
        requireNonNull(startTimeout, "startTimeout is null");
    }

    static ClustersConfig from(SettingValues values) {
        return new ClustersConfig(values.get(MEMORY_FRACTION), values.get(CPU_OVERSUBSCRIPTION), values.get(START_TIMEOUT));
    }
}
