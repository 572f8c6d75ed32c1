package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import io.hearth.server.config.Setting;
import io.hearth.server.process.DaemonNotReadyException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-running child process Hearth keeps up: it re-attaches to the one an earlier Hearth left
 * running (by pid and start time, if its fingerprint matches) or launches it, appends a start
 * banner to its log, waits for it to be ready in the background, watches its exit, restarts it
 * with backoff as its {@link RestartPolicy} allows, and tells its owner when it exits on its own
 * or gives up. {@link #stop} marks it stopping first, so the exit it causes is not taken for a crash.
 */
public final class SupervisedDaemon {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedDaemon.class);

    /** How {@link #start()} got the daemon running. */
    public enum Start {
        ADOPTED,
        LAUNCHED
    }

    /**
     * What the owner hears. {@code launched} runs while the daemon's lock is held (it logs, it does
     * not call back); the others run outside it, on whichever thread saw the event.
     */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** A process was launched (a first start or a restart) and recorded; it is not ready yet. */
        default void launched(ManagedProcess process) {}

        /** The probe passed for {@code process}. */
        default void ready(ManagedProcess process) {}

        /** The daemon exited though nobody stopped it; it restarts after {@code restartAfter}, or stays down when that is empty. */
        default void exited(long pid, OptionalInt exitCode, Optional<Duration> restartAfter) {}

        /** The daemon stays down: it exited and its policy allows no (more) restarts, or a restart failed. */
        default void gaveUp(DaemonNotReadyException why) {}

        /** A listener for unexpected exits only. */
        static Listener onExit(ExitHandler handler) {
            requireNonNull(handler, "handler is null");
            return new Listener() {
                @Override
                public void exited(long pid, OptionalInt exitCode, Optional<Duration> restartAfter) {
                    handler.exited(pid, exitCode, restartAfter);
                }
            };
        }
    }

    /** {@link Listener#exited} on its own. */
    @FunctionalInterface
    public interface ExitHandler {
        void exited(long pid, OptionalInt exitCode, Optional<Duration> restartAfter);
    }

    private final DaemonSpec spec;
    private final ProcessRecords records;
    private final Listener listener;
    private final Supervisor supervisor;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    private volatile ManagedProcess process;
    private volatile boolean stopping;
    private CompletableFuture<Void> ready = new CompletableFuture<>();
    private CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);
    private Future<?> pendingRestart;

    SupervisedDaemon(DaemonSpec spec, ProcessRecords records, Listener listener, Supervisor supervisor) {
        this.spec = requireNonNull(spec, "spec is null");
        this.records = requireNonNull(records, "records is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
    }

    /**
     * Re-attaches to the survivor of an earlier Hearth if it runs with this fingerprint; else stops
     * any survivor and launches. Returns once the process runs; readiness follows ({@link #ready()}).
     */
    public synchronized Start start() throws IOException {
        checkNotStopped();
        Optional<ProcessRecord> record = records.read();
        Optional<ManagedProcess> survivor = supervisor.findSurvivor(record, exitStatusFile());
        if (survivor.isPresent()) {
            if (startedWithThisConfiguration(record)) {
                reattach(survivor.get());
                return Start.ADOPTED;
            }
            LOG.info("{} (process {}) was started with another configuration: stopping it to start it again", sentence(), survivor.get().pid());
            survivor.get().stop(spec.stopGrace());
        }
        launch();
        return Start.LAUNCHED;
    }

    /**
     * Re-attaches to the survivor of an earlier Hearth if it still runs with this fingerprint, and
     * supervises it from now on; leaves anything else alone and returns false.
     */
    public synchronized boolean adopt() {
        checkNotStopped();
        Optional<ProcessRecord> record = records.read();
        Optional<ManagedProcess> survivor = supervisor.findSurvivor(record, exitStatusFile());
        if (survivor.isEmpty() || !startedWithThisConfiguration(record)) {
            return false;
        }
        reattach(survivor.get());
        return true;
    }

    /** A stopped daemon stays stopped: a new start is a new daemon. */
    private void checkNotStopped() {
        if (stopping) {
            throw new IllegalStateException(sentence() + " was stopped");
        }
    }

    /** Without a fingerprint any survivor will do; with one, the record must show the same (a survivor without record is unknown). */
    private boolean startedWithThisConfiguration(Optional<ProcessRecord> record) {
        return spec.fingerprint() == null || record.map(kept -> spec.fingerprint().equals(kept.fingerprint())).orElse(false);
    }

    private void reattach(ManagedProcess survivor) {
        LOG.info("{} (process {}) is still running and is watched again", sentence(), survivor.pid());
        watch(survivor);
    }

    /** The running process (launched or adopted), if there is one. */
    public Optional<ManagedProcess> process() {
        return Optional.ofNullable(process);
    }

    public Path logFile() {
        return spec.launch().stdout();
    }

    public String name() {
        return spec.name();
    }

    /**
     * Completes when the current start is ready; fails with {@link DaemonNotReadyException} when it
     * will not be. A restart after an exit before readiness keeps the same future; an exit after
     * readiness that will be restarted begins a new one at once, which this method then returns.
     */
    public synchronized CompletableFuture<Void> ready() {
        return ready;
    }

    /** Waits until the daemon is ready; the wait ends by the start timeout at the latest (or when it gives up). */
    public void awaitReady() throws DaemonNotReadyException, InterruptedException {
        try {
            ready().get();
        } catch (ExecutionException e) {
            throw notReady(e);
        }
    }

    /** Waits up to {@code timeout} for the daemon to be ready. */
    public void awaitReady(Duration timeout) throws DaemonNotReadyException, TimeoutException, InterruptedException {
        try {
            ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw notReady(e);
        }
    }

    /** Stops the daemon for good: no restart, SIGTERM, up to the spec's grace period, then SIGKILL to its tree. */
    public boolean stop() {
        requestStop();
        return awaitStop(spec.stopGrace());
    }

    /** Marks the daemon stopping (its exit is no crash, a pending restart is cancelled) and sends SIGTERM; see {@link #awaitStop}. */
    public void requestStop() {
        ManagedProcess running;
        synchronized (this) {
            stopping = true;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            running = process;
            failReadiness(Reason.STOPPED, sentence() + " was stopped", null);
        }
        if (running != null && running.isAlive()) {
            running.terminate();
        }
    }

    /**
     * Waits up to {@code grace} for a daemon asked to stop, then kills its tree; returns once the
     * supervisor has seen the exit, so no exit handling outlives the stop.
     *
     * @return whether it exited within the grace period
     */
    public boolean awaitStop(Duration grace) {
        ManagedProcess running = process;
        if (running == null) {
            return true;
        }
        boolean exited = running.awaitExitOrKill(grace);
        CompletableFuture<Void> handled;
        synchronized (this) {
            handled = exitHandled;
        }
        try {
            handled.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The exit handler ignores a stopping daemon's exit; nothing waits on its result.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exited;
    }

    private void launch() throws IOException {
        spec.beforeLaunch().check();
        Files.createDirectories(logFile().toAbsolutePath().getParent());
        Files.writeString(logFile(), "=== " + supervisor.clock().instant() + " Hearth starts " + spec.name() + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ManagedProcess started = supervisor.launcher().launch(spec.launch());
        try {
            records.write(new ProcessRecord(started.pid(), started.startedAt(), spec.fingerprint()));
        } catch (IOException | RuntimeException e) {
            // Unrecorded, it could not be re-attached after a restart of Hearth: better not running at all.
            started.killAll();
            throw e;
        }
        watch(started);
        listener.launched(started);
    }

    /** Follows a running process: readiness first, then its exit. */
    private void watch(ManagedProcess started) {
        process = started;
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        CompletableFuture<Void> readiness = ready;
        if (spec.readyWhen() == null) {
            readiness.complete(null);
        } else {
            Instant deadline = supervisor.clock().instant().plus(spec.startTimeout());
            supervisor.executor().execute(() -> awaitReadiness(started, readiness, deadline));
        }
        exitHandled = started.onExit().thenAccept(exitCode -> exited(started, exitCode));
    }

    private void awaitReadiness(ManagedProcess started, CompletableFuture<Void> readiness, Instant deadline) {
        try {
            Readiness.Outcome outcome = Readiness.await(spec.readyWhen(), started.onExit(), () -> isCurrent(started, readiness), deadline,
                    supervisor.clock());
            switch (outcome) {
                case READY -> {
                    if (readiness.complete(null)) {
                        listener.ready(started);
                    }
                }
                case TIMED_OUT -> readiness.completeExceptionally(new DaemonNotReadyException(Reason.TIMED_OUT,
                        sentence() + " did not become ready within " + spec.startTimeout().toSeconds() + " s; see " + logFile(), null));
                case EXITED, ABANDONED -> {
                    // The exit handler decides (a restart keeps the wait open); a stop settled it already.
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            readiness.completeExceptionally(e);
        }
    }

    private synchronized boolean isCurrent(ManagedProcess started, CompletableFuture<Void> readiness) {
        return !stopping && process == started && ready == readiness;
    }

    private void exited(ManagedProcess ended, OptionalInt exitCode) {
        Optional<Duration> restartAfter;
        DaemonNotReadyException stayedDown = null;
        synchronized (this) {
            if (stopping || ended != process) {
                return;
            }
            restartAfter = nextRestart();
            String how = exitCode.isPresent() ? " with code " + exitCode.getAsInt() : "";
            if (restartAfter.isPresent()) {
                // Not ready from now until the restarted process is: waiters wait for it rather than call a dead one.
                if (ready.isDone()) {
                    ready = new CompletableFuture<>();
                }
                LOG.warn("{} (process {}) exited unexpectedly{}; restarting it in {}. See {}", sentence(), ended.pid(), how,
                        Setting.formatDuration(restartAfter.get()), logFile());
                pendingRestart = supervisor.timers().schedule(() -> supervisor.executor().execute(this::restart),
                        restartAfter.get().toMillis(), TimeUnit.MILLISECONDS);
            } else if (spec.restartPolicy().maxRestarts() == 0) {
                LOG.warn("{} (process {}) exited unexpectedly{}; see {}", sentence(), ended.pid(), how, logFile());
                stayedDown = failReadiness(Reason.EXITED, sentence() + " exited" + how + "; see " + logFile(), null);
            } else {
                LOG.error("{} (process {}) exited{} and was restarted {} times within {}; it stays down. See {}", sentence(), ended.pid(), how,
                        restarts.size(), spec.restartPolicy().window(), logFile());
                stayedDown = failReadiness(Reason.GAVE_UP, sentence() + " keeps exiting; see " + logFile(), null);
            }
        }
        listener.exited(ended.pid(), exitCode, restartAfter);
        if (stayedDown != null) {
            listener.gaveUp(stayedDown);
        }
    }

    /** The backoff before the next restart, counted into the window, if the policy allows one. */
    private Optional<Duration> nextRestart() {
        Instant now = supervisor.clock().instant();
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(spec.restartPolicy().window()))) {
            restarts.removeFirst();
        }
        Optional<Duration> backoff = spec.restartPolicy().backoff(restarts.size());
        if (backoff.isPresent()) {
            restarts.addLast(now);
        }
        return backoff;
    }

    private void restart() {
        DaemonNotReadyException failure;
        synchronized (this) {
            pendingRestart = null;
            if (stopping) {
                return;
            }
            try {
                launch();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("Cannot restart {}", spec.name(), e);
                failure = failReadiness(Reason.RESTART_FAILED, sentence() + " cannot be restarted: " + e.getMessage(), e);
            }
        }
        listener.gaveUp(failure);
    }

    private DaemonNotReadyException failReadiness(Reason reason, String message, Throwable cause) {
        DaemonNotReadyException failure = new DaemonNotReadyException(reason, message, cause);
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        ready.completeExceptionally(failure);
        return failure;
    }

    private DaemonNotReadyException notReady(ExecutionException e) {
        if (e.getCause() instanceof DaemonNotReadyException failure) {
            return failure;
        }
        return new DaemonNotReadyException(Reason.EXITED, sentence() + " failed: " + e.getCause(), e.getCause());
    }

    private Path exitStatusFile() {
        return spec.launch().exitStatusFile();
    }

    /** The name at the start of a sentence. */
    private String sentence() {
        return Character.toUpperCase(spec.name().charAt(0)) + spec.name().substring(1);
    }
}
