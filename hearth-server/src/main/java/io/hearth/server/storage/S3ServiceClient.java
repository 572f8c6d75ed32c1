package io.hearth.server.storage;

import io.hearth.server.config.StorageConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3-compatible service of {@code storage.s3-endpoint}, for the few objects Hearth itself reads and writes. */
final class S3ServiceClient implements AutoCloseable {
    private final S3Client s3;
    private final String endpoint;

    private S3ServiceClient(S3Client s3, String endpoint) {
        this.s3 = s3;
        this.endpoint = endpoint;
    }

    static S3ServiceClient connect(StorageConfig storage) {
        AwsCredentialsProvider credentials = storage.s3AccessKey() == null
                ? AnonymousCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(storage.s3AccessKey(), storage.s3SecretKey()));
        S3Client s3 = S3Client.builder()
                .endpointOverride(storage.s3Endpoint())
                .region(Region.of(storage.s3Region()))
                .forcePathStyle(storage.pathStyleAccess())
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new S3ServiceClient(s3, storage.s3Endpoint().toString());
    }

    String endpoint() {
        return endpoint;
    }

    /** Whether the bucket exists (HeadBucket answers 404 for one that does not). */
    boolean bucketExists(String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Copies an object to {@code target} (replacing it); false when there is no such object. */
    boolean download(String bucket, String key, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".download");
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(bucket).key(key))) {
            Files.copy(object, partial, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchKeyException e) {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(target);
            return false;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Uploads the first {@code length} bytes of a file that may still be growing (a log being written). */
    void upload(Path file, long length, String bucket, String key) {
        // A fresh stream per attempt (the SDK retries), cut at the length the request announces.
        ContentStreamProvider content = () -> {
            try {
                return new Prefix(Files.newInputStream(file), length);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        };
        s3.putObject(r -> r.bucket(bucket).key(key).contentLength(length), RequestBody.fromContentProvider(content, length, "text/plain"));
    }

    /** The first bytes of a stream. */
    private static final class Prefix extends FilterInputStream {
        private long remaining;

        Prefix(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            remaining -= b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = super.read(buffer, offset, (int) Math.min(length, remaining));
            remaining -= Math.max(read, 0);
            return read;
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
