package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The training job as an EMR step on a bank-marketing-like table the project generates: a month number
 * derived from the month name, imputation of missing numbers, one-hot categories, scaling, logistic
 * regression, and the test predictions as Parquet in s3, read back by a spark-sql step.
 */
class TestBankMarketingStep {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 8_000;
    private static final long SEED = 20_261_121L;

    private static TestingHearth hearth;
    private static String clusterId;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(CatalogConfig.ENABLED.key(), "false").start();
        hearth.s3().createBucket(r -> r.bucket("bank"));
        clusterId = createCluster(hearth.emr(), TrainingClusters.smallJobsCluster("bank", 1));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    @Test
    void theGeneratorIsReproducibleAndShapedLikeBankMarketing() {
        byte[] data = BankMarketingData.bytes(ROWS, SEED);
        assertThat(BankMarketingData.bytes(ROWS, SEED)).as("same seed, same bytes").isEqualTo(data);
        assertThat(BankMarketingData.bytes(ROWS, SEED + 1)).as("another seed, other data").isNotEqualTo(data);

        List<String> lines = new String(data, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("age,job,marital,education,default,balance,housing,loan,contact,day,month,duration,campaign,pdays,previous,poutcome,y");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(line -> line.split(",", -1)).toList();
        assertThat(rows).hasSize(ROWS).allSatisfy(fields -> assertThat(fields).hasSize(17));
        assertThat(rows.stream().map(fields -> fields[10]).distinct().sorted()).as("month names").containsExactlyInAnyOrder(BankMarketingData.MONTHS);
        assertThat(rows.stream().map(fields -> fields[16]).distinct()).containsExactlyInAnyOrder("yes", "no");
        long yes = rows.stream().filter(fields -> fields[16].equals("yes")).count();
        assertThat(yes).as("a minority says yes").isBetween(ROWS / 20L, ROWS / 5L);
        assertThat(rows.stream().filter(fields -> fields[0].isEmpty()).count()).as("missing ages").isBetween(ROWS / 100L, ROWS / 10L);
        assertThat(rows.stream().filter(fields -> fields[5].isEmpty()).count()).as("missing balances").isBetween(ROWS / 100L, ROWS / 10L);
        assertThat(rows.stream().filter(fields -> fields[16].isEmpty() || fields[1].isEmpty()).count()).as("labels and categories are never missing").isZero();
        assertThat(BankMarketingData.bayesAuc(ROWS, SEED)).as("the generator's own odds separate yes from no").isBetween(0.8, 0.9);
    }

    @Test
    void aTrainingStepLearnsItAndWritesParquetPredictions() throws IOException {
        hearth.s3().putObject(r -> r.bucket("bank").key("data/bank.csv"), RequestBody.fromBytes(BankMarketingData.bytes(ROWS, SEED)));
        hearth.s3().putObject(r -> r.bucket("bank").key("specs/bank.json"), RequestBody.fromString("""
                {"name": "bank marketing",
                 "input": {"path": "s3://bank/data/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                 "derivedColumns": {"month_num": "month(to_date(concat('2024-', month, '-01'), 'yyyy-MMM-dd'))"},
                 "label": {"column": "y"},
                 "preprocessing": {"impute": true, "imputeStrategy": "median", "oneHotEncode": true, "scale": true},
                 "model": {"type": "logistic_regression", "params": {"regParam": 0.01, "maxIter": 100}},
                 "split": {"train": 0.7, "validation": 0.15, "test": 0.15, "seed": 42},
                 "output": {"predictions": {"path": "s3://bank/predictions/{model_id}/"}}}
                """));

        Step trained = runStep("train bank", "spark-submit", "--class", "io.hearth.spark.train.TrainModel", "spark-internal", "s3://bank/specs/bank.json",
                "--model-id", "m-bank-step");
        assertThat(Distribution.read(hearth.stepLogs(clusterId, trained.id()).resolve("stdout"))).contains("Model m-bank-step (logistic_regression, binary) written to ");

        JsonNode card = JSON.readTree(hearth.dataDirectory().resolve("models/m-bank-step/model-card.json").toFile());
        assertThat(names(card.get("features").get("categorical"))).as("categorical features")
                .containsExactly("job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome");
        assertThat(names(card.get("features").get("numeric"))).as("numeric features, the derived month number among them")
                .containsExactly("age", "balance", "day", "duration", "campaign", "pdays", "previous", "month_num");
        assertThat(names(card.get("classes"))).containsExactly("no", "yes");
        assertThat(card.get("data").get("rows").longValue()).isEqualTo(ROWS);
        long testRows = card.get("data").get("test_rows").longValue();
        double auc = card.get("metrics").get("test").get("auc_roc").doubleValue();
        double bayes = BankMarketingData.bayesAuc(ROWS, SEED);
        // The generator's own odds reach an AUC of about 0.85 (bayes); a linear model of the columns gets most of the way.
        assertThat(auc).as("test AUC, where chance is 0.5 and the generator's odds give %s", bayes).isGreaterThan(0.78).isLessThan(bayes + 0.05);
        assertThat(card.get("predictions").get("path").textValue()).isEqualTo("s3://bank/predictions/m-bank-step/");
        List<String> written = hearth.s3().listObjectsV2Paginator(r -> r.bucket("bank").prefix("predictions/m-bank-step/")).contents().stream()
                .map(S3Object::key).toList();
        assertThat(written).as("a committed Parquet folder").contains("predictions/m-bank-step/_SUCCESS").anyMatch(key -> key.endsWith(".parquet"));

        // Real Spark reads the predictions back: every test row, a month number agreeing with its name, both classes' probabilities.
        String months = Arrays.stream(BankMarketingData.MONTHS).map(month -> "'" + month + "'").reduce((a, b) -> a + ", " + b).orElseThrow();
        runStep("read predictions", "spark-sql", "-e", """
                INSERT OVERWRITE DIRECTORY 's3://bank/results/' USING json
                SELECT COUNT(*) AS rows, COUNT_IF(month_num = array_position(array(%s), month)) AS months_agreeing,
                       COUNT_IF(size(probability) = 2 AND abs(probability[0] + probability[1] - 1) < 1e-9) AS with_probabilities,
                       COUNT_IF(predicted_label = IF(prediction = 1.0, 'yes', 'no')) AS labels_agreeing, COUNT_IF(y = 'yes') AS actual_yes,
                       COUNT_IF(age IS NULL) AS missing_ages
                FROM parquet.`s3://bank/predictions/m-bank-step/`
                """.formatted(months));
        JsonNode read = JSON.readTree(hearth.s3().listObjectsV2Paginator(r -> r.bucket("bank").prefix("results/")).contents().stream()
                .map(S3Object::key).filter(key -> key.endsWith(".json"))
                .map(key -> hearth.s3().getObjectAsBytes(r -> r.bucket("bank").key(key)).asUtf8String().trim()).filter(text -> !text.isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError("the spark-sql step wrote no result")));
        assertThat(read.get("rows").longValue()).as("%s", read).isEqualTo(testRows);
        assertThat(read.get("months_agreeing").longValue()).as("%s", read).isEqualTo(testRows);
        assertThat(read.get("with_probabilities").longValue()).as("%s", read).isEqualTo(testRows);
        assertThat(read.get("labels_agreeing").longValue()).as("%s", read).isEqualTo(testRows);
        assertThat(read.get("actual_yes").longValue()).as("%s", read).isBetween(1L, testRows / 3);
        assertThat(read.get("missing_ages").longValue()).as("the raw test rows are written, gaps and all: %s", read).isPositive();
    }

    private static Step runStep(String name, String... args) {
        StepConfig step = StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(args).build()).build();
        String stepId = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(step)).stepIds().get(0);
        Step ended = awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED, StepState.FAILED, StepState.CANCELLED);
        assertThat(ended.status().state()).as("step %s: %s", name, ended.status().failureDetails()).isEqualTo(StepState.COMPLETED);
        return ended;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.textValue()));
        return names;
    }
}
