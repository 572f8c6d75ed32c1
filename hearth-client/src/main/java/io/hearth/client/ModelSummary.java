package io.hearth.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A model in the registry. {@code card} (the model card: spec, data fingerprint, metrics,
 * timings, Spark version) and {@code registry} (what a sweep noted: rank, best) come with a
 * single model only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSummary(String modelId, String name, String modelType, String task, String label, String createdAt,
        Map<String, Double> testMetrics, String sweepId, boolean best, JsonNode card, JsonNode registry) {}
