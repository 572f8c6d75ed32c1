package io.hearth.server.process;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits for a child process to be ready: a probe (it answers on its port, say) checked until it
 * passes, the process exits, the caller gives up, or a deadline passes. Between probes the wait is
 * on the process's exit, so an exit ends it at once rather than at the next probe.
 */
public final class Readiness {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    /** How a wait ended. */
    public enum Outcome {
        /** The probe passed. */
        READY,
        /** The process exited first. */
        EXITED,
        /** The caller no longer wanted it (it is being stopped). */
        ABANDONED,
        /** The deadline passed first. */
        TIMED_OUT
    }

    /** Whether the process is ready now; may block briefly (an HTTP or Thrift call with its own timeout). */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws InterruptedException;
    }

    private Readiness() {}

    /** Probes until {@code ready} passes, {@code process} exits, or {@code deadline} passes. */
    public static Outcome await(Probe ready, ManagedProcess process, Instant deadline, Clock clock) throws InterruptedException {
        return await(ready, process.onExit(), () -> true, deadline, clock);
    }

    /**
     * Probes until {@code ready} passes, {@code exit} completes (a process the caller depends on has
     * exited), {@code wanted} turns false, or {@code deadline} passes.
     */
    public static Outcome await(Probe ready, CompletableFuture<?> exit, BooleanSupplier wanted, Instant deadline, Clock clock) throws InterruptedException {
        while (true) {
            if (ready.ready()) {
                return Outcome.READY;
            }
            if (exit.isDone()) {
                return Outcome.EXITED;
            }
            if (!wanted.getAsBoolean()) {
                return Outcome.ABANDONED;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Outcome.TIMED_OUT;
            }
            try {
                exit.get(Math.min(left.toMillis(), PROBE_INTERVAL.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Not exited: probe again.
            }
        }
    }

    /** A future that never completes, for waits that depend on no process. */
    public static CompletableFuture<Void> never() {
        return new CompletableFuture<>();
    }
}
