package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;

/**
 * What a {@link SupervisedDaemon} runs and how it is supervised. {@code name} is how log lines and
 * errors call it ("the catalog's metastore"); {@code fingerprint} digests the configuration it is
 * started with, so a survivor started with another one is replaced (null: any survivor is kept);
 * {@code readyWhen} is the readiness probe, null for a daemon that is ready once launched;
 * {@code beforeLaunch} runs before every launch and may refuse it (a port taken by another program).
 */
public record DaemonSpec(
        String name,
        LaunchSpec launch,
        String fingerprint,
        Readiness.Probe readyWhen,
        Duration startTimeout,
        RestartPolicy restartPolicy,
        Duration stopGrace,
        LaunchCheck beforeLaunch) {
    private static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);

    /** A check before a launch; it throws (a {@link io.hearth.server.HearthException}, say) to refuse it. */
    @FunctionalInterface
    public interface LaunchCheck {
        void check() throws IOException;
    }

    public DaemonSpec {
        requireNonNull(name, "name is null");
        requireNonNull(launch, "launch is null");
        requireNonNull(startTimeout, "startTimeout is null");
        requireNonNull(restartPolicy, "restartPolicy is null");
        requireNonNull(stopGrace, "stopGrace is null");
        requireNonNull(beforeLaunch, "beforeLaunch is null");
    }

    /** A daemon without fingerprint or probe, never restarted, stopped with a 30 s grace period. */
    public static DaemonSpec of(String name, LaunchSpec launch) {
        return new DaemonSpec(name, launch, null, null, DEFAULT_START_TIMEOUT, RestartPolicy.never(), DEFAULT_STOP_GRACE, () -> {});
    }

    public DaemonSpec withFingerprint(String newFingerprint) {
        return new DaemonSpec(name, launch, newFingerprint, readyWhen, startTimeout, restartPolicy, stopGrace, beforeLaunch);
    }

    /** Ready once {@code probe} passes; not ready (and reported so) if that takes longer than {@code timeout}. */
    public DaemonSpec readyWhen(Readiness.Probe probe, Duration timeout) {
        return new DaemonSpec(name, launch, fingerprint, requireNonNull(probe, "probe is null"), timeout, restartPolicy, stopGrace, beforeLaunch);
    }

    public DaemonSpec withRestartPolicy(RestartPolicy policy) {
        return new DaemonSpec(name, launch, fingerprint, readyWhen, startTimeout, policy, stopGrace, beforeLaunch);
    }

    public DaemonSpec withStopGrace(Duration grace) {
        return new DaemonSpec(name, launch, fingerprint, readyWhen, startTimeout, restartPolicy, grace, beforeLaunch);
    }

    public DaemonSpec withLaunchCheck(LaunchCheck check) {
        return new DaemonSpec(name, launch, fingerprint, readyWhen, startTimeout, restartPolicy, stopGrace, check);
    }
}
