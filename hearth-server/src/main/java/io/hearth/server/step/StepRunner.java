package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.HearthException;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.ProcessTrace;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs steps: builds each step's command, starts its driver, watches it, and when it ends decides
 * the step's final state from its exit code, the stop Hearth asked for, and the driver's stderr.
 * After a restart it adopts drivers that are still alive and settles those that ended meanwhile.
 */
public final class StepRunner {
    /** Read by hearth_layer.py in the cluster's Python environment. */
    static final String PYTHON_TRACEBACKS_ENV = "HEARTH_PYTHON_TRACEBACKS";
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Told when a step has reached its final state. */
    public interface Listener {
        void stepEnded(Step step);

        /**
         * Runs {@code ending}, which records the end of a step of {@code clusterId} and tells
         * {@link #stepEnded}, as one decision about that cluster's steps: no other step may start
         * between the end and what the end makes happen (ActionOnFailure).
         */
        default void endStep(String clusterId, Runnable ending) {
            ending.run();
        }
    }

    private record Running(Step step, StepContext context, ManagedProcess process, TimestampedLog controller) {}

    private final StepStore store;
    private final StepStateMachine lifecycle;
    private final ProcessLauncher launcher;
    private final Clock clock;
    private final Executor callbacks;
    private final ScheduledExecutorService timer;
    private final Duration stopGracePeriod;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Completes when a watched step's end is recorded, for those who wait for it ({@link #awaitEnded}). */
    private final Map<String, CompletableFuture<Void>> endings = new ConcurrentHashMap<>();
    private volatile Listener listener = step -> {};

