package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

/** The one exception every AWS-protocol operation throws for a failure the caller should see. */
public class AwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final AwsErrorCode code;

    public AwsException(AwsErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public AwsErrorCode code() {
        return code;
    }

    public static AwsException validation(String format, Object... args) {
        return new AwsException(AwsErrorCode.VALIDATION, args.length == 0 ? format : String.format(format, args));
    }

    public static AwsException invalidRequest(String format, Object... args) {
        return new AwsException(AwsErrorCode.INVALID_REQUEST, args.length == 0 ? format : String.format(format, args));
    }
}
