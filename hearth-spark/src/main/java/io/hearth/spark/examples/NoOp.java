package io.hearth.spark.examples;

import org.apache.spark.sql.SparkSession;

/** Example job that starts a Spark application and stops it: measures launch overhead. */
public final class NoOp {
    private NoOp() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("NoOp").getOrCreate();
        spark.stop();
    }
}
