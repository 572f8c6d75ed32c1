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
 * Browser requests are let through only as {@link CrossOriginPolicy} allows.
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
    private final transient CrossOriginPolicy crossOrigin;

    public HearthServlet(AwsJsonEndpoint aws, S3RequestHandler s3, RestApi rest, CrossOriginPolicy crossOrigin) {
        this.aws = requireNonNull(aws, "aws is null");
        this.s3 = requireNonNull(s3, "s3 is null");
        this.rest = requireNonNull(rest, "rest is null");
        this.crossOrigin = requireNonNull(crossOrigin, "crossOrigin is null");
    }

    /** The API a request is for. */
    private enum Api {
        AWS_JSON, REST, STATUS, S3
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Api api = apiOf(request);
        String host = request.getHeader("Host");
        if (!crossOrigin.acceptsHost(host)) {
            refuse(api, request, response, "Cannot answer a request addressed to host '" + host + "': Hearth listens on a loopback address"
                    + " and answers only requests addressed to an IP address or localhost");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !crossOrigin.isSameOrigin(origin, request)) {
            if (crossOrigin.allows(origin)) {
                if (CrossOriginPolicy.isPreflight(request)) {
                    crossOrigin.allowPreflight(request, response);
                    return;
                }
                CrossOriginPolicy.allowRequest(origin, response);
            } else if (api == Api.S3) {
                s3.serveCrossOrigin(request, response);
                return;
            } else {
                refuse(api, request, response, "Cannot answer a request from the web page at " + origin
                        + ": browsers may call Hearth only from the origins the setting http.cors-allowed-origins lists");
                return;
            }
        }
        switch (api) {
            case AWS_JSON -> aws.serve(request, response);
            case REST -> rest.serve(request, response);
            case STATUS -> aws.status(request, response);
            case S3 -> s3.serve(request, response);
        }
    }

    private static Api apiOf(HttpServletRequest request) {
        if (isAwsJson(request)) {
            return Api.AWS_JSON;
        }
        if (RestApi.accepts(request)) {
            return Api.REST;
        }
        return isStatusRequest(request) ? Api.STATUS : Api.S3;
    }

    private void refuse(Api api, HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        switch (api) {
            case AWS_JSON, STATUS -> aws.refuse(request, response, message);
            case REST -> rest.refuse(request, response, message);
            case S3 -> s3.refuse(request, response, message);
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
