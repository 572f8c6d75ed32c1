package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.cluster;

import java.util.Map;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;

/** The clusters the training acceptance tests run sweeps and steps on. */
final class TrainingClusters {
    private TrainingClusters() {}

    /**
     * A single-instance cluster tuned, through its {@code spark-defaults} classification, for many short
     * Spark applications on small data on a 2-core machine: the driver JVMs compile with C1 only (a
     * short-lived driver otherwise spends about half its CPU in the C2 compiler) and use the serial
     * collector, and shuffles have 4 partitions instead of 200.
     */
    static RunJobFlowRequest smallJobsCluster(String name, int stepConcurrency) {
        return cluster(name, 1, true, builder -> builder.stepConcurrencyLevel(stepConcurrency)
                .configurations(Configuration.builder().classification("spark-defaults").properties(Map.of(
                        "spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                        "spark.sql.shuffle.partitions", "4")).build()));
    }
}
