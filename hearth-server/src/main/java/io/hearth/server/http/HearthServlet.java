package io.hearth.server.http;

import static java.util.Objects.requireNonNull;

import io.hearth.server.api.RestApi;
import io.hearth.server.aws.AwsJsonEndpoint;
import io.hearth.server.storage.S3RequestHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.jetty.http.UriCompliance;

/**
 * Hearth's one HTTP endpoint. AWS JSON requests (a POST naming its operation in
 * {@code X-Amz-Target}: EMR, Glue) go to their services; every other request is S3 REST, as an
 * S3 client sends it, except paths under {@code /api/}, Hearth's REST API (no bucket may be called
 * {@code api}); an unsigned {@code GET /} (a browser, a health check) gets a status document.
 */
public final class HearthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /**
     * Jetty refuses URIs it deems ambiguous for servlets that map paths to files. S3 keys may hold
     * empty segments ({@code a//b}), encoded slashes and percent signs, and this servlet reads the
     * raw URI itself (no file is served by path), so those are let through. Encoded dot segments
     * ({@code %2e%2e}) stay refused.
     */
    public static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("HEARTH",
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);

    private final transient AwsJsonEndpoint aws;
    private final transient S3RequestHandler s3;
    private final transient RestApi rest;

    public HearthServlet(AwsJsonEndpoint aws, S3RequestHandler s3, RestApi rest) {
        this.aws = requireNonNull(aws, "aws is null");
        this.s3 = requireNonNull(s3, "s3 is null");
        this.rest = requireNonNull(rest, "rest is null");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isAwsJson(request)) {
            aws.serve(request, response);
        } else if (RestApi.accepts(request)) {
            rest.serve(request, response);
        } else if (isStatusRequest(request)) {
            aws.status(request, response);
        } else {
            s3.serve(request, response);
        }
    }

    private static boolean isAwsJson(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return false;
        }
        String contentType = request.getContentType();
        return request.getHeader("X-Amz-Target") != null
                || contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-amz-json");
    }

    private static boolean isStatusRequest(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && "/".equals(request.getRequestURI()) && request.getQueryString() == null
                && request.getHeader("Authorization") == null;
    }
}
