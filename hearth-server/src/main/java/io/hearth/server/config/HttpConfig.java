package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings of Hearth's HTTP port, which serves the AWS APIs and the REST API.
 *
 * @param bindAddress the address the port listens on (loopback by default)
 * @param port the port; 0 picks a free one
 * @param maxRequestBytes the largest request body accepted
 * @param corsAllowedOrigins web origins a browser page may call Hearth from ({@code *} for any), in the form browsers send
 */
public record HttpConfig(String bindAddress, int port, int maxRequestBytes, List<String> corsAllowedOrigins) {
    public static final int DEFAULT_PORT = 8780;

    public static final Setting<String> BIND_ADDRESS = Setting.text("http.bind-address", "127.0.0.1");
    public static final Setting<Integer> PORT = Setting.integer("http.port", DEFAULT_PORT, 0, 65535);
    public static final Setting<Integer> MAX_REQUEST_BYTES = Setting.integer("http.max-request-bytes", 16 * 1024 * 1024, 1024, Integer.MAX_VALUE);
    public static final Setting<List<String>> CORS_ALLOWED_ORIGINS = Setting.of("http.cors-allowed-origins", List::of, HttpConfig::origins,
            origins -> String.join(",", origins));

    static final List<Setting<?>> SETTINGS = List.of(BIND_ADDRESS, PORT, MAX_REQUEST_BYTES, CORS_ALLOWED_ORIGINS);

    public HttpConfig {
        requireNonNull(bindAddress, "bindAddress is null");
        corsAllowedOrigins = List.copyOf(requireNonNull(corsAllowedOrigins, "corsAllowedOrigins is null"));
    }

    static HttpConfig from(SettingValues values) {
        return new HttpConfig(values.get(BIND_ADDRESS), values.get(PORT), values.get(MAX_REQUEST_BYTES), values.get(CORS_ALLOWED_ORIGINS));
    }

    /** A comma-separated list of {@code scheme://host[:port]}, default ports dropped, or {@code *}; empty for none. */
    private static List<String> origins(String key, String text) {
        if (text.isBlank()) {
            return List.of();
        }
        List<String> origins = new ArrayList<>();
        for (String entry : text.split(",")) {
            String origin = entry.trim();
            if (origin.equals("*")) {
                origins.add(origin);
                continue;
            }
            origins.add(origin(origin).orElseThrow(() -> HearthException.invalidArgument(
                    "Setting '%s' must list origins such as http://localhost:3000 (scheme, host and port only) or *, not '%s'", key, origin)));
        }
        return List.copyOf(origins);
    }

    /** An origin in the form browsers send it: lower-case scheme and host, the port only when it is not the scheme's default. */
    public static Optional<String> origin(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            boolean bare = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
            if (!web || !bare || uri.getHost() == null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
