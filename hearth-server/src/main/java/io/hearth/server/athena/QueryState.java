package io.hearth.server.athena;

import io.hearth.server.lifecycle.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Athena's query lifecycle: QUEUED until its work group has room, RUNNING on the SQL engine, then SUCCEEDED, FAILED
 * or CANCELLED. {@link QueryExecutions} is the only code that moves a query between these states.
 */
public enum QueryState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public Set<QueryState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            // Back to QUEUED only when it was never handed to the engine (Hearth stopped in between).
            case RUNNING -> EnumSet.of(QUEUED, SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(QueryState.class);
        };
    }

    /** The states from which a query may move to {@code to}. */
    public static Set<QueryState> from(QueryState to) {
        return Transitions.leadingTo(QueryState.class, QueryState::next, to);
    }
}
