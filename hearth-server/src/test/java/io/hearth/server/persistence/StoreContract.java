package io.hearth.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.cluster.BootstrapAction;
import io.hearth.server.cluster.Cluster;
import io.hearth.server.cluster.ClusterState;
import io.hearth.server.cluster.ClusterStateChangeReasonCode;
import io.hearth.server.cluster.ClusterStateMachine;
import io.hearth.server.cluster.ClusterStore;
import io.hearth.server.cluster.Instance;
import io.hearth.server.cluster.InstanceGroup;
import io.hearth.server.cluster.InstanceGroupState;
import io.hearth.server.cluster.InstanceRole;
import io.hearth.server.cluster.InstanceState;
import io.hearth.server.cluster.StateChangeReason;
import io.hearth.server.step.ActionOnFailure;
import io.hearth.server.step.Step;
import io.hearth.server.step.StepState;
import io.hearth.server.step.StepStateMachine;
import io.hearth.server.step.StepStore;
import io.hearth.server.step.StopRequest;
import io.hearth.server.sweep.Sweep;
import io.hearth.server.sweep.SweepPlanner;
import io.hearth.server.sweep.SweepState;
import io.hearth.server.sweep.SweepStateMachine;
import io.hearth.server.sweep.SweepStore;
import io.hearth.server.sweep.SweepTask;
import io.hearth.server.sweep.TaskState;
import io.hearth.server.sweep.TaskStateMachine;
import io.hearth.server.testing.TestingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the cluster and step stores promise, run against each database Hearth supports: records
 * read back as written, state changes are compare-and-set (one winner under contention), creation
 * is all-or-nothing, and the schema migrates idempotently.
 */
abstract class StoreContract {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00.123Z");

    private Database database;
    private ClusterStore clusters;
    private StepStore steps;
    private SweepStore sweeps;
    private SweepStateMachine sweepStates;
    private ClusterStateMachine clusterStates;
    private StepStateMachine stepStates;
    private TaskStateMachine taskStates;

    /** Opens a fresh, empty database. */
    protected abstract Database openDatabase();

