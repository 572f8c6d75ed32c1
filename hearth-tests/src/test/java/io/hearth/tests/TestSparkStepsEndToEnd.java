package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.testing.EmrRequests;
import io.hearth.server.testing.TestingHearth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;

/** Real Spark 3.5 steps on a single-instance cluster (local mode): a CSV job, failures, concurrency, configurations, SQL. */
class TestSparkStepsEndToEnd {
    private static TestingHearth hearth;
    private static EmrClient emr;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        emr = hearth.emr();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    @Test
    void csvJobAggregatesAndWritesParquet() {
        String clusterId = createCluster(emr, singleInstanceCluster("csv"));
        Path output = hearth.dataDirectory().resolve("out/iris-by-species");
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("aggregate", ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.CsvAggregate", Distribution.examplesJar(), Distribution.irisCsv(), output.toString(), "species"))).stepIds().get(0);

        Step step = awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(step.status().timeline().endDateTime()).isAfter(step.status().timeline().startDateTime());
        Path logs = hearth.stepLogs(clusterId, stepId);
        String stdout = Distribution.read(logs.resolve("stdout"));
        assertThat(stdout).contains("Wrote 3 groups of 150 rows")
                .containsPattern("\\|setosa\\s*\\|50\\s*\\|5\\.006\\s*\\|3\\.428")
                .containsPattern("\\|virginica\\s*\\|50\\s*\\|6\\.588");
        assertThat(output.resolve("_SUCCESS")).exists();
        assertThat(output.toFile().list((dir, name) -> name.endsWith(".parquet"))).isNotEmpty();
        String controller = Distribution.read(logs.resolve("controller"));
        assertThat(controller).containsPattern("Spark application id: local-\\d+").contains("Process exited with code 0");
        assertThat(Distribution.read(logs.resolve("stderr"))).contains("SparkContext: Running Spark version 3.5.1");
    }

    @Test
    void failingSparkStepReportsTheRealException() {
        String clusterId = createCluster(emr, singleInstanceCluster("failing"));
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("missing input", ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.CsvAggregate", Distribution.examplesJar(), "/no/such/input.csv", "/tmp/never", "species"))).stepIds().get(0);

        Step step = awaitStepState(emr, clusterId, stepId, StepState.FAILED);
        assertThat(step.status().failureDetails().reason()).isEqualTo("[PATH_NOT_FOUND] Path does not exist: file:/no/such/input.csv.");
        assertThat(step.status().failureDetails().message()).startsWith("org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND]");
        assertThat(step.status().failureDetails().logFile()).isEqualTo(hearth.stepLogs(clusterId, stepId).resolve("stderr").toString());
    }

    @Test
    void twoStepsOverlapAtConcurrencyTwo() {
        String clusterId = createCluster(emr, singleInstanceCluster("concurrent").toBuilder().stepConcurrencyLevel(2).build());
        List<String> stepIds = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(
                sparkStep("first", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "8", "1"),
                sparkStep("second", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "8", "1"))).stepIds();
        Step first = awaitStepState(emr, clusterId, stepIds.get(0), StepState.COMPLETED);
        Step second = awaitStepState(emr, clusterId, stepIds.get(1), StepState.COMPLETED);
        assertThat(second.status().timeline().startDateTime()).isBefore(first.status().timeline().endDateTime());
        assertThat(first.status().timeline().startDateTime()).isBefore(second.status().timeline().endDateTime());
        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepIds.get(1)).resolve("stdout"))).contains("Slept 8 s in 1 tasks");
    }

    @Test
    void configurationsReachTheDriverAndItsExecutors() {
        String clusterId = createCluster(emr, singleInstanceCluster("configured").toBuilder().configurations(
                Configuration.builder().classification("spark-defaults").properties(Map.of("spark.sql.shuffle.partitions", "7")).build(),
                Configuration.builder().classification("spark-env").configurations(
                        Configuration.builder().classification("export").properties(Map.of("HEARTH_TEST_COLOR", "green")).build()).build(),
                Configuration.builder().classification("spark-log4j2").properties(Map.of("logger.hearthtest.name", "hearth.test", "logger.hearthtest.level", "debug")).build(),
                Configuration.builder().classification("core-site").properties(Map.of("hearth.test.core", "from-core-site")).build(),
                Configuration.builder().classification("spark-hive-site").properties(Map.of("hive.metastore.client.factory.class",
                        "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory", "hive.exec.dynamic.partition.mode", "nonstrict")).build(),
                Configuration.builder().classification("spark").properties(Map.of("maximizeResourceAllocation", "true")).build(),
                Configuration.builder().classification("yarn-site").properties(Map.of("yarn.nodemanager.vmem-check-enabled", "false")).build())
                .build());
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sparkStep("show", ActionOnFailure.CONTINUE,
                "io.hearth.spark.examples.ShowConfiguration", Distribution.examplesJar(), "spark:spark.sql.shuffle.partitions", "spark:spark.driver.memory",
                "spark:spark.default.parallelism", "env:HEARTH_TEST_COLOR", "executor-env:HEARTH_TEST_COLOR", "log:hearth.test", "hadoop:hearth.test.core",
                "hadoop:hive.metastore.client.factory.class", "hadoop:hive.exec.dynamic.partition.mode", "hadoop:hive.metastore.uris",
                "spark:spark.sql.catalogImplementation", "spark:spark.master"))).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);

        List<String> lines = Distribution.lines(hearth.stepLogs(clusterId, stepId).resolve("stdout"));
        assertThat(lines).contains(
                "spark:spark.sql.shuffle.partitions=7",
                "env:HEARTH_TEST_COLOR=green",
                "executor-env:HEARTH_TEST_COLOR=green",
                "log:hearth.test=DEBUG",
                "hadoop:hearth.test.core=from-core-site",
                "hadoop:hive.exec.dynamic.partition.mode=nonstrict",
                // The Glue Data Catalog client means Hearth's catalog: the driver talks to Hearth's metastore instead.
                "hadoop:hive.metastore.client.factory.class=<unset>",
                "hadoop:hive.metastore.uris=" + hearth.server().catalog().metastoreUri().orElseThrow(),
                "spark:spark.sql.catalogImplementation=hive");
        // maximizeResourceAllocation on one m5.xlarge (4 cores here after scaling to this machine)
        String master = value(lines, "spark:spark.master");
        int cores = Integer.parseInt(master.replaceAll("local\\[(\\d+)]", "$1"));
        assertThat(value(lines, "spark:spark.default.parallelism")).isEqualTo(Integer.toString(2 * cores));
        assertThat(value(lines, "spark:spark.driver.memory")).matches("\\d+m");
        assertThat(Distribution.read(hearth.dataDirectory().resolve("logs").resolve(clusterId).resolve("cluster.log")))
                .contains("'yarn-site' was accepted but has no effect");
    }

    @Test
    void sparkSqlRunsThroughCommandRunner() {
        String clusterId = createCluster(emr, singleInstanceCluster("sql"));
        StepConfig sql = StepConfig.builder().name("sql").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-e",
                        "CREATE TEMPORARY VIEW iris USING csv OPTIONS (path '" + Distribution.irisCsv() + "', header 'true');"
                                + " SELECT species, COUNT(*) AS n FROM iris GROUP BY species ORDER BY species").build())
                .build();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(sql)).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepId).resolve("stdout"))).contains("setosa\t50").contains("virginica\t50");

        StepConfig broken = StepConfig.builder().name("bad sql").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-e", "SELECT nope FROM range(1)").build())
                .build();
        String failedId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(broken)).stepIds().get(0);
        Step failed = awaitStepState(emr, clusterId, failedId, StepState.FAILED);
        assertThat(failed.status().failureDetails().reason()).startsWith("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope`");
    }

    @Test
    void transientClusterRunsItsStepsAndEndsItself() {
        String clusterId = createCluster(emr, cluster("transient", 1, false, builder -> builder.steps(
                sparkStep("noop", ActionOnFailure.TERMINATE_CLUSTER, "io.hearth.spark.examples.NoOp", Distribution.examplesJar()))));
        assertThat(EmrRequests.awaitClusterState(emr, clusterId, ClusterState.TERMINATED)).isEqualTo(ClusterState.TERMINATED);
        assertThat(emr.describeCluster(r -> r.clusterId(clusterId)).cluster().status().stateChangeReason().codeAsString()).isEqualTo("ALL_STEPS_COMPLETED");
        assertThat(emr.listSteps(r -> r.clusterId(clusterId)).steps()).singleElement()
                .satisfies(step -> assertThat(step.status().state()).isEqualTo(StepState.COMPLETED));
    }

    @Test
    void customJarRunsItsMainClass() {
        String clusterId = createCluster(emr, singleInstanceCluster("custom jar"));
        Path output = hearth.dataDirectory().resolve("out/custom-jar");
        StepConfig custom = StepConfig.builder().name("custom").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar(Distribution.examplesJar()).mainClass("io.hearth.spark.examples.CsvAggregate")
                        .args(Distribution.irisCsv(), output.toString(), "species").build())
                .build();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(custom)).stepIds().get(0);
        awaitStepState(emr, clusterId, stepId, StepState.COMPLETED);
        assertThat(output.resolve("_SUCCESS")).exists();
        assertThat(Distribution.read(hearth.stepLogs(clusterId, stepId).resolve("controller")))
                .contains("Running custom jar " + Distribution.examplesJar() + " with spark-submit");
    }

    @Test
    void sparkSqlRunsAFileAndScriptsCanSubmitToTheCluster() throws java.io.IOException {
        String clusterId = createCluster(emr, singleInstanceCluster("files"));
        Path sql = hearth.dataDirectory().resolve("count.sql");
        java.nio.file.Files.writeString(sql, "CREATE TEMPORARY VIEW iris USING csv OPTIONS (path '" + Distribution.irisCsv() + "', header 'true');\n"
                + "SELECT COUNT(*) AS flowers FROM iris;\n");
        Path script = hearth.dataDirectory().resolve("submit.sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\nset -e\necho \"submitting from $HEARTH_STEP_ID\"\n"
                + "spark-submit --class io.hearth.spark.examples.ShowConfiguration \"$1\" spark:spark.master\n");
        StepConfig fromFile = StepConfig.builder().name("sql file").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args("spark-sql", "-f", sql.toString()).build()).build();
        StepConfig fromScript = StepConfig.builder().name("script").actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("s3://us-east-1.elasticmapreduce/libs/script-runner/script-runner.jar")
                        .args(script.toString(), Distribution.examplesJar()).build()).build();
        List<String> stepIds = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(fromFile, fromScript)).stepIds();
        awaitStepState(emr, clusterId, stepIds.get(0), StepState.COMPLETED);
        assertThat(Distribution.lines(hearth.stepLogs(clusterId, stepIds.get(0)).resolve("stdout"))).contains("150");
        awaitStepState(emr, clusterId, stepIds.get(1), StepState.COMPLETED);
        String master = hearth.server().clusters().getCluster(clusterId).sparkMasterUrl();
        assertThat(Distribution.lines(hearth.stepLogs(clusterId, stepIds.get(1)).resolve("stdout")))
                .contains("submitting from " + stepIds.get(1), "spark:spark.master=" + master);
    }

    private static String value(List<String> lines, String name) {
        return lines.stream().filter(line -> line.startsWith(name + "=")).map(line -> line.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not printed in " + lines));
    }
}
