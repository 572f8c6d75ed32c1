package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.testing.TestingHearth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * A real Spark step that fails (its input does not exist) under each ActionOnFailure, followed by
 * a step that would succeed. The four clusters run at the same time.
 */
class TestActionOnFailureWithSpark {
    private static TestingHearth hearth;
    private static EmrClient emr;
    private static final Map<ActionOnFailure, String> CLUSTERS = new EnumMap<>(ActionOnFailure.class);
    private static final Map<ActionOnFailure, List<String>> STEPS = new EnumMap<>(ActionOnFailure.class);

    @BeforeAll
    static void runFailingSteps() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        emr = hearth.emr();
        for (ActionOnFailure action : List.of(ActionOnFailure.CONTINUE, ActionOnFailure.CANCEL_AND_WAIT, ActionOnFailure.TERMINATE_CLUSTER,
                ActionOnFailure.TERMINATE_JOB_FLOW)) {
            String clusterId = createCluster(emr, singleInstanceCluster(action.toString()));
            StepConfig failing = sparkStep("fails", action, "io.hearth.spark.examples.CsvAggregate", Distribution.examplesJar(),
                    "/no/such/input", hearth.dataDirectory().resolve("never").toString(), "species");
            StepConfig next = sparkStep("next", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.NoOp", Distribution.examplesJar());
            CLUSTERS.put(action, clusterId);
            STEPS.put(action, emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(failing, next)).stepIds());
        }
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    @Test
    void continueRunsTheNextStep() {
        String clusterId = CLUSTERS.get(ActionOnFailure.CONTINUE);
        assertFailedWithSparksException(clusterId, STEPS.get(ActionOnFailure.CONTINUE).get(0));
        awaitStepState(emr, clusterId, STEPS.get(ActionOnFailure.CONTINUE).get(1), StepState.COMPLETED);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void cancelAndWaitCancelsTheNextStepAndKeepsTheCluster() {
        String clusterId = CLUSTERS.get(ActionOnFailure.CANCEL_AND_WAIT);
        assertFailedWithSparksException(clusterId, STEPS.get(ActionOnFailure.CANCEL_AND_WAIT).get(0));
        Step next = awaitStepState(emr, clusterId, STEPS.get(ActionOnFailure.CANCEL_AND_WAIT).get(1), StepState.CANCELLED);
        assertThat(next.status().timeline().startDateTime()).isNull();
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void terminateClusterEndsTheClusterWithErrors() {
        assertTerminated(ActionOnFailure.TERMINATE_CLUSTER);
    }

    @Test
    void terminateJobFlowIsTheSameAsTerminateCluster() {
        assertTerminated(ActionOnFailure.TERMINATE_JOB_FLOW);
    }

    private static void assertTerminated(ActionOnFailure action) {
        String clusterId = CLUSTERS.get(action);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.TERMINATED_WITH_ERRORS)).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
        assertThat(emr.describeCluster(r -> r.clusterId(clusterId)).cluster().status().stateChangeReason().codeAsString()).isEqualTo("STEP_FAILURE");
        assertFailedWithSparksException(clusterId, STEPS.get(action).get(0));
        assertThat(awaitStepState(emr, clusterId, STEPS.get(action).get(1), StepState.CANCELLED).status().timeline().startDateTime()).isNull();
    }

    private static void assertFailedWithSparksException(String clusterId, String stepId) {
        Step step = awaitStepState(emr, clusterId, stepId, StepState.FAILED);
        assertThat(step.status().failureDetails().reason()).isEqualTo("[PATH_NOT_FOUND] Path does not exist: file:/no/such/input.");
        assertThat(step.status().failureDetails().message()).startsWith("org.apache.spark.sql.AnalysisException");
    }
}
