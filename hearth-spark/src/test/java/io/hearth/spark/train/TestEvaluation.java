package io.hearth.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.apache.spark.sql.functions.col;

import io.hearth.spark.train.TrainingSpec.Task;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hearth's few-pass metrics give what Spark's evaluators give, metric by metric, on real models'
 * predictions, both when computed on the driver and when aggregated by Spark.
 */
class TestEvaluation {
    private static final double TOLERANCE = 1e-9;

    @TempDir
    static Path scratch;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("evaluation tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A model's predictions on the rows it was fitted on, the label in Hearth's label column. */
    private static Dataset<Row> predictions(Path csv, String label, PipelineStage model) {
        Dataset<Row> rows = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString())
                .withColumn(TrainingPipeline.LABEL, col(label).cast("double"));
        String[] features = Arrays.stream(rows.columns()).filter(name -> !name.equals(label) && !name.equals(TrainingPipeline.LABEL)).toArray(String[]::new);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(features).setOutputCol(TrainingPipeline.FEATURES), model});
        return pipeline.fit(rows).transform(rows).cache();
    }

    private static double multiclass(Dataset<Row> predictions, String metric, double label) {
        return new MulticlassClassificationEvaluator().setLabelCol(TrainingPipeline.LABEL).setMetricName(metric).setMetricLabel(label).evaluate(predictions);
    }

    /** The metrics computed on the driver, then by Spark's aggregations. */
    private static List<Map<String, Object>> bothWays(Dataset<Row> predictions, Task task, List<String> classes) {
        long rows = predictions.count();
        return List.of(Evaluation.of(Map.of("set", predictions), task, classes, rows).get("set"),
                Evaluation.of(Map.of("set", predictions), task, classes, rows, 0).get("set"));
    }

    @Test
    void setsCollectedTogetherGetTheirOwnMetrics() {
        Path data = SklearnDatasets.classification("breast_cancer.csv", scratch.resolve("breast_cancer_sets"));
        Dataset<Row> predictions = predictions(data, "target",
                new LogisticRegression().setMaxIter(20).setFeaturesCol(TrainingPipeline.FEATURES).setLabelCol(TrainingPipeline.LABEL));
        Dataset<Row> first = predictions.filter(col("f0").lt(14));
        Dataset<Row> rest = predictions.filter(col("f0").geq(14));
        Map<String, Dataset<Row>> sets = new java.util.LinkedHashMap<>();
        sets.put("validation", first);
        sets.put("test", rest);

        Map<String, Map<String, Object>> together = Evaluation.of(sets, Task.BINARY, List.of("0", "1"), 569);

        assertThat(together.keySet()).containsExactly("validation", "test");
        assertThat(together.get("validation").get("rows")).isEqualTo(first.count());
        assertThat(together.get("test").get("rows")).isEqualTo(rest.count());
        assertThat(first.count()).isPositive();
        assertThat(rest.count()).isPositive();
        for (String name : sets.keySet()) {
            Map<String, Object> alone = Evaluation.of(Map.of(name, sets.get(name)), Task.BINARY, List.of("0", "1"), 569, 0).get(name);
            for (String metric : List.of("auc_roc", "auc_pr", "accuracy", "f1", "precision", "recall", "log_loss")) {
                assertThat((Double) together.get(name).get(metric)).as(name + " " + metric).isCloseTo((Double) alone.get(metric), within(TOLERANCE));
            }
        }
    }

    @Test
    void binaryMetricsEqualSparksEvaluators() {
        Path data = SklearnDatasets.classification("breast_cancer.csv", scratch.resolve("breast_cancer"));
        Dataset<Row> logistic = predictions(data, "target",
                new LogisticRegression().setMaxIter(20).setFeaturesCol(TrainingPipeline.FEATURES).setLabelCol(TrainingPipeline.LABEL));
        // A shallow tree's few distinct scores are shared by many rows: ties must be one point of the curves.
        Dataset<Row> tree = predictions(data, "target",
                new DecisionTreeClassifier().setMaxDepth(2).setFeaturesCol(TrainingPipeline.FEATURES).setLabelCol(TrainingPipeline.LABEL));
        assertThat(tree.select("rawPrediction").distinct().count()).isLessThan(10);

        for (Dataset<Row> predictions : List.of(logistic, tree)) {
            for (Map<String, Object> metrics : bothWays(predictions, Task.BINARY, List.of("0", "1"))) {
                BinaryClassificationEvaluator binary = new BinaryClassificationEvaluator().setLabelCol(TrainingPipeline.LABEL).setNumBins(0);
                assertThat((Double) metrics.get("auc_roc")).isCloseTo(binary.setMetricName("areaUnderROC").evaluate(predictions), within(TOLERANCE));
                assertThat((Double) metrics.get("auc_pr")).isCloseTo(binary.setMetricName("areaUnderPR").evaluate(predictions), within(TOLERANCE));
                assertThat((Double) metrics.get("accuracy")).isCloseTo(multiclass(predictions, "accuracy", 1.0), within(TOLERANCE));
                assertThat((Double) metrics.get("f1")).isCloseTo(multiclass(predictions, "fMeasureByLabel", 1.0), within(TOLERANCE));
                assertThat((Double) metrics.get("precision")).isCloseTo(multiclass(predictions, "precisionByLabel", 1.0), within(TOLERANCE));
                assertThat((Double) metrics.get("recall")).isCloseTo(multiclass(predictions, "recallByLabel", 1.0), within(TOLERANCE));
                assertThat((Double) metrics.get("log_loss")).isCloseTo(multiclass(predictions, "logLoss", 1.0), within(TOLERANCE));
                assertThat(metrics.get("rows")).isEqualTo(predictions.count());
                assertThat((Double) metrics.get("accuracy")).as("a real model, not a constant").isGreaterThan(0.9);
                assertConfusionMatrix(metrics, predictions);
            }
        }
    }

    @Test
    void areasOfSmallCasesByHand() {
        // Perfect ranking; a reversed one; every score tied (the diagonal); one positive only.
        assertThat(Evaluation.BinaryAreas.of(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {1, 1, 0, 0})).containsExactly(1.0, 1.0);
        assertThat(Evaluation.BinaryAreas.of(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0, 0, 1, 1})[0]).isEqualTo(0.0);
        assertThat(Evaluation.BinaryAreas.of(new double[] {0.5, 0.5, 0.5, 0.5}, new double[] {1, 0, 1, 0})).containsExactly(0.5, 0.5);
        assertThat(Evaluation.BinaryAreas.of(new double[] {0.3, 0.9, 0.1}, new double[] {0, 1, 0})).containsExactly(1.0, 1.0);
    }

    @Test
    void multiclassMetricsEqualSparksEvaluatorsEvenWithAClassNeverPredicted() {
        Path data = SklearnDatasets.classification("iris.csv", scratch.resolve("iris"));
        // A stump predicts at most two of the three classes: the third has no precision to speak of.
        Dataset<Row> stump = predictions(data, "target",
                new DecisionTreeClassifier().setMaxDepth(1).setFeaturesCol(TrainingPipeline.FEATURES).setLabelCol(TrainingPipeline.LABEL));
        Dataset<Row> logistic = predictions(data, "target",
                new LogisticRegression().setMaxIter(30).setFeaturesCol(TrainingPipeline.FEATURES).setLabelCol(TrainingPipeline.LABEL));
        assertThat(stump.select("prediction").distinct().count()).isLessThan(3);

        for (Dataset<Row> predictions : List.of(stump, logistic)) {
            for (Map<String, Object> metrics : bothWays(predictions, Task.MULTICLASS, List.of("0", "1", "2"))) {
                assertThat((Double) metrics.get("accuracy")).isCloseTo(multiclass(predictions, "accuracy", 0), within(TOLERANCE));
                assertThat((Double) metrics.get("f1")).isCloseTo(multiclass(predictions, "f1", 0), within(TOLERANCE));
                assertThat((Double) metrics.get("precision")).isCloseTo(multiclass(predictions, "weightedPrecision", 0), within(TOLERANCE));
                assertThat((Double) metrics.get("recall")).isCloseTo(multiclass(predictions, "weightedRecall", 0), within(TOLERANCE));
                assertThat((Double) metrics.get("log_loss")).isCloseTo(multiclass(predictions, "logLoss", 0), within(TOLERANCE));
                assertThat(metrics).doesNotContainKey("auc_roc");
                assertConfusionMatrix(metrics, predictions);
            }
        }
    }

    @Test
    void regressionMetricsEqualSparksEvaluator() {
        Path data = SklearnDatasets.diabetes(scratch.resolve("diabetes"));
        Dataset<Row> predictions = predictions(data, "progression",
                new LinearRegression().setFeaturesCol(TrainingPipeline.FEATURES).setLabelCol(TrainingPipeline.LABEL));

        RegressionEvaluator regression = new RegressionEvaluator().setLabelCol(TrainingPipeline.LABEL);
        for (Map<String, Object> metrics : bothWays(predictions, Task.REGRESSION, List.of())) {
            assertThat((Double) metrics.get("rmse")).isCloseTo(regression.setMetricName("rmse").evaluate(predictions), within(1e-6));
            assertThat((Double) metrics.get("mae")).isCloseTo(regression.setMetricName("mae").evaluate(predictions), within(1e-6));
            assertThat((Double) metrics.get("r2")).isCloseTo(regression.setMetricName("r2").evaluate(predictions), within(1e-9));
            assertThat((Double) metrics.get("r2")).isBetween(0.3, 0.9);
            assertThat(metrics.get("rows")).isEqualTo(442L);
        }
    }

    /** The matrix's cells are the counts of (actual, predicted) pairs. */
    private static void assertConfusionMatrix(Map<String, Object> metrics, Dataset<Row> predictions) {
        long[][] matrix = (long[][]) ((Map<?, ?>) metrics.get("confusion_matrix")).get("matrix");
        for (int actual = 0; actual < matrix.length; actual++) {
            for (int predicted = 0; predicted < matrix.length; predicted++) {
                long expected = predictions.filter(col(TrainingPipeline.LABEL).equalTo((double) actual).and(col("prediction").equalTo((double) predicted))).count();
                assertThat(matrix[actual][predicted]).as("actual %d, predicted %d", actual, predicted).isEqualTo(expected);
            }
        }
    }
}
