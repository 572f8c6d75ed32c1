package io.hearth.spark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * bench/sql's reference (c): {@code spark.sql(query).collect()} in a warm Spark application of its own, with the SQL
 * engine's configuration (run with the engine's SPARK_CONF_DIR: the same master, memory, catalog and storage), so that
 * nothing of Hearth is between the query and Spark. After one untimed run of each query, {@code runs} runs of each,
 * interleaved; prints one line per query: {@code <index> <millis> <millis> ...}.
 *
 * <p>Usage: {@code SqlInProcess <runs> <query>...}
 */
public final class SqlInProcess {
    private SqlInProcess() {}

    public static void main(String[] args) {
        int runs = Integer.parseInt(args[0]);
        List<String> queries = List.of(args).subList(1, args.length);
        SparkSession spark = SparkSession.builder().appName("bench/sql in-process reference").enableHiveSupport().getOrCreate();
        try {
            queries.forEach(query -> spark.sql(query).collect());
            List<List<Double>> millis = new ArrayList<>();
            queries.forEach(query -> millis.add(new ArrayList<>()));
            for (int run = 0; run < runs; run++) {
                for (int i = 0; i < queries.size(); i++) {
                    long start = System.nanoTime();
                    spark.sql(queries.get(i)).collect();
                    millis.get(i).add((System.nanoTime() - start) / 1e6);
                }
            }
            for (int i = 0; i < queries.size(); i++) {
                StringBuilder line = new StringBuilder("TIMES ").append(i);
                millis.get(i).forEach(value -> line.append(String.format(Locale.ROOT, " %.2f", value)));
                System.out.println(line);
            }
        } finally {
            spark.stop();
        }
    }
}
