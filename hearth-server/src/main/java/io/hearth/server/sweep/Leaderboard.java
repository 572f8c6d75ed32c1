package io.hearth.server.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's tasks ranked by a metric: succeeded tasks best first, then the others in plan order.
 * The best task of each label (a sweep of one label has one) is marked; in a multi-label sweep
 * every label has its own best model.
 *
 * <p>Ties on the metric (common: many models reach a validation AUC of 1.0 on easy data) are
 * broken, in turn, by {@linkplain #tieBreak a second metric on the same rows} (log-loss for
 * classifiers, or accuracy when ranking by log-loss; MAE for regressors, or RMSE when ranking by
 * MAE), a task without it after those with it; then by fewer features (the length of the task's
 * {@code features.columns}; a spec that lists none uses every column and comes after those that
 * do); then by plan order. The test rows never break a tie on validation rows, so the test
 * metrics of the chosen model stay an unbiased estimate.
 *
 * @param metric what the entries are ranked by, as {@code split.name}, or null while no task has metrics
 */
public record Leaderboard(String sweepId, String metric, boolean higherIsBetter, List<Entry> entries) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One task's line.
     *
     * @param rank 1 for the best; null for a task without metrics (not succeeded)
     * @param value the ranking metric on the rows named by {@code measuredOn}
     * @param validation the scalar validation metrics (empty without validation rows)
     * @param test the scalar test metrics
     */
    public record Entry(Integer rank, String taskId, String description, String label, String model, TaskState state, int attempt,
            Double value, String measuredOn, Map<String, Object> validation, Map<String, Object> test, Double durationSeconds,
            String modelId, String applicationId, String logLocation, String reason, boolean best) {}

    /** Ranks by {@code metricOverride} when given, else by the sweep's metric, else by the default for its task kind. */
    public static Leaderboard of(Sweep sweep, List<SweepTask> tasks, String metricOverride) {
        String chosen = metricOverride != null ? metricOverride : sweep.metric();
        RankingMetric metric = chosen == null ? null : RankingMetric.parse(chosen, metricOverride != null ? "metric" : "the sweep's metric");
        List<Scored> scored = new ArrayList<>();
        for (SweepTask task : tasks) {
            Map<String, Map<String, Object>> metrics = parseMetrics(task.metrics());
            if (metric == null && !metrics.isEmpty()) {
                metric = RankingMetric.defaultFor(metrics.getOrDefault("test", Map.of()));
            }
            scored.add(new Scored(task, metrics));
        }
        RankingMetric ranking = metric;
        List<Ranked> ranked = new ArrayList<>();
        List<Entry> unranked = new ArrayList<>();
        for (Scored task : scored) {
            Entry entry = task.entry(ranking);
            if (entry.value() == null) {
                unranked.add(entry);
            } else {
                RankingMetric second = tieBreak(ranking);
                Object secondValue = ("validation".equals(entry.measuredOn()) ? entry.validation() : entry.test()).get(second.name());
                ranked.add(new Ranked(entry, secondValue instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : null,
                        task.featureColumns(), task.task().position()));
            }
        }
        if (ranking != null) {
            // Without a metric (no task succeeded) nothing is ranked.
            ranked.sort(order(ranking));
        }
        List<Entry> entries = new ArrayList<>(ranked.size() + unranked.size());
        Set<String> labelsWithBest = new HashSet<>();
        for (int i = 0; i < ranked.size(); i++) {
            Entry entry = ranked.get(i).entry();
            boolean best = labelsWithBest.add(String.valueOf(entry.label()));
            entries.add(new Entry(i + 1, entry.taskId(), entry.description(), entry.label(), entry.model(), entry.state(), entry.attempt(),
                    entry.value(), entry.measuredOn(), entry.validation(), entry.test(), entry.durationSeconds(), entry.modelId(),
                    entry.applicationId(), entry.logLocation(), entry.reason(), best));
        }
        entries.addAll(unranked);
        return new Leaderboard(sweep.sweepId(), ranking == null ? null : ranking.toString(), ranking == null || ranking.higherIsBetter(), List.copyOf(entries));
    }

    /** The metric that breaks ties on {@code ranking}, measured on the same rows. */
    static RankingMetric tieBreak(RankingMetric ranking) {
        String name = switch (ranking.name()) {
            case "log_loss" -> "accuracy";
            case "rmse", "r2" -> "mae";
            case "mae" -> "rmse";
            default -> "log_loss";
        };
        return new RankingMetric(ranking.split(), name);
    }

    /** Best first by the metric, then by the tie-break metric, then fewer features, then plan order. */
    private static Comparator<Ranked> order(RankingMetric ranking) {
        Comparator<Double> first = ranking.higherIsBetter() ? Comparator.reverseOrder() : Comparator.naturalOrder();
        Comparator<Double> second = tieBreak(ranking).higherIsBetter() ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.comparing((Ranked r) -> r.entry().value(), first)
                .thenComparing(Ranked::tieBreak, Comparator.nullsLast(second))
                .thenComparing(Ranked::features, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingInt(Ranked::position);
    }

    /** A ranked entry with what breaks its ties. */
    private record Ranked(Entry entry, Double tieBreak, Integer features, int position) {}

    /** The entries marked best, one per label. */
    public List<Entry> best() {
        return entries.stream().filter(Entry::best).toList();
    }

    private record Scored(SweepTask task, Map<String, Map<String, Object>> metrics) {
        JsonNode spec() {
            return readSpec(task.spec());
        }

        /** How many feature columns the task's spec lists; null when it lists none (every column is a feature). */
        Integer featureColumns() {
            JsonNode columns = spec().path("features").path("columns");
            return columns.isArray() ? columns.size() : null;
        }

        Entry entry(RankingMetric ranking) {
            Map<String, Object> validation = metrics.getOrDefault("validation", Map.of());
            Map<String, Object> test = metrics.getOrDefault("test", Map.of());
            Double value = null;
            String measuredOn = null;
            if (ranking != null && task.state() == TaskState.SUCCEEDED) {
                measuredOn = ranking.split() != null ? ranking.split() : validation.containsKey(ranking.name()) ? "validation" : "test";
                Object number = ("validation".equals(measuredOn) ? validation : test).get(ranking.name());
                value = number instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : null;
                measuredOn = value == null ? null : measuredOn;
            }
            Double duration = task.startedAt() == null || task.endedAt() == null ? null
                    : Duration.between(task.startedAt(), task.endedAt()).toMillis() / 1000.0;
            JsonNode spec = spec();
            return new Entry(null, task.taskId(), task.description(), spec.path("label").path("column").asText(null),
                    spec.path("model").path("type").asText(null), task.state(), task.attempt(), value, measuredOn, validation, test, duration,
                    task.modelId(), task.applicationId(), task.logLocation(), task.reason(), false);
        }
    }

    /** The scalar metrics per split of a task's metrics JSON (the confusion matrix stays in the registry). */
    private static Map<String, Map<String, Object>> parseMetrics(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Map<String, Object>> all = MAPPER.readValue(json, new TypeReference<Map<String, Map<String, Object>>>() {});
            Map<String, Map<String, Object>> scalars = new LinkedHashMap<>();
            all.forEach((split, values) -> {
                Map<String, Object> kept = new LinkedHashMap<>();
                values.forEach((name, value) -> {
                    if (value instanceof Number) {
                        kept.put(name, value);
                    }
                });
                scalars.put(split, kept);
            });
            return scalars;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static JsonNode readSpec(String spec) {
        try {
            return MAPPER.readTree(spec);
        } catch (JsonProcessingException e) {
            return MAPPER.createObjectNode();
        }
    }
}
