package io.hearth.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One task of a sweep: its state (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED), what ran it,
 * why it failed, its metrics ({@code {"validation": {...}, "test": {...}}}) and its training spec.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskStatus(String taskId, String description, String state, int attempt, String modelId, String stepId, String applicationId,
        String logLocation, String reason, JsonNode metrics, String startedAt, String endedAt, Double durationSeconds, JsonNode spec) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(state);
    }

    /** A test metric by name ({@code auc_roc}, {@code accuracy}, {@code rmse}, ...), or null. */
    public Double testMetric(String name) {
        JsonNode value = metrics == null ? null : metrics.path("test").get(name);
        return value == null || !value.isNumber() ? null : value.asDouble();
    }
}
