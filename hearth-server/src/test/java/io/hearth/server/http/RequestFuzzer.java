package io.hearth.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates request values from an AWS service model (the {@code service-2.json} the SDKs are
 * generated from): mostly well-formed instances of a shape, with member values drawn from pools
 * of names that exist, and hostile values (wrong types, numbers beyond any range, huge and odd
 * unicode strings, escaping paths) put in at random places. Deterministic for a seed.
 */
final class RequestFuzzer {
    /** JSON literals no Java value holds, spliced into the text in place of placeholder strings. */
    static final List<String> RAW_NUMBERS = List.of("1e999", "-1e999", "1e-999", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "0.0000001", "-0", "1.5", "-1", "0", "2147483648");
    static final List<String> ODD_STRINGS = List.of(
            "", " ", "\u0000", "\t\n\r", "\uD83D\uDE80\uD83D\uDE80", "\u202Eevil\u202C", "e\u0301\u0301\u0301", "\uFEFF", "\uFFFF",
            "%00", "%2e%2e%2f", "../../../../outside/x", "..", ".", "/", "//", "a//b", "*", "'; DROP TABLE clusters; --",
            "${jndi:ldap://127.0.0.1/x}", "<xml>&amp;</xml>", "\\\\", "null", "NaN", "-Infinity", "j-", "s-", "\u4E2D\u6587\u540D\u5B57",
            "x".repeat(257), "y".repeat(2049), "z".repeat(70_000));
    /** Raw JSON bodies that are not a request document. */
    static final List<String> MALFORMED_JSON = List.of(
            "", "{", "}", "[1, 2]", "\"a string\"", "null", "42", "{\"a\":}", "{\"a\": [1, 2}", "{} trailing", "\uFEFF{}",
            "{\"Name\": \"x\", \"Name\": 5}", "{\"Name\": \"\\ud800\"}", "{\"Name\": \"\\u00\"}", "{'Name': 'single'}",
            "{".repeat(5000) + "}".repeat(5000), "[".repeat(3000) + "]".repeat(3000), "{\"a\": " + "1".repeat(2000) + "}",
            "{\"a\": 1e99999999}", "{\"" + "k".repeat(100_000) + "\": 1}");

    private final JsonNode shapes;
    private final Random random;
    private final Map<String, List<String>> pools;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> raw = new ArrayList<>();

    /**
     * @param pools values to draw for members whose name is a key (ClusterId, DatabaseName, Bucket, ...),
     *     so requests reach objects that exist
     */
    RequestFuzzer(JsonNode model, Random random, Map<String, List<String>> pools) {
        this.shapes = model.get("shapes");
        this.random = random;
        this.pools = pools;
    }

