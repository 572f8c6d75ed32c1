package io.hearth.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hearth's REST API ({@code /api/v1}, docs/rest-api.md) for controller programs: submit a sweep or
 * a batch of training jobs with a bound on how many run at once, wait for them, read the
 * leaderboard and the registry, and resume what did not succeed.
 *
 * <pre>{@code
 * HearthClient hearth = HearthClient.connect(URI.create("http://127.0.0.1:8780"));
 * SweepStatus sweep = hearth.submitJobs(null, base, variants, 4);          // N jobs, at most 4 at once
 * sweep = hearth.awaitSweep(sweep.sweepId(), Duration.ofHours(2), s -> System.out.println(s.progress()));
 * if (!sweep.unsuccessful().isEmpty()) {                                  // fix the cause, then
 *     sweep = hearth.awaitSweep(hearth.resume(sweep.sweepId()).sweepId(), Duration.ofHours(1), s -> {});
 * }
 * Leaderboard board = hearth.leaderboard(sweep.sweepId());
 * }</pre>
 */
public final class HearthClient {
    /** Where {@code hearth up} listens unless told otherwise. */
    public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:8780");
    private static final Duration POLL = Duration.ofSeconds(1);

    private final URI endpoint;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private HearthClient(URI endpoint) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static HearthClient connect(URI endpoint) {
        String text = endpoint.toString();
        return new HearthClient(URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text));
    }

    /** The endpoint in HEARTH_ENDPOINT, else AWS_ENDPOINT_URL (as set by {@code hearth env}), else {@link #DEFAULT_ENDPOINT}. */
    public static HearthClient fromEnvironment() {
        for (String variable : List.of("HEARTH_ENDPOINT", "AWS_ENDPOINT_URL")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return connect(URI.create(value.trim()));
            }
        }
        return connect(DEFAULT_ENDPOINT);
    }

    public URI endpoint() {
        return endpoint;
    }

    // ------------------------------------------------------------------ sweeps

    /** Submits a sweep spec (docs/sweeps.md) to run on {@code clusterId}, or on the only running cluster when null. */
    public SweepStatus submitSweep(String clusterId, ObjectNode sweepSpec) {
        ObjectNode body = mapper.createObjectNode();
        if (clusterId != null) {
            body.put("clusterId", clusterId);
        }
        body.set("spec", requireNonNull(sweepSpec, "sweepSpec is null"));
        return send("POST", "/api/v1/sweeps", body, SweepStatus.class);
    }

    /** Submits one training job (docs/training.md): a sweep of one task, tracked the same way. */
    public SweepStatus train(String clusterId, ObjectNode trainingSpec) {
        ObjectNode sweep = mapper.createObjectNode();
        sweep.put("name", trainingSpec.path("name").asText("training job"));
        sweep.put("maxParallel", 1);
        sweep.set("base", trainingSpec);
        return submitSweep(clusterId, sweep);
    }

    /**
     * Submits one training job per variant, each variant merged into {@code base} (objects field by
     * field), at most {@code maxParallel} running at once, each its own Spark application.
     */
    public SweepStatus submitJobs(String clusterId, ObjectNode base, List<ObjectNode> variants, int maxParallel) {
        ObjectNode sweep = mapper.createObjectNode();
        sweep.put("name", base.path("name").asText("training jobs"));
        sweep.put("maxParallel", maxParallel);
        sweep.put("isolation", "process");
        sweep.set("base", base);
        ArrayNode array = sweep.putArray("variants");
        variants.forEach(array::add);
        return submitSweep(clusterId, sweep);
    }

    public SweepStatus sweep(String sweepId) {
        return send("GET", "/api/v1/sweeps/" + segment(sweepId), null, SweepStatus.class);
    }

    /** Newest first, without their tasks. */
    public List<SweepStatus> sweeps() {
        return List.of(mapper.convertValue(send("GET", "/api/v1/sweeps", null, JsonNode.class).path("sweeps"), SweepStatus[].class));
    }

    /** Waits until the sweep has ended (or {@code timeout} passes), calling {@code progress} whenever its counts change. */
    public SweepStatus awaitSweep(String sweepId, Duration timeout, Consumer<SweepStatus> progress) {
        Instant deadline = Instant.now().plus(timeout);
        String last = null;
        while (true) {
            SweepStatus status = sweep(sweepId);
            String line = status.progress();
            if (!line.equals(last)) {
                progress.accept(status);
                last = line;
            }
            if (!status.isRunning()) {
                return status;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new HearthClientException(0, "Timeout", "Sweep " + sweepId + " is still running after " + timeout + ": " + line, null);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HearthClientException(0, "Interrupted", "Interrupted while waiting for sweep " + sweepId, e);
            }
        }
    }

    /** Runs again only the tasks that did not succeed. */
    public SweepStatus resume(String sweepId) {
        return resume(sweepId, null);
    }

    /** Runs again only the tasks that did not succeed, with their specs from {@code correctedSpec} (the same sweep, a mistake fixed). */
    public SweepStatus resume(String sweepId, ObjectNode correctedSpec) {
        ObjectNode body = mapper.createObjectNode();
        if (correctedSpec != null) {
            body.set("spec", correctedSpec);
        }
        return send("POST", "/api/v1/sweeps/" + segment(sweepId) + "/resume", body, SweepStatus.class);
    }

    /** Cancels the pending tasks and stops the running ones. */
    public SweepStatus cancel(String sweepId) {
        return send("POST", "/api/v1/sweeps/" + segment(sweepId) + "/cancel", mapper.createObjectNode(), SweepStatus.class);
    }

    public Leaderboard leaderboard(String sweepId) {
        return leaderboard(sweepId, null);
    }

    /** Ranked by {@code metric} ({@code [validation.|test.]name}), or by the sweep's own metric when null. */
    public Leaderboard leaderboard(String sweepId, String metric) {
        String query = metric == null ? "" : "?metric=" + URLEncoder.encode(metric, StandardCharsets.UTF_8);
        return send("GET", "/api/v1/sweeps/" + segment(sweepId) + "/leaderboard" + query, null, Leaderboard.class);
    }

    // ------------------------------------------------------------------ registry

    /** Every registered model, newest first, without cards. */
    public List<ModelSummary> models() {
        return List.of(mapper.convertValue(send("GET", "/api/v1/models", null, JsonNode.class).path("models"), ModelSummary[].class));
    }

    /** One model with its card and registry notes. */
    public ModelSummary model(String modelId) {
        return send("GET", "/api/v1/models/" + segment(modelId), null, ModelSummary.class);
    }

    // ------------------------------------------------------------------ HTTP

    private <T> T send(String method, String path, JsonNode body, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode document = response.body().length == 0 ? mapper.createObjectNode() : readJson(response);
            if (response.statusCode() >= 400) {
                JsonNode error = document.path("error");
                throw new HearthClientException(response.statusCode(), error.path("type").asText("HttpError"),
                        error.path("message").asText("HTTP " + response.statusCode() + " from " + method + " " + path), null);
            }
            return mapper.treeToValue(document, type);
        } catch (ConnectException e) {
            throw new HearthClientException(0, "Unreachable", "No Hearth answers at " + endpoint + " (start one with bin/hearth up)", e);
        } catch (IOException e) {
            throw new HearthClientException(0, "IOError", method + " " + endpoint + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearthClientException(0, "Interrupted", method + " " + path + " was interrupted", e);
        }
    }

    private JsonNode readJson(HttpResponse<byte[]> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new HearthClientException(response.statusCode(), "NotJson", "The answer from " + response.uri() + " is not JSON (is "
                    + endpoint + " a Hearth?): HTTP " + response.statusCode(), e);
        }
    }

    private static String segment(String id) {
        requireNonNull(id, "id is null");
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
