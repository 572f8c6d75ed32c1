package io.hearth.server.catalog.glue;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.aws.AwsErrorDialect;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/** Glue's common failures, the metastore's exceptions translated to them, and a batch entry's error. */
final class GlueErrors {
    private GlueErrors() {}

    static HearthException databaseNotFound(String database) {
        return HearthException.notFound("Database %s not found.", database);
    }

    static HearthException tableNotFound(String database, String table) {
        return HearthException.notFound("Table %s not found in database %s.", table, database);
    }

    /**
     * The failure a metastore exception the operation did not foresee reports. The metastore's
     * message is kept: it usually names the problem (a bad column type, a location it cannot create).
     */
    static HearthException fromMetastore(TException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchObjectException) {
            return new HearthException(ErrorCode.NOT_FOUND, message);
        }
        if (e instanceof AlreadyExistsException) {
            return new HearthException(ErrorCode.ALREADY_EXISTS, message);
        }
        if (e instanceof InvalidObjectException || e instanceof InvalidOperationException) {
            return new HearthException(ErrorCode.INVALID_ARGUMENT, message);
        }
        if (e instanceof TTransportException) {
            return new HearthException(ErrorCode.UNAVAILABLE, "The catalog's metastore is not reachable: " + message);
        }
        return new HearthException(ErrorCode.UNAVAILABLE, "The catalog's metastore failed: " + message);
    }

    /** What a batch entry reports: the Glue error type, as a whole request would answer it, and the message. */
    static GlueShapes.ErrorDetail detail(HearthException e) {
        return new GlueShapes.ErrorDetail(AwsErrorDialect.GLUE.errorCodeFor(e.code()).type(), e.getMessage());
    }
}
