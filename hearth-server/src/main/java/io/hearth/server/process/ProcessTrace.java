package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

/**
 * What became of a process launched with a given exit-status file, as this machine tells it after
 * Hearth restarted: the wrapper leaves a pid file as its first act and an exit-status file as its
 * last, so a launch is never mistaken for one that did not happen.
 */
public sealed interface ProcessTrace {
    /** Still running: adopt it. */
    record Alive(ManagedProcess process) implements ProcessTrace {
        public Alive {
            requireNonNull(process, "process is null");
        }
    }

    /** Ended and recorded its exit code. */
    record Exited(int exitCode) implements ProcessTrace {}

    /** Started, then ended without recording an exit code (killed with its wrapper). */
    record Vanished() implements ProcessTrace {}

    /** The wrapper never ran: nothing was started, so starting it now runs it once. */
    record NeverStarted() implements ProcessTrace {}
}
