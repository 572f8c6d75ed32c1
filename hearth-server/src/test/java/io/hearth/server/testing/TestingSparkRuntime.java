package io.hearth.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Spark runtimes for tests: {@link #fake} writes a directory whose bin/spark-submit is a script
 * that behaves as its --class says (see fake-spark/bin/spark-submit); {@link #assembled} and
 * {@link #real} are runtimes a build assembled.
 */
public final class TestingSparkRuntime {
    private TestingSparkRuntime() {}

    public static Path fake(Path directory) {
        try {
            Files.createDirectories(directory.resolve("bin"));
            Files.createDirectories(directory.resolve("jars"));
            for (String script : List.of("spark-submit", "spark-sql")) {
                try (InputStream in = TestingSparkRuntime.class.getResourceAsStream("fake-spark/bin/" + script)) {
                    Path target = directory.resolve("bin").resolve(script);
                    Files.write(target, in.readAllBytes());
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Spark runtime the build assembled in hearth-spark-runtime/target/spark, for tests of this
     * module that run real Spark or the real metastore ({@code hearth.spark-runtime}, set by the pom).
     */
    public static Path assembled() {
        String runtime = System.getProperty("hearth.spark-runtime");
        if (runtime == null) {
            return real();
        }
        Path sparkHome = Path.of(runtime).toAbsolutePath().normalize();
        if (!Files.isDirectory(sparkHome.resolve("jars")) || !Files.isExecutable(sparkHome.resolve("bin/spark-submit"))) {
            throw new IllegalStateException("No Spark runtime at " + sparkHome + ": build it first (mvn install -pl hearth-spark-runtime -am)");
        }
        return sparkHome;
    }

    /** The Spark runtime of the built distribution ({@code -Dhearth.home=.../hearth-dist/target/hearth}). */
    public static Path real() {
        String home = System.getProperty("hearth.home");
        if (home == null) {
            throw new IllegalStateException("hearth.home is not set: run these tests through Maven (mvn verify)");
        }
        Path sparkHome = Path.of(home, "spark");
        if (!Files.isExecutable(sparkHome.resolve("bin/spark-submit"))) {
            throw new IllegalStateException("No Spark runtime at " + sparkHome + ": build the distribution first (mvn verify)");
        }
        return sparkHome;
    }
}
