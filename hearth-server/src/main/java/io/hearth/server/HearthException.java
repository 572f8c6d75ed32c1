package io.hearth.server;

import static java.util.Objects.requireNonNull;

/** The one exception domain code throws for a failure its caller should see. */
public class HearthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public HearthException(ErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    public static HearthException invalidArgument(String format, Object... args) {
        return new HearthException(ErrorCode.INVALID_ARGUMENT, format(format, args));
    }

    public static HearthException notFound(String format, Object... args) {
        return new HearthException(ErrorCode.NOT_FOUND, format(format, args));
    }

    public static HearthException invalidState(String format, Object... args) {
        return new HearthException(ErrorCode.INVALID_STATE, format(format, args));
    }

    public static HearthException alreadyExists(String format, Object... args) {
        return new HearthException(ErrorCode.ALREADY_EXISTS, format(format, args));
    }

    public static HearthException limitExceeded(String format, Object... args) {
        return new HearthException(ErrorCode.LIMIT_EXCEEDED, format(format, args));
    }

    private static String format(String format, Object... args) {
        return args.length == 0 ? format : String.format(format, args);
    }
}
