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
import java.util.ArrayList;
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
 * and {@code BinaryClassificationMetrics} without binning, so the areas are exact), but computed
 * in as few passes as possible: asking each Spark evaluator in turn takes ten passes over the rows
 * and a dozen Spark jobs. Up to {@link #LOCAL_ROWS} rows, the few numbers each row contributes are
 * collected in one pass and the metrics computed on the driver; above, one aggregation gives the
 * confusion matrix and log-loss, and one {@link BinaryClassificationMetrics} both areas.
 */
final class Evaluation {
    /** Sets up to this many rows are evaluated on the driver: at most four doubles a row are collected. */
    static final long LOCAL_ROWS = 1_000_000;
    /** Probabilities are clipped to this before their log is taken, as Spark's log-loss does. */
    private static final double LOG_LOSS_EPSILON = 1e-15;

    private Evaluation() {}

    /**
     * The metrics of each named set of predictions (validation, test) of one model. {@code rowsAtMost}
     * bounds each set's size (the data's rows will do) and decides where to compute: up to
     * {@link #LOCAL_ROWS}, all the sets are collected in one Spark job.
     */
    static Map<String, Map<String, Object>> of(Map<String, Dataset<Row>> sets, Task task, List<String> classes, long rowsAtMost) {
        return of(sets, task, classes, rowsAtMost, LOCAL_ROWS);
    }

    static Map<String, Map<String, Object>> of(Map<String, Dataset<Row>> sets, Task task, List<String> classes, long rowsAtMost, long localRows) {
        Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
        if (rowsAtMost > localRows) {
            sets.forEach((name, predictions) -> metrics.put(name, aggregated(predictions, task, classes)));
            return metrics;
        }
        // Columns: set index, label, prediction, the row's log-loss, the positive class's score.
        Dataset<Row> all = null;
        int index = 0;
        for (Dataset<Row> predictions : sets.values()) {
            Dataset<Row> part = predictions.select(lit(index++).as("__set"), col(TrainingPipeline.LABEL), col("prediction"), loss(predictions, task), score(task));
            all = all == null ? part : all.union(part);
        }
        List<List<Row>> bySet = new ArrayList<>();
        sets.keySet().forEach(name -> bySet.add(new ArrayList<>()));
        for (Row row : all.collectAsList()) {
            bySet.get(row.getInt(0)).add(row);
        }
        boolean probabilities = hasProbabilities(sets.values().iterator().next());
        index = 0;
        for (String name : sets.keySet()) {
            List<Row> rows = bySet.get(index++);
            metrics.put(name, task == Task.REGRESSION ? RegressionSums.of(rows).metrics() : classification(rows, task, classes, probabilities));
        }
        return metrics;
    }

    private static boolean hasProbabilities(Dataset<Row> predictions) {
        return Arrays.asList(predictions.columns()).contains("probability");
    }

    /** A row's log-loss: minus the log of the probability given to its class, clipped as Spark clips it; 0 without probabilities. */
    private static Column loss(Dataset<Row> predictions, Task task) {
        if (task == Task.REGRESSION || !hasProbabilities(predictions)) {
            return lit(0.0);
        }
        Column label = col(TrainingPipeline.LABEL);
        Column probability = element_at(functions.vector_to_array(col("probability"), "float64"), label.cast("int").plus(1));
        return log(greatest(probability, lit(LOG_LOSS_EPSILON))).multiply(-1);
    }

    /** The positive class's raw score, as Spark's BinaryClassificationEvaluator reads it. */
    private static Column score(Task task) {
        return task == Task.BINARY ? functions.vector_to_array(col("rawPrediction"), "float64").getItem(1) : lit(0.0);
    }

    /** From collected rows: (set, label, prediction, loss, score). */
    private static Map<String, Object> classification(List<Row> rows, Task task, List<String> classes, boolean probabilities) {
        long[][] matrix = new long[classes.size()][classes.size()];
        double lossSum = 0;
        double[] scores = new double[rows.size()];
        double[] labels = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            add(matrix, row.getDouble(1), row.getDouble(2), 1);
            lossSum += row.isNullAt(3) ? 0 : row.getDouble(3);
            labels[i] = row.getDouble(1);
            scores[i] = row.getDouble(4);
        }
        return classificationMetrics(task, classes, matrix, rows.size(), probabilities ? lossSum : Double.NaN,
                task == Task.BINARY ? BinaryAreas.of(scores, labels) : null);
    }

    /** By Spark: one aggregation, and one BinaryClassificationMetrics for a binary task. */
    private static Map<String, Object> aggregated(Dataset<Row> predictions, Task task, List<String> classes) {
        if (task == Task.REGRESSION) {
            return RegressionSums.aggregate(predictions).metrics();
        }
        long[][] matrix = new long[classes.size()][classes.size()];
        long counted = 0;
        double lossSum = 0;
        Column label = col(TrainingPipeline.LABEL);
        for (Row group : predictions.groupBy(label, col("prediction")).agg(count(lit(1)), sum(loss(predictions, task))).collectAsList()) {
            counted += group.getLong(2);
            add(matrix, group.getDouble(0), group.getDouble(1), group.getLong(2));
            lossSum += group.isNullAt(3) ? 0 : group.getDouble(3);
        }
        double[] areas = task == Task.BINARY ? binaryAreas(predictions.select(score(task), label)) : null;
        return classificationMetrics(task, classes, matrix, counted, hasProbabilities(predictions) ? lossSum : Double.NaN, areas);
    }

    /** {@code lossSum} is NaN when the model gives no probabilities; {@code areas} (AUC-ROC, AUC-PR) null unless binary. */
    private static Map<String, Object> classificationMetrics(Task task, List<String> classes, long[][] matrix, long rows, double lossSum, double[] areas) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rows", rows);
        if (areas != null) {
            metrics.put("auc_roc", areas[0]);
            metrics.put("auc_pr", areas[1]);
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
        if (!Double.isNaN(lossSum)) {
            metrics.put("log_loss", rows == 0 ? Double.NaN : lossSum / rows);
        }
        Map<String, Object> confusionMatrix = new LinkedHashMap<>();
        confusionMatrix.put("labels", classes);
        confusionMatrix.put("matrix", matrix);
        metrics.put("confusion_matrix", confusionMatrix);
        return metrics;
    }

    private static void add(long[][] matrix, double actual, double predicted, long n) {
        if (actual < matrix.length && predicted < matrix.length) {
            matrix[(int) actual][(int) predicted] += n;
        }
    }

    /** AUC-ROC and AUC-PR of (score, label) rows by Spark, every distinct score a threshold. */
    private static double[] binaryAreas(Dataset<Row> scoreAndLabel) {
        JavaRDD<Tuple2<Object, Object>> pairs = scoreAndLabel.javaRDD().map(row -> new Tuple2<>(row.getDouble(0), row.getDouble(1)));
        BinaryClassificationMetrics binary = new BinaryClassificationMetrics(pairs.rdd(), 0);
        try {
            return new double[] {binary.areaUnderROC(), binary.areaUnderPR()};
        } finally {
            binary.unpersist();
        }
    }

    /**
     * The areas under the ROC and precision-recall curves, computed as Spark's
     * BinaryClassificationMetrics does without bins: scores in descending order, one point per
     * distinct score, ROC from (0, 0) to (1, 1), PR starting at recall 0 with the first point's
     * precision, trapezoids between points. A label above 0.5 is positive.
     */
    static final class BinaryAreas {
        private BinaryAreas() {}

        static double[] of(double[] scores, double[] labels) {
            Integer[] order = new Integer[scores.length];
            long positives = 0;
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
                positives += labels[i] > 0.5 ? 1 : 0;
            }
            long negatives = scores.length - positives;
            Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            double roc = 0;
            double pr = 0;
            double fpr = 0;
            double tpr = 0;
            double recall = 0;
            double precision = Double.NaN;
            long truePositives = 0;
            long falsePositives = 0;
            for (int i = 0; i < order.length; i++) {
                if (labels[order[i]] > 0.5) {
                    truePositives++;
                } else {
                    falsePositives++;
                }
                if (i + 1 < order.length && Double.compare(scores[order[i + 1]], scores[order[i]]) == 0) {
                    continue; // one point per distinct score
                }
                double nextFpr = negatives == 0 ? 0 : (double) falsePositives / negatives;
                double nextTpr = positives == 0 ? 0 : (double) truePositives / positives;
                double nextPrecision = (double) truePositives / (truePositives + falsePositives);
                roc += (nextFpr - fpr) * (nextTpr + tpr) / 2;
                pr += (nextTpr - recall) * (nextPrecision + (Double.isNaN(precision) ? nextPrecision : precision)) / 2;
                fpr = nextFpr;
                tpr = nextTpr;
                recall = nextTpr;
                precision = nextPrecision;
            }
            roc += (1 - fpr) * (1 + tpr) / 2;
            return new double[] {roc, pr};
        }
    }

    /** The sums RMSE, MAE and R2 come from, collected or aggregated. */
    private record RegressionSums(long rows, double squaredErrors, double absoluteErrors, double labelSum, double labelSquares) {
        /** From collected rows: (set, label, prediction, ...). */
        static RegressionSums of(List<Row> collected) {
            long rows = 0;
            double squared = 0;
            double absolute = 0;
            double labels = 0;
            double squares = 0;
            for (Row row : collected) {
                double label = row.getDouble(1);
                double error = row.getDouble(2) - label;
                rows++;
                squared += error * error;
                absolute += Math.abs(error);
                labels += label;
                squares += label * label;
            }
            return new RegressionSums(rows, squared, absolute, labels, squares);
        }

        static RegressionSums aggregate(Dataset<Row> predictions) {
            Column label = col(TrainingPipeline.LABEL);
            Column error = col("prediction").minus(label);
            Row sums = predictions.agg(count(lit(1)), sum(pow(error, 2)), sum(abs(error)), sum(label), sum(pow(label, 2))).first();
            return new RegressionSums(sums.getLong(0), sums.isNullAt(1) ? 0 : sums.getDouble(1), sums.isNullAt(2) ? 0 : sums.getDouble(2),
                    sums.isNullAt(3) ? 0 : sums.getDouble(3), sums.isNullAt(4) ? 0 : sums.getDouble(4));
        }

        Map<String, Object> metrics() {
            double totalSquares = labelSquares - labelSum * labelSum / rows;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("rows", rows);
            metrics.put("rmse", Math.sqrt(squaredErrors / rows));
            metrics.put("mae", absoluteErrors / rows);
            metrics.put("r2", 1 - squaredErrors / totalSquares);
            return metrics;
        }
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
