package io.hearth.server.storage;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Maps the locations users give (jar paths, scripts, log URIs) to files on this machine:
 * <ul>
 *   <li>{@code s3://bucket/key} (also {@code s3a://}, {@code s3n://}) is {@code <data-dir>/s3/bucket/key},
 *       Hearth's object store on this machine; with an S3-compatible service configured, it is the
 *       local copy of the service's object ({@link S3ServiceCopies}), fetched when read and
 *       uploaded when written;</li>
 *   <li>{@code file:///path} and absolute paths are themselves;</li>
 *   <li>relative paths are relative to the directory Hearth was started in.</li>
 * </ul>
 */
public final class LocationResolver {
    private final Path objectStore;
    private final Path workingDirectory;
    private final S3ServiceCopies service;

    /** s3:// locations are Hearth's own object store under {@code objectStore}. */
    public LocationResolver(Path objectStore, Path workingDirectory) {
        this(objectStore, workingDirectory, null);
    }

    /** s3:// locations are objects of an S3-compatible service, through local copies. */
    public LocationResolver(S3ServiceCopies service, Path workingDirectory) {
        this(service.root(), workingDirectory, service);
    }

    private LocationResolver(Path objectStore, Path workingDirectory, S3ServiceCopies service) {
        this.objectStore = requireNonNull(objectStore, "objectStore is null").toAbsolutePath().normalize();
        this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null").toAbsolutePath().normalize();
        this.service = service;
    }

    /**
     * The local file to read for a location. For an object of an S3-compatible service, a fresh copy
     * of it, or an error naming {@code member} when there is no such object.
     */
    public Path fetch(String location, String member) {
        Path file = resolve(location, member);
        if (service != null && isObjectLocation(location.trim())) {
            Path relative = objectStore.relativize(file);
            service.download(relative.getName(0).toString(), key(relative, location), file, location, member);
        }
        return file;
    }

    /**
     * The local folder for a location Hearth will write under (a LogUri), as {@link #resolve} maps
     * it. An {@code s3://} location's bucket must exist already, as EMR requires: Hearth creates the
     * folders under it, never the bucket, so {@code aws s3 mb} keeps working for the user.
     */
    public Path resolveForWriting(String location, String member) {
        Path file = resolve(location, member);
        if (isObjectLocation(location.trim())) {
            String bucket = objectStore.relativize(file).getName(0).toString();
            boolean exists = service == null ? Files.isDirectory(objectStore.resolve(bucket)) : service.bucketExists(bucket, location, member);
            if (!exists) {
                throw HearthException.invalidArgument("%s '%s' is in bucket %s, which does not exist%s; create the bucket first (aws s3 mb s3://%s)",
                        member, location, bucket, service == null ? "" : " in the S3 service at " + service.endpoint(), bucket);
            }
        }
        return file;
    }

    /** Sends what Hearth wrote under {@code path} (a log folder under an s3:// LogUri) to the S3-compatible service now. */
    public void publish(Path path) {
        if (service != null) {
            service.upload(path);
        }
    }

    private static String key(Path relative, String location) {
        if (relative.getNameCount() < 2) {
            throw HearthException.invalidArgument("'%s' names a bucket, not an object", location);
        }
        return relative.subpath(1, relative.getNameCount()).toString();
    }

    private static boolean isObjectLocation(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("s3://") || lower.startsWith("s3a://") || lower.startsWith("s3n://");
    }

    /** The local file for a location; {@code member} names the request member in error messages. */
    public Path resolve(String location, String member) {
        requireNonNull(location, "location is null");
        String trimmed = location.trim();
        if (trimmed.isEmpty()) {
            throw HearthException.invalidArgument("%s must not be empty", member);
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (isObjectLocation(trimmed)) {
            String rest = trimmed.substring(trimmed.indexOf("://") + 3);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty() || bucket.contains("..")) {
                throw HearthException.invalidArgument("%s '%s' does not name a bucket", member, location);
            }
            Path bucketDirectory = objectStore.resolve(bucket).normalize();
            Path file = bucketDirectory.resolve(key).normalize();
            if (!file.startsWith(bucketDirectory) || !bucketDirectory.getParent().equals(objectStore)) {
                throw HearthException.invalidArgument("%s '%s' leaves its bucket", member, location);
            }
            return file;
        }
        if (lower.startsWith("file:")) {
            try {
                return Path.of(new URI(trimmed)).normalize();
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw HearthException.invalidArgument("%s '%s' is not a valid file URI", member, location);
            }
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw HearthException.invalidArgument("%s '%s' uses a scheme Hearth cannot read; use a local path, file:// or s3://", member, location);
        }
        return workingDirectory.resolve(trimmed).normalize();
    }

    /** Joins a location (as the user wrote it) with a relative path, keeping its form: s3:// stays s3://. */
    public static String join(String location, String relative) {
        String base = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return base + "/" + relative;
    }
}
