package io.hearth.server.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.S3Exception;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.KeyNotFoundException;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobAccess;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.internal.MutableBlobMetadataImpl;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.domain.internal.StorageMetadataImpl;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.ContentMetadata;
import org.jclouds.io.Payload;
import org.jclouds.util.Throwables2;

/**
 * How objects become files, between S3Proxy and jclouds' file system store: keys are mapped to
 * paths by {@link ObjectKeys} (so keys with long or dot segments work), an upload is written to a
 * staging folder outside the buckets and moved into place only once it arrived whole (a failed
 * upload leaves nothing a listing shows), and multipart uploads are kept outside the buckets by
 * {@link MultipartUploads}, the completed object carrying the same {@code "<md5>-<parts>"} ETag in
 * every answer. Reads go to the file system store.
 *
 * <p>S3Proxy keeps a multipart upload's attributes in a stub object named by the upload id; this
 * store answers those calls from the upload itself, so no stub is ever written.
 *
 * <p>Its length (about 670 lines) is one override per jclouds BlobStore call that touches files
 * (27 of them). They share the staging and key-mapping rules above, which splitting would scatter.
 */
final class ObjectFiles extends ForwardingBlobStore {
    /** MD5 of zero bytes: the ETag of an empty object and of a folder marker. */
    private static final byte[] EMPTY_MD5 = HexFormat.of().parseHex("d41d8cd98f00b204e9800998ecf8427e");

    private final Path root;
    private final Path incoming;
    private final MultipartUploads uploads;
    private final Path bucketSettings;

