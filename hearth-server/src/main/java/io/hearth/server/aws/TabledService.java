package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** An AWS service that is its model, its operation table and its error dialect, and nothing more. */
public record TabledService(ServiceModel model, OperationTable operations, AwsErrorDialect errorDialect) implements AwsService {
    public TabledService {
        requireNonNull(model, "model is null");
        requireNonNull(operations, "operations is null");
        requireNonNull(errorDialect, "errorDialect is null");
    }

    @Override
    public void checkSupported(String operation) {
        operations.checkSupported(operation);
    }

    @Override
    public Object invoke(String operation, JsonNode input, AwsRequest request) {
        return operations.invoke(operation, input, request);
    }
}
