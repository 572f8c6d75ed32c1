package io.hearth.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.model.ModelRegistry.RegisteredModel;
import io.hearth.server.sweep.Leaderboard;
import io.hearth.server.sweep.Sweep;
import io.hearth.server.sweep.SweepTask;
import io.hearth.server.sweep.TaskState;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The REST API's JSON documents: sweeps, tasks, leaderboards and models, with times as ISO-8601 text. */
final class ApiDocuments {
    private final ObjectMapper mapper;

    ApiDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode sweep(Sweep sweep, List<SweepTask> tasks, boolean withTasks) {
        ObjectNode node = mapper.createObjectNode();
        node.put("sweepId", sweep.sweepId());
        node.put("name", sweep.name());
        node.put("clusterId", sweep.clusterId());
        node.put("isolation", sweep.isolation().name().toLowerCase(Locale.ROOT));
        node.put("maxParallel", sweep.maxParallel());
        node.put("onFailure", sweep.stopOnFailure() ? "stop" : "continue");
        node.put("metric", sweep.metric());
        node.put("state", sweep.state().name());
        node.put("stateMessage", sweep.stateMessage());
        node.put("createdAt", time(sweep.createdAt()));
        node.put("endedAt", time(sweep.endedAt()));
        Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
        for (TaskState state : TaskState.values()) {
            counts.put(state, 0);
        }
        tasks.forEach(task -> counts.merge(task.state(), 1, Integer::sum));
        ObjectNode taskCounts = node.putObject("taskCounts");
        counts.forEach((state, count) -> taskCounts.put(state.name(), count));
        taskCounts.put("total", tasks.size());
        if (withTasks) {
            ArrayNode array = node.putArray("tasks");
            tasks.forEach(task -> array.add(task(task)));
        }
        return node;
    }

    ObjectNode task(SweepTask task) {
        ObjectNode node = mapper.createObjectNode();
        node.put("taskId", task.taskId());
        node.put("description", task.description());
        node.put("state", task.state().name());
        node.put("attempt", task.attempt());
        node.put("modelId", task.modelId());
        node.put("stepId", task.stepId());
        node.put("applicationId", task.applicationId());
        node.put("logLocation", task.logLocation());
        node.put("reason", task.reason());
        node.set("metrics", task.metrics() == null ? null : parse(task.metrics()));
        node.put("startedAt", time(task.startedAt()));
        node.put("endedAt", time(task.endedAt()));
        if (task.startedAt() != null && task.endedAt() != null) {
            node.put("durationSeconds", (task.endedAt().toEpochMilli() - task.startedAt().toEpochMilli()) / 1000.0);
        } else {
            node.putNull("durationSeconds");
        }
        node.set("spec", parse(task.spec()));
        return node;
    }

    ObjectNode leaderboard(Leaderboard leaderboard) {
        ObjectNode node = mapper.createObjectNode();
        node.put("sweepId", leaderboard.sweepId());
        node.put("metric", leaderboard.metric());
        node.put("higherIsBetter", leaderboard.higherIsBetter());
        node.set("entries", mapper.valueToTree(leaderboard.entries()));
        return node;
    }

    ObjectNode modelSummary(RegisteredModel model) {
        JsonNode card = model.card();
        ObjectNode node = mapper.createObjectNode();
        node.put("modelId", model.modelId());
        node.set("name", card.get("name"));
        node.set("modelType", card.get("model_type"));
        node.set("task", card.get("task"));
        node.set("label", card.get("label"));
        node.set("createdAt", card.get("created_at"));
        node.set("testMetrics", scalars(card.path("metrics").path("test")));
        node.set("sweepId", model.registry().get("sweep_id"));
        node.put("best", model.best());
        return node;
    }

    ObjectNode model(RegisteredModel model) {
        ObjectNode node = modelSummary(model);
        node.set("card", model.card());
        node.set("registry", model.registry());
        return node;
    }

    private ObjectNode scalars(JsonNode metrics) {
        ObjectNode node = mapper.createObjectNode();
        metrics.fields().forEachRemaining(field -> {
            if (field.getValue().isNumber()) {
                node.set(field.getKey(), field.getValue());
            }
        });
        return node;
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
