package io.hearth.server.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.HearthException;
import org.junit.jupiter.api.Test;

class TestSweepPlanner {
    private static final String BASE = """
            "base": {"input": {"table": "ml.bc"}, "label": {"column": "target"}, "dropColumns": ["id"],
                     "model": {"type": "logistic_regression", "params": {"maxIter": 100}}}
            """;

    private static SweepPlanner.Plan plan(String body) {
        return SweepPlanner.plan(SweepPlanner.parse("{" + BASE + ", " + body + "}"));
    }

    private static void assertRejected(String body, String message) {
        assertThatThrownBy(() -> plan(body)).isInstanceOf(HearthException.class).hasMessage(message);
    }

    @Test
    void aGridIsEveryCombinationOfEachEntry() {
        SweepPlanner.Plan plan = plan("""
                "name": "bc grid", "maxParallel": 3, "isolation": "shared", "onFailure": "stop",
                "grid": [{"model": "logistic_regression", "params": {"regParam": [0.01, 0.1, 1.0], "elasticNetParam": [0.0, 0.5]}},
                         {"model": "random_forest", "params": {"numTrees": [20, 50], "maxDepth": 5}}]
                """);

        assertThat(plan.tasks()).hasSize(8);
        assertThat(plan.isolation()).isEqualTo(SweepPlanner.Isolation.SHARED);
        assertThat(plan.maxParallel()).isEqualTo(3);
        assertThat(plan.stopOnFailure()).isTrue();
        assertThat(plan.tasks()).extracting(SweepPlanner.PlannedTask::taskId).startsWith("t-001", "t-002").endsWith("t-008");
        SweepPlanner.PlannedTask first = plan.tasks().get(0);
        assertThat(first.description()).isEqualTo("logistic_regression regParam=0.01 elasticNetParam=0.0");
        assertThat(first.spec().get("model").get("params").get("maxIter").intValue()).as("the base's parameters stay for the same model").isEqualTo(100);
        SweepPlanner.PlannedTask forest = plan.tasks().get(7);
        assertThat(forest.description()).isEqualTo("random_forest numTrees=50 maxDepth=5");
        assertThat(forest.spec().get("model").toString()).isEqualTo("{\"type\":\"random_forest\",\"params\":{\"numTrees\":50,\"maxDepth\":5}}");
        assertThat(forest.spec().get("input").get("table").textValue()).isEqualTo("ml.bc");
    }

    @Test
    void aRandomSearchDrawsFromListsAndRangesWithItsSeed() {
        String body = """
                "random": {"samples": 6, "seed": 7, "models": [
                   {"model": "gbt", "params": {"maxDepth": [3, 5], "stepSize": {"min": 0.01, "max": 0.3, "log": true}}},
                   {"model": "random_forest", "params": {"numTrees": {"min": 10, "max": 100, "integer": true}}}]}
                """;
        SweepPlanner.Plan plan = plan(body);

        assertThat(plan.tasks()).hasSize(6);
        assertThat(plan.tasks()).extracting(SweepPlanner.PlannedTask::description).isEqualTo(plan(body).tasks().stream().map(SweepPlanner.PlannedTask::description).toList());
        plan.tasks().forEach(task -> {
            var params = task.spec().get("model").get("params");
            if (task.spec().get("model").get("type").textValue().equals("gbt")) {
                assertThat(params.get("stepSize").doubleValue()).isBetween(0.01, 0.3);
                assertThat(params.get("maxDepth").intValue()).isIn(3, 5);
            } else {
                assertThat(params.get("numTrees").isIntegralNumber()).isTrue();
                assertThat(params.get("numTrees").intValue()).isBetween(10, 100);
            }
        });
    }

