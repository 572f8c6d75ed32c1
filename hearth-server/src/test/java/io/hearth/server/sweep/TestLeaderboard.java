package io.hearth.server.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestLeaderboard {
    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    private static Sweep sweep(String metric) {
        return new Sweep("sw-1", "s", "j-1", SweepPlanner.Isolation.SHARED, 2, false, metric, "{}", SweepState.COMPLETED, null, null, START, START);
    }

    private static SweepTask task(String id, String label, TaskState state, String metrics) {
        return task(id, "{\"label\": {\"column\": \"" + label + "\"}, \"model\": {\"type\": \"gbt\"}}", state, metrics, 0);
    }

    private static SweepTask task(String id, String spec, TaskState state, String metrics, int position) {
        return new SweepTask("sw-1", id, position, "d " + id, spec, state, 1, "m-" + id, "s-" + id, "app-" + id, "/logs/" + id,
                state == TaskState.FAILED ? "bad" : null, metrics, START, START.plusSeconds(30));
    }

    private static String validation(double auc, Double logLoss) {
        return "{\"validation\": {\"rows\": 10, \"auc_roc\": " + auc + (logLoss == null ? "" : ", \"log_loss\": " + logLoss) + "},"
                + " \"test\": {\"rows\": 10, \"auc_roc\": 0.5, \"log_loss\": 0.9}}";
    }

    private static String binary(double validationAuc, double testAuc) {
        return "{\"validation\": {\"rows\": 10, \"auc_roc\": " + validationAuc + ", \"confusion_matrix\": {\"labels\": [\"0\"]}},"
                + " \"test\": {\"rows\": 10, \"auc_roc\": " + testAuc + ", \"accuracy\": 0.9}}";
    }

    @Test
    void ranksSucceededTasksByValidationMetricAndPutsTheRestLast() {
        Leaderboard board = Leaderboard.of(sweep(null), List.of(
                task("t-1", "y", TaskState.SUCCEEDED, binary(0.80, 0.99)),
                task("t-2", "y", TaskState.FAILED, null),
                task("t-3", "y", TaskState.SUCCEEDED, binary(0.95, 0.90))), null);

        assertThat(board.metric()).isEqualTo("auc_roc");
        assertThat(board.entries()).extracting(Leaderboard.Entry::taskId).containsExactly("t-3", "t-1", "t-2");
        assertThat(board.entries()).extracting(Leaderboard.Entry::rank).containsExactly(1, 2, null);
        assertThat(board.entries().get(0).measuredOn()).isEqualTo("validation");
        assertThat(board.entries().get(0).validation()).doesNotContainKey("confusion_matrix");
        assertThat(board.entries().get(0).durationSeconds()).isEqualTo(30.0);
        assertThat(board.best()).extracting(Leaderboard.Entry::taskId).containsExactly("t-3");
    }

    @Test
    void tiesAreBrokenByLogLossThenFewerFeaturesThenPlanOrder() {
        String all = "{\"label\": {\"column\": \"y\"}, \"model\": {\"type\": \"random_forest\"}}";
        String five = "{\"label\": {\"column\": \"y\"}, \"features\": {\"columns\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}, \"model\": {\"type\": \"gbt\"}}";
        String two = "{\"label\": {\"column\": \"y\"}, \"features\": {\"columns\": [\"a\", \"b\"]}, \"model\": {\"type\": \"gbt\"}}";
        Leaderboard board = Leaderboard.of(sweep(null), List.of(
                task("t-1", all, TaskState.SUCCEEDED, validation(1.0, 0.05), 0),
                task("t-2", all, TaskState.SUCCEEDED, validation(1.0, 0.02), 1),
                task("t-3", all, TaskState.SUCCEEDED, validation(0.99, 0.001), 2),
                task("t-4", five, TaskState.SUCCEEDED, validation(1.0, 0.05), 3),
                task("t-5", five, TaskState.SUCCEEDED, validation(1.0, 0.05), 4),
                task("t-6", all, TaskState.SUCCEEDED, validation(1.0, null), 5),
                task("t-7", two, TaskState.SUCCEEDED, validation(1.0, 0.05), 6)), null);

        // AUC first; the validation log-loss; fewer listed features (a spec listing none uses every column); plan order.
        // A task without a log-loss (linear_svc) comes after those with one; the test rows never decide.
        assertThat(board.entries()).extracting(Leaderboard.Entry::taskId).containsExactly("t-2", "t-7", "t-4", "t-5", "t-1", "t-6", "t-3");
        assertThat(board.best()).extracting(Leaderboard.Entry::taskId).containsExactly("t-2");

        Leaderboard byLogLoss = Leaderboard.of(sweep("validation.log_loss"), List.of(
                task("t-1", all, TaskState.SUCCEEDED, "{\"validation\": {\"log_loss\": 0.1, \"accuracy\": 0.9}}", 0),
                task("t-2", all, TaskState.SUCCEEDED, "{\"validation\": {\"log_loss\": 0.1, \"accuracy\": 0.95}}", 1)), null);
        assertThat(byLogLoss.entries()).as("ranked by log-loss, ties by accuracy").extracting(Leaderboard.Entry::taskId).containsExactly("t-2", "t-1");

        Leaderboard regression = Leaderboard.of(sweep(null), List.of(
                task("t-1", all, TaskState.SUCCEEDED, "{\"test\": {\"rmse\": 2.0, \"mae\": 1.5}}", 0),
                task("t-2", all, TaskState.SUCCEEDED, "{\"test\": {\"rmse\": 2.0, \"mae\": 1.2}}", 1)), null);
        assertThat(regression.entries()).as("ranked by RMSE, ties by MAE").extracting(Leaderboard.Entry::taskId).containsExactly("t-2", "t-1");
    }

    @Test
    void withoutMetricsNothingIsRanked() {
        Leaderboard board = Leaderboard.of(sweep(null), List.of(task("t-1", "y", TaskState.FAILED, null), task("t-2", "y", TaskState.CANCELLED, null)), null);

        assertThat(board.metric()).isNull();
        assertThat(board.entries()).extracting(Leaderboard.Entry::taskId, Leaderboard.Entry::rank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t-1", null), org.assertj.core.groups.Tuple.tuple("t-2", null));
        assertThat(board.best()).isEmpty();
    }

    @Test
    void aChosenSplitAndALowerIsBetterMetric() {
        List<SweepTask> tasks = List.of(
                task("t-1", "y", TaskState.SUCCEEDED, "{\"test\": {\"rmse\": 3.0, \"r2\": 0.5}}"),
                task("t-2", "y", TaskState.SUCCEEDED, "{\"test\": {\"rmse\": 2.0, \"r2\": 0.6}}"));

        assertThat(Leaderboard.of(sweep(null), tasks, null).entries()).extracting(Leaderboard.Entry::taskId).containsExactly("t-2", "t-1");
        Leaderboard byTest = Leaderboard.of(sweep("test.r2"), tasks, null);
        assertThat(byTest.higherIsBetter()).isTrue();
        assertThat(byTest.entries()).extracting(Leaderboard.Entry::value).containsExactly(0.6, 0.5);
        assertThatThrownBy(() -> Leaderboard.of(sweep(null), tasks, "aucroc")).hasMessageStartingWith("metric: unknown metric 'aucroc'");
    }

    @Test
    void everyLabelHasItsBestModel() {
        Leaderboard board = Leaderboard.of(sweep("test.auc_roc"), List.of(
                task("t-1", "is_0", TaskState.SUCCEEDED, binary(0.9, 0.97)),
                task("t-2", "is_1", TaskState.SUCCEEDED, binary(0.9, 0.99)),
                task("t-3", "is_0", TaskState.SUCCEEDED, binary(0.9, 0.98))), null);

        assertThat(board.best()).extracting(Leaderboard.Entry::taskId).containsExactly("t-2", "t-3");
        assertThat(board.entries()).extracting(Leaderboard.Entry::label).containsExactly("is_1", "is_0", "is_0");
        assertThat(LeaderboardTable.rows(board).lines().findFirst().orElseThrow())
                .startsWith("1\tt-2\td t-2\tis_1\tgbt\tSUCCEEDED\t1\ttest.auc_roc\t0.99\t0.99\t\\N\t0.9\t");
    }
}
