package io.hearth.server.cluster;

import java.util.List;
import java.util.Map;

/**
 * An EMR configuration: a classification (a configuration file, such as spark-defaults), its
 * properties, and nested configurations (only {@code export} inside an {@code -env} classification).
 * The same record is the wire shape.
 */
public record Configuration(String classification, Map<String, String> properties, List<Configuration> configurations) {
    public Configuration {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        configurations = configurations == null ? List.of() : List.copyOf(configurations);
    }
}
