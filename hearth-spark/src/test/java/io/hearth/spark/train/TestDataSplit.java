package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train / validation / test split: exact sizes per class, the class mix kept, the same sets for the same rows and seed. */
class TestDataSplit {
    @TempDir
    static Path scratch;

    private static SparkSession spark;

    /** 1003 rows: class a 70%, b 25%, c 5% (uneven counts, so the cuts round), and a continuous y. */
    private static Dataset<Row> rows;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("split tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
                .getOrCreate();
        rows = spark.range(0, 1003).selectExpr("id", "CAST(id * 7 % 13 AS DOUBLE) AS x",
                "CASE WHEN id % 20 = 0 THEN 'c' WHEN id % 4 = 1 THEN 'b' ELSE 'a' END AS label", "SIN(id) * 10 AS y").cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainingSpec spec(String label, String split) {
        return SpecReader.read("""
                {"input": {"table": "t"}, "label": {"column": "%s"}, "model": {"type": "%s"}, "split": %s}
                """.formatted(label, label.equals("y") ? "linear_regression" : "logistic_regression", split));
    }

    /** The ids of each set (train, validation, test) by class, as a training job splits {@code input}. */
    private static List<Map<String, List<Long>>> split(Dataset<Row> input, TrainingSpec spec) {
        TrainingData data = TrainingData.load(spec, ignored -> input);
        List<Dataset<Row>> sets = Preparation.split(Preparation.withIndexedLabel(data), spec, data);
        List<Map<String, List<Long>>> ids = new ArrayList<>();
        for (Dataset<Row> set : sets) {
            Map<String, List<Long>> byClass = new TreeMap<>();
            for (Row row : set.select(col("label"), col("id")).orderBy("id").collectAsList()) {
                byClass.computeIfAbsent(row.getString(0), key -> new ArrayList<>()).add(row.getLong(1));
            }
            ids.add(byClass);
        }
        return ids;
    }

    private static int size(Map<String, List<Long>> set) {
        return set.values().stream().mapToInt(List::size).sum();
    }

    @Test
    void everyClassIsCutExactlyAtItsFractions() {
        List<Map<String, List<Long>>> sets = split(rows, spec("label", "{\"train\": 0.7, \"validation\": 0.15, \"test\": 0.15, \"seed\": 3}"));

        Map<String, Long> classes = Map.of("a", 701L, "b", 251L, "c", 51L);
        assertThat(rows.groupBy("label").count().collectAsList()).extracting(row -> Map.entry(row.getString(0), row.getLong(1)))
                .containsExactlyInAnyOrderElementsOf(classes.entrySet());
        classes.forEach((label, n) -> {
            long train = Math.round(n * 0.7);
            long validation = Math.round(n * 0.85) - train;
            assertThat(sets.get(0).get(label)).as("training rows of %s", label).hasSize((int) train);
            assertThat(sets.get(1).get(label)).as("validation rows of %s", label).hasSize((int) validation);
            assertThat(sets.get(2).get(label)).as("test rows of %s", label).hasSize((int) (n - train - validation));
            double[] fractions = {0.7, 0.15, 0.15};
            for (int set = 0; set < 3; set++) {
                assertThat(Math.abs(sets.get(set).get(label).size() - n * fractions[set])).as("within one row per class").isLessThan(1.0);
            }
        });
        List<Long> all = new ArrayList<>();
        sets.forEach(set -> set.values().forEach(all::addAll));
        assertThat(all).as("every row in exactly one set").hasSize(1003).doesNotHaveDuplicates();
    }

    @Test
    void theSameRowsAndSeedGiveTheSameSetsHoweverTheyArePartitioned() {
        TrainingSpec spec = spec("label", "{\"train\": 0.6, \"validation\": 0.2, \"test\": 0.2, \"seed\": 9}");
        List<Map<String, List<Long>>> first = split(rows, spec);

        assertThat(split(rows.repartition(7).orderBy(col("x").desc()), spec)).isEqualTo(first);
        assertThat(split(rows, spec("label", "{\"train\": 0.6, \"validation\": 0.2, \"test\": 0.2, \"seed\": 10}"))).as("another seed, other sets")
                .isNotEqualTo(first);

        // Ranking within buckets of the order (large inputs) places every row where ranking all of a class at once does.
        TrainingData data = TrainingData.load(spec, ignored -> rows);
        Dataset<Row> indexed = Preparation.withIndexedLabel(data);
        for (boolean stratified : List.of(true, false)) {
            List<Row> whole = DataSplit.assign(indexed, spec.split(), "label", stratified, 1, 0).select("id", DataSplit.SET).orderBy("id").collectAsList();
            Dataset<Row> bucketed = DataSplit.assign(indexed, spec.split(), "label", stratified, 3, 4);
            assertThat(bucketed.select("id", DataSplit.SET).orderBy("id").collectAsList()).as("stratified: " + stratified).isEqualTo(whole);
            assertThat(bucketed.rdd().getNumPartitions()).as("the partitions asked for, not spark.sql.shuffle.partitions").isEqualTo(3);
        }
        assertThat(DataSplit.bucketBits(1_000, 1)).isZero();
        assertThat(DataSplit.bucketBits(1_000, 4)).as("eight buckets a partition").isEqualTo(5);
        assertThat(DataSplit.bucketBits(250_000, 1)).isEqualTo(2);
        assertThat(DataSplit.bucketBits(Long.MAX_VALUE, 1)).isEqualTo(10);
        TrainingData five = TrainingData.load(spec, ignored -> rows.repartition(5));
        assertThat(DataSplit.assign(Preparation.withIndexedLabel(five), spec.split(), five).rdd().getNumPartitions()).as("as many partitions as the input")
                .isEqualTo(5);
    }

    @Test
    void withoutStrataTheSizesAreExactOverAllRows() {
        List<Map<String, List<Long>>> sets = split(rows, spec("label", "{\"train\": 0.8, \"test\": 0.2, \"stratify\": false}"));
        assertThat(sets.stream().map(TestDataSplit::size).toList()).as("validation left out: what train and test leave, none").containsExactly(802, 0, 201);

        // A regression is split by the seeded order alone.
        List<Map<String, List<Long>>> regression = split(rows, spec("y", "{\"train\": 0.5, \"validation\": 0.25, \"test\": 0.25}"));
        assertThat(regression.stream().map(TestDataSplit::size).toList()).containsExactly(502, 250, 251);
        assertThatThrownBy(() -> split(rows, spec("y", "{\"stratify\": true}")))
                .isInstanceOf(SpecException.class)
                .hasMessage("split.stratify: applies to classification; a regression label has no classes to keep the mix of (its rows are split by the seeded order alone)");
    }
}
