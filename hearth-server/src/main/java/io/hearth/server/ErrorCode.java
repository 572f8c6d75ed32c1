package io.hearth.server;

/**
 * What kind of failure a {@link HearthException} reports. Each wire protocol maps these to its own
 * error types in one place (EMR: NOT_FOUND is InvalidRequestException; Glue: EntityNotFoundException).
 */
public enum ErrorCode {
    /** A request member has a value Hearth cannot accept. */
    INVALID_ARGUMENT,
    /** The named resource does not exist. */
    NOT_FOUND,
    /** The resource exists but its state does not allow the request (a terminated cluster, say). */
    INVALID_STATE,
    /** The resource to create exists already. */
    ALREADY_EXISTS,
    /** A configured limit would be exceeded. */
    LIMIT_EXCEEDED
}
