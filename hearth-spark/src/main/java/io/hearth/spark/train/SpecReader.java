package io.hearth.spark.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a training spec from JSON and checks everything that does not need the data: unknown or
 * mistyped fields, missing ones, choices, fractions. Each problem is a {@link SpecException}
 * naming the field. Checks against the data (columns, label values) happen in {@link TrainingData}.
 */
public final class SpecReader {
    static final Set<String> IMPUTE_STRATEGIES = Set.of("mean", "median", "mode");
    static final Set<String> FILE_FORMATS = Set.of("csv", "parquet", "json", "orc");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final ObjectMapper YAML_MAPPER = com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private SpecReader() {}

    /** A spec from a file's text: YAML when the location ends in .yaml or .yml, JSON otherwise. */
    public static TrainingSpec read(String text, String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return read(text, lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML_MAPPER : MAPPER);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static TrainingSpec read(String json) {
        return read(json, MAPPER);
    }

    private static TrainingSpec read(String text, ObjectMapper mapper) {
        TrainingSpec spec;
        try {
            spec = mapper.readValue(text, TrainingSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ", "; the fields here are ", ""));
            throw new SpecException(path(e), "unknown field" + known);
        } catch (InvalidFormatException e) {
            Class<?> target = e.getTargetType();
            if (target != null && target.isEnum()) {
                String choices = Arrays.stream(target.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
                throw new SpecException(path(e), "must be one of " + choices + ", not '" + e.getValue() + "'");
            }
            throw new SpecException(path(e), "must be " + describe(target) + ", not '" + e.getValue() + "'");
        } catch (MismatchedInputException e) {
            throw new SpecException(path(e), "must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new SpecException(path(e), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new SpecException("spec", "not valid " + (mapper == MAPPER ? "JSON" : "YAML") + where + ": " + e.getOriginalMessage());
        }
        if (spec == null) {
            throw new SpecException("spec", "is empty");
        }
        check(spec);
        return spec;
    }

    private static void check(TrainingSpec spec) {
        checkInput(spec.input());
        for (int i = 0; i < spec.dropColumns().size(); i++) {
            requireText(spec.dropColumns().get(i), "dropColumns[" + i + "]");
        }
        spec.derivedColumns().forEach((name, expression) -> {
            requireText(name, "derivedColumns");
            requireText(expression, "derivedColumns." + name);
        });
        if (spec.label() == null) {
            throw new SpecException("label", "is required: {\"column\": \"<label column>\"}");
        }
        requireText(spec.label().column(), "label.column");
        checkFeatures(spec.features());
        if (!IMPUTE_STRATEGIES.contains(spec.preprocessing().strategy())) {
            throw new SpecException("preprocessing.imputeStrategy", "must be one of mean, median, mode, not '" + spec.preprocessing().strategy() + "'");
        }
        if (spec.model() == null) {
            throw new SpecException("model", "is required: {\"type\": \"" + ModelType.names().get(0) + "\", \"params\": {...}}");
        }
        requireText(spec.model().type(), "model.type");
        ModelType type = ModelType.named(spec.model().type());
        type.requireAvailable();
        Set<String> supported = type.tasks();
        if (spec.label().task() != null && !supported.contains(spec.label().task().name())) {
            throw new SpecException("model.type", "'" + type.specName() + "' does not do " + spec.label().task().name().toLowerCase(Locale.ROOT)
                    + " tasks (it does " + String.join(", ", supported).toLowerCase(Locale.ROOT) + ")");
        }
        checkSplit(spec.split());
        if (spec.label().task() == TrainingSpec.Task.REGRESSION) {
            // Checked here when the task is declared, and when the split is made for a detected one.
            DataSplit.stratifies(spec.split(), TrainingSpec.Task.REGRESSION);
        }
        checkOutput(spec.output());
        if (spec.label().task() == TrainingSpec.Task.REGRESSION && spec.balance() != TrainingSpec.Balance.NONE) {
            throw new SpecException("balance", "applies to classification; a regression takes none");
        }
    }

    private static void checkInput(TrainingSpec.Input input) {
        if (input == null) {
            throw new SpecException("input", "is required: {\"table\": \"db.table\"} or {\"path\": \"s3://bucket/folder/\", \"format\": \"csv\"}");
        }
        boolean table = input.table() != null;
        boolean path = input.path() != null;
        if (table == path) {
            throw new SpecException("input", "give either 'table' or 'path', not " + (table ? "both" : "neither"));
        }
        if (table) {
            requireText(input.table(), "input.table");
            if (input.format() != null || !input.options().isEmpty()) {
                throw new SpecException(input.format() != null ? "input.format" : "input.options", "applies to 'path' inputs only");
            }
            return;
        }
        requireText(input.path(), "input.path");
        String format = input.format() == null ? "parquet" : input.format();
        if (!FILE_FORMATS.contains(format)) {
            throw new SpecException("input.format", "must be one of csv, json, orc, parquet, not '" + format + "'");
        }
    }

    private static void checkFeatures(TrainingSpec.Features features) {
        for (List<String> names : Arrays.asList(features.columns(), features.categorical(), features.exclude())) {
            if (names == null) {
                continue;
            }
            String field = names == features.columns() ? "features.columns" : names == features.categorical() ? "features.categorical" : "features.exclude";
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                requireText(names.get(i), field + "[" + i + "]");
                if (!seen.add(names.get(i))) {
                    throw new SpecException(field, "names '" + names.get(i) + "' twice");
                }
            }
        }
        if (features.columns() != null && features.columns().isEmpty()) {
            throw new SpecException("features.columns", "must name at least one column (leave it out to use every column but the label)");
        }
        for (String excluded : features.exclude()) {
            if (features.columns() != null && features.columns().contains(excluded)) {
                throw new SpecException("features.exclude", "'" + excluded + "' is also in features.columns; a column is a feature or excluded, not both");
            }
            if (features.categorical() != null && features.categorical().contains(excluded)) {
                throw new SpecException("features.exclude", "'" + excluded + "' is also in features.categorical; an excluded column is no feature");
            }
        }
    }

    private static void checkSplit(TrainingSpec.Split split) {
        double train = split.trainFraction();
        double validation = split.validationFraction();
        double test = split.testFraction();
        checkFraction(train, "split.train", false);
        checkFraction(validation, "split.validation", true);
        checkFraction(test, "split.test", false);
        if (Math.abs(train + validation + test - 1.0) > 1e-6) {
            throw new SpecException("split", String.format(Locale.ROOT, "train + validation + test must be 1, not %s + %s + %s = %s",
                    train, validation, test, train + validation + test));
        }
    }

    private static void checkFraction(double value, String field, boolean zeroAllowed) {
        if (!(value >= 0 && value < 1) || !zeroAllowed && value == 0) {
            throw new SpecException(field, "must be a fraction " + (zeroAllowed ? "at least 0" : "above 0") + " and below 1, not " + value);
        }
    }

    private static void checkOutput(TrainingSpec.Output output) {
        if (output.path() != null) {
            requireText(output.path(), "output.path");
        }
        TrainingSpec.Predictions predictions = output.predictions();
        if (predictions == null) {
            return;
        }
        if ((predictions.path() == null) == (predictions.table() == null)) {
            throw new SpecException("output.predictions", "give either 'path' (Parquet) or 'table', not " + (predictions.path() == null ? "neither" : "both"));
        }
        String field = predictions.path() != null ? "output.predictions.path" : "output.predictions.table";
        String location = predictions.path() != null ? predictions.path() : predictions.table();
        requireText(location, field);
        java.util.regex.Matcher placeholder = java.util.regex.Pattern.compile("\\{[^{}]*}").matcher(location);
        while (placeholder.find()) {
            if (!TrainingSpec.Predictions.PLACEHOLDERS.contains(placeholder.group())) {
                throw new SpecException(field, "unknown placeholder '" + placeholder.group() + "' in '" + location + "'; the placeholders are "
                        + String.join(", ", TrainingSpec.Predictions.PLACEHOLDERS));
            }
        }
    }

    static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new SpecException(field, "must not be empty");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "spec" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }
}
