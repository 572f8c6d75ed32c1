package io.hearth.server.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a request body against its input shape in the service model: required members, JSON
 * types, enum values, lengths, ranges and patterns. Failures are reported the way AWS services
 * word them ("1 validation error detected: Value null at 'name' failed to satisfy constraint:
 * Member must not be null"), naming every bad member by its path.
 */
public final class ShapeValidator {
    private static final Pattern UNUSABLE = Pattern.compile("(?!)");

    private final ServiceModel model;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public ShapeValidator(ServiceModel model) {
        this.model = requireNonNull(model, "model is null");
    }

    /** Throws CONSTRAINT_VIOLATION (ValidationException) listing every problem of {@code value} against {@code shapeName}. */
    public void validate(String shapeName, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(shapeName, value, "", errors);
        if (!errors.isEmpty()) {
            String count = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
            throw new HearthException(ErrorCode.CONSTRAINT_VIOLATION, count + String.join("; ", errors));
        }
    }

    private void check(String shapeName, JsonNode value, String path, List<String> errors) {
        JsonNode shape = model.shape(shapeName);
        String type = shape.path("type").asText();
        switch (type) {
            case "structure" -> checkStructure(shape, value, path, errors);
            case "list" -> checkList(shape, value, path, errors);
            case "map" -> checkMap(shape, value, path, errors);
            case "string" -> checkString(shape, value, path, errors);
            case "integer", "long" -> checkIntegral(shape, value, path, errors);
            case "double", "float" -> checkNumber(shape, value, path, errors);
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(typeError(value, path, "a boolean"));
                }
            }
            case "timestamp" -> {
                if (!value.isNumber() || !isFinite(value)) {
                    errors.add(typeError(value, path, "a timestamp in epoch seconds"));
                }
            }
            case "blob" -> {
                if (!value.isTextual()) {
                    errors.add(typeError(value, path, "a base64-encoded string"));
                }
            }
            default -> {
                // Shapes of other kinds (documents, unions) are passed through unchecked.
            }
        }
    }

    private void checkStructure(JsonNode shape, JsonNode value, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(typeError(value, path, "a structure (JSON object)"));
            return;
        }
        for (JsonNode required : shape.path("required")) {
            JsonNode member = value.get(required.asText());
            if (member == null || member.isNull()) {
                errors.add("Value null at '" + join(path, required.asText()) + "' failed to satisfy constraint: Member must not be null");
            }
        }
        JsonNode members = shape.path("members");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode member = members.get(field.getKey());
            if (member == null || field.getValue().isNull()) {
                continue; // unknown members are ignored, as AWS services do
            }
            check(member.path("shape").asText(), field.getValue(), join(path, field.getKey()), errors);
        }
    }

    private void checkList(JsonNode shape, JsonNode value, String path, List<String> errors) {
        if (!value.isArray()) {
            errors.add(typeError(value, path, "a list (JSON array)"));
            return;
        }
        checkLength(shape, value.size(), path, errors, value.size() + " members");
        String memberShape = shape.path("member").path("shape").asText();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = path + "." + (i + 1) + ".member";
            if (element.isNull()) {
                errors.add("Value null at '" + elementPath + "' failed to satisfy constraint: Member must not be null");
            } else {
                check(memberShape, element, elementPath, errors);
            }
        }
    }

    private void checkMap(JsonNode shape, JsonNode value, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(typeError(value, path, "a map (JSON object)"));
            return;
        }
        checkLength(shape, value.size(), path, errors, value.size() + " entries");
        String keyShape = shape.path("key").path("shape").asText();
        String valueShape = shape.path("value").path("shape").asText();
        for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String entryPath = path + "." + entry.getKey();
            check(keyShape, TextNode.valueOf(entry.getKey()), entryPath + "(key)", errors);
            if (entry.getValue().isNull()) {
                errors.add("Value null at '" + entryPath + "' failed to satisfy constraint: Member must not be null");
            } else {
                check(valueShape, entry.getValue(), entryPath, errors);
            }
        }
    }

    private void checkString(JsonNode shape, JsonNode value, String path, List<String> errors) {
        if (!value.isTextual()) {
            errors.add(typeError(value, path, "a string"));
            return;
        }
        String text = value.asText();
        JsonNode allowed = shape.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            List<String> values = new ArrayList<>();
            for (JsonNode option : allowed) {
                values.add(option.asText());
                found |= option.asText().equals(text);
            }
            if (!found) {
                errors.add("Value '" + abbreviate(text) + "' at '" + path
                        + "' failed to satisfy constraint: Member must satisfy enum value set: " + values);
                return;
            }
        }
        int length = text.codePointCount(0, text.length());
        if (!checkLength(shape, length, path, errors, "'" + abbreviate(text) + "'")) {
            return;
        }
        JsonNode regex = shape.get("pattern");
        if (regex != null) {
            Pattern pattern = patterns.computeIfAbsent(regex.asText(), ShapeValidator::compileOrUnusable);
            if (pattern != UNUSABLE && !pattern.matcher(text).matches()) {
                errors.add("Value '" + abbreviate(text) + "' at '" + path
                        + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + regex.asText());
            }
        }
    }

    private void checkIntegral(JsonNode shape, JsonNode value, String path, List<String> errors) {
        if (!value.isNumber()) {
            errors.add(typeError(value, path, "an integer"));
            return;
        }
        if (!isFinite(value)) {
            // A number beyond the range of a double (1e999) is parsed as an infinity: too large for any integer.
            errors.add("Value '" + value.asText() + "' at '" + path + "' failed to satisfy constraint: Member must be a "
                    + (shape.path("type").asText().equals("integer") ? "32" : "64") + "-bit integer");
            return;
        }
        if (!value.isIntegralNumber() && value.decimalValue().stripTrailingZeros().scale() > 0) {
            errors.add(typeError(value, path, "an integer"));
            return;
        }
        if (!value.canConvertToLong()) {
            errors.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must be a 64-bit integer");
            return;
        }
        if (shape.path("type").asText().equals("integer") && !value.canConvertToInt()) {
            errors.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must be a 32-bit integer");
            return;
        }
        checkRange(shape, value.asDouble(), value.toString(), path, errors);
    }

    private void checkNumber(JsonNode shape, JsonNode value, String path, List<String> errors) {
        if (!value.isNumber()) {
            errors.add(typeError(value, path, "a number"));
            return;
        }
        if (!isFinite(value)) {
            errors.add("Value '" + value.asText() + "' at '" + path + "' failed to satisfy constraint: Member must be a finite number");
            return;
        }
        checkRange(shape, value.asDouble(), value.toString(), path, errors);
    }

    /** False for the infinities (and NaN) a floating-point literal outside the range of a double parses to. */
    private static boolean isFinite(JsonNode number) {
        return !number.isFloatingPointNumber() || number.isBigDecimal() || Double.isFinite(number.doubleValue());
    }

    private static void checkRange(JsonNode shape, double number, String text, String path, List<String> errors) {
        if (shape.has("min") && number < shape.get("min").asDouble()) {
            errors.add("Value '" + text + "' at '" + path + "' failed to satisfy constraint: Member must have value greater than or equal to "
                    + shape.get("min").asText());
        }
        if (shape.has("max") && number > shape.get("max").asDouble()) {
            errors.add("Value '" + text + "' at '" + path + "' failed to satisfy constraint: Member must have value less than or equal to "
                    + shape.get("max").asText());
        }
    }

    private static boolean checkLength(JsonNode shape, int length, String path, List<String> errors, String shown) {
        if (shape.has("min") && length < shape.get("min").asInt()) {
            errors.add("Value " + shown + " at '" + path + "' failed to satisfy constraint: Member must have length greater than or equal to "
                    + shape.get("min").asInt());
            return false;
        }
        if (shape.has("max") && length > shape.get("max").asInt()) {
            errors.add("Value " + shown + " at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to "
                    + shape.get("max").asInt());
            return false;
        }
        return true;
    }

    private static String typeError(JsonNode value, String path, String expected) {
        String shown = value.isContainerNode() ? (value.isArray() ? "a list" : "an object")
                : abbreviate(value.isNumber() ? value.asText() : value.toString());
        return "Value " + shown + " at '" + path + "' failed to satisfy constraint: Member must be " + expected;
    }

    private static Pattern compileOrUnusable(String regex) {
        try {
            return Pattern.compile(regex, Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            return UNUSABLE;
        }
    }

    private static String join(String path, String member) {
        String name = Character.toLowerCase(member.charAt(0)) + member.substring(1);
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
