package io.hearth.client;

/**
 * Hearth refused a request or could not be reached. {@code status} is the HTTP status (0 when no
 * answer came), {@code type} Hearth's error type (InvalidArgument, NotFound, InvalidState, ...).
 */
public class HearthClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String type;

    public HearthClientException(int status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
