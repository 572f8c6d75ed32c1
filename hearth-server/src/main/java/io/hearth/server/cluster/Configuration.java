package io.hearth.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An EMR configuration: a classification (a configuration file, such as spark-defaults), its
 * properties, and nested configurations (only {@code export} inside an {@code -env} classification).
 * The same record is the wire shape, named here so that reading a stored cluster needs no wire mapper.
 */
public record Configuration(
        @JsonProperty("Classification") String classification,
        @JsonProperty("Properties") Map<String, String> properties,
        @JsonProperty("Configurations") List<Configuration> configurations) {
    public Configuration {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        configurations = configurations == null ? List.of() : List.copyOf(configurations);
    }
}
