package io.hearth.server.sweep;

import io.hearth.server.HearthException;
import java.util.Locale;
import java.util.Set;

/**
 * The metric a sweep's leaderboard is sorted by: a metric name the training job writes
 * ({@code auc_roc}, {@code rmse}, ...), optionally prefixed by the rows it is measured on
 * ({@code validation.} or {@code test.}). Without a prefix the validation rows are used when a
 * task has them, else the test rows, so a model is chosen on rows it was not tested on.
 */
public record RankingMetric(String split, String name) {
    private static final Set<String> HIGHER_IS_BETTER = Set.of("auc_roc", "auc_pr", "accuracy", "f1", "precision", "recall", "r2");
    private static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "rmse", "mae");
    private static final Set<String> SPLITS = Set.of("validation", "test");

    /** The metric written as {@code [validation.|test.]name}; {@code field} names it in errors. */
    public static RankingMetric parse(String text, String field) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        String split = null;
        int dot = value.indexOf('.');
        if (dot >= 0) {
            split = value.substring(0, dot);
            value = value.substring(dot + 1);
            if (!SPLITS.contains(split)) {
                throw HearthException.invalidArgument("%s: '%s' is measured on validation or test rows, not '%s'", field, text, split);
            }
        }
        if (!HIGHER_IS_BETTER.contains(value) && !LOWER_IS_BETTER.contains(value)) {
            throw HearthException.invalidArgument("%s: unknown metric '%s'; the metrics are auc_roc, auc_pr, accuracy, f1, precision, recall, "
                    + "log_loss (classifiers), rmse, mae, r2 (regressors), optionally prefixed by validation. or test.", field, text);
        }
        return new RankingMetric(split, value);
    }

    /** The metric for tasks whose metrics look like {@code sample}: AUC-ROC for binary, accuracy for multiclass, RMSE for regression. */
    static RankingMetric defaultFor(java.util.Map<String, Object> sample) {
        if (sample.containsKey("auc_roc")) {
            return new RankingMetric(null, "auc_roc");
        }
        return sample.containsKey("accuracy") ? new RankingMetric(null, "accuracy") : new RankingMetric(null, "rmse");
    }

    public boolean higherIsBetter() {
        return HIGHER_IS_BETTER.contains(name);
    }

    @Override
    public String toString() {
        return split == null ? name : split + "." + name;
    }
}