    ObjectFiles(BlobStore store, Path root, Path state) {
        super(store);
        this.root = root.toAbsolutePath().normalize();
        this.incoming = state.toAbsolutePath().normalize().resolve("incoming");
        this.uploads = new MultipartUploads(state.toAbsolutePath().normalize().resolve("uploads"));
        this.bucketSettings = bucketSettings(state);
        try {
            Files.createDirectories(incoming);
            // Whatever a crash left half-written.
            try (var leftovers = Files.list(incoming)) {
                for (Path leftover : leftovers.toList()) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the object store's staging folder " + incoming, e);
        }
        uploads.removeLeftovers();
    }

    /** Where the buckets' settings (their CORS configurations) are kept. */
    static Path bucketSettings(Path state) {
        return state.toAbsolutePath().normalize().resolve("buckets");
    }

    /** The file or folder that holds {@code key} of {@code bucket} (which may not exist). */
    Path storedPath(String bucket, String key) {
        checkBucket(bucket);
        checkKey(key);
        return root.resolve(bucket).resolve(ObjectKeys.storedName(key));
    }

    /**
     * A bucket is a folder directly under the store's root. S3Proxy checks the bucket of a request's
     * path, but not every name it passes on (a copy source's bucket may be {@code ..}).
     */
    private static void checkBucket(String container) {
        if (!isBucketName(container)) {
            throw new ContainerNotFoundException(String.valueOf(container), "");
        }
    }

    static boolean isBucketName(String container) {
        return container != null && !container.isEmpty() && !container.equals(".") && !container.equals("..")
                && container.indexOf('/') < 0 && container.indexOf('\\') < 0 && container.indexOf('\0') < 0;
    }

    @Override
    public boolean containerExists(String container) {
        return isBucketName(container) && super.containerExists(container);
    }

    @Override
    public org.jclouds.blobstore.domain.ContainerAccess getContainerAccess(String container) {
        checkBucket(container);
        return super.getContainerAccess(container);
    }

    @Override
    public void setContainerAccess(String container, org.jclouds.blobstore.domain.ContainerAccess access) {
        checkBucket(container);
        super.setContainerAccess(container, access);
    }

    private static void checkKey(String key) {
        if (ObjectKeys.tooLong(key)) {
            throw S3Error.keyTooLong(key);
        }
    }

    private String stored(String key) {
        checkKey(key);
        return ObjectKeys.storedName(key);
    }

    // Reads

    @Override
    public boolean blobExists(String container, String name) {
        checkBucket(container);

        return uploads.exists(container, name) || !isFolderWithoutSlash(container, name) && super.blobExists(container, stored(name));
    }

    /** Whether {@code uploadId} names a multipart upload in progress in {@code bucket} for {@code key}. */
    boolean uploadExists(String bucket, String key, String uploadId) {
        return uploads.find(bucket, uploadId).filter(upload -> upload.key().equals(key)).isPresent();
    }

    @Override
    public BlobMetadata blobMetadata(String container, String name) {
        checkBucket(container);

        if (uploads.exists(container, name)) {
            MutableBlobMetadataImpl stub = new MutableBlobMetadataImpl();
            stub.setName(name);
            stub.setContainer(container);
            return stub;
        }
        if (isFolderWithoutSlash(container, name)) {
            return null;
        }
        BlobMetadata metadata = super.blobMetadata(container, stored(name));
        if (metadata == null) {
            return null;
        }
        MutableBlobMetadataImpl named = new MutableBlobMetadataImpl(metadata);
        named.setName(name);
        return named;
    }

    @Override
    public Blob getBlob(String container, String name) {
        return getBlob(container, name, GetOptions.NONE);
    }

    @Override
    public Blob getBlob(String container, String name, GetOptions options) {
        checkBucket(container);

        if (isFolderWithoutSlash(container, name)) {
            return null;
        }
        Blob blob = super.getBlob(container, stored(name), options);
        if (blob != null) {
            blob.getMetadata().setName(name);
        }
        return blob;
    }

    /** A key without a trailing "/" names a file; a folder of that name is no object. */
    private boolean isFolderWithoutSlash(String container, String name) {
        return !name.endsWith("/") && Files.isDirectory(storedPath(container, name));
    }

    @Override
    public BlobAccess getBlobAccess(String container, String name) {
        checkBucket(container);

        if (uploads.exists(container, name)) {
            return uploads.find(container, name).map(upload -> upload.attributes().access()).orElse(BlobAccess.PRIVATE);
        }
        return super.getBlobAccess(container, stored(name));
    }

    @Override
    public void setBlobAccess(String container, String name, BlobAccess access) {
        checkBucket(container);

        super.setBlobAccess(container, stored(name), access);
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container) {
        return list(container, ListContainerOptions.NONE);
    }

    /**
     * The store lists stored names; they are mapped back to keys, then sorted, cut after the marker
     * and to the page size here, since a key's order can differ from its stored name's.
     */
    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        checkBucket(container);

        String prefix = options.getPrefix() == null ? "" : options.getPrefix();
        ListContainerOptions stored = new ListContainerOptions();
        if (options.getDelimiter() != null) {
            stored.delimiter(options.getDelimiter());
        } else if (options.isRecursive()) {
            stored.recursive();
        }
        String storedPrefix = storedPrefix(prefix);
        if (!storedPrefix.isEmpty()) {
            stored.prefix(storedPrefix);
        }
        Path bucket = root.resolve(container);
        List<StorageMetadata> entries = new ArrayList<>();
        for (StorageMetadata entry : super.list(container, stored)) {
            String key = entry.getName().contains("~h") ? ObjectKeys.keyOf(bucket, entry.getName()) : entry.getName();
            if (!key.startsWith(prefix) || options.getMarker() != null && key.compareTo(options.getMarker()) <= 0) {
                continue;
            }
            entries.add(key.equals(entry.getName()) ? entry : renamed(entry, key));
        }
        entries.sort(Comparator.comparing(StorageMetadata::getName));
        String nextMarker = null;
        Integer max = options.getMaxResults();
        if (max != null && entries.size() > max) {
            entries = new ArrayList<>(entries.subList(0, max));
            nextMarker = entries.isEmpty() ? null : entries.get(entries.size() - 1).getName();
        }
        return new PageSetImpl<>(entries, nextMarker);
    }

    /**
     * The stored form of a listing prefix: its folders mapped, and its last, partial segment kept
     * only while it is short and plain enough to also begin the derived names it should match.
     */
    private static String storedPrefix(String prefix) {
        int slash = prefix.lastIndexOf('/');
        String folders = slash < 0 ? "" : ObjectKeys.storedName(prefix.substring(0, slash + 1));
        String partial = prefix.substring(slash + 1);
        boolean plain = !ObjectKeys.needsDerivedName(partial) && partial.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 100;
        return folders + (plain ? partial : "");
    }

    private static StorageMetadata renamed(StorageMetadata entry, String key) {
        return new StorageMetadataImpl(entry.getType(), entry.getProviderId(), key, entry.getLocation(), entry.getUri(), entry.getETag(),
                entry.getCreationDate(), entry.getLastModified(), entry.getUserMetadata(), entry.getSize(), entry.getTier());
    }