    public StepRunner(StepStore store, ProcessLauncher launcher, Clock clock, Executor callbacks, ScheduledExecutorService timer, Duration stopGracePeriod) {
        this.store = requireNonNull(store, "store is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifecycle = new StepStateMachine(store, clock);
        this.callbacks = requireNonNull(callbacks, "callbacks is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.stopGracePeriod = requireNonNull(stopGracePeriod, "stopGracePeriod is null");
    }

    public void setListener(Listener listener) {
        this.listener = requireNonNull(listener, "listener is null");
    }

    /**
     * Starts a step that was just marked RUNNING. A step that cannot start ends FAILED with the reason, unless Hearth is
     * stopping (this thread interrupted): then it is left to {@link #recover} like a step that a crash caught here.
     */
    public void start(Step step, StepContext context) {
        StepLogs logs = StepLogs.of(context, step.id());
        Path workDirectory = context.workRoot().resolve(step.id());
        TimestampedLog controller = new TimestampedLog(logs.controller(), clock);
        try {
            controller.info("Step " + step.id() + " (" + step.name() + ") started on cluster " + context.clusterId());
            controller.info("HadoopJarStep: Jar=" + step.jar() + ", MainClass=" + step.mainClass()
                    + ", Args=" + JSON.writeValueAsString(step.args()) + ", Properties=" + JSON.writeValueAsString(step.properties()));
            StepCommand command = StepCommandBuilder.build(step, context, workDirectory);
            command.notes().forEach(controller::info);
            Map<String, String> environment = new LinkedHashMap<>(command.environment());
            // PySpark copies a Python driver's traceback here: Spark sends the driver's own stderr to stdout.
            environment.put(PYTHON_TRACEBACKS_ENV, logs.stderr().toString());
            controller.info("Running: " + JSON.writeValueAsString(command.argv()));
            controller.info("Working directory: " + workDirectory);
            controller.info("Environment set by Hearth: " + JSON.writeValueAsString(hearthEnvironment(environment)));
            controller.info("Logs: " + logs.location());
            CrashPoints.reach("step.before-launch");
            ManagedProcess process = launcher.launch(new LaunchSpec(
                    command.argv(), environment, workDirectory, logs.stdout(), logs.stderr(), workDirectory.resolve("exit-status")));
            CrashPoints.reach("step.after-launch");
            store.recordProcess(step.id(), process.pid(), process.startedAt());
            controller.info("Process id " + process.pid());
            watch(new Running(step, context, process, controller));
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Hearth is stopping: the step stays RUNNING, as after a crash at this point, and recover() starts it
                // once (or adopts the driver, if it was launched) when Hearth starts again. It did not fail.
                LOG.info("Hearth stopped while starting step {} of cluster {}; it is settled when Hearth starts again", step.id(),
                        context.clusterId());
                return;
            }
            String reason = e instanceof HearthException ? e.getMessage() : "Hearth could not start the step: " + e.getMessage();
            LOG.warn("Step {} of cluster {} could not start: {}", step.id(), context.clusterId(), reason, e instanceof HearthException ? null : e);
            try {
                controller.warn("The step could not start: " + reason);
            } catch (RuntimeException logFailure) {
                LOG.warn("Cannot write the controller log of step {}", step.id(), logFailure);
            }
            Step.FailureDetails failure = new Step.FailureDetails(reason, reason, logs.location() + "/controller");
            context.locations().publish(logs.directory());
            if (lifecycle.transitionToFailed(step.id(), failure, reason)) {
                // Never call back into the scheduler that is starting this step.
                callbacks.execute(() -> notifyEnded(step.id(), step.clusterId()));
            }
        }
    }

    /**
     * Settles a step that was RUNNING or CANCEL_PENDING when Hearth stopped, from what its wrapper
     * left behind: a driver still alive is adopted and watched, one that ended meanwhile is
     * finished from the exit code it recorded, and one that was never started waits to start
     * again. A driver that was launched is never launched a second time.
     */
    public void recover(Step step, StepContext context) {
        StepLogs logs = StepLogs.of(context, step.id());
        Path workDirectory = context.workRoot().resolve(step.id());
        TimestampedLog controller = new TimestampedLog(logs.controller(), clock);
        ProcessTrace trace = launcher.trace(workDirectory.resolve("exit-status"));
        if (trace instanceof ProcessTrace.Alive alive) {
            ManagedProcess process = alive.process();
            if (step.processId() == null || step.processId() != process.pid()) {
                store.recordProcess(step.id(), process.pid(), process.startedAt());
            }
            controller.info("Hearth restarted; the driver (process " + process.pid() + ") is still running and is watched again");
            watch(new Running(step, context, process, controller));
        } else if (trace instanceof ProcessTrace.Exited exited) {
            controller.info("Hearth restarted; the driver ended while Hearth was not running");
            finish(new Running(step, context, null, controller), OptionalInt.of(exited.exitCode()));
        } else if (trace instanceof ProcessTrace.Vanished) {
            String reason = "The step's driver ended while Hearth was not running, without recording an exit code";
            controller.warn(reason);
            store.recordApplicationId(step.id(), readApplicationId(workDirectory).orElse(step.applicationId()));
            endStep(step, () -> lifecycle.transitionToInterrupted(step.id(), reason));
        } else {
            if (lifecycle.transitionToPendingAgain(step.id())) {
                controller.info("Hearth stopped before the step's driver started; the step is pending again and starts once");
                return;
            }
            // A stop was asked for before the driver ever ran: it ends as that stop says.
            Step stored = store.find(step.clusterId(), step.id()).orElse(step);
            StepState end = stored.stopRequest() == null ? StepState.INTERRUPTED : stored.stopRequest().resultingState();
            String reason = stored.stopRequest() == null ? "Hearth stopped before the step's driver started" : describe(stored.stopRequest());
            controller.info(reason);
            endStep(step, () -> lifecycle.transitionToEnded(step.id(), end, null, null, reason));
        }
    }

    /**
     * Asks a running step's driver to stop for {@code request}. CANCEL_TERMINATE_PROCESS kills it at
     * once; otherwise it gets SIGTERM and the grace period before SIGKILL.
     *
     * @return whether the step was running and now carries this request
     */
    public boolean stop(String stepId, StopRequest request) {
        boolean recorded = lifecycle.requestStop(stepId, request);
        Running current = running.get(stepId);
        if (recorded && current != null) {
            signal(current, request);
        }
        return recorded;
    }

    /** Stops every running step for a Hearth shutdown and waits for them (up to the grace period, then by force). */
    public void stopAll(StopRequest request) {
        List<Running> all = List.copyOf(running.values());
        for (Running current : all) {
            if (lifecycle.requestStop(current.step().id(), request)) {
                current.controller().info("Stopping the driver: " + describe(request));
            }
            current.process().terminate();
        }
        Instant deadline = clock.instant().plus(stopGracePeriod);
        for (Running current : all) {
            current.process().awaitExitOrKill(Duration.between(clock.instant(), deadline));
        }
    }

    /** Records the application ids that running drivers have reported since the last look. */
    public void refreshApplicationIds() {
        for (Running current : running.values()) {
            if (current.step().applicationId() == null) {
                readApplicationId(current.context().workRoot().resolve(current.step().id())).ifPresent(applicationId -> {
                    store.recordApplicationId(current.step().id(), applicationId);
                    running.computeIfPresent(current.step().id(), (id, entry) -> new Running(
                            withApplicationId(entry.step(), applicationId), entry.context(), entry.process(), entry.controller()));
                    current.controller().info("Spark application id: " + applicationId);
                });
            }
        }
    }

    public boolean isRunning(String stepId) {
        return running.containsKey(stepId);
    }

    /**
     * Waits up to {@code timeout} for Hearth to record the end of a step it watches; true at once for
     * a step it does not watch (its driver never started, or it has ended).
     */
    public boolean awaitEnded(String stepId, Duration timeout) throws InterruptedException {
        CompletableFuture<Void> ending = endings.get(stepId);
        if (ending == null) {
            return true;
        }
        try {
            ending.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void watch(Running entry) {
        endings.putIfAbsent(entry.step().id(), new CompletableFuture<>());
        running.put(entry.step().id(), entry);
        entry.process().onExit().thenAcceptAsync(exitCode -> finish(running.getOrDefault(entry.step().id(), entry), exitCode), callbacks);
        // A stop asked for before the process was registered here still applies.
        store.find(entry.step().clusterId(), entry.step().id())
                .filter(stored -> stored.stopRequest() != null && stored.state().isActive())
                .ifPresent(stored -> signal(entry, stored.stopRequest()));
    }

    private void signal(Running entry, StopRequest request) {
        entry.controller().info("Stopping the driver: " + describe(request));
        if (request == StopRequest.CANCEL_TERMINATE_PROCESS) {
            entry.process().kill();
            return;
        }
        entry.process().terminate();
        timer.schedule(() -> {
            if (entry.process().isAlive()) {
                entry.controller().warn("The driver did not stop within " + stopGracePeriod.toMillis() / 1000.0 + " s; killing it");
                entry.process().kill();
            }
        }, stopGracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish(Running entry, OptionalInt exitCode) {
        Step step = entry.step();
        try {
            Path workDirectory = entry.context().workRoot().resolve(step.id());
            Optional<String> applicationId = readApplicationId(workDirectory);
            applicationId.filter(id -> !id.equals(step.applicationId())).ifPresent(id -> {
                store.recordApplicationId(step.id(), id);
                entry.controller().info("Spark application id: " + id);
            });
            Step stored = store.find(step.clusterId(), step.id()).orElse(step);
            StopRequest stopRequest = stored.stopRequest();
            Instant startedAt = stored.startedAt() == null ? clock.instant() : stored.startedAt();
            String duration = String.format("%.1f s", Duration.between(startedAt, clock.instant()).toMillis() / 1000.0);
            entry.controller().info(exitCode.isPresent()
                    ? "Process exited with code " + exitCode.getAsInt() + " after " + duration
                    : "Process ended without recording an exit code after " + duration);

            StepLogs logs = StepLogs.of(entry.context(), step.id());
            StepState state;
            Step.FailureDetails failure = null;
            String message = null;
            if (exitCode.isPresent() && exitCode.getAsInt() == 0) {
                state = StepState.COMPLETED;
            } else if (stopRequest != null) {
                state = stopRequest.resultingState();
                message = describe(stopRequest);
            } else if (exitCode.isEmpty()) {
                state = StepState.INTERRUPTED;
                message = "The step's process ended without recording an exit code";
            } else {
                state = StepState.FAILED;
                failure = DriverFailureParser.parse(logs.stderr(), exitCode.getAsInt(), logs.stderrLocation());
                message = failure.reason();
            }
            entry.controller().info("Step " + state + (message == null ? "" : ": " + message));
            // Logs under an s3:// LogUri of an S3-compatible service are complete there before the step reads as ended.
            entry.context().locations().publish(logs.directory());
            Step.FailureDetails details = failure;
            String reason = message;
            endStep(step, () -> lifecycle.transitionToEnded(step.id(), state, exitCode.isPresent() ? exitCode.getAsInt() : null, details, reason));
        } catch (RuntimeException e) {
            LOG.error("Cannot record the end of step {} of cluster {}", step.id(), step.clusterId(), e);
        } finally {
            // Only now, with the final state recorded, is the step no longer running.
            running.remove(step.id());
            CompletableFuture<Void> ending = endings.remove(step.id());
            if (ending != null) {
                ending.complete(null);
            }
        }
    }

    /** Records a step's end with {@code write} and, if it won, tells the listener, as one decision of the cluster's. */
    private void endStep(Step step, java.util.function.BooleanSupplier write) {
        listener.endStep(step.clusterId(), () -> {
            if (write.getAsBoolean()) {
                notifyEnded(step.id(), step.clusterId());
            }
        });
    }

    private void notifyEnded(String stepId, String clusterId) {
        store.find(clusterId, stepId).ifPresent(ended -> {
            try {
                listener.stepEnded(ended);
            } catch (RuntimeException e) {
                LOG.error("Handling the end of step {} of cluster {} failed", stepId, clusterId, e);
            }
        });
    }

    /** The variables Hearth sets or changes for the step, the rest being inherited from Hearth's own environment. */
    private static Map<String, String> hearthEnvironment(Map<String, String> environment) {
        Map<String, String> shown = new java.util.TreeMap<>();
        environment.forEach((key, value) -> {
            if (!value.equals(System.getenv(key))) {
                shown.put(key, value);
            }
        });
        return shown;
    }

    static Optional<String> readApplicationId(Path workDirectory) {
        Path report = workDirectory.resolve("application.properties");
        if (!Files.isRegularFile(report)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(report, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            return Optional.ofNullable(properties.getProperty("applicationId")).filter(id -> !id.isBlank());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Step withApplicationId(Step step, String applicationId) {
        return new Step(step.seq(), step.id(), step.clusterId(), step.name(), step.actionOnFailure(), step.jar(), step.mainClass(),
                step.args(), step.properties(), step.logUri(), step.encryptionKeyArn(), step.executionRoleArn(), step.state(),
                step.stopRequest(), step.stateMessage(), step.failure(), step.createdAt(), step.startedAt(), step.endedAt(),
                applicationId, step.processId(), step.processStartedAt(), step.exitCode(), step.ownerAccessKeyId());
    }

    private static String describe(StopRequest request) {
        return switch (request) {
            case CANCEL_SEND_INTERRUPT -> "Cancelled by request (SEND_INTERRUPT)";
            case CANCEL_TERMINATE_PROCESS -> "Cancelled by request (TERMINATE_PROCESS)";
            case CLUSTER_TERMINATING -> "Interrupted: the cluster is terminating";
            case SERVER_STOPPING -> "Interrupted: Hearth was stopped while the step was running";
        };
    }
}
