package io.hearth.server.sweep;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The sweep lifecycle: RUNNING until every task has ended, then COMPLETED, FAILED or CANCELLED. A
 * resume takes a FAILED or CANCELLED sweep back to RUNNING; nothing leaves COMPLETED.
 * {@link SweepStateMachine} is the only code that moves a sweep between these states.
 */
public enum SweepState {
    /** Some task is pending or running. */
    RUNNING(false),
    /** Every task succeeded. */
    COMPLETED(true),
    /** Every task has ended and at least one failed. */
    FAILED(true),
    /** Cancelled by request, or stopped by {@code onFailure: stop}, before every task succeeded. */
    CANCELLED(true);

    private final boolean terminal;

    SweepState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the sweep has ended (a resume may still start a FAILED or CANCELLED one again). */
    public boolean isTerminal() {
        return terminal;
    }

    /** The states a sweep in this one may move to. */
    public Set<SweepState> next() {
        return switch (this) {
            case RUNNING -> EnumSet.of(COMPLETED, FAILED, CANCELLED);
            case FAILED, CANCELLED -> EnumSet.of(RUNNING);
            case COMPLETED -> EnumSet.noneOf(SweepState.class);
        };
    }

    /** The states from which a sweep may move to {@code to}. */
    public static Set<SweepState> from(SweepState to) {
        return Transitions.leadingTo(SweepState.class, SweepState::next, to);
    }
}
