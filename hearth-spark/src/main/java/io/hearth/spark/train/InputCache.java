package io.hearth.spark.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** Inputs read once per application and kept in memory, for tasks that train on the same data. */
final class InputCache {
    private final SparkSession spark;
    private final Map<TrainingSpec.Input, Dataset<Row>> inputs = new ConcurrentHashMap<>();

    InputCache(SparkSession spark) {
        this.spark = spark;
    }

    /** The input's rows, read and cached by the first task that asks; the others wait for it. */
    Dataset<Row> read(TrainingSpec.Input input) {
        return inputs.computeIfAbsent(input, key -> {
            Dataset<Row> rows = TrainingData.read(spark, key).persist(StorageLevel.MEMORY_AND_DISK());
            rows.count();
            return rows;
        });
    }

    int size() {
        return inputs.size();
    }
}
