package io.hearth.server.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/** A log file of timestamped lines for users to read: a step's controller log, a cluster's log. */
public final class TimestampedLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final Path file;
    private final Clock clock;

    public TimestampedLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    public synchronized void info(String message) {
        write("INFO", message);
    }

    public synchronized void warn(String message) {
        write("WARN", message);
    }

    private void write(String level, String message) {
        String line = TIME.format(clock.instant()) + " " + level + " " + message + System.lineSeparator();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the log " + file, e);
        }
    }
}
