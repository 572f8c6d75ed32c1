package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A step as stored: what to run (an EMR HadoopJarStep), its state and what became of it. */
public record Step(
        long seq,
        String id,
        String clusterId,
        String name,
        ActionOnFailure actionOnFailure,
        String jar,
        String mainClass,
        List<String> args,
        Map<String, String> properties,
        String logUri,
        String encryptionKeyArn,
        String executionRoleArn,
        StepState state,
        StopRequest stopRequest,
        String stateMessage,
        FailureDetails failure,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        String applicationId,
        Long processId,
        Instant processStartedAt,
        Integer exitCode,
        String ownerAccessKeyId) {
    public Step {
        requireNonNull(id, "id is null");
        requireNonNull(clusterId, "clusterId is null");
        requireNonNull(name, "name is null");
        requireNonNull(actionOnFailure, "actionOnFailure is null");
        requireNonNull(jar, "jar is null");
        args = List.copyOf(args);
        properties = Map.copyOf(properties);
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(ownerAccessKeyId, "ownerAccessKeyId is null");
    }

    /** Why a step failed: the driver's exception, as EMR's FailureDetails. */
    public record FailureDetails(String reason, String message, String logFile) {}
}
