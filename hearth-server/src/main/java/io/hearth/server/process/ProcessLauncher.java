package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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
        Files.deleteIfExists(pidFileOf(spec.exitStatusFile()));

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

    /**
     * What became of the process launched with {@code exitStatusFile}: alive (found by the pid its
     * wrapper recorded, or among all processes by its wrapper's arguments, which covers a crash
     * before the wrapper wrote its pid), ended with a code, ended without one, or never started.
     */
    public ProcessTrace trace(Path exitStatusFile) {
        Optional<ManagedProcess> alive = findRunning(exitStatusFile);
        if (alive.isPresent()) {
            return new ProcessTrace.Alive(alive.get());
        }
        // The wrapper records the exit code before it exits: a process no longer alive has written it, or was killed.
        OptionalInt exitCode = ManagedProcess.readExitStatus(exitStatusFile);
        if (exitCode.isPresent()) {
            return new ProcessTrace.Exited(exitCode.getAsInt());
        }
        return Files.exists(pidFileOf(exitStatusFile)) ? new ProcessTrace.Vanished() : new ProcessTrace.NeverStarted();
    }

    /** The live process whose wrapper records its exit code in {@code exitStatusFile}, if there is one. */
    public Optional<ManagedProcess> findRunning(Path exitStatusFile) {
        String statusArgument = exitStatusFile.toAbsolutePath().toString();
        Optional<ProcessHandle> handle = readPid(pidFileOf(exitStatusFile)).flatMap(ProcessHandle::of)
                .filter(candidate -> runsWrapperFor(candidate, statusArgument));
        // launch() makes the status file's folder before it starts anything: without it nothing was started, and the
        // scan of every process (a fresh cluster's bootstrap actions ask for each) is skipped.
        if (handle.isEmpty() && Files.isDirectory(exitStatusFile.toAbsolutePath().getParent())) {
            handle = ProcessHandle.allProcesses().filter(candidate -> runsWrapperFor(candidate, statusArgument)).findFirst();
        }
        return handle.map(found -> new ManagedProcess(found, found.info().startInstant().orElse(Instant.now()), exitStatusFile,
                Files.isExecutable(SETSID)));
    }

    /** The file in which the wrapper records its pid before it starts the command. */
    static Path pidFileOf(Path exitStatusFile) {
        return exitStatusFile.resolveSibling(exitStatusFile.getFileName() + ".pid");
    }

    private boolean runsWrapperFor(ProcessHandle handle, String statusArgument) {
        if (!handle.isAlive()) {
            return false;
        }
        List<String> arguments = handle.info().arguments().map(List::of).orElse(List.of());
        int wrapperAt = arguments.indexOf(wrapper.toString());
        return wrapperAt >= 0 && wrapperAt + 1 < arguments.size() && arguments.get(wrapperAt + 1).equals(statusArgument);
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
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
