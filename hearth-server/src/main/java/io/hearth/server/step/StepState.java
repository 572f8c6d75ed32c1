package io.hearth.server.step;

/** The EMR step lifecycle. */
public enum StepState {
    /** Waiting for its turn: steps start in submission order, up to the cluster's concurrency level. */
    PENDING(false),
    /** CancelSteps was called on the running step; its driver is being stopped. */
    CANCEL_PENDING(false),
    /** Its driver process is running. */
    RUNNING(false),
    /** The driver exited with code 0. */
    COMPLETED(true),
    /** Cancelled before it ran, or stopped by CancelSteps while running. */
    CANCELLED(true),
    /** The driver exited with a non-zero code, or could not be started. */
    FAILED(true),
    /** The driver was stopped because the cluster terminated or Hearth stopped. */
    INTERRUPTED(true);

    private final boolean terminal;

    StepState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** Whether a driver process may be alive for a step in this state. */
    public boolean isActive() {
        return this == RUNNING || this == CANCEL_PENDING;
    }
}
