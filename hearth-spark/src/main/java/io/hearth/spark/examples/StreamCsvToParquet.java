package io.hearth.spark.examples;

import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

/**
 * Example Structured Streaming job: every CSV file (with a header) that arrived in a folder since
 * the last run is appended to a Parquet folder, then the query stops ({@code Trigger.AvailableNow}).
 * The checkpoint remembers which files were read, so the next run reads only the new ones. Prints
 * the rows this run read and the rows the Parquet folder holds now.
 *
 * <p>Usage: {@code StreamCsvToParquet <input-folder> <output-folder> <checkpoint> <schema>}, the
 * schema in Spark's DDL form, such as {@code "id BIGINT, city STRING"}. Any of the folders may be
 * {@code s3://} paths.
 */
public final class StreamCsvToParquet {
    private StreamCsvToParquet() {}

    /** What one run did: the rows it read, in how many batches, and the rows the output holds afterwards. */
    public record Run(long rowsRead, long batches, long outputRows) {}

    public static void main(String[] args) throws StreamingQueryException, TimeoutException {
        if (args.length != 4) {
            throw new IllegalArgumentException("Usage: StreamCsvToParquet <input-folder> <output-folder> <checkpoint> <schema>");
        }
        SparkSession spark = SparkSession.builder().appName("StreamCsvToParquet").getOrCreate();
        try {
            Run run = run(spark, args[0], args[1], args[2], StructType.fromDDL(args[3]));
            System.out.println("Read " + run.rowsRead() + " new rows in " + run.batches() + " batch(es) from " + args[0]);
            System.out.println("The output " + args[1] + " holds " + run.outputRows() + " rows");
        } finally {
            spark.stop();
        }
    }

    /** Appends what is new in {@code input} to {@code output} and stops. */
    public static Run run(SparkSession spark, String input, String output, String checkpoint, StructType schema)
            throws StreamingQueryException, TimeoutException {
        StreamingQuery query = spark.readStream().schema(schema).option("header", "true").csv(input)
                .writeStream()
                .format("parquet")
                .option("checkpointLocation", checkpoint)
                .trigger(Trigger.AvailableNow())
                .start(output);
        query.awaitTermination();
        StreamingQueryProgress[] progress = query.recentProgress();
        long rows = Arrays.stream(progress).mapToLong(StreamingQueryProgress::numInputRows).sum();
        long batches = Arrays.stream(progress).filter(batch -> batch.numInputRows() > 0).count();
        return new Run(rows, batches, spark.read().parquet(output).count());
    }
}
