package io.hearth.spark.sql;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The engine's control API, for Hearth alone: JSON over HTTP on the loopback address, every request carrying the
 * engine's token (a file only Hearth's user can read). {@code GET /v1/health}; {@code POST /v1/queries} (an
 * {@link EngineQuery.Request}); {@code GET /v1/queries/ID?waitMillis=N} (the status, waiting up to N ms for the end);
 * {@code POST /v1/queries/ID/cancel} ({@code {"reason": ...}}).
 */
final class ControlServer implements AutoCloseable {
    private static final long MAX_WAIT_MILLIS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpServer server;
    private final byte[] token;
    private final QueryRunner runner;
    private final Map<String, Object> health;
    private final JdbcQueries jdbcQueries;

    ControlServer(InetSocketAddress address, String token, QueryRunner runner, JdbcQueries jdbcQueries, Map<String, Object> health)
            throws IOException {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.runner = runner;
        this.jdbcQueries = jdbcQueries;
        this.health = Map.copyOf(health);
        this.server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "hearth-sql-control");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/", this::handle);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
                send(exchange, 401, Map.of("message", "The engine's token is missing or wrong"));
                return;
            }
            route(exchange);
        } catch (IOException | RuntimeException e) {
            send(exchange, 500, Map.of("message", String.valueOf(e.getMessage())));
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String[] parts = uri.getPath().substring("/v1/".length()).split("/");
        String method = exchange.getRequestMethod();
        if (parts.length == 1 && parts[0].equals("health") && method.equals("GET")) {
            Map<String, Object> answer = new LinkedHashMap<>(health);
            answer.put("running", runner.running());
            send(exchange, 200, answer);
        } else if (parts.length == 1 && parts[0].equals("jdbc-queries") && method.equals("GET")) {
            send(exchange, 200, jdbcQueries.after(longParameter(uri, "after")));
        } else if (parts.length == 1 && parts[0].equals("queries") && method.equals("POST")) {
            EngineQuery.Request request = JSON.readValue(exchange.getRequestBody(), EngineQuery.Request.class);
            if (request.id() == null || request.sql() == null || request.resultFile() == null) {
                send(exchange, 400, Map.of("message", "id, sql and resultFile are required"));
                return;
            }
            send(exchange, 200, runner.status(runner.submit(request)));
        } else if (parts.length >= 2 && parts[0].equals("queries")) {
            Optional<EngineQuery> query = runner.find(parts[1]);
            if (query.isEmpty()) {
                send(exchange, 404, Map.of("message", "No query " + parts[1]));
            } else if (parts.length == 2 && method.equals("GET")) {
                awaitEnd(query.get(), waitMillis(uri));
                send(exchange, 200, runner.status(query.get()));
            } else if (parts.length == 3 && parts[2].equals("cancel") && method.equals("POST")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String reason = body == null ? null : body.path("reason").asText(null);
                runner.cancel(query.get(), reason == null ? "Query was cancelled" : reason);
                send(exchange, 200, runner.status(query.get()));
            } else {
                send(exchange, 404, Map.of("message", "No such operation: " + method + " " + uri.getPath()));
            }
        } else {
            send(exchange, 404, Map.of("message", "No such operation: " + method + " " + uri.getPath()));
        }
    }

    private static long waitMillis(URI uri) {
        return Math.min(MAX_WAIT_MILLIS, longParameter(uri, "waitMillis"));
    }

    /** A non-negative number from the query string; 0 when it is missing or not one. */
    private static long longParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                try {
                    return Math.max(0, Long.parseLong(pair.substring(name.length() + 1)));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static void awaitEnd(EngineQuery query, long millis) {
        try {
            query.awaitEnd(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
