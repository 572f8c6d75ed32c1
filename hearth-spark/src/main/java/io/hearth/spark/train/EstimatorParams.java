package io.hearth.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * Applies a spec's {@code model.params} to a Spark ML estimator by the parameters' own names,
 * types and validators, so every parameter Spark offers is available and a wrong one is reported
 * with the field, the expected type and Spark's description of the parameter.
 */
final class EstimatorParams {
    /** Columns and weights Hearth wires itself (the last four: LightGBM's, for columns Hearth's data does not have or does not write). */
    static final Set<String> SET_BY_HEARTH = Set.of("featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol",
            "weightCol", "varianceCol", "leafCol", "initScoreCol", "validationIndicatorCol", "leafPredictionCol", "featuresShapCol");

    private EstimatorParams() {}

    /** The estimator's parameters as a map to copy it with; every value is checked first. */
    static ParamMap toParamMap(Params estimator, Map<String, JsonNode> params, String modelName) {
        ParamMap map = new ParamMap();
        params.forEach((name, node) -> {
            String field = "model.params." + name;
            if (SET_BY_HEARTH.contains(name)) {
                throw new SpecException(field, "is set by Hearth, not by the spec");
            }
            if (!estimator.hasParam(name)) {
                throw new SpecException(field, "'" + modelName + "' has no parameter '" + name + "'; its parameters: " + String.join(", ", names(estimator)));
            }
            Param<Object> param = estimator.getParam(name);
            if (!settable(param)) {
                throw new SpecException(field, "cannot be set in a spec (it takes a " + param.getClass().getSimpleName() + ", not JSON)");
            }
            Object value = convert(param, node, field);
            if (!(Boolean) param.isValid().apply(value)) {
                throw new SpecException(field, show(node) + " is not a valid value (" + param.doc() + ")");
            }
            map.put(param, value);
        });
        return map;
    }

    static Set<String> names(Params estimator) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(estimator.params()).filter(EstimatorParams::settable).map(Param::name).filter(name -> !SET_BY_HEARTH.contains(name)).forEach(names::add);
        return names;
    }

    /**
     * Whether a spec value can become the parameter's: the typed params below, or a plain {@code Param},
     * which Spark ML and SynapseML use for strings. Other subclasses hold objects (SynapseML's custom
     * objective function, a serialized dataset).
     */
    private static boolean settable(Param<?> param) {
        return param.getClass() == Param.class || param instanceof IntParam || param instanceof LongParam || param instanceof DoubleParam
                || param instanceof FloatParam || param instanceof BooleanParam || param instanceof IntArrayParam
                || param instanceof DoubleArrayParam || param instanceof StringArrayParam;
    }

    private static Object convert(Param<?> param, JsonNode node, String field) {
        if (param instanceof IntParam) {
            return requireIntegral(node, field, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        }
        if (param instanceof LongParam) {
            return requireIntegral(node, field, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (param instanceof DoubleParam) {
            return requireNumber(node, field);
        }
        if (param instanceof FloatParam) {
            return (float) requireNumber(node, field);
        }
        if (param instanceof BooleanParam) {
            if (!node.isBoolean()) {
                throw new SpecException(field, "must be true or false, not " + show(node));
            }
            return node.booleanValue();
        }
        if (param instanceof IntArrayParam) {
            JsonNode array = requireArray(node, field);
            int[] values = new int[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = requireIntegral(array.get(i), field + "[" + i + "]", Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            }
            return values;
        }
        if (param instanceof DoubleArrayParam) {
            JsonNode array = requireArray(node, field);
            double[] values = new double[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = requireNumber(array.get(i), field + "[" + i + "]");
            }
            return values;
        }
        if (param instanceof StringArrayParam) {
            JsonNode array = requireArray(node, field);
            String[] values = new String[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = requireString(array.get(i), field + "[" + i + "]");
            }
            return values;
        }
        // Plain Param: the algorithms' other parameters are all strings (solver, family, impurity, ...).
        return requireString(node, field);
    }

    private static Long requireIntegral(JsonNode node, String field, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw new SpecException(field, "must be an integer, not " + show(node));
        }
        return node.longValue();
    }

    private static double requireNumber(JsonNode node, String field) {
        if (!node.isNumber()) {
            throw new SpecException(field, "must be a number, not " + show(node));
        }
        return node.doubleValue();
    }

    private static String requireString(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new SpecException(field, "must be a string, not " + show(node));
        }
        return node.textValue();
    }

    private static JsonNode requireArray(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new SpecException(field, "must be a list, not " + show(node));
        }
        return node;
    }

    private static String show(JsonNode node) {
        return node.toString();
    }
}
