package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.testing.TestingHearth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.Instance;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * 1 master + 2 core instances with maximizeResourceAllocation (one executor per worker, of all
 * its cores) at step concurrency 3: an equal share of the cores holds no executor. Every step
 * still runs, and a step that can get no executor fails saying so. The last test kills workers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestExecutorShares {
    private static TestingHearth hearth;
    private static EmrClient emr;
    private static String clusterId;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        emr = hearth.emr();
        clusterId = createCluster(emr, cluster("shares", 3, true, builder -> builder
                .stepConcurrencyLevel(3)
                .configurations(Configuration.builder().classification("spark").properties(Map.of("maximizeResourceAllocation", "true")).build())));
        hearth.waiter().waitUntilClusterRunning(r -> r.clusterId(clusterId));
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    @Test
    @Order(1)
    void concurrentStepsGetWholeExecutorsAndAllComplete() {
        List<String> stepIds = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(
                sleep("first"), sleep("second"), sleep("third"))).stepIds();

        for (String stepId : stepIds) {
            awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        }
        int executorCores = workerCores();
        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepIds.get(0)).resolve("controller")))
                .contains("spark.cores.max=" + executorCores + ": one executor of " + executorCores + " cores (spark.executor.cores)");
    }

    @Test
    @Order(2)
    void aStepWhoseExecutorsFitNoWorkerFailsSayingSo() {
        int tooMany = workerCores() + 1;
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("too wide", ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.NoOp", Distribution.examplesJar()).toBuilder()
                .hadoopJarStep(h -> h.jar("command-runner.jar").args("spark-submit", "--executor-cores", Integer.toString(tooMany),
                        "--class", "io.hearth.spark.examples.NoOp", Distribution.examplesJar())).build())).stepIds().get(0);

        Step step = awaitStepState(emr, clusterId, stepId, StepState.FAILED);
        assertThat(step.status().failureDetails().reason())
                .startsWith("Cannot run the step: it can get no Spark executor on this cluster: each executor asks for " + tooMany
                        + " cores (spark.executor.cores)")
                .contains("more than any running worker offers (at most " + workerCores() + " cores");
    }

    @Test
    @Order(3)
    void afterAWorkerDiesStepsStillRunAndWithoutWorkersTheyFailSayingSo() {
        List<Instance> cores = emr.listInstances(r -> r.clusterId(clusterId).instanceGroupTypesWithStrings("CORE")).instances();
        kill(cores.get(0));
        List<String> stepIds = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sleep("fourth"), sleep("fifth"))).stepIds();
        for (String stepId : stepIds) {
            awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        }

        kill(cores.get(1));
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sleep("no workers"))).stepIds().get(0);
        assertThat(awaitStepState(emr, clusterId, stepId, StepState.FAILED).status().failureDetails().reason())
                .isEqualTo("Cannot run the step: it can get no Spark executor on this cluster: the cluster has no running Spark worker "
                        + "(its CORE and TASK instances have ended)");
    }

    private static software.amazon.awssdk.services.emr.model.StepConfig sleep(String name) {
        return sparkStep(name, ActionOnFailure.CONTINUE, "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "3", "2");
    }

    /** The Spark cores of one core instance: maximizeResourceAllocation's spark.executor.cores. */
    private static int workerCores() {
        return hearth.server().clusters().instances(clusterId).stream().filter(instance -> !instance.isMaster()).findFirst().orElseThrow()
                .sparkCores();
    }

    /** Kills the Spark worker JVM of a core instance, as a crash would, and waits for Hearth to see the instance ended. */
    private static void kill(Instance instance) {
        Distribution.processesMentioning(instance.id()).stream()
                .filter(process -> process.info().commandLine().orElse("").contains("org.apache.spark.deploy.worker.Worker"))
                .filter(process -> process.info().command().orElse("").endsWith("/java"))
                .forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofMinutes(1)).until(() -> emr.listInstances(r -> r.clusterId(clusterId)).instances().stream()
                .filter(listed -> listed.id().equals(instance.id())).findFirst().orElseThrow().status().stateAsString(), "TERMINATED"::equals);
    }
}
