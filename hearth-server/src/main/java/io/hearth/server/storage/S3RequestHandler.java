package io.hearth.server.storage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Exception;
import org.gaul.s3proxy.S3ProxyConstants;
import org.gaul.s3proxy.S3ProxyHandler;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.domain.BlobMetadata;
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

    /** Allows no origin: S3Proxy's own CORS answers stay out of the way of Hearth's. */
    private static final CrossOriginResourceSharing NO_CROSS_ORIGIN_ACCESS = new CrossOriginResourceSharing(List.of(), List.of(), List.of(), List.of(), "");

    /** Bodies up to this size are read before S3Proxy handles the request (see {@link #smallBodiesRead}). */
    private static final int SMALL_BODY_BYTES = 64 * 1024;

    private final ObjectTags tags;
    private final ObjectFiles files;
    private final BlobStore blobStore;
    private final BucketCors cors;

    public S3RequestHandler(ObjectStore store) {
        // CORS is answered by Hearth (bucket configurations, http.cors-allowed-origins), never by S3Proxy's allow-all default.
        super(store.blobStore(), AuthenticationType.NONE, null, null, PATH_STYLE_ONLY, MAX_SINGLE_PART_OBJECT_SIZE,
                V4_MAX_NON_CHUNKED_REQUEST_SIZE, true, NO_CROSS_ORIGIN_ACCESS, "", MAXIMUM_TIME_SKEW_SECONDS);
        this.files = store.files();
        this.blobStore = store.blobStore();
        this.tags = new ObjectTags(store.root(), files);
        this.cors = store.cors();
    }

    /** Answers one S3 request, turning every failure into an S3 error document. */
    public void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // A small body is read first, whatever the answer: one left unread can make the server close a
        // keep-alive connection the client is already sending its next request on.
        try (InputStream body = smallBodiesRead(request)) {
            Optional<String> badBucketName = newBucketName(request).flatMap(BucketNames::problemWith);
            if (badBucketName.isPresent()) {
                S3ErrorDocument.send(request, response, new S3Error("InvalidBucketName", 400, badBucketName.get()));
                return;
            }
            Optional<String> corsBucket = corsSubresourceBucket(request);
            if (corsBucket.isPresent()) {
                serveBucketCors(request, response, corsBucket.get(), body);
                return;
            }
            HttpServletRequest checked = checkedRequest(request, response);
            if (checked == null) {
                return;
            }
            tagFilesToRead(checked);
            // S3Proxy decodes query parameters (list prefixes, markers) with the request's encoding.
            checked.setAttribute(S3ProxyConstants.ATTRIBUTE_QUERY_ENCODING, StandardCharsets.UTF_8.name());
            doHandle(checked, checked, response, body, new RequestContext());
        } catch (S3Exception | IOException | RuntimeException e) {
            Optional<S3Error> error = S3Errors.translate(e);
            if (error.isEmpty()) {
                LOG.error("S3 request {} {} failed inside Hearth", request.getMethod(), request.getRequestURI(), e);
                S3ErrorDocument.send(request, response, new S3Error("InternalError", 500, "We encountered an internal error. Please try again. (" + e + ")"));
                return;
            }
            LOG.debug("S3 request {} {} refused: {} {}", request.getMethod(), request.getRequestURI(), error.get().code(), error.get().getMessage());
            S3ErrorDocument.send(request, response, error.get());
        }
    }

    /**
     * Answers a request from a web page whose origin {@code http.cors-allowed-origins} does not list:
     * the bucket's CORS configuration decides, as on S3. A preflight it allows gets the rule's CORS
     * headers; a request it allows is served with them. Anything else is refused (S3 would serve it
     * without CORS headers, but it checks signatures, and Hearth does not).
     */
    public void serveCrossOrigin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader("Origin");
        boolean preflight = "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null;
        String method = preflight ? request.getHeader("Access-Control-Request-Method") : request.getMethod();
        List<String> requestedHeaders = new ArrayList<>();
        if (preflight && request.getHeader("Access-Control-Request-Headers") != null) {
            for (String header : request.getHeader("Access-Control-Request-Headers").split(",")) {
                if (!header.isBlank()) {
                    requestedHeaders.add(header.trim());
                }
            }
        }
        String[] path = request.getRequestURI().split("/", 3);
        String bucket;
        try {
            bucket = path.length > 1 ? URLDecoder.decode(path[1], StandardCharsets.UTF_8) : "";
        } catch (IllegalArgumentException e) {
            bucket = "";
        }
        Optional<BucketCors.Rule> rule = Optional.empty();
        if (!bucket.isEmpty() && !bucket.startsWith(".") && !bucket.contains("/") && blobStore.containerExists(bucket)) {
            rule = cors.find(bucket, origin, method, requestedHeaders);
        }
        if (rule.isEmpty()) {
            if (preflight) {
                S3ErrorDocument.send(request, response, S3Error.accessDenied("CORSResponse: This CORS request is not allowed. This is usually because the"
                        + " evaluation of Origins, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not"
                        + " whitelisted by the resource's CORS spec."));
            } else {
                refuse(request, response, "Cannot answer a request from the web page at " + origin + ": neither the setting"
                        + " http.cors-allowed-origins nor the CORS configuration of the bucket allows " + method + " from that origin");
            }
            return;
        }
        BucketCors.Rule allowed = rule.get();
        response.setHeader("Access-Control-Allow-Origin", allowed.allowOrigin(origin));
        response.setHeader("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
        if (!allowed.allowedOrigins().contains("*")) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
        if (!allowed.exposeHeaders().isEmpty()) {
            response.setHeader("Access-Control-Expose-Headers", String.join(", ", allowed.exposeHeaders()));
        }
        if (preflight) {
            response.setHeader("Access-Control-Allow-Methods", String.join(", ", allowed.allowedMethods()));
            if (!requestedHeaders.isEmpty()) {
                response.setHeader("Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
            }
            if (allowed.maxAgeSeconds() != null) {
                response.setHeader("Access-Control-Max-Age", allowed.maxAgeSeconds().toString());
            }
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentLength(0);
            return;
        }
        serve(request, response);
    }

    /** Refuses a request with S3's AccessDenied (403). */
    public void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        try (InputStream body = smallBodiesRead(request)) {
            S3ErrorDocument.send(request, response, S3Error.accessDenied(message));
        }
    }

    /** The bucket of a PutBucketCors, GetBucketCors or DeleteBucketCors request. */
    private static Optional<String> corsSubresourceBucket(HttpServletRequest request) {
        if (!query(request).containsKey("cors")) {
            return Optional.empty();
        }
        String path = request.getRequestURI();
        String name = path.endsWith("/") ? path.substring(1, Math.max(1, path.length() - 1)) : path.substring(1);
        return name.isEmpty() || name.contains("/") ? Optional.empty() : Optional.of(URLDecoder.decode(name, StandardCharsets.UTF_8));
    }

    private void serveBucketCors(HttpServletRequest request, HttpServletResponse response, String bucket, InputStream body) throws IOException {
        if (bucket.startsWith(".") || !blobStore.containerExists(bucket)) {
            throw new ContainerNotFoundException(bucket, "");
        }
        switch (request.getMethod()) {
            case "PUT" -> {
                byte[] document = body.readNBytes(BucketCors.MAX_DOCUMENT_BYTES + 1);
                if (document.length > BucketCors.MAX_DOCUMENT_BYTES) {
                    throw new S3Error("MaxMessageLengthExceeded", 400, "Your request was too big.");
                }
                cors.put(bucket, document);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentLength(0);
            }
            case "GET" -> {
                String document = cors.get(bucket).orElseThrow(() -> new S3Error("NoSuchCORSConfiguration", 404,
                        "The CORS configuration does not exist", Map.of("BucketName", bucket)));
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType("application/xml");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(document);
            }
            case "DELETE" -> {
                cors.delete(bucket);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            default -> throw new S3Error("MethodNotAllowed", 405, "The specified method is not allowed against this resource.",
                    Map.of("Method", request.getMethod(), "ResourceType", "CORSCONFIGURATION"));
        }
    }

    /**
     * What Hearth settles before S3Proxy sees a request: an upload id that names no upload, the
     * conditions of a read (answered here, with S3's semantics), and a Range header that is no range.
     * Returns the request S3Proxy gets, or null when the answer is already sent.
     */
    private HttpServletRequest checkedRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        String[] path = request.getRequestURI().split("/", 3);
        String bucket = path.length > 1 ? URLDecoder.decode(path[1], StandardCharsets.UTF_8) : "";
        String key = path.length > 2 ? URLDecoder.decode(path[2], StandardCharsets.UTF_8) : "";
        if (bucket.isEmpty() || key.isEmpty()) {
            return request;
        }
        // The query is read from the URI: getParameter would consume a body sent as a form.
        Map<String, String> query = query(request);
        String uploadId = query.get("uploadId");
        if (uploadId != null) {
            if (!blobStore.containerExists(bucket)) {
                throw new ContainerNotFoundException(bucket, "");
            }
            if (!files.uploadExists(bucket, key, uploadId)) {
                throw S3Error.noSuchUpload(uploadId);
            }
            return request;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method) || !isPlainRead(query)) {
            return request;
        }
        Set<String> hidden = new HashSet<>();
        String range = request.getHeader("Range");
        if (range != null && "GET".equals(method)) {
            switch (RangeHeader.classify(range)) {
                case IGNORE -> hidden.add("range");
                case UNSATISFIABLE -> throw new S3Error("InvalidRange", 416, "The requested range is not satisfiable",
                        Map.of("RangeRequested", range));
                case SERVE -> { }
            }
        }
        String ifMatch = request.getHeader("If-Match");
        String ifNoneMatch = request.getHeader("If-None-Match");
        String ifModifiedSince = request.getHeader("If-Modified-Since");
        String ifUnmodifiedSince = request.getHeader("If-Unmodified-Since");
        if (ifMatch != null || ifNoneMatch != null || ifModifiedSince != null || ifUnmodifiedSince != null) {
            hidden.addAll(Set.of("if-match", "if-none-match", "if-modified-since", "if-unmodified-since"));
            BlobMetadata metadata = blobStore.blobMetadata(bucket, key);
            if (metadata != null) {
                Instant modified = metadata.getLastModified() == null ? null : metadata.getLastModified().toInstant();
                switch (ObjectConditions.evaluate(metadata.getETag(), modified, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince)) {
                    case NOT_MODIFIED -> {
                        response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                        response.setHeader("ETag", "\"" + ObjectConditions.unquoted(metadata.getETag()) + "\"");
                        if (metadata.getLastModified() != null) {
                            response.setDateHeader("Last-Modified", metadata.getLastModified().getTime());
                        }
                        return null;
                    }
                    case FAILED_IF_MATCH -> throw S3Error.preconditionFailed("If-Match");
                    case FAILED_IF_UNMODIFIED_SINCE -> throw S3Error.preconditionFailed("If-Unmodified-Since");
                    case PROCEED -> { }
                }
            }
        }
        return hidden.isEmpty() ? request : new HiddenHeaders(request, hidden);
    }

    /** A GetObject or HeadObject whose query only overrides response headers or names a part. */
    private static boolean isPlainRead(Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!name.startsWith("response-") && !name.equals("partNumber") && !name.equals("versionId") && !name.startsWith("X-Amz-")) {
                return false;
            }
        }
        return true;
    }

    /** The query parameters of the request's URI (the first value of each), decoded. */
    private static Map<String, String> query(HttpServletRequest request) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        String query = request.getQueryString();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    /** A request without some of its headers: those Hearth has answered for S3Proxy. */
    private static final class HiddenHeaders extends HttpServletRequestWrapper {
        private final Set<String> hidden;

        HiddenHeaders(HttpServletRequest request, Set<String> hidden) {
            super(request);
            this.hidden = hidden;
        }

        private boolean isHidden(String name) {
            return name != null && hidden.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            return isHidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isHidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (String name : Collections.list(super.getHeaderNames())) {
                if (!isHidden(name)) {
                    names.add(name);
                }
            }
            return Collections.enumeration(names);
        }

        @Override
        public long getDateHeader(String name) {
            return isHidden(name) ? -1 : super.getDateHeader(name);
        }

        @Override
        public int getIntHeader(String name) {
            return isHidden(name) ? -1 : super.getIntHeader(name);
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
            Map<String, String> query = query(request);
            tags.tagListing(bucket, query.get("prefix"), query.get("delimiter"));
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
}
