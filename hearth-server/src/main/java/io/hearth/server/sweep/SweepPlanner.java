package io.hearth.server.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Turns a sweep spec into its tasks, each a complete training spec: checks the sweep's own fields
 * (each mistake names its field) and expands the grid, the random search, the labels or the
 * feature sizes. The training specs themselves are checked by the training job, so a task with a
 * bad parameter fails alone, with its reason, while the others run.
 */
public final class SweepPlanner {
    /** The most tasks one sweep may have. */
    public static final int MAX_TASKS = 10_000;
    public static final int MAX_PARALLEL = 256;

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private SweepPlanner() {}

    /** A task of the plan: its id, what varies in it, and its training spec. */
    /**
     * @param rankedTop for feature reduction with a computed ranking: how many of the top-ranked
     *     features the task uses, filled in once the ranking task (the first) has succeeded; else null
     */
    public record PlannedTask(String taskId, String description, ObjectNode spec, Integer rankedTop) {
        public PlannedTask(String taskId, String description, ObjectNode spec) {
            this(taskId, description, spec, null);
        }
    }

    /** Model types whose fitted models have feature importances, so they can rank features. */
    static final List<String> RANKING_MODELS = List.of("decision_tree", "random_forest", "gbt", "decision_tree_regressor", "random_forest_regressor",
            "gbt_regressor");

    /** A checked sweep: how to run it and its tasks. */
    public record Plan(String name, Isolation isolation, int maxParallel, boolean stopOnFailure, String metric, List<PlannedTask> tasks) {}

    public enum Isolation {
        PROCESS, SHARED
    }

