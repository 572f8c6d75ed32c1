package io.hearth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Training and sweep specs read from files: JSON, or YAML for names ending in .yaml or .yml. */
public final class Specs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Specs() {}

    public static ObjectNode read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No spec file at " + file);
        }
        JsonNode node;
        try {
            node = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the spec " + file + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("The spec " + file + " must be an object (a JSON object or a YAML mapping)");
        }
        return (ObjectNode) node;
    }

    /** A spec given as JSON text. */
    public static ObjectNode parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("A spec must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getMessage(), e);
        }
    }
}
