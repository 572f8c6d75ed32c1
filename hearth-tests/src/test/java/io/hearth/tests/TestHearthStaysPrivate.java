package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.testing.ListeningSockets;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * A real Hearth (bin/hearth up) with its catalog, its SQL engine, a 1 master + 2 core cluster and a Spark step
 * whose executors are running: nothing it started listens outside the loopback address, and
 * nobody but its owner can read what it keeps.
 */
class TestHearthStaysPrivate {
    private static Path dataDirectory;
    private static HearthProcess hearth;
    private static EmrClient emr;
    private static String clusterId;
    private static String stepId;

    @BeforeAll
    static void start() throws IOException {
        dataDirectory = Files.createTempDirectory("hearth-private-").resolve("data");
        hearth = HearthProcess.start(dataDirectory, HearthProcess.freePort(), Map.of("housekeeping.interval", "500ms",
                "sql.start-with-hearth", "true"));
        emr = hearth.emr();
        clusterId = createCluster(emr, cluster("private", 3, true, builder -> builder));
        stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("busy", ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "600", "2"))).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.RUNNING);
        Path controller = dataDirectory.resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve("controller");
        String applicationId = await().atMost(Duration.ofMinutes(3)).until(() -> applicationId(controller), id -> id != null);
        // The step's executors are up: every kind of process Hearth's clusters run is listening now.
        await().atMost(Duration.ofMinutes(3)).until(() -> executors(applicationId), count -> count >= 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (hearth != null) {
                emr.terminateJobFlows(r -> r.jobFlowIds(clusterId));
                awaitClusterState(emr, clusterId, ClusterState.TERMINATED);
                hearth.stop();
            }
        } finally {
            for (ProcessHandle leftover : Distribution.processesMentioning(dataDirectory.toString())) {
                leftover.destroyForcibly();
            }
            TestingHearth.deleteRecursively(dataDirectory.getParent());
        }
    }

    @Test
    void everyProcessListensOnLoopbackOnly() {
        // Once every kind of process listens: the API, the metastore, the SQL engine (control API, JDBC binary and HTTP),
        // the Spark daemons, the driver and its executors.
        List<ListeningSockets.Socket> sockets = await().atMost(Duration.ofMinutes(2)).until(
                () -> ListeningSockets.heldBy(ProcessHandle.of(hearth.pid()).orElseThrow()),
                listed -> listed.stream().map(socket -> kind(socket.commandLine())).toList()
                        .containsAll(List.of("Hearth", "metastore", "SQL engine", "Spark master", "Spark worker", "driver", "executor")));

        assertThat(sockets).allSatisfy(socket -> assertThat(socket.isLoopback()).as(socket.toString()).isTrue());
    }

    @Test
    void theDataDirectoryAndEverythingInItAreTheOwnersAlone() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDirectory))).isEqualTo("rwx------");
        List<String> open;
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            open = paths.filter(path -> !path.equals(dataDirectory.resolve("run/hearth-exec")))
                    .filter(TestHearthStaysPrivate::readableOrWritableByOthers)
                    .map(path -> dataDirectory.relativize(path) + " " + permissions(path))
                    .toList();
        }
        // run/hearth-exec is a copy of a public script, installed rwxr-xr-x; the folder around it keeps others out.
        assertThat(open).as("files and folders that group or others may read or write").isEmpty();
        assertThat(dataDirectory.resolve("db")).isDirectory();
        assertThat(dataDirectory.resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve("controller")).isRegularFile();
    }

    private static boolean readableOrWritableByOthers(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            // Removed while walking (Spark's scratch files come and go).
            return false;
        }
    }

    private static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return "gone";
        }
    }

    private static String kind(String commandLine) {
        // In order: the SQL engine is a spark-submit driver too.
        List<Map.Entry<String, String>> kinds = List.of(
                Map.entry("io.hearth.cli.HearthCli", "Hearth"),
                Map.entry("io.hearth.spark.sql.SqlEngineMain", "SQL engine"),
                Map.entry("metastore-log4j2.properties", "metastore"),
                Map.entry("org.apache.spark.deploy.master.Master", "Spark master"),
                Map.entry("org.apache.spark.deploy.worker.Worker", "Spark worker"),
                Map.entry("org.apache.spark.deploy.SparkSubmit", "driver"),
                Map.entry("CoarseGrainedExecutorBackend", "executor"));
        return kinds.stream().filter(entry -> commandLine.contains(entry.getKey())).map(Map.Entry::getValue).findFirst().orElse(commandLine);
    }

    private static int executors(String applicationId) {
        return (int) Distribution.processesMentioning(applicationId).stream()
                .filter(process -> process.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .count();
    }

    private static String applicationId(Path controller) {
        if (!Files.exists(controller)) {
            return null;
        }
        Matcher matcher = Pattern.compile("Spark application id: (app-\\S+)").matcher(Distribution.read(controller));
        return matcher.find() ? matcher.group(1) : null;
    }
}
