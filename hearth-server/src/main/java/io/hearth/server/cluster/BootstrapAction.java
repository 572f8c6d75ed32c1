package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A bootstrap action: a script run with arguments on every instance before Spark starts. */
public record BootstrapAction(int position, String name, String path, List<String> args) {
    public BootstrapAction {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        args = List.copyOf(args);
    }
}
