package org.gaul.s3proxy;

import java.util.Map;

/**
 * Reads the error code, message and extra elements of an {@link S3Exception}, which S3Proxy keeps
 * package-private, so that Hearth's S3 handler can answer it as S3Proxy's own server does. This
 * is the only class Hearth places in S3Proxy's package.
 */
public final class S3ExceptionAccess {
    private S3ExceptionAccess() {}

    public static S3ErrorCode code(S3Exception exception) {
        return exception.getError();
    }

    public static Map<String, String> elements(S3Exception exception) {
        return exception.getElements();
    }

    public static String defaultMessage(S3ErrorCode code) {
        return code.getMessage();
    }

    /** The code S3 names the error with, such as {@code NoSuchKey}. */
    public static String errorCode(S3ErrorCode code) {
        return code.getErrorCode();
    }

    public static int httpStatus(S3ErrorCode code) {
        return code.getHttpStatusCode();
    }
}
