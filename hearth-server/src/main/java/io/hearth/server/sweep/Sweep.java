package io.hearth.server.sweep;

import java.time.Instant;

/** A sweep as stored: its spec as written, how its tasks run, and its state. */
public record Sweep(String sweepId, String name, String clusterId, SweepPlanner.Isolation isolation, int maxParallel, boolean stopOnFailure,
        String metric, String spec, SweepState state, String stateMessage, Instant createdAt, Instant endedAt) {}
