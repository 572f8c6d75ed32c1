package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster's Python environment over a real base venv, made with this machine's python3. */
class TestPythonEnvironment {
    @TempDir
    Path temp;

    private ClusterPaths paths;
    private TimestampedLog log;
    private ProcessLauncher launcher;

    @BeforeEach
    void setUp() {
        paths = new ClusterPaths(temp.resolve("clusters/j-1"), temp.resolve("logs"), null);
        log = new TimestampedLog(temp.resolve("logs/j-1/cluster.log"), Clock.systemUTC());
        launcher = ProcessLauncher.install(temp.resolve("run"));
    }

    @Test
    void withoutABaseEnvironmentTheClusterHasNoPythonAndTheLogSaysWhy() throws Exception {
        new PythonEnvironment(temp.resolve("no-python"), launcher).prepare(paths, log);

        assertThat(PythonEnvironment.of(paths)).isEmpty();
        assertThat(Files.readString(temp.resolve("logs/j-1/cluster.log"))).contains("No Python environment", "python.home", "cannot run PySpark");
    }

    @Test
    void clusterPackagesWinOverTheBaseAndTheBaseStaysUntouched() throws Exception {
        Path base = temp.resolve("base");
        run(List.of("python3", "-m", "venv", "--without-pip", base.toString()), Map.of());
        Path baseSite = Path.of(run(List.of(base.resolve("bin/python3").toString(), "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])"), Map.of()).strip());
        Files.writeString(baseSite.resolve("shared.py"), "WHERE = 'base'\n");
        Files.writeString(baseSite.resolve("onlybase.py"), "WHERE = 'base'\n");

        new PythonEnvironment(base, launcher).prepare(paths, log);

        Path python = PythonEnvironment.of(paths).orElseThrow();
        // It lives in the data directory: the owner's alone, and no symlinks (whose modes are always rwxrwxrwx).
        try (var walk = Files.walk(paths.pythonEnvironment())) {
            assertThat(walk.filter(path -> Files.isSymbolicLink(path) || !PosixFilePermissions.toString(permissions(path)).endsWith("------"))
                    .map(Path::toString).toList()).isEmpty();
        }
        assertThat(python).isEqualTo(paths.pythonEnvironment().resolve("bin/python3"));
        Path clusterSite = Path.of(run(List.of(python.toString(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"), Map.of()).strip());
        Files.writeString(clusterSite.resolve("shared.py"), "WHERE = 'cluster'\n");
        assertThat(run(List.of(python.toString(), "-c", "import shared, onlybase; print(shared.WHERE, onlybase.WHERE)"), Map.of()).strip())
                .isEqualTo("cluster base");
        assertThat(run(List.of(base.resolve("bin/python3").toString(), "-c", "import shared; print(shared.WHERE)"), Map.of()).strip()).isEqualTo("base");
        for (String tool : List.of("pip", "pip3", "sudo")) {
            assertThat(paths.pythonEnvironment().resolve("bin").resolve(tool)).isExecutable();
        }
        assertThat(run(List.of(paths.pythonEnvironment().resolve("bin/sudo").toString(), "-H", "-u", "root", "echo", "as", "it", "is"), Map.of()).strip())
                .isEqualTo("as it is");
        assertThat(Files.readString(temp.resolve("logs/j-1/cluster.log"))).contains("Python environment: " + paths.pythonEnvironment() + ", layered on " + base);

        // A second start (Hearth restarted) keeps what the cluster installed.
        new PythonEnvironment(base, launcher).prepare(paths, log);
        assertThat(clusterSite.resolve("shared.py")).hasContent("WHERE = 'cluster'");
    }

    @Test
    void anUncaughtExceptionsTracebackIsCopiedToTheNamedFile() throws Exception {
        Path base = temp.resolve("base");
        run(List.of("python3", "-m", "venv", "--without-pip", base.toString()), Map.of());
        new PythonEnvironment(base, launcher).prepare(paths, log);
        Path stderr = temp.resolve("stderr");

        ProcessBuilder failing = new ProcessBuilder(PythonEnvironment.of(paths).orElseThrow().toString(), "-c", "def f():\n    return 1 / 0\nf()\n");
        failing.environment().put("HEARTH_PYTHON_TRACEBACKS", stderr.toString());
        Process process = failing.redirectErrorStream(true).redirectOutput(temp.resolve("out").toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(stderr)).startsWith("Traceback (most recent call last):").contains("in f").endsWith("ZeroDivisionError: division by zero\n");
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
