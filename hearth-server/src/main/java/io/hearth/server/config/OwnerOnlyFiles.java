package io.hearth.server.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files and folders readable by their owner only. Every process Hearth starts runs as the same
 * user, and what Hearth writes (configuration with passwords and keys, logs with step arguments)
 * is nobody else's business, whatever the umask Hearth was started with.
 */
public final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {}

    public static void writeString(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX permissions: the file gets its default ones.
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Appends {@code text} to {@code file}; a file (and folders) that did not exist are created owner-only. */
    public static void append(Path file, String text) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException e) {
            channel = Files.newByteChannel(file, options);
        }
        try (SeekableByteChannel open = channel) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
            while (bytes.hasRemaining()) {
                open.write(bytes);
            }
        }
    }

    /** Creates {@code directory} and its missing parents readable by their owner only; existing folders are left as they are. */
    public static Path createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path current = absolute; current != null && !Files.isDirectory(current); current = current.getParent()) {
            missing.push(current);
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY);
        for (Path folder : missing) {
            try {
                Files.createDirectory(folder, ownerOnly);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(folder);
            }
        }
        return directory;
    }

    /**
     * Takes group and other permissions off an existing folder (its contents keep theirs, but nobody
     * else can reach them); returns the permissions it had when they changed.
     */
    public static Optional<String> restrictToOwner(Path directory) throws IOException {
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(directory);
            Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
            current.stream().filter(permission -> permission.name().startsWith("OWNER_")).forEach(owner::add);
            if (owner.equals(current)) {
                return Optional.empty();
            }
            Files.setPosixFilePermissions(directory, owner);
            return Optional.of(PosixFilePermissions.toString(current));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
