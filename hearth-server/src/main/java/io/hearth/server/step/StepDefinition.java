package io.hearth.server.step;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** A step to add to a cluster: what EMR's StepConfig says, with defaults applied. */
public record StepDefinition(
        String name,
        ActionOnFailure actionOnFailure,
        String jar,
        String mainClass,
        List<String> args,
        Map<String, String> properties,
        String logUri,
        String encryptionKeyArn) {
    public StepDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(actionOnFailure, "actionOnFailure is null");
        requireNonNull(jar, "jar is null");
        args = List.copyOf(args);
        properties = Map.copyOf(properties);
    }
}
