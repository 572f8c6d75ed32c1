package io.hearth.server.cluster;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.fakeStep;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.testing.TestingHearth;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.AutoTerminationPolicy;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.EmrException;
import software.amazon.awssdk.services.emr.model.InstanceGroup;
import software.amazon.awssdk.services.emr.model.StepState;

/** Cluster states, reasons and timelines through the EMR API, with a fake Spark runtime. */
class TestClusterLifecycle {
    private TestingHearth hearth;
    private EmrClient emr;

    @BeforeEach
    void start() {
        hearth = TestingHearth.builder().start();
        emr = hearth.emr();
    }

    @AfterEach
    void stop() {
        hearth.close();
    }

    @Test
    void singleInstanceClusterIsWaitingOnceReady() {
        String clusterId = createCluster(emr, singleInstanceCluster("ready"));
        hearth.waiter().waitUntilClusterRunning(request -> request.clusterId(clusterId));

        Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
        assertThat(cluster.status().state()).isEqualTo(ClusterState.WAITING);
        assertThat(cluster.status().stateChangeReason().message()).isEqualTo("Cluster ready to run steps.");
        assertThat(cluster.status().timeline().creationDateTime()).isNotNull();
        assertThat(cluster.status().timeline().readyDateTime()).isAfterOrEqualTo(cluster.status().timeline().creationDateTime());
        assertThat(cluster.status().timeline().endDateTime()).isNull();
        assertThat(cluster.masterPublicDnsName()).isEqualTo("localhost");
        assertThat(cluster.clusterArn()).isEqualTo("arn:aws:elasticmapreduce:us-east-1:000000000000:cluster/" + clusterId);
        List<InstanceGroup> groups = emr.listInstanceGroups(request -> request.clusterId(clusterId)).instanceGroups();
        assertThat(groups).singleElement().satisfies(group -> {
            assertThat(group.status().stateAsString()).isEqualTo("RUNNING");
            assertThat(group.runningInstanceCount()).isEqualTo(1);
        });
        assertThat(emr.listInstances(request -> request.clusterId(clusterId)).instances())
                .singleElement().satisfies(instance -> assertThat(instance.status().stateAsString()).isEqualTo("RUNNING"));
    }

