package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: argv (never a shell string), environment additions, working directory, where
 * stdout and stderr go (the same file when {@code stderr} is null) and where the exit code is recorded.
 */
public record LaunchSpec(
        List<String> command,
        Map<String, String> environment,
        Path workingDirectory,
        Path stdout,
        Path stderr,
        Path exitStatusFile) {
    public LaunchSpec {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        environment = Map.copyOf(environment);
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(stdout, "stdout is null");
        requireNonNull(exitStatusFile, "exitStatusFile is null");
    }
}
