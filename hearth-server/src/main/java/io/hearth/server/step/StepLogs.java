package io.hearth.server.step;

import io.hearth.server.storage.LocationResolver;
import java.nio.file.Path;

/**
 * Where a step's logs live: {@code <log root>/<cluster-id>/steps/<step-id>/} with {@code controller}
 * (what Hearth ran and how it ended), {@code stdout} and {@code stderr}, written while the step runs.
 * The log root is the cluster's LogUri (or the step's own) when given, else {@code <data-dir>/logs}.
 */
public record StepLogs(Path directory, String location) {
    public static StepLogs of(StepContext context, String stepId) {
        String relative = context.clusterId() + "/steps/" + stepId;
        Path directory = context.logRoot().resolve(relative);
        String location = context.logRootLocation() == null ? directory.toString() : LocationResolver.join(context.logRootLocation(), relative);
        return new StepLogs(directory, location);
    }

    public Path controller() {
        return directory.resolve("controller");
    }

    public Path stdout() {
        return directory.resolve("stdout");
    }

    public Path stderr() {
        return directory.resolve("stderr");
    }

    /** The stderr file as the user would name it (an s3:// or file:// location when the log root was given as one). */
    public String stderrLocation() {
        return location + "/stderr";
    }
}
