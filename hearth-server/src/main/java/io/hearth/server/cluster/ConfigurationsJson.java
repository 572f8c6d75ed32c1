package io.hearth.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** Configurations as JSON, in EMR's shape ({@code Classification}, {@code Properties}, {@code Configurations}), for the store. */
final class ConfigurationsJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private ConfigurationsJson() {}

    static ArrayNode toTree(List<Configuration> configurations) {
        return MAPPER.valueToTree(configurations);
    }

    static List<Configuration> fromTree(JsonNode configurations) throws JsonProcessingException {
        return List.of(MAPPER.treeToValue(configurations, Configuration[].class));
    }
}
