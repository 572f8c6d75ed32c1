package io.hearth.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an ETag to objects that did not arrive through the S3 API. The store keeps each object's
 * ETag in an extended attribute written on upload; files written straight into a bucket's folder
 * (by Spark through an {@code s3://} path, or by hand) have none, and the store cannot list
 * them. Before a request reads such files, each gets an ETag derived from its size and
 * modification time, in the {@code "<hex>-1"} form S3 uses for ETags that are not an MD5 of the
 * content, so clients do not mistake it for a checksum.
 */
final class ObjectTags {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectTags.class);
    private static final String ETAG_ATTRIBUTE = "user.content-md5";

    private final Path root;
    private final ObjectFiles files;

    ObjectTags(Path root, ObjectFiles files) {
        this.root = root;
        this.files = files;
    }

    /** Tags the object {@code key} of {@code bucket}, if it is an untagged file. */
    void tagObject(String bucket, String key) {
        Path file = resolve(bucket, key);
        if (file != null && Files.isRegularFile(file)) {
            tag(file);
        }
    }

    /** Tags the files a listing of {@code prefix} would show: the folder's own files with a "/" delimiter, all below it otherwise. */
    void tagListing(String bucket, String prefix, String delimiter) {
        String key = prefix == null ? "" : prefix;
        int slash = key.lastIndexOf('/');
        Path folder = resolve(bucket, slash < 0 ? "" : key.substring(0, slash));
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        String namePrefix = key.substring(slash + 1);
        if ("/".equals(delimiter)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(folder, path -> path.getFileName().toString().startsWith(namePrefix))) {
                children.forEach(child -> {
                    if (Files.isRegularFile(child)) {
                        tag(child);
                    }
                });
            } catch (IOException e) {
                LOG.debug("Cannot list {}", folder, e);
            }
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(Files::isRegularFile)
                    .filter(path -> folder.relativize(path).toString().startsWith(namePrefix))
                    .forEach(this::tag);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot walk {}", folder, e);
        }
    }

    private void tag(Path file) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null || view.list().contains(ETAG_ATTRIBUTE)) {
                return;
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            String identity = attributes.size() + ":" + attributes.lastModifiedTime().toMillis() + ":" + attributes.fileKey();
            byte[] digest = MessageDigest.getInstance("MD5").digest(identity.getBytes(StandardCharsets.UTF_8));
            String eTag = "\"" + HexFormat.of().formatHex(digest) + "-1\"";
            view.write(ETAG_ATTRIBUTE, ByteBuffer.wrap(eTag.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot tag {}", file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file of a bucket and key, or null when there can be none. */
    private Path resolve(String bucket, String key) {
        if (bucket.isEmpty() || bucket.contains("/") || bucket.startsWith(".") || !Files.isDirectory(root.resolve(bucket))) {
            return null;
        }
        if (key.isEmpty()) {
            return root.resolve(bucket);
        }
        try {
            return files.storedPath(bucket, key);
        } catch (S3Error e) {
            return null;
        }
    }
}
