package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.client.HearthClient;
import io.hearth.client.Specs;
import io.hearth.client.SweepStatus;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.glue.model.TableVersion;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The crash harness: the real server, killed the hard way at chosen points of its work (just
 * after it answered, between recording a step and launching its driver, after the launch, during
 * bootstrap actions, during a sweep), over many iterations, then started again. Every piece of
 * work writes a line to a ledger when it runs; the harness counts what was answered but lost and
 * what ran more than once. Both must be zero.
 */
class TestCrashSafety {
    private static final Duration CRASH_TIMEOUT = Duration.ofMinutes(2);
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIACRASHTEST", "secret"));
    private static final Pattern DRIVER_PID = Pattern.compile("(?:Process id |driver \\(process )(\\d+)");

    private Path root;
    private Path dataDirectory;
    private Path ledger;
    private int port;
    private final Map<String, String> settings = new LinkedHashMap<>(Map.of("housekeeping.interval", "300ms", "catalog.enabled", "false"));
    private HearthProcess hearth;

    @BeforeEach
    void prepare() throws IOException {
        root = Files.createTempDirectory("hearth-crash-");
        dataDirectory = root.resolve("data");
        ledger = root.resolve("ledger");
        Files.createFile(ledger);
        port = HearthProcess.freePort();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (hearth != null) {
            hearth.close();
        }
        for (ProcessHandle leftover : Distribution.processesMentioning(dataDirectory.toString())) {
            leftover.destroyForcibly();
        }
        TestingHearth.deleteRecursively(root);
    }

    @Test
    void whatHearthAnsweredSurvivesAKill9RightAfterTheAnswer() throws Exception {
        assertAnsweredWorkSurvivesKills(8);
    }

    @Test
    void whatHearthAnsweredSurvivesAKill9OnPostgres() throws Exception {
        try (TestingPostgres postgres = TestingPostgres.create()) {
            settings.put("database.url", postgres.jdbcUrl());
            assertAnsweredWorkSurvivesKills(4);
        }
    }

