package io.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds the database, logs with step arguments and objects: its owner alone may open it. */
class TestDataDirectoryPermissions {
    @TempDir
    Path temp;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void anExistingDataDirectoryOpenToOthersIsMadeOwnerOnly() throws IOException {
        Path data = Files.createDirectory(temp.resolve("hearth-data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestingHearth hearth = TestingHearth.builder().dataDirectory(data).start()) {
            assertThat(permissions(data)).isEqualTo("rwx------");
        }
    }
}
