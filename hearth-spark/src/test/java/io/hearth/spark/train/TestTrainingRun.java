package io.hearth.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training jobs on real datasets in a local Spark session: pipelines, metrics, outputs and data-level spec errors. */
class TestTrainingRun {
    @TempDir
    static Path scratch;

    private static SparkSession spark;
    private static Path breastCancer;
    private static Path iris;
    private static Path diabetes;
    private static Path bank;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("training tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
                .getOrCreate();
        breastCancer = SklearnDatasets.classification("breast_cancer.csv", scratch.resolve("breast_cancer"));
        iris = SklearnDatasets.classification("iris.csv", scratch.resolve("iris"));
        diabetes = SklearnDatasets.diabetes(scratch.resolve("diabetes"));
        bank = bankLike(scratch.resolve("bank"), 2000, 7);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainingRun.Result train(String json, String modelId) {
        return TrainingRun.run(spark, SpecReader.read(json), modelId, scratch.resolve("models").toString());
    }

    private static String csvInput(Path folder) {
        return "{\"path\": \"" + folder + "\", \"format\": \"csv\", \"options\": {\"header\": \"true\", \"inferSchema\": \"true\"}}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> testMetrics(TrainingRun.Result result) {
        return (Map<String, Object>) ((Map<String, Object>) result.card().get("metrics")).get("test");
    }

    @Test
    void theFingerprintFollowsTheDataNotTheModel() throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of("x,y,label"));
        for (int i = 0; i < 40; i++) {
            lines.add(i + "," + (i * 7 % 13) + "," + (i % 3 == 0 ? 1 : 0));
        }
        Path original = Files.createDirectories(scratch.resolve("fingerprint-a"));
        Files.write(original.resolve("part-0.csv"), lines);
        lines.set(20, "19,5,1");
        Path changed = Files.createDirectories(scratch.resolve("fingerprint-b"));
        Files.write(changed.resolve("part-0.csv"), lines);
        String spec = """
                {"input": %s, "label": {"column": "label"}, "model": {"type": "%s"}}""";

        Object first = ((Map<?, ?>) train(spec.formatted(csvInput(original), "decision_tree"), "m-fp-1").card().get("data")).get("fingerprint");
        Object again = ((Map<?, ?>) train(spec.formatted(csvInput(original), "logistic_regression"), "m-fp-2").card().get("data")).get("fingerprint");
        Object other = ((Map<?, ?>) train(spec.formatted(csvInput(changed), "decision_tree"), "m-fp-3").card().get("data")).get("fingerprint");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void breastCancerWithLogisticRegression() throws IOException {
        Path predictions = scratch.resolve("bc-predictions");
        TrainingRun.Result result = train("""
                {"name": "breast cancer", "input": %s, "label": {"column": "target"},
                 "model": {"type": "logistic_regression", "params": {"regParam": 0.01, "maxIter": 200}},
                 "output": {"predictions": {"path": "%s"}}}
                """.formatted(csvInput(breastCancer), predictions), "m-bc");

        assertThat(result.card()).containsEntry("task", "binary").containsEntry("model_type", "logistic_regression").containsEntry("classes", List.of("0", "1"));
        Map<String, Object> test = testMetrics(result);
        assertThat((Double) test.get("auc_roc")).isGreaterThan(0.97);
        assertThat(test).containsKeys("auc_pr", "accuracy", "f1", "precision", "recall", "log_loss", "confusion_matrix");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) result.card().get("data");
        assertThat(data).containsEntry("rows", 569L).containsEntry("columns", 31);
        assertThat((String) data.get("fingerprint")).matches("sha256:[0-9a-f]{64}");
        assertThat(((Number) data.get("train_rows")).longValue() + ((Number) data.get("validation_rows")).longValue()
                + ((Number) data.get("test_rows")).longValue()).isEqualTo(569);

        Path directory = scratch.resolve("models/m-bc");
        JsonNode card = SpecReader.mapper().readTree(Files.readString(directory.resolve("model-card.json")));
        assertThat(card.get("spec").get("model").get("params").get("maxIter").intValue()).isEqualTo(200);
        assertThat(card.get("spark_version").textValue()).isEqualTo(spark.version());
        assertThat(SpecReader.mapper().readTree(Files.readString(directory.resolve("metrics.json"))).get("test").get("auc_roc").doubleValue())
                .isEqualTo((Double) test.get("auc_roc"));

