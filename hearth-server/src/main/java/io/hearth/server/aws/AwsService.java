package io.hearth.server.aws;

import com.fasterxml.jackson.databind.JsonNode;

/** One AWS JSON 1.1 service (EMR, Glue, ...) served on the shared endpoint. */
public interface AwsService {
    /** The model the service's requests are validated against; its target prefix routes requests here. */
    ServiceModel model();

    /**
     * Runs one operation on a request body that already passed model validation.
     *
     * @return the response shape (a record or JSON node), or null for an empty response
     */
    Object invoke(String operation, JsonNode input, AwsRequest request);

    /**
     * Refuses, with UnknownOperationException, an operation of the model this service does not
     * serve, before its input is validated: a missing member is no news to a caller of an
     * operation Hearth does not have.
     */
    default void checkSupported(String operation) {}

    /** How this service names failures on the wire. */
    AwsErrorDialect errorDialect();
}
