package io.hearth.server.catalog.glue;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.catalog.metastore.MetastoreClient;
import io.hearth.server.catalog.metastore.MetastoreServer;
import java.time.Duration;
import org.apache.thrift.TException;

/**
 * The Glue operations' way to the metastore: waits (a bounded while) for it to be up, so a call
 * made right after {@code hearth up} is answered rather than refused, and turns the metastore's
 * failures into HearthExceptions.
 */
final class MetastoreAccess {
    private static final Duration READY_WAIT = Duration.ofSeconds(90);

    private final MetastoreServer server;

    MetastoreAccess(MetastoreServer server) {
        this.server = server;
    }

    /** Runs a call; every metastore exception becomes the matching HearthException. */
    <T> T call(MetastoreClient.Call<T> call) {
        try {
            return callRaw(call);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
    }

    /** Runs a call, leaving the metastore's exceptions to the caller (to word them for the request at hand). */
    <T> T callRaw(MetastoreClient.Call<T> call) throws TException {
        awaitReady();
        return server.client().call(call);
    }

    private void awaitReady() {
        try {
            server.awaitReady(READY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearthException(ErrorCode.UNAVAILABLE, "Interrupted while waiting for the catalog's metastore");
        } catch (HearthException e) {
            // Whatever keeps the metastore from starting, to a Glue caller it is not available (yet).
            throw new HearthException(ErrorCode.UNAVAILABLE, e.getMessage());
        }
    }
}
