package io.hearth.server.log;

import io.hearth.server.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * A log file of timestamped lines for users to read: a step's controller log, a cluster's log.
 * They name the commands and arguments steps run, so the file and the folders created for it are
 * owner-only, also under a LogUri outside the data directory.
 */
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
            OwnerOnlyFiles.append(file, line);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the log " + file, e);
        }
    }
}
