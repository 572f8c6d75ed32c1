package io.hearth.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The built runtime's spark-submit run directly, as a hand-written controller runs it: with the
 * master Hearth gives a cluster's steps, its output in a folder of its own, timed from process
 * start to exit. Applications of io.hearth.spark.bench report results as {@code RESULT <name> <value>} lines.
 */
final class DirectSparkSubmit {
    private final String master;
    private final Path work;
    private final Map<String, String> environment;

    DirectSparkSubmit(String master, Path work) {
        this(master, work, Map.of());
    }

    private DirectSparkSubmit(String master, Path work, Map<String, String> environment) {
        this.master = master;
        this.work = work;
        this.environment = Map.copyOf(environment);
    }

    /** The same launches with these variables added (PYSPARK_PYTHON, say). */
    DirectSparkSubmit withEnvironment(Map<String, String> variables) {
        return new DirectSparkSubmit(master, work, variables);
    }

    /** What a run took and the {@code RESULT} lines it printed, by name. */
    record Run(double seconds, Map<String, String> results, Path directory) {}

    /** Runs {@code spark-submit --master <master> <arguments>} in {@code <work>/<name>}; fails unless it exits 0. */
    Run run(String name, String... arguments) throws IOException, InterruptedException {
        Path directory = Files.createDirectories(work.resolve(name));
        List<String> command = new ArrayList<>(List.of(Distribution.sparkHome().resolve("bin/spark-submit").toString(), "--master", master));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(directory.resolve("stdout").toFile())
                .redirectError(directory.resolve("stderr").toFile());
        builder.environment().put("SPARK_HOME", Distribution.sparkHome().toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IllegalStateException("spark-submit did not end within 3 hours; see " + directory);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("spark-submit exited " + process.exitValue() + "; see " + directory.resolve("stderr"));
        }
        Map<String, String> results = new TreeMap<>();
        for (String line : Distribution.lines(directory.resolve("stdout"))) {
            if (line.startsWith("RESULT ")) {
                String[] result = line.substring("RESULT ".length()).split(" ", 2);
                results.put(result[0], result.length > 1 ? result[1] : "");
            }
        }
        return new Run(seconds, results, directory);
    }
}
