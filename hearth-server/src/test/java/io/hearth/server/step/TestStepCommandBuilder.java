package io.hearth.server.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.storage.LocationResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStepCommandBuilder {
    private static final String LISTENER = "io.hearth.spark.report.ApplicationReportListener";
    private static final String MASTER = "spark://127.0.0.1:7077";
    private static final List<StepContext.Worker> TWO_WORKERS_OF_4_CORES = workers(2, 4, 8192);

    @TempDir
    Path temp;

    private Path sparkHome;
    private Path objectStore;
    private Path workingDirectory;
    private Path stepDirectory;

    @BeforeEach
    void setUp() throws IOException {
        sparkHome = Files.createDirectories(temp.resolve("spark"));
        objectStore = Files.createDirectories(temp.resolve("data/s3"));
        workingDirectory = Files.createDirectories(temp.resolve("cwd"));
        stepDirectory = temp.resolve("logs/j-1/steps/s-1");
    }

    private StepContext context(String masterUrl, int stepConcurrencyLevel) {
        return context(masterUrl, stepConcurrencyLevel, Map.of());
    }

    private StepContext context(String masterUrl, int stepConcurrencyLevel, Map<String, String> environment) {
        return context(masterUrl, stepConcurrencyLevel, environment, TWO_WORKERS_OF_4_CORES, Map.of());
    }

    private StepContext standalone(int stepConcurrencyLevel, List<StepContext.Worker> workers, Map<String, String> sparkDefaults) {
        return context(MASTER, stepConcurrencyLevel, Map.of(), workers, sparkDefaults);
    }

    private StepContext context(String masterUrl, int stepConcurrencyLevel, Map<String, String> environment, List<StepContext.Worker> workers,
            Map<String, String> sparkDefaults) {
        return new StepContext("j-1", sparkHome, temp.resolve("conf"), masterUrl, environment, workers, stepConcurrencyLevel,
                temp.resolve("logs"), null, temp.resolve("work"), new LocationResolver(objectStore, workingDirectory), sparkDefaults);
    }

    private static List<StepContext.Worker> workers(int count, int cores, int memoryMb) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> new StepContext.Worker("ci-" + i, cores, memoryMb)).toList();
    }

    private static Step step(String jar, String mainClass, List<String> args, Map<String, String> properties) {
        return step("My step", jar, mainClass, args, properties);
    }

    private static Step step(String name, String jar, String mainClass, List<String> args, Map<String, String> properties) {
        return new Step(1, "s-1", "j-1", name, ActionOnFailure.CONTINUE, jar, mainClass, args, properties, null, null, null,
                StepState.PENDING, null, null, null, Instant.parse("2024-01-01T00:00:00Z"), null, null, null, null, null, null, "AKIDTEST");
    }

    private static Step commandRunner(String... args) {
        return step("command-runner.jar", null, List.of(args), Map.of());
    }

    private StepCommand build(Step step) {
        return StepCommandBuilder.build(step, context("local[4]", 1), stepDirectory);
    }

    private String sparkSubmit() {
        return sparkHome.resolve("bin/spark-submit").toString();
    }

    private static List<String> after(List<String> argv, int from) {
        return argv.subList(from, argv.size());
    }

    // ---- command-runner.jar spark-submit ----

    @Test
    void pythonApplicationFromS3RunsWithTheClustersPython() throws IOException {
        Files.createDirectories(objectStore.resolve("code"));
        Files.writeString(objectStore.resolve("code/job.py"), "print('hi')\n");
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--py-files", "s3://code/lib.zip", "s3://code/job.py", "s3://out/", "2024"),
                context("local[4]", 1, Map.of("PYSPARK_PYTHON", "/data/clusters/j-1/python/bin/python3")), stepDirectory);

        assertThat(after(command.argv(), 1)).containsExactly("--py-files", "s3://code/lib.zip", objectStore.resolve("code/job.py").toString(), "s3://out/", "2024");
        assertThat(command.notes()).contains("PySpark application: Python /data/clusters/j-1/python/bin/python3");
    }

    @Test
    void pythonApplicationOnAClusterWithoutPythonIsRefusedWithTheReason() {
        assertThatThrownBy(() -> build(commandRunner("spark-submit", "/jobs/job.py")))
                .isInstanceOf(HearthException.class)
                .hasMessageStartingWith("This cluster has no Python environment, so it cannot run a PySpark application");
    }

    @Test
    void archivesAreUnpackedForTheDriverUnderTheirName() throws Exception {
        Path packed = Files.createDirectories(temp.resolve("packed/bin"));
        Files.writeString(packed.resolve("python"), "#!/bin/sh\n");
        Files.createDirectories(objectStore.resolve("envs"));
        Process tar = new ProcessBuilder("tar", "-czf", objectStore.resolve("envs/env.tar.gz").toString(), "-C", temp.resolve("packed").toString(), "bin")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();

        StepCommand command = build(commandRunner("spark-submit", "--archives", "s3://envs/env.tar.gz#environment",
                "--conf", "spark.pyspark.python=./environment/bin/python", "/jobs/app.jar"));

        assertThat(stepDirectory.resolve("environment/bin/python")).hasContent("#!/bin/sh");
        assertThat(command.notes()).contains("Unpacked archive s3://envs/env.tar.gz into " + stepDirectory.resolve("environment")
                + " for the driver (Spark unpacks it for executors)");
        assertThat(after(command.argv(), 1)).startsWith("--archives", "s3://envs/env.tar.gz#environment");
    }

    @Test
    void archiveNamesThatLeaveTheStepDirectoryAreRefused() {
        assertThatThrownBy(() -> build(commandRunner("spark-submit", "--archives", "s3://envs/env.tar.gz#../../x", "/jobs/app.jar")))
                .isInstanceOf(HearthException.class)
                .hasMessage("--archives s3://envs/env.tar.gz#../../x: the name after # must be a plain folder name, not '../../x'");
    }

    @Test
    void sparkSubmitRunsTheClustersSparkSubmitWithTheUsersArguments() {
        StepCommand command = build(commandRunner("spark-submit", "--class", "com.example.Main", "--conf", "spark.a=1",
                "/abs/app.jar", "in", "out"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "com.example.Main", "--conf", "spark.a=1",
                "/abs/app.jar", "in", "out");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void sparkSubmitGivenByPathIsTheSameCommand() {
        StepCommand command = build(commandRunner("/usr/lib/spark/bin/spark-submit", "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "/abs/app.jar");
    }

    @Test
    void yarnMasterIsRemovedWithANote() {
        StepCommand command = build(commandRunner("spark-submit", "--master", "yarn", "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).containsExactly("--master yarn replaced by the cluster's master local[4]");
    }

    @Test
    void nonYarnMasterIsKept() {
        StepCommand command = build(commandRunner("spark-submit", "--master", "local[1]", "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--master", "local[1]", "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void clusterDeployModeBecomesClientWithANote() {
        StepCommand command = build(commandRunner("spark-submit", "--deploy-mode", "cluster", "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--deploy-mode", "client", "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).containsExactly(
                "--deploy-mode cluster changed to client: Hearth runs drivers on the master instance, where the step's logs are kept");
    }

    @Test
    void userExtraListenersGetHearthsListenerAppended() {
        StepCommand command = build(commandRunner("spark-submit", "--conf", "spark.extraListeners=a.B", "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--conf", "spark.extraListeners=a.B," + LISTENER,
                "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).containsExactly(
                "Added Hearth's listener to spark.extraListeners so the step's application id is recorded");
    }

    @Test
    void extraListenersAlreadyNamingHearthsListenerAreLeftAlone() {
        StepCommand command = build(commandRunner("spark-submit", "--conf", "spark.extraListeners=a.B," + LISTENER, "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--conf", "spark.extraListeners=a.B," + LISTENER,
                "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void emptyExtraListenersBecomeHearthsListener() {
        StepCommand command = build(commandRunner("spark-submit", "--conf", "spark.extraListeners=", "--class", "Main", "/abs/app.jar"));

        assertThat(command.argv()).contains("spark.extraListeners=" + LISTENER);
    }

    @Test
    void concurrentStepsOnAStandaloneMasterGetAShareOfTheWorkerCores() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                context("spark://127.0.0.1:7077", 2), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "--conf", "spark.cores.max=4", "/abs/app.jar");
        assertThat(command.notes()).containsExactly("spark.cores.max=4: this step's share of the cluster's 8 worker cores at step concurrency 2");
    }

    @Test
    void noCoreShareAtConcurrencyOne() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                context("spark://127.0.0.1:7077", 1), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "/abs/app.jar");
    }

    @Test
    void noCoreShareInLocalMode() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                context("local[4]", 2), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void noCoreShareWhenTheUserSetSparkCoresMax() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--conf", "spark.cores.max=7", "--class", "Main", "/abs/app.jar"),
                context("spark://127.0.0.1:7077", 2), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--conf", "spark.cores.max=7", "--class", "Main", "/abs/app.jar");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void noCoreShareWhenTheUserSetTotalExecutorCores() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--total-executor-cores", "3", "--class", "Main", "/abs/app.jar"),
                context("spark://127.0.0.1:7077", 2), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--total-executor-cores", "3", "--class", "Main", "/abs/app.jar");
    }

    @Test
    void coreShareIsAtLeastOne() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                context("spark://127.0.0.1:7077", 16), stepDirectory);

        assertThat(command.argv()).contains("spark.cores.max=1");
        assertThat(command.notes()).containsExactly("spark.cores.max=1: one executor of 1 core; an equal share of the cluster's 8 worker cores "
                + "at step concurrency 16 (0) would hold none, so at most 8 steps have executors at once and the others wait for cores");
    }

    @Test
    void aShareTooSmallForOneExecutorIsRaisedToOneWholeExecutor() {
        // maximizeResourceAllocation on 1 master + 2 core instances of 2 cores, at step concurrency 3.
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                standalone(3, workers(2, 2, 6016), Map.of("spark.executor.cores", "2", "spark.executor.memory", "5469m")), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "--conf", "spark.cores.max=2", "/abs/app.jar");
        assertThat(command.notes()).containsExactly("spark.cores.max=2: one executor of 2 cores (spark.executor.cores); an equal share of "
                + "the cluster's 4 worker cores at step concurrency 3 (1) would hold none, so at most 2 steps have executors at once "
                + "and the others wait for cores");
    }

    @Test
    void aShareIsRoundedDownToWholeExecutors() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                standalone(2, workers(2, 5, 8192), Map.of("spark.executor.cores", "2")), stepDirectory);

        assertThat(command.argv()).contains("spark.cores.max=4");
        assertThat(command.notes()).containsExactly(
                "spark.cores.max=4: this step's share of the cluster's 10 worker cores at step concurrency 2 (5), in whole executors of 2 cores (spark.executor.cores)");
    }

    @Test
    void theStepsOwnExecutorCoresDecideItsShare() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--executor-cores", "4", "--class", "Main", "/abs/app.jar"),
                standalone(3, TWO_WORKERS_OF_4_CORES, Map.of("spark.executor.cores", "2")), stepDirectory);

        assertThat(command.argv()).contains("spark.cores.max=4");
    }

    @Test
    void aStepThatMayUseFewerCoresThanOneExecutorTakesFailsAtOnce() {
        assertThatThrownBy(() -> StepCommandBuilder.build(commandRunner("spark-submit", "--conf", "spark.cores.max=1", "--executor-cores", "2",
                "--class", "Main", "/abs/app.jar"), standalone(1, TWO_WORKERS_OF_4_CORES, Map.of()), stepDirectory))
                .isInstanceOf(HearthException.class)
                .hasMessage("Cannot run the step: it can get no Spark executor on this cluster: each executor takes 2 cores (spark.executor.cores) "
                        + "but the step may use only 1 (spark.cores.max)");
    }

    @Test
    void executorsLargerThanEveryWorkerFailTheStepAtOnce() {
        assertThatThrownBy(() -> StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                standalone(1, TWO_WORKERS_OF_4_CORES, Map.of("spark.executor.cores", "8")), stepDirectory))
                .hasMessage("Cannot run the step: it can get no Spark executor on this cluster: each executor asks for 8 cores (spark.executor.cores) "
                        + "and 1024 MB of memory (spark.executor.memory), more than any running worker offers (at most 4 cores and 8192 MB)");
        assertThatThrownBy(() -> StepCommandBuilder.build(commandRunner("spark-sql", "--executor-memory", "16g", "-e", "SELECT 1"),
                standalone(1, TWO_WORKERS_OF_4_CORES, Map.of()), stepDirectory))
                .hasMessage("Cannot run the step: it can get no Spark executor on this cluster: each executor asks for 16384 MB of memory "
                        + "(spark.executor.memory), more than any running worker offers (at most 4 cores and 8192 MB)");
    }

    @Test
    void aStandaloneClusterWithoutRunningWorkersFailsTheStepAtOnce() {
        assertThatThrownBy(() -> StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                standalone(2, List.of(), Map.of()), stepDirectory))
                .hasMessage("Cannot run the step: it can get no Spark executor on this cluster: the cluster has no running Spark worker "
                        + "(its CORE and TASK instances have ended)");
    }

    @Test
    void executorsAreNotCheckedInLocalModeOrOnAMasterOfTheStepsOwn() {
        assertThatCode(() -> StepCommandBuilder.build(commandRunner("spark-submit", "--executor-memory", "64g", "--class", "Main", "/abs/app.jar"),
                context("local[4]", 2, Map.of(), List.of(), Map.of()), stepDirectory)).doesNotThrowAnyException();
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--master", "local[2]", "--executor-memory", "64g",
                "--class", "Main", "/abs/app.jar"), standalone(2, TWO_WORKERS_OF_4_CORES, Map.of()), stepDirectory);
        assertThat(command.argv()).doesNotContain("spark.cores.max=4");
    }

    @Test
    void stepPropertiesBecomeOneQuotedDriverJavaOptions() {
        StepCommand command = build(step("command-runner.jar", null, List.of("spark-submit", "--class", "Main", "/abs/app.jar"),
                Map.of("my.key", "a value")));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main",
                "--driver-java-options", "\"-Dmy.key=a value\"", "/abs/app.jar");
    }

    @Test
    void stepPropertiesAreMergedWithTheUsersDriverJavaOptions() {
        StepCommand command = build(step("command-runner.jar", null,
                List.of("spark-submit", "--driver-java-options", "-Xss4m -Dx=1", "--class", "Main", "/abs/app.jar"),
                Map.of("my.key", "v\"q")));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main",
                "--driver-java-options", "-Xss4m -Dx=1 \"-Dmy.key=v\\\"q\"", "/abs/app.jar");
    }

    @Test
    void stepPropertiesKeepTheUsersDriverExtraJavaOptionsConf() {
        StepCommand command = build(step("command-runner.jar", null,
                List.of("spark-submit", "--conf", "spark.driver.extraJavaOptions=-Xss4m", "--class", "Main", "/abs/app.jar"),
                Map.of("my.key", "v")));

        assertThat(effectiveDriverJavaOptions(command.argv())).contains("-Xss4m").contains("\"-Dmy.key=v\"");
    }

    /** The driver's extra Java options as Spark's launcher sees them: --driver-java-options and the conf key are one setting, last wins. */
    private static String effectiveDriverJavaOptions(List<String> argv) {
        String effective = "";
        for (SparkSubmitArguments.Option option : SparkSubmitArguments.parseSubmit(after(argv, 1)).options()) {
            if (option.name().equals("--driver-java-options")) {
                effective = option.value();
            } else if (SparkSubmitArguments.isConf(option) && option.value().startsWith("spark.driver.extraJavaOptions=")) {
                effective = option.value().substring("spark.driver.extraJavaOptions=".length());
            }
        }
        return effective;
    }

    @Test
    void severalStepPropertiesAreEachQuoted() {
        StepCommand command = build(step("command-runner.jar", null, List.of("spark-submit", "--class", "Main", "/abs/app.jar"),
                Map.of("a", "1", "b", "2")));

        int index = command.argv().indexOf("--driver-java-options");
        assertThat(index).isPositive();
        assertThat(command.argv().get(index + 1).split(" ")).containsExactlyInAnyOrder("\"-Da=1\"", "\"-Db=2\"");
        assertThat(command.argv().stream().filter("--driver-java-options"::equals)).hasSize(1);
    }

    @Test
    void relativePrimaryResourceThatExistsIsResolvedAgainstTheWorkingDirectory() throws IOException {
        Path jar = Files.writeString(workingDirectory.resolve("app.jar"), "jar");

        StepCommand command = build(commandRunner("spark-submit", "--class", "Main", "app.jar", "x"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", jar.toString(), "x");
        assertThat(command.notes()).containsExactly("Application app.jar is " + jar);
    }

    @Test
    void s3PrimaryResourceIsResolvedToTheObjectStore() throws IOException {
        Path jar = objectStore.resolve("bucket/jars/app.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");

        StepCommand command = build(commandRunner("spark-submit", "--class", "Main", "s3://bucket/jars/app.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", jar.toString());
    }

    @Test
    void missingS3PrimaryResourceIsLeftAsGiven() {
        StepCommand command = build(commandRunner("spark-submit", "--class", "Main", "s3://bucket/missing.jar"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "s3://bucket/missing.jar");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void argumentWithShellCharactersStaysOneArgvElement() {
        String tricky = "a b \"c\" 'd' $(rm -rf /); echo `x` && $HOME | y > z";

        StepCommand command = build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar", tricky, "last"));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "/abs/app.jar", tricky, "last");
    }

    @Test
    void argumentWithShellCharactersStaysOneArgvElementForOtherCommands() {
        String tricky = "a b; $(echo x) \"q\"";

        StepCommand command = build(commandRunner("echo", tricky));

        assertThat(command.argv()).containsExactly("echo", tricky);
    }

    @Test
    void environmentNamesClusterStepReportAndPutsSparkFirstOnPath() {
        StepCommand command = StepCommandBuilder.build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"),
                context("local[4]", 1, Map.of("PATH", "/opt/bin:/usr/bin", "SPARK_ENV_X", "1")), stepDirectory);

        assertThat(command.environment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "HEARTH_CLUSTER_ID", "j-1",
                "HEARTH_STEP_ID", "s-1",
                "HEARTH_APPLICATION_REPORT", stepDirectory.resolve("application.properties").toString(),
                "PATH", sparkHome.resolve("bin") + ":/opt/bin:/usr/bin",
                "SPARK_ENV_X", "1"));
    }

    @Test
    void pathFallsBackToTheServersPath() {
        StepCommand command = build(commandRunner("spark-submit", "--class", "Main", "/abs/app.jar"));

        assertThat(command.environment().get("PATH")).startsWith(sparkHome.resolve("bin") + ":");
        assertThat(command.environment().get("PATH").length()).isGreaterThan((sparkHome.resolve("bin") + ":").length());
    }

    @Test
    void otherCommandsRunFromPathAndSayPropertiesAreNotPassed() {
        StepCommand command = build(step("command-runner.jar", null, List.of("bash", "-c", "echo hi"), Map.of("k", "v")));

        assertThat(command.argv()).containsExactly("bash", "-c", "echo hi");
        assertThat(command.notes()).containsExactly("Step properties are passed to Java programs only; 'bash' does not receive them");
    }

    // ---- command-runner.jar spark-sql ----

    @Test
    void sparkSqlFileOnS3IsResolvedToTheObjectStore() {
        StepCommand command = build(commandRunner("spark-sql", "--master", "yarn", "-f", "s3://bucket/queries/q.sql", "--hiveconf", "x=1"));

        String local = objectStore.resolve("bucket/queries/q.sql").toString();
        assertThat(command.argv()).containsExactly(sparkHome.resolve("bin/spark-sql").toString(), "-f", local, "--hiveconf", "x=1");
        assertThat(command.notes()).containsExactly(
                "--master yarn replaced by the cluster's master local[4]",
                "SQL file s3://bucket/queries/q.sql is " + local);
    }

    @Test
    void sparkSqlQueryStaysOneArgumentAfterSparkOptions() {
        StepCommand command = build(commandRunner("spark-sql", "-e", "SELECT 'a b'; SELECT 2", "--conf", "k=v"));

        assertThat(command.argv()).containsExactly(sparkHome.resolve("bin/spark-sql").toString(),
                "--conf", "k=v", "-e", "SELECT 'a b'; SELECT 2");
        assertThat(command.notes()).isEmpty();
    }

    @Test
    void sparkSqlAbsoluteFileIsKept() {
        StepCommand command = build(commandRunner("spark-sql", "-f", "/abs/q.sql"));

        assertThat(command.argv()).containsExactly(sparkHome.resolve("bin/spark-sql").toString(), "-f", "/abs/q.sql");
        assertThat(command.notes()).isEmpty();
    }

    // ---- script-runner.jar ----

    @Test
    void scriptWithShebangIsCopiedMadeExecutableAndRunDirectly() throws IOException {
        Path source = objectStore.resolve("bucket/scripts/run.sh");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "#!/bin/bash\necho hi\n");

        StepCommand command = build(step("s3://elasticmapreduce/libs/script-runner/script-runner.jar", null,
                List.of("s3://bucket/scripts/run.sh", "a b", "--x"), Map.of()));

        Path copy = stepDirectory.resolve("run.sh");
        assertThat(command.argv()).containsExactly(copy.toString(), "a b", "--x");
        assertThat(Files.readString(copy)).isEqualTo("#!/bin/bash\necho hi\n");
        assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(command.notes()).containsExactly("Copied script s3://bucket/scripts/run.sh to " + copy);
    }

    @Test
    void scriptWithoutShebangRunsWithBinSh() throws IOException {
        Path source = Files.writeString(workingDirectory.resolve("plain.sh"), "echo hi\n");

        StepCommand command = build(step("script-runner.jar", null, List.of("plain.sh", "arg"), Map.of()));

        Path copy = stepDirectory.resolve("plain.sh");
        assertThat(command.argv()).containsExactly("/bin/sh", copy.toString(), "arg");
        assertThat(Files.isExecutable(copy)).isTrue();
        assertThat(command.notes()).containsExactly("Copied script plain.sh to " + copy, "The script has no #! line; running it with /bin/sh");
        assertThat(source).exists();
    }

    @Test
    void missingScriptIsAnErrorNamingIt() {
        Step step = step("script-runner.jar", null, List.of("s3://bucket/nope.sh"), Map.of());

        assertThatThrownBy(() -> build(step))
                .isInstanceOf(HearthException.class)
                .hasMessage("script-runner.jar script s3://bucket/nope.sh does not exist (looked for " + objectStore.resolve("bucket/nope.sh") + ")")
                .extracting(e -> ((HearthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    // ---- custom jar ----

    @Test
    void customJarRunsWithSparkSubmitClassAndName() throws IOException {
        Path jar = objectStore.resolve("bucket/app.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");

        StepCommand command = build(step("Word count", "s3://bucket/app.jar", "Main", List.of("in", "--out", "a b"), Map.of()));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "--name", "Word count", jar.toString(), "in", "--out", "a b");
        assertThat(command.notes()).containsExactly("Running custom jar " + jar + " with spark-submit");
    }

    @Test
    void customJarWithoutMainClassUsesItsManifestAndBlankNameUsesTheStepId() throws IOException {
        Path jar = Files.writeString(workingDirectory.resolve("app.jar"), "jar");

        StepCommand command = build(step(" ", "app.jar", null, List.of(), Map.of()));

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--name", "s-1", jar.toString());
        assertThat(command.notes()).containsExactly("Running custom jar " + jar + " with spark-submit (main class from its manifest)");
    }

    @Test
    void customJarGetsStepPropertiesAndCoreShare() throws IOException {
        Path jar = Files.writeString(workingDirectory.resolve("app.jar"), "jar");

        StepCommand command = StepCommandBuilder.build(step("N", "app.jar", "Main", List.of("x"), Map.of("k", "v")),
                context("spark://127.0.0.1:7077", 2), stepDirectory);

        assertThat(command.argv()).containsExactly(sparkSubmit(), "--class", "Main", "--name", "N",
                "--conf", "spark.cores.max=4", "--driver-java-options", "\"-Dk=v\"", jar.toString(), "x");
    }

    @Test
    void missingCustomJarIsAnError() {
        Step step = step("s3://bucket/missing.jar", "Main", List.of(), Map.of());

        assertThatThrownBy(() -> build(step))
                .isInstanceOf(HearthException.class)
                .hasMessage("Jar s3://bucket/missing.jar does not exist (looked for " + objectStore.resolve("bucket/missing.jar") + ")");
    }

    // ---- validate ----

    @Test
    void commandRunnerWithoutArgsIsRejected() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of(), "Steps.1"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Steps.1.HadoopJarStep.Args must start with the command to run when the jar is command-runner.jar");
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of(" "), "Steps.1"))
                .hasMessage("Steps.1.HadoopJarStep.Args must start with the command to run when the jar is command-runner.jar");
    }

    @Test
    void emrOnlyCommandIsRejectedWithTheReason() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of("hive-script", "--run-hive-script"), "Steps.2"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Steps.2: command-runner.jar command 'hive-script' is not available in Hearth: Hive queries run with spark-sql in Hearth")
                .extracting(e -> ((HearthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void emrOnlyCommandGivenByPathIsRejected() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("/x/command-runner.jar", List.of("/usr/bin/s3-dist-cp"), "Steps.1"))
                .hasMessage("Steps.1: command-runner.jar command 's3-dist-cp' is not available in Hearth: copy data with a Spark step instead");
    }

    @Test
    void pythonPrimaryResourceIsAccepted() {
        assertThatCode(() -> StepCommandBuilder.validate("command-runner.jar",
                List.of("spark-submit", "--deploy-mode", "cluster", "--py-files", "s3://b/lib.zip", "s3://b/job.PY", "arg.jar"), "Steps.1"))
                .doesNotThrowAnyException();
    }

    @Test
    void interactiveShellsAreRejected() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of("pyspark"), "Steps.2"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Steps.2: command-runner.jar command 'pyspark' is an interactive shell, and a step has no terminal: "
                        + "run the script with spark-submit script.py instead");
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of("/usr/bin/spark-shell"), "Steps.1"))
                .hasMessageContaining("'spark-shell' is an interactive shell");
    }

    @Test
    void pythonCommandsRunFromThePath() {
        assertThatCode(() -> StepCommandBuilder.validate("command-runner.jar", List.of("python3", "script.py", "--n", "3"), "Steps.1"))
                .doesNotThrowAnyException();
    }

    @Test
    void pythonFileAsApplicationArgumentIsAccepted() {
        assertThatCode(() -> StepCommandBuilder.validate("command-runner.jar",
                List.of("spark-submit", "app.jar", "helper.py"), "Steps.1")).doesNotThrowAnyException();
    }

    @Test
    void sparkSubmitWithoutAJarIsRejected() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of("spark-submit", "--verbose"), "Steps.3"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Steps.3: spark-submit needs an application (a jar or a .py file) after its options");
    }

    @Test
    void sparkSubmitWithOnlyAClassIsRejectedAsSparkWouldBe() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("command-runner.jar", List.of("spark-submit", "--class", "org.x.Main"), "Steps.1"))
                .hasMessage("Steps.1: spark-submit needs an application (a jar or a .py file) after its options");
    }

    @Test
    void scriptRunnerWithoutArgsIsRejected() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("s3://x/script-runner.jar", List.of(), "Steps.1"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Steps.1.HadoopJarStep.Args must start with the script to run when the jar is script-runner.jar");
    }

    @Test
    void blankCustomJarIsRejected() {
        assertThatThrownBy(() -> StepCommandBuilder.validate("  ", List.of("a"), "Steps.4"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Steps.4.HadoopJarStep.Jar must not be empty");
    }

    @Test
    void validInputsPass() {
        assertThatCode(() -> {
            StepCommandBuilder.validate("command-runner.jar", List.of("spark-submit", "--class", "Main", "s3://b/app.jar", "x.py"), "Steps.1");
            StepCommandBuilder.validate("command-runner.jar", List.of("spark-sql", "-e", "SELECT 1"), "Steps.1");
            StepCommandBuilder.validate("command-runner.jar", List.of("bash", "-c", "true"), "Steps.1");
            StepCommandBuilder.validate("script-runner.jar", List.of("s3://b/run.sh"), "Steps.1");
            StepCommandBuilder.validate("s3://b/app.jar", List.of(), "Steps.1");
        }).doesNotThrowAnyException();
    }

    // ---- quoteForSpark ----

    @Test
    void quoteForSparkWrapsInDoubleQuotesAndEscapesQuotesAndBackslashes() {
        assertThat(StepCommandBuilder.quoteForSpark("-Dk=v")).isEqualTo("\"-Dk=v\"");
        assertThat(StepCommandBuilder.quoteForSpark("-Dk=a \"b\" c\\d")).isEqualTo("\"-Dk=a \\\"b\\\" c\\\\d\"");
        assertThat(StepCommandBuilder.quoteForSpark("-Dk='x'")).isEqualTo("\"-Dk='x'\"");
    }
}
