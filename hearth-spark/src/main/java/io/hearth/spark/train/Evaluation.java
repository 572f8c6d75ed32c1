package io.hearth.spark.train;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import io.hearth.spark.train.TrainingSpec.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.functions;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The metrics of a model on predicted rows: for classifiers AUC-ROC and AUC-PR (binary), accuracy,
 * F1, precision, recall (of the positive class for a binary task, weighted over classes for a
 * multiclass one), log-loss when the model gives probabilities, and the confusion matrix; for
 * regressors RMSE, MAE and R2.
 *
 * <p>The definitions are Spark's evaluators' ({@code MulticlassMetrics}, {@code RegressionMetrics},
 * {@code BinaryClassificationMetrics} with 1000 bins), but computed in as few passes as possible:
 * one aggregation gives the confusion matrix (and the log-loss) from which the other classifier
 * metrics follow, and one {@link BinaryClassificationMetrics} gives both areas. Asking each Spark
 * evaluator in turn takes ten passes over the rows.
 */
final class Evaluation {
    /** Probabilities are clipped to this before their log is taken, as Spark's log-loss does. */
    private static final double LOG_LOSS_EPSILON = 1e-15;
    private static final int BINS = 1000;

    private Evaluation() {}

    static Map<String, Object> of(Dataset<Row> predictions, Task task, List<String> classes) {
        if (task == Task.REGRESSION) {
            return regression(predictions);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        boolean probabilities = Arrays.asList(predictions.columns()).contains("probability");
        Column label = col(TrainingPipeline.LABEL);
        Column loss = lit(0.0);
        if (probabilities) {
            Column probability = element_at(functions.vector_to_array(col("probability"), "float64"), label.cast("int").plus(1));
            loss = log(greatest(probability, lit(LOG_LOSS_EPSILON))).multiply(-1);
        }
        List<Row> groups = predictions.groupBy(label, col("prediction")).agg(count(lit(1)), sum(loss)).collectAsList();
        long[][] matrix = new long[classes.size()][classes.size()];
        long rows = 0;
        double lossSum = 0;
        for (Row group : groups) {
            int actual = (int) group.getDouble(0);
            int predicted = (int) group.getDouble(1);
            long n = group.getLong(2);
            rows += n;
            lossSum += group.isNullAt(3) ? 0 : group.getDouble(3);
            if (actual < classes.size() && predicted < classes.size()) {
                matrix[actual][predicted] = n;
            }
        }
        metrics.put("rows", rows);
        if (task == Task.BINARY) {
            BinaryClassificationMetrics binary = binaryMetrics(predictions);
            try {
                metrics.put("auc_roc", binary.areaUnderROC());
                metrics.put("auc_pr", binary.areaUnderPR());
            } finally {
                binary.unpersist();
            }
        }
        ConfusionMatrix confusion = new ConfusionMatrix(matrix, rows);
        metrics.put("accuracy", confusion.accuracy());
        if (task == Task.BINARY) {
            metrics.put("f1", confusion.f1(1));
            metrics.put("precision", confusion.precision(1));
            metrics.put("recall", confusion.recall(1));
        } else {
            metrics.put("f1", confusion.weighted(confusion::f1));
            metrics.put("precision", confusion.weighted(confusion::precision));
            metrics.put("recall", confusion.weighted(confusion::recall));
        }
        if (probabilities) {
            metrics.put("log_loss", rows == 0 ? Double.NaN : lossSum / rows);
        }
        Map<String, Object> confusionMatrix = new LinkedHashMap<>();
        confusionMatrix.put("labels", classes);
        confusionMatrix.put("matrix", matrix);
        metrics.put("confusion_matrix", confusionMatrix);
        return metrics;
    }

    /** The positive class's raw score against the label, as Spark's BinaryClassificationEvaluator reads them. */
    private static BinaryClassificationMetrics binaryMetrics(Dataset<Row> predictions) {
        Column score = functions.vector_to_array(col("rawPrediction"), "float64").getItem(1);
        JavaRDD<Tuple2<Object, Object>> pairs = predictions.select(score, col(TrainingPipeline.LABEL)).javaRDD()
                .map(row -> new Tuple2<>(row.getDouble(0), row.getDouble(1)));
        return new BinaryClassificationMetrics(pairs.rdd(), BINS);
    }

    /** RMSE, MAE and R2 from one aggregation. */
    private static Map<String, Object> regression(Dataset<Row> predictions) {
        Column label = col(TrainingPipeline.LABEL);
        Column error = col("prediction").minus(label);
        Row sums = predictions.agg(count(lit(1)), sum(pow(error, 2)), sum(abs(error)), sum(label), sum(pow(label, 2))).first();
        long rows = sums.getLong(0);
        double squaredErrors = sums.isNullAt(1) ? 0 : sums.getDouble(1);
        double absoluteErrors = sums.isNullAt(2) ? 0 : sums.getDouble(2);
        double labelSum = sums.isNullAt(3) ? 0 : sums.getDouble(3);
        double labelSquares = sums.isNullAt(4) ? 0 : sums.getDouble(4);
        double totalSquares = labelSquares - labelSum * labelSum / rows;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rows", rows);
        metrics.put("rmse", Math.sqrt(squaredErrors / rows));
        metrics.put("mae", absoluteErrors / rows);
        metrics.put("r2", 1 - squaredErrors / totalSquares);
        return metrics;
    }

    /**
     * Per-class precision, recall and F1 from counts (rows actual, columns predicted), defined as in
     * Spark's MulticlassMetrics: a class never predicted has precision 0, and the weighted averages
     * run over the classes that occur, weighted by how often.
     */
    record ConfusionMatrix(long[][] counts, long rows) {
        double accuracy() {
            long right = 0;
            for (int i = 0; i < counts.length; i++) {
                right += counts[i][i];
            }
            return rows == 0 ? 0 : (double) right / rows;
        }

        double precision(int label) {
            long predicted = 0;
            for (long[] actual : counts) {
                predicted += actual[label];
            }
            return predicted == 0 ? 0 : (double) counts[label][label] / predicted;
        }

        double recall(int label) {
            long actual = Arrays.stream(counts[label]).sum();
            return actual == 0 ? 0 : (double) counts[label][label] / actual;
        }

        double f1(int label) {
            double precision = precision(label);
            double recall = recall(label);
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }

        double weighted(java.util.function.IntToDoubleFunction metric) {
            double total = 0;
            for (int label = 0; label < counts.length; label++) {
                long actual = Arrays.stream(counts[label]).sum();
                if (actual > 0) {
                    total += metric.applyAsDouble(label) * actual / rows;
                }
            }
            return total;
        }
    }
}
