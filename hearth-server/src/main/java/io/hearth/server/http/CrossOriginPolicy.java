package io.hearth.server.http;

import static java.util.Objects.requireNonNull;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.HttpConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which web pages may use Hearth from a browser. Hearth checks no signature, so a request a page
 * makes is as good as the user's own: a page may call Hearth only from an origin listed in
 * {@code http.cors-allowed-origins} (none by default), or, for S3 requests to a bucket, from one
 * the bucket's CORS configuration allows. A browser request (one with an Origin header) from any
 * other page is refused before it reaches an API, even one a browser sends without asking first
 * (a form post), and a preflight from it gets no CORS headers. While Hearth listens on a loopback
 * address it also refuses requests whose Host header names some other machine: that is how a
 * page would reach it through a DNS name rebound to 127.0.0.1.
 */
public final class CrossOriginPolicy {
    static final String ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE";
    /** Response headers the AWS SDKs for JavaScript read, which browsers hide from pages unless exposed. */
    static final String EXPOSED_HEADERS = "x-amzn-RequestId, x-amzn-ErrorType, x-amz-request-id, x-amz-id-2, x-amz-version-id, "
            + "x-amz-delete-marker, x-hearth-request-id, ETag, Content-Range, Content-Length, Last-Modified";
    private static final long PREFLIGHT_MAX_AGE_SECONDS = 600;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final boolean loopbackOnly;

    CrossOriginPolicy(List<String> allowedOrigins, boolean loopbackOnly) {
        requireNonNull(allowedOrigins, "allowedOrigins is null");
        this.anyOrigin = allowedOrigins.contains("*");
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.loopbackOnly = loopbackOnly;
    }

    public static CrossOriginPolicy of(HearthConfig config) {
        return new CrossOriginPolicy(config.http().corsAllowedOrigins(), isLoopback(config.http().bindAddress()));
    }

    private static boolean isLoopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether the Host header names this Hearth the way only a client on this machine would: an IP
     * address, {@code localhost} or a name under {@code .localhost}. Any host is accepted when
     * Hearth listens on a non-loopback address, where it is meant to be reached by name.
     */
    boolean acceptsHost(String hostHeader) {
        if (!loopbackOnly || hostHeader == null || hostHeader.isBlank()) {
            return true;
        }
        String host = hostOf(hostHeader);
        return host.equals("localhost") || host.endsWith(".localhost") || IPV4.matcher(host).matches() || host.startsWith("[");
    }

    private static String hostOf(String hostHeader) {
        String value = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.lastIndexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** A request from one of Hearth's own pages: the Origin is the address the request was sent to. */
    boolean isSameOrigin(String origin, HttpServletRequest request) {
        String host = request.getHeader("Host");
        return host != null && origin.equalsIgnoreCase("http://" + host.trim());
    }

    /** Whether {@code http.cors-allowed-origins} lets pages of this origin call every API. */
    boolean allows(String origin) {
        if (anyOrigin) {
            return true;
        }
        return HttpConfig.origin(origin).map(allowedOrigins::contains).orElse(false);
    }

    static boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Origin") != null
                && request.getHeader("Access-Control-Request-Method") != null;
    }

    /** Answers a preflight from an allowed origin: any method Hearth serves, the headers it asks for. */
    void allowPreflight(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        Optional.ofNullable(request.getHeader("Access-Control-Request-Headers"))
                .ifPresent(headers -> response.setHeader("Access-Control-Allow-Headers", headers));
        response.setHeader("Access-Control-Max-Age", Long.toString(PREFLIGHT_MAX_AGE_SECONDS));
        response.setHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        response.setContentLength(0);
    }

    /** The CORS headers of an answer to a page of an allowed origin. */
    static void allowRequest(String origin, HttpServletResponse response) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        response.addHeader("Vary", "Origin");
    }
}
