package io.hearth.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program (the aws CLI, python, bin/hearth) and captures what it printed. */
final class ExternalCommand {
    record Result(int exitCode, String stdout, String stderr) {}

    private ExternalCommand() {}

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream().anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    static Result run(List<String> command, Map<String, String> environment, Path workingDirectory, long timeoutSeconds) {
        try {
            Path stdout = Files.createTempFile("command-", ".out");
            Path stderr = Files.createTempFile("command-", ".err");
            // Nothing to read on stdin: a command that reads it (beeline's console does) sees its end at once.
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s; stderr:\n" + Files.readString(stderr));
            }
            Result result = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
