package io.hearth.spark.examples;

import org.apache.spark.sql.SparkSession;

/**
 * Example job that keeps executors busy: runs one task per partition, each sleeping for the
 * given number of seconds. Used to show that cancelling a step stops its executors.
 *
 * <p>Usage: {@code SleepTasks <seconds> [<partitions>]}
 */
public final class SleepTasks {
    private SleepTasks() {}

    public static void main(String[] args) {
        long seconds = Long.parseLong(args.length > 0 ? args[0] : "60");
        int partitions = Integer.parseInt(args.length > 1 ? args[1] : "2");
        SparkSession spark = SparkSession.builder().appName("SleepTasks").getOrCreate();
        try {
            long done = spark.range(0, partitions, 1, partitions).javaRDD().map(value -> {
                Thread.sleep(seconds * 1000);
                return value;
            }).count();
            System.out.println("Slept " + seconds + " s in " + done + " tasks");
        } finally {
            spark.stop();
        }
    }
}
