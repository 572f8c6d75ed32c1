package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How often a supervised daemon is started again after it exits on its own: at most {@code
 * maxRestarts} times within any {@code window}, each restart after a backoff that doubles from
 * {@code initialBackoff} up to {@code maxBackoff}, so a daemon that keeps failing is not restarted
 * in a tight loop and, past the bound, stays down and says so.
 */
public record RestartPolicy(int maxRestarts, Duration window, Duration initialBackoff, Duration maxBackoff) {
    public RestartPolicy {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts is negative: " + maxRestarts);
        }
        requireNonNull(window, "window is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must grow from " + initialBackoff + " to at most " + maxBackoff);
        }
    }

    /** Never restarted: an exit is reported and the daemon stays down (a Spark daemon: its cluster fails, as on EMR). */
    public static RestartPolicy never() {
        return new RestartPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** Restarted at most {@code maxRestarts} times within {@code window}, after a backoff from {@code initialBackoff} to {@code maxBackoff}. */
    public static RestartPolicy bounded(int maxRestarts, Duration window, Duration initialBackoff, Duration maxBackoff) {
        return new RestartPolicy(maxRestarts, window, initialBackoff, maxBackoff);
    }

    /**
     * The wait before the next restart, given how many restarts the window already holds; empty
     * when the policy allows no more.
     */
    public Optional<Duration> backoff(int restartsInWindow) {
        if (restartsInWindow >= maxRestarts) {
            return Optional.empty();
        }
        Duration backoff = initialBackoff;
        for (int i = 0; i < restartsInWindow && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return Optional.of(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff);
    }
}
