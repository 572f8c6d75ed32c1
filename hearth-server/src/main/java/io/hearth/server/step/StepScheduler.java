package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.storage.LocationResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which a cluster's steps run: pending steps start in submission order, up to the
 * cluster's StepConcurrencyLevel; a failed step's ActionOnFailure may cancel the pending ones or end
 * the cluster; CancelSteps cancels pending steps at once and asks running ones to stop. Decisions
 * about one cluster's steps are made under that cluster's lock, so no step starts between another's
 * end and what that end makes happen. The cluster side (whether it is up, what a step runs with,
 * RUNNING and WAITING) is the {@link Host}'s.
 */
public final class StepScheduler implements StepRunner.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(StepScheduler.class);
    private static final Set<StepState> ACTIVE = StepState.active();

    /** What the scheduler asks of the cluster its steps run on. */
    public interface Host {
        /** How many steps may run at once on the cluster, or empty when it is not up (starting, ending or gone). */
        OptionalInt concurrencyWhenUp(String clusterId);

        /** What the cluster's steps run with: its Spark master, configuration, environment and log root. */
        StepContext stepContext(String clusterId);

        /** The cluster's own log, which says when steps start and end. */
        TimestampedLog log(String clusterId);

        /** After scheduling: some step is pending or running ({@code busy}), or none is and the cluster may idle or end. */
        void settled(String clusterId, boolean busy);

        /** A step ended: the cluster was active now (for its idle timeout). */
        void stepEnded(String clusterId);

        /** A failed step's TERMINATE_CLUSTER: ends the cluster and returns true, or false when it is termination protected. */
        boolean terminateAfterStepFailure(String clusterId, String stepId);
    }

    private final StepStore steps;
    private final StepStateMachine lifecycle;
    private final StepRunner runner;
    private final LocationResolver locations;
    private final Clock clock;
    private final Executor executor;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final List<Consumer<Step>> stepEndObservers = new CopyOnWriteArrayList<>();
    private volatile Host host;
    private volatile boolean stopping;

    public StepScheduler(StepStore steps, StepRunner runner, LocationResolver locations, Clock clock, Executor executor) {
        this.steps = requireNonNull(steps, "steps is null");
        this.lifecycle = new StepStateMachine(steps, clock);
        this.runner = requireNonNull(runner, "runner is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.executor = requireNonNull(executor, "executor is null");
        runner.setListener(this);
    }

    /** Set once, by the cluster side, before any step is scheduled. */
    public void setHost(Host host) {
        this.host = requireNonNull(host, "host is null");
    }

    /** From now on nothing starts: Hearth is stopping. */
    public void stop() {
        stopping = true;
    }

    /** Told of every step that ends, after the cluster has acted on it (sweeps follow their tasks' steps). */
    public void addStepEndObserver(Consumer<Step> observer) {
        stepEndObservers.add(requireNonNull(observer, "observer is null"));
    }

    /** Schedules the cluster's steps on the executor, not on the caller's thread. */
    public void scheduleSoon(String clusterId) {
        executor.execute(() -> schedule(clusterId));
    }

    /** Starts pending steps the cluster has room for, then tells the host whether any step is left. */
    public void schedule(String clusterId) {
        if (stopping) {
            return;
        }
        ReentrantLock lock = lockFor(clusterId);
        lock.lock();
        try {
            OptionalInt concurrency = host.concurrencyWhenUp(clusterId);
            if (concurrency.isEmpty()) {
                return;
            }
            int active = steps.listInStates(clusterId, ACTIVE).size();
            List<Step> pending = steps.listInStates(clusterId, List.of(StepState.PENDING));
            int started = 0;
            StepContext context = null;
            for (Step step : pending) {
                if (active + started >= concurrency.getAsInt()) {
                    break;
                }
                if (lifecycle.transitionToRunning(step.id())) {
                    context = context == null ? host.stepContext(clusterId) : context;
                    host.log(clusterId).info("Step " + step.id() + " (" + step.name() + ") started");
                    startStep(step, context);
                    started++;
                }
            }
            host.settled(clusterId, active + started > 0 || pending.size() > started);
        } catch (RuntimeException e) {
            LOG.error("Cannot schedule the steps of cluster {}", clusterId, e);
        } finally {
            lock.unlock();
        }
    }

    /** CancelSteps: pending steps are cancelled at once, running ones are asked to stop (asynchronously, as on EMR). */
    public List<CancelStepResult> cancel(String clusterId, List<String> stepIds, StopRequest option) {
        List<CancelStepResult> results = new ArrayList<>();
        for (String stepId : stepIds) {
            results.add(cancelStep(clusterId, stepId, option));
        }
        scheduleSoon(clusterId);
        return results;
    }

    private CancelStepResult cancelStep(String clusterId, String stepId, StopRequest option) {
        Optional<Step> found = steps.find(clusterId, stepId);
        if (found.isEmpty()) {
            return CancelStepResult.failed(stepId, "Step id '" + stepId + "' is not valid.");
        }
        Step step = found.get();
        if (step.state() == StepState.PENDING && lifecycle.transitionToCancelledBeforeStart(stepId, "Cancelled by request before it started")) {
            host.log(clusterId).info("Step " + stepId + " (" + step.name() + ") cancelled before it started");
            return CancelStepResult.submitted(stepId);
        }
        step = steps.find(clusterId, stepId).orElseThrow();
        if (step.state() == StepState.CANCEL_PENDING) {
            return CancelStepResult.submitted(stepId);
        }
        if (step.state() == StepState.RUNNING) {
            runner.stop(stepId, option);
            return CancelStepResult.submitted(stepId);
        }
        return CancelStepResult.failed(stepId, "Step " + stepId + " is already " + step.state() + " and cannot be cancelled.");
    }

    /** Starts a step marked RUNNING; a step that cannot even be given its context ends FAILED rather than staying RUNNING. */
    private void startStep(Step step, StepContext clusterContext) {
        StepContext context;
        try {
            context = contextFor(step, clusterContext);
        } catch (HearthException e) {
            Step.FailureDetails failure = new Step.FailureDetails(e.getMessage(), e.getMessage(), null);
            if (lifecycle.transitionToFailed(step.id(), failure, e.getMessage())) {
                steps.find(step.clusterId(), step.id()).ifPresent(ended -> executor.execute(() -> stepEnded(ended)));
            }
            return;
        }
        runner.start(step, context);
    }

    /** A step's end and its ActionOnFailure are one decision: schedule() cannot start the next step in between. */
    @Override
    public void endStep(String clusterId, Runnable ending) {
        ReentrantLock lock = lockFor(clusterId);
        lock.lock();
        try {
            ending.run();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stepEnded(Step step) {
        String clusterId = step.clusterId();
        ReentrantLock lock = lockFor(clusterId);
        lock.lock();
        try {
            host.stepEnded(clusterId);
            TimestampedLog log = host.log(clusterId);
            log.info("Step " + step.id() + " (" + step.name() + ") ended " + step.state()
                    + (step.failure() != null ? ": " + step.failure().reason() : step.stateMessage() != null ? ": " + step.stateMessage() : ""));
            OptionalInt concurrency = host.concurrencyWhenUp(clusterId);
            if (step.state() == StepState.FAILED && concurrency.isPresent()) {
                applyActionOnFailure(clusterId, concurrency.getAsInt(), step, log);
            }
        } finally {
            lock.unlock();
        }
        schedule(clusterId);
        for (Consumer<Step> observer : stepEndObservers) {
            try {
                observer.accept(step);
            } catch (RuntimeException e) {
                LOG.error("Handling the end of step {} of cluster {} failed", step.id(), clusterId, e);
            }
        }
    }

    /**
     * EMR's ActionOnFailure, which only acts at a step concurrency level of 1. A termination-protected
     * cluster treats TERMINATE_CLUSTER as CANCEL_AND_WAIT.
     */
    private void applyActionOnFailure(String clusterId, int concurrency, Step step, TimestampedLog log) {
        if (concurrency > 1) {
            log.info("ActionOnFailure " + step.actionOnFailure() + " does not act: the cluster runs steps concurrently");
            return;
        }
        switch (step.actionOnFailure()) {
            case CONTINUE -> {
            }
            case CANCEL_AND_WAIT -> cancelPendingAfterFailure(clusterId, step, log, "CANCEL_AND_WAIT");
            case TERMINATE_CLUSTER, TERMINATE_JOB_FLOW -> {
                if (!host.terminateAfterStepFailure(clusterId, step.id())) {
                    log.info("The cluster is termination protected: " + step.actionOnFailure() + " of step " + step.id() + " acts as CANCEL_AND_WAIT");
                    cancelPendingAfterFailure(clusterId, step, log, step.actionOnFailure() + " (termination protected)");
                }
            }
        }
    }

    private void cancelPendingAfterFailure(String clusterId, Step step, TimestampedLog log, String action) {
        int cancelled = lifecycle.cancelAllPending(clusterId, "Cancelled because step " + step.id() + " failed (ActionOnFailure " + action + ")");
        log.info(cancelled + " pending step(s) cancelled because step " + step.id() + " failed (ActionOnFailure " + action + ")");
    }

    /** A terminating cluster: its pending steps are cancelled, its running ones interrupted and waited for. */
    public void stopAll(String clusterId, TimestampedLog log, Duration gracePeriod) {
        int cancelled = lifecycle.cancelAllPending(clusterId, "Cancelled because the cluster terminated");
        if (cancelled > 0) {
            log.info(cancelled + " pending step(s) cancelled");
        }
        List<Step> active = steps.listInStates(clusterId, ACTIVE);
        for (Step step : active) {
            // A step already being cancelled keeps its cancel (and its SIGKILL after the grace period).
            log.info("Interrupting step " + step.id() + " (" + step.name() + ")");
            runner.stop(step.id(), StopRequest.CLUSTER_TERMINATING);
        }
        Instant deadline = clock.instant().plus(gracePeriod).plusSeconds(15);
        for (Step step : active) {
            try {
                runner.awaitEnded(step.id(), Duration.between(clock.instant(), deadline));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // A step Hearth is not watching (its driver never started) is settled here.
            lifecycle.transitionToInterrupted(step.id(), "Interrupted: the cluster terminated");
        }
    }

    /** After a restart: every step that was running is adopted, settled or made pending again by its runner. */
    public void recoverActive(String clusterId) {
        List<Step> active = steps.listInStates(clusterId, ACTIVE);
        if (active.isEmpty()) {
            return;
        }
        StepContext context = host.stepContext(clusterId);
        for (Step step : active) {
            runner.recover(step, contextFor(step, context));
        }
    }

    /** The cluster has ended: nothing of it is scheduled again. */
    public void forget(String clusterId) {
        locks.remove(clusterId);
    }

    /** A step with its own LogUri logs there instead of under the cluster's log root. */
    private StepContext contextFor(Step step, StepContext clusterContext) {
        if (step.logUri() == null) {
            return clusterContext;
        }
        Path logRoot = locations.resolve(step.logUri(), "StepMonitoringConfiguration.S3MonitoringConfiguration.LogUri");
        return clusterContext.withLogRoot(logRoot, step.logUri());
    }

    private ReentrantLock lockFor(String clusterId) {
        return locks.computeIfAbsent(clusterId, id -> new ReentrantLock());
    }
}
