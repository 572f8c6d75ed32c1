package io.hearth.server.sweep;

/** Where a sweep task is: waiting, running, or ended one of three ways. */
public enum TaskState {
    /** Waiting for a slot, or handed to its step or the shared application, which has not started it yet. */
    PENDING(false),
    /** Its step, or its thread in the shared application, has started it. */
    RUNNING(false),
    /** Ended with a model and metrics. */
    SUCCEEDED(true),
    /** Ended with the reason its runner gave. */
    FAILED(true),
    /** Ended by a cancel, by {@code onFailure: stop}, or with its step. */
    CANCELLED(true);

    private final boolean terminal;

    TaskState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the task has ended (a resume may start a FAILED or CANCELLED one again, as a new attempt). */
    public boolean isTerminal() {
        return terminal;
    }
}
