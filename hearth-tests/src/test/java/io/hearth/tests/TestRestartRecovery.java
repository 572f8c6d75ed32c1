package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * Hearth killed with kill -9 and started again: live drivers and Spark daemons are adopted,
 * drivers that ended meanwhile are settled from the exit code they recorded, pending steps go on,
 * and no step runs twice. And SIGTERM stops every process Hearth started.
 */
class TestRestartRecovery {
    private Path dataDirectory;
    private int port;

    @BeforeEach
    void prepare() throws IOException {
        dataDirectory = Files.createTempDirectory("hearth-restart-").resolve("data");
        port = HearthProcess.freePort();
    }

    @AfterEach
    void cleanUp() {
        for (ProcessHandle leftover : Distribution.processesMentioning(dataDirectory.toString())) {
            leftover.destroyForcibly();
        }
        TestingHearth.deleteRecursively(dataDirectory.getParent());
    }

    private HearthProcess startHearth() {
        return HearthProcess.start(dataDirectory, port, Map.of("housekeeping.interval", "500ms"));
    }

    @Test
    void afterKill9EveryStepIsSettledAndNoneRunsTwice() throws Exception {
        HearthProcess first = startHearth();
        EmrClient emr = first.emr();
        String jar = Distribution.examplesJar();
        Path release = dataDirectory.resolveSibling("release");
        Files.createDirectories(release);
        Path waitScript = dataDirectory.resolveSibling("wait-for-file.sh");
        Files.writeString(waitScript, "#!/bin/sh\necho \"waiting for $1\"\nwhile [ ! -e \"$1\" ]; do sleep 0.2; done\necho done\n");
        // 1. a Spark driver that outlives the crash, with a pending step behind it
        String adoptedCluster = createCluster(emr, singleInstanceCluster("adopted"));
        List<String> adoptedSteps = emr.addJobFlowSteps(r -> r.jobFlowId(adoptedCluster).steps(
                sparkStep("long", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.WaitForFile", jar, release.resolve("adopted").toString()),
                sparkStep("pending", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.NoOp", jar))).stepIds();
        // 2. a standalone cluster whose daemons and driver outlive the crash
        String standaloneCluster = createCluster(emr, cluster("standalone", 3, true, builder -> builder));
        // 3. a driver that finishes while Hearth is down
        String finishedCluster = createCluster(emr, singleInstanceCluster("finished meanwhile"));
        String finishedStep = emr.addJobFlowSteps(r -> r.jobFlowId(finishedCluster).steps(
                scriptStep("short", waitScript, release.resolve("finished").toString()))).stepIds().get(0);
        // 4. a driver killed (with its wrapper) while Hearth is down
        String killedCluster = createCluster(emr, singleInstanceCluster("killed meanwhile"));
        String killedStep = emr.addJobFlowSteps(r -> r.jobFlowId(killedCluster).steps(
                scriptStep("doomed", waitScript, release.resolve("never").toString()))).stepIds().get(0);

        awaitClusterState(emr, standaloneCluster, ClusterState.WAITING);
        String standaloneStep = emr.addJobFlowSteps(r -> r.jobFlowId(standaloneCluster).steps(
                sparkStep("long", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.WaitForFile", jar, release.resolve("standalone").toString()))).stepIds().get(0);
        for (String[] step : List.of(new String[] {adoptedCluster, adoptedSteps.get(0)}, new String[] {standaloneCluster, standaloneStep})) {
            awaitStepState(emr, step[0], step[1], StepState.RUNNING);
            await().atMost(Duration.ofMinutes(2)).until(() -> stdout(step[0], step[1]).contains("waiting for"));
        }
        for (String[] step : List.of(new String[] {finishedCluster, finishedStep}, new String[] {killedCluster, killedStep})) {
            awaitStepState(emr, step[0], step[1], StepState.RUNNING);
            await().atMost(Duration.ofMinutes(1)).until(() -> stdout(step[0], step[1]).contains("waiting for"));
        }

        first.kill();
        long adoptedDriver = processId(adoptedCluster, adoptedSteps.get(0));
        long finishedDriver = processId(finishedCluster, finishedStep);
        long killedDriver = processId(killedCluster, killedStep);
        assertThat(ProcessHandle.of(adoptedDriver)).as("drivers survive Hearth").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        Files.createFile(release.resolve("finished"));
        await().atMost(Duration.ofMinutes(1)).until(() -> ProcessHandle.of(finishedDriver).map(p -> !p.isAlive()).orElse(true));
        new ProcessBuilder("kill", "-KILL", "--", "-" + killedDriver).start().waitFor();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(killedDriver).map(p -> !p.isAlive()).orElse(true));

        try (HearthProcess second = startHearth()) {
            EmrClient again = second.emr();
            awaitStepState(again, finishedCluster, finishedStep, StepState.COMPLETED);
            assertThat(controller(finishedCluster, finishedStep)).contains("Hearth restarted; the driver ended while Hearth was not running");
            Step killed = awaitStepState(again, killedCluster, killedStep, StepState.INTERRUPTED);
            assertThat(killed.status().stateChangeReason().message())
                    .isEqualTo("The step's driver ended while Hearth was not running, without recording an exit code");

            await().atMost(Duration.ofMinutes(1)).until(() -> controller(adoptedCluster, adoptedSteps.get(0)).contains("watched again"));
            assertThat(describeState(again, adoptedCluster, adoptedSteps.get(0))).isEqualTo(StepState.RUNNING);
            assertThat(describeState(again, adoptedCluster, adoptedSteps.get(1))).as("waits its turn").isEqualTo(StepState.PENDING);
            Files.createFile(release.resolve("adopted"));
            Files.createFile(release.resolve("standalone"));
            awaitStepState(again, adoptedCluster, adoptedSteps.get(0), StepState.COMPLETED);
            awaitStepState(again, adoptedCluster, adoptedSteps.get(1), StepState.COMPLETED);
            assertThat(controller(adoptedCluster, adoptedSteps.get(0)))
                    .contains("Hearth restarted; the driver (process " + adoptedDriver + ") is still running and is watched again")
                    .contains("Process exited with code 0");
            awaitStepState(again, standaloneCluster, standaloneStep, StepState.COMPLETED);
            assertThat(Distribution.read(dataDirectory.resolve("logs").resolve(standaloneCluster).resolve("cluster.log")))
                    .containsPattern("the Spark master \\(process \\d+\\) is still running and is watched again");

            for (String[] step : List.of(new String[] {adoptedCluster, adoptedSteps.get(0)}, new String[] {adoptedCluster, adoptedSteps.get(1)},
                    new String[] {standaloneCluster, standaloneStep}, new String[] {finishedCluster, finishedStep}, new String[] {killedCluster, killedStep})) {
                assertThat(Pattern.compile("Process id \\d+").matcher(controller(step[0], step[1])).results().count())
                        .as("step %s started exactly once", step[1]).isEqualTo(1);
            }
            for (String clusterId : List.of(adoptedCluster, standaloneCluster, finishedCluster, killedCluster)) {
                assertThat(awaitClusterState(again, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
            }
        }
        assertThat(Distribution.processesMentioning(dataDirectory.toString())).as("nothing left after SIGTERM").isEmpty();
    }

    private static StepConfig scriptStep(String name, Path script, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(script.toString()));
        all.addAll(List.of(args));
        return StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("script-runner.jar").args(all).build()).build();
    }

    private static StepState describeState(EmrClient emr, String clusterId, String stepId) {
        return emr.describeStep(r -> r.clusterId(clusterId).stepId(stepId)).step().status().state();
    }

    @Test
    void sigtermStopsEveryProcessAndTheClustersComeBack() throws Exception {
        String clusterId;
        String interruptedStep;
        try (HearthProcess first = startHearth()) {
            EmrClient emr = first.emr();
            clusterId = createCluster(emr, cluster("survivor", 3, true, builder -> builder));
            awaitClusterState(emr, clusterId, ClusterState.WAITING);
            interruptedStep = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("long", ActionOnFailure.CONTINUE,
                    "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "300", "2"))).stepIds().get(0);
            awaitStepState(emr, clusterId, interruptedStep, StepState.RUNNING);
            await().atMost(Duration.ofMinutes(2)).until(() -> controller(clusterId, interruptedStep).contains("Spark application id"));
            assertThat(Distribution.processesMentioning(dataDirectory.toString())).isNotEmpty();

            first.stop();
            assertThat(Distribution.processesMentioning(dataDirectory.toString())).as("no orphans after SIGTERM").isEmpty();
        }

        try (HearthProcess second = startHearth()) {
            EmrClient emr = second.emr();
            Step interrupted = awaitStepState(emr, clusterId, interruptedStep, StepState.INTERRUPTED);
            assertThat(interrupted.status().stateChangeReason().message()).isEqualTo("Interrupted: Hearth was stopped while the step was running");
            awaitClusterState(emr, clusterId, ClusterState.WAITING);
            String next = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("after restart", ActionOnFailure.CONTINUE,
                    "io.hearth.spark.examples.NoOp", Distribution.examplesJar()))).stepIds().get(0);
            awaitStepState(emr, clusterId, next, StepState.COMPLETED);
            assertThat(Distribution.read(dataDirectory.resolve("logs").resolve(clusterId).resolve("cluster.log")))
                    .contains("Hearth restarted and the Spark master is not running; starting the cluster's Spark daemons again");
        }
        assertThat(Distribution.processesMentioning(dataDirectory.toString())).isEmpty();
    }

    private String stdout(String clusterId, String stepId) throws IOException {
        Path file = dataDirectory.resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve("stdout");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private String controller(String clusterId, String stepId) throws IOException {
        Path file = dataDirectory.resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve("controller");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private long processId(String clusterId, String stepId) throws IOException {
        Matcher matcher = Pattern.compile("Process id (\\d+)").matcher(controller(clusterId, stepId));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
