package io.hearth.server;

/**
 * What kind of failure a {@link HearthException} reports, named for what went wrong rather than
 * for any wire type. Each protocol maps these to its own error types in one place: AWS JSON in
 * {@code aws.AwsErrorDialect}, the REST API in {@code api.RestApi.ApiError}.
 */
public enum ErrorCode {
    // What a domain operation refuses.

    /** A request member has a value Hearth cannot accept. */
    INVALID_ARGUMENT,
    /** The named resource does not exist. */
    NOT_FOUND,
    /** A database, table or data catalog the catalog lacks, for a service that names that apart from other missing resources (Athena). */
    METADATA_NOT_FOUND,
    /** The resource exists but its state does not allow the request (a terminated cluster, say). */
    INVALID_STATE,
    /** The resource to create exists already. */
    ALREADY_EXISTS,
    /** A configured limit would be exceeded. */
    LIMIT_EXCEEDED,
    /** The resource changed since the version the request names. */
    CONCURRENT_MODIFICATION,
    /** A part Hearth depends on (the catalog's metastore) failed or is not reachable; a retry may succeed. */
    UNAVAILABLE,

    // What the protocol layer refuses before any operation runs.

    /** A request member breaks the service model: missing, of the wrong type, out of range, not one of its enum values. */
    CONSTRAINT_VIOLATION,
    /** The request body cannot be read: it is not JSON, or not a JSON object. */
    MALFORMED_REQUEST,
    /** The request names no operation the endpoint serves. */
    UNKNOWN_OPERATION,
    /** The request carries no credentials (no SigV4 Authorization header). */
    NOT_AUTHENTICATED,
    /** The request's Authorization header is not a well-formed SigV4 signature. */
    MALFORMED_SIGNATURE,
    /** The request comes from a web page, or through a host name, that Hearth does not answer. */
    ACCESS_DENIED,
    /** The request body is larger than the endpoint accepts. */
    REQUEST_TOO_LARGE
}
