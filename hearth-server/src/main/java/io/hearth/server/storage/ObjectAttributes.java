package io.hearth.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jclouds.blobstore.domain.BlobAccess;
import org.jclouds.blobstore.domain.Tier;

/**
 * What an object file carries besides its bytes, in the extended attributes the file system blob
 * store reads: its ETag, the content headers it was stored with, its user metadata and storage
 * class. A single-part object's ETag attribute is its 16-byte MD5; any other ETag (a multipart
 * upload's {@code "<md5>-<parts>"}) is stored as its quoted text, which the store reports as is.
 */
record ObjectAttributes(
        byte[] eTag,
        String contentType,
        String cacheControl,
        String contentDisposition,
        String contentEncoding,
        String contentLanguage,
        Date expires,
        Map<String, String> userMetadata,
        Tier tier,
        BlobAccess access) {

    private static final String ETAG = "user.content-md5";
    private static final String CACHE_CONTROL = "user.cache-control";
    private static final String CONTENT_DISPOSITION = "user.content-disposition";
    private static final String CONTENT_ENCODING = "user.content-encoding";
    private static final String CONTENT_LANGUAGE = "user.content-language";
    private static final String CONTENT_TYPE = "user.content-type";
    private static final String EXPIRES = "user.expires";
    private static final String STORAGE_TIER = "user.storage-tier";
    private static final String USER_METADATA_PREFIX = "user.user-metadata.";

    ObjectAttributes {
        userMetadata = Map.copyOf(userMetadata);
        tier = tier == null ? Tier.STANDARD : tier;
        access = access == null ? BlobAccess.PRIVATE : access;
    }

    ObjectAttributes withETag(byte[] newETag) {
        return new ObjectAttributes(newETag, contentType, cacheControl, contentDisposition, contentEncoding, contentLanguage, expires,
                userMetadata, tier, access);
    }

    /** The ETag attribute of a multipart object: its quoted text. */
    static byte[] textETag(String quoted) {
        return quoted.getBytes(StandardCharsets.US_ASCII);
    }

    void writeTo(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            throw new IOException("Cannot store the attributes of " + file + ": the file system has no extended attributes");
        }
        view.write(ETAG, ByteBuffer.wrap(eTag));
        writeText(view, CACHE_CONTROL, cacheControl);
        writeText(view, CONTENT_DISPOSITION, contentDisposition);
        writeText(view, CONTENT_ENCODING, contentEncoding);
        writeText(view, CONTENT_LANGUAGE, contentLanguage);
        writeText(view, CONTENT_TYPE, contentType);
        if (expires != null) {
            ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).putLong(expires.getTime());
            buffer.flip();
            view.write(EXPIRES, buffer);
        }
        writeText(view, STORAGE_TIER, tier.toString());
        for (Map.Entry<String, String> entry : userMetadata.entrySet()) {
            writeText(view, USER_METADATA_PREFIX + entry.getKey(), entry.getValue());
        }
        try {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(file));
            if (access == BlobAccess.PUBLIC_READ) {
                permissions.add(PosixFilePermission.OTHERS_READ);
            } else {
                permissions.remove(PosixFilePermission.OTHERS_READ);
            }
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: objects are as readable as the folder makes them.
        }
    }

    private static void writeText(UserDefinedFileAttributeView view, String name, String value) throws IOException {
        if (value != null) {
            view.write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
