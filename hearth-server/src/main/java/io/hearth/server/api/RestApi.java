package io.hearth.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.model.ModelRegistry;
import io.hearth.server.sweep.Sweep;
import io.hearth.server.sweep.SweepManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hearth's native REST API under {@code /api/v1} (docs/rest-api.md): sweeps (a training job is a
 * sweep of one task), their tasks and leaderboards, and the model registry. Requests and answers
 * are JSON; a mistake is a 4xx whose {@code error.message} names the bad field.
 */
public final class RestApi {
    public static final String PREFIX = "/api/";
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    private final ObjectMapper mapper;
    private final ApiDocuments documents;
    private final SweepManager sweeps;
    private final ModelRegistry registry;
    private final int maxBodyBytes;

    public RestApi(ObjectMapper mapper, SweepManager sweeps, ModelRegistry registry, int maxBodyBytes) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.documents = new ApiDocuments(mapper);
        this.sweeps = requireNonNull(sweeps, "sweeps is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A REST request: anything under {@code /api/}. */
    public static boolean accepts(HttpServletRequest request) {
        return request.getRequestURI().startsWith(PREFIX);
    }

    public void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = UUID.randomUUID().toString();
        response.setHeader("x-hearth-request-id", requestId);
        try {
            byte[] body = readBody(request);
            Answer answer = route(request.getMethod(), segments(request.getRequestURI()), body, request);
            write(response, answer.status(), answer.document());
        } catch (HearthException e) {
            ApiError error = ApiError.of(e.code());
            write(response, error.status(), error(error.type(), e.getMessage(), requestId));
        } catch (RuntimeException e) {
            LOG.error("{} {} {} failed inside Hearth", requestId, request.getMethod(), request.getRequestURI(), e);
            write(response, 500, error("InternalError", "Hearth failed to process this request (request id " + requestId + "): " + e, requestId));
        }
    }

