package io.hearth.server.sweep;

import java.time.Instant;

/**
 * A sweep as stored: its spec as written, how its tasks run, and its state. {@code cancelReason} is
 * set once a cancel was asked for: the sweep then ends CANCELLED with it, however its tasks end.
 */
public record Sweep(String sweepId, String name, String clusterId, SweepPlanner.Isolation isolation, int maxParallel, boolean stopOnFailure,
        String metric, String spec, SweepState state, String stateMessage, String cancelReason, Instant createdAt, Instant endedAt) {

    /** Whether a cancel was asked for and the sweep must not start more tasks. */
    public boolean isCancelRequested() {
        return cancelReason != null;
    }
}
