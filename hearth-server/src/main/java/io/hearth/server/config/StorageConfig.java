package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

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

    public static final Setting<URI> S3_ENDPOINT = Setting.of("storage.s3-endpoint", () -> null, StorageConfig::endpoint,
            endpoint -> endpoint == null ? "" : endpoint.toString());
    public static final Setting<String> S3_ACCESS_KEY = Setting.optionalText("storage.s3-access-key");
    public static final Setting<String> S3_SECRET_KEY = Setting.optionalText("storage.s3-secret-key");
    public static final Setting<String> S3_REGION = Setting.of("storage.s3-region", () -> "us-east-1", StorageConfig::region, region -> region);
    public static final Setting<Boolean> S3_PATH_STYLE_ACCESS = Setting.bool("storage.s3-path-style-access", true);
    public static final Setting<Duration> S3_LOG_UPLOAD_INTERVAL = Setting.duration("storage.s3-log-upload-interval", Duration.ofSeconds(10),
            Duration.ofMillis(100));

    static final List<Setting<?>> SETTINGS = List.of(S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_PATH_STYLE_ACCESS, S3_LOG_UPLOAD_INTERVAL);

    public StorageConfig {
        requireNonNull(s3Region, "s3Region is null");
        requireNonNull(logUploadInterval, "logUploadInterval is null");
    }

    static StorageConfig from(SettingValues values) {
        String accessKey = values.get(S3_ACCESS_KEY);
        String secretKey = values.get(S3_SECRET_KEY);
        if ((accessKey == null) != (secretKey == null)) {
            throw HearthException.invalidArgument("Settings '%s' and '%s' go together: set both or neither", S3_ACCESS_KEY.key(), S3_SECRET_KEY.key());
        }
        return new StorageConfig(values.get(S3_ENDPOINT), accessKey, secretKey, values.get(S3_REGION), values.get(S3_PATH_STYLE_ACCESS),
                values.get(S3_LOG_UPLOAD_INTERVAL));
    }

    /** True when s3:// paths go to an S3-compatible service rather than Hearth's own files. */
    public boolean usesS3Service() {
        return s3Endpoint != null;
    }

    /** An http(s) URL with a host and nothing after the port, or null when the setting is empty. */
    private static URI endpoint(String key, String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            boolean bare = uri.getRawQuery() == null && uri.getRawFragment() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                    || uri.getRawPath().equals("/"));
            if (web && uri.getHost() != null && bare) {
                return new URI(uri.getScheme().toLowerCase(Locale.ROOT), null, uri.getHost(), uri.getPort(), null, null, null);
            }
        } catch (URISyntaxException e) {
            // Worded below.
        }
        throw HearthException.invalidArgument("Setting '%s' must be an http:// or https:// URL of an S3-compatible service, such as "
                + "http://127.0.0.1:9000, not '%s'", key, text);
    }

    private static String region(String key, String text) {
        String region = text.trim();
        if (!region.matches("[a-z0-9-]{1,64}")) {
            throw HearthException.invalidArgument("Setting '%s' must be a region name such as us-east-1, not '%s'", key, region);
        }
        return region;
    }
}