    // Writes

    @Override
    public String putBlob(String container, Blob blob) {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        checkBucket(container);

        String key = blob.getMetadata().getName();
        if (uploads.exists(container, key)) {
            // S3Proxy's stub for a multipart upload: the upload already holds its attributes.
            return HexFormat.of().formatHex(EMPTY_MD5);
        }
        requireBucket(container);
        checkKey(key);
        ObjectAttributes attributes = attributes(blob, options);
        Path bucket = root.resolve(container);
        if (key.endsWith("/")) {
            return putMarker(container, blob, options, bucket, key);
        }
        Staged staged = stage(blob.getPayload(), blob.getMetadata().getContentMetadata());
        try {
            install(staged.file(), bucket, key, attributes.withETag(staged.md5()));
            return "\"" + HexFormat.of().formatHex(staged.md5()) + "\"";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store object " + key + " in bucket " + container, e);
        } finally {
            deleteQuietly(staged.file());
        }
    }

    private String putMarker(String container, Blob blob, PutOptions options, Path bucket, String key) {
        try {
            Path folder = ObjectKeys.createParents(bucket, key);
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw conflict(key, "an object of that name without the trailing '/' exists");
            }
            try (InputStream body = blob.getPayload().openStream()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            blob.getMetadata().setName(ObjectKeys.storedName(key));
            String eTag = super.putBlob(container, blob, options);
            ObjectKeys.labelLast(folder, key);
            return eTag;
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw conflict(key, "a folder above it is an object");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create folder " + key + " in bucket " + container, e);
        }
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName, CopyOptions options) {
        checkBucket(fromContainer);
        checkBucket(toContainer);

        Blob source = getBlob(fromContainer, fromName);
        if (source == null) {
            throw new KeyNotFoundException(fromContainer, fromName, "while copying");
        }
        BlobMetadata metadata = source.getMetadata();
        checkCopyConditions(metadata, options);
        ContentMetadata content = options.contentMetadata() != null ? options.contentMetadata() : metadata.getContentMetadata();
        Map<String, String> userMetadata = options.userMetadata() != null ? options.userMetadata() : metadata.getUserMetadata();
        try (InputStream in = source.getPayload().openStream()) {
            Blob copy = blobBuilder(toName).payload(in)
                    .contentLength(metadata.getContentMetadata().getContentLength())
                    .contentType(content.getContentType())
                    .cacheControl(content.getCacheControl())
                    .contentDisposition(content.getContentDisposition())
                    .contentEncoding(content.getContentEncoding())
                    .contentLanguage(content.getContentLanguage())
                    .expires(content.getExpires())
                    .userMetadata(userMetadata)
                    .tier(metadata.getTier())
                    .build();
            return putBlob(toContainer, copy, PutOptions.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + fromName + " of " + fromContainer, e);
        }
    }

    private static void checkCopyConditions(BlobMetadata source, CopyOptions options) {
        String eTag = ObjectConditions.unquoted(source.getETag());
        Instant modified = source.getLastModified() == null ? null : source.getLastModified().toInstant().truncatedTo(ChronoUnit.SECONDS);
        if (options.ifMatch() != null && !ObjectConditions.matches(options.ifMatch(), eTag)) {
            throw S3Error.preconditionFailed("x-amz-copy-source-If-Match");
        }
        if (options.ifNoneMatch() != null && ObjectConditions.matches(options.ifNoneMatch(), eTag)) {
            throw S3Error.preconditionFailed("x-amz-copy-source-If-None-Match");
        }
        if (modified != null && options.ifModifiedSince() != null && !modified.isAfter(options.ifModifiedSince().toInstant())) {
            throw S3Error.preconditionFailed("x-amz-copy-source-If-Modified-Since");
        }
        if (modified != null && options.ifUnmodifiedSince() != null && modified.isAfter(options.ifUnmodifiedSince().toInstant())) {
            throw S3Error.preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
        }
    }

    @Override
    public void removeBlob(String container, String name) {
        checkBucket(container);

        if (uploads.exists(container, name)) {
            uploads.remove(container, name);
            return;
        }
        if (isFolderWithoutSlash(container, name)) {
            return;
        }
        super.removeBlob(container, stored(name));
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        names.forEach(name -> removeBlob(container, name));
    }

