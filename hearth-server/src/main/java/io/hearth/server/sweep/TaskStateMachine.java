package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that starts and ends sweep tasks. Each transition is a compare-and-set in the store
 * on the states {@link TaskState} allows it from, and says whether it won, so a task ends once
 * however many observers (its step's end, the reconcile timer, a cancel) see it end. The times are
 * the caller's when it knows them (a step's start and end), else now. Refusals are logged.
 */
public final class TaskStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(TaskStateMachine.class);
    private static final Set<TaskState> NOT_STARTED = EnumSet.of(TaskState.PENDING);

    private final SweepStore store;
    private final Clock clock;

    public TaskStateMachine(SweepStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** PENDING to RUNNING, as of when {@code stepId}, the step it was handed to, started it. */
    public boolean transitionToRunning(String sweepId, String taskId, String stepId, Instant startedAt) {
        return logged(store.start(sweepId, taskId, stepId, startedAt), sweepId, taskId, TaskState.RUNNING);
    }

    /** To SUCCEEDED with the metrics its run wrote. */
    public boolean transitionToSucceeded(String sweepId, String taskId, String metrics, Instant endedAt) {
        return end(sweepId, taskId, TaskState.from(TaskState.SUCCEEDED), TaskState.SUCCEEDED, null, metrics, endedAt);
    }

    /** To FAILED, with why. */
    public boolean transitionToFailed(String sweepId, String taskId, String cause, Instant endedAt) {
        return transitionToEnded(sweepId, taskId, TaskState.FAILED, cause, endedAt);
    }

    /** To CANCELLED, with why. */
    public boolean transitionToCancelled(String sweepId, String taskId, String reason, Instant endedAt) {
        return transitionToEnded(sweepId, taskId, TaskState.CANCELLED, reason, endedAt);
    }

    /** To FAILED or CANCELLED, whichever {@code end} is, with why. */
    public boolean transitionToEnded(String sweepId, String taskId, TaskState end, String reason, Instant endedAt) {
        if (end != TaskState.FAILED && end != TaskState.CANCELLED) {
            throw new IllegalArgumentException("A task ends FAILED or CANCELLED with a reason, not " + end);
        }
        return end(sweepId, taskId, TaskState.from(end), end, reason, null, endedAt);
    }

    /** A task nothing has started yet (still PENDING) to FAILED now: it cannot run at all. */
    public boolean failBeforeStart(String sweepId, String taskId, String cause) {
        return end(sweepId, taskId, NOT_STARTED, TaskState.FAILED, cause, null, clock.instant());
    }

    /** A task nothing has started yet (still PENDING) to CANCELLED now; one that started meanwhile is left to its step. */
    public boolean cancelBeforeStart(String sweepId, String taskId, String reason) {
        return end(sweepId, taskId, NOT_STARTED, TaskState.CANCELLED, reason, null, clock.instant());
    }

    private boolean end(String sweepId, String taskId, Set<TaskState> from, TaskState to, String reason, String metrics, Instant endedAt) {
        return logged(store.finish(sweepId, taskId, from, to, reason, metrics, endedAt), sweepId, taskId, to);
    }

    private static boolean logged(boolean won, String sweepId, String taskId, TaskState to) {
        if (!won) {
            LOG.debug("Task {} of sweep {} did not move to {}: its state does not allow it, or another change came first", taskId, sweepId, to);
        }
        return won;
    }
}
