package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts processes for Hearth: argv only, never a shell command line built from user input.
 * Every process runs under {@code hearth-exec}, which records its exit code, and in a session of
 * its own ({@code setsid}), so a Ctrl-C in Hearth's terminal reaches Hearth alone and Hearth stops
 * its children in order, and a crash of Hearth leaves them running to be adopted on restart.
 */
public final class ProcessLauncher {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(2);

    private final Path wrapper;

    private ProcessLauncher(Path wrapper) {
        this.wrapper = wrapper;
    }

    /** Installs the {@code hearth-exec} wrapper into {@code directory} and returns a launcher that uses it. */
    public static ProcessLauncher install(Path directory) {
        try {
            Files.createDirectories(directory);
            Path wrapper = directory.resolve("hearth-exec");
            try (InputStream script = ProcessLauncher.class.getResourceAsStream("hearth-exec")) {
                requireNonNull(script, "hearth-exec is not on the classpath");
                Path temporary = Files.createTempFile(directory, "hearth-exec", ".tmp");
                Files.write(temporary, script.readAllBytes());
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(temporary, wrapper, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new ProcessLauncher(wrapper);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install the process wrapper in " + directory, e);
        }
    }

    public ManagedProcess launch(LaunchSpec spec) throws IOException {
        Files.createDirectories(spec.workingDirectory());
        Files.createDirectories(spec.stdout().toAbsolutePath().getParent());
        Files.createDirectories(spec.exitStatusFile().toAbsolutePath().getParent());
        Files.deleteIfExists(spec.exitStatusFile());

        List<String> argv = new ArrayList<>();
        boolean ownSession = Files.isExecutable(SETSID);
        if (ownSession) {
            argv.add(SETSID.toString());
        }
        argv.add(wrapper.toString());
        argv.add(spec.exitStatusFile().toAbsolutePath().toString());
        argv.addAll(spec.command());

        ProcessBuilder builder = new ProcessBuilder(argv).directory(spec.workingDirectory().toFile());
        builder.environment().putAll(spec.environment());
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.stdout().toFile()));
        if (spec.stderr() == null) {
            builder.redirectErrorStream(true);
        } else {
            Files.createDirectories(spec.stderr().toAbsolutePath().getParent());
            builder.redirectError(ProcessBuilder.Redirect.appendTo(spec.stderr().toFile()));
        }
        Process process = builder.start();
        ProcessHandle handle = process.toHandle();
        Instant startedAt = handle.info().startInstant().orElse(Instant.now());
        return new ManagedProcess(handle, startedAt, spec.exitStatusFile(), ownSession);
    }

    /**
     * Finds a process started earlier (before a restart of Hearth) by pid, if it is still alive and
     * is the same process: same start time and run by this wrapper.
     */
    public Optional<ManagedProcess> adopt(long pid, Instant startedAt, Path exitStatusFile) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> isSameProcess(handle, startedAt))
                .map(handle -> new ManagedProcess(handle, startedAt, exitStatusFile, Files.isExecutable(SETSID)));
    }

    private boolean isSameProcess(ProcessHandle handle, Instant startedAt) {
        ProcessHandle.Info info = handle.info();
        boolean sameStart = info.startInstant()
                .map(actual -> Duration.between(actual, startedAt).abs().compareTo(START_TIME_TOLERANCE) <= 0)
                .orElse(false);
        boolean ourWrapper = info.arguments().map(arguments -> List.of(arguments).contains(wrapper.toString())).orElse(true)
                || info.commandLine().map(line -> line.contains(wrapper.toString())).orElse(true);
        return sameStart && ourWrapper;
    }
}
