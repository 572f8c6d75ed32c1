package io.hearth.server.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.InstanceGroupConfig;
import software.amazon.awssdk.services.emr.model.InstanceRoleType;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepStatus;

/** Request builders and waits that Hearth's tests share. */
public final class EmrRequests {
    public static final Duration TIMEOUT = Duration.ofMinutes(3);

    private EmrRequests() {}

    /** A long-running cluster of one m5.xlarge master (Spark local mode). */
    public static RunJobFlowRequest singleInstanceCluster(String name) {
        return cluster(name, 1, true, UnaryOperator.identity());
    }

    /** A cluster of one master and {@code instances - 1} core m5.xlarge instances, customised by {@code change}. */
    public static RunJobFlowRequest cluster(String name, int instances, boolean keepAlive, UnaryOperator<RunJobFlowRequest.Builder> change) {
        List<InstanceGroupConfig> groups = new ArrayList<>();
        groups.add(InstanceGroupConfig.builder().name("Primary").instanceRole(InstanceRoleType.MASTER).instanceType("m5.xlarge").instanceCount(1).build());
        if (instances > 1) {
            groups.add(InstanceGroupConfig.builder().name("Core").instanceRole(InstanceRoleType.CORE).instanceType("m5.xlarge").instanceCount(instances - 1).build());
        }
        RunJobFlowRequest.Builder builder = RunJobFlowRequest.builder()
                .name(name)
                .releaseLabel("emr-7.1.0")
                .applications(Application.builder().name("Spark").build())
                .instances(JobFlowInstancesConfig.builder().instanceGroups(groups).keepJobFlowAliveWhenNoSteps(keepAlive).build());
        return change.apply(builder).build();
    }

    /** A command-runner.jar spark-submit step: {@code spark-submit --class <mainClass> <jar> <args>}. */
    public static StepConfig sparkStep(String name, ActionOnFailure actionOnFailure, String mainClass, String jar, String... args) {
        List<String> all = new ArrayList<>(List.of("spark-submit", "--class", mainClass, jar));
        all.addAll(List.of(args));
        return StepConfig.builder()
                .name(name)
                .actionOnFailure(actionOnFailure)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(all).build())
                .build();
    }

    /** A step for the fake Spark runtime, whose spark-submit behaves as {@code mainClass} says (Succeed, Fail, Sleep). */
    public static StepConfig fakeStep(String name, ActionOnFailure actionOnFailure, String mainClass, String... args) {
        return sparkStep(name, actionOnFailure, mainClass, "app.jar", args);
    }

    public static String createCluster(EmrClient emr, RunJobFlowRequest request) {
        return emr.runJobFlow(request).jobFlowId();
    }

    private static final List<ClusterState> ENDED_CLUSTER = List.of(ClusterState.TERMINATED, ClusterState.TERMINATED_WITH_ERRORS);
    private static final List<StepState> ENDED_STEP = List.of(StepState.COMPLETED, StepState.FAILED, StepState.CANCELLED, StepState.INTERRUPTED);

    /** Waits for one of {@code states}; fails at once when the cluster ends in another state. */
    public static ClusterState awaitClusterState(EmrClient emr, String clusterId, ClusterState... states) {
        List<ClusterState> wanted = List.of(states);
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .failFast("cluster " + clusterId + " ended in another state", () -> {
                    ClusterState state = emr.describeCluster(request -> request.clusterId(clusterId)).cluster().status().state();
                    return ENDED_CLUSTER.contains(state) && !wanted.contains(state);
                })
                .until(() -> emr.describeCluster(request -> request.clusterId(clusterId)).cluster().status().state(), wanted::contains);
    }

    /** Waits for one of {@code states}; fails at once when the step ends in another state. */
    public static Step awaitStepState(EmrClient emr, String clusterId, String stepId, StepState... states) {
        List<StepState> wanted = List.of(states);
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .failFast("step " + stepId + " ended in another state", () -> {
                    StepStatus status = describeStep(emr, clusterId, stepId).status();
                    if (ENDED_STEP.contains(status.state()) && !wanted.contains(status.state())) {
                        throw new AssertionError("step " + stepId + " is " + status.state() + ", not " + wanted + "; " + status.failureDetails());
                    }
                })
                .until(() -> describeStep(emr, clusterId, stepId), step -> wanted.contains(step.status().state()));
    }

    public static Step describeStep(EmrClient emr, String clusterId, String stepId) {
        return emr.describeStep(request -> request.clusterId(clusterId).stepId(stepId)).step();
    }
}
