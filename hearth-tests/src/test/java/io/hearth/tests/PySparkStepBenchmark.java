package io.hearth.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * bench/pyspark-step: a no-op PySpark application as a Hearth step against the same
 * {@code spark-submit job.py} run directly as a user on the cluster's master would run it, with
 * the cluster's configuration (SPARK_CONF_DIR: its catalog, Arrow) and its Python (PYSPARK_PYTHON),
 * interleaved; the same measurement as {@link StepOverheadBenchmark}.
 * Usage: {@code PySparkStepBenchmark [runs]} (default 7).
 */
public final class PySparkStepBenchmark {
    private PySparkStepBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        StepOverheadBenchmark.run(runs, 0, (work, clusterDirectory) -> {
            Path script = Files.writeString(work.resolve("noop.py"), String.join("\n",
                    "from pyspark.sql import SparkSession",
                    "spark = SparkSession.builder.appName('noop').getOrCreate()",
                    "spark.range(1).count()",
                    "spark.stop()", ""));
            return new StepOverheadBenchmark.Application("no-op PySpark application (" + script.getFileName() + ": SparkSession, range(1).count())",
                    List.of(script.toString()), Map.of("SPARK_CONF_DIR", clusterDirectory.resolve("conf").toString(),
                            "PYSPARK_PYTHON", clusterDirectory.resolve("python/bin/python3").toString()));
        });
    }
}
