package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Settings of steps.
 *
 * @param maxUnfinishedPerCluster most steps a cluster may have pending, running or being cancelled; AddJobFlowSteps beyond it is refused
 * @param stopGracePeriod how long a step's driver gets to exit after SIGTERM before it is killed
 */
public record StepsConfig(int maxUnfinishedPerCluster, Duration stopGracePeriod) {
    public static final Setting<Integer> MAX_UNFINISHED_PER_CLUSTER = Setting.integer("steps.max-unfinished-per-cluster", 10_000, 1, Integer.MAX_VALUE);
    public static final Setting<Duration> STOP_GRACE_PERIOD = Setting.duration("steps.stop-grace-period", Duration.ofSeconds(60), Duration.ZERO);

    static final List<Setting<?>> SETTINGS = List.of(MAX_UNFINISHED_PER_CLUSTER, STOP_GRACE_PERIOD);

    public StepsConfig {
        requireNonNull(stopGracePeriod, "stopGracePeriod is null");
    }

    static StepsConfig from(SettingValues values) {
        return new StepsConfig(values.get(MAX_UNFINISHED_PER_CLUSTER), values.get(STOP_GRACE_PERIOD));
    }
}
