package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link SupervisedDaemon} shares: the launcher, an executor for readiness waits (they
 * block on probes), a scheduler for restart backoffs, and the clock. The server makes one and
 * hands it to each part that runs a daemon.
 */
public final class Supervisor {
    private final ProcessLauncher launcher;
    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final Clock clock;

    public Supervisor(ProcessLauncher launcher, Executor executor, ScheduledExecutorService timers, Clock clock) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A daemon supervised by this supervisor; nothing runs until {@link SupervisedDaemon#start()}. */
    public SupervisedDaemon daemon(DaemonSpec spec, ProcessRecords records, SupervisedDaemon.Listener listener) {
        return new SupervisedDaemon(spec, records, listener, this);
    }

    /**
     * The process an earlier Hearth left running: the recorded one if it still runs (same pid and
     * start time), else, without a record (Hearth stopped between the launch and the record), the
     * one whose wrapper writes {@code exitStatusFile}.
     */
    public Optional<ManagedProcess> findSurvivor(Optional<ProcessRecord> record, Path exitStatusFile) {
        if (record.isEmpty()) {
            return launcher.findRunning(exitStatusFile);
        }
        return launcher.adopt(record.get().pid(), record.get().startedAt(), exitStatusFile);
    }

    ProcessLauncher launcher() {
        return launcher;
    }

    Executor executor() {
        return executor;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Clock clock() {
        return clock;
    }
}
