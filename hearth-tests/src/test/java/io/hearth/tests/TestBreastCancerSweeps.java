package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.createCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.client.HearthClient;
import io.hearth.client.Leaderboard;
import io.hearth.client.Specs;
import io.hearth.client.SweepStatus;
import io.hearth.client.TaskStatus;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Breast cancer sweeps: a grid of 12 configurations over three model types whose best model (chosen
 * on the validation rows) is checked on the test rows, and feature reduction for N in 5, 10, 20, 30
 * with the ranking computed by the sweep's first task.
 */
class TestBreastCancerSweeps {
    private static TestingHearth hearth;
    private static String clusterId;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).setting(CatalogConfig.ENABLED.key(), "false").start();
        hearth.s3().createBucket(r -> r.bucket("ml-data"));
        hearth.s3().putObject(r -> r.bucket("ml-data").key("breast-cancer/data.csv"), RequestBody.fromString(Datasets.breastCancerCsv()));
        clusterId = createCluster(hearth.emr(), TrainingClusters.smallJobsCluster("breast-cancer", 2));
    }

    @AfterAll
    static void stop() {
        if (hearth != null) {
            hearth.close();
        }
    }

    @Test
    void aGridOverThreeModelTypes() {
        HearthClient client = HearthClient.connect(hearth.endpoint());
        SweepStatus sweep = client.submitSweep(clusterId, Specs.parse("""
                {"name": "breast cancer grid", "isolation": "shared", "maxParallel": 2,
                 "base": {"input": {"path": "s3://ml-data/breast-cancer/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                          "label": {"column": "target"}, "split": {"train": 0.6, "validation": 0.2, "test": 0.2, "seed": 5},
                          "model": {"type": "logistic_regression"}},
                 "grid": [{"model": "logistic_regression", "params": {"regParam": [0.001, 0.01, 0.1, 1.0], "maxIter": [200]}},
                          {"model": "random_forest", "params": {"numTrees": [20, 50], "maxDepth": [4, 8], "seed": [1]}},
                          {"model": "gbt", "params": {"maxIter": [10, 20], "maxDepth": [2, 3], "seed": [1]}}]}
                """));
        assertThat(sweep.total()).isEqualTo(12);
        SweepStatus ended = client.awaitSweep(sweep.sweepId(), Duration.ofMinutes(10), status -> {});
        assertThat(ended.state()).as(ended.stateMessage() + " " + ended.unsuccessful()).isEqualTo("COMPLETED");

        Leaderboard board = client.leaderboard(sweep.sweepId());
        assertThat(board.metric()).as("binary: AUC-ROC on the validation rows").isEqualTo("auc_roc");
        assertThat(board.entries()).extracting(Leaderboard.Entry::model).containsOnly("logistic_regression", "random_forest", "gbt");
        assertThat(board.entries()).extracting(Leaderboard.Entry::measuredOn).containsOnly("validation");
        assertThat(board.entries()).extracting(Leaderboard.Entry::value).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        for (int i = 1; i < board.entries().size(); i++) {
            Leaderboard.Entry before = board.entries().get(i - 1);
            Leaderboard.Entry entry = board.entries().get(i);
            if (entry.value().equals(before.value())) {
                assertThat(entry.validation().get("log_loss")).as("a tie on validation AUC goes to the lower validation log-loss: %s, %s", before, entry)
                        .isGreaterThanOrEqualTo(before.validation().get("log_loss"));
            }
        }
        Leaderboard.Entry best = board.best().get(0);
        assertThat(best.rank()).isEqualTo(1);
        assertThat(best.test().get("auc_roc")).as("the best model on the test rows: %s", best).isGreaterThanOrEqualTo(0.97);
        // 212 malignant and 357 benign rows, each class cut at round(0.6 n) and round(0.8 n).
        JsonNode data = client.model(best.modelId()).card().path("data");
        assertThat(List.of(data.path("train_rows").asLong(), data.path("validation_rows").asLong(), data.path("test_rows").asLong()))
                .as("127 + 214, 43 + 72 and 42 + 71 rows: %s", data).containsExactly(341L, 115L, 113L);
        await("the best model is marked in the registry").atMost(Duration.ofSeconds(30)).until(() -> client.model(best.modelId()).best());
    }

    @Test
    void theTopNOfAComputedRanking() {
        HearthClient client = HearthClient.connect(hearth.endpoint());
        SweepStatus sweep = client.submitSweep(clusterId, Specs.parse("""
                {"name": "breast cancer feature reduction", "isolation": "shared", "maxParallel": 2, "metric": "test.auc_roc",
                 "base": {"input": {"path": "s3://ml-data/breast-cancer/", "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
                          "label": {"column": "target"}, "split": {"train": 0.7, "validation": 0.0, "test": 0.3, "seed": 11},
                          "model": {"type": "logistic_regression", "params": {"regParam": 0.01, "maxIter": 200}}},
                 "featureReduction": {"sizes": [5, 10, 20, 30]}}
                """));
        SweepStatus ended = client.awaitSweep(sweep.sweepId(), Duration.ofMinutes(8), status -> {});
        assertThat(ended.state()).as(ended.stateMessage() + " " + ended.unsuccessful()).isEqualTo("COMPLETED");
        assertThat(ended.tasks()).extracting(TaskStatus::description)
                .containsExactly("rank features with random_forest", "top 5 features", "top 10 features", "top 20 features", "top 30 features");

        JsonNode card = client.model(ended.tasks().get(0).modelId()).card();
        List<String> ranking = new ArrayList<>();
        card.path("feature_ranking").forEach(line -> ranking.add(line.path("column").asText()));
        assertThat(ranking).hasSize(30);
        int[] sizes = {5, 10, 20, 30};
        for (int i = 0; i < sizes.length; i++) {
            TaskStatus task = ended.tasks().get(i + 1);
            List<String> columns = new ArrayList<>();
            task.spec().path("features").path("columns").forEach(column -> columns.add(column.asText()));
            assertThat(columns).as(task.taskId() + " trains on the top of the ranking").isEqualTo(ranking.subList(0, sizes[i]));
            JsonNode features = client.model(task.modelId()).card().path("features").path("numeric");
            assertThat(features.size()).as("the model card lists the features used").isEqualTo(sizes[i]);
        }
        assertThat(ended.tasks().get(1).testMetric("auc_roc")).as("five well-chosen features already separate the classes").isGreaterThan(0.95);
        assertThat(ended.tasks().get(4).testMetric("auc_roc")).isGreaterThan(0.97);

        Leaderboard board = client.leaderboard(sweep.sweepId());
        assertThat(board.metric()).isEqualTo("test.auc_roc");
        assertThat(board.entries()).hasSize(5).allSatisfy(entry -> assertThat(entry.rank()).isNotNull());
    }
}
