package io.hearth.server.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An S3 error answer: S3's code, HTTP status and message, with any extra elements S3 adds to the
 * error document. Hearth's object store throws it for mistakes S3 reports with codes S3Proxy does
 * not know; {@link S3Errors} turns every other failure into one.
 */
final class S3Error extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;
    private final transient Map<String, String> elements;

    S3Error(String code, int status, String message, Map<String, String> elements) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.code = requireNonNull(code, "code is null");
        this.status = status;
        this.elements = Map.copyOf(elements);
    }

    S3Error(String code, int status, String message) {
        this(code, status, message, Map.of());
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    Map<String, String> elements() {
        return elements;
    }

    static S3Error keyTooLong(String key) {
        return new S3Error("KeyTooLongError", 400, "Your key is too long",
                Map.of("Size", Integer.toString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                        "MaxSizeAllowed", Integer.toString(ObjectKeys.MAX_KEY_BYTES)));
    }

    static S3Error noSuchUpload(String uploadId) {
        return new S3Error("NoSuchUpload", 404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have"
                + " been aborted or completed.", Map.of("UploadId", uploadId));
    }

    static S3Error badDigest() {
        return new S3Error("BadDigest", 400, "The Content-MD5 you specified did not match what we received.");
    }

    static S3Error incompleteBody(String detail) {
        return new S3Error("IncompleteBody", 400, "The request body ended before its declared length or is not in the declared encoding: " + detail);
    }

    static S3Error malformedXml() {
        return new S3Error("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema");
    }

    static S3Error preconditionFailed(String condition) {
        return new S3Error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold", Map.of("Condition", condition));
    }

    static S3Error invalidArgument(String message) {
        return new S3Error("InvalidArgument", 400, message);
    }

    static S3Error accessDenied(String message) {
        return new S3Error("AccessDenied", 403, message);
    }
}
