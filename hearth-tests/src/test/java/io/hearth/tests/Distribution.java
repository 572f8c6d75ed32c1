package io.hearth.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The built distribution these tests run: its bin/hearth, Spark runtime and examples. */
final class Distribution {
    private Distribution() {}

    static Path home() {
        String home = System.getProperty("hearth.home");
        if (home == null || !Files.isExecutable(Path.of(home, "bin/hearth"))) {
            throw new IllegalStateException("hearth.home does not point at a built distribution (" + home + "): run mvn verify");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    static Path sparkHome() {
        return home().resolve("spark");
    }

    static Path hearthCommand() {
        return home().resolve("bin/hearth");
    }

    /** The jar with Hearth's example Spark jobs (io.hearth.spark.examples.*). */
    static String examplesJar() {
        return home().resolve("examples/hearth-examples.jar").toString();
    }

    /** Iris as a CSV file with a header: sepal_length, sepal_width, petal_length, petal_width, species. */
    static String irisCsv() {
        return home().resolve("examples/data/iris.csv").toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes whose command line mentions {@code text} (a data directory, an application id). */
    static List<ProcessHandle> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().map(line -> line.contains(text)).orElse(false))
                .toList();
    }
}