    /** Opens the same database again (to check migrations are idempotent). */
    protected abstract Database reopenDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        clusters = new ClusterStore(database.jdbi());
        steps = new StepStore(database.jdbi());
        sweeps = new SweepStore(database.jdbi());
        sweepStates = new SweepStateMachine(sweeps, Clock.fixed(NOW.plusSeconds(6), ZoneOffset.UTC));
        clusterStates = new ClusterStateMachine(clusters, Clock.fixed(NOW, ZoneOffset.UTC));
        stepStates = new StepStateMachine(steps, Clock.fixed(NOW, ZoneOffset.UTC));
        taskStates = new TaskStateMachine(sweeps, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void clusterAndEverythingItWasCreatedWithReadsBack() {
        Cluster cluster = newCluster("j-AAAAAAAAAAAAA");
        InstanceGroup group = new InstanceGroup("ig-AAAAAAAAAAAAA", cluster.id(), 0, "Primary", InstanceRole.MASTER, "m5.xlarge", 1, "ON_DEMAND", null,
                new ObjectMapper().createArrayNode(), InstanceGroupState.PROVISIONING, StateChangeReason.NONE, NOW, null, null);
        Instance instance = new Instance("ci-AAAAAAAAAAAAA", cluster.id(), group.id(), "i-0123456789abcdef0", 0, InstanceRole.MASTER, "m5.xlarge",
                InstanceState.PROVISIONING, StateChangeReason.NONE, NOW, null, null, 4, 12032, null, null, null, null);
        BootstrapAction action = new BootstrapAction(1, "setup", "s3://bucket/setup.sh", List.of("a", "b c"));
        database.jdbi().useTransaction(handle -> {
            clusters.insert(handle, cluster, List.of(group), List.of(instance), List.of(action), Map.of("team", "ml"));
            steps.insert(handle, List.of(newStep("s-AAAAAAAAAAAA1", cluster.id())));
        });

        Cluster stored = clusters.find(cluster.id()).orElseThrow();
        assertThat(stored).usingRecursiveComparison().ignoringFields("seq").isEqualTo(cluster);
        assertThat(stored.seq()).isPositive();
        assertThat(clusters.instanceGroups(cluster.id())).singleElement().usingRecursiveComparison().isEqualTo(group);
        assertThat(clusters.instances(cluster.id())).singleElement().usingRecursiveComparison().isEqualTo(instance);
        assertThat(clusters.bootstrapActions(cluster.id())).containsExactly(action);
        assertThat(clusters.tags(cluster.id())).containsExactly(Map.entry("team", "ml"));
        Step step = steps.find(cluster.id(), "s-AAAAAAAAAAAA1").orElseThrow();
        assertThat(step).usingRecursiveComparison().ignoringFields("seq").isEqualTo(newStep("s-AAAAAAAAAAAA1", cluster.id()));
        assertThat(steps.find("j-OTHERCLUSTER", step.id())).isEmpty();
    }

    @Test
    void creationIsAllOrNothing() {
        Cluster cluster = newCluster("j-BBBBBBBBBBBBB");
        assertThatThrownBy(() -> database.jdbi().useTransaction(handle -> {
            clusters.insert(handle, cluster, List.of(), List.of(), List.of(), Map.of());
            steps.insert(handle, List.of(newStep("s-DUPLICATE0001", cluster.id()), newStep("s-DUPLICATE0001", cluster.id())));
        })).isInstanceOf(Exception.class);
        assertThat(clusters.find(cluster.id())).isEmpty();
        assertThat(steps.find(cluster.id(), "s-DUPLICATE0001")).isEmpty();
    }

    @Test
    void clusterTransitionsAreCompareAndSetAndStampTheirTimes() {
        Cluster cluster = insertCluster("j-CCCCCCCCCCCCC");
        TestingClock clock = TestingClock.startingAt(NOW);
        ClusterStateMachine states = new ClusterStateMachine(clusters, clock);
        assertThat(states.transitionToRunning(cluster.id(), "too early")).isFalse();
        assertThat(clusters.find(cluster.id()).orElseThrow().state()).isEqualTo(ClusterState.STARTING);

        assertThat(states.transitionToBootstrapping(cluster.id())).isTrue();
        clock.advance(Duration.ofSeconds(5));
        Instant ready = clock.instant();
        assertThat(states.transitionToWaiting(cluster.id(), "ready")).isTrue();
        clock.advance(Duration.ofSeconds(4));
        assertThat(states.transitionToRunning(cluster.id(), "a step")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(states.transitionToWaiting(cluster.id(), "idle")).isTrue();
        Cluster up = clusters.find(cluster.id()).orElseThrow();
        assertThat(up.readyAt()).as("the first time it was up").isEqualTo(ready);
        assertThat(up.endedAt()).isNull();

        StateChangeReason byRequest = new StateChangeReason("USER_REQUEST", "Terminated by user request");
        assertThat(states.transitionToTerminating(cluster.id(), ClusterStateChangeReasonCode.USER_REQUEST, byRequest.message())).isTrue();
        clock.advance(Duration.ofSeconds(50));
        Instant ended = clock.instant();
        assertThat(states.transitionToTerminated(cluster.id(), clusters.find(cluster.id()).orElseThrow().reason())).isTrue();
        Cluster terminated = clusters.find(cluster.id()).orElseThrow();
        assertThat(terminated.state()).isEqualTo(ClusterState.TERMINATED);
        assertThat(terminated.endedAt()).isEqualTo(ended);
        assertThat(terminated.reason()).isEqualTo(byRequest);
    }

    @Test
    void instancesAndTheirGroupsMoveOnlyForwardByCompareAndSet() {
        Cluster cluster = newCluster("j-IIIIIIIIIIIII");
        InstanceGroup group = new InstanceGroup("ig-IIIIIIIIIIIII", cluster.id(), 0, "Primary", InstanceRole.MASTER, "m5.xlarge", 1, "ON_DEMAND", null,
                new ObjectMapper().createArrayNode(), InstanceGroupState.PROVISIONING, StateChangeReason.NONE, NOW, null, null);
        Instance instance = new Instance("ci-IIIIIIIIIIIII", cluster.id(), group.id(), "i-0123456789abcdef1", 0, InstanceRole.MASTER, "m5.xlarge",
                InstanceState.PROVISIONING, StateChangeReason.NONE, NOW, null, null, 4, 12032, null, null, null, null);
        database.jdbi().useTransaction(handle -> clusters.insert(handle, cluster, List.of(group), List.of(instance), List.of(), Map.of()));

        assertThat(clusters.setInstanceState(instance.id(), InstanceState.RUNNING, StateChangeReason.NONE, NOW)).isTrue();
        assertThat(clusters.setInstanceState(instance.id(), InstanceState.BOOTSTRAPPING, StateChangeReason.NONE, NOW)).as("never backwards").isFalse();
        StateChangeReason failed = StateChangeReason.of(ClusterStateChangeReasonCode.INSTANCE_FAILURE, "its worker exited");
        assertThat(clusters.setInstanceState(instance.id(), InstanceState.TERMINATED, failed, NOW)).isTrue();
        assertThat(clusters.setInstanceState(instance.id(), InstanceState.TERMINATED, StateChangeReason.NONE, NOW)).as("the first end stays").isFalse();
        assertThat(clusters.instances(cluster.id())).singleElement().extracting(Instance::state, Instance::reason)
                .containsExactly(InstanceState.TERMINATED, failed);

        assertThat(clusters.setInstanceGroupsState(cluster.id(), InstanceGroupState.RUNNING, StateChangeReason.NONE, NOW)).isEqualTo(1);
        assertThat(clusters.setInstanceGroupsState(cluster.id(), InstanceGroupState.BOOTSTRAPPING, StateChangeReason.NONE, NOW)).isZero();
        assertThat(clusters.setInstanceGroupsState(cluster.id(), InstanceGroupState.ENDED, StateChangeReason.NONE, NOW)).isEqualTo(1);
        assertThat(clusters.setInstanceGroupsState(cluster.id(), InstanceGroupState.TERMINATING, StateChangeReason.NONE, NOW)).isZero();
        assertThat(clusters.instanceGroups(cluster.id())).singleElement().extracting(InstanceGroup::state).isEqualTo(InstanceGroupState.ENDED);
    }

    @Test
    void concurrentTransitionsHaveExactlyOneWinner() throws Exception {
        Cluster cluster = insertCluster("j-DDDDDDDDDDDDD");
        assertThat(clusterStates.transitionToBootstrapping(cluster.id())).isTrue();
        assertThat(clusterStates.transitionToWaiting(cluster.id(), "ready")).isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> starts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                starts.add(() -> clusterStates.transitionToRunning(cluster.id(), "a step"));
            }
            assertThat(winners(pool.invokeAll(starts))).as("WAITING to RUNNING").isEqualTo(1);

            // A user's terminate racing a step's TERMINATE_CLUSTER: one decides, and its reason stays.
            List<Callable<Boolean>> terminations = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ClusterStateChangeReasonCode code = i % 2 == 0 ? ClusterStateChangeReasonCode.USER_REQUEST : ClusterStateChangeReasonCode.STEP_FAILURE;
                terminations.add(() -> clusterStates.transitionToTerminating(cluster.id(), code, code.name()));
            }
            assertThat(winners(pool.invokeAll(terminations))).as("RUNNING to TERMINATING").isEqualTo(1);
            Cluster terminating = clusters.find(cluster.id()).orElseThrow();
            assertThat(terminating.reason().message()).isEqualTo(terminating.reason().code());
        } finally {
            pool.shutdownNow();
        }
    }

    private static long winners(List<Future<Boolean>> results) throws Exception {
        long winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get() ? 1 : 0;
        }
        return winners;
    }

    @Test
    void aClusterEndsAsItsRecordedReasonSaysAndNeverLeavesItsEnd() {
        Cluster failed = insertCluster("j-FFFFFFFFFFFF1");
        assertThat(clusterStates.transitionToWaiting(failed.id(), "too early")).as("STARTING does not skip bootstrapping").isFalse();
        assertThat(clusterStates.transitionToTerminating(failed.id(), ClusterStateChangeReasonCode.BOOTSTRAP_FAILURE, "exit 1")).isTrue();
        assertThat(clusterStates.transitionToTerminating(failed.id(), ClusterStateChangeReasonCode.USER_REQUEST, "late")).as("the first reason stays").isFalse();
        assertThat(clusterStates.transitionToTerminated(failed.id(), clusters.find(failed.id()).orElseThrow().reason())).isTrue();
        Cluster ended = clusters.find(failed.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
        assertThat(ended.reason().code()).isEqualTo("BOOTSTRAP_FAILURE");

        assertThat(clusterStates.transitionToBootstrapping(failed.id())).isFalse();
        assertThat(clusterStates.transitionToTerminatedWithErrors(failed.id(), "again")).isFalse();
        assertThat(clusters.find(failed.id()).orElseThrow().reason().message()).isEqualTo("exit 1");

        Cluster running = insertCluster("j-FFFFFFFFFFFF2");
        assertThat(clusters.listNotTerminated()).extracting(Cluster::id).containsExactly(running.id());
    }

    @Test
    void stepsStartOnceAndEndOnce() {
        Cluster cluster = insertCluster("j-EEEEEEEEEEEEE");
        database.jdbi().useTransaction(handle -> steps.insert(handle, List.of(newStep("s-EEEEEEEEEEEE1", cluster.id()), newStep("s-EEEEEEEEEEEE2", cluster.id()))));

        assertThat(stepStates.transitionToRunning("s-EEEEEEEEEEEE1")).isTrue();
        assertThat(stepStates.transitionToRunning("s-EEEEEEEEEEEE1")).as("a step starts once").isFalse();
        assertThat(stepStates.transitionToCancelledBeforeStart("s-EEEEEEEEEEEE1", "too late")).as("it is no longer pending").isFalse();
        assertThat(stepStates.requestStop("s-EEEEEEEEEEEE1", StopRequest.CANCEL_SEND_INTERRUPT)).isTrue();
        assertThat(stepStates.requestStop("s-EEEEEEEEEEEE1", StopRequest.CLUSTER_TERMINATING)).as("the first stop request decides").isFalse();
        Step cancelling = steps.find(cluster.id(), "s-EEEEEEEEEEEE1").orElseThrow();
        assertThat(cancelling.state()).isEqualTo(StepState.CANCEL_PENDING);
        assertThat(cancelling.stopRequest()).isEqualTo(StopRequest.CANCEL_SEND_INTERRUPT);

        Step.FailureDetails failure = new Step.FailureDetails("reason", "message", "/logs/stderr");
        assertThat(stepStates.transitionToEnded("s-EEEEEEEEEEEE1", StepState.CANCELLED, 143, null, "Cancelled")).isTrue();
        assertThat(stepStates.transitionToEnded("s-EEEEEEEEEEEE1", StepState.FAILED, 1, failure, "again")).as("a step ends once").isFalse();
        Step ended = steps.find(cluster.id(), "s-EEEEEEEEEEEE1").orElseThrow();
        assertThat(ended.state()).isEqualTo(StepState.CANCELLED);
        assertThat(ended.exitCode()).isEqualTo(143);
        assertThat(ended.endedAt()).isEqualTo(NOW);

        assertThat(stepStates.cancelAllPending(cluster.id(), "cluster ended")).isEqualTo(1);
        assertThat(steps.find(cluster.id(), "s-EEEEEEEEEEEE2").orElseThrow().state()).isEqualTo(StepState.CANCELLED);
        assertThat(stepStates.cancelAllPending(cluster.id(), "cluster ended")).isZero();
    }

    @Test
    void aStepCancelledInterruptedAndFinishingAtOnceEndsExactlyOnce() throws Exception {
        Cluster cluster = insertCluster("j-GGGGGGGGGGGGG");
        database.jdbi().useTransaction(handle -> steps.insert(handle, List.of(newStep("s-GGGGGGGGGGGG1", cluster.id()))));
        assertThat(stepStates.transitionToRunning("s-GGGGGGGGGGGG1")).isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<StepState> ends = List.of(StepState.COMPLETED, StepState.CANCELLED, StepState.FAILED, StepState.INTERRUPTED);
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                StepState end = ends.get(i % ends.size());
                attempts.add(() -> stepStates.transitionToEnded("s-GGGGGGGGGGGG1", end, null, null, end.name()));
            }
            assertThat(winners(pool.invokeAll(attempts))).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        Step ended = steps.find(cluster.id(), "s-GGGGGGGGGGGG1").orElseThrow();
        assertThat(ended.state().name()).as("the winner's end and message").isEqualTo(ended.stateMessage());
        assertThat(stepStates.transitionToPendingAgain("s-GGGGGGGGGGGG1")).as("nothing leaves an end").isFalse();
        assertThat(stepStates.transitionToRunning("s-GGGGGGGGGGGG1")).isFalse();
    }

    @Test
    void aStepNeverLaunchedIsPendingAgainUnlessAStopWasAskedFor() {
        Cluster cluster = insertCluster("j-HHHHHHHHHHHHH");
        database.jdbi().useTransaction(handle -> steps.insert(handle, List.of(newStep("s-HHHHHHHHHHHH1", cluster.id()), newStep("s-HHHHHHHHHHHH2", cluster.id()))));
        assertThat(stepStates.transitionToPendingAgain("s-HHHHHHHHHHHH1")).as("it is pending already").isFalse();
        assertThat(stepStates.transitionToRunning("s-HHHHHHHHHHHH1")).isTrue();
        assertThat(stepStates.transitionToPendingAgain("s-HHHHHHHHHHHH1")).isTrue();
        assertThat(steps.find(cluster.id(), "s-HHHHHHHHHHHH1").orElseThrow().startedAt()).isNull();

        assertThat(stepStates.transitionToRunning("s-HHHHHHHHHHHH2")).isTrue();
        assertThat(stepStates.requestStop("s-HHHHHHHHHHHH2", StopRequest.SERVER_STOPPING)).isTrue();
        assertThat(stepStates.transitionToPendingAgain("s-HHHHHHHHHHHH2")).as("the stop decides its end").isFalse();
        assertThat(steps.find(cluster.id(), "s-HHHHHHHHHHHH2").orElseThrow().state()).isEqualTo(StepState.RUNNING);
        assertThatThrownBy(() -> stepStates.transitionToEnded("s-HHHHHHHHHHHH2", StepState.PENDING, null, null, "not an end"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepsListNewestFirstWithFiltersAndKeysetPages() {
        Cluster cluster = insertCluster("j-FFFFFFFFFFFFF");
        List<Step> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(newStep("s-FFFFFFFFFFF" + i + "0", cluster.id()));
        }
        database.jdbi().useTransaction(handle -> steps.insert(handle, created));
        stepStates.transitionToRunning(created.get(2).id());

        List<Step> page = steps.list(cluster.id(), Set.of(), List.of(), null, 3);
        assertThat(page).extracting(Step::id).containsExactly(created.get(6).id(), created.get(5).id(), created.get(4).id());
        List<Step> next = steps.list(cluster.id(), Set.of(), List.of(), page.get(2).seq(), 3);
        assertThat(next).extracting(Step::id).containsExactly(created.get(3).id(), created.get(2).id(), created.get(1).id());
        assertThat(steps.list(cluster.id(), Set.of(StepState.RUNNING), List.of(), null, 50)).extracting(Step::id).containsExactly(created.get(2).id());
        assertThat(steps.list(cluster.id(), Set.of(), List.of(created.get(0).id(), created.get(4).id()), null, 50))
                .extracting(Step::id).containsExactly(created.get(4).id(), created.get(0).id());
        assertThat(steps.listInStates(cluster.id(), List.of(StepState.PENDING))).first().extracting(Step::id).isEqualTo(created.get(0).id());
        int unfinished = database.jdbi().withHandle(handle -> steps.countUnfinished(handle, cluster.id()));
        assertThat(unfinished).isEqualTo(7);
    }

    @Test
    void clustersListNewestFirstByStateAndTime() {
        Cluster first = insertCluster("j-GGGGGGGGGGGG1");
        Cluster second = insertCluster("j-GGGGGGGGGGGG2");
        clusterStates.transitionToBootstrapping(first.id());
        clusterStates.transitionToWaiting(first.id(), "ready");
        assertThat(clusters.list(Set.of(), null, null, null, 10)).extracting(Cluster::id).containsExactly(second.id(), first.id());
        assertThat(clusters.list(Set.of(ClusterState.WAITING), null, null, null, 10)).extracting(Cluster::id).containsExactly(first.id());
        assertThat(clusters.list(Set.of(), NOW.plusSeconds(1), null, null, 10)).isEmpty();
        assertThat(clusters.list(Set.of(), null, NOW, null, 10)).hasSize(2);
        assertThat(clusters.list(Set.of(), null, null, second.seq(), 10)).extracting(Cluster::id).containsExactly(first.id());
        assertThat(clusters.listNotTerminated()).extracting(Cluster::id).containsExactly(first.id(), second.id());
    }

    @Test
    void tagsAreAddedOverwrittenAndRemoved() {
        Cluster cluster = insertCluster("j-HHHHHHHHHHHHH");
        clusters.putTags(cluster.id(), Map.of("a", "1", "b", "2"));
        clusters.putTags(cluster.id(), Map.of("a", "one"));
        assertThat(clusters.tags(cluster.id())).containsExactly(Map.entry("a", "one"), Map.entry("b", "2"));
        clusters.removeTags(cluster.id(), List.of("a", "missing"));
        assertThat(clusters.tags(cluster.id())).containsExactly(Map.entry("b", "2"));
    }

    @Test
    void aSweepAndItsTasksReadBackAndMoveByCompareAndSet() {
        SweepPlanner.Plan plan = SweepPlanner.plan(SweepPlanner.parse("""
                {"name": "per label", "maxParallel": 2, "base": {"input": {"table": "ml.digits"}, "model": {"type": "logistic_regression"}},
                 "labels": ["is_0", "is_1", "is_2"]}"""));
        Sweep sweep = new Sweep("sw-AAAAAAAAAAAA", plan.name(), "j-SWEEPCLUSTER", plan.isolation(), plan.maxParallel(), plan.stopOnFailure(), "auc_roc",
                "{\"spec\": true}", SweepState.RUNNING, null, null, NOW, null);
        sweeps.create(sweep, plan.tasks());

        assertThat(sweeps.find(sweep.sweepId())).contains(sweep);
        assertThat(sweeps.running()).containsExactly(sweep);
        List<SweepTask> tasks = sweeps.tasks(sweep.sweepId());
        assertThat(tasks).extracting(SweepTask::taskId).containsExactly("t-001", "t-002", "t-003");
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.PENDING);
            assertThat(task.attempt()).isEqualTo(1);
        });
        assertThat(tasks.get(1).spec()).contains("\"column\":\"is_1\"");

        assertThat(taskStates.transitionToRunning(sweep.sweepId(), "t-001", "s-STEP1", NOW)).as("only a task handed to its step starts").isFalse();
        assertThat(sweeps.assign(sweep.sweepId(), "t-001", "m-1", "s-STEP1", "/logs/s-STEP1")).isTrue();
        assertThat(sweeps.assign(sweep.sweepId(), "t-001", "m-1", "s-STEP9", "/logs/s-STEP9")).as("handed over once").isFalse();
        assertThat(sweeps.task(sweep.sweepId(), "t-001").orElseThrow()).extracting(SweepTask::state, SweepTask::stepId, SweepTask::startedAt)
                .containsExactly(TaskState.PENDING, "s-STEP1", null);
        assertThat(taskStates.transitionToRunning(sweep.sweepId(), "t-001", "s-STEP9", NOW)).as("only by its own step").isFalse();
        assertThat(taskStates.transitionToRunning(sweep.sweepId(), "t-001", "s-STEP1", NOW)).isTrue();
        assertThat(taskStates.transitionToRunning(sweep.sweepId(), "t-001", "s-STEP1", NOW)).as("only a PENDING task starts").isFalse();
        sweeps.recordApplicationId(sweep.sweepId(), "t-001", "app-1");
        assertThat(taskStates.transitionToSucceeded(sweep.sweepId(), "t-001", "{\"test\": {\"auc_roc\": 0.99}}", NOW.plusSeconds(5))).isTrue();
        assertThat(taskStates.transitionToFailed(sweep.sweepId(), "t-001", "late", NOW)).isFalse();
        assertThat(sweeps.assign(sweep.sweepId(), "t-002", "m-2", "s-STEP2", "/logs/s-STEP2")).isTrue();
        assertThat(taskStates.transitionToRunning(sweep.sweepId(), "t-002", "s-STEP2", NOW)).isTrue();
        assertThat(taskStates.transitionToFailed(sweep.sweepId(), "t-002", "model.params.x: bad", NOW.plusSeconds(3))).isTrue();
        assertThat(taskStates.cancelBeforeStart(sweep.sweepId(), "t-003", "Cancelled")).isTrue();
        assertThat(sweepStates.transitionToFailed(sweep.sweepId(), "1 of 3 tasks failed")).isTrue();

        SweepTask done = sweeps.task(sweep.sweepId(), "t-001").orElseThrow();
        assertThat(done).extracting(SweepTask::state, SweepTask::modelId, SweepTask::stepId, SweepTask::applicationId, SweepTask::metrics, SweepTask::endedAt)
                .containsExactly(TaskState.SUCCEEDED, "m-1", "s-STEP1", "app-1", "{\"test\": {\"auc_roc\": 0.99}}", NOW.plusSeconds(5).truncatedTo(ChronoUnit.MILLIS));

        assertThat(sweepStates.transitionToRunningAgain(sweep.sweepId())).as("the failed and the cancelled task run again").isEqualTo(2);
        assertThat(sweeps.tasks(sweep.sweepId())).extracting(SweepTask::state, SweepTask::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TaskState.SUCCEEDED, 1), org.assertj.core.groups.Tuple.tuple(TaskState.PENDING, 2),
                        org.assertj.core.groups.Tuple.tuple(TaskState.PENDING, 2));
        assertThat(sweeps.task(sweep.sweepId(), "t-002").orElseThrow()).as("waiting for a slot again").extracting(SweepTask::stepId, SweepTask::startedAt)
                .containsExactly(null, null);
        assertThat(sweeps.find(sweep.sweepId()).orElseThrow().state()).isEqualTo(SweepState.RUNNING);
        assertThat(taskStates.transitionToRunning(sweep.sweepId(), "t-001", "s-STEP1", NOW)).as("nothing leaves SUCCEEDED").isFalse();
        assertThat(taskStates.cancelBeforeStart(sweep.sweepId(), "t-001", "late")).isFalse();
        assertThatThrownBy(() -> taskStates.transitionToEnded(sweep.sweepId(), "t-002", TaskState.SUCCEEDED, "without metrics", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSweepEndsOnceAndOnlyAFailedOrCancelledOneRunsAgain() throws Exception {
        Sweep sweep = insertSweep("sw-BBBBBBBBBBBB");
        String id = sweep.sweepId();
        assertThat(sweepStates.transitionToRunningAgain(id)).as("a running sweep without ended tasks has nothing to resume").isZero();
        for (SweepTask task : sweeps.tasks(id)) {
            assertThat(taskStates.transitionToSucceeded(id, task.taskId(), "{}", NOW)).isTrue();
        }
        assertThat(sweepStates.transitionToCompleted(id, "3 task(s) succeeded")).isTrue();
        assertThat(sweepStates.transitionToCancelled(id, "too late")).as("an ended sweep does not end again").isFalse();
        assertThat(sweepStates.transitionToFailed(id, "too late")).isFalse();
        assertThat(sweepStates.transitionToRunningAgain(id)).as("nothing leaves COMPLETED").isZero();
        Sweep completed = sweeps.find(id).orElseThrow();
        assertThat(completed).extracting(Sweep::state, Sweep::stateMessage).containsExactly(SweepState.COMPLETED, "3 task(s) succeeded");

        Sweep other = insertSweep("sw-CCCCCCCCCCCC");
        taskStates.cancelBeforeStart(other.sweepId(), "t-001", "Cancelled by request");
        assertThat(sweepStates.transitionToCancelled(other.sweepId(), "Cancelled by request")).isTrue();
        assertThat(sweepStates.transitionToRunningAgain(other.sweepId())).isEqualTo(1);
        assertThat(sweeps.find(other.sweepId()).orElseThrow()).extracting(Sweep::state, Sweep::stateMessage, Sweep::endedAt)
                .containsExactly(SweepState.RUNNING, null, null);
    }

    @Test
    void aCancelIsRecordedOnceBeforeTheSweepEndsAndResumeClearsIt() {
        String id = insertSweep("sw-EEEEEEEEEEEE").sweepId();
        assertThat(sweepStates.requestCancel(id, "Cancelled by request")).isTrue();
        assertThat(sweepStates.requestCancel(id, "a second reason")).as("the first reason stays").isFalse();
        assertThat(sweeps.find(id).orElseThrow()).extracting(Sweep::state, Sweep::cancelReason).containsExactly(SweepState.RUNNING, "Cancelled by request");

        taskStates.cancelBeforeStart(id, "t-001", "Cancelled by request");
        assertThat(sweepStates.transitionToCancelled(id, "Cancelled by request")).isTrue();
        assertThat(sweepStates.requestCancel(id, "too late")).as("an ended sweep is not cancelled").isFalse();
        assertThat(sweepStates.transitionToRunningAgain(id)).isEqualTo(1);
        assertThat(sweeps.find(id).orElseThrow()).extracting(Sweep::state, Sweep::cancelReason).containsExactly(SweepState.RUNNING, null);
    }

    @Test
    void aTaskSeenEndingByManyObserversEndsOnce() throws Exception {
        String id = insertSweep("sw-FFFFFFFFFFFF").sweepId();
        assertThat(sweeps.assign(id, "t-001", "m-1", "s-STEPF", "/logs/s-STEPF")).isTrue();
        assertThat(taskStates.transitionToRunning(id, "t-001", "s-STEPF", NOW)).isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                attempts.add(switch (i % 3) {
                    case 0 -> () -> taskStates.transitionToSucceeded(id, "t-001", "{}", NOW);
                    case 1 -> () -> taskStates.transitionToFailed(id, "t-001", "FAILED", NOW);
                    default -> () -> taskStates.transitionToCancelled(id, "t-001", "CANCELLED", NOW);
                });
            }
            assertThat(winners(pool.invokeAll(attempts))).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        SweepTask ended = sweeps.task(id, "t-001").orElseThrow();
        assertThat(ended.state().isTerminal()).isTrue();
        if (ended.state() == TaskState.SUCCEEDED) {
            assertThat(ended.metrics()).isEqualTo("{}");
        } else {
            assertThat(ended.reason()).as("the winner's own reason").isEqualTo(ended.state().name());
        }
    }

    @Test
    void concurrentSweepEndsHaveExactlyOneWinnerWithItsReason() throws Exception {
        Sweep sweep = insertSweep("sw-DDDDDDDDDDDD");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String reason = "attempt " + i;
                attempts.add(i % 2 == 0 ? () -> sweepStates.transitionToCancelled(sweep.sweepId(), reason)
                        : () -> sweepStates.transitionToFailed(sweep.sweepId(), reason));
            }
            List<Integer> winners = new ArrayList<>();
            List<Future<Boolean>> results = pool.invokeAll(attempts);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).get()) {
                    winners.add(i);
                }
            }
            assertThat(winners).hasSize(1);
            Sweep ended = sweeps.find(sweep.sweepId()).orElseThrow();
            int winner = winners.get(0);
            assertThat(ended.state()).isEqualTo(winner % 2 == 0 ? SweepState.CANCELLED : SweepState.FAILED);
            assertThat(ended.stateMessage()).isEqualTo("attempt " + winner);
        } finally {
            pool.shutdownNow();
        }
    }

    private Sweep insertSweep(String id) {
        SweepPlanner.Plan plan = SweepPlanner.plan(SweepPlanner.parse("""
                {"base": {"input": {"table": "ml.digits"}, "model": {"type": "logistic_regression"}}, "labels": ["is_0", "is_1", "is_2"]}"""));
        Sweep sweep = new Sweep(id, plan.name(), "j-SWEEPCLUSTER", plan.isolation(), plan.maxParallel(), plan.stopOnFailure(), "auc_roc",
                "{}", SweepState.RUNNING, null, null, NOW, null);
        sweeps.create(sweep, plan.tasks());
        return sweep;
    }

    /**
     * What a server answered survives the server being killed the moment after: every commit is
     * on disk, not in a write buffer of the database library.
     */
    @Test
    void committedWritesSurviveAKilledProcess() throws Exception {
        database.close();
        database = null;
        int count = 20;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", testClassPath(),
                CrashingWriter.class.getName()));
        command.addAll(crashingWriterDatabase());
        command.addAll(List.of("j-KILLEDWRITER", Integer.toString(count)));
        Process writer = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(writer.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(writer.waitFor()).as(output).isEqualTo(137);
        assertThat(output).contains("answered " + count);

        database = reopenDatabase();
        steps = new StepStore(database.jdbi());
        assertThat(new ClusterStore(database.jdbi()).find("j-KILLEDWRITER")).isPresent();
        assertThat(steps.listInStates("j-KILLEDWRITER", List.of(StepState.RUNNING))).as("every step written and started").hasSize(count);
    }

    /** How a writer in another process opens this database: {@code embedded <dir>} or {@code url <jdbc-url>}. */
    protected abstract List<String> crashingWriterDatabase();

    private static String testClassPath() {
        // Surefire runs the tests from a manifest-only jar; the real class path is in this property.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Test
    void reopeningMigratesNothingAndKeepsData() throws Exception {
        Cluster cluster = insertCluster("j-IIIIIIIIIIIII");
        database.close();
        database = reopenDatabase();
        clusters = new ClusterStore(database.jdbi());
        assertThat(clusters.find(cluster.id())).isPresent();
        int applied = database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"type\" = 'SQL'")
                .mapTo(Integer.class).one());
        assertThat(applied).as("each migration of db/migration applied once").isEqualTo((int) migrationsShipped()).isGreaterThanOrEqualTo(4);
    }

    /** The migrations in db/migration (from the module's classes directory, where the tests find them). */
    private static long migrationsShipped() throws Exception {
        Path migrations = Path.of(StoreContract.class.getClassLoader().getResource("db/migration").toURI());
        try (var files = Files.list(migrations)) {
            return files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    private Cluster insertCluster(String id) {
        Cluster cluster = newCluster(id);
        database.jdbi().useTransaction(handle -> clusters.insert(handle, cluster, List.of(), List.of(), List.of(), Map.of()));
        return clusters.find(id).orElseThrow();
    }

    /** Writes a new cluster in the caller's transaction (for a writer in another process, too). */
    static void insertCluster(org.jdbi.v3.core.Handle handle, String id) {
        new ClusterStore(handle.getJdbi()).insert(handle, newCluster(id), List.of(), List.of(), List.of(), Map.of());
    }

    private static Cluster newCluster(String id) {
        ObjectNode request = new ObjectMapper().createObjectNode().put("Name", "test").put("ReleaseLabel", "emr-7.1.0");
        return new Cluster(0, id, "test", ClusterState.STARTING, StateChangeReason.message("Configuring cluster software"), NOW, null, null,
                "emr-7.1.0", "s3://bucket/logs", false, true, 2, 3600L, NOW, null, "AKIDEXAMPLE", request);
    }

    static Step newStep(String id, String clusterId) {
        return new Step(0, id, clusterId, "step " + id, ActionOnFailure.CONTINUE, "command-runner.jar", null,
                List.of("spark-submit", "--class", "Main", "app jar.jar"), Map.of("k", "v"), null, null, null, StepState.PENDING, null, null, null,
                NOW.truncatedTo(ChronoUnit.MILLIS), null, null, null, null, null, null, "AKIDEXAMPLE");
    }
}
