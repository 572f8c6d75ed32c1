package io.hearth.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * bench/pyspark-step: a no-op PySpark application as a Hearth step (the cluster's own Python
 * environment) against the same {@code spark-submit job.py} run directly with the distribution's
 * Python as PYSPARK_PYTHON, interleaved; the same measurement as {@link StepOverheadBenchmark}.
 * Usage: {@code PySparkStepBenchmark [runs]} (default 7).
 */
public final class PySparkStepBenchmark {
    private PySparkStepBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        StepOverheadBenchmark.run(runs, 0, work -> {
            Path script = Files.writeString(work.resolve("noop.py"), String.join("\n",
                    "from pyspark.sql import SparkSession",
                    "spark = SparkSession.builder.appName('noop').getOrCreate()",
                    "spark.range(1).count()",
                    "spark.stop()", ""));
            return new StepOverheadBenchmark.Application("no-op PySpark application (" + script.getFileName() + ": SparkSession, range(1).count())",
                    List.of(script.toString()), Map.of("PYSPARK_PYTHON", Distribution.home().resolve("python/bin/python3").toString()));
        });
    }
}
