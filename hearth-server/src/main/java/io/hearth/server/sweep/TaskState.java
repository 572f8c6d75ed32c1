package io.hearth.server.sweep;

/** Where a sweep task is: waiting for a slot, running, or ended one of three ways. */
public enum TaskState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isEnded() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
