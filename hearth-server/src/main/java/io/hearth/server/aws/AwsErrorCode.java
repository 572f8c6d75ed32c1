package io.hearth.server.aws;

/**
 * The AWS error types Hearth answers with, each with the HTTP status the real services use.
 * Predictable mistakes are 4xx: clients retry 5xx silently, so a 5xx must mean a Hearth bug.
 */
public enum AwsErrorCode {
    /** A member is missing, of the wrong type, out of range or not one of its enum values. */
    VALIDATION("ValidationException", 400),
    /** The request names something that does not exist or cannot take this request (EMR, Athena). */
    INVALID_REQUEST("InvalidRequestException", 400),
    /** The body is not a JSON object. */
    SERIALIZATION("SerializationException", 400),
    /** X-Amz-Target names no operation this endpoint serves. */
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    /** The request carries no SigV4 Authorization header. */
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403),
    /** The request comes from a web page (or through a host name) Hearth does not answer. */
    ACCESS_DENIED("AccessDeniedException", 403),
    /** The Authorization header is not a well-formed SigV4 header. */
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
    /** The body is larger than the endpoint accepts. */
    REQUEST_TOO_LARGE("RequestEntityTooLargeException", 413),
    /** Glue: the named database, table or partition does not exist. */
    ENTITY_NOT_FOUND("EntityNotFoundException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
    /** Glue: the database, table or partition to create exists already. */
    ALREADY_EXISTS("AlreadyExistsException", 400),
    /** Glue: a request value the catalog cannot accept (a bad name, type, expression, ...). */
    INVALID_INPUT("InvalidInputException", 400),
    /** Glue: a batch or a page larger than the service allows. */
    RESOURCE_NUMBER_LIMIT_EXCEEDED("ResourceNumberLimitExceededException", 400),
    /** Glue: the object changed since the version the request names. */
    CONCURRENT_MODIFICATION("ConcurrentModificationException", 400),
    /** Glue: the catalog failed or is not available yet; clients retry this. */
    INTERNAL_SERVICE("InternalServiceException", 500),
    /** Athena: the catalog has no such database or table. */
    METADATA("MetadataException", 400),
    /** Athena: the service cannot take the request now (the SQL engine is starting); clients retry this. */
    TOO_MANY_REQUESTS("TooManyRequestsException", 400),
    /** Something failed inside Hearth; the message and the server log say what. */
    INTERNAL_FAILURE("InternalFailure", 500);

    private final String type;
    private final int httpStatus;

    AwsErrorCode(String type, int httpStatus) {
        this.type = type;
        this.httpStatus = httpStatus;
    }

    /** The error shape name sent as {@code __type} and {@code x-amzn-ErrorType}. */
    public String type() {
        return type;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
