package io.hearth.server.step;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The EMR step lifecycle: PENDING, RUNNING (CANCEL_PENDING while a cancel stops its driver), then
 * one of four ends. {@link StepStateMachine} is the only code that moves a step between these states.
 */
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

    /**
     * The states a step in this one may move to. RUNNING may go back to PENDING: a step whose
     * driver was never launched (Hearth stopped in between) starts once, later.
     */
    public Set<StepState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(PENDING, CANCEL_PENDING, COMPLETED, CANCELLED, FAILED, INTERRUPTED);
            // A driver may still finish its work, or fail, before the cancel reaches it.
            case CANCEL_PENDING -> EnumSet.of(COMPLETED, CANCELLED, FAILED, INTERRUPTED);
            case COMPLETED, CANCELLED, FAILED, INTERRUPTED -> EnumSet.noneOf(StepState.class);
        };
    }

    /** The states from which a step may move to {@code to}. */
    public static Set<StepState> from(StepState to) {
        return Transitions.leadingTo(StepState.class, StepState::next, to);
    }

    /** The states of a step not ended yet: pending, or with a driver that may be alive. */
    public static Set<StepState> unfinished() {
        return Transitions.matching(StepState.class, state -> !state.isTerminal());
    }

    /** The states in which a driver process may be alive ({@link #isActive()}). */
    public static Set<StepState> active() {
        return Transitions.matching(StepState.class, StepState::isActive);
    }

    /** Whether a driver process may be alive for a step in this state. */
    public boolean isActive() {
        return this == RUNNING || this == CANCEL_PENDING;
    }
}
