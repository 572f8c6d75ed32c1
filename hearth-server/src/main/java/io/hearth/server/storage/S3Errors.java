package io.hearth.server.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Exception;
import org.gaul.s3proxy.S3ExceptionAccess;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.KeyNotFoundException;
import org.jclouds.http.HttpResponseException;
import org.jclouds.rest.AuthorizationException;
import org.jclouds.util.Throwables2;

/**
 * The one place that turns a failure of S3Proxy, jclouds or Hearth's object store into S3's
 * error answer, with S3's code and message: a request S3 would refuse gets its 4xx, and only a
 * failure inside Hearth is a 500.
 */
final class S3Errors {
    private S3Errors() {}

    static S3Error of(S3Exception e) {
        S3ErrorCode code = S3ExceptionAccess.code(e);
        Map<String, String> elements = S3ExceptionAccess.elements(e);
        String message = e.getMessage();
        String suffix = " " + elements;
        if (!elements.isEmpty() && message.endsWith(suffix)) {
            message = message.substring(0, message.length() - suffix.length());
        }
        if (code == S3ErrorCode.NO_SUCH_UPLOAD && "Not Found".equals(message)) {
            return S3Error.noSuchUpload(elements.getOrDefault("UploadId", ""));
        }
        if (code == S3ErrorCode.MALFORMED_X_M_L) {
            return S3Error.malformedXml();
        }
        return new S3Error(S3ExceptionAccess.errorCode(code), S3ExceptionAccess.httpStatus(code), message, elements);
    }

    /** The S3 error for a failure, or empty for one that is Hearth's own (an internal error). */
    static Optional<S3Error> translate(Throwable failure) {
        if (failure instanceof S3Error error) {
            return Optional.of(error);
        }
        if (failure instanceof S3Exception e) {
            return Optional.of(of(e));
        }
        S3Error nested = Throwables2.getFirstThrowableOfType(failure, S3Error.class);
        if (nested != null) {
            return Optional.of(nested);
        }
        S3Exception wrapped = Throwables2.getFirstThrowableOfType(failure, S3Exception.class);
        if (wrapped != null) {
            return Optional.of(of(wrapped));
        }
        if (failure instanceof ContainerNotFoundException) {
            return Optional.of(standard(S3ErrorCode.NO_SUCH_BUCKET));
        }
        if (failure instanceof KeyNotFoundException) {
            return Optional.of(standard(S3ErrorCode.NO_SUCH_KEY));
        }
        if (failure instanceof AuthorizationException) {
            return Optional.of(standard(S3ErrorCode.ACCESS_DENIED));
        }
        if (failure instanceof HttpResponseException e) {
            return fromStatus(e.getResponse() == null ? 500 : e.getResponse().getStatusCode());
        }
        if (failure instanceof JsonProcessingException) {
            // S3Proxy reads request documents (Delete, CompleteMultipartUpload, CreateBucketConfiguration) with Jackson's XML mapper.
            return Optional.of(S3Error.malformedXml());
        }
        if (failure instanceof IllegalArgumentException e) {
            return Optional.of(S3Error.invalidArgument(e.getMessage() == null ? "Bad Request" : e.getMessage()));
        }
        if (failure instanceof IllegalStateException e && e.getMessage() != null && e.getMessage().startsWith("PreconditionFailed")) {
            return Optional.of(standard(S3ErrorCode.PRECONDITION_FAILED));
        }
        if (failure instanceof NullPointerException && isFromAclDocument(failure)) {
            // S3Proxy reads an AccessControlPolicy without checking that it names its Owner.
            return Optional.of(new S3Error("MalformedACLError", 400,
                    "The XML you provided was not well-formed or did not validate against our published schema"));
        }
        if (failure instanceof UnsupportedOperationException) {
            return Optional.of(standard(S3ErrorCode.NOT_IMPLEMENTED));
        }
        if (failure instanceof org.eclipse.jetty.io.EofException || failure instanceof IOException && isRequestBodyFailure((IOException) failure)) {
            return Optional.of(S3Error.incompleteBody(String.valueOf(failure.getMessage())));
        }
        return Optional.empty();
    }

    /** jclouds' file system store reports a failed condition or range as a bare HTTP status. */
    private static Optional<S3Error> fromStatus(int status) {
        return switch (status) {
            case 400 -> Optional.of(standard(S3ErrorCode.INVALID_REQUEST));
            case 403 -> Optional.of(standard(S3ErrorCode.ACCESS_DENIED));
            case 404 -> Optional.of(standard(S3ErrorCode.NO_SUCH_KEY));
            case 409 -> Optional.of(standard(S3ErrorCode.BUCKET_NOT_EMPTY));
            case 412 -> Optional.of(S3Error.preconditionFailed("If-Match"));
            case 416 -> Optional.of(standard(S3ErrorCode.INVALID_RANGE));
            default -> Optional.empty();
        };
    }

    private static boolean isFromAclDocument(Throwable failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().equals("org.gaul.s3proxy.S3ProxyHandler")
                    && (frame.getMethodName().equals("handleSetContainerAcl") || frame.getMethodName().equals("handleSetBlobAcl"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRequestBodyFailure(IOException e) {
        return Throwables2.getFirstThrowableOfType(e, org.eclipse.jetty.io.EofException.class) != null;
    }

    private static S3Error standard(S3ErrorCode code) {
        return new S3Error(S3ExceptionAccess.errorCode(code), S3ExceptionAccess.httpStatus(code), S3ExceptionAccess.defaultMessage(code));
    }
}
