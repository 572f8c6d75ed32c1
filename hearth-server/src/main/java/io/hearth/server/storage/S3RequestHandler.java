package io.hearth.server.storage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Exception;
import org.gaul.s3proxy.S3ExceptionAccess;
import org.gaul.s3proxy.S3ProxyConstants;
import org.gaul.s3proxy.S3ProxyHandler;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.KeyNotFoundException;
import org.jclouds.http.HttpResponseException;
import org.jclouds.rest.AuthorizationException;
import org.jclouds.util.Throwables2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 REST API, answered by S3Proxy's request handler inside Hearth's own HTTP server (one
 * port for every API). Requests are accepted with any credentials, as the AWS JSON APIs are;
 * the checksum headers current AWS clients send by default (x-amz-checksum-*, aws-chunked
 * trailers) are accepted rather than refused as unknown. Errors take S3's XML shape.
 */
public final class S3RequestHandler extends S3ProxyHandler {
    private static final Logger LOG = LoggerFactory.getLogger(S3RequestHandler.class);
    private static final long MAX_SINGLE_PART_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;
    private static final long V4_MAX_NON_CHUNKED_REQUEST_SIZE = 128L * 1024 * 1024;
    private static final int MAXIMUM_TIME_SKEW_SECONDS = 15 * 60;
    /** Buckets are named in the path (as clients do for an endpoint URL), never in the Host header. */
    private static final String PATH_STYLE_ONLY = null;

    /** Bodies up to this size are read before S3Proxy handles the request (see {@link #smallBodiesRead}). */
    private static final int SMALL_BODY_BYTES = 64 * 1024;

    private final ObjectTags tags;

    public S3RequestHandler(ObjectStore store) {
        super(store.blobStore(), AuthenticationType.NONE, null, null, PATH_STYLE_ONLY, MAX_SINGLE_PART_OBJECT_SIZE,
                V4_MAX_NON_CHUNKED_REQUEST_SIZE, true, new CrossOriginResourceSharing(), "", MAXIMUM_TIME_SKEW_SECONDS);
        this.tags = new ObjectTags(store.root());
    }

    /** Answers one S3 request, turning every failure into an S3 error document. */
    public void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> badBucketName = newBucketName(request).flatMap(BucketNames::problemWith);
        if (badBucketName.isPresent()) {
            sendError(request, response, S3ErrorCode.INVALID_BUCKET_NAME, badBucketName.get(), Map.of());
            return;
        }
        tagFilesToRead(request);
        // S3Proxy decodes query parameters (list prefixes, markers) with the request's encoding.
        request.setAttribute(S3ProxyConstants.ATTRIBUTE_QUERY_ENCODING, StandardCharsets.UTF_8.name());
        try (InputStream body = smallBodiesRead(request)) {
            doHandle(request, request, response, body, new RequestContext());
        } catch (ContainerNotFoundException e) {
            sendError(request, response, S3ErrorCode.NO_SUCH_BUCKET, null, Map.of());
        } catch (KeyNotFoundException e) {
            sendError(request, response, S3ErrorCode.NO_SUCH_KEY, null, Map.of());
        } catch (S3Exception e) {
            sendError(request, response, S3ExceptionAccess.code(e), e.getMessage(), S3ExceptionAccess.elements(e));
        } catch (AuthorizationException e) {
            sendError(request, response, S3ErrorCode.ACCESS_DENIED, e.getMessage(), Map.of());
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatusCode();
            sendError(request, response, errorFor(status), e.getMessage(), Map.of());
        } catch (IllegalArgumentException e) {
            sendError(request, response, S3ErrorCode.INVALID_ARGUMENT, e.getMessage(), Map.of());
        } catch (IllegalStateException e) {
            boolean precondition = e.getMessage() != null && e.getMessage().startsWith("PreconditionFailed");
            if (!precondition) {
                LOG.warn("S3 request {} {} failed", request.getMethod(), request.getRequestURI(), e);
            }
            sendError(request, response, precondition ? S3ErrorCode.PRECONDITION_FAILED : S3ErrorCode.INTERNAL_ERROR,
                    e.getMessage(), Map.of());
        } catch (UnsupportedOperationException e) {
            sendError(request, response, S3ErrorCode.NOT_IMPLEMENTED, e.getMessage(), Map.of());
        } catch (IOException e) {
            S3Exception cause = Throwables2.getFirstThrowableOfType(e, S3Exception.class);
            if (cause == null) {
                throw e;
            }
            sendError(request, response, S3ExceptionAccess.code(cause), cause.getMessage(), S3ExceptionAccess.elements(cause));
        } catch (RuntimeException e) {
            LOG.error("S3 request {} {} failed inside Hearth", request.getMethod(), request.getRequestURI(), e);
            sendError(request, response, S3ErrorCode.INTERNAL_ERROR, e.toString(), Map.of());
        }
    }

    /**
     * The request body, read in full first when it is small. S3Proxy answers some requests without
     * reading their body: an empty object sent with SigV4 streaming signatures still carries a
     * signed final chunk. Jetty closes a connection whose request body was left unread, and a client
     * that has already sent its next request on it fails ("Unexpected end of file from server").
     */
    private static InputStream smallBodiesRead(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length < 0 || length > SMALL_BODY_BYTES) {
            return request.getInputStream();
        }
        return new ByteArrayInputStream(request.getInputStream().readAllBytes());
    }

    /** Files written into a bucket's folder by other programs get an ETag before a read or a listing shows them. */
    private void tagFilesToRead(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return;
        }
        String path = request.getRequestURI();
        if (path.length() < 2) {
            return;
        }
        String rest = URLDecoder.decode(path.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            tags.tagListing(bucket, request.getParameter("prefix"), request.getParameter("delimiter"));
        } else {
            tags.tagObject(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    /** The bucket a CreateBucket request ({@code PUT /name}, no sub-resource) would create. */
    private static Optional<String> newBucketName(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (!"PUT".equals(request.getMethod()) || request.getQueryString() != null || path.length() < 2) {
            return Optional.empty();
        }
        String name = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        return name.contains("/") ? Optional.empty() : Optional.of(name);
    }

    private void sendError(HttpServletRequest request, HttpServletResponse response, S3ErrorCode code, String message,
            Map<String, String> elements) throws IOException {
        if (response.isCommitted()) {
            LOG.debug("Cannot report {} for {}: the response was already sent", code, request.getRequestURI());
            return;
        }
        sendSimpleErrorResponse(request, response, code, message == null ? S3ExceptionAccess.defaultMessage(code) : message, elements);
    }

    private static S3ErrorCode errorFor(int status) {
        return switch (status) {
            case 400 -> S3ErrorCode.INVALID_REQUEST;
            case 403 -> S3ErrorCode.ACCESS_DENIED;
            case 404 -> S3ErrorCode.NO_SUCH_KEY;
            case 409 -> S3ErrorCode.BUCKET_NOT_EMPTY;
            case 412 -> S3ErrorCode.PRECONDITION_FAILED;
            case 416 -> S3ErrorCode.INVALID_RANGE;
            default -> S3ErrorCode.INTERNAL_ERROR;
        };
    }
}
