package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * An AWS service model (the {@code service-2.json} the AWS SDKs and the aws CLI are generated
 * from), read from the classpath. Hearth validates every request against it, so members,
 * required fields, enums and limits are exactly those the clients know.
 */
public final class ServiceModel {
    private final JsonNode operations;
    private final JsonNode shapes;
    private final String targetPrefix;

    private ServiceModel(JsonNode model) {
        this.operations = requireNonNull(model.get("operations"), "model has no operations");
        this.shapes = requireNonNull(model.get("shapes"), "model has no shapes");
        this.targetPrefix = model.path("metadata").path("targetPrefix").asText();
    }

    /** Loads a gzip-compressed model from the classpath. */
    public static ServiceModel load(String resource) {
        try (InputStream raw = ServiceModel.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("Cannot load service model: " + resource + " is not on the classpath");
            }
            try (InputStream json = new GZIPInputStream(raw)) {
                return new ServiceModel(new ObjectMapper().readTree(json));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read service model " + resource, e);
        }
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public boolean hasOperation(String operation) {
        return operations.has(operation);
    }

    /** The name of the operation's input shape, if it takes input. */
    public Optional<String> inputShape(String operation) {
        JsonNode input = operations.path(operation).path("input").path("shape");
        return input.isTextual() ? Optional.of(input.asText()) : Optional.empty();
    }

    public JsonNode shape(String name) {
        JsonNode shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("Unknown shape: " + name);
        }
        return shape;
    }
}
