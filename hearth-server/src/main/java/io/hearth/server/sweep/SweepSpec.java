package io.hearth.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A sweep as its users write it: a base training spec plus one way of varying it (a grid, a random
 * search, one model per label, or feature reduction), and how to run the resulting tasks.
 *
 * @param base the training spec every task starts from (see docs/training.md)
 * @param grid every combination of each entry's parameter lists, entry by entry
 * @param random {@code samples} draws across the listed models and parameter ranges
 * @param labels one task per label column; the other label columns are dropped from its features
 * @param featureReduction one task per size N, with the first N columns of a ranking as features
 * @param variants one task per object, each merged into the base (objects field by field, anything else replaced)
 */
public record SweepSpec(
        String name,
        String isolation,
        Integer maxParallel,
        String onFailure,
        String metric,
        ObjectNode base,
        List<GridEntry> grid,
        RandomSearch random,
        List<String> labels,
        FeatureReduction featureReduction,
        List<ObjectNode> variants) {

    /** A model type and lists of values for its parameters; every combination is a task. */
    public record GridEntry(String model, Map<String, JsonNode> params) {}

    /** {@code samples} tasks, each a model picked at random with parameters drawn from their ranges or lists. */
    public record RandomSearch(Integer samples, Long seed, List<RandomModel> models) {}

    /** A parameter is a list of values to pick from, or a range {@code {"min": .., "max": .., "log": bool, "integer": bool}}. */
    public record RandomModel(String model, Map<String, JsonNode> params) {}

    /**
     * The sizes to try, and the feature columns ranked best first; without a ranking a first task
     * computes one from the feature importances of {@code rankWith} (default: a random forest).
     */
    public record FeatureReduction(List<String> ranking, List<Integer> sizes, RankWith rankWith) {}

    /** The model whose feature importances rank the features: a tree model type and its parameters. */
    public record RankWith(String model, Map<String, JsonNode> params) {}
}
