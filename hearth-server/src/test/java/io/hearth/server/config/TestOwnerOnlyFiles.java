package io.hearth.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestOwnerOnlyFiles {
    @TempDir
    Path temp;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void createDirectoriesMakesEveryMissingFolderOwnerOnlyAndLeavesExistingOnesAlone() throws IOException {
        Path existing = Files.createDirectory(temp.resolve("existing"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        OwnerOnlyFiles.createDirectories(existing.resolve("a/b"));

        assertThat(permissions(existing)).isEqualTo("rwxr-xr-x");
        assertThat(permissions(existing.resolve("a"))).isEqualTo("rwx------");
        assertThat(permissions(existing.resolve("a/b"))).isEqualTo("rwx------");
        OwnerOnlyFiles.createDirectories(existing.resolve("a/b"));
    }

    @Test
    void appendCreatesAnOwnerOnlyFileAndAddsToIt() throws IOException {
        Path file = temp.resolve("logs/j-1/controller");

        OwnerOnlyFiles.append(file, "one\n");
        OwnerOnlyFiles.append(file, "two\n");

        assertThat(Files.readString(file)).isEqualTo("one\ntwo\n");
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(file.getParent())).isEqualTo("rwx------");
    }

    @Test
    void appendKeepsTheModeOfAnExistingFile() throws IOException {
        Path file = Files.createFile(temp.resolve("shared"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));

        OwnerOnlyFiles.append(file, "line\n");

        assertThat(permissions(file)).isEqualTo("rw-r-----");
    }

    @Test
    void restrictToOwnerTakesGroupAndOtherPermissionsOffAndSaysWhatTheyWere() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("data"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(OwnerOnlyFiles.restrictToOwner(folder)).contains("rwxr-xr-x");
        assertThat(permissions(folder)).isEqualTo("rwx------");
        assertThat(OwnerOnlyFiles.restrictToOwner(folder)).isEmpty();
    }
}
