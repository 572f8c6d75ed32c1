package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

/** Who is calling which operation, for operations that record the caller. */
public record AwsRequest(String requestId, String operation, SigV4Authorization authorization) {
    public AwsRequest {
        requireNonNull(requestId, "requestId is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(authorization, "authorization is null");
    }

    public String accessKeyId() {
        return authorization.accessKeyId();
    }

    public String region() {
        return authorization.region();
    }
}
