package io.hearth.server.cluster;

/** The EMR cluster lifecycle. */
public enum ClusterState {
    /** The cluster's instances are being prepared (directories, configuration). */
    STARTING(false),
    /** Bootstrap actions run on every instance, then Spark starts. */
    BOOTSTRAPPING(false),
    /** A step is pending or running. */
    RUNNING(false),
    /** Up and idle: no step pending or running. */
    WAITING(false),
    /** Steps are being stopped and Spark processes shut down. */
    TERMINATING(false),
    /** Ended normally: by request, after its last step, or by its auto-termination policy. */
    TERMINATED(true),
    /** Ended by a failure: a bootstrap action, a step with TERMINATE_CLUSTER, or an internal error. */
    TERMINATED_WITH_ERRORS(true);

    private final boolean terminal;

    ClusterState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** Whether steps may be added and settings changed (EMR allows this until TERMINATING). */
    public boolean acceptsChanges() {
        return !terminal && this != TERMINATING;
    }

    /** Whether Spark is up and steps can run. */
    public boolean isUp() {
        return this == RUNNING || this == WAITING;
    }
}
