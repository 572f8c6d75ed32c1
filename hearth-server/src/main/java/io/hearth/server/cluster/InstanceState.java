package io.hearth.server.cluster;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/** The states Hearth gives instances (EMR's InstanceState). */
public enum InstanceState {
    /** Not used by Hearth: instances are never waiting for capacity. */
    AWAITING_FULFILLMENT(false),
    /** The instance's directory and configuration are being prepared. */
    PROVISIONING(false),
    /** Bootstrap actions run on the instance. */
    BOOTSTRAPPING(false),
    /** The instance runs its Spark daemon (or, for a single-instance cluster, is ready for drivers). */
    RUNNING(false),
    /** The instance was stopped or failed. */
    TERMINATED(true);

    private final boolean terminal;

    InstanceState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether this is the end: nothing moves out of it. */
    public boolean isTerminal() {
        return terminal;
    }

    /** The states an instance in this one may move to: forward through provisioning and bootstrap, or to its end from anywhere. */
    public Set<InstanceState> next() {
        return switch (this) {
            case AWAITING_FULFILLMENT -> EnumSet.of(PROVISIONING, TERMINATED);
            case PROVISIONING -> EnumSet.of(BOOTSTRAPPING, RUNNING, TERMINATED);
            case BOOTSTRAPPING -> EnumSet.of(RUNNING, TERMINATED);
            case RUNNING -> EnumSet.of(TERMINATED);
            case TERMINATED -> EnumSet.noneOf(InstanceState.class);
        };
    }

    /** The states from which an instance may move to {@code to}. */
    public static Set<InstanceState> from(InstanceState to) {
        return Transitions.leadingTo(InstanceState.class, InstanceState::next, to);
    }
}
