package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.describeStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.testing.TestingHearth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * PySpark steps with real PySpark 3.5.1 on real clusters, submitted through the AWS SDK: a job that
 * reads a Glue table and writes Parquet as a new table (with --py-files and --files from S3 and its
 * arguments), a failing UDF whose Python exception is the step's FailureDetails, pandas UDFs on a
 * cluster of 1 master + 2 core instances, two clusters whose bootstrap actions installed different
 * versions of one package, a packed environment shipped with --archives, a failing pip install,
 * a scikit-learn model pickled on S3 scoring a catalog table as a pandas UDF, and the
 * distribution's PySpark examples (access-log analysis, bank marketing in MLlib). All clusters
 * start at once and their steps queue up front, so the class costs about as long as its slowest
 * cluster.
 */
class TestPySparkSteps {
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(8);
    private static final Path EXAMPLES = Distribution.home().resolve("examples/pyspark");
    private static final int BANK_ROWS = 8_000;
    private static final long BANK_SEED = 20_261_121L;

    private static TestingHearth hearth;
    private static EmrClient emr;
    private static GlueClient glue;
    private static S3Client s3;
    private static String single;
    private static String multi;
    private static String other;
    private static String brokenBootstrap;
    private static String salesStep;
    private static String failingStep;
    private static String scoringStep;
    private static String pandasStep;
    private static String otherVersionStep;
    private static String packedStep;
    private static String accessLogStep;
    private static String bankStep;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        emr = hearth.emr();
        glue = hearth.glue();
        s3 = hearth.s3();
        s3.createBucket(r -> r.bucket("code"));
        s3.createBucket(r -> r.bucket("lake"));
        for (String script : List.of("sales_by_region.py", "failing_udf.py", "pandas_udfs.py", "score_with_sklearn.py", "install_demo_package.sh",
                "packed_environment.py")) {
            s3.putObject(r -> r.bucket("code").key("jobs/" + script), RequestBody.fromBytes(resource(script)));
        }
        s3.putObject(r -> r.bucket("code").key("libs/pricing.zip"), RequestBody.fromBytes(zip(Map.of("pricing.py",
                "def with_tax(amount, rate):\n    \"\"\"A Column: the amount with the region's tax rate added.\"\"\"\n    return amount * (1 + rate)\n"))));
        s3.putObject(r -> r.bucket("code").key("conf/rates.json"), RequestBody.fromString("{\"north\": 0.25, \"south\": 0.1}"));
        for (String version : List.of("1.0", "2.0")) {
            s3.putObject(r -> r.bucket("code").key("wheels/hearthdemo-" + version + "-py3-none-any.whl"), RequestBody.fromBytes(demoWheel(version)));
        }
        s3.putObject(r -> r.bucket("lake").key("sales/part-0.csv"), RequestBody.fromString("north,100.0\nsouth,50.0\nnorth,20.0\n"));
        s3.putObject(r -> r.bucket("lake").key("iris/iris.csv"), RequestBody.fromBytes(Files.readAllBytes(Path.of(Distribution.irisCsv()))));
        s3.putObject(r -> r.bucket("code").key("models/iris.pkl"), RequestBody.fromBytes(trainModel()));
        s3.putObject(r -> r.bucket("code").key("envs/packed.tar.gz"), RequestBody.fromBytes(packedEnvironment()));
        // The examples the distribution ships, with their data as their READMEs say to make it.
        for (String example : List.of("access_logs.py", "bank_marketing.py")) {
            s3.putObject(r -> r.bucket("code").key("examples/" + example), RequestBody.fromFile(EXAMPLES.resolve(example)));
        }
        for (Path log : generateAccessLog()) {
            s3.putObject(r -> r.bucket("lake").key("access-logs/" + log.getFileName()), RequestBody.fromFile(log));
        }
        s3.putObject(r -> r.bucket("lake").key("bank/bank.csv"), RequestBody.fromBytes(BankMarketingData.bytes(BANK_ROWS, BANK_SEED)));

        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        glue.createDatabase(r -> r.databaseInput(d -> d.name("shop")));
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("sales", "s3://lake/sales/", Map.of(),
                Column.builder().name("region").type("string").build(), Column.builder().name("amount").type("double").build())));
        glue.createTable(r -> r.databaseName("shop").tableInput(GlueTables.csv("iris", "s3://lake/iris/", Map.of("skip.header.line.count", "1"),
                Column.builder().name("sepal_length").type("double").build(), Column.builder().name("sepal_width").type("double").build(),
                Column.builder().name("petal_length").type("double").build(), Column.builder().name("petal_width").type("double").build(),
                Column.builder().name("species").type("string").build())));

        single = createCluster(emr, cluster("pyspark single", 1, true, b -> b));
        multi = createCluster(emr, cluster("pyspark multi", 3, true, b -> b.bootstrapActions(installDemo("1.0"))));
        other = createCluster(emr, cluster("pyspark other version", 1, true, b -> b.bootstrapActions(installDemo("2.0"))));
        brokenBootstrap = createCluster(emr, cluster("pyspark broken bootstrap", 1, true, b -> b.bootstrapActions(installDemo("9.9"))));

        salesStep = addStep(single, "sales by region", "spark-submit", "--py-files", "s3://code/libs/pricing.zip", "--files", "s3://code/conf/rates.json",
                "s3://code/jobs/sales_by_region.py", "s3://lake/out/sales_by_region/", "shop.sales_by_region");
        failingStep = addStep(single, "failing udf", "spark-submit", "s3://code/jobs/failing_udf.py");
        scoringStep = addStep(single, "score with scikit-learn", "spark-submit", "s3://code/jobs/score_with_sklearn.py",
                "s3://code/models/iris.pkl", "shop.iris", "shop.iris_scored");
        pandasStep = addStep(multi, "pandas udfs", "spark-submit", "s3://code/jobs/pandas_udfs.py");
        accessLogStep = addStep(multi, "access logs example", "spark-submit", "s3://code/examples/access_logs.py", "s3://lake/access-logs/", "weblogs",
                "s3://lake/weblogs");
        bankStep = addStep(multi, "bank marketing example", "spark-submit", "s3://code/examples/bank_marketing.py", "s3://lake/bank/bank.csv",
                "shop.bank_predictions", "s3://lake/models/bank");
        otherVersionStep = addStep(other, "pandas udfs, other version", "spark-submit", "s3://code/jobs/pandas_udfs.py");
        packedStep = addStep(other, "packed environment", "spark-submit", "--archives", "s3://code/envs/packed.tar.gz#environment",
                "--conf", "spark.pyspark.python=./environment/bin/python", "s3://code/jobs/packed_environment.py");
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    @Test
    void pythonStepReadsAGlueTableAndWritesParquetAsANewTable() {
        Step step = awaitStep(single, salesStep, StepState.COMPLETED);

        String stdout = stdout(single, step.id());
        assertThat(stdout.lines().toList()).contains("TOTAL north 150.00 2", "TOTAL south 55.00 1",
                "ARGS [\"s3://lake/out/sales_by_region/\", \"shop.sales_by_region\"]");
        StorageDescriptor table = glue.getTable(r -> r.databaseName("shop").name("sales_by_region")).table().storageDescriptor();
        assertThat(table.location()).isEqualTo("s3://lake/out/sales_by_region");
        assertThat(table.columns()).extracting(Column::name).containsExactly("region", "gross", "orders");
        assertThat(s3.listObjectsV2(r -> r.bucket("lake").prefix("out/sales_by_region/")).contents())
                .anySatisfy(object -> assertThat(object.key()).endsWith(".parquet"));
    }

    @Test
    void failingPythonStepReportsThePythonExceptionWithItsFileAndLine() {
        Step step = awaitStep(single, failingStep, StepState.FAILED);

        assertThat(step.status().failureDetails().reason()).isEqualTo("ZeroDivisionError: division by zero");
        assertThat(step.status().failureDetails().message()).contains("failing_udf.py\", line 11, in inverse", "return 1 / x");
        String stderr = Distribution.read(hearth.dataDirectory().resolve("logs").resolve(single).resolve("steps").resolve(step.id()).resolve("stderr"));
        assertThat(stderr).contains("Traceback (most recent call last):", "pyspark.errors.exceptions.captured.PythonException");
    }

    @Test
    void pandasUdfsRunOnTheExecutorsOfAMultiInstanceCluster() {
        Step step = awaitStep(multi, pandasStep, StepState.COMPLETED);

        assertThat(stdout(multi, step.id()).lines().toList()).contains("ARROW true", "RESULT scalar 328350", "RESULT map 10",
                "RESULT apply even=49.0 odd=49.0", "VERSIONS driver=1.0 executors=1.0");
    }

    @Test
    void eachClusterKeepsThePackageVersionItsBootstrapActionInstalled() {
        Step step = awaitStep(other, otherVersionStep, StepState.COMPLETED);

        assertThat(stdout(other, step.id()).lines().toList()).contains("VERSIONS driver=2.0 executors=2.0");
        // The distribution's own environment never changes.
        assertThat(Distribution.home().resolve("python")).isDirectory();
        assertThat(ExternalCommand.run(List.of(Distribution.home().resolve("python/bin/python3").toString(), "-c",
                "import importlib.util; print(importlib.util.find_spec('hearthdemo'))"), Map.of(), hearth.dataDirectory(), 60).stdout().strip())
                .isEqualTo("None");
    }

    @Test
    void packedEnvironmentFromArchivesRunsTheDriverAndTheExecutors() {
        Step step = awaitStep(other, packedStep, StepState.COMPLETED);

        assertThat(stdout(other, step.id()).lines().toList()).contains("PACKED driver=True:packed executors=True:packed");
    }

    @Test
    void accessLogExampleWritesActiveUsersPagesAndSegmentsAsGlueTables() {
        Step step = awaitStep(multi, accessLogStep, StepState.COMPLETED);

        List<String> lines = stdout(multi, step.id()).lines().toList();
        assertThat(lines).contains("DAYS 21").anyMatch(line -> line.matches("MAU 2024-01 \\d+")).anyMatch(line -> line.matches("MAU 2024-02 \\d+"))
                .anyMatch(line -> line.matches("REQUESTS \\d+ unparsed=0"));
        String segments = lines.stream().filter(line -> line.startsWith("SEGMENTS ")).findFirst().orElseThrow();
        assertThat(segments.substring("SEGMENTS ".length()).split(" ")).hasSize(3);
        assertThat(glue.getTables(r -> r.databaseName("weblogs")).tableList()).extracting(table -> table.name())
                .contains("daily_active_users", "monthly_active_users", "page_unique_users", "user_segments");
        assertThat(glue.getTable(r -> r.databaseName("weblogs").name("user_segments")).table().storageDescriptor().location())
                .isEqualTo("s3://lake/weblogs/user_segments");
    }

    @Test
    void bankMarketingExampleFitsAnMllibPipelineAndWritesItsPredictions() {
        Step step = awaitStep(multi, bankStep, StepState.COMPLETED);

        String line = stdout(multi, step.id()).lines().filter(text -> text.startsWith("AUC ")).findFirst().orElseThrow();
        double auc = Double.parseDouble(line.split(" ")[1]);
        assertThat(auc).as(line).isGreaterThan(0.78).isLessThan(BankMarketingData.bayesAuc(BANK_ROWS, BANK_SEED) + 0.05);
        assertThat(glue.getTable(r -> r.databaseName("shop").name("bank_predictions")).table().storageDescriptor().columns())
                .extracting(Column::name).contains("predicted", "probability");
        assertThat(s3.listObjectsV2(r -> r.bucket("lake").prefix("models/bank/stages/")).contents()).isNotEmpty();
    }

    @Test
    void failingPipInstallFailsTheBootstrapWithPipsMessage() {
        await().atMost(STEP_TIMEOUT).until(() -> emr.describeCluster(r -> r.clusterId(brokenBootstrap)).cluster().status().state(),
                state -> state == ClusterState.TERMINATED_WITH_ERRORS);
        var reason = emr.describeCluster(r -> r.clusterId(brokenBootstrap)).cluster().status().stateChangeReason();
        assertThat(reason.codeAsString()).isEqualTo("BOOTSTRAP_FAILURE");
        assertThat(reason.message()).contains("bootstrap action 1", "No matching distribution found for hearthdemo==9.9");
    }

    @Test
    void scikitLearnModelPickledOnS3ScoresACatalogTableAsAPandasUdf() {
        Step step = awaitStep(single, scoringStep, StepState.COMPLETED);

        String line = stdout(single, step.id()).lines().filter(text -> text.startsWith("SCORED ")).findFirst().orElseThrow();
        String[] parts = line.split(" ");
        assertThat(Integer.parseInt(parts[1])).isEqualTo(150);
        assertThat(Integer.parseInt(parts[3])).isGreaterThan(140);
        assertThat(glue.getTable(r -> r.databaseName("shop").name("iris_scored")).table().storageDescriptor().columns())
                .extracting(Column::name).endsWith("species", "predicted");
    }

    private static BootstrapActionConfig installDemo(String version) {
        return BootstrapActionConfig.builder().name("install hearthdemo " + version)
                .scriptBootstrapAction(s -> s.path("s3://code/jobs/install_demo_package.sh").args(version)).build();
    }

    private static String addStep(String clusterId, String name, String... args) {
        StepConfig step = StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(args).build()).build();
        return emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
    }

    private static Step awaitStep(String clusterId, String stepId, StepState expected) {
        Step step = await().atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> describeStep(emr, clusterId, stepId), s -> List.of(StepState.COMPLETED, StepState.FAILED, StepState.CANCELLED)
                        .contains(s.status().state()));
        assertThat(step.status().state()).as("step %s: %s", step.name(), step.status().failureDetails()).isEqualTo(expected);
        return step;
    }

    private static String stdout(String clusterId, String stepId) {
        return Distribution.read(hearth.dataDirectory().resolve("logs").resolve(clusterId).resolve("steps").resolve(stepId).resolve("stdout"));
    }

    /** The model a data scientist trains on their own machine: scikit-learn from the distribution's Python, outside Spark. */
    private static byte[] trainModel() throws IOException {
        Path work = Files.createDirectories(hearth.dataDirectory().resolve("laptop"));
        Path script = Files.write(work.resolve("train_sklearn.py"), resource("train_sklearn.py"));
        Path model = work.resolve("iris.pkl");
        ExternalCommand.Result trained = ExternalCommand.run(List.of(Distribution.home().resolve("python/bin/python3").toString(), script.toString(),
                Distribution.irisCsv(), model.toString()), Map.of(), work, 120);
        assertThat(trained.stdout()).as(trained.stderr()).startsWith("TRAINED ");
        return Files.readAllBytes(model);
    }

    /** The access-log example's data: its generator, run with the distribution's Python. */
    private static List<Path> generateAccessLog() throws IOException {
        Path output = hearth.dataDirectory().resolve("laptop/access-logs");
        ExternalCommand.Result generated = ExternalCommand.run(List.of(Distribution.home().resolve("python/bin/python3").toString(),
                EXAMPLES.resolve("generate_access_log.py").toString(), output.toString(), "--seed", "7"), Map.of(), hearth.dataDirectory(), 120);
        assertThat(generated.exitCode()).as(generated.stderr()).isZero();
        try (var files = Files.list(output)) {
            List<Path> logs = files.sorted().toList();
            assertThat(logs).hasSize(21);
            return logs;
        }
    }

    /** A venv packed as EMR users pack one (venv-pack, conda-pack): hearthdemo "packed" in its site-packages, as a .tar.gz. */
    private static byte[] packedEnvironment() throws IOException {
        Path work = Files.createDirectories(hearth.dataDirectory().resolve("laptop/packed"));
        String python = Distribution.home().resolve("python/bin/python3").toString();
        ExternalCommand.Result created = ExternalCommand.run(List.of(python, "-m", "venv", "--without-pip", work.resolve("env").toString()), Map.of(), work, 60);
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String site = ExternalCommand.run(List.of(work.resolve("env/bin/python").toString(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"),
                Map.of(), work, 60).stdout().strip();
        Files.createDirectories(Path.of(site, "hearthdemo"));
        Files.writeString(Path.of(site, "hearthdemo/__init__.py"), "__version__ = \"packed\"\n");
        Path archive = work.resolve("packed.tar.gz");
        ExternalCommand.Result tar = ExternalCommand.run(List.of("tar", "-czf", archive.toString(), "-C", work.resolve("env").toString(), "."), Map.of(), work, 60);
        assertThat(tar.exitCode()).as(tar.stderr()).isZero();
        return Files.readAllBytes(archive);
    }

    /** A pure-Python wheel of the package hearthdemo at {@code version}, as pip builds them. */
    private static byte[] demoWheel(String version) throws IOException {
        String info = "hearthdemo-" + version + ".dist-info/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("hearthdemo/__init__.py", "__version__ = \"" + version + "\"\n");
        files.put(info + "METADATA", "Metadata-Version: 2.1\nName: hearthdemo\nVersion: " + version + "\n");
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: hearth-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        List<String> record = new ArrayList<>();
        files.keySet().forEach(name -> record.add(name + ",,"));
        record.add(info + "RECORD,,");
        files.put(info + "RECORD", String.join("\n", record) + "\n");
        return zip(files);
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] resource(String name) {
        try (InputStream in = TestPySparkSteps.class.getResourceAsStream("/pyspark/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No test resource /pyspark/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
