package io.hearth.server.storage;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.config.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local copies of the {@code s3://} objects Hearth itself uses when they live in an S3-compatible
 * service ({@code storage.s3-endpoint}): {@code <root>/<bucket>/<key>}. Objects Hearth reads (step
 * jars, scripts, SQL files, bootstrap actions) are downloaded when read; files Hearth writes here
 * (logs under an s3:// LogUri) are uploaded every interval while they grow, and at once when asked
 * (a step ends) or when Hearth stops.
 */
public final class S3ServiceCopies implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3ServiceCopies.class);

    /** What a file was when it was last downloaded or uploaded. */
    private record Version(long size, long modifiedMillis) {}

    private final Path root;
    private final S3ServiceClient service;
    private final ScheduledExecutorService uploader;
    private final Map<Path, Version> inService = new ConcurrentHashMap<>();
    /** The last upload failure reported per bucket, so a lasting outage is logged once. */
    private final Map<String, String> reportedFailures = new ConcurrentHashMap<>();

    private S3ServiceCopies(Path root, S3ServiceClient service, ScheduledExecutorService uploader) {
        this.root = root;
        this.service = service;
        this.uploader = uploader;
    }

    public static S3ServiceCopies start(Path root, StorageConfig storage) {
        requireNonNull(root, "root is null");
        if (!storage.usesS3Service()) {
            throw new IllegalArgumentException("No S3-compatible service is configured");
        }
        ScheduledExecutorService uploader = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hearth-s3-uploads");
            thread.setDaemon(true);
            return thread;
        });
        S3ServiceCopies copies = new S3ServiceCopies(root.toAbsolutePath().normalize(), S3ServiceClient.connect(storage), uploader);
        long every = storage.logUploadInterval().toMillis();
        uploader.scheduleWithFixedDelay(copies::uploadAll, every, every, TimeUnit.MILLISECONDS);
        return copies;
    }

    public Path root() {
        return root;
    }

    public String endpoint() {
        return service.endpoint();
    }

    /** Replaces the local copy {@code file} of {@code s3://bucket/key} with the object; {@code member} names the request field. */
    void download(String bucket, String key, Path file, String location, String member) {
        try {
            if (!service.download(bucket, key, file)) {
                throw HearthException.invalidArgument("%s %s does not exist in the S3 service at %s", member, location, service.endpoint());
            }
            inService.put(file, version(file));
        } catch (IOException | RuntimeException e) {
            if (e instanceof HearthException hearth) {
                throw hearth;
            }
            throw HearthException.invalidArgument("%s %s cannot be read from the S3 service at %s: %s", member, location, service.endpoint(), e.getMessage());
        }
    }

    /** Whether the service has {@code bucket}; {@code location} and {@code member} word the error when it cannot say. */
    boolean bucketExists(String bucket, String location, String member) {
        try {
            return service.bucketExists(bucket);
        } catch (RuntimeException e) {
            throw HearthException.invalidArgument("%s %s cannot be checked in the S3 service at %s: %s", member, location, service.endpoint(),
                    e.getMessage());
        }
    }

    /** Uploads now the files under {@code path} (a file or a folder of copies) that changed since they were last uploaded. */
    public synchronized void upload(Path path) {
        Path start = path.toAbsolutePath().normalize();
        if (!start.startsWith(root) || !Files.exists(start)) {
            return;
        }
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".download")).forEach(this::uploadIfChanged);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot list the files under {} to upload them to the S3 service: {}", start, e.getMessage());
        }
    }

    private void uploadIfChanged(Path file) {
        Path relative = root.relativize(file);
        if (relative.getNameCount() < 2) {
            return;
        }
        String bucket = relative.getName(0).toString();
        String key = relative.subpath(1, relative.getNameCount()).toString();
        try {
            Version now = version(file);
            if (now.equals(inService.get(file))) {
                return;
            }
            service.upload(file, now.size(), bucket, key);
            inService.put(file, now);
            if (reportedFailures.remove(bucket) != null) {
                LOG.info("Uploads to s3://{} at {} work again", bucket, service.endpoint());
            }
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.equals(reportedFailures.put(bucket, message))) {
                LOG.warn("Cannot upload {} to s3://{}/{} at {} (retried every upload interval): {}", file, bucket, key, service.endpoint(), message);
            }
        }
    }

    private void uploadAll() {
        try {
            upload(root);
        } catch (RuntimeException e) {
            LOG.warn("Uploading logs to the S3 service failed", e);
        }
    }

    private static Version version(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Version(attributes.size(), attributes.lastModifiedTime().toMillis());
    }

    /** Uploads what is left, then stops. */
    @Override
    public void close() {
        uploader.shutdownNow();
        try {
            uploader.awaitTermination(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uploadAll();
        service.close();
    }
}
