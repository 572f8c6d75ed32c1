package io.hearth.server.catalog;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Where Spark processes find the shared data catalog (the Hive Metastore Hearth supervises). */
public interface CatalogEndpoint {
    /** The metastore's thrift URI, or empty when the catalog is turned off. */
    Optional<URI> metastoreUri();

    /**
     * Waits until the metastore answers.
     *
     * @throws io.hearth.server.HearthException (INVALID_STATE) naming the metastore's log when it cannot start in time
     */
    void awaitReady(Duration timeout) throws InterruptedException;

    /** No catalog: Spark keeps its own in-memory catalog. */
    CatalogEndpoint NONE = new CatalogEndpoint() {
        @Override
        public Optional<URI> metastoreUri() {
            return Optional.empty();
        }

        @Override
        public void awaitReady(Duration timeout) {}
    };
}
