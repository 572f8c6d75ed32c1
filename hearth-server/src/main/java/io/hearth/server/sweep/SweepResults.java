package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.model.ModelRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sweep leaves when it ends: its models noted in the registry (rank, and the best one per
 * label marked) and its leaderboard written as a catalog table. Neither may fail the sweep: a
 * problem is logged and the next end (after a resume) writes them again.
 */
final class SweepResults {
    private static final Logger LOG = LoggerFactory.getLogger(SweepResults.class);

    private final ModelRegistry registry;
    private final LeaderboardTable table;

    /** {@code table} is null when the catalog is turned off. */
    SweepResults(ModelRegistry registry, LeaderboardTable table) {
        this.registry = requireNonNull(registry, "registry is null");
        this.table = table;
    }

    void publish(Sweep sweep, List<SweepTask> tasks) {
        Leaderboard leaderboard = Leaderboard.of(sweep, tasks, null);
        try {
            for (Leaderboard.Entry entry : leaderboard.entries()) {
                if (entry.modelId() != null && entry.rank() != null) {
                    ObjectNode notes = JsonNodeFactory.instance.objectNode();
                    notes.put("sweep_id", sweep.sweepId());
                    notes.put("task_id", entry.taskId());
                    notes.put("rank", entry.rank());
                    notes.put("metric", leaderboard.metric());
                    notes.put("value", entry.value());
                    notes.put("best", entry.best());
                    notes.put("label", entry.label());
                    registry.note(entry.modelId(), notes);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot mark the models of sweep {} in the registry: {}", sweep.sweepId(), e.getMessage());
        }
        if (table == null) {
            return;
        }
        try {
            String name = table.publish(leaderboard);
            LOG.info("Sweep {}: leaderboard written to the catalog table {}", sweep.sweepId(), name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Cannot write the leaderboard of sweep {} to the catalog: {}", sweep.sweepId(), e.toString());
        }
    }
}