    public static SweepSpec parse(String json) {
        try {
            SweepSpec spec = MAPPER.readValue(json, SweepSpec.class);
            if (spec == null) {
                throw HearthException.invalidArgument("The sweep spec is empty");
            }
            return spec;
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            throw HearthException.invalidArgument("%s: unknown field; the fields here are %s", path(e), String.join(", ", known));
        } catch (JsonMappingException e) {
            throw HearthException.invalidArgument("%s: %s", path(e), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw HearthException.invalidArgument("The sweep spec is not valid JSON: %s", e.getOriginalMessage());
        }
    }

    public static Plan plan(SweepSpec spec) {
        if (spec.base() == null) {
            throw HearthException.invalidArgument("base: is required, the training spec every task starts from");
        }
        Isolation isolation = choice(spec.isolation(), "isolation", Isolation.PROCESS);
        int maxParallel = spec.maxParallel() == null ? 2 : spec.maxParallel();
        if (maxParallel < 1 || maxParallel > MAX_PARALLEL) {
            throw HearthException.invalidArgument("maxParallel: must be between 1 and %d, not %d", MAX_PARALLEL, maxParallel);
        }
        String onFailure = spec.onFailure() == null ? "continue" : spec.onFailure().toLowerCase(Locale.ROOT);
        if (!onFailure.equals("continue") && !onFailure.equals("stop")) {
            throw HearthException.invalidArgument("onFailure: must be continue or stop, not '%s'", spec.onFailure());
        }
        int ways = (spec.grid() != null ? 1 : 0) + (spec.random() != null ? 1 : 0) + (spec.labels() != null ? 1 : 0) + (spec.featureReduction() != null ? 1 : 0)
                + (spec.variants() != null ? 1 : 0);
        if (ways > 1) {
            throw HearthException.invalidArgument("A sweep varies its base one way: give one of grid, random, labels, featureReduction or variants (%s given)", ways);
        }
        List<Variation> variations;
        if (ways == 0) {
            // A single training job: the base as written, tracked like any sweep task.
            if (!spec.base().path("model").path("type").isTextual()) {
                throw HearthException.invalidArgument("base.model.type: is required; without grid, random, labels, featureReduction or "
                        + "variants the base spec runs as one training task");
            }
            variations = List.of(new Variation("the base spec", base -> {}));
        } else if (spec.grid() != null) {
            variations = grid(spec.grid());
        } else if (spec.random() != null) {
            variations = random(spec.random());
        } else if (spec.variants() != null) {
            variations = variants(spec.variants());
        } else if (spec.labels() != null) {
            requireModel(spec.base(), "labels");
            variations = labels(spec.labels(), spec.base());
        } else {
            requireModel(spec.base(), "featureReduction");
            variations = featureSizes(spec.featureReduction(), spec.base());
        }
        List<PlannedTask> tasks = new ArrayList<>(variations.size());
        int width = Math.max(3, Integer.toString(variations.size()).length());
        for (int i = 0; i < variations.size(); i++) {
            ObjectNode taskSpec = spec.base().deepCopy();
            variations.get(i).apply(taskSpec);
            tasks.add(new PlannedTask(String.format(Locale.ROOT, "t-%0" + width + "d", i + 1), variations.get(i).description(), taskSpec,
                    variations.get(i).rankedTop()));
        }
        String metric = spec.metric() == null ? null : RankingMetric.parse(spec.metric(), "metric").toString();
        return new Plan(spec.name(), isolation, maxParallel, onFailure.equals("stop"), metric, List.copyOf(tasks));
    }

    /** One task's change to the base spec. */
    private record Variation(String description, java.util.function.Consumer<ObjectNode> change, Integer rankedTop) {
        Variation(String description, java.util.function.Consumer<ObjectNode> change) {
            this(description, change, null);
        }

        void apply(ObjectNode spec) {
            change.accept(spec);
        }
    }

    private static List<Variation> grid(List<SweepSpec.GridEntry> entries) {
        if (entries.isEmpty()) {
            throw HearthException.invalidArgument("grid: must have at least one entry");
        }
        List<Variation> variations = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            SweepSpec.GridEntry entry = entries.get(e);
            String field = "grid[" + e + "]";
            String model = requireText(entry.model(), field + ".model");
            List<Map<String, JsonNode>> combinations = new ArrayList<>();
            combinations.add(new LinkedHashMap<>());
            for (Map.Entry<String, JsonNode> param : (entry.params() == null ? Map.<String, JsonNode>of() : entry.params()).entrySet()) {
                List<JsonNode> values = values(param.getValue(), field + ".params." + param.getKey());
                List<Map<String, JsonNode>> next = new ArrayList<>();
                for (Map<String, JsonNode> combination : combinations) {
                    for (JsonNode value : values) {
                        Map<String, JsonNode> extended = new LinkedHashMap<>(combination);
                        extended.put(param.getKey(), value);
                        next.add(extended);
                    }
                }
                combinations = next;
                if (variations.size() + combinations.size() > MAX_TASKS) {
                    throw HearthException.invalidArgument("grid: makes more than %d tasks", MAX_TASKS);
                }
            }
            for (Map<String, JsonNode> combination : combinations) {
                variations.add(modelVariation(model, combination));
            }
        }
        return variations;
    }

