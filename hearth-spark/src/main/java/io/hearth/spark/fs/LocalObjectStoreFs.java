package io.hearth.spark.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * The same mapping for Hadoop's FileContext API ({@code fs.AbstractFileSystem.s3.impl}), which
 * Spark uses for streaming checkpoints.
 */
public class LocalObjectStoreFs extends DelegateToFileSystem {
    public LocalObjectStoreFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
        super(uri, new LocalObjectStoreFileSystem(), conf, uri.getScheme(), true);
    }
}
