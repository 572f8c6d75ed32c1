package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What Hearth remembers of a daemon it started, enough to re-attach to it after Hearth restarts:
 * pid and start time (together they tell the process from a later one with the same pid) and the
 * fingerprint of the configuration it was started with (null when the daemon keeps none).
 */
public record ProcessRecord(long pid, Instant startedAt, String fingerprint) {
    public ProcessRecord {
        requireNonNull(startedAt, "startedAt is null");
    }
}
