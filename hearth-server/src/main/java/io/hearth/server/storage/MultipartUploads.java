package io.hearth.server.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jclouds.blobstore.domain.BlobAccess;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.Tier;

/**
 * Multipart uploads in progress, kept outside the buckets ({@code <state>/<bucket>/<upload id>/}):
 * the upload's key and attributes, and one file per part, so that listings never show parts and
 * an upload that is never completed leaves nothing in its bucket.
 */
final class MultipartUploads {
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PART_FILE = Pattern.compile("part-(\\d{5})");
    private static final String DESCRIPTION = "upload.properties";
    private static final String PART_ETAG = "hearth.part-etag";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An upload in progress: the key it completes to and the attributes the object gets. */
    record Upload(String bucket, String id, String key, ObjectAttributes attributes, Date initiated) {}

    private final Path root;

    MultipartUploads(Path root) {
        this.root = root;
    }

    /** Forgets what a crash or an interrupted completion left: folders without a description. */
    void removeLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> buckets = Files.list(root)) {
            for (Path bucket : buckets.toList()) {
                try (Stream<Path> uploads = Files.list(bucket)) {
                    for (Path upload : uploads.toList()) {
                        if (!Files.isRegularFile(upload.resolve(DESCRIPTION))) {
                            deleteRecursively(upload);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean the multipart uploads under " + root, e);
        }
    }

    Upload start(String bucket, String key, ObjectAttributes attributes) {
        String id = HexFormat.of().formatHex(randomBytes());
        Path folder = root.resolve(bucket).resolve(id);
        Properties description = new Properties();
        description.setProperty("key", key);
        put(description, "content-type", attributes.contentType());
        put(description, "cache-control", attributes.cacheControl());
        put(description, "content-disposition", attributes.contentDisposition());
        put(description, "content-encoding", attributes.contentEncoding());
        put(description, "content-language", attributes.contentLanguage());
        if (attributes.expires() != null) {
            description.setProperty("expires", Long.toString(attributes.expires().getTime()));
        }
        description.setProperty("tier", attributes.tier().name());
        description.setProperty("access", attributes.access().name());
        attributes.userMetadata().forEach((name, value) -> description.setProperty("meta." + name, value));
        try {
            Files.createDirectories(folder);
            Path partial = folder.resolve(DESCRIPTION + ".partial");
            try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                description.store(writer, null);
            }
            Files.move(partial, folder.resolve(DESCRIPTION), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a multipart upload in " + folder, e);
        }
        return new Upload(bucket, id, key, attributes, new Date());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void put(Properties properties, String name, String value) {
        if (value != null) {
            properties.setProperty(name, value);
        }
    }

    /** Whether {@code id} names an upload of {@code bucket} (in progress, or completed a moment ago). */
    boolean exists(String bucket, String id) {
        return UPLOAD_ID.matcher(id).matches() && Files.isDirectory(root.resolve(bucket).resolve(id));
    }

    Optional<Upload> find(String bucket, String id) {
        if (!UPLOAD_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path folder = root.resolve(bucket).resolve(id);
        Path description = folder.resolve(DESCRIPTION);
        if (!Files.isRegularFile(description)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(description, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            return Optional.empty();
        }
        Map<String, String> userMetadata = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("meta.")) {
                userMetadata.put(name.substring("meta.".length()), properties.getProperty(name));
            }
        }
        String expires = properties.getProperty("expires");
        ObjectAttributes attributes = new ObjectAttributes(new byte[0], properties.getProperty("content-type"), properties.getProperty("cache-control"),
                properties.getProperty("content-disposition"), properties.getProperty("content-encoding"), properties.getProperty("content-language"),
                expires == null ? null : new Date(Long.parseLong(expires)), userMetadata, Tier.valueOf(properties.getProperty("tier", "STANDARD")),
                BlobAccess.valueOf(properties.getProperty("access", "PRIVATE")));
        Date initiated;
        try {
            initiated = new Date(Files.getLastModifiedTime(description).toMillis());
        } catch (IOException e) {
            initiated = new Date();
        }
        return Optional.of(new Upload(bucket, id, properties.getProperty("key"), attributes, initiated));
    }

    /** The uploads of a bucket in progress, by key and then by when they started. */
    List<Upload> list(String bucket) {
        Path folder = root.resolve(bucket);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Upload> uploads = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                find(bucket, entry.getFileName().toString()).ifPresent(uploads::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the multipart uploads of " + bucket, e);
        }
        uploads.sort(Comparator.comparing(Upload::key).thenComparing(Upload::initiated));
        return uploads;
    }

    /** Moves a staged file in as a part (replacing an earlier upload of the same number). */
    MultipartPart addPart(Upload upload, int number, Path staged, String quotedETag, long size) throws IOException {
        Path folder = root.resolve(upload.bucket()).resolve(upload.id());
        UserDefinedFileAttributeView view = Files.getFileAttributeView(staged, UserDefinedFileAttributeView.class);
        if (view == null) {
            throw new IOException("Cannot store the ETag of a part: the file system has no extended attributes");
        }
        view.write(PART_ETAG, ByteBuffer.wrap(quotedETag.getBytes(StandardCharsets.US_ASCII)));
        Path part = folder.resolve(partName(number));
        if (!Files.isRegularFile(folder.resolve(DESCRIPTION))) {
            // Aborted or completed while this part was arriving.
            throw S3Error.noSuchUpload(upload.id());
        }
        Files.move(staged, part, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return MultipartPart.create(number, size, quotedETag, new Date(Files.getLastModifiedTime(part).toMillis()));
    }

    List<MultipartPart> parts(Upload upload) {
        Path folder = root.resolve(upload.bucket()).resolve(upload.id());
        List<MultipartPart> parts = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "part-*")) {
            for (Path entry : entries) {
                var matcher = PART_FILE.matcher(entry.getFileName().toString());
                if (!matcher.matches()) {
                    continue;
                }
                parts.add(MultipartPart.create(Integer.parseInt(matcher.group(1)), Files.size(entry), partETag(entry),
                        new Date(Files.getLastModifiedTime(entry).toMillis())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the parts of upload " + upload.id(), e);
        }
        parts.sort(Comparator.comparingInt(MultipartPart::partNumber));
        return parts;
    }

    Path partFile(Upload upload, int number) {
        return root.resolve(upload.bucket()).resolve(upload.id()).resolve(partName(number));
    }

    /** Ends an upload that completed: its parts and description go, the folder stays until {@link #remove}. */
    void finish(Upload upload) throws IOException {
        Path folder = root.resolve(upload.bucket()).resolve(upload.id());
        Files.deleteIfExists(folder.resolve(DESCRIPTION));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
    }

    /** Removes an upload and its parts (abort), or what is left of a completed one. */
    void remove(String bucket, String id) {
        if (UPLOAD_ID.matcher(id).matches()) {
            deleteRecursively(root.resolve(bucket).resolve(id));
        }
    }

    /** Removes every upload of a bucket that is deleted. */
    void removeBucket(String bucket) {
        deleteRecursively(root.resolve(bucket));
    }

    private static String partName(int number) {
        return String.format("part-%05d", number);
    }

    private static String partETag(Path part) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(part, UserDefinedFileAttributeView.class);
        ByteBuffer buffer = ByteBuffer.allocate(view.size(PART_ETAG));
        view.read(PART_ETAG, buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }
}
