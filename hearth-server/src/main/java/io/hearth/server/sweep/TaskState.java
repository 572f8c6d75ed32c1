package io.hearth.server.sweep;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a sweep task is: waiting, running, or ended one of three ways. {@link TaskStateMachine}
 * ends tasks and starts them; a resume (through {@link SweepStateMachine}) makes FAILED and
 * CANCELLED ones PENDING again, as a new attempt.
 */
public enum TaskState {
    /** Waiting for a slot, or handed to its step or the shared application, which has not started it yet. */
    PENDING(false),
    /** Its step, or its thread in the shared application, has started it. */
    RUNNING(false),
    /** Ended with a model and metrics. */
    SUCCEEDED(true),
    /** Ended with the reason its runner gave. */
    FAILED(true),
    /** Ended by a cancel, by {@code onFailure: stop}, or with its step. */
    CANCELLED(true);

    private final boolean terminal;

    TaskState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the task has ended (a resume may start a FAILED or CANCELLED one again, as a new attempt). */
    public boolean isTerminal() {
        return terminal;
    }

    /**
     * The states a task in this one may move to. A PENDING task may end at once: its shared
     * application can start and finish it between two looks, or it is cancelled before it ran.
     */
    public Set<TaskState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case FAILED, CANCELLED -> EnumSet.of(PENDING);
            case SUCCEEDED -> EnumSet.noneOf(TaskState.class);
        };
    }

    /** The states from which a task may move to {@code to}. */
    public static Set<TaskState> from(TaskState to) {
        return Transitions.leadingTo(TaskState.class, TaskState::next, to);
    }
}
