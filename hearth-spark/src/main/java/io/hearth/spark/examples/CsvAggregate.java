package io.hearth.spark.examples;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.round;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Example job: reads a CSV file or folder with a header, counts the rows and averages every
 * numeric column per value of one column, writes the result as Parquet and prints it.
 *
 * <p>Usage: {@code CsvAggregate <input> <output> <group-by-column>}
 */
public final class CsvAggregate {
    private CsvAggregate() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("Usage: CsvAggregate <input> <output> <group-by-column>");
        }
        String input = args[0];
        String output = args[1];
        String groupBy = args[2];

        SparkSession spark = SparkSession.builder().appName("CsvAggregate").getOrCreate();
        try {
            Dataset<Row> rows = spark.read().option("header", "true").option("inferSchema", "true").csv(input);
            Dataset<Row> summary = rows.groupBy(col(groupBy)).agg(count("*").as("rows"), averagesOfNumericColumns(rows, groupBy))
                    .orderBy(col(groupBy));
            summary.write().parquet(output);
            // Read back what was written, so the printed result is the stored result.
            Dataset<Row> written = spark.read().parquet(output).orderBy(col(groupBy));
            System.out.println("Wrote " + written.count() + " groups of " + rows.count() + " rows to " + output);
            written.show(100, false);
        } finally {
            spark.stop();
        }
    }

    private static Column[] averagesOfNumericColumns(Dataset<Row> rows, String groupBy) {
        List<Column> averages = new ArrayList<>();
        for (StructField field : rows.schema().fields()) {
            if (field.dataType() instanceof NumericType && !field.name().equals(groupBy)) {
                averages.add(round(avg(col(field.name())), 3).as("avg_" + field.name()));
            }
        }
        return averages.toArray(new Column[0]);
    }
}
