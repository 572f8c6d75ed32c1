package io.hearth.server.cluster;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/** The states Hearth gives instance groups (a subset of EMR's InstanceGroupState). */
public enum InstanceGroupState {
    /** The cluster is starting. */
    PROVISIONING(false),
    /** Bootstrap actions are running on the group's instances. */
    BOOTSTRAPPING(false),
    /** The group's instances run their Spark daemons. */
    RUNNING(false),
    /** The cluster is terminating. */
    TERMINATING(false),
    /** The cluster ended; so did the group. */
    ENDED(true);

    private final boolean terminal;

    InstanceGroupState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether this is the end: nothing moves out of it. */
    public boolean isTerminal() {
        return terminal;
    }

    /** The states a group in this one may move to: forward through start-up, or towards its end from anywhere. */
    public Set<InstanceGroupState> next() {
        return switch (this) {
            case PROVISIONING -> EnumSet.of(BOOTSTRAPPING, RUNNING, TERMINATING, ENDED);
            case BOOTSTRAPPING -> EnumSet.of(RUNNING, TERMINATING, ENDED);
            case RUNNING -> EnumSet.of(TERMINATING, ENDED);
            case TERMINATING -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(InstanceGroupState.class);
        };
    }

    /** The states from which a group may move to {@code to}. */
    public static Set<InstanceGroupState> from(InstanceGroupState to) {
        return Transitions.leadingTo(InstanceGroupState.class, InstanceGroupState::next, to);
    }
}