    /** Refuses a request before it is routed (403 Forbidden). */
    public void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        String requestId = UUID.randomUUID().toString();
        response.setHeader("x-hearth-request-id", requestId);
        try (InputStream in = request.getInputStream()) {
            in.readNBytes(maxBodyBytes);
        }
        ApiError refusal = ApiError.of(ErrorCode.ACCESS_DENIED);
        write(response, refusal.status(), error(refusal.type(), message, requestId));
    }

    private record Answer(int status, JsonNode document) {}

    private Answer route(String method, List<String> path, byte[] body, HttpServletRequest request) {
        if (path.size() < 2 || !path.get(0).equals("api") || !path.get(1).equals("v1")) {
            throw HearthException.notFound("No such resource: the REST API lives under /api/v1/ (sweeps, models)");
        }
        List<String> rest = path.subList(2, path.size());
        String resource = rest.isEmpty() ? "" : rest.get(0);
        return switch (resource) {
            case "sweeps" -> sweeps(method, rest.subList(1, rest.size()), body, request);
            case "models" -> models(method, rest.subList(1, rest.size()));
            default -> throw HearthException.notFound("No such resource '" + resource + "': the REST API has /api/v1/sweeps and /api/v1/models");
        };
    }

    private Answer sweeps(String method, List<String> path, byte[] body, HttpServletRequest request) {
        if (path.isEmpty()) {
            if (method.equals("GET")) {
                ObjectNode list = mapper.createObjectNode();
                ArrayNode array = list.putArray("sweeps");
                sweeps.list().forEach(sweep -> array.add(documents.sweep(sweep, sweeps.tasks(sweep.sweepId()), false)));
                return new Answer(200, list);
            }
            requireMethod(method, "POST", "/api/v1/sweeps");
            JsonNode input = parseBody(body, true);
            String clusterId = optionalText(input, "clusterId");
            JsonNode spec = input.get("spec");
            if (spec == null || !spec.isObject()) {
                throw HearthException.invalidArgument("spec: must be an object, the sweep spec (docs/sweeps.md)");
            }
            Sweep sweep = sweeps.submitAnywhere(spec.toString(), clusterId);
            return new Answer(201, documents.sweep(sweep, sweeps.tasks(sweep.sweepId()), true));
        }
        String sweepId = path.get(0);
        String action = path.size() > 1 ? path.get(1) : "";
        if (path.size() > 2) {
            throw HearthException.notFound("No such resource under sweep " + sweepId);
        }
        switch (action) {
            case "" -> {
                requireMethod(method, "GET", "/api/v1/sweeps/{id}");
                Sweep sweep = sweeps.get(sweepId);
                return new Answer(200, documents.sweep(sweep, sweeps.tasks(sweepId), true));
            }
            case "leaderboard" -> {
                requireMethod(method, "GET", "/api/v1/sweeps/{id}/leaderboard");
                return new Answer(200, documents.leaderboard(sweeps.leaderboard(sweepId, request.getParameter("metric"))));
            }
            case "resume" -> {
                requireMethod(method, "POST", "/api/v1/sweeps/{id}/resume");
                JsonNode input = parseBody(body, false);
                JsonNode spec = input.get("spec");
                if (spec != null && !spec.isNull() && !spec.isObject()) {
                    throw HearthException.invalidArgument("spec: must be an object, the corrected sweep spec");
                }
                int again = sweeps.resume(sweepId, spec == null || spec.isNull() ? null : spec.toString());
                ObjectNode document = documents.sweep(sweeps.get(sweepId), sweeps.tasks(sweepId), true);
                document.put("tasksResumed", again);
                return new Answer(200, document);
            }
            case "cancel" -> {
                requireMethod(method, "POST", "/api/v1/sweeps/{id}/cancel");
                sweeps.cancel(sweepId);
                return new Answer(200, documents.sweep(sweeps.get(sweepId), sweeps.tasks(sweepId), true));
            }
            default -> throw HearthException.notFound("No such resource '" + action + "' under sweep " + sweepId
                    + ": a sweep has leaderboard, resume and cancel");
        }
    }

    private Answer models(String method, List<String> path) {
        requireMethod(method, "GET", "/api/v1/models");
        if (path.isEmpty()) {
            ObjectNode list = mapper.createObjectNode();
            ArrayNode array = list.putArray("models");
            registry.list().forEach(model -> array.add(documents.modelSummary(model)));
            return new Answer(200, list);
        }
        if (path.size() > 1) {
            throw HearthException.notFound("No such resource under model " + path.get(0));
        }
        return new Answer(200, documents.model(registry.get(path.get(0))));
    }

    private static void requireMethod(String method, String expected, String resource) {
        if (!method.equals(expected)) {
            throw new HearthException(ErrorCode.UNKNOWN_OPERATION, resource + " takes " + expected + ", not " + method);
        }
    }

    private static String optionalText(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw HearthException.invalidArgument(field + ": must be a non-empty text");
        }
        return value.asText();
    }

    private JsonNode parseBody(byte[] body, boolean required) {
        if (body.length == 0) {
            if (required) {
                throw new HearthException(ErrorCode.MALFORMED_REQUEST, "The request needs a JSON body");
            }
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new HearthException(ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new HearthException(ErrorCode.MALFORMED_REQUEST, "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HearthException(ErrorCode.MALFORMED_REQUEST, "Cannot read the request body: " + e.getMessage());
        }
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            throw new HearthException(ErrorCode.REQUEST_TOO_LARGE, "The request body exceeds " + maxBodyBytes + " bytes");
        }
        return body;
    }

    /** The decoded path segments ('+' stays a plus, as in any URI path). */
    private static List<String> segments(String uri) {
        return Arrays.stream(uri.split("/")).filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    private ObjectNode error(String type, String message, String requestId) {
        ObjectNode document = mapper.createObjectNode();
        ObjectNode error = document.putObject("error");
        error.put("type", type);
        error.put("message", message);
        error.put("requestId", requestId);
        return document;
    }

    private void write(HttpServletResponse response, int status, JsonNode document) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        mapper.writerWithDefaultPrettyPrinter().writeValue(response.getOutputStream(), document);
    }

    /**
     * The REST API's answer to a failure of each kind: its HTTP status and error type. The one place
     * an {@link ErrorCode} meets this protocol's wire.
     */
    private record ApiError(int status, String type) {
        static ApiError of(ErrorCode code) {
            return switch (code) {
                case INVALID_ARGUMENT, CONSTRAINT_VIOLATION, MALFORMED_REQUEST, MALFORMED_SIGNATURE -> new ApiError(400, "InvalidArgument");
                case NOT_AUTHENTICATED -> new ApiError(401, "NotAuthenticated");
                case ACCESS_DENIED -> new ApiError(403, "Forbidden");
                case NOT_FOUND, METADATA_NOT_FOUND -> new ApiError(404, "NotFound");
                case UNKNOWN_OPERATION -> new ApiError(405, "MethodNotAllowed");
                case INVALID_STATE -> new ApiError(409, "InvalidState");
                case ALREADY_EXISTS -> new ApiError(409, "AlreadyExists");
                case CONCURRENT_MODIFICATION -> new ApiError(409, "ConcurrentModification");
                case REQUEST_TOO_LARGE -> new ApiError(413, "RequestTooLarge");
                case LIMIT_EXCEEDED -> new ApiError(429, "LimitExceeded");
                case UNAVAILABLE -> new ApiError(503, "Unavailable");
            };
        }
    }
}
