package io.hearth.spark.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * The same mapping for Hadoop's FileContext API ({@code fs.AbstractFileSystem.s3.impl}), which
 * Spark uses for streaming checkpoints and the metadata logs of streaming file sinks.
 *
 * <p>Buckets have no port. Hadoop insists that a FileContext file system which requires an
 * authority names a valid default port, so this one, like S3A's, does not require one (the file
 * system itself still refuses a path without a bucket) and says it has no default port.
 */
public class LocalObjectStoreFs extends DelegateToFileSystem {
    public LocalObjectStoreFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
        super(uri, new LocalObjectStoreFileSystem(), conf, uri.getScheme(), false);
    }

    @Override
    public int getUriDefaultPort() {
        return -1;
    }
}
