package io.hearth.server.step;

/**
 * Why Hearth is stopping a running driver. Recorded before the process is signalled, so that when
 * it exits the step ends in the state that matches the cause rather than FAILED.
 */
public enum StopRequest {
    /** CancelSteps with SEND_INTERRUPT: SIGTERM, then wait for the driver to exit. */
    CANCEL_SEND_INTERRUPT(StepState.CANCELLED),
    /** CancelSteps with TERMINATE_PROCESS: SIGKILL. */
    CANCEL_TERMINATE_PROCESS(StepState.CANCELLED),
    /** The cluster is terminating. */
    CLUSTER_TERMINATING(StepState.INTERRUPTED),
    /** Hearth is shutting down. */
    SERVER_STOPPING(StepState.INTERRUPTED);

    private final StepState resultingState;

    StopRequest(StepState resultingState) {
        this.resultingState = resultingState;
    }

    /** The state of a step whose driver exited with a non-zero code after this request. */
    public StepState resultingState() {
        return resultingState;
    }

    public boolean isCancel() {
        return resultingState == StepState.CANCELLED;
    }
}