    private static List<Variation> random(SweepSpec.RandomSearch search) {
        int samples = search.samples() == null ? 10 : search.samples();
        if (samples < 1 || samples > MAX_TASKS) {
            throw HearthException.invalidArgument("random.samples: must be between 1 and %d, not %d", MAX_TASKS, samples);
        }
        if (search.models() == null || search.models().isEmpty()) {
            throw HearthException.invalidArgument("random.models: must list at least one model");
        }
        for (int m = 0; m < search.models().size(); m++) {
            SweepSpec.RandomModel model = search.models().get(m);
            requireText(model.model(), "random.models[" + m + "].model");
            (model.params() == null ? Map.<String, JsonNode>of() : model.params()).forEach((name, range) ->
                    ParameterRange.check(range, "random.models[" + search.models().indexOf(model) + "].params." + name));
        }
        Random draw = new Random(search.seed() == null ? 42L : search.seed());
        List<Variation> variations = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            SweepSpec.RandomModel model = search.models().get(draw.nextInt(search.models().size()));
            Map<String, JsonNode> params = new LinkedHashMap<>();
            (model.params() == null ? Map.<String, JsonNode>of() : model.params()).forEach((name, range) -> params.put(name, ParameterRange.sample(range, draw)));
            variations.add(modelVariation(model.model(), params));
        }
        return variations;
    }

    private static List<Variation> labels(List<String> labels, ObjectNode base) {
        if (labels.isEmpty()) {
            throw HearthException.invalidArgument("labels: must list at least one label column");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = requireText(labels.get(i), "labels[" + i + "]");
            if (!unique.add(label)) {
                throw HearthException.invalidArgument("labels: names '%s' twice", label);
            }
        }
        List<Variation> variations = new ArrayList<>();
        for (String label : unique) {
            variations.add(new Variation("label " + label, spec -> {
                ObjectNode labelNode = spec.has("label") && spec.get("label").isObject() ? (ObjectNode) spec.get("label") : spec.putObject("label");
                labelNode.put("column", label);
                Set<String> drops = new LinkedHashSet<>();
                if (spec.has("dropColumns") && spec.get("dropColumns").isArray()) {
                    spec.get("dropColumns").forEach(node -> drops.add(node.asText()));
                }
                unique.stream().filter(other -> !other.equals(label)).forEach(drops::add);
                ArrayNode array = spec.putArray("dropColumns");
                drops.forEach(array::add);
                // Stratified by its own label, each task would test on other rows; the models are combined on the same ones.
                ObjectNode split = spec.get("split") instanceof ObjectNode given ? given : spec.putObject("split");
                if (!split.has("stratify")) {
                    split.put("stratify", false);
                }
            }));
        }
        return variations;
    }

    private static List<Variation> featureSizes(SweepSpec.FeatureReduction reduction, ObjectNode base) {
        List<String> ranking = reduction.ranking();
        if (reduction.sizes() == null || reduction.sizes().isEmpty()) {
            throw HearthException.invalidArgument("featureReduction.sizes: must list at least one number of features");
        }
        if (ranking != null && reduction.rankWith() != null) {
            throw HearthException.invalidArgument("featureReduction.rankWith: give either a ranking or a model to compute one, not both");
        }
        if (ranking != null && ranking.isEmpty()) {
            throw HearthException.invalidArgument("featureReduction.ranking: must list the feature columns, best first (or leave it out to compute one)");
        }
        if (ranking != null && new LinkedHashSet<>(ranking).size() != ranking.size()) {
            throw HearthException.invalidArgument("featureReduction.ranking: names a column twice");
        }
        List<Variation> variations = new ArrayList<>();
        if (ranking == null) {
            variations.add(rankingTask(reduction.rankWith(), base));
        }
        for (int i = 0; i < reduction.sizes().size(); i++) {
            Integer size = reduction.sizes().get(i);
            int most = ranking == null ? 100_000 : ranking.size();
            if (size == null || size < 1 || size > most) {
                throw HearthException.invalidArgument("featureReduction.sizes[%d]: must be between 1 and %d%s, not %s", i, most,
                        ranking == null ? "" : " (the ranking's length)", size);
            }
            if (ranking == null) {
                // The columns come from the ranking task's model card once it has run.
                variations.add(new Variation("top " + size + " features", spec -> {}, size));
            } else {
                List<String> columns = ranking.subList(0, size);
                variations.add(new Variation("top " + size + " features", spec -> useFeatures(spec, columns)));
            }
        }
        return variations;
    }

    /** The first task of a feature reduction without a given ranking: the base's features, fitted by a model with feature importances. */
    private static Variation rankingTask(SweepSpec.RankWith rankWith, ObjectNode base) {
        boolean regression = "regression".equalsIgnoreCase(base.path("label").path("task").asText(""));
        String model = rankWith == null || rankWith.model() == null ? (regression ? "random_forest_regressor" : "random_forest") : rankWith.model();
        if (!RANKING_MODELS.contains(model)) {
            throw HearthException.invalidArgument("featureReduction.rankWith.model: '%s' has no feature importances; use one of %s", model,
                    String.join(", ", RANKING_MODELS));
        }
        Map<String, JsonNode> params = rankWith == null || rankWith.params() == null
                ? (model.startsWith("random_forest") ? Map.of("numTrees", JsonNodeFactory.instance.numberNode(50)) : Map.of())
                : rankWith.params();
        return new Variation("rank features with " + model, spec -> {
            ObjectNode modelNode = spec.putObject("model");
            modelNode.put("type", model);
            ObjectNode paramsNode = modelNode.putObject("params");
            params.forEach(paramsNode::set);
        });
    }

    /** Sets the task's feature columns. */
    public static void useFeatures(ObjectNode spec, List<String> columns) {
        ObjectNode features = spec.has("features") && spec.get("features").isObject() ? (ObjectNode) spec.get("features") : spec.putObject("features");
        ArrayNode array = features.putArray("columns");
        columns.forEach(array::add);
    }

    private static List<Variation> variants(List<ObjectNode> variants) {
        if (variants.isEmpty() || variants.size() > MAX_TASKS) {
            throw HearthException.invalidArgument("variants: must list between 1 and %d objects, not %d", MAX_TASKS, variants.size());
        }
        List<Variation> variations = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            ObjectNode variant = variants.get(i);
            if (variant == null) {
                throw HearthException.invalidArgument("variants[%d]: must be an object, the fields this task changes in the base", i);
            }
            String text = variant.toString();
            String description = "variant " + (i + 1) + ": " + (text.length() > 120 ? text.substring(0, 117) + "..." : text);
            variations.add(new Variation(description, spec -> {
                forgetOtherModelsParams(spec, variant.path("model").path("type").asText(null));
                merge(spec, variant);
            }));
        }
        return variations;
    }

    /** A task of another model type than the base's starts from that type's parameters, not the base's, which were meant for the base's model. */
    private static void forgetOtherModelsParams(ObjectNode spec, String modelType) {
        if (modelType != null && spec.get("model") instanceof ObjectNode model && !modelType.equals(model.path("type").asText(null))) {
            model.remove("params");
        }
    }

    /** Merges {@code change} into {@code spec}: objects field by field, any other value replaces the old one. */
    private static void merge(ObjectNode spec, ObjectNode change) {
        change.fields().forEachRemaining(field -> {
            JsonNode old = spec.get(field.getKey());
            if (old instanceof ObjectNode oldObject && field.getValue() instanceof ObjectNode newObject) {
                merge(oldObject, newObject);
            } else {
                spec.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    /** A task with this model type and these parameters over the base's own. */
    private static Variation modelVariation(String model, Map<String, JsonNode> params) {
        StringBuilder description = new StringBuilder(model);
        params.forEach((name, value) -> description.append(' ').append(name).append('=').append(value));
        return new Variation(description.toString(), spec -> {
            forgetOtherModelsParams(spec, model);
            ObjectNode modelNode = spec.has("model") && spec.get("model").isObject() ? (ObjectNode) spec.get("model") : spec.putObject("model");
            modelNode.put("type", model);
            ObjectNode paramsNode = modelNode.has("params") && modelNode.get("params").isObject() ? (ObjectNode) modelNode.get("params") : modelNode.putObject("params");
            params.forEach(paramsNode::set);
        });
    }

    private static List<JsonNode> values(JsonNode node, String field) {
        if (!node.isArray()) {
            return List.of(node);
        }
        if (node.isEmpty()) {
            throw HearthException.invalidArgument("%s: must list at least one value", field);
        }
        List<JsonNode> values = new ArrayList<>();
        node.forEach(values::add);
        return values;
    }

    private static void requireModel(ObjectNode base, String way) {
        if (!base.path("model").path("type").isTextual()) {
            throw HearthException.invalidArgument("base.model.type: is required when the sweep varies %s", way);
        }
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw HearthException.invalidArgument("%s: must not be empty", field);
        }
        return value;
    }

    private static <E extends Enum<E>> E choice(String value, String field, E fallback) {
        if (value == null) {
            return fallback;
        }
        for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw HearthException.invalidArgument("%s: must be one of %s, not '%s'", field,
                String.join(", ", java.util.Arrays.stream(fallback.getDeclaringClass().getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()), value);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() > 0 ? "." : "").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(top level)" : path.toString();
    }
}