    /**
     * Each round creates a cluster with steps (and adds one more to it in every other round), gets
     * the answers, and kills Hearth up to 300 ms later; the next round starts on the same data.
     */
    private void assertAnsweredWorkSurvivesKills(int rounds) throws Exception {
        Random random = new Random(20261202);
        Map<String, List<String>> answered = new LinkedHashMap<>();
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            hearth = start(Map.of());
            EmrClient emr = hearth.emr();
            for (Map.Entry<String, List<String>> earlier : answered.entrySet()) {
                if (!exists(emr, earlier.getKey())) {
                    lost.add(earlier.getKey());
                }
            }
            String clusterId = createCluster(emr, cluster("round " + round, 1, true, builder -> builder.steps(ledgerStep("a", 0.2), ledgerStep("b", 0.2))));
            List<String> stepIds = new ArrayList<>(emr.listSteps(r -> r.clusterId(clusterId)).steps().stream().map(StepSummary::id).toList());
            if (round % 2 == 1) {
                stepIds.addAll(emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(ledgerStep("c", 0.2))).stepIds());
            }
            answered.put(clusterId, stepIds);
            Thread.sleep(random.nextInt(300));
            hearth.kill();
        }
        hearth = start(Map.of());
        EmrClient emr = hearth.emr();
        for (Map.Entry<String, List<String>> cluster : answered.entrySet()) {
            if (!exists(emr, cluster.getKey())) {
                lost.add(cluster.getKey());
                continue;
            }
            for (String stepId : cluster.getValue()) {
                awaitStepState(emr, cluster.getKey(), stepId, StepState.COMPLETED);
            }
        }
        assertThat(lost).as("answered clusters lost").isEmpty();
        assertEveryStepRanOnce(answered);
    }

    @Test
    void aStepStopsBeingPendingOnceAndItsDriverStartsOnce() throws Exception {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        // Between the step recorded as RUNNING and its driver started; after the start, before the process is recorded;
        // after steps were added and before they were scheduled. Twice each, each time on a new cluster.
        for (String point : List.of("step.before-launch", "step.after-launch", "steps.after-add")) {
            for (int round = 0; round < 2; round++) {
                hearth = start(Map.of(CrashPoints.VARIABLE, point));
                String clusterId = createCluster(hearth.emr(), cluster(point + " " + round, 1, true, builder -> builder));
                awaitClusterState(hearth.emr(), clusterId, ClusterState.WAITING);
                List<String> stepIds = new ArrayList<>();
                try {
                    stepIds.addAll(hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(ledgerStep("x", 1.5), ledgerStep("y", 0.2))).stepIds());
                } catch (RuntimeException unanswered) {
                    // steps.after-add crashes before the answer: the steps may or may not exist, but never twice.
                }
                assertThat(hearth.awaitExit(CRASH_TIMEOUT)).as("Hearth halted at " + point).isEqualTo(CrashPoints.EXIT_STATUS);

                hearth = start(Map.of());
                if (stepIds.isEmpty()) {
                    // ListSteps answers newest first.
                    hearth.emr().listSteps(r -> r.clusterId(clusterId)).steps().forEach(step -> stepIds.add(0, step.id()));
                    assertThat(stepIds).as("steps committed before the crash at " + point).hasSize(2);
                }
                for (String stepId : stepIds) {
                    awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED);
                }
                steps.put(clusterId, stepIds);
                hearth.stop();
            }
        }
        assertEveryStepRanOnce(steps);
        String relaunched = controller(steps.keySet().iterator().next(), steps.values().iterator().next().get(0));
        assertThat(relaunched).contains("Hearth stopped before the step's driver started; the step is pending again and starts once");
    }

    @Test
    void aSparkDriverStartedJustBeforeTheCrashIsAdoptedNotStartedAgain() throws Exception {
        hearth = start(Map.of(CrashPoints.VARIABLE, "step.after-launch"));
        String clusterId = createCluster(hearth.emr(), cluster("spark", 1, true, builder -> builder));
        awaitClusterState(hearth.emr(), clusterId, ClusterState.WAITING);
        Path release = root.resolve("release");
        String stepId = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(StepConfig.builder().name("driver")
                .actionOnFailure(ActionOnFailure.CONTINUE).hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                        .args("spark-submit", "--class", "io.hearth.spark.examples.WaitForFile", Distribution.examplesJar(), release.toString()).build())
                .build())).stepIds().get(0);
        assertThat(hearth.awaitExit(CRASH_TIMEOUT)).isEqualTo(CrashPoints.EXIT_STATUS);

        hearth = start(Map.of());
        await().atMost(Duration.ofMinutes(2)).until(() -> controller(clusterId, stepId).contains("is still running and is watched again"));
        await().atMost(Duration.ofMinutes(2)).until(() -> stepFile(clusterId, stepId, "stdout").contains("waiting for"));
        Files.createFile(release);
        awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED);
        assertThat(driverPids(controller(clusterId, stepId))).as("one driver, adopted").hasSize(1);
        assertThat(Pattern.compile("waiting for").matcher(stepFile(clusterId, stepId, "stdout")).results().count()).as("the driver ran once").isEqualTo(1);
    }

    @Test
    void bootstrapActionsInterruptedByACrashRunOncePerInstance() throws Exception {
        List<BootstrapActionConfig> actions = List.of(ledgerAction(1, 1.0), ledgerAction(2, 0.5));
        // A crash point just after an action started, on one instance and on three (a master and two cores) ...
        Map<String, Integer> clusters = new LinkedHashMap<>();
        for (int[] shape : new int[][] {{1, 1}, {1, 2}, {3, 2}}) {
            hearth = start(Map.of(CrashPoints.VARIABLE, "bootstrap.after-launch:" + shape[1]));
            String clusterId = createCluster(hearth.emr(), cluster("bootstrap " + shape[0], shape[0], true, builder -> builder.bootstrapActions(actions)));
            clusters.put(clusterId, shape[0]);
            assertThat(hearth.awaitExit(CRASH_TIMEOUT)).isEqualTo(CrashPoints.EXIT_STATUS);
            hearth = start(Map.of());
            assertThat(awaitClusterState(hearth.emr(), clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
            hearth.stop();
        }
        // ... and a kill -9 from outside while the first action runs (until it is released, after the restart).
        hearth = start(Map.of());
        Path release = root.resolve("release-bootstrap");
        Path waiting = root.resolve("bootstrap-waits.sh");
        Files.writeString(waiting, "#!/bin/sh\necho \"boot 1 $HEARTH_CLUSTER_ID $HEARTH_INSTANCE_ID\" >> '" + ledger + "'\n"
                + "while [ ! -e '" + release + "' ]; do sleep 0.2; done\n");
        List<BootstrapActionConfig> held = List.of(BootstrapActionConfig.builder().name("held").scriptBootstrapAction(a -> a.path(waiting.toString())).build(),
                ledgerAction(2, 0.5));
        String killedDuring = createCluster(hearth.emr(), cluster("bootstrap killed", 1, true, builder -> builder.bootstrapActions(held)));
        clusters.put(killedDuring, 1);
        await().atMost(Duration.ofMinutes(1)).until(() -> Distribution.read(ledger).contains("boot 1 " + killedDuring));
        hearth.kill();
        hearth = start(Map.of());
        Path clusterLog = dataDirectory.resolve("logs").resolve(killedDuring).resolve("cluster.log");
        await().atMost(Duration.ofMinutes(1)).until(() -> Distribution.read(clusterLog).contains("is still running from before Hearth restarted"));
        Files.createFile(release);
        assertThat(awaitClusterState(hearth.emr(), killedDuring, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);

        List<String> lines = Distribution.lines(ledger);
        for (Map.Entry<String, Integer> cluster : clusters.entrySet()) {
            for (int action = 1; action <= 2; action++) {
                String prefix = "boot " + action + " " + cluster.getKey() + " ";
                List<String> runs = lines.stream().filter(line -> line.startsWith(prefix)).toList();
                assertThat(runs).as("action %d of %s: once on each of its %d instance(s)", action, cluster.getKey(), cluster.getValue())
                        .hasSize(cluster.getValue()).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void aSweepRunsEachTaskOnceThroughCrashes() throws Exception {
        // Halted just after the third task's step was added (when one of the first two ended), then killed from outside while a task trains.
        hearth = start(Map.of(CrashPoints.VARIABLE, "sweep.after-task-step:3"));
        String clusterId = createCluster(hearth.emr(), cluster("sweeps", 1, true, builder -> builder.stepConcurrencyLevel(2)));
        awaitClusterState(hearth.emr(), clusterId, ClusterState.WAITING);
        SweepStatus submitted = HearthClient.connect(hearth.endpoint()).submitSweep(clusterId, Specs.parse(sweepSpec()));
        String sweepId = submitted.sweepId();
        assertThat(hearth.awaitExit(CRASH_TIMEOUT)).isEqualTo(CrashPoints.EXIT_STATUS);
        hearth = start(Map.of());
        await().atMost(Duration.ofMinutes(3)).until(() -> sweepSteps(clusterId, sweepId).stream().anyMatch(step -> step.status().state() == StepState.RUNNING));
        hearth.kill();
        hearth = start(Map.of());
        SweepStatus ended = HearthClient.connect(hearth.endpoint()).awaitSweep(sweepId, Duration.ofMinutes(6), status -> {});

        assertThat(ended.state()).isEqualTo("COMPLETED");
        List<StepSummary> steps = sweepSteps(clusterId, sweepId);
        assertThat(steps).extracting(StepSummary::name).as("one step per task")
                .containsExactlyInAnyOrder("sweep " + sweepId + " t-001", "sweep " + sweepId + " t-002", "sweep " + sweepId + " t-003");
        for (StepSummary step : steps) {
            assertThat(step.status().state()).isEqualTo(StepState.COMPLETED);
            assertThat(driverPids(controller(clusterId, step.id()))).as("step %s had one driver", step.name()).hasSize(1);
        }
    }

    @Test
    void catalogWritesSurviveAKill9RightAfterTheAnswer() throws Exception {
        settings.put("catalog.enabled", "true");
        hearth = start(Map.of());
        try (S3Client s3 = S3Client.builder().endpointOverride(hearth.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build()) {
            s3.createBucket(r -> r.bucket("lake"));
        }
        GlueClient glue = glue();
        glue.createDatabase(r -> r.databaseInput(d -> d.name("crash")));
        List<String> columns = new ArrayList<>();
        for (int version = 1; version <= 3; version++) {
            columns.add("c" + version);
            TableInput table = TableInput.builder().name("events").tableType("EXTERNAL_TABLE")
                    .storageDescriptor(sd -> sd.location("s3://lake/events/").columns(columns.stream().map(name -> Column.builder().name(name).type("string").build()).toList()))
                    .build();
            if (version == 1) {
                glue.createTable(r -> r.databaseName("crash").tableInput(table));
            } else {
                glue.updateTable(r -> r.databaseName("crash").tableInput(table));
            }
        }
        glue.close();
        hearth.kill();

        hearth = start(Map.of());
        try (GlueClient again = glue()) {
            assertThat(again.getTable(r -> r.databaseName("crash").name("events")).table().storageDescriptor().columns())
                    .extracting(Column::name).containsExactly("c1", "c2", "c3");
            assertThat(again.getTableVersions(r -> r.databaseName("crash").tableName("events")).tableVersions())
                    .extracting(TableVersion::versionId).containsExactlyInAnyOrder("1", "2", "3");
        }
    }

    // ---------------------------------------------------------------- work that leaves a line in the ledger when it runs

    private StepConfig ledgerStep(String name, double seconds) {
        return StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                        .args("bash", "-c", "echo \"start $HEARTH_STEP_ID\" >> '" + ledger + "'; sleep " + seconds).build())
                .build();
    }

    private BootstrapActionConfig ledgerAction(int number, double seconds) throws IOException {
        Path script = root.resolve("bootstrap-" + number + "-" + seconds + ".sh");
        Files.writeString(script, "#!/bin/sh\necho \"boot " + number + " $HEARTH_CLUSTER_ID $HEARTH_INSTANCE_ID\" >> '" + ledger + "'\nsleep " + seconds + "\n");
        return BootstrapActionConfig.builder().name("ledger " + number).scriptBootstrapAction(a -> a.path(script.toString())).build();
    }

    private static String sweepSpec() {
        return """
                {"name": "crash", "maxParallel": 2, "isolation": "process",
                 "base": {"input": {"path": "%s", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                          "label": {"column": "species"}, "split": {"train": 0.6, "validation": 0.0, "test": 0.4}},
                 "grid": [{"model": "logistic_regression", "params": {"maxIter": [10, 20]}},
                          {"model": "decision_tree", "params": {"maxDepth": [3]}}]}
                """.formatted(Distribution.irisCsv());
    }

    // ---------------------------------------------------------------- counting

    private void assertEveryStepRanOnce(Map<String, List<String>> stepsByCluster) {
        List<String> lines = Distribution.lines(ledger);
        List<String> duplicated = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> cluster : stepsByCluster.entrySet()) {
            for (String stepId : cluster.getValue()) {
                long runs = lines.stream().filter(line -> line.equals("start " + stepId)).count();
                if (runs == 0) {
                    missing.add(stepId);
                } else if (runs > 1 || driverPids(controller(cluster.getKey(), stepId)).size() > 1) {
                    duplicated.add(stepId);
                }
            }
        }
        assertThat(missing).as("steps that never ran").isEmpty();
        assertThat(duplicated).as("steps that ran more than once").isEmpty();
    }

    private static Set<String> driverPids(String controller) {
        Set<String> pids = new TreeSet<>();
        Matcher matcher = DRIVER_PID.matcher(controller);
        while (matcher.find()) {
            pids.add(matcher.group(1));
        }
        return pids;
    }

    private String controller(String clusterId, String stepId) {
        return stepFile(clusterId, stepId, "controller");
    }

    private String stepFile(String clusterId, String stepId, String name) {
        Path file = dataDirectory.resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve(name);
        return Files.exists(file) ? Distribution.read(file) : "";
    }

    private List<StepSummary> sweepSteps(String clusterId, String sweepId) {
        return hearth.emr().listSteps(r -> r.clusterId(clusterId)).steps().stream().filter(step -> step.name().startsWith("sweep " + sweepId + " ")).toList();
    }

    private static boolean exists(EmrClient emr, String clusterId) {
        try {
            emr.describeCluster(r -> r.clusterId(clusterId));
            return true;
        } catch (software.amazon.awssdk.services.emr.model.InvalidRequestException e) {
            return false;
        }
    }

    private HearthProcess start(Map<String, String> environment) {
        return HearthProcess.start(dataDirectory, port, settings, environment);
    }

    private GlueClient glue() {
        return GlueClient.builder().endpointOverride(hearth.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
