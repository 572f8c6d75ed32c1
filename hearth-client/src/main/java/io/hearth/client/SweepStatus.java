package io.hearth.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * A sweep as Hearth reports it: RUNNING until every task has ended, then COMPLETED (all
 * succeeded), FAILED (some failed) or CANCELLED. {@code tasks} is empty in lists.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SweepStatus(String sweepId, String name, String clusterId, String isolation, int maxParallel, String onFailure, String metric,
        String state, String stateMessage, String createdAt, String endedAt, Map<String, Integer> taskCounts, List<TaskStatus> tasks,
        Integer tasksResumed) {

    public SweepStatus {
        taskCounts = taskCounts == null ? Map.of() : Map.copyOf(taskCounts);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public boolean isRunning() {
        return "RUNNING".equals(state);
    }

    public int count(String taskState) {
        return taskCounts.getOrDefault(taskState, 0);
    }

    public int total() {
        return taskCounts.getOrDefault("total", tasks.size());
    }

    /** The tasks that did not succeed: what a resume runs again. */
    public List<TaskStatus> unsuccessful() {
        return tasks.stream().filter(task -> !task.succeeded()).toList();
    }

    /** One line for people: {@code sw-... RUNNING 3/10 succeeded, 1 failed, 2 running, 4 pending}. */
    public String progress() {
        return String.format("%s %s %d/%d succeeded, %d failed, %d running, %d pending%s", sweepId, state, count("SUCCEEDED"), total(),
                count("FAILED"), count("RUNNING"), count("PENDING"), count("CANCELLED") > 0 ? ", " + count("CANCELLED") + " cancelled" : "");
    }
}
