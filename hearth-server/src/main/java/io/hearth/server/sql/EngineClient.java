package io.hearth.server.sql;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls to the SQL engine's control API (io.hearth.spark.sql.ControlServer) on the loopback address, with its token.
 * A query's status waits at the engine for the query to end (long polling), so an answer comes as soon as it has.
 */
public final class EngineClient {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    /** A result column as Athena's ColumnInfo describes it. */
    public record Column(String name, String type, int precision, int scale, String nullable) {}

    /** The engine's view of one query: RUNNING, then SUCCEEDED, FAILED or CANCELLED. */
    public record QueryStatus(String id, String state, String statementType, String error, String errorType, boolean userError,
            List<Column> columns, long rows, Long updateCount, long bytesScanned, long engineMillis) {
        public boolean ended() {
            return !"RUNNING".equals(state);
        }
    }

    /** A statement a JDBC client ran on the engine: RUNNING, SUCCEEDED, FAILED or CANCELLED. */
    public record JdbcQuery(long version, String id, String statement, String statementType, String user, long startMillis, String state,
            Long endMillis, String error) {}

    /** The JDBC statements that changed after a version, and how many JDBC sessions are open. */
    public record JdbcChanges(long version, int openSessions, List<JdbcQuery> queries) {}

    /** What the engine runs: the query in {@code database}, its rows written as CSV to {@code resultFile}. */
    public record QueryRequest(String id, String sql, String database, String resultFile, long maxBytesScanned) {}

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EngineClient(String address, int port, String token) {
        this.base = URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port + "/v1/");
        this.authorization = "Bearer " + token;
    }

    /** The engine's health document (application id, Spark version, running queries), if it answers. */
    Optional<JsonNode> health() {
        try {
            return Optional.of(JSON.readTree(call("GET", "health", null, Duration.ofSeconds(5))));
        } catch (IOException | EngineException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public QueryStatus submit(QueryRequest request) throws IOException, InterruptedException {
        return JSON.readValue(call("POST", "queries", JSON.writeValueAsString(request), CALL_TIMEOUT), QueryStatus.class);
    }

    /** The query's status, once it has ended or after {@code wait}, whichever comes first. */
    public QueryStatus status(String id, Duration wait) throws IOException, InterruptedException {
        String path = "queries/" + id + "?waitMillis=" + wait.toMillis();
        return JSON.readValue(call("GET", path, null, CALL_TIMEOUT.plus(wait)), QueryStatus.class);
    }

    public QueryStatus cancel(String id, String reason) throws IOException, InterruptedException {
        return JSON.readValue(call("POST", "queries/" + id + "/cancel", JSON.writeValueAsString(Map.of("reason", reason)), CALL_TIMEOUT),
                QueryStatus.class);
    }

    /** The JDBC statements that changed on the engine after {@code version}. */
    public JdbcChanges jdbcChanges(long version) throws IOException, InterruptedException {
        return JSON.readValue(call("GET", "jdbc-queries?after=" + version, null, CALL_TIMEOUT), JdbcChanges.class);
    }

    private String call(String method, String path, String body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Authorization", authorization);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new EngineException(answer.statusCode(), JSON.readTree(answer.body()).path("message").asText(answer.body()));
        }
        return answer.body();
    }

    /** The engine refused a call (an unknown query id, a bad request). */
    public static final class EngineException extends RuntimeException {
        private final int status;

        EngineException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
