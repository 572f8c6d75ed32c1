package io.hearth.spark.sql;

import java.util.List;

/**
 * One query the engine was given, and what became of it. The engine's states are RUNNING, then SUCCEEDED, FAILED or
 * CANCELLED; Hearth keeps the durable record (with QUEUED before it hands the query over). Thread-safe: the runner
 * thread writes, the control server reads.
 */
final class EngineQuery {
    enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /** What Hearth sends: the query, the database it runs in, where the result CSV goes, the bytes-scanned cutoff. */
    record Request(String id, String sql, String database, String resultFile, long maxBytesScanned) {}

    /**
     * What Hearth reads back. {@code error} and {@code errorType} (Spark's error class, or CANCELLED) are set when FAILED or
     * CANCELLED with a reason; {@code userError} tells a mistake in the query (syntax, unknown table) from the engine's own.
     */
    record Status(String id, State state, String statementType, String error, String errorType, boolean userError,
            List<ResultColumn> columns, long rows, Long updateCount, long bytesScanned, long engineMillis) {}

    private final Request request;
    private final long startedNanos = System.nanoTime();
    private final String statementType;
    private State state = State.RUNNING;
    private String error;
    private String errorType;
    private boolean userError;
    private List<ResultColumn> columns = List.of();
    private long rows;
    private Long updateCount;
    private long bytesScanned;
    private long engineMillis;
    private String cancelReason;

    EngineQuery(Request request) {
        this.request = request;
        this.statementType = StatementType.of(request.sql()).name();
    }

    Request request() {
        return request;
    }

    synchronized void succeeded(List<ResultColumn> resultColumns, long resultRows, Long writtenRows, long bytes) {
        if (state == State.RUNNING) {
            columns = List.copyOf(resultColumns);
            rows = resultRows;
            updateCount = writtenRows;
            end(cancelReason == null ? State.SUCCEEDED : State.CANCELLED, cancelReason, cancelReason == null ? null : "CANCELLED", false, bytes);
        }
    }

    /** Ends the query FAILED, or CANCELLED when a cancel was asked for (Spark then fails the jobs it stopped). */
    synchronized void failed(String message, String type, boolean byUser, long bytes) {
        if (state == State.RUNNING) {
            boolean cancelled = cancelReason != null;
            end(cancelled ? State.CANCELLED : State.FAILED, cancelled ? cancelReason : message, cancelled ? "CANCELLED" : type, byUser, bytes);
        }
    }

    /** Records why the query is being cancelled; the runner ends it CANCELLED once Spark has stopped its jobs. */
    synchronized boolean cancelling(String reason) {
        if (state != State.RUNNING || cancelReason != null) {
            return false;
        }
        cancelReason = reason;
        return true;
    }

    synchronized boolean cancelRequested() {
        return cancelReason != null;
    }

    synchronized boolean ended() {
        return state != State.RUNNING;
    }

    synchronized Status status(long currentBytes) {
        long millis = state == State.RUNNING ? (System.nanoTime() - startedNanos) / 1_000_000 : engineMillis;
        long bytes = state == State.RUNNING ? currentBytes : bytesScanned;
        return new Status(request.id(), state, statementType, error, errorType, userError, columns, rows, updateCount, bytes, millis);
    }

    private void end(State end, String message, String type, boolean byUser, long bytes) {
        state = end;
        error = message;
        errorType = type;
        userError = byUser;
        bytesScanned = bytes;
        engineMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        notifyAll();
    }

    /** Waits until the query has ended or {@code millis} have passed. */
    synchronized void awaitEnd(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (state == State.RUNNING) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
