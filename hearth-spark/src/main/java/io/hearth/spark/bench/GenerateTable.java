package io.hearth.spark.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * bench/sweep's table: {@code rows} rows of 25 numeric features {@code x01..x25} (2% of
 * {@code x25} missing), 4 categorical ones {@code c1..c4} (3, 5, 8 and 12 values) and a binary
 * {@code label} drawn from a logistic model of some of them, with interactions and a threshold
 * that trees pick up better than a linear model, plus noise. The same arguments give the same
 * rows: every random column has its own seed and the partitioning is fixed.
 *
 * <p>Usage: {@code GenerateTable <rows> <output-dir> [partitions]} (default 4 partitions, written as
 * as many Parquet files).
 */
public final class GenerateTable {
    static final int NUMERIC = 25;
    static final int[] CATEGORY_SIZES = {3, 5, 8, 12};
    private static final long SEED = 20261121L;

    private GenerateTable() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("Usage: GenerateTable <rows> <output-dir> [partitions]");
        }
        long rows = Long.parseLong(args[0]);
        String output = args[1];
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        SparkSession spark = SparkSession.builder().appName("GenerateTable").getOrCreate();
        try {
            long started = System.nanoTime();
            table(spark, rows, partitions).write().mode("overwrite").parquet(output);
            Dataset<Row> written = spark.read().parquet(output);
            double positive = written.filter(col("label").equalTo(1)).count() / (double) rows;
            System.out.printf(Locale.ROOT, "RESULT table_rows %d%nRESULT table_columns %d%nRESULT positive_fraction %.4f%nRESULT generate_seconds %.2f%n",
                    written.count(), written.columns().length, positive, (System.nanoTime() - started) / 1e9);
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> table(SparkSession spark, long rows, int partitions) {
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= NUMERIC; i++) {
            // Different scales, as real features have; the scaler evens them out for the linear model.
            columns.add(randn(SEED + i).multiply(i % 5 + 1).plus(i % 3).as(String.format(Locale.ROOT, "x%02d", i)));
        }
        for (int c = 0; c < CATEGORY_SIZES.length; c++) {
            Column[] values = new Column[CATEGORY_SIZES[c]];
            for (int v = 0; v < values.length; v++) {
                values[v] = lit("v" + v);
            }
            Column index = floor(rand(SEED + 100 + c).multiply(values.length)).plus(1).cast("int");
            columns.add(element_at(array(values), index).as("c" + (c + 1)));
        }
        columns.add(rand(SEED + 200).as("__noise"));
        columns.add(rand(SEED + 201).as("__missing"));
        Dataset<Row> features = spark.range(0, rows, 1, partitions).select(columns.toArray(Column[]::new));

        Column score = col("x01").multiply(0.8)
                .minus(col("x02").multiply(0.5))
                .plus(col("x03").multiply(col("x04")).multiply(0.15))
                .plus(sin(col("x05")).multiply(1.2))
                .plus(when(col("x06").gt(2.5), 1.5).otherwise(-0.3))
                .plus(col("x07").multiply(0.1))
                .plus(when(col("c1").equalTo("v0"), 0.9).otherwise(0.0))
                .plus(when(col("c2").isin("v1", "v3"), -0.8).otherwise(0.2))
                .plus(when(col("c3").equalTo("v7").and(col("x08").gt(0)), 1.4).otherwise(0.0))
                .minus(0.4);
        Column probability = lit(1.0).divide(lit(1.0).plus(exp(score.multiply(-1))));
        return features
                .withColumn("label", when(col("__noise").lt(probability), 1).otherwise(0))
                .withColumn("x25", when(col("__missing").lt(0.02), lit(null).cast("double")).otherwise(col("x25")))
                .drop("__noise", "__missing");
    }
}
