package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;

import io.hearth.spark.train.TrainingSpec.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The metrics of a model on predicted rows: for classifiers AUC-ROC and AUC-PR (binary), accuracy,
 * F1, precision, recall (of the positive class for a binary task, weighted over classes for a
 * multiclass one), log-loss when the model gives probabilities, and the confusion matrix; for
 * regressors RMSE, MAE and R2.
 */
final class Evaluation {
    private Evaluation() {}

    static Map<String, Object> of(Dataset<Row> predictions, Task task, List<String> classes) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rows", predictions.count());
        if (task == Task.REGRESSION) {
            for (String metric : List.of("rmse", "mae", "r2")) {
                metrics.put(metric, new RegressionEvaluator().setLabelCol(TrainingPipeline.LABEL).setPredictionCol("prediction")
                        .setMetricName(metric).evaluate(predictions));
            }
            return metrics;
        }
        boolean probabilities = Arrays.asList(predictions.columns()).contains("probability");
        if (task == Task.BINARY) {
            BinaryClassificationEvaluator binary = new BinaryClassificationEvaluator().setLabelCol(TrainingPipeline.LABEL).setRawPredictionCol("rawPrediction");
            metrics.put("auc_roc", binary.setMetricName("areaUnderROC").evaluate(predictions));
            metrics.put("auc_pr", binary.setMetricName("areaUnderPR").evaluate(predictions));
        }
        MulticlassClassificationEvaluator multi = new MulticlassClassificationEvaluator().setLabelCol(TrainingPipeline.LABEL).setPredictionCol("prediction");
        metrics.put("accuracy", multi.setMetricName("accuracy").evaluate(predictions));
        if (task == Task.BINARY) {
            multi.setMetricLabel(1.0);
            metrics.put("f1", multi.setMetricName("fMeasureByLabel").evaluate(predictions));
            metrics.put("precision", multi.setMetricName("precisionByLabel").evaluate(predictions));
            metrics.put("recall", multi.setMetricName("recallByLabel").evaluate(predictions));
        } else {
            metrics.put("f1", multi.setMetricName("f1").evaluate(predictions));
            metrics.put("precision", multi.setMetricName("weightedPrecision").evaluate(predictions));
            metrics.put("recall", multi.setMetricName("weightedRecall").evaluate(predictions));
        }
        if (probabilities) {
            metrics.put("log_loss", new MulticlassClassificationEvaluator().setLabelCol(TrainingPipeline.LABEL).setProbabilityCol("probability")
                    .setMetricName("logLoss").evaluate(predictions));
        }
        metrics.put("confusion_matrix", confusionMatrix(predictions, classes));
        return metrics;
    }

    /** Rows are the actual classes, columns the predicted ones, in the order of {@code classes}. */
    private static Map<String, Object> confusionMatrix(Dataset<Row> predictions, List<String> classes) {
        long[][] counts = new long[classes.size()][classes.size()];
        for (Row row : predictions.groupBy(col(TrainingPipeline.LABEL), col("prediction")).count().collectAsList()) {
            int actual = (int) row.getDouble(0);
            int predicted = (int) row.getDouble(1);
            if (actual < classes.size() && predicted < classes.size()) {
                counts[actual][predicted] = row.getLong(2);
            }
        }
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("labels", classes);
        matrix.put("matrix", counts);
        return matrix;
    }
}
