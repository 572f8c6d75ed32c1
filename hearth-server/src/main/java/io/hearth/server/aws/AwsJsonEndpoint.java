package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS JSON 1.1 protocol: every request is a POST whose {@code X-Amz-Target} header
 * ({@code <TargetPrefix>.<Operation>}) picks the service and operation. Requests are checked
 * against the service model before any handler runs, so handlers never see a malformed request.
 */
public final class AwsJsonEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonEndpoint.class);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final ObjectMapper mapper;
    private final Map<String, RoutedService> services = new LinkedHashMap<>();
    private final int maxBodyBytes;

    public AwsJsonEndpoint(ObjectMapper mapper, List<AwsService> services, int maxBodyBytes) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.maxBodyBytes = maxBodyBytes;
        for (AwsService service : services) {
            this.services.put(service.model().targetPrefix(), new RoutedService(service, new ShapeValidator(service.model())));
        }
    }

    private record RoutedService(AwsService service, ShapeValidator validator) {}

    /** A small status document, so a browser or a health check can see the endpoint is up. */
    public void status(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ObjectNode status = mapper.createObjectNode();
        status.put("service", "Hearth");
        status.put("status", "running");
        status.putArray("awsServices").addAll(services.keySet().stream().map(mapper.getNodeFactory()::textNode).toList());
        status.put("s3", "the S3 REST API is served on the same port");
        status.put("usage", "Point the aws CLI, boto3 or an AWS SDK at this URL as the endpoint (bin/hearth env prints the settings)");
        response.setStatus(200);
        response.setContentType("application/json");
        mapper.writerWithDefaultPrettyPrinter().writeValue(response.getOutputStream(), status);
    }

    /** Answers one AWS JSON 1.1 request. */
    public void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = UUID.randomUUID().toString();
        response.setHeader("x-amzn-RequestId", requestId);
        String target = request.getHeader("X-Amz-Target");
        try {
            Object result = handle(request, target, requestId);
            response.setStatus(200);
            response.setContentType(CONTENT_TYPE);
            mapper.writeValue(response.getOutputStream(), result == null ? mapper.createObjectNode() : result);
        } catch (HearthException e) {
            AwsErrorCode code = dialectFor(target).errorCodeFor(e.code());
            LOG.debug("{} {} failed: {} {}", requestId, target, code.type(), e.getMessage());
            writeError(response, code, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed inside Hearth", requestId, target, e);
            writeError(response, AwsErrorCode.INTERNAL_FAILURE,
                    "Hearth failed to process this request (request id " + requestId + "): " + e);
        }
    }

    /**
     * The dialect of the service the target names. A request that names none failed in the protocol
     * layer, whose failures every dialect answers alike.
     */
    private AwsErrorDialect dialectFor(String target) {
        int dot = target == null ? -1 : target.lastIndexOf('.');
        RoutedService routed = dot < 0 ? null : services.get(target.substring(0, dot));
        return routed == null ? AwsErrorDialect.EMR : routed.service().errorDialect();
    }

    private Object handle(HttpServletRequest request, String target, String requestId) throws IOException {
        // The body is read first, whatever the outcome: a response sent before it is consumed can make the
        // server close a keep-alive connection the client then reuses.
        byte[] body = readBody(request);
        if (target == null || target.isBlank()) {
            throw new HearthException(ErrorCode.UNKNOWN_OPERATION,
                    "Missing X-Amz-Target header: AWS JSON requests name their operation there, e.g. ElasticMapReduce.ListClusters");
        }
        int dot = target.lastIndexOf('.');
        RoutedService routed = dot < 0 ? null : services.get(target.substring(0, dot));
        String operation = dot < 0 ? target : target.substring(dot + 1);
        if (routed == null || !routed.service().model().hasOperation(operation)) {
            throw new HearthException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation " + target);
        }
        SigV4Authorization authorization = SigV4Authorization.parse(request.getHeader("Authorization"));
        routed.service().checkSupported(operation);
        JsonNode input = parseBody(body);
        routed.service().model().inputShape(operation).ifPresent(shape -> routed.validator().validate(shape, input));
        return routed.service().invoke(operation, input, new AwsRequest(requestId, operation, authorization));
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            throw new HearthException(ErrorCode.REQUEST_TOO_LARGE, "Request body exceeds " + maxBodyBytes + " bytes");
        }
        return body;
    }

    private JsonNode parseBody(byte[] body) {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode input;
        try {
            input = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HearthException(ErrorCode.MALFORMED_REQUEST, "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (input == null || input.isMissingNode()) {
            return mapper.createObjectNode();
        }
        if (!input.isObject()) {
            throw new HearthException(ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON object");
        }
        return input;
    }

    /** Refuses a request before it is read as an operation, with AccessDeniedException (403). */
    public void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        try (InputStream in = request.getInputStream()) {
            in.readNBytes(maxBodyBytes);
        }
        response.setHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        writeError(response, dialectFor(request.getHeader("X-Amz-Target")).errorCodeFor(ErrorCode.ACCESS_DENIED), message);
    }

    private void writeError(HttpServletResponse response, AwsErrorCode code, String message) throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(CONTENT_TYPE);
        response.setHeader("x-amzn-ErrorType", code.type());
        ObjectNode body = mapper.createObjectNode();
        body.put("__type", code.type());
        body.put("Message", message);
        mapper.writeValue(response.getOutputStream(), body);
    }
}
