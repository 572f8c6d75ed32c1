package io.hearth.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTimestampedLog {
    @TempDir
    Path temp;

    @Test
    void linesAreTimestampedAndTheLogAndItsNewFoldersAreOwnerOnly() throws IOException {
        Path file = temp.resolve("logs/j-1/steps/s-1/controller");
        TimestampedLog log = new TimestampedLog(file, Clock.fixed(Instant.parse("2025-01-15T10:00:00Z"), ZoneOffset.UTC));

        log.info("Running: [\"spark-submit\",\"--conf\",\"spark.password=secret\"]");
        log.warn("second");

        assertThat(Files.readAllLines(file)).containsExactly(
                "2025-01-15T10:00:00Z INFO Running: [\"spark-submit\",\"--conf\",\"spark.password=secret\"]",
                "2025-01-15T10:00:00Z WARN second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        for (Path folder = file.getParent(); !folder.equals(temp); folder = folder.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).as(folder.toString()).isEqualTo("rwx------");
        }
    }
}
