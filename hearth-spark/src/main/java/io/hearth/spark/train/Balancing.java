package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Evens out unequal classes in the training rows (never in validation or test rows). */
final class Balancing {
    private Balancing() {}

    static Dataset<Row> apply(Dataset<Row> train, TrainingSpec.Balance balance, long seed) {
        if (balance == TrainingSpec.Balance.NONE) {
            return train;
        }
        Map<Double, Long> counts = new HashMap<>();
        for (Row row : train.groupBy(TrainingPipeline.LABEL).count().collectAsList()) {
            counts.put(row.getDouble(0), row.getLong(1));
        }
        long smallest = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long largest = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return switch (balance) {
            case UNDERSAMPLE -> {
                Map<Double, Double> fractions = new HashMap<>();
                counts.forEach((label, count) -> fractions.put(label, (double) smallest / count));
                yield train.stat().sampleBy(TrainingPipeline.LABEL, fractions, seed);
            }
            case OVERSAMPLE -> oversample(train, counts, largest, seed);
            case WEIGHTS -> {
                // Inverse class frequency, scaled so the weights average 1 over the rows.
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                Column weight = lit(1.0);
                for (Map.Entry<Double, Long> entry : counts.entrySet()) {
                    weight = when(col(TrainingPipeline.LABEL).equalTo(entry.getKey()), (double) total / (counts.size() * entry.getValue())).otherwise(weight);
                }
                yield train.withColumn(TrainingPipeline.WEIGHT, weight);
            }
            case NONE -> train;
        };
    }

    /** Every class repeated up to the size of the largest: whole copies, then a sample for the rest. */
    private static Dataset<Row> oversample(Dataset<Row> train, Map<Double, Long> counts, long largest, long seed) {
        Dataset<Row> result = null;
        for (Map.Entry<Double, Long> entry : counts.entrySet()) {
            Dataset<Row> rows = train.filter(col(TrainingPipeline.LABEL).equalTo(entry.getKey()));
            double ratio = (double) largest / entry.getValue();
            int copies = (int) Math.floor(ratio);
            Dataset<Row> repeated = copies <= 1 ? rows
                    : rows.withColumn("__copy", explode(sequence(lit(1), lit(copies)))).drop("__copy");
            double rest = ratio - copies;
            if (rest > 1e-9) {
                repeated = repeated.union(rows.sample(false, rest, seed));
            }
            result = result == null ? repeated : result.union(repeated);
        }
        return result == null ? train : result;
    }
}
