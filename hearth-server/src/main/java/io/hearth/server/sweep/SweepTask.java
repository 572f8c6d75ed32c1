package io.hearth.server.sweep;

import java.time.Instant;

/**
 * A task of a sweep as stored: its training spec and state, and for its latest attempt what ran
 * it and how it ended.
 *
 * @param attempt 1 for the first run, one more for each resume that re-ran it
 * @param metrics the metrics JSON of a SUCCEEDED task ({@code {"validation": {...}, "test": {...}}})
 */
public record SweepTask(String sweepId, String taskId, int position, String description, String spec, TaskState state, int attempt,
        String modelId, String stepId, String applicationId, String logLocation, String reason, String metrics, Instant startedAt, Instant endedAt) {}
