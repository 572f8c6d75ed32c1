package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.Instance;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepCancellationOption;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * A cluster of 1 master + 2 core m5.xlarge instances: a real Spark standalone master and two
 * workers on this machine. One cluster serves the step tests; bootstrap tests make their own.
 */
class TestStandaloneCluster {
    private static TestingHearth hearth;
    private static EmrClient emr;
    private static String clusterId;

    @BeforeAll
    static void start() throws IOException {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        emr = hearth.emr();
        Path bootstrap = writeScript(hearth.dataDirectory().resolve("describe-instance.sh"), """
                #!/bin/sh
                # Records what EMR-style variables describe this instance, and the arguments.
                out="$1/$HEARTH_INSTANCE_ID"
                mkdir -p "$1"
                printf 'role=%s master=%s cluster=%s args=%s\\n' "$HEARTH_INSTANCE_ROLE" "$HEARTH_IS_MASTER" "$HEARTH_CLUSTER_ID" "$2" > "$out"
                grep -q '"isMaster": true' "$HEARTH_INSTANCE_INFO" && touch "$1/master-seen-by-$HEARTH_INSTANCE_ID"
                echo "bootstrapped $HEARTH_INSTANCE_ID"
                """);
        Path masterOnly = writeScript(hearth.dataDirectory().resolve("master-only.sh"), """
                #!/bin/sh
                touch "$1/run-if-$HEARTH_INSTANCE_ID"
                """);
        Path records = hearth.dataDirectory().resolve("bootstrap-records");
        clusterId = createCluster(emr, cluster("standalone", 3, true, builder -> builder
                .stepConcurrencyLevel(2)
                .configurations(Configuration.builder().classification("spark").properties(Map.of("maximizeResourceAllocation", "true")).build())
                .bootstrapActions(
                        BootstrapActionConfig.builder().name("describe").scriptBootstrapAction(s -> s.path(bootstrap.toString()).args(records.toString(), "two words")).build(),
                        BootstrapActionConfig.builder().name("master only").scriptBootstrapAction(s -> s
                                .path("s3://elasticmapreduce/bootstrap-actions/run-if").args("instance.isMaster=true", masterOnly.toString(), records.toString())).build())));
        hearth.waiter().waitUntilClusterRunning(r -> r.clusterId(clusterId));
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    @Test
    void theClusterRunsAStandaloneMasterAndOneWorkerPerCoreInstance() {
        Cluster cluster = emr.describeCluster(r -> r.clusterId(clusterId)).cluster();
        assertThat(cluster.status().state()).isIn(ClusterState.WAITING, ClusterState.RUNNING);
        List<Instance> instances = emr.listInstances(r -> r.clusterId(clusterId)).instances();
        assertThat(instances).hasSize(3).allSatisfy(instance -> assertThat(instance.status().stateAsString()).isEqualTo("RUNNING"));
        String clusterLog = Distribution.read(hearth.dataDirectory().resolve("logs").resolve(clusterId).resolve("cluster.log"));
        assertThat(clusterLog).contains("Spark master started on").contains("2 Spark worker(s) registered with the master");
        assertThat(Distribution.processesMentioning("org.apache.spark.deploy.worker.Worker").stream()
                .filter(process -> process.info().command().orElse("").endsWith("/java"))
                .filter(process -> process.info().commandLine().orElse("").contains(hearth.dataDirectory().toString()))).hasSize(2);
    }

    @Test
    void bootstrapActionsRanOnEveryInstanceWithTheirDescriptionAndRunIfOnlyOnTheMaster() throws IOException {
        Path records = hearth.dataDirectory().resolve("bootstrap-records");
        List<Instance> instances = emr.listInstances(r -> r.clusterId(clusterId)).instances();
        for (Instance instance : instances) {
            String group = emr.listInstanceGroups(r -> r.clusterId(clusterId)).instanceGroups().stream()
                    .filter(g -> g.id().equals(instance.instanceGroupId())).findFirst().orElseThrow().instanceGroupTypeAsString();
            boolean master = group.equals("MASTER");
            assertThat(Files.readString(records.resolve(instance.id())))
                    .isEqualTo("role=" + group + " master=" + master + " cluster=" + clusterId + " args=two words\n");
            assertThat(records.resolve("master-seen-by-" + instance.id()).toFile().exists()).isEqualTo(master);
            assertThat(records.resolve("run-if-" + instance.id()).toFile().exists()).isEqualTo(master);
            Path output = hearth.dataDirectory().resolve("logs").resolve(clusterId).resolve("node").resolve(instance.id()).resolve("bootstrap-actions/1/stdout");
            assertThat(Files.readString(output)).isEqualTo("bootstrapped " + instance.id() + "\n");
        }
    }

    @Test
    void csvJobRunsOnTheWorkersWithMaximizedExecutors() {
        Path output = hearth.dataDirectory().resolve("out/iris-standalone");
        List<String> stepIds = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(
                sparkStep("aggregate", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.CsvAggregate", Distribution.examplesJar(),
                        Distribution.irisCsv(), output.toString(), "species"),
                sparkStep("settings", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.ShowConfiguration", Distribution.examplesJar(),
                        "spark:spark.master", "spark:spark.executor.cores", "spark:spark.executor.memory", "spark:spark.executor.instances",
                        "spark:spark.default.parallelism"))).stepIds();
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.COMPLETED);
        awaitStepState(emr, clusterId, stepIds.get(1), StepState.COMPLETED);

        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepIds.get(0)).resolve("stdout")))
                .containsPattern("\\|versicolor\\s*\\|50\\s*\\|5\\.936");
        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepIds.get(0)).resolve("controller"))).containsPattern("Spark application id: app-\\d+-\\d+");
        assertThat(output.resolve("_SUCCESS")).exists();

        List<String> settings = Distribution.lines(hearth.stepLogs(clusterId, stepIds.get(1)).resolve("stdout"));
        List<Instance> cores = emr.listInstances(r -> r.clusterId(clusterId).instanceGroupTypesWithStrings("CORE")).instances();
        io.hearth.server.cluster.Instance core = hearth.server().clusters().instances(clusterId).stream()
                .filter(instance -> instance.id().equals(cores.get(0).id())).findFirst().orElseThrow();
        assertThat(settings).contains(
                "spark:spark.master=" + hearth.server().clusters().getCluster(clusterId).sparkMasterUrl(),
                "spark:spark.executor.cores=" + core.sparkCores(),
                "spark:spark.executor.memory=" + io.hearth.server.cluster.ClusterSizing.heapForContainer(core.sparkMemoryMb()) + "m",
                "spark:spark.executor.instances=2",
                "spark:spark.default.parallelism=" + 4 * core.sparkCores());
    }

    @ParameterizedTest
    @EnumSource(value = StepCancellationOption.class, names = {"SEND_INTERRUPT", "TERMINATE_PROCESS"})
    void cancellingARunningStepStopsItsDriverAndExecutors(StepCancellationOption option) {
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("sleep " + option, ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "300", "2"))).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.RUNNING);
        Path controller = hearth.stepLogs(clusterId, stepId).resolve("controller");
        String applicationId = await().atMost(Duration.ofMinutes(2)).until(() -> applicationId(controller), id -> id != null);
        await().atMost(Duration.ofMinutes(2)).until(() -> Distribution.processesMentioning(applicationId).size(), count -> count >= 1);

        emr.cancelSteps(r -> r.clusterId(clusterId).stepIds(stepId).stepCancellationOption(option));
        Step cancelled = awaitStepState(emr, clusterId, stepId, StepState.CANCELLED);
        assertThat(cancelled.status().stateChangeReason().message()).contains(option.toString());
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(Distribution.processesMentioning(applicationId)).as("executors of " + applicationId).isEmpty());
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void aFailingBootstrapActionEndsTheClusterNamingTheActionAndInstance() throws IOException {
        Path failing = writeScript(hearth.dataDirectory().resolve("fail-on-core.sh"), """
                #!/bin/sh
                echo "checking $HEARTH_INSTANCE_ROLE"
                if [ "$HEARTH_INSTANCE_ROLE" = CORE ]; then echo "no GPU on this core node" >&2; exit 3; fi
                """);
        String failedId = createCluster(emr, cluster("bootstrap failure", 2, true, builder -> builder.bootstrapActions(
                BootstrapActionConfig.builder().name("needs a GPU").scriptBootstrapAction(s -> s.path(failing.toString())).build())));
        assertThat(awaitClusterState(emr, failedId, ClusterState.TERMINATED_WITH_ERRORS)).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
        Cluster failed = emr.describeCluster(r -> r.clusterId(failedId)).cluster();
        assertThat(failed.status().stateChangeReason().codeAsString()).isEqualTo("BOOTSTRAP_FAILURE");
        Instance core = emr.listInstances(r -> r.clusterId(failedId).instanceGroupTypesWithStrings("CORE")).instances().get(0);
        assertThat(failed.status().stateChangeReason().message())
                .startsWith("On the core instance " + core.id() + " (" + core.ec2InstanceId() + "), bootstrap action 1 (needs a GPU) returned a non-zero return code (3)")
                .contains("its output is in");
        Path output = hearth.dataDirectory().resolve("logs").resolve(failedId).resolve("node").resolve(core.id()).resolve("bootstrap-actions/1");
        assertThat(Files.readString(output.resolve("stderr"))).isEqualTo("no GPU on this core node\n");
        assertThat(Files.readString(output.resolve("stdout"))).isEqualTo("checking CORE\n");
        assertThat(Distribution.processesMentioning(failedId)).as("no Spark daemon was started or left").isEmpty();
    }

    private static String applicationId(Path controller) {
        if (!Files.exists(controller)) {
            return null;
        }
        Matcher matcher = Pattern.compile("Spark application id: (app-\\S+)").matcher(Distribution.read(controller));
        return matcher.find() ? matcher.group(1) : null;
    }

    private static Path writeScript(Path file, String text) throws IOException {
        Files.writeString(file, text);
        file.toFile().setExecutable(true);
        return file;
    }
}
