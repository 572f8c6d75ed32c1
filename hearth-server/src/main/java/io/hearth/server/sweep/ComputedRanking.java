package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Feature reduction without a given ranking: the sweep's first task fits a model with feature
 * importances, and its model card's {@code feature_ranking} decides the columns of every "top N"
 * task. Those tasks wait until the ranking task has succeeded, are cancelled when it did not (a
 * resume runs it and them again), and get their feature columns written into their specs just
 * before they start, so a task's stored spec shows exactly what it trained on.
 */
final class ComputedRanking {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SweepStore store;
    private final TaskStateMachine taskStates;
    private final Path modelsDirectory;
    private final Clock clock;

    ComputedRanking(SweepStore store, Path modelsDirectory, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.modelsDirectory = requireNonNull(modelsDirectory, "modelsDirectory is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.taskStates = new TaskStateMachine(store, clock);
    }

    /**
     * The pending tasks, not yet handed to a step, that may be handed over now, in plan order; tasks
     * waiting for a ranking are held back or given their columns.
     */
    List<SweepTask> ready(Sweep sweep, List<SweepTask> tasks) {
        List<SweepTask> pending = tasks.stream().filter(task -> task.state() == TaskState.PENDING && !task.isQueued()).toList();
        Map<String, Integer> sizes = rankedSizes(sweep);
        if (sizes.isEmpty() || pending.isEmpty()) {
            return pending;
        }
        SweepTask ranker = tasks.get(0);
        List<SweepTask> ready = new ArrayList<>();
        for (SweepTask task : pending) {
            Integer size = sizes.get(task.taskId());
            if (size == null) {
                ready.add(task);
            } else if (ranker.state() == TaskState.SUCCEEDED) {
                SweepTask resolved = withTopFeatures(sweep, task, ranker, size);
                if (resolved != null) {
                    ready.add(resolved);
                }
            } else if (ranker.state().isTerminal()) {
                taskStates.cancelBeforeStart(sweep.sweepId(), task.taskId(),
                        "The feature ranking task " + ranker.taskId() + " did not succeed; resume runs it and this task again");
            }
        }
        return ready;
    }

    /** Task id to N for the tasks that use the top N of a computed ranking; empty for every other sweep. */
    private static Map<String, Integer> rankedSizes(Sweep sweep) {
        if (!sweep.spec().contains("featureReduction")) {
            return Map.of();
        }
        return SweepPlanner.plan(SweepPlanner.parse(sweep.spec())).tasks().stream().filter(task -> task.rankedTop() != null)
                .collect(Collectors.toMap(SweepPlanner.PlannedTask::taskId, SweepPlanner.PlannedTask::rankedTop));
    }

    private SweepTask withTopFeatures(Sweep sweep, SweepTask task, SweepTask ranker, int size) {
        List<String> ranking;
        try {
            JsonNode card = MAPPER.readTree(modelsDirectory.resolve(ranker.modelId()).resolve("model-card.json").toFile());
            ranking = new ArrayList<>();
            for (JsonNode entry : card.path("feature_ranking")) {
                ranking.add(entry.path("column").asText());
            }
        } catch (IOException e) {
            return fail(sweep, task, "Cannot read the feature ranking of task " + ranker.taskId() + " (model " + ranker.modelId() + "): " + e.getMessage());
        }
        if (ranking.isEmpty()) {
            return fail(sweep, task, "The model card of the ranking task " + ranker.taskId() + " has no feature_ranking");
        }
        if (size > ranking.size()) {
            return fail(sweep, task, "featureReduction.sizes: " + size + " is more than the " + ranking.size() + " features the ranking task ranked");
        }
        ObjectNode spec;
        try {
            spec = (ObjectNode) MAPPER.readTree(task.spec());
        } catch (IOException e) {
            return fail(sweep, task, "Its spec is not readable JSON: " + e.getMessage());
        }
        SweepPlanner.useFeatures(spec, ranking.subList(0, size));
        store.replacePendingSpec(sweep.sweepId(), task.taskId(), task.description(), spec.toString());
        return store.task(sweep.sweepId(), task.taskId()).filter(updated -> updated.state() == TaskState.PENDING).orElse(null);
    }

    private SweepTask fail(Sweep sweep, SweepTask task, String reason) {
        taskStates.failBeforeStart(sweep.sweepId(), task.taskId(), reason);
        return null;
    }
}
