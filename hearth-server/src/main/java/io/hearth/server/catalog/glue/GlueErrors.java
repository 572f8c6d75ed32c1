package io.hearth.server.catalog.glue;

import io.hearth.server.aws.AwsErrorCode;
import io.hearth.server.aws.AwsException;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/** Glue's error types, and the metastore's exceptions translated to them. */
final class GlueErrors {
    private GlueErrors() {}

    static AwsException invalidInput(String format, Object... args) {
        return new AwsException(AwsErrorCode.INVALID_INPUT, args.length == 0 ? format : String.format(format, args));
    }

    static AwsException notFound(String format, Object... args) {
        return new AwsException(AwsErrorCode.ENTITY_NOT_FOUND, args.length == 0 ? format : String.format(format, args));
    }

    static AwsException alreadyExists(String format, Object... args) {
        return new AwsException(AwsErrorCode.ALREADY_EXISTS, args.length == 0 ? format : String.format(format, args));
    }

    static AwsException databaseNotFound(String database) {
        return notFound("Database %s not found.", database);
    }

    static AwsException tableNotFound(String database, String table) {
        return notFound("Table %s not found in database %s.", table, database);
    }

    /**
     * The Glue error for a metastore failure the operation did not foresee. The metastore's message
     * is kept: it usually names the problem (a bad column type, a location it cannot create).
     */
    static AwsException fromMetastore(TException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchObjectException) {
            return new AwsException(AwsErrorCode.ENTITY_NOT_FOUND, message);
        }
        if (e instanceof AlreadyExistsException) {
            return new AwsException(AwsErrorCode.ALREADY_EXISTS, message);
        }
        if (e instanceof InvalidObjectException || e instanceof InvalidOperationException) {
            return new AwsException(AwsErrorCode.INVALID_INPUT, message);
        }
        if (e instanceof TTransportException) {
            return new AwsException(AwsErrorCode.INTERNAL_SERVICE, "The catalog's metastore is not reachable: " + message);
        }
        return new AwsException(AwsErrorCode.INTERNAL_SERVICE, "The catalog's metastore failed: " + message);
    }

    /** What a batch entry reports: the Glue error type and its message. */
    static GlueShapes.ErrorDetail detail(AwsException e) {
        return new GlueShapes.ErrorDetail(e.code().type(), e.getMessage());
    }
}