    @Test
    void oneModelPerLabelDropsTheOtherLabels() {
        SweepPlanner.Plan plan = plan("\"labels\": [\"is_0\", \"is_1\", \"is_2\"]");

        assertThat(plan.tasks()).extracting(SweepPlanner.PlannedTask::description).containsExactly("label is_0", "label is_1", "label is_2");
        assertThat(plan.tasks().get(1).spec().get("label").get("column").textValue()).isEqualTo("is_1");
        assertThat(plan.tasks().get(1).spec().get("dropColumns").toString()).isEqualTo("[\"id\",\"is_0\",\"is_2\"]");
        assertThat(plan.tasks()).as("not stratified by each task's own label, so that all test on the same rows")
                .allSatisfy(task -> assertThat(task.spec().at("/split/stratify").asBoolean(true)).isFalse());

        SweepPlanner.Plan stratified = SweepPlanner.plan(SweepPlanner.parse("""
                {"base": {"input": {"table": "ml.bc"}, "label": {"column": "is_0"}, "model": {"type": "gbt"}, "split": {"seed": 3, "stratify": true}},
                 "labels": ["is_0", "is_1"]}"""));
        assertThat(stratified.tasks().get(1).spec().get("split").toString()).as("as the base says").isEqualTo("{\"seed\":3,\"stratify\":true}");
    }

