package io.hearth.server.cluster;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The EMR cluster lifecycle: STARTING, BOOTSTRAPPING, then WAITING and RUNNING in turn as steps come
 * and go, until TERMINATING and one of the two ends. Any state before TERMINATING may terminate.
 * {@link ClusterStateMachine} is the only code that moves a cluster between these states.
 */
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

    /**
     * The states a cluster in this one may move to. BOOTSTRAPPING may enter itself: a restart
     * provisions a cluster that was bootstrapping again from the start.
     */
    public Set<ClusterState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(BOOTSTRAPPING, TERMINATING);
            case BOOTSTRAPPING -> EnumSet.of(BOOTSTRAPPING, WAITING, TERMINATING);
            case RUNNING -> EnumSet.of(WAITING, TERMINATING);
            case WAITING -> EnumSet.of(RUNNING, TERMINATING);
            case TERMINATING -> EnumSet.of(TERMINATED, TERMINATED_WITH_ERRORS);
            case TERMINATED, TERMINATED_WITH_ERRORS -> EnumSet.noneOf(ClusterState.class);
        };
    }

    /** The states from which a cluster may move to {@code to}. */
    public static Set<ClusterState> from(ClusterState to) {
        return Transitions.leadingTo(ClusterState.class, ClusterState::next, to);
    }

    /** The states that have ended, for queries that leave them out. */
    public static Set<ClusterState> terminal() {
        return Transitions.matching(ClusterState.class, ClusterState::isTerminal);
    }

    /** Whether Spark is up and steps can run. */
    public boolean isUp() {
        return this == RUNNING || this == WAITING;
    }
}
