package io.hearth.server.step;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.describeStep;
import static io.hearth.server.testing.EmrRequests.fakeStep;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearth.server.config.StepsConfig;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.CancelStepsInfo;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.EmrException;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.KeyValue;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepCancellationOption;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepSummary;

/** How steps run, fail, are cancelled and log, through the EMR API, with a fake Spark runtime. */
class TestStepExecution {
    private TestingHearth hearth;
    private EmrClient emr;
    private String clusterId;

    @BeforeEach
    void start() {
        hearth = TestingHearth.builder().setting(StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key(), "20").start();
        emr = hearth.emr();
        clusterId = createCluster(emr, singleInstanceCluster("steps"));
    }

    @AfterEach
    void stop() {
        hearth.close();
    }

    private List<String> addSteps(StepConfig... steps) {
        return emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(steps)).stepIds();
    }

    @Test
    void stepsRunOneAtATimeInSubmissionOrder() {
        List<String> stepIds = addSteps(
                fakeStep("first", ActionOnFailure.CONTINUE, "Succeed"),
                fakeStep("second", ActionOnFailure.CONTINUE, "Succeed"),
                fakeStep("third", ActionOnFailure.CONTINUE, "Succeed"));
        List<Step> steps = stepIds.stream().map(id -> awaitStepState(emr, clusterId, id, StepState.COMPLETED)).toList();
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i).status().timeline().startDateTime()).isAfterOrEqualTo(steps.get(i - 1).status().timeline().endDateTime());
        }
        assertThat(emr.listSteps(request -> request.clusterId(clusterId)).steps()).extracting(StepSummary::id)
                .as("ListSteps shows the newest step first").containsExactly(stepIds.get(2), stepIds.get(1), stepIds.get(0));
    }

    @Test
    void logsSayWhatRanAndAreReadableWhileTheStepRuns() throws IOException {
        String stepId = addSteps(fakeStep("sleeper", ActionOnFailure.CONTINUE, "Sleep", "60")).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.RUNNING);
        Path logs = hearth.stepLogs(clusterId, stepId);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(logs.resolve("stdout"))
                && Files.readString(logs.resolve("stdout")).contains("class=Sleep"));

        emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepId));
        awaitStepState(emr, clusterId, stepId, StepState.CANCELLED);
        String controller = Files.readString(logs.resolve("controller"), StandardCharsets.UTF_8);
        assertThat(controller)
                .contains("Step " + stepId + " (sleeper) started on cluster " + clusterId)
                .contains("Running: [\"" + hearth.dataDirectory().resolve("fake-spark/bin/spark-submit") + "\",\"--class\",\"Sleep\",\"app.jar\",\"60\"]")
                .contains("\"SPARK_CONF_DIR\":\"" + hearth.dataDirectory().resolve("clusters").resolve(clusterId).resolve("conf") + "\"")
                .contains("Spark application id: local-fake-")
                .contains("Stopping the driver: Cancelled by request (SEND_INTERRUPT)")
                .contains("Process exited with code 143");
        assertThat(Files.readString(logs.resolve("stderr"))).contains("interrupted");
    }

    @Test
    void failedStepReportsTheDriversException() throws IOException {
        String stepId = addSteps(fakeStep("broken", ActionOnFailure.CONTINUE, "Fail")).get(0);
        Step step = awaitStepState(emr, clusterId, stepId, StepState.FAILED);
        assertThat(step.status().failureDetails().reason()).isEqualTo("the job failed on purpose");
        assertThat(step.status().failureDetails().message()).isEqualTo("java.lang.IllegalStateException: the job failed on purpose");
        Path stderr = hearth.stepLogs(clusterId, stepId).resolve("stderr");
        assertThat(step.status().failureDetails().logFile()).isEqualTo(stderr.toString());
        assertThat(Files.readString(stderr)).contains("Exception in thread \"main\"");
        assertThat(Files.readString(hearth.stepLogs(clusterId, stepId).resolve("controller"))).contains("Process exited with code 1");
    }

    @Test
    void continueGoesOnWithTheNextStep() {
        List<String> stepIds = addSteps(fakeStep("broken", ActionOnFailure.CONTINUE, "Fail"), fakeStep("next", ActionOnFailure.CONTINUE, "Succeed"));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.FAILED);
        awaitStepState(emr, clusterId, stepIds.get(1), StepState.COMPLETED);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void cancelAndWaitCancelsThePendingSteps() {
        List<String> stepIds = addSteps(
                fakeStep("broken", ActionOnFailure.CANCEL_AND_WAIT, "Fail"),
                fakeStep("next", ActionOnFailure.CONTINUE, "Succeed"),
                fakeStep("last", ActionOnFailure.CONTINUE, "Succeed"));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.FAILED);
        Step next = awaitStepState(emr, clusterId, stepIds.get(1), StepState.CANCELLED);
        assertThat(next.status().stateChangeReason().message()).contains("step " + stepIds.get(0) + " failed").contains("CANCEL_AND_WAIT");
        awaitStepState(emr, clusterId, stepIds.get(2), StepState.CANCELLED);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);

        String later = addSteps(fakeStep("later", ActionOnFailure.CONTINUE, "Succeed")).get(0);
        assertThat(awaitStepState(emr, clusterId, later, StepState.COMPLETED).status().state()).isEqualTo(StepState.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(value = ActionOnFailure.class, names = {"TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW"})
    void terminatingActionEndsTheClusterWithErrors(ActionOnFailure action) {
        List<String> stepIds = addSteps(fakeStep("broken", action, "Fail"), fakeStep("next", ActionOnFailure.CONTINUE, "Succeed"));
        assertThat(awaitClusterState(emr, clusterId, ClusterState.TERMINATED_WITH_ERRORS)).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
        assertThatThrownBy(() -> hearth.waiter().waitUntilClusterTerminated(request -> request.clusterId(clusterId)))
                .as("the cluster-terminated waiter fails on TERMINATED_WITH_ERRORS")
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("Cluster.Status.State=TERMINATED_WITH_ERRORS");
        Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
        assertThat(cluster.status().stateChangeReason().codeAsString()).isEqualTo("STEP_FAILURE");
        assertThat(cluster.status().stateChangeReason().message()).isEqualTo("Shut down as step failed");
        assertThat(describeStep(emr, clusterId, stepIds.get(0)).status().state()).isEqualTo(StepState.FAILED);
        assertThat(describeStep(emr, clusterId, stepIds.get(1)).status().state()).isEqualTo(StepState.CANCELLED);
    }

    @Test
    void terminationProtectionTurnsTerminateIntoCancelAndWait() {
        emr.setTerminationProtection(request -> request.jobFlowIds(clusterId).terminationProtected(true));
        List<String> stepIds = addSteps(fakeStep("broken", ActionOnFailure.TERMINATE_CLUSTER, "Fail"), fakeStep("next", ActionOnFailure.CONTINUE, "Succeed"));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.FAILED);
        awaitStepState(emr, clusterId, stepIds.get(1), StepState.CANCELLED);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void concurrencyLevelBoundsHowManyStepsRun() {
        emr.modifyCluster(request -> request.clusterId(clusterId).stepConcurrencyLevel(2));
        List<String> stepIds = addSteps(
                fakeStep("one", ActionOnFailure.CONTINUE, "Sleep", "60"),
                fakeStep("two", ActionOnFailure.CONTINUE, "Sleep", "60"),
                fakeStep("three", ActionOnFailure.CONTINUE, "Sleep", "60"));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.RUNNING);
        awaitStepState(emr, clusterId, stepIds.get(1), StepState.RUNNING);
        assertThat(describeStep(emr, clusterId, stepIds.get(2)).status().state()).isEqualTo(StepState.PENDING);

        assertThat(emr.modifyCluster(request -> request.clusterId(clusterId).stepConcurrencyLevel(3)).stepConcurrencyLevel()).isEqualTo(3);
        awaitStepState(emr, clusterId, stepIds.get(2), StepState.RUNNING);
        emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepIds));
        stepIds.forEach(id -> awaitStepState(emr, clusterId, id, StepState.CANCELLED));
    }

    @Test
    void concurrentClusterAcceptsOnlyContinue() {
        emr.modifyCluster(request -> request.clusterId(clusterId).stepConcurrencyLevel(2));
        assertThatThrownBy(() -> addSteps(fakeStep("risky", ActionOnFailure.TERMINATE_CLUSTER, "Succeed")))
                .isInstanceOfSatisfying(EmrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Steps.1.ActionOnFailure setting is not valid").contains("StepConcurrencyLevel 2");
                });
        assertThat(emr.listSteps(request -> request.clusterId(clusterId)).steps()).isEmpty();
        String stepId = addSteps(fakeStep("fine", ActionOnFailure.CONTINUE, "Succeed")).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
    }

    @Test
    void cancellingAPendingStepNeverRunsIt() {
        List<String> stepIds = addSteps(fakeStep("blocker", ActionOnFailure.CONTINUE, "Sleep", "60"), fakeStep("pending", ActionOnFailure.CONTINUE, "Succeed"));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.RUNNING);
        List<CancelStepsInfo> info = emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepIds.get(1))).cancelStepsInfoList();
        assertThat(info).singleElement().satisfies(entry -> assertThat(entry.statusAsString()).isEqualTo("SUBMITTED"));
        assertThat(describeStep(emr, clusterId, stepIds.get(1)).status().state()).isEqualTo(StepState.CANCELLED);
        assertThat(hearth.stepLogs(clusterId, stepIds.get(1))).doesNotExist();
        emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepIds.get(0)));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.CANCELLED);
    }

    @Test
    void terminateProcessKillsTheDriverAndDoesNotTriggerActionOnFailure() throws IOException {
        String stepId = addSteps(fakeStep("sleeper", ActionOnFailure.TERMINATE_CLUSTER, "Sleep", "60")).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.RUNNING);
        emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepId).stepCancellationOption(StepCancellationOption.TERMINATE_PROCESS));
        awaitStepState(emr, clusterId, stepId, StepState.CANCELLED);
        assertThat(Files.readString(hearth.stepLogs(clusterId, stepId).resolve("controller"))).contains("Process exited with code 137");
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void cancellingAFinishedStepFails() {
        String stepId = addSteps(fakeStep("done", ActionOnFailure.CONTINUE, "Succeed")).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        List<CancelStepsInfo> info = emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(stepId, "s-UNKNOWN")).cancelStepsInfoList();
        assertThat(info).hasSize(2);
        assertThat(info.get(0).statusAsString()).isEqualTo("FAILED");
        assertThat(info.get(0).reason()).isEqualTo("Step " + stepId + " is already COMPLETED and cannot be cancelled.");
        assertThat(info.get(1).statusAsString()).isEqualTo("FAILED");
        assertThat(info.get(1).reason()).isEqualTo("Step id 's-UNKNOWN' is not valid.");
    }

    @Test
    void argumentsReachTheDriverExactlyNeverThroughAShell(@TempDir Path scratch) throws IOException {
        Path marker = scratch.resolve("marker");
        List<String> hostile = List.of("two words", "quote\"s and 'single'", "$(touch " + marker + ")", "; touch " + marker, "`touch " + marker + "`", "*", "");
        String stepId = addSteps(fakeStep("args", ActionOnFailure.CONTINUE, "PrintArgs", hostile.toArray(String[]::new))).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        List<String> printed = Files.readAllLines(hearth.stepLogs(clusterId, stepId).resolve("stdout"));
        assertThat(printed.subList(printed.indexOf("class=PrintArgs primary=app.jar") + 1, printed.size())).containsExactlyElementsOf(hostile);
        assertThat(marker).doesNotExist();
    }

    @Test
    void stepPropertiesReachTheDriverAsJavaSystemProperties() throws IOException {
        StepConfig step = StepConfig.builder().name("props").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                        .args("spark-submit", "--class", "Succeed", "app.jar")
                        .properties(KeyValue.builder().key("color").value("deep blue").build()).build())
                .build();
        String stepId = addSteps(step).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(Files.readString(hearth.stepLogs(clusterId, stepId).resolve("stdout"))).contains("option --driver-java-options \"-Dcolor=deep blue\"");
        assertThat(describeStep(emr, clusterId, stepId).config().properties()).containsEntry("color", "deep blue");
    }

    @Test
    void scriptRunnerRunsAScriptWithItsArguments(@TempDir Path scratch) throws IOException {
        Path script = scratch.resolve("greet.sh");
        Files.writeString(script, "#!/bin/sh\necho \"hello $1 from $HEARTH_STEP_ID\"\n");
        StepConfig step = StepConfig.builder().name("script").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder()
                        .jar("s3://us-east-1.elasticmapreduce/libs/script-runner/script-runner.jar")
                        .args(script.toString(), "world").build())
                .build();
        String stepId = addSteps(step).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(Files.readString(hearth.stepLogs(clusterId, stepId).resolve("stdout"))).isEqualTo("hello world from " + stepId + "\n");
    }

    @Test
    void commandRunnerRunsOtherProgramsFromPath(@TempDir Path scratch) throws IOException {
        Path program = scratch.resolve("count-args");
        Files.writeString(program, "#!/bin/sh\necho \"$# arguments\"\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        StepConfig step = StepConfig.builder().name("program").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(program.toString(), "a b", "c").build())
                .build();
        String stepId = addSteps(step).get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(Files.readString(hearth.stepLogs(clusterId, stepId).resolve("stdout"))).isEqualTo("2 arguments\n");
    }

    @Test
    void aStepThatCannotStartFailsWithTheReason() {
        StepConfig step = StepConfig.builder().name("missing jar").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("/nowhere/app.jar").mainClass("Main").build())
                .build();
        String stepId = addSteps(step).get(0);
        Step failed = awaitStepState(emr, clusterId, stepId, StepState.FAILED);
        assertThat(failed.status().failureDetails().reason()).isEqualTo("Jar /nowhere/app.jar does not exist (looked for /nowhere/app.jar)");
        assertThat(failed.status().failureDetails().logFile()).endsWith("/controller");
    }

    @Test
    void unfinishedStepsAreCappedPerCluster() {
        String blocker = addSteps(fakeStep("blocker", ActionOnFailure.CONTINUE, "Sleep", "60")).get(0);
        StepConfig[] many = new StepConfig[19];
        for (int i = 0; i < many.length; i++) {
            many[i] = fakeStep("queued " + i, ActionOnFailure.CONTINUE, "Succeed");
        }
        addSteps(many);
        assertThatThrownBy(() -> addSteps(fakeStep("one too many", ActionOnFailure.CONTINUE, "Succeed")))
                .isInstanceOfSatisfying(EmrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("exceed the limit of 20").contains(StepsConfig.MAX_UNFINISHED_PER_CLUSTER.key());
                });
        assertThat(emr.listSteps(request -> request.clusterId(clusterId)).steps()).hasSize(20);
        emr.cancelSteps(request -> request.clusterId(clusterId).stepIds(blocker));
    }

    @Test
    void stepsAddedToATerminatedClusterAreRefused() {
        emr.terminateJobFlows(request -> request.jobFlowIds(clusterId));
        hearth.waiter().waitUntilClusterTerminated(request -> request.clusterId(clusterId));
        assertThatThrownBy(() -> addSteps(fakeStep("late", ActionOnFailure.CONTINUE, "Succeed")))
                .isInstanceOfSatisfying(EmrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("A job flow that is shutting down, terminated, or finished may not be modified.");
                });
    }

    @Test
    void restartInterruptsRunningStepsAndGoesOnWithPendingOnes() {
        List<String> stepIds = addSteps(fakeStep("running", ActionOnFailure.CONTINUE, "Sleep", "60"), fakeStep("pending", ActionOnFailure.CONTINUE, "Succeed"));
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.RUNNING);

        hearth.restart();
        emr = hearth.emr();

        Step interrupted = awaitStepState(emr, clusterId, stepIds.get(0), StepState.INTERRUPTED);
        assertThat(interrupted.status().stateChangeReason().message()).isEqualTo("Interrupted: Hearth was stopped while the step was running");
        awaitStepState(emr, clusterId, stepIds.get(1), StepState.COMPLETED);
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void transientClusterWithAFailedContinueStepStillEndsNormally() {
        String transientId = createCluster(emr, cluster("transient", 1, false,
                builder -> builder.steps(fakeStep("broken", ActionOnFailure.CONTINUE, "Fail"), fakeStep("fine", ActionOnFailure.CONTINUE, "Succeed"))));
        assertThat(awaitClusterState(emr, transientId, ClusterState.TERMINATED, ClusterState.TERMINATED_WITH_ERRORS)).isEqualTo(ClusterState.TERMINATED);
    }

    @Test
    void logsGoUnderTheClustersLogUriAndAStepsOwnLogUri() throws IOException {
        Path clusterLogs = hearth.dataDirectory().resolve("cluster-logs");
        String logUri = clusterLogs.toUri().toString();
        String logged = createCluster(emr, singleInstanceCluster("logged").toBuilder().logUri(logUri).build());
        String failing = emr.addJobFlowSteps(request -> request.jobFlowId(logged).steps(fakeStep("broken", ActionOnFailure.CONTINUE, "Fail"))).stepIds().get(0);
        Step failed = awaitStepState(emr, logged, failing, StepState.FAILED);
        assertThat(clusterLogs.resolve(logged).resolve("steps").resolve(failing).resolve("stderr")).exists();
        assertThat(failed.status().failureDetails().logFile())
                .isEqualTo(logUri + "/" + logged + "/steps/" + failing + "/stderr");

        Path stepLogs = hearth.dataDirectory().resolve("step-logs");
        // StepMonitoringConfiguration is newer than the SDK version used here, so this call is made raw.
        String stepId = hearth.callEmr("AddJobFlowSteps", "{\"JobFlowId\": \"" + logged + "\", \"Steps\": [{\"Name\": \"own logs\", "
                + "\"ActionOnFailure\": \"CONTINUE\", \"HadoopJarStep\": {\"Jar\": \"command-runner.jar\", "
                + "\"Args\": [\"spark-submit\", \"--class\", \"Succeed\", \"app.jar\"]}, "
                + "\"StepMonitoringConfiguration\": {\"S3MonitoringConfiguration\": {\"LogUri\": \"" + stepLogs + "\"}}}]}")
                .path("StepIds").get(0).asText();
        awaitStepState(emr, logged, stepId, StepState.COMPLETED);
        assertThat(hearth.callEmr("DescribeStep", "{\"ClusterId\": \"" + logged + "\", \"StepId\": \"" + stepId + "\"}")
                .path("Step").path("LogUri").asText()).isEqualTo(stepLogs.toString());
        assertThat(Files.readString(stepLogs.resolve(logged).resolve("steps").resolve(stepId).resolve("stdout"))).contains("succeeded");
        assertThat(hearth.dataDirectory().resolve("logs").resolve(logged).resolve("steps").resolve(stepId)).doesNotExist();
    }

    @Test
    void s3LogUriMapsToTheLocalObjectStore() {
        hearth.s3().createBucket(r -> r.bucket("my-bucket"));
        String logged = createCluster(emr, singleInstanceCluster("s3 logs").toBuilder().logUri("s3://my-bucket/emr-logs/").build());
        String stepId = emr.addJobFlowSteps(request -> request.jobFlowId(logged).steps(fakeStep("broken", ActionOnFailure.CONTINUE, "Fail"))).stepIds().get(0);
        Step failed = awaitStepState(emr, logged, stepId, StepState.FAILED);
        assertThat(failed.status().failureDetails().logFile()).isEqualTo("s3://my-bucket/emr-logs/" + logged + "/steps/" + stepId + "/stderr");
        assertThat(hearth.dataDirectory().resolve("s3/my-bucket/emr-logs").resolve(logged).resolve("steps").resolve(stepId).resolve("stderr")).exists();
    }
}
