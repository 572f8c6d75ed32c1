package io.hearth.spark.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;

/**
 * Example job that holds a running Spark application until a file appears: it runs one small job
 * (so executors exist), then waits for the file, then ends. Lets a demonstration or a test decide
 * exactly when an application finishes.
 *
 * <p>Usage: {@code WaitForFile <path> [<timeout seconds, default 600>]}; it fails when the timeout passes first.
 */
public final class WaitForFile {
    private WaitForFile() {}

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        Duration timeout = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 600);
        SparkSession spark = SparkSession.builder().appName("WaitForFile").getOrCreate();
        try {
            long counted = spark.range(0, 1000, 1, 2).count();
            System.out.println("Counted " + counted + " rows; waiting for " + file);
            Instant deadline = Instant.now().plus(timeout);
            while (!Files.exists(file)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Gave up waiting for " + file + " after " + timeout.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
            System.out.println("Found " + file);
        } finally {
            spark.stop();
        }
    }
}
