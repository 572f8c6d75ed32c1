package io.hearth.server.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;

/**
 * Hearth's object store: buckets are the directories of {@code <data-dir>/s3} and objects the
 * plain files under them, so the S3 API, Spark ({@code s3://} paths) and the user's own tools all
 * see the same bytes. The store itself is jclouds' file system blob store as S3Proxy ships it,
 * under {@link ObjectFiles}, which owns how objects are written; what is not an object yet
 * (uploads arriving, multipart uploads in progress, bucket settings) lives in a state folder
 * beside the buckets.
 */
public final class ObjectStore implements AutoCloseable {
    private final Path root;
    private final Path state;
    private final BlobStoreContext context;
    private final ObjectFiles files;
    private final BlobStore blobStore;

    private ObjectStore(Path root, Path state, BlobStoreContext context) {
        this.root = root;
        this.state = state;
        this.context = context;
        this.files = new ObjectFiles(context.getBlobStore(), root, state);
        this.blobStore = new FolderMarkers(files);
    }

    /** The store of buckets under {@code root}, with its state in {@code state} (outside {@code root}, on the same file system). */
    public static ObjectStore open(Path root, Path state) {
        requireNonNull(root, "root is null");
        requireNonNull(state, "state is null");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the object store directory " + root, e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", root.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder(new FilesystemNio2BlobProviderMetadata())
                .credentials("hearth", "hearth")
                .overrides(properties)
                .modules(Set.of(new SLF4JLoggingModule()))
                .buildView(BlobStoreContext.class);
        return new ObjectStore(root.toAbsolutePath().normalize(), state.toAbsolutePath().normalize(), context);
    }

    public Path root() {
        return root;
    }

    /** Where the store keeps what is not an object yet, and the buckets' settings. */
    Path state() {
        return state;
    }

    ObjectFiles files() {
        return files;
    }

    BucketCors cors() {
        return new BucketCors(ObjectFiles.bucketSettings(state));
    }

    public BlobStore blobStore() {
        return blobStore;
    }

    @Override
    public void close() {
        context.close();
    }
}
