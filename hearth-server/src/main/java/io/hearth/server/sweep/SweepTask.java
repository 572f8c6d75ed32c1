package io.hearth.server.sweep;

import java.time.Instant;

/**
 * A task of a sweep as stored: its training spec and state, and for its latest attempt what ran
 * it and how it ended.
 *
 * @param attempt 1 for the first run, one more for each resume that re-ran it
 * @param stepId the step that runs (or will run) the latest attempt; null while the task waits for a slot
 * @param metrics the metrics JSON of a SUCCEEDED task ({@code {"validation": {...}, "test": {...}}})
 * @param startedAt when what runs the task started it (its step, or its thread in the shared application), not when it was handed over
 * @param endedAt when it ended, as reported by what ran it where known
 */
public record SweepTask(String sweepId, String taskId, int position, String description, String spec, TaskState state, int attempt,
        String modelId, String stepId, String applicationId, String logLocation, String reason, String metrics, Instant startedAt, Instant endedAt) {

    /** PENDING, but handed to what will run it (its own step, or the shared application's), which has not started it yet. */
    public boolean isQueued() {
        return state == TaskState.PENDING && stepId != null;
    }

    /** Handed to what runs it and not ended: queued or RUNNING. It holds one of the sweep's {@code maxParallel} slots. */
    public boolean isInFlight() {
        return state == TaskState.RUNNING || isQueued();
    }
}