    @Override
    public boolean createContainerInLocation(org.jclouds.domain.Location location, String container) {
        return createContainerInLocation(location, container, org.jclouds.blobstore.options.CreateContainerOptions.NONE);
    }

    @Override
    public boolean createContainerInLocation(org.jclouds.domain.Location location, String container,
            org.jclouds.blobstore.options.CreateContainerOptions options) {
        checkBucket(container);
        boolean created = super.createContainerInLocation(location, container, options);
        if (created) {
            // A bucket of the same name deleted by hand may have left uploads and settings behind.
            uploads.removeBucket(container);
            MultipartUploads.deleteRecursively(bucketSettings.resolve(container));
        }
        return created;
    }

    @Override
    public boolean deleteContainerIfEmpty(String container) {
        checkBucket(container);

        boolean deleted = super.deleteContainerIfEmpty(container);
        if (deleted) {
            uploads.removeBucket(container);
            MultipartUploads.deleteRecursively(bucketSettings.resolve(container));
        }
        return deleted;
    }

    // Multipart uploads

    @Override
    public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata, PutOptions options) {
        checkBucket(container);

        requireBucket(container);
        checkKey(metadata.getName());
        ContentMetadata content = metadata.getContentMetadata();
        ObjectAttributes attributes = new ObjectAttributes(new byte[0], content.getContentType(), content.getCacheControl(),
                content.getContentDisposition(), content.getContentEncoding(), content.getContentLanguage(), content.getExpires(),
                metadata.getUserMetadata(), metadata.getTier(), options.getBlobAccess());
        MultipartUploads.Upload upload = uploads.start(container, metadata.getName(), attributes);
        return MultipartUpload.create(container, metadata.getName(), upload.id(), metadata, options);
    }

    private MultipartUploads.Upload upload(MultipartUpload mpu) {
        return uploads.find(mpu.containerName(), mpu.id())
                .filter(upload -> upload.key().equals(mpu.blobName()))
                .orElseThrow(() -> S3Error.noSuchUpload(mpu.id()));
    }

    @Override
    public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
        checkBucket(mpu.containerName());

        MultipartUploads.Upload upload = upload(mpu);
        Staged staged = stage(payload, payload.getContentMetadata());
        try {
            return uploads.addPart(upload, partNumber, staged.file(), "\"" + HexFormat.of().formatHex(staged.md5()) + "\"", staged.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store part " + partNumber + " of upload " + mpu.id(), e);
        } finally {
            deleteQuietly(staged.file());
        }
    }

    @Override
    public List<MultipartPart> listMultipartUpload(MultipartUpload mpu) {
        checkBucket(mpu.containerName());

        return uploads.parts(upload(mpu));
    }

    @Override
    public List<MultipartUpload> listMultipartUploads(String container) {
        checkBucket(container);

        requireBucket(container);
        return uploads.list(container).stream()
                .map(upload -> MultipartUpload.create(container, upload.key(), upload.id(), null, null))
                .toList();
    }

    /**
     * Joins the parts into the object. Its ETag is S3's: the MD5 of the parts' MD5s, a dash and the
     * number of parts, stored with the object so that every later answer gives the same one.
     */
    @Override
    public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
        checkBucket(mpu.containerName());

        MultipartUploads.Upload upload = upload(mpu);
        Path joined = incoming.resolve(UUID.randomUUID().toString());
        try {
            MessageDigest partDigests = md5();
            try (OutputStream out = Files.newOutputStream(joined, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (MultipartPart part : parts) {
                    Path file = uploads.partFile(upload, part.partNumber());
                    if (!Files.isRegularFile(file)) {
                        throw new S3Error("InvalidPart", 400, "One or more of the specified parts could not be found. The part may not have been"
                                + " uploaded, or the specified entity tag may not match the part's entity tag.");
                    }
                    Files.copy(file, out);
                    partDigests.update(HexFormat.of().parseHex(ObjectConditions.unquoted(part.partETag())));
                }
            }
            String eTag = "\"" + HexFormat.of().formatHex(partDigests.digest()) + "-" + parts.size() + "\"";
            install(joined, root.resolve(upload.bucket()), upload.key(), upload.attributes().withETag(ObjectAttributes.textETag(eTag)));
            uploads.finish(upload);
            return eTag;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot complete upload " + mpu.id() + " of " + mpu.blobName(), e);
        } finally {
            deleteQuietly(joined);
        }
    }

    @Override
    public void abortMultipartUpload(MultipartUpload mpu) {
        checkBucket(mpu.containerName());

        uploads.remove(mpu.containerName(), mpu.id());
    }

    // Files

    private record Staged(Path file, byte[] md5, long size) {}

    /**
     * Writes a request's body to the staging folder, checking its length and Content-MD5. A body the
     * client cannot deliver whole (cut short, or not in the encoding it declares) is the client's
     * mistake: an S3 error, with nothing left behind.
     */
    private Staged stage(Payload payload, ContentMetadata content) {
        Path file = incoming.resolve(UUID.randomUUID().toString());
        MessageDigest md5 = md5();
        long size;
        try (InputStream in = new DigestInputStream(new ClientBody(payload.openStream()), md5);
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            size = in.transferTo(out);
        } catch (ClientBodyException e) {
            deleteQuietly(file);
            S3Exception cause = Throwables2.getFirstThrowableOfType(e, S3Exception.class);
            if (cause != null) {
                throw S3Errors.of(cause);
            }
            throw S3Error.incompleteBody(String.valueOf(e.getCause().getMessage()));
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("Cannot write an upload to " + incoming, e);
        }
        byte[] digest = md5.digest();
        Long declared = content == null ? null : content.getContentLength();
        if (declared != null && declared != size) {
            deleteQuietly(file);
            throw S3Error.incompleteBody("it declares " + declared + " bytes and has " + size);
        }
        if (content != null && content.getContentMD5() != null && !Arrays.equals(content.getContentMD5(), digest)) {
            deleteQuietly(file);
            throw S3Error.badDigest();
        }
        return new Staged(file, digest, size);
    }

    /** Moves a staged file in as {@code key}, with its attributes, creating (and labelling) the folders above it. */
    private void install(Path staged, Path bucket, String key, ObjectAttributes attributes) throws IOException {
        attributes.writeTo(staged);
        List<String> segments = ObjectKeys.segments(key);
        if (ObjectKeys.needsDerivedName(segments.get(segments.size() - 1))) {
            ObjectKeys.label(staged, segments.get(segments.size() - 1));
        }
        Path target;
        try {
            target = ObjectKeys.createParents(bucket, key);
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw conflict(key, "a folder above it is an object");
        }
        if (Files.isDirectory(target)) {
            throw conflict(key, "it is a folder holding other objects");
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (DirectoryNotEmptyException e) {
            throw conflict(key, "it is a folder holding other objects");
        } catch (FileSystemException e) {
            if (Files.isDirectory(target) || !Files.isDirectory(target.getParent())) {
                throw conflict(key, "a folder of that name or above it is in the way");
            }
            throw e;
        }
    }

    private static S3Error conflict(String key, String reason) {
        return new S3Error("InvalidRequest", 400, "Cannot store object '" + key + "': " + reason
                + " (Hearth keeps objects as files, so a key cannot be both an object and a folder of other objects)");
    }

    private void requireBucket(String container) {
        if (!containerExists(container)) {
            throw new ContainerNotFoundException(container, "");
        }
    }

    private static ObjectAttributes attributes(Blob blob, PutOptions options) {
        BlobMetadata metadata = blob.getMetadata();
        ContentMetadata content = metadata.getContentMetadata();
        return new ObjectAttributes(EMPTY_MD5, content.getContentType(), content.getCacheControl(), content.getContentDisposition(),
                content.getContentEncoding(), content.getContentLanguage(), content.getExpires(), metadata.getUserMetadata(), metadata.getTier(),
                options.getBlobAccess());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The staging folder is emptied at the next start.
        }
    }

    /** A failure to read the request's body, as opposed to a failure to write it. */
    private static final class ClientBodyException extends IOException {
        private static final long serialVersionUID = 1L;

        ClientBodyException(Exception cause) {
            super(cause);
        }
    }

    /** The request body, its read failures told apart from write failures. */
    private static final class ClientBody extends FilterInputStream {
        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw new ClientBodyException(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException | RuntimeException e) {
                throw new ClientBodyException(e);
            }
        }
    }
}
