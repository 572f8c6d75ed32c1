package io.hearth.server.storage;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.StorageConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hadoop settings that say where {@code s3://}, {@code s3a://} and {@code s3n://} paths lead.
 * By default they name files in Hearth's object store, through the file system classes of
 * hearth-spark (which the Spark runtime carries); with {@code storage.s3-endpoint} set they go to
 * that service through Hadoop's S3A client. Spark processes and the metastore both get them.
 */
public final class ObjectStoreHadoopSettings {
    public static final String FILE_SYSTEM = "io.hearth.spark.fs.LocalObjectStoreFileSystem";
    public static final String FILE_CONTEXT = "io.hearth.spark.fs.LocalObjectStoreFs";
    public static final String S3A_FILE_SYSTEM = "org.apache.hadoop.fs.s3a.S3AFileSystem";
    public static final String S3A_FILE_CONTEXT = "org.apache.hadoop.fs.s3a.S3A";
    public static final List<String> SCHEMES = List.of("s3", "s3a", "s3n");
    /** The root directory setting the file system reads (hearth-spark's LocalObjectStoreFileSystem.ROOT). */
    public static final String ROOT = "hearth.object-store.root";

    private ObjectStoreHadoopSettings() {}

    /** The settings for this Hearth: its own object store, or the S3-compatible service it is pointed at. */
    public static Map<String, String> of(HearthConfig config) {
        return config.storage().usesS3Service() ? forService(config.storage()) : forRoot(config.objectStoreDirectory());
    }

    public static Map<String, String> forRoot(Path objectStoreDirectory) {
        Map<String, String> settings = schemes(FILE_SYSTEM, FILE_CONTEXT);
        settings.put(ROOT, objectStoreDirectory.toAbsolutePath().normalize().toString());
        return settings;
    }

    /** S3A for every scheme, at the configured endpoint, with static keys (or none, for a public endpoint). */
    static Map<String, String> forService(StorageConfig storage) {
        Map<String, String> settings = schemes(S3A_FILE_SYSTEM, S3A_FILE_CONTEXT);
        settings.put("fs.s3a.endpoint", storage.s3Endpoint().toString());
        settings.put("fs.s3a.endpoint.region", storage.s3Region());
        settings.put("fs.s3a.connection.ssl.enabled", Boolean.toString("https".equals(storage.s3Endpoint().getScheme())));
        settings.put("fs.s3a.path.style.access", Boolean.toString(storage.pathStyleAccess()));
        // Folder markers stay when files are written below them: no marker deletes after every write.
        settings.put("fs.s3a.directory.marker.retention", "keep");
        if (storage.s3AccessKey() != null) {
            // Only the configured keys: no instance-metadata lookups, which would hang off the cloud.
            settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            settings.put("fs.s3a.access.key", storage.s3AccessKey());
            settings.put("fs.s3a.secret.key", storage.s3SecretKey());
        } else {
            settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        }
        return settings;
    }

    private static Map<String, String> schemes(String fileSystem, String fileContext) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String scheme : SCHEMES) {
            settings.put("fs." + scheme + ".impl", fileSystem);
            settings.put("fs.AbstractFileSystem." + scheme + ".impl", fileContext);
        }
        return settings;
    }
}