        // The saved pipeline scores raw input rows on its own.
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(breastCancer.toString()).drop("target");
        assertThat(PipelineModel.load(directory.resolve("model").toString()).transform(raw).select("prediction").count()).isEqualTo(569);
        Dataset<Row> written = spark.read().parquet(predictions.toString());
        assertThat(written.columns()).contains("target", "prediction", "predicted_label", "probability");
        assertThat(written.count()).isEqualTo(((Number) data.get("test_rows")).longValue());
    }

    @Test
    void theSplitIsExactAndKeepsTheClassMix() {
        TrainingRun.Result result = train("""
                {"input": %s, "label": {"column": "target"}, "model": {"type": "logistic_regression", "params": {"maxIter": 50}},
                 "split": {"train": 0.8, "test": 0.2}}
                """.formatted(csvInput(breastCancer)), "m-bc-split");

        // 212 malignant (class 0) and 357 benign rows: 42.4 and 71.4 of them are a fifth, cut at round(0.8 n) = 170 and 286.
        Map<?, ?> data = (Map<?, ?>) result.card().get("data");
        assertThat(List.of(data.get("train_rows"), data.get("validation_rows"), data.get("test_rows"))).isEqualTo(List.of(456L, 0L, 113L));
        @SuppressWarnings("unchecked")
        long[][] matrix = (long[][]) ((Map<String, Object>) testMetrics(result).get("confusion_matrix")).get("matrix");
        assertThat(java.util.Arrays.stream(matrix).mapToLong(row -> java.util.Arrays.stream(row).sum()).toArray()).as("test rows per actual class")
                .containsExactly(42, 71);
    }

    @Test
    void irisIsDetectedAsMulticlass() {
        TrainingRun.Result result = train("""
                {"input": %s, "label": {"column": "target"}, "model": {"type": "random_forest", "params": {"numTrees": 30, "seed": 3}},
                 "split": {"train": 0.6, "validation": 0.0, "test": 0.4, "seed": 7}}
                """.formatted(csvInput(iris)), "m-iris");

        assertThat(result.card()).containsEntry("task", "multiclass").containsEntry("classes", List.of("0", "1", "2"));
        Map<String, Object> test = testMetrics(result);
        assertThat((Double) test.get("accuracy")).isGreaterThan(0.85);
        assertThat(test).doesNotContainKey("auc_roc");
        @SuppressWarnings("unchecked")
        long[][] matrix = (long[][]) ((Map<String, Object>) test.get("confusion_matrix")).get("matrix");
        assertThat(matrix).hasDimensions(3, 3);
        assertThat(java.util.Arrays.stream(matrix).flatMapToLong(java.util.Arrays::stream).sum()).isEqualTo((Long) test.get("rows"));
        assertThat(((Map<?, ?>) result.card().get("metrics")).containsKey("validation")).as("no validation rows, no validation metrics").isFalse();
    }

    @Test
    void diabetesIsARegression() {
        TrainingRun.Result result = train("""
                {"input": %s, "label": {"column": "progression"}, "model": {"type": "linear_regression"}}
                """.formatted(csvInput(diabetes)), "m-diabetes");

        assertThat(result.card()).containsEntry("task", "regression").containsEntry("classes", List.of());
        Map<String, Object> test = testMetrics(result);
        assertThat((Double) test.get("r2")).isGreaterThan(0.3);
        assertThat(test).containsKeys("rmse", "mae");
    }

    @Test
    void categoriesGapsDerivedColumnsAndClassWeights() {
        TrainingRun.Result result = train("""
                {"input": %s, "dropColumns": ["id"], "derivedColumns": {"month_num": "month(to_date(concat('2024-', month, '-01'), 'yyyy-MMM-dd'))"},
                 "label": {"column": "y"}, "balance": "weights",
                 "model": {"type": "gbt", "params": {"maxIter": 10, "maxDepth": 3}}}
                """.formatted(csvInput(bank)), "m-bank");

        @SuppressWarnings("unchecked")
        Map<String, List<String>> features = (Map<String, List<String>>) result.card().get("features");
        assertThat(features.get("numeric")).containsExactly("age", "balance", "duration", "month_num");
        assertThat(features.get("categorical")).containsExactly("job", "marital", "month");
        assertThat(result.card()).containsEntry("classes", List.of("no", "yes"));
        assertThat((Double) testMetrics(result).get("auc_roc")).isGreaterThan(0.75);
    }

    @Test
    void excludedColumnsStayInThePredictionsButAreNoFeatures() {
        String predictions = scratch.resolve("bank-predictions").toString();
        TrainingRun.Result result = train("""
                {"input": %s, "features": {"exclude": ["id"]}, "label": {"column": "y"},
                 "model": {"type": "logistic_regression", "params": {"maxIter": 50}},
                 "output": {"predictions": {"path": "%s/{label}/{model_id}"}}}
                """.formatted(csvInput(bank), predictions), "m-bank-excluded");

        @SuppressWarnings("unchecked")
        Map<String, List<String>> features = (Map<String, List<String>>) result.card().get("features");
        assertThat(features.get("numeric")).containsExactly("age", "balance", "duration");
        assertThat(features.get("categorical")).containsExactly("job", "marital", "month");
        assertThat(result.card()).containsEntry("predictions", Map.of("path", predictions + "/y/m-bank-excluded"));
        Dataset<Row> written = spark.read().parquet(predictions + "/y/m-bank-excluded");
        assertThat(written.columns()).contains("id", "y", "prediction", "probability");
        long testRows = ((Number) ((Map<?, ?>) result.card().get("data")).get("test_rows")).longValue();
        assertThat(written.select("id").distinct().count()).as("each test row once, with its id").isEqualTo(testRows);
        assertThat(written.filter("id < 0 OR id >= 2000").count()).isZero();

        // The saved model scores rows that have no id at all: the id was never a feature.
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(bank.toString()).drop("id", "y");
        assertThat(PipelineModel.load(scratch.resolve("models/m-bank-excluded/model").toString()).transform(raw).count()).isEqualTo(2000);

        String base = """
                {"input": %s, "features": {"exclude": [%s]}, "label": {"column": "y"}, "model": {"type": "logistic_regression"}}
                """;
        assertThatThrownBy(() -> train(base.formatted(csvInput(bank), "\"row\""), "x"))
                .hasMessage("features.exclude[0]: no column 'row' in the input; its columns: id, age, job, marital, balance, month, duration, y");
        assertThatThrownBy(() -> train(base.formatted(csvInput(bank), "\"id\", \"y\""), "x"))
                .hasMessage("features.exclude[1]: 'y' is the label; the label is never a feature");
    }

    @Test
    void oversamplingEvensOutTheClasses() {
        Dataset<Row> rows = spark.range(100).selectExpr("id", "CAST(IF(id < 10, 1.0, 0.0) AS DOUBLE) AS __label");
        Dataset<Row> balanced = Balancing.apply(rows, TrainingSpec.Balance.OVERSAMPLE, 1);
        assertThat(balanced.filter("__label = 1.0").count()).isEqualTo(90);
        assertThat(balanced.filter("__label = 0.0").count()).isEqualTo(90);
        Dataset<Row> under = Balancing.apply(rows, TrainingSpec.Balance.UNDERSAMPLE, 1);
        assertThat(under.filter("__label = 0.0").count()).isBetween(3L, 20L);
        assertThat(under.filter("__label = 1.0").count()).isEqualTo(10);
    }

    @Test
    void mistakesAboutTheDataNameTheField() {
        String base = """
                {"input": %s, "label": {"column": "target"}, "model": {"type": "logistic_regression", "params": {}}}
                """.formatted(csvInput(iris));
        assertThatThrownBy(() -> train(base.replace("\"column\": \"target\"", "\"column\": \"species\""), "x"))
                .isInstanceOf(SpecException.class).hasMessage("label.column: no column 'species' in the input; its columns: f0, f1, f2, f3, target");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"maxIter\": \"many\"}"), "x"))
                .hasMessage("model.params.maxIter: must be an integer, not \"many\"");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"regParam\": -1}"), "x"))
                .hasMessage("model.params.regParam: -1 is not a valid value (regularization parameter (>= 0))");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"numTrees\": 10}"), "x"))
                .hasMessageStartingWith("model.params.numTrees: 'logistic_regression' has no parameter 'numTrees'; its parameters: aggregationDepth, ");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"labelCol\": \"target\"}"), "x"))
                .hasMessage("model.params.labelCol: is set by Hearth, not by the spec");
        assertThatThrownBy(() -> train(base.replace("logistic_regression", "linear_svc"), "x"))
                .hasMessage("model.type: 'linear_svc' does not do multiclass tasks, and the label 'target' makes this one (it does binary)");
        assertThatThrownBy(() -> train(base.replace("\"label\":", "\"balance\": \"weights\", \"label\":").replace("logistic_regression", "multilayer_perceptron"), "x"))
                .hasMessage("balance: 'weights' is not supported by multilayer_perceptron; use undersample or oversample");
        assertThatThrownBy(() -> train(base.replace("\"label\":", "\"derivedColumns\": {\"ratio\": \"f0 / petal\"}, \"label\":"), "x"))
                .isInstanceOf(SpecException.class).hasMessageStartingWith("derivedColumns.ratio: cannot be computed from 'f0 / petal': ");
        assertThatThrownBy(() -> train(base.replace("\"label\":", "\"derivedColumns\": {\"f1\": \"f0 * 2\"}, \"label\":"), "x"))
                .hasMessage("derivedColumns.f1: the input already has a column 'f1'; give the derived column another name");
        assertThatThrownBy(() -> train(base.replace("\"label\":", "\"derivedColumns\": {\"one\": \"1\"}, \"label\":").replace("\"column\": \"target\"", "\"column\": \"one\""), "x"))
                .hasMessage("label.column: 'one' has a single value ('1'); a classifier needs at least two classes");
        assertThatThrownBy(() -> train(base.replace("\"label\":", "\"derivedColumns\": {\"gap\": \"IF(f0 > 5.5, NULL, f0)\"}, \"preprocessing\": {\"impute\": false}, \"label\":"), "x"))
                .hasMessage("preprocessing.impute: is false, but feature 'gap' has 91 missing values; turn imputation on or drop the column");
    }

    @Test
    void lightGbmClassifiesBreastCancer() {
        TrainingRun.Result result = train("""
                {"input": %s, "label": {"column": "target"},
                 "model": {"type": "lightgbm", "params": {"numIterations": 60, "numLeaves": 15, "learningRate": 0.1}}}
                """.formatted(csvInput(breastCancer)), "m-bc-lgbm");

        assertThat(result.card()).containsEntry("task", "binary").containsEntry("model_type", "lightgbm");
        Map<String, Object> test = testMetrics(result);
        assertThat((Double) test.get("auc_roc")).isGreaterThan(0.95);
        assertThat(test).containsKeys("log_loss", "confusion_matrix");

        // The saved pipeline, LightGBM booster included, loads and scores raw rows.
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(breastCancer.toString()).drop("target");
        Dataset<Row> scored = PipelineModel.load(scratch.resolve("models/m-bc-lgbm/model").toString()).transform(raw);
        assertThat(scored.filter("prediction IN (0.0, 1.0)").count()).isEqualTo(569);
    }

    @Test
    void lightGbmTakesMulticlassAndRegression() {
        TrainingRun.Result iris = train("""
                {"input": %s, "label": {"column": "target"}, "model": {"type": "lightgbm", "params": {"numIterations": 30, "minDataInLeaf": 5}},
                 "split": {"train": 0.6, "validation": 0.0, "test": 0.4, "seed": 7}}
                """.formatted(csvInput(TestTrainingRun.iris)), "m-iris-lgbm");
        assertThat(iris.card()).containsEntry("task", "multiclass");
        assertThat((Double) testMetrics(iris).get("accuracy")).isGreaterThan(0.85);

        TrainingRun.Result diabetes = train("""
                {"input": %s, "label": {"column": "progression"},
                 "model": {"type": "lightgbm_regressor", "params": {"numIterations": 80, "numLeaves": 7, "learningRate": 0.05, "minDataInLeaf": 10}}}
                """.formatted(csvInput(TestTrainingRun.diabetes)), "m-diabetes-lgbm");
        assertThat(diabetes.card()).containsEntry("task", "regression").containsEntry("model_type", "lightgbm_regressor");
        Map<String, Object> test = testMetrics(diabetes);
        assertThat((Double) test.get("r2")).isGreaterThan(0.3);
        assertThat((Double) test.get("rmse")).as("below the label's standard deviation, 77").isLessThan(70.0);
    }

    @Test
    void lightGbmParamsAreCheckedLikeSparks() {
        String base = """
                {"input": %s, "label": {"column": "target"}, "model": {"type": "lightgbm", "params": {}}}
                """.formatted(csvInput(iris));
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"numLeaves\": \"many\"}"), "x"))
                .isInstanceOf(SpecException.class).hasMessage("model.params.numLeaves: must be an integer, not \"many\"");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"numTrees\": 10}"), "x"))
                .hasMessageStartingWith("model.params.numTrees: 'lightgbm' has no parameter 'numTrees'; its parameters: baggingFraction, baggingFreq, ")
                .hasMessageContaining(" numIterations, ").hasMessageNotContaining("fobj");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"fobj\": \"x\"}"), "x"))
                .hasMessage("model.params.fobj: cannot be set in a spec (it takes a FObjParam, not JSON)");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"initScoreCol\": \"f0\"}"), "x"))
                .hasMessage("model.params.initScoreCol: is set by Hearth, not by the spec");
        assertThatThrownBy(() -> train(base.replace("\"params\": {}", "\"params\": {\"objective\": \"binary\"}"), "x"))
                .hasMessage("model.params.objective: 'binary' needs two classes, and the label 'target' has more; use multiclass or multiclassova");
        assertThatThrownBy(() -> train(base.replace("\"lightgbm\"", "\"lightgbm_regressor\""), "x"))
                .hasMessage("model.type: 'lightgbm_regressor' does not do multiclass tasks, and the label 'target' makes this one (it does regression)");
        // A Spark without SynapseML's jars: the same message names the jars instead of failing to link.
        assertThatThrownBy(() -> LightGbm.load("com.example.NotThere", "lightgbm"))
                .hasMessage("model.type: 'lightgbm' needs SynapseML's LightGBM jars (synapseml-lightgbm_2.12 and synapseml-core_2.12 1.1.0, lightgbmlib 3.3.510,"
                        + " spray-json_2.12 1.3.5), which are not on this Spark's class path; Hearth's Spark runtime has them in jars/");
    }

    /** A bank-marketing-like table: numbers with gaps, categories, a month name, a rare "yes" that depends on them. */
    static Path bankLike(Path folder, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        String[] jobs = {"admin", "technician", "services", "management", "retired", "student"};
        String[] marital = {"married", "single", "divorced"};
        String[] months = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
        List<String> lines = new ArrayList<>();
        lines.add("id,age,job,marital,balance,month,duration,y");
        for (int i = 0; i < rows; i++) {
            int age = 18 + random.nextInt(60);
            String job = jobs[random.nextInt(jobs.length)];
            int balance = (int) (random.nextGaussian() * 2000 + 1500);
            int month = random.nextInt(12);
            int duration = (int) Math.abs(random.nextGaussian() * 250 + 200);
            double score = duration / 300.0 + (job.equals("retired") || job.equals("student") ? 1.0 : 0) + (month >= 8 ? 0.8 : 0) - 2.2;
            boolean yes = random.nextDouble() < 1 / (1 + Math.exp(-2 * score));
            lines.add(i + "," + age + "," + job + "," + marital[random.nextInt(marital.length)] + "," + (random.nextInt(20) == 0 ? "" : balance)
                    + "," + months[month] + "," + duration + "," + (yes ? "yes" : "no"));
        }
        Files.createDirectories(folder);
        Files.write(folder.resolve("part-0.csv"), lines, StandardCharsets.UTF_8);
        return folder;
    }
}
