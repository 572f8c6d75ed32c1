package io.hearth.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** A sweep's tasks best first by {@code metric} ({@code split.name}); tasks that did not succeed come last, unranked. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Leaderboard(String sweepId, String metric, boolean higherIsBetter, List<Entry> entries) {

    public Leaderboard {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** One task's line; {@code best} marks the best model of its label (the one marked in the registry). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(Integer rank, String taskId, String description, String label, String model, String state, int attempt, Double value,
            String measuredOn, Map<String, Double> validation, Map<String, Double> test, Double durationSeconds, String modelId,
            String applicationId, String logLocation, String reason, boolean best) {}

    /** The best entry of each label, in rank order. */
    public List<Entry> best() {
        return entries.stream().filter(Entry::best).toList();
    }
}
