package io.hearth.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tree models rank the input columns in their model card, one-hot slots summed back to their column. */
class TestFeatureRanking {
    @TempDir
    static Path scratch;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("feature ranking tests").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ranking(String spec, String modelId) {
        TrainingRun.Result result = TrainingRun.run(spark, SpecReader.read(spec), modelId, scratch.resolve("models").toString());
        return (List<Map<String, Object>>) result.card().get("feature_ranking");
    }

    @Test
    void aRandomForestRanksEveryColumnOfBreastCancer() throws IOException {
        Path data = SklearnDatasets.classification("breast_cancer.csv", scratch.resolve("bc"));
        List<Map<String, Object>> ranking = ranking("""
                {"input": {"path": "%s", "format": "csv", "options": {"header": "true", "inferSchema": "true"}}, "label": {"column": "target"},
                 "model": {"type": "random_forest", "params": {"numTrees": 30, "seed": 1}}}
                """.formatted(data), "m-rank-bc");

        assertThat(ranking).hasSize(30);
        List<Double> importances = ranking.stream().map(line -> ((Number) line.get("importance")).doubleValue()).toList();
        assertThat(importances).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(importances.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        // Columns are f0..f29 in scikit-learn's order; the size and concavity measures carry the signal (mean radius, perimeter,
        // area, concave points: f0, f2, f3, f7; their worst values: f20, f22, f23, f27), texture and symmetry do not lead.
        assertThat((String) ranking.get(0).get("column")).isIn("f0", "f2", "f3", "f6", "f7", "f20", "f22", "f23", "f26", "f27");
    }

    @Test
    void aCategoryColumnSumsItsOneHotSlots() throws IOException {
        Path folder = Files.createDirectories(scratch.resolve("colors"));
        Random random = new Random(3);
        List<String> lines = new ArrayList<>(List.of("color,noise,y"));
        String[] colors = {"red", "green", "blue", "grey"};
        for (int i = 0; i < 600; i++) {
            String color = colors[random.nextInt(colors.length)];
            int y = color.equals("red") || color.equals("blue") ? 1 : 0;
            lines.add(color + "," + random.nextGaussian() + "," + (random.nextDouble() < 0.05 ? 1 - y : y));
        }
        Files.write(folder.resolve("part.csv"), lines);
        List<Map<String, Object>> ranking = ranking("""
                {"input": {"path": "%s", "format": "csv", "options": {"header": "true", "inferSchema": "true"}}, "label": {"column": "y"},
                 "model": {"type": "gbt", "params": {"maxIter": 10}}}
                """.formatted(folder), "m-rank-colors");

        assertThat(ranking).extracting(line -> line.get("column")).containsExactly("color", "noise");
        assertThat(((Number) ranking.get(0).get("importance")).doubleValue()).isGreaterThan(0.5);
    }

    @Test
    void modelsWithoutImportancesWriteNoRanking() throws IOException {
        Path data = SklearnDatasets.classification("iris.csv", scratch.resolve("iris"));
        assertThat(ranking("""
                {"input": {"path": "%s", "format": "csv", "options": {"header": "true", "inferSchema": "true"}}, "label": {"column": "target"},
                 "model": {"type": "logistic_regression"}}
                """.formatted(data), "m-rank-iris")).isNull();
    }
}
