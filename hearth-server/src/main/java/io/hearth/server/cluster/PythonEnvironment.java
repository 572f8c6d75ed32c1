package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.ProcessLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Each cluster's own Python environment: a venv under the cluster's work directory, layered on
 * Hearth's Python environment ({@code python.home}, the distribution's {@code python/}) by
 * {@code hearth_layer.py}. Packages that bootstrap actions or steps install land in the cluster's
 * environment and win over the base's, so two clusters can hold different versions and the base
 * never changes. Every Spark process of the cluster gets it as {@code PYSPARK_PYTHON} and first on
 * its {@code PATH} ({@link SparkSetup#environment}).
 */
final class PythonEnvironment {
    static final String LAYER_SCRIPT = "hearth_layer.py";
    private static final long CREATE_TIMEOUT_SECONDS = 120;

    private final Path baseHome;
    private final ProcessLauncher launcher;

    PythonEnvironment(Path baseHome, ProcessLauncher launcher) {
        this.baseHome = requireNonNull(baseHome, "baseHome is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
    }

    /** The interpreter of an environment directory. */
    static Path python(Path environment) {
        return environment.resolve("bin").resolve("python3");
    }

    /** The cluster's interpreter, once {@link #prepare} has made it. */
    static Optional<Path> of(ClusterPaths paths) {
        Path python = python(paths.pythonEnvironment());
        return Files.isExecutable(python) ? Optional.of(python) : Optional.empty();
    }

    /**
     * Makes the cluster's environment unless it exists (a restarted Hearth keeps what was installed).
     * Without a base environment the cluster has no Python, which the log says; PySpark steps then
     * fail with that reason.
     */
    void prepare(ClusterPaths paths, TimestampedLog log) throws IOException, InterruptedException, ClusterBackend.ClusterStartException {
        Path target = paths.pythonEnvironment();
        Path basePython = python(baseHome);
        if (Files.isExecutable(python(target)) && Files.exists(target.resolve("pyvenv.cfg"))) {
            log.info("Python environment: " + target + " (kept from before, layered on " + baseHome + ")");
            return;
        }
        if (!Files.isExecutable(basePython)) {
            log.warn("No Python environment: " + basePython + " does not exist (" + HearthConfig.PYTHON_HOME.key()
                    + " is " + baseHome + "), so this cluster cannot run PySpark; docs/python.md says how to build or choose one");
            return;
        }
        Path script = paths.workDirectory().resolve(LAYER_SCRIPT);
        try (InputStream source = PythonEnvironment.class.getResourceAsStream("/io/hearth/server/python/" + LAYER_SCRIPT)) {
            requireNonNull(source, LAYER_SCRIPT + " is not on the classpath");
            Files.createDirectories(paths.workDirectory());
            Files.write(script, source.readAllBytes());
        }
        Path output = paths.workDirectory().resolve("python-environment.log");
        ManagedProcess process = launcher.launch(new LaunchSpec(List.of(basePython.toString(), script.toString(), target.toString()), Map.of(),
                paths.workDirectory(), output, null, paths.workDirectory().resolve("python-environment.exit")));
        OptionalInt exit;
        try {
            exit = process.onExit().get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.killAll();
            throw new ClusterBackend.ClusterStartException("Creating the cluster's Python environment " + target + " took longer than "
                    + CREATE_TIMEOUT_SECONDS + " s; its output is in " + output);
        } catch (ExecutionException e) {
            exit = OptionalInt.empty();
        }
        if (exit.isEmpty() || exit.getAsInt() != 0) {
            throw new ClusterBackend.ClusterStartException("Creating the cluster's Python environment " + target + " with " + basePython + " failed: "
                    + Files.readString(output, StandardCharsets.UTF_8).strip());
        }
        log.info("Python environment: " + target + ", layered on " + baseHome);
    }
}