    @Test
    void clusterIsRunningWhileStepsArePendingOrRunningAndWaitingAfterwards() {
        String clusterId = createCluster(emr, singleInstanceCluster("busy"));
        String stepId = emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(fakeStep("sleep", ActionOnFailure.CONTINUE, "Sleep", "60")))
                .stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.RUNNING);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.RUNNING)).isEqualTo(ClusterState.RUNNING);

        emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepId));
        awaitClusterState(emr, clusterId, ClusterState.WAITING);
        assertThat(emr.describeCluster(request -> request.clusterId(clusterId)).cluster().status().stateChangeReason().message())
                .isEqualTo("Waiting after step completed");
    }

    @Test
    void transientClusterTerminatesAfterItsLastStep() {
        String clusterId = createCluster(emr, cluster("transient", 1, false, builder -> builder.steps(
                fakeStep("first", ActionOnFailure.CONTINUE, "Succeed"),
                fakeStep("second", ActionOnFailure.CONTINUE, "Succeed"))));

        hearth.waiter().waitUntilClusterTerminated(request -> request.clusterId(clusterId));
        Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
        assertThat(cluster.status().state()).isEqualTo(ClusterState.TERMINATED);
        assertThat(cluster.status().stateChangeReason().codeAsString()).isEqualTo("ALL_STEPS_COMPLETED");
        assertThat(cluster.status().stateChangeReason().message()).isEqualTo("Steps completed");
        assertThat(cluster.status().timeline().endDateTime()).isNotNull();
        assertThat(cluster.autoTerminate()).isTrue();
        assertThat(emr.listSteps(request -> request.clusterId(clusterId)).steps())
                .extracting(step -> step.status().state())
                .containsExactly(StepState.COMPLETED, StepState.COMPLETED);
    }

    @Test
    void transientClusterWithoutStepsTerminatesOnceReady() {
        String clusterId = createCluster(emr, cluster("nothing to do", 1, false, builder -> builder));
        assertThat(awaitClusterState(emr, clusterId, ClusterState.TERMINATED)).isEqualTo(ClusterState.TERMINATED);
        assertThat(emr.describeCluster(request -> request.clusterId(clusterId)).cluster().status().stateChangeReason().codeAsString())
                .isEqualTo("ALL_STEPS_COMPLETED");
    }

    @Test
    void terminationCancelsPendingStepsAndInterruptsTheRunningOne() {
        String clusterId = createCluster(emr, singleInstanceCluster("terminated"));
        List<String> stepIds = emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(
                fakeStep("running", ActionOnFailure.CONTINUE, "Sleep", "60"),
                fakeStep("pending", ActionOnFailure.CONTINUE, "Succeed"))).stepIds();
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.RUNNING);

        emr.terminateJobFlows(request -> request.jobFlowIds(clusterId));
        hearth.waiter().waitUntilClusterTerminated(request -> request.clusterId(clusterId));

        Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
        assertThat(cluster.status().stateChangeReason().codeAsString()).isEqualTo("USER_REQUEST");
        assertThat(cluster.status().stateChangeReason().message()).isEqualTo("Terminated by user request");
        assertThat(cluster.masterPublicDnsName()).isNull();
        assertThat(awaitStepState(emr, clusterId, stepIds.get(0), StepState.INTERRUPTED).status().stateChangeReason().message())
                .contains("cluster is terminating");
        assertThat(awaitStepState(emr, clusterId, stepIds.get(1), StepState.CANCELLED).status().timeline().startDateTime()).isNull();
        assertThat(emr.listInstanceGroups(request -> request.clusterId(clusterId)).instanceGroups())
                .allSatisfy(group -> assertThat(group.status().stateAsString()).isEqualTo("ENDED"));
        assertThat(emr.listInstances(request -> request.clusterId(clusterId)).instances())
                .allSatisfy(instance -> assertThat(instance.status().stateAsString()).isEqualTo("TERMINATED"));
    }

    @Test
    void terminationProtectionRefusesTerminationUntilRemoved() {
        String clusterId = createCluster(emr, cluster("protected", 1, true,
                builder -> builder.instances(instances -> instances.instanceCount(1).masterInstanceType("m5.xlarge").keepJobFlowAliveWhenNoSteps(true).terminationProtected(true))));
        awaitClusterState(emr, clusterId, ClusterState.WAITING);

        assertThatThrownBy(() -> emr.terminateJobFlows(request -> request.jobFlowIds(clusterId)))
                .isInstanceOfSatisfying(EmrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Could not shut down one or more job flows since they are termination protected.");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(emr.describeCluster(request -> request.clusterId(clusterId)).cluster().terminationProtected()).isTrue();

        emr.setTerminationProtection(request -> request.jobFlowIds(clusterId).terminationProtected(false));
        emr.terminateJobFlows(request -> request.jobFlowIds(clusterId));
        assertThat(awaitClusterState(emr, clusterId, ClusterState.TERMINATED)).isEqualTo(ClusterState.TERMINATED);
    }

    @Test
    void idleClusterEndsByItsAutoTerminationPolicy() {
        String clusterId = createCluster(emr, singleInstanceCluster("idle"));
        awaitClusterState(emr, clusterId, ClusterState.WAITING);
        emr.putAutoTerminationPolicy(request -> request.clusterId(clusterId).autoTerminationPolicy(AutoTerminationPolicy.builder().idleTimeout(60L).build()));
        assertThat(emr.getAutoTerminationPolicy(request -> request.clusterId(clusterId)).autoTerminationPolicy().idleTimeout()).isEqualTo(60L);

        hearth.clock().advance(Duration.ofSeconds(30));
        hearth.server().clusters().houseKeepNow();
        assertThat(emr.describeCluster(request -> request.clusterId(clusterId)).cluster().status().state()).isEqualTo(ClusterState.WAITING);

        hearth.clock().advance(Duration.ofSeconds(31));
        hearth.waiter().waitUntilClusterTerminated(request -> request.clusterId(clusterId));
        Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
        assertThat(cluster.status().stateChangeReason().codeAsString()).isEqualTo("ALL_STEPS_COMPLETED");
        assertThat(cluster.status().stateChangeReason().message()).contains("idle for 60 seconds").contains("auto-termination policy");
    }

    @Test
    void aClusterRunningAStepIsNotIdle() {
        String clusterId = createCluster(emr, singleInstanceCluster("working"));
        emr.putAutoTerminationPolicy(request -> request.clusterId(clusterId).autoTerminationPolicy(AutoTerminationPolicy.builder().idleTimeout(60L).build()));
        String stepId = emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(fakeStep("sleep", ActionOnFailure.CONTINUE, "Sleep", "60")))
                .stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.RUNNING);

        hearth.clock().advance(Duration.ofSeconds(120));
        hearth.server().clusters().houseKeepNow();
        assertThat(emr.describeCluster(request -> request.clusterId(clusterId)).cluster().status().state()).isEqualTo(ClusterState.RUNNING);

        emr.removeAutoTerminationPolicy(request -> request.clusterId(clusterId));
        assertThat(emr.getAutoTerminationPolicy(request -> request.clusterId(clusterId)).autoTerminationPolicy()).isNull();
    }

    @Test
    void keepAliveCanBeTurnedOffOnAWaitingCluster() {
        String clusterId = createCluster(emr, singleInstanceCluster("kept"));
        awaitClusterState(emr, clusterId, ClusterState.WAITING);
        emr.setKeepJobFlowAliveWhenNoSteps(request -> request.jobFlowIds(clusterId).keepJobFlowAliveWhenNoSteps(false));
        assertThat(awaitClusterState(emr, clusterId, ClusterState.TERMINATED)).isEqualTo(ClusterState.TERMINATED);
    }

    @Test
    void recordsTheCallersAccessKeyWithClustersAndSteps() {
        String clusterId = createCluster(emr, singleInstanceCluster("owned"));
        String stepId = emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(fakeStep("step", ActionOnFailure.CONTINUE, "Succeed")))
                .stepIds().get(0);
        ClusterManager clusters = hearth.server().clusters();
        assertThat(clusters.getCluster(clusterId).ownerAccessKeyId()).isEqualTo(TestingHearth.ACCESS_KEY_ID);
        assertThat(clusters.getStep(clusterId, stepId).ownerAccessKeyId()).isEqualTo(TestingHearth.ACCESS_KEY_ID);
    }
}