    Random random() {
        return random;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    JsonNode shape(String name) {
        return shapes.get(name);
    }

    /** A JSON body for an operation's input: well-formed, or with hostile values, as text. */
    String jsonBody(String shapeName) {
        raw.clear();
        JsonNode value = shapeName == null ? JsonNodeFactory.instance.objectNode() : instance(shapeName, "", 0);
        if (chance(0.6)) {
            value = mutate(value, 0);
        }
        String text;
        try {
            text = mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < raw.size(); i++) {
            text = text.replace("\"__raw_" + i + "__\"", raw.get(i));
        }
        return text;
    }

    /** A well-formed instance of a shape; {@code member} is the name it is held under (it picks pools). */
    JsonNode instance(String shapeName, String member, int depth) {
        JsonNode shape = shapes.get(shapeName);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (shape.path("type").asText()) {
            case "structure" -> {
                ObjectNode object = nodes.objectNode();
                List<String> required = new ArrayList<>();
                shape.path("required").forEach(name -> required.add(name.asText()));
                for (Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields(); members.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = members.next();
                    boolean include = required.contains(entry.getKey()) ? chance(0.95) : depth < 4 && chance(0.35);
                    if (include) {
                        object.set(entry.getKey(), instance(entry.getValue().path("shape").asText(), entry.getKey(), depth + 1));
                    }
                }
                return object;
            }
            case "list" -> {
                ArrayNode array = nodes.arrayNode();
                int size = depth > 5 ? 0 : random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(instance(shape.path("member").path("shape").asText(), member, depth + 1));
                }
                return array;
            }
            case "map" -> {
                ObjectNode object = nodes.objectNode();
                int size = depth > 5 ? 0 : random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    object.set(string(shapes.get(shape.path("key").path("shape").asText()), "Key"),
                            instance(shape.path("value").path("shape").asText(), member, depth + 1));
                }
                return object;
            }
            case "string" -> {
                return nodes.textNode(string(shape, member));
            }
            case "integer", "long" -> {
                long min = shape.has("min") ? shape.get("min").asLong() : 0;
                long max = shape.has("max") ? shape.get("max").asLong() : 1000;
                return nodes.numberNode(chance(0.9) ? min + (long) (random.nextDouble() * Math.max(1, Math.min(max - min, 1_000_000))) : random.nextLong());
            }
            case "double", "float" -> {
                return nodes.numberNode(random.nextDouble() * 100);
            }
            case "boolean" -> {
                return nodes.booleanNode(random.nextBoolean());
            }
            case "timestamp" -> {
                return nodes.numberNode(chance(0.8) ? 1_700_000_000L + random.nextInt(100_000_000) : random.nextLong());
            }
            case "blob" -> {
                byte[] bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                return nodes.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            default -> {
                return nodes.nullNode();
            }
        }
    }

    /** A string for a member: a pool value for known names, an enum value, or a word. */
    String string(JsonNode shape, String member) {
        List<String> pool = pools.get(member);
        if (pool != null && chance(0.8)) {
            return pick(pool);
        }
        JsonNode values = shape == null ? null : shape.get("enum");
        if (values != null && values.isArray() && chance(0.85)) {
            return values.get(random.nextInt(values.size())).asText();
        }
        if (chance(0.15)) {
            return pick(ODD_STRINGS);
        }
        return word();
    }

    String word() {
        StringBuilder word = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        if (chance(0.2)) {
            word.append(random.nextInt(100));
        }
        return word.toString();
    }

    /** Replaces a member somewhere in the value with a hostile one. */
    private JsonNode mutate(JsonNode value, int depth) {
        if (value.isContainerNode() && value.size() > 0 && depth < 6 && chance(0.7)) {
            if (value.isObject()) {
                ObjectNode object = (ObjectNode) value;
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = pick(names);
                object.set(name, mutate(object.get(name), depth + 1));
            } else {
                ArrayNode array = (ArrayNode) value;
                int index = random.nextInt(array.size());
                array.set(index, mutate(array.get(index), depth + 1));
            }
            return value;
        }
        return hostile();
    }

    private JsonNode hostile() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (random.nextInt(8)) {
            case 0, 1 -> {
                raw.add(pick(RAW_NUMBERS));
                return nodes.textNode("__raw_" + (raw.size() - 1) + "__");
            }
            case 2 -> {
                return nodes.textNode(pick(ODD_STRINGS));
            }
            case 3 -> {
                return random.nextBoolean() ? nodes.arrayNode().add(nodes.objectNode()) : nodes.objectNode().put("Unexpected", 1);
            }
            case 4 -> {
                return random.nextBoolean() ? nodes.booleanNode(true) : nodes.nullNode();
            }
            case 5 -> {
                ArrayNode deep = nodes.arrayNode();
                ArrayNode current = deep;
                for (int i = 0; i < 200; i++) {
                    current = current.addArray();
                }
                return deep;
            }
            case 6 -> {
                ArrayNode many = nodes.arrayNode();
                for (int i = 0; i < 2000; i++) {
                    many.add(word());
                }
                return many;
            }
            default -> {
                return nodes.numberNode(random.nextInt());
            }
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
