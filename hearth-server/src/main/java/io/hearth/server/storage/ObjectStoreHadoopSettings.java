package io.hearth.server.storage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hadoop settings under which {@code s3://}, {@code s3a://} and {@code s3n://} paths name files
 * in Hearth's object store, through the file system classes of hearth-spark (which the Spark
 * runtime carries). Spark processes and the metastore both get them.
 */
public final class ObjectStoreHadoopSettings {
    public static final String FILE_SYSTEM = "io.hearth.spark.fs.LocalObjectStoreFileSystem";
    public static final String FILE_CONTEXT = "io.hearth.spark.fs.LocalObjectStoreFs";
    public static final List<String> SCHEMES = List.of("s3", "s3a", "s3n");
    /** The root directory setting the file system reads (hearth-spark's LocalObjectStoreFileSystem.ROOT). */
    public static final String ROOT = "hearth.object-store.root";

    private ObjectStoreHadoopSettings() {}

    public static Map<String, String> forRoot(Path objectStoreDirectory) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String scheme : SCHEMES) {
            settings.put("fs." + scheme + ".impl", FILE_SYSTEM);
            settings.put("fs.AbstractFileSystem." + scheme + ".impl", FILE_CONTEXT);
        }
        settings.put(ROOT, objectStoreDirectory.toAbsolutePath().normalize().toString());
        return settings;
    }
}
