package io.hearth.server.aws;

import io.hearth.server.ErrorCode;

/**
 * How one AWS service names Hearth's failures on the wire: the AWS JSON protocol's one mapping
 * from {@link ErrorCode} to {@link AwsErrorCode}. The protocol layer's failures are answered
 * alike by every service; the domain's differ, as EMR and Glue name the same failure differently.
 */
public enum AwsErrorDialect {
    /** EMR: a missing resource is InvalidRequestException, any other domain failure ValidationException. */
    EMR,
    /** Glue: each domain failure has its own type (EntityNotFoundException, InvalidInputException, ...). */
    GLUE,
    /**
     * Athena: a mistake of the caller is InvalidRequestException, a database or table the catalog lacks MetadataException,
     * another missing resource (a prepared statement, a tagged resource) ResourceNotFoundException;
     * what may pass on a retry is TooManyRequestsException.
     */
    ATHENA;

    /** The error type this service answers a failure of the given kind with. */
    public AwsErrorCode errorCodeFor(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> byService(AwsErrorCode.VALIDATION, AwsErrorCode.INVALID_INPUT, AwsErrorCode.INVALID_REQUEST);
            case NOT_FOUND -> byService(AwsErrorCode.INVALID_REQUEST, AwsErrorCode.ENTITY_NOT_FOUND, AwsErrorCode.RESOURCE_NOT_FOUND);
            case METADATA_NOT_FOUND -> byService(AwsErrorCode.INVALID_REQUEST, AwsErrorCode.ENTITY_NOT_FOUND, AwsErrorCode.METADATA);
            case ALREADY_EXISTS -> byService(AwsErrorCode.VALIDATION, AwsErrorCode.ALREADY_EXISTS, AwsErrorCode.INVALID_REQUEST);
            case LIMIT_EXCEEDED -> byService(AwsErrorCode.VALIDATION, AwsErrorCode.RESOURCE_NUMBER_LIMIT_EXCEEDED, AwsErrorCode.INVALID_REQUEST);
            case CONCURRENT_MODIFICATION -> byService(AwsErrorCode.VALIDATION, AwsErrorCode.CONCURRENT_MODIFICATION, AwsErrorCode.INVALID_REQUEST);
            // Glue clients retry InternalServiceException, which suits a metastore that is still starting.
            case INVALID_STATE -> byService(AwsErrorCode.VALIDATION, AwsErrorCode.INTERNAL_SERVICE, AwsErrorCode.INVALID_REQUEST);
            case UNAVAILABLE -> byService(AwsErrorCode.VALIDATION, AwsErrorCode.INTERNAL_SERVICE, AwsErrorCode.TOO_MANY_REQUESTS);
            case CONSTRAINT_VIOLATION -> AwsErrorCode.VALIDATION;
            case MALFORMED_REQUEST -> AwsErrorCode.SERIALIZATION;
            case UNKNOWN_OPERATION -> AwsErrorCode.UNKNOWN_OPERATION;
            case NOT_AUTHENTICATED -> AwsErrorCode.MISSING_AUTHENTICATION_TOKEN;
            case MALFORMED_SIGNATURE -> AwsErrorCode.INCOMPLETE_SIGNATURE;
            case ACCESS_DENIED -> AwsErrorCode.ACCESS_DENIED;
            case REQUEST_TOO_LARGE -> AwsErrorCode.REQUEST_TOO_LARGE;
        };
    }

    private AwsErrorCode byService(AwsErrorCode emr, AwsErrorCode glue, AwsErrorCode athena) {
        return switch (this) {
            case EMR -> emr;
            case GLUE -> glue;
            case ATHENA -> athena;
        };
    }
}
