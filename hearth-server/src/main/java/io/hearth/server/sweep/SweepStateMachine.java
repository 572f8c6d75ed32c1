package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that changes a sweep's state. Each transition is a compare-and-set in the store
 * on the states {@link SweepState} allows it from, and says whether it won: when a cancel and the
 * last task's failure race, exactly one ends the sweep, with its own reason. A transition out of
 * a state that does not allow it (leaving COMPLETED, say) is refused and logged, never thrown.
 */
public final class SweepStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(SweepStateMachine.class);

    private final SweepStore store;
    private final Clock clock;

    public SweepStateMachine(SweepStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** RUNNING to COMPLETED: every task succeeded. */
    public boolean transitionToCompleted(String sweepId, String message) {
        return end(sweepId, SweepState.COMPLETED, message);
    }

    /** RUNNING to FAILED, with why. */
    public boolean transitionToFailed(String sweepId, String cause) {
        return end(sweepId, SweepState.FAILED, cause);
    }

    /** RUNNING to CANCELLED, with why (a request, or a task's failure under {@code onFailure: stop}). */
    public boolean transitionToCancelled(String sweepId, String reason) {
        return end(sweepId, SweepState.CANCELLED, reason);
    }

    /**
     * Records why a RUNNING sweep is being cancelled, the first step of its one failure path: the
     * cause is stored before any task is stopped, and the sweep ends CANCELLED with it once its tasks
     * have ended ({@link #transitionToCancelled}). False when the sweep is not RUNNING or a cancel was
     * already recorded (the first reason stays).
     */
    public boolean requestCancel(String sweepId, String reason) {
        boolean recorded = store.requestCancel(sweepId, SweepState.from(SweepState.CANCELLED), reason);
        if (!recorded) {
            LOG.info("Sweep {} was not cancelled ({}): it is {} or already being cancelled", sweepId, reason, describe(sweepId));
        }
        return recorded;
    }

    /**
     * FAILED or CANCELLED back to RUNNING, its failed and cancelled tasks PENDING again; returns how
     * many tasks will run again (0, and the sweep unchanged, when there are none or it was COMPLETED).
     */
    public int transitionToRunningAgain(String sweepId) {
        int again = store.resume(sweepId, SweepState.from(SweepState.RUNNING));
        if (again == 0) {
            LOG.info("Sweep {} was not resumed: it has no failed or cancelled task, or it is {}", sweepId, describe(sweepId));
        }
        return again;
    }

    private boolean end(String sweepId, SweepState to, String message) {
        boolean won = store.end(sweepId, SweepState.from(to), to, message, clock.instant());
        if (!won) {
            LOG.debug("Sweep {} did not move to {} ({}): it is {}", sweepId, to, message, describe(sweepId));
        }
        return won;
    }

    private String describe(String sweepId) {
        return store.find(sweepId).map(sweep -> sweep.state().name()).orElse("unknown");
    }
}
