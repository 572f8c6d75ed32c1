package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * Where Spark and the catalog find {@code s3://} paths: Hearth's own object store under the data
 * directory by default, or an S3-compatible service (MinIO, Ceph, Amazon S3 itself) reached
 * through Hadoop's S3A client when {@code s3Endpoint} is set.
 *
 * @param s3Endpoint the service's URL ({@code http://host:port} or {@code https://...}), or null
 * @param pathStyleAccess address buckets as {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}
 * @param logUploadInterval how often logs Hearth writes under an s3:// LogUri are uploaded to the service
 */
public record StorageConfig(URI s3Endpoint, String s3AccessKey, String s3SecretKey, String s3Region, boolean pathStyleAccess,
        Duration logUploadInterval) {

    public StorageConfig {
        requireNonNull(s3Region, "s3Region is null");
        requireNonNull(logUploadInterval, "logUploadInterval is null");
    }

    public static StorageConfig defaults() {
        return new StorageConfig(null, null, null, "us-east-1", true, Duration.ofSeconds(10));
    }

    /** True when s3:// paths go to an S3-compatible service rather than Hearth's own files. */
    public boolean usesS3Service() {
        return s3Endpoint != null;
    }
}
