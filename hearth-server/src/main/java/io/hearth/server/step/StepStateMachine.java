package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that changes a step's state. Each transition is a compare-and-set in the store on
 * the states {@link StepState} allows it from, and says whether it won: a step starts once, and a
 * step being cancelled, interrupted and finishing at the same moment ends exactly once. Stopping a
 * driver follows the one failure path: {@link #requestStop} records the cause first, and the end
 * the driver's exit brings follows that cause. A refused transition is logged, never thrown.
 */
public final class StepStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(StepStateMachine.class);
    private static final Set<StepState> ACTIVE = StepState.active();

    private final StepStore store;
    private final Clock clock;

    public StepStateMachine(StepStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** PENDING to RUNNING: this caller launches the driver. */
    public boolean transitionToRunning(String stepId) {
        return logged(store.markRunning(stepId, clock.instant()), stepId, StepState.RUNNING);
    }

    /** RUNNING back to PENDING, for a step whose driver was never launched and that no one asked to stop. */
    public boolean transitionToPendingAgain(String stepId) {
        return logged(store.returnToPending(stepId), stepId, StepState.PENDING);
    }

    /**
     * Records why a RUNNING step's driver is about to be stopped, before it is signalled; a cancel
     * also moves it to CANCEL_PENDING. The first request stays: it decides the step's end.
     */
    public boolean requestStop(String stepId, StopRequest request) {
        return logged(store.requestStop(stepId, request), stepId, request.isCancel() ? StepState.CANCEL_PENDING : StepState.RUNNING);
    }

    /**
     * A step whose driver was launched (RUNNING or CANCEL_PENDING) to its end: {@code end} is one of
     * COMPLETED, CANCELLED, FAILED or INTERRUPTED, with the driver's exit code when it left one.
     */
    public boolean transitionToEnded(String stepId, StepState end, Integer exitCode, Step.FailureDetails failure, String message) {
        requireEnd(end);
        Set<StepState> from = EnumSet.copyOf(StepState.from(end));
        from.retainAll(ACTIVE);
        return logged(store.end(stepId, from, end, exitCode, failure, message, clock.instant()), stepId, end);
    }

    /** A RUNNING step whose driver could not be launched to FAILED, with why. */
    public boolean transitionToFailed(String stepId, Step.FailureDetails failure, String cause) {
        return transitionToEnded(stepId, StepState.FAILED, null, failure, cause);
    }

    /** A RUNNING step to INTERRUPTED: the cluster or Hearth stopped it. */
    public boolean transitionToInterrupted(String stepId, String reason) {
        return transitionToEnded(stepId, StepState.INTERRUPTED, null, null, reason);
    }

    /** A PENDING step to CANCELLED, before it ever ran. */
    public boolean transitionToCancelledBeforeStart(String stepId, String reason) {
        return logged(store.end(stepId, EnumSet.of(StepState.PENDING), StepState.CANCELLED, null, null, reason, clock.instant()), stepId, StepState.CANCELLED);
    }

    /** Every PENDING step of a cluster to CANCELLED; returns how many. */
    public int cancelAllPending(String clusterId, String reason) {
        return store.cancelPending(clusterId, reason, clock.instant());
    }

    private static void requireEnd(StepState end) {
        if (!end.isTerminal()) {
            throw new IllegalArgumentException("A step ends in a terminal state, not " + end);
        }
    }

    private static boolean logged(boolean won, String stepId, StepState to) {
        if (!won) {
            LOG.debug("Step {} did not move to {}: its state does not allow it, or another change came first", stepId, to);
        }
        return won;
    }
}
