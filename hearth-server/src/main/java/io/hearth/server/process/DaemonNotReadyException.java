package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

/** Why a supervised daemon is not ready and will not become ready without a new start. */
public final class DaemonNotReadyException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The ways a daemon ends up not ready. */
    public enum Reason {
        /** It exited before it was ready, and its policy does not restart it. */
        EXITED,
        /** It did not pass its readiness probe within its start timeout; it may still be running. */
        TIMED_OUT,
        /** It was stopped. */
        STOPPED,
        /** It kept exiting and was restarted as often as its policy allows; it stays down. */
        GAVE_UP,
        /** A restart failed; it stays down. */
        RESTART_FAILED
    }

    private final Reason reason;

    DaemonNotReadyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}
