package io.hearth.server.storage;

import io.hearth.server.Feature;
import io.hearth.server.ServerContext;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.Setting;
import io.hearth.server.http.Routes;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage: Hearth's own S3 API over the object store under the data directory, and where
 * {@code s3://} paths of steps, logs and the catalog live (that store, or an S3-compatible service).
 *
 * @param locations where {@code s3://} and local paths named in requests are read and written
 */
public record StorageFeature(LocationResolver locations) implements Feature {
    private static final Logger LOG = LoggerFactory.getLogger(StorageFeature.class);

    public static StorageFeature open(ServerContext context, Routes routes) {
        HearthConfig config = context.config();
        LocationResolver locations;
        if (config.storage().usesS3Service()) {
            // Registered before the clusters, so closed after them: the last lines of their logs go up too.
            S3ServiceCopies serviceCopies = context.closer().register("the S3 service copies",
                    S3ServiceCopies.start(config.s3ServiceCopiesDirectory(), config.storage()));
            locations = new LocationResolver(serviceCopies, Path.of("").toAbsolutePath());
            LOG.info("s3:// paths are objects of the S3-compatible service at {}: Spark and the catalog reach them through S3A; "
                    + "Hearth downloads step jars, scripts and bootstrap actions from it and uploads logs under an s3:// LogUri "
                    + "every {} (local copies in {}). Hearth's own S3 API keeps serving {}", config.storage().s3Endpoint(),
                    Setting.formatDuration(config.storage().logUploadInterval()), config.s3ServiceCopiesDirectory(), config.objectStoreDirectory());
        } else {
            locations = new LocationResolver(config.objectStoreDirectory(), Path.of("").toAbsolutePath());
        }
        ObjectStore objectStore = context.closer().register("the object store",
                ObjectStore.open(config.objectStoreDirectory(), config.objectStoreStateDirectory()));
        routes.setS3(new S3RequestHandler(objectStore));
        return new StorageFeature(locations);
    }
}
