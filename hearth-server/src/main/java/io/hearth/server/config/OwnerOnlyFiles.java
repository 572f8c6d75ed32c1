package io.hearth.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes configuration files that may hold secrets (database passwords, S3 keys) readable by
 * their owner only: every process Hearth starts runs as the same user.
 */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    public static void writeString(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX permissions: the file gets its default ones.
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
