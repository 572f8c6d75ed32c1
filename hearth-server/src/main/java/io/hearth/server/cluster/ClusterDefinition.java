package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.step.StepDefinition;
import java.util.List;
import java.util.Map;

/**
 * A cluster to create: what a RunJobFlow request asks for, with the CLI's and EMR's defaults
 * applied. {@code request} is the request itself (without its steps), kept to describe the
 * cluster back.
 */
public record ClusterDefinition(
        String name,
        String releaseLabel,
        String logUri,
        boolean keepAliveWhenNoSteps,
        boolean terminationProtected,
        int stepConcurrencyLevel,
        Long idleTimeoutSeconds,
        List<InstanceGroupDefinition> instanceGroups,
        List<BootstrapAction> bootstrapActions,
        List<Configuration> configurations,
        Map<String, String> tags,
        List<StepDefinition> steps,
        ObjectNode request) {
    public ClusterDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(releaseLabel, "releaseLabel is null");
        instanceGroups = List.copyOf(instanceGroups);
        bootstrapActions = List.copyOf(bootstrapActions);
        configurations = List.copyOf(configurations);
        tags = Map.copyOf(tags);
        steps = List.copyOf(steps);
        requireNonNull(request, "request is null");
    }
}
