package io.hearth.server.sweep;

/** Where a sweep task is: waiting, running, or ended one of three ways. */
public enum TaskState {
    /** Waiting for a slot, or handed to its step or the shared application, which has not started it yet. */
    PENDING,
    /** Its step, or its thread in the shared application, has started it. */
    RUNNING,
    /** Ended with a model and metrics. */
    SUCCEEDED,
    /** Ended with the reason its runner gave. */
    FAILED,
    /** Ended by a cancel, by {@code onFailure: stop}, or with its step. */
    CANCELLED;

    public boolean isEnded() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