    @Test
    void featureReductionTakesTheTopOfTheRanking() {
        SweepPlanner.Plan plan = plan("\"featureReduction\": {\"ranking\": [\"a\", \"b\", \"c\", \"d\"], \"sizes\": [1, 3]}");

        assertThat(plan.tasks()).extracting(SweepPlanner.PlannedTask::description).containsExactly("top 1 features", "top 3 features");
        assertThat(plan.tasks().get(1).spec().get("features").get("columns").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    }

    @Test
    void withoutARankingAFirstTaskRanksTheFeatures() {
        SweepPlanner.Plan plan = plan("\"featureReduction\": {\"sizes\": [5, 10]}");

        assertThat(plan.tasks()).extracting(SweepPlanner.PlannedTask::description).containsExactly("rank features with random_forest", "top 5 features", "top 10 features");
        assertThat(plan.tasks()).extracting(SweepPlanner.PlannedTask::rankedTop).containsExactly(null, 5, 10);
        assertThat(plan.tasks().get(0).spec().get("model").toString()).isEqualTo("{\"type\":\"random_forest\",\"params\":{\"numTrees\":50}}");
        assertThat(plan.tasks().get(1).spec().get("model").get("type").asText()).isEqualTo("logistic_regression");
        assertThat(plan("\"featureReduction\": {\"sizes\": [2], \"rankWith\": {\"model\": \"gbt\", \"params\": {\"maxIter\": 5}}}").tasks().get(0)
                .spec().get("model").toString()).isEqualTo("{\"type\":\"gbt\",\"params\":{\"maxIter\":5}}");
        assertRejected("\"featureReduction\": {\"sizes\": [2], \"rankWith\": {\"model\": \"naive_bayes\"}}",
                "featureReduction.rankWith.model: 'naive_bayes' has no feature importances; use one of decision_tree, random_forest, gbt, "
                        + "decision_tree_regressor, random_forest_regressor, gbt_regressor");
        assertRejected("\"featureReduction\": {\"sizes\": [2], \"ranking\": [\"a\", \"b\"], \"rankWith\": {\"model\": \"gbt\"}}",
                "featureReduction.rankWith: give either a ranking or a model to compute one, not both");
    }

    @Test
    void variantsAreMergedIntoTheBase() {
        SweepPlanner.Plan plan = plan("\"variants\": [{\"model\": {\"params\": {\"maxIter\": 5}}}, {\"split\": {\"seed\": 7}}]");

        assertThat(plan.tasks()).hasSize(2);
        assertThat(plan.tasks().get(0).spec().at("/model/params/maxIter").asInt()).isEqualTo(5);
        assertThat(plan.tasks().get(0).spec().at("/model/type").asText()).isEqualTo("logistic_regression");
        assertThat(plan.tasks().get(1).spec().at("/split/seed").asInt()).isEqualTo(7);
        assertThat(plan.tasks().get(1).spec().at("/model/params/maxIter").asInt()).isEqualTo(100);
        assertThat(plan.tasks().get(1).description()).isEqualTo("variant 2: {\"split\":{\"seed\":7}}");
    }

    @Test
    void aVariantOfAnotherModelTypeStartsFromThatTypesParameters() {
        SweepPlanner.Plan plan = plan("""
                "variants": [{"model": {"type": "random_forest"}},
                             {"model": {"type": "random_forest", "params": {"numTrees": 20}}},
                             {"model": {"type": "logistic_regression", "params": {"regParam": 0.1}}},
                             {"model": {"params": {"regParam": 0.2}}}]
                """);

        assertThat(plan.tasks().get(0).spec().get("model").toString()).as("the base's maxIter was meant for logistic regression")
                .isEqualTo("{\"type\":\"random_forest\"}");
        assertThat(plan.tasks().get(1).spec().get("model").toString()).isEqualTo("{\"type\":\"random_forest\",\"params\":{\"numTrees\":20}}");
        assertThat(plan.tasks().get(2).spec().get("model").toString()).as("the same type keeps the base's parameters")
                .isEqualTo("{\"type\":\"logistic_regression\",\"params\":{\"maxIter\":100,\"regParam\":0.1}}");
        assertThat(plan.tasks().get(3).spec().get("model").toString()).isEqualTo("{\"type\":\"logistic_regression\",\"params\":{\"maxIter\":100,\"regParam\":0.2}}");
        assertThat(plan.tasks().get(0).spec().get("input").get("table").textValue()).as("the rest of the base is kept").isEqualTo("ml.bc");
    }

    @Test
    void aSweepWithoutVariationIsOneTrainingTask() {
        SweepPlanner.Plan plan = SweepPlanner.plan(SweepPlanner.parse("{" + BASE + "}"));

        assertThat(plan.tasks()).singleElement().satisfies(task -> {
            assertThat(task.taskId()).isEqualTo("t-001");
            assertThat(task.description()).isEqualTo("the base spec");
        });
        assertThatThrownBy(() -> SweepPlanner.plan(SweepPlanner.parse("{\"base\": {\"label\": {\"column\": \"y\"}}}")))
                .hasMessageStartingWith("base.model.type: is required; without grid");
    }

    @Test
    void theMetricIsChecked() {
        assertThat(plan("\"metric\": \"Test.AUC_ROC\", \"labels\": [\"a\"]").metric()).isEqualTo("test.auc_roc");
        assertRejected("\"metric\": \"auc\", \"labels\": [\"a\"]", "metric: unknown metric 'auc'; the metrics are auc_roc, auc_pr, accuracy, f1, "
                + "precision, recall, log_loss (classifiers), rmse, mae, r2 (regressors), optionally prefixed by validation. or test.");
        assertRejected("\"metric\": \"train.rmse\", \"labels\": [\"a\"]", "metric: 'train.rmse' is measured on validation or test rows, not 'train'");
    }

    @Test
    void mistakesNameTheirField() {
        assertRejected("\"grid\": [], \"labels\": [\"a\"]", "A sweep varies its base one way: give one of grid, random, labels, featureReduction or variants (2 given)");
        assertRejected("\"grid\": [{\"model\": \"gbt\", \"params\": {\"maxDepth\": []}}]", "grid[0].params.maxDepth: must list at least one value");
        assertRejected("\"maxParallel\": 0, \"labels\": [\"a\"]", "maxParallel: must be between 1 and 256, not 0");
        assertRejected("\"isolation\": \"thread\", \"labels\": [\"a\"]", "isolation: must be one of process, shared, not 'thread'");
        assertRejected("\"onFailure\": \"retry\", \"labels\": [\"a\"]", "onFailure: must be continue or stop, not 'retry'");
        assertRejected("\"labels\": [\"a\", \"a\"]", "labels: names 'a' twice");
        assertRejected("\"featureReduction\": {\"ranking\": [\"a\"], \"sizes\": [2]}", "featureReduction.sizes[0]: must be between 1 and 1 (the ranking's length), not 2");
        assertRejected("\"random\": {\"models\": [{\"model\": \"gbt\", \"params\": {\"stepSize\": {\"min\": 0, \"max\": 1, \"log\": true}}}]}",
                "random.models[0].params.stepSize: a log range needs min above 0, not 0");
        assertRejected("\"grids\": []", "grids: unknown field; the fields here are base, featureReduction, grid, isolation, labels, maxParallel, metric, name, onFailure, random, variants");
        String hundredAndOne = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(",", "[", "]"));
        assertRejected("\"grid\": [{\"model\": \"gbt\", \"params\": {\"maxDepth\": " + hundredAndOne + ", \"maxIter\": " + hundredAndOne + "}}]",
                "grid: makes more than 10000 tasks");
        assertThatThrownBy(() -> SweepPlanner.plan(SweepPlanner.parse("{\"labels\": [\"a\"]}"))).hasMessage("base: is required, the training spec every task starts from");
    }
}
