package io.hearth.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hearth.server.HearthException;
import java.util.Random;

/**
 * A parameter's range in a random search: a list of values to pick from, or
 * {@code {"min": a, "max": b}} with optional {@code "log": true} (sampled on the logarithm, for
 * learning rates and regularization) and {@code "integer": true} (rounded).
 */
final class ParameterRange {
    private ParameterRange() {}

    /** Fails naming {@code field} unless {@code range} is a non-empty list or a well-formed range. */
    static void check(JsonNode range, String field) {
        if (range.isArray()) {
            if (range.isEmpty()) {
                throw HearthException.invalidArgument("%s: must list at least one value", field);
            }
            return;
        }
        if (!range.isObject() || !range.path("min").isNumber() || !range.path("max").isNumber()) {
            throw HearthException.invalidArgument("%s: must be a list of values or a range {\"min\": number, \"max\": number}", field);
        }
        double min = range.get("min").doubleValue();
        double max = range.get("max").doubleValue();
        if (min > max) {
            throw HearthException.invalidArgument("%s: min %s is above max %s", field, range.get("min"), range.get("max"));
        }
        if (range.path("log").asBoolean(false) && min <= 0) {
            throw HearthException.invalidArgument("%s: a log range needs min above 0, not %s", field, range.get("min"));
        }
    }

    /** One value drawn from {@code range}: a list entry, or a number uniform on the range (on its logarithm when {@code log}). */
    static JsonNode sample(JsonNode range, Random draw) {
        if (range.isArray()) {
            return range.get(draw.nextInt(range.size()));
        }
        double min = range.get("min").doubleValue();
        double max = range.get("max").doubleValue();
        double value = range.path("log").asBoolean(false)
                ? Math.exp(Math.log(min) + draw.nextDouble() * (Math.log(max) - Math.log(min)))
                : min + draw.nextDouble() * (max - min);
        if (range.path("integer").asBoolean(false)) {
            return JsonNodeFactory.instance.numberNode(Math.round(value));
        }
        return JsonNodeFactory.instance.numberNode(value);
    }
}
