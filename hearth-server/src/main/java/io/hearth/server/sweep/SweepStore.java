package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Sweeps and their tasks in the control-plane database. A sweep and all its tasks are created in
 * one transaction; every task state change is a compare-and-set on the state it expects, so two
 * parties (the scheduler, a cancel, recovery after a restart) never both move a task.
 */
public final class SweepStore {
    private final Jdbi jdbi;

    public SweepStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public void create(Sweep sweep, List<SweepPlanner.PlannedTask> tasks) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO sweeps (sweep_id, name, cluster_id, isolation, max_parallel, stop_on_failure, metric, spec, state, created_at)
                            VALUES (:id, :name, :cluster, :isolation, :maxParallel, :stop, :metric, :spec, :state, :createdAt)""")
                    .bind("id", sweep.sweepId()).bind("name", sweep.name()).bind("cluster", sweep.clusterId())
                    .bind("isolation", sweep.isolation().name()).bind("maxParallel", sweep.maxParallel()).bind("stop", sweep.stopOnFailure())
                    .bind("metric", sweep.metric()).bind("spec", sweep.spec()).bind("state", sweep.state().name())
                    .bind("createdAt", sweep.createdAt().toEpochMilli())
                    .execute();
            var batch = handle.prepareBatch("""
                    INSERT INTO sweep_tasks (sweep_id, task_id, position, description, spec, state, attempt)
                    VALUES (:sweep, :task, :position, :description, :spec, :pending, 1)""");
            for (int i = 0; i < tasks.size(); i++) {
                SweepPlanner.PlannedTask task = tasks.get(i);
                batch.bind("sweep", sweep.sweepId()).bind("task", task.taskId()).bind("position", i).bind("pending", TaskState.PENDING.name())
                        .bind("description", task.description()).bind("spec", task.spec().toString()).add();
            }
            batch.execute();
        });
    }

    public Optional<Sweep> find(String sweepId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM sweeps WHERE sweep_id = :id").bind("id", sweepId)
                .map(SweepStore::readSweep).findOne());
    }

    /** Newest first. */
    public List<Sweep> list() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM sweeps ORDER BY created_at DESC, sweep_id DESC").map(SweepStore::readSweep).list());
    }

    /** Sweeps still RUNNING, for the scheduler and for recovery after a restart. */
    public List<Sweep> running() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM sweeps WHERE state = :running ORDER BY created_at")
                .bind("running", SweepState.RUNNING.name())
                .map(SweepStore::readSweep).list());
    }

    /** In plan order. */
    public List<SweepTask> tasks(String sweepId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM sweep_tasks WHERE sweep_id = :id ORDER BY position")
                .bind("id", sweepId).map(SweepStore::readTask).list());
    }

    public Optional<SweepTask> task(String sweepId, String taskId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM sweep_tasks WHERE sweep_id = :sweep AND task_id = :task")
                .bind("sweep", sweepId).bind("task", taskId).map(SweepStore::readTask).findOne());
    }

    /**
     * Hands a waiting task to what will run it: it stays PENDING (queued) until that starts it
     * ({@link #start}). False when the task was not waiting for a slot.
     */
    public boolean assign(String sweepId, String taskId, String modelId, String stepId, String logLocation) {
        return jdbi.withHandle(handle -> assign(handle, sweepId, taskId, modelId, stepId, logLocation));
    }

    /** {@link #assign} in the caller's transaction: the one that adds the task's step. */
    public boolean assign(Handle handle, String sweepId, String taskId, String modelId, String stepId, String logLocation) {
        return handle.createUpdate("""
                        UPDATE sweep_tasks SET model_id = :model, step_id = :step, log_location = :log, started_at = NULL,
                            application_id = NULL, reason = NULL, metrics = NULL, ended_at = NULL
                        WHERE sweep_id = :sweep AND task_id = :task AND state = :pending AND step_id IS NULL""")
                .bind("pending", TaskState.PENDING.name()).bind("model", modelId).bind("step", stepId).bind("log", logLocation)
                .bind("sweep", sweepId).bind("task", taskId).execute() == 1;
    }

    /** A task queued in {@code stepId} to RUNNING, as of the moment its step or thread started it. */
    boolean start(String sweepId, String taskId, String stepId, Instant startedAt) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE sweep_tasks SET state = :to, started_at = :started
                        WHERE sweep_id = :sweep AND task_id = :task AND state = :from AND step_id = :step""")
                .bind("to", TaskState.RUNNING.name()).bind("from", TaskState.PENDING.name())
                .bind("started", startedAt.toEpochMilli()).bind("sweep", sweepId).bind("task", taskId).bind("step", stepId).execute()) == 1;
    }

    /** The sweep whose task (or tasks, for a shared application) run in step {@code stepId}; empty for any other step. */
    public Optional<String> sweepOfStep(String stepId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT DISTINCT sweep_id FROM sweep_tasks WHERE step_id = :step")
                .bind("step", stepId).mapTo(String.class).findFirst());
    }

    public void recordApplicationId(String sweepId, String taskId, String applicationId) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE sweep_tasks SET application_id = :app WHERE sweep_id = :sweep AND task_id = :task")
                .bind("app", applicationId).bind("sweep", sweepId).bind("task", taskId).execute());
    }

    /** Ends a task that is in one of {@code from} as of {@code now}; false when it was not. */
    boolean finish(String sweepId, String taskId, Set<TaskState> from, TaskState to, String reason, String metrics, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE sweep_tasks SET state = :to, reason = :reason, metrics = :metrics, ended_at = :now
                        WHERE sweep_id = :sweep AND task_id = :task AND state IN (<from>)""")
                .bind("to", to.name()).bind("reason", reason).bind("metrics", metrics).bind("now", now.toEpochMilli())
                .bind("sweep", sweepId).bind("task", taskId).bindList("from", names(from)).execute()) == 1;
    }

    /**
     * Resume: the sweep to RUNNING if it is in one of {@code from} (or still RUNNING, its tasks all
     * ended), then every FAILED or CANCELLED task back to PENDING for another attempt; SUCCEEDED
     * tasks stay as they are. Returns how many tasks will run again: none when the sweep was in
     * another state.
     */
    int resume(String sweepId, Set<SweepState> from) {
        List<String> ended = names(EnumSet.of(TaskState.FAILED, TaskState.CANCELLED));
        return jdbi.inTransaction(handle -> {
            int toRunAgain = handle.createQuery("SELECT COUNT(*) FROM sweep_tasks WHERE sweep_id = :sweep AND state IN (<ended>)")
                    .bind("sweep", sweepId).bindList("ended", ended).mapTo(Integer.class).one();
            if (toRunAgain == 0) {
                // Nothing to run again: the sweep keeps the end it had.
                return 0;
            }
            boolean moved = handle.createUpdate("""
                            UPDATE sweeps SET state = :running, state_message = NULL, cancel_reason = NULL, ended_at = NULL
                            WHERE sweep_id = :sweep AND state IN (<from>)""")
                    .bind("running", SweepState.RUNNING.name()).bind("sweep", sweepId).bindList("from", names(from)).execute() == 1;
            if (!moved && !handle.createQuery("SELECT state FROM sweeps WHERE sweep_id = :sweep").bind("sweep", sweepId)
                    .mapTo(String.class).findOne().map(SweepState.RUNNING.name()::equals).orElse(false)) {
                return 0;
            }
            return handle.createUpdate("""
                            UPDATE sweep_tasks SET state = :pending, attempt = attempt + 1, step_id = NULL, started_at = NULL, ended_at = NULL
                            WHERE sweep_id = :sweep AND state IN (<ended>)""")
                    .bind("pending", TaskState.PENDING.name()).bind("sweep", sweepId).bindList("ended", ended).execute();
        });
    }

    /** A fixed training spec for a task waiting to run again (resume with a corrected sweep spec). */
    public boolean replacePendingSpec(String sweepId, String taskId, String description, String spec) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE sweep_tasks SET spec = :spec, description = :description WHERE sweep_id = :sweep AND task_id = :task AND state = :pending""")
                .bind("pending", TaskState.PENDING.name()).bind("spec", spec).bind("description", description).bind("sweep", sweepId).bind("task", taskId).execute()) == 1;
    }

    /** The spec a resumed sweep was corrected with. */
    public void replaceSweepSpec(String sweepId, String spec) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE sweeps SET spec = :spec WHERE sweep_id = :sweep").bind("spec", spec).bind("sweep", sweepId).execute());
    }

    /**
     * Records why a RUNNING sweep is being cancelled, before anything is stopped; the first reason
     * stays. Returns false when the sweep is not RUNNING or was already asked to cancel.
     */
    boolean requestCancel(String sweepId, Set<SweepState> cancellable, String reason) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE sweeps SET cancel_reason = :reason WHERE sweep_id = :sweep AND state IN (<from>) AND cancel_reason IS NULL""")
                .bind("reason", reason).bind("sweep", sweepId).bindList("from", names(cancellable)).execute()) == 1;
    }

    /** Compare-and-set of the sweep's state: to {@code to} (an end) from one of {@code from}; false when it was in none of them. */
    boolean end(String sweepId, Set<SweepState> from, SweepState to, String message, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE sweeps SET state = :state, state_message = :message, ended_at = :now WHERE sweep_id = :sweep AND state IN (<from>)""")
                .bind("state", to.name()).bind("message", message).bind("now", now.toEpochMilli()).bind("sweep", sweepId)
                .bindList("from", names(from)).execute()) == 1;
    }

    private static List<String> names(Set<? extends Enum<?>> states) {
        return states.stream().map(Enum::name).toList();
    }

    private static Sweep readSweep(ResultSet rows, StatementContext context) throws SQLException {
        return new Sweep(rows.getString("sweep_id"), rows.getString("name"), rows.getString("cluster_id"),
                SweepPlanner.Isolation.valueOf(rows.getString("isolation")), rows.getInt("max_parallel"), rows.getBoolean("stop_on_failure"),
                rows.getString("metric"), rows.getString("spec"), SweepState.valueOf(rows.getString("state")), rows.getString("state_message"),
                rows.getString("cancel_reason"), instant(rows, "created_at"), instant(rows, "ended_at"));
    }

    private static SweepTask readTask(ResultSet rows, StatementContext context) throws SQLException {
        return new SweepTask(rows.getString("sweep_id"), rows.getString("task_id"), rows.getInt("position"), rows.getString("description"),
                rows.getString("spec"), TaskState.valueOf(rows.getString("state")), rows.getInt("attempt"), rows.getString("model_id"),
                rows.getString("step_id"), rows.getString("application_id"), rows.getString("log_location"), rows.getString("reason"),
                rows.getString("metrics"), instant(rows, "started_at"), instant(rows, "ended_at"));
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
