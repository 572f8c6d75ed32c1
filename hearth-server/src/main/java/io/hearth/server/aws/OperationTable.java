package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Maps operation names to typed handlers: the input JSON is bound to a request record first. */
public final class OperationTable {
    private final ObjectMapper mapper;
    private final String serviceName;
    private final Map<String, BiFunction<JsonNode, AwsRequest, Object>> handlers = new LinkedHashMap<>();

    public OperationTable(ObjectMapper mapper, String serviceName) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.serviceName = requireNonNull(serviceName, "serviceName is null");
    }

    /** A handler that needs the request's JSON as well as its bound form (to keep it, say). */
    @FunctionalInterface
    public interface RawHandler<T> {
        Object apply(T input, JsonNode json, AwsRequest request);
    }

    public <T> OperationTable on(String operation, Class<T> inputType, BiFunction<T, AwsRequest, ?> handler) {
        handlers.put(operation, (input, request) -> handler.apply(bind(input, inputType), request));
        return this;
    }

    public <T> OperationTable onWithJson(String operation, Class<T> inputType, RawHandler<T> handler) {
        handlers.put(operation, (input, request) -> handler.apply(bind(input, inputType), input, request));
        return this;
    }

    public Set<String> operations() {
        return handlers.keySet();
    }

    /** Throws UnknownOperationException for an operation without a handler. */
    public void checkSupported(String operation) {
        if (!handlers.containsKey(operation)) {
            throw new HearthException(ErrorCode.UNKNOWN_OPERATION,
                    "Hearth does not support the " + serviceName + " operation " + operation + " yet");
        }
    }

    public Object invoke(String operation, JsonNode input, AwsRequest request) {
        checkSupported(operation);
        return handlers.get(operation).apply(input, request);
    }

    private <T> T bind(JsonNode input, Class<T> type) {
        try {
            return mapper.treeToValue(input, type);
        } catch (JsonProcessingException e) {
            // The model validation passed, so this is a value Java cannot hold (an enum Hearth does not know, say).
            throw new HearthException(ErrorCode.CONSTRAINT_VIOLATION, "Cannot read the request: " + e.getOriginalMessage());
        }
    }
}
