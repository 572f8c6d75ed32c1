package io.hearth.server.step;

import static io.hearth.server.persistence.Columns.instant;
import static io.hearth.server.persistence.Columns.millis;
import static io.hearth.server.persistence.Columns.nullableInt;
import static io.hearth.server.persistence.Columns.nullableLong;
import static java.util.Objects.requireNonNull;

import io.hearth.server.persistence.Columns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Persistence of steps. Every state change is a compare-and-set on the stored state, so a step
 * is started once, and a step being cancelled, interrupted and finishing at the same moment ends
 * in exactly one terminal state.
 */
public final class StepStore {
    private final Jdbi jdbi;

    public StepStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Writes new PENDING steps in the caller's transaction, in order. */
    public void insert(Handle handle, List<Step> steps) {
        for (Step step : steps) {
            handle.createUpdate("""
                    INSERT INTO steps (id, cluster_id, name, action_on_failure, jar, main_class, args, properties, log_uri,
                        encryption_key_arn, execution_role_arn, state, created_at, owner_access_key_id)
                    VALUES (:id, :clusterId, :name, :actionOnFailure, :jar, :mainClass, :args, :properties, :logUri,
                        :encryptionKeyArn, :executionRoleArn, :state, :createdAt, :owner)""")
                    .bind("id", step.id())
                    .bind("clusterId", step.clusterId())
                    .bind("name", step.name())
                    .bind("actionOnFailure", step.actionOnFailure().name())
                    .bind("jar", step.jar())
                    .bind("mainClass", step.mainClass())
                    .bind("args", Columns.write(step.args()))
                    .bind("properties", Columns.write(step.properties()))
                    .bind("logUri", step.logUri())
                    .bind("encryptionKeyArn", step.encryptionKeyArn())
                    .bind("executionRoleArn", step.executionRoleArn())
                    .bind("state", step.state().name())
                    .bind("createdAt", millis(step.createdAt()))
                    .bind("owner", step.ownerAccessKeyId())
                    .execute();
        }
    }

    public Optional<Step> find(String clusterId, String stepId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM steps WHERE id = :id AND cluster_id = :clusterId")
                .bind("id", stepId)
                .bind("clusterId", clusterId)
                .map((row, context) -> readStep(row))
                .findOne());
    }

    /** Steps of a cluster newest first, filtered by state and id, after the step with sequence {@code beforeSeq}. */
    public List<Step> list(String clusterId, Set<StepState> states, Collection<String> ids, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM steps WHERE cluster_id = :clusterId");
        if (!states.isEmpty()) {
            sql.append(" AND state IN (<states>)");
        }
        if (!ids.isEmpty()) {
            sql.append(" AND id IN (<ids>)");
        }
        if (beforeSeq != null) {
            sql.append(" AND seq < :beforeSeq");
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(sql.toString()).bind("clusterId", clusterId).bind("limit", limit);
            if (!states.isEmpty()) {
                query.bindList("states", names(states));
            }
            if (!ids.isEmpty()) {
                query.bindList("ids", List.copyOf(ids));
            }
            if (beforeSeq != null) {
                query.bind("beforeSeq", beforeSeq);
            }
            return query.map((row, context) -> readStep(row)).list();
        });
    }

    /** Steps of a cluster in the given states, in submission order. */
    public List<Step> listInStates(String clusterId, Collection<StepState> states) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM steps WHERE cluster_id = :clusterId AND state IN (<states>) ORDER BY seq")
                .bind("clusterId", clusterId)
                .bindList("states", names(states))
                .map((row, context) -> readStep(row))
                .list());
    }

    /** How many steps of a cluster are pending, running or being cancelled, counted in the caller's transaction. */
    public int countUnfinished(Handle handle, String clusterId) {
        return handle.createQuery("SELECT COUNT(*) FROM steps WHERE cluster_id = :clusterId AND state IN (<unfinished>)")
                .bind("clusterId", clusterId)
                .bindList("unfinished", names(StepState.unfinished()))
                .mapTo(Integer.class)
                .one();
    }

    /** PENDING to RUNNING, recording the start time. */
    boolean markRunning(String stepId, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE steps SET state = :to, started_at = :now WHERE id = :id AND state = :from")
                .bind("to", StepState.RUNNING.name())
                .bind("from", StepState.PENDING.name())
                .bind("now", millis(now))
                .bind("id", stepId)
                .execute() == 1);
    }

    /** RUNNING back to PENDING, its start forgotten, unless a stop was requested meanwhile. */
    boolean returnToPending(String stepId) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE steps SET state = :to, started_at = NULL, process_id = NULL, process_started_at = NULL
                WHERE id = :id AND state = :from AND stop_request IS NULL""")
                .bind("to", StepState.PENDING.name())
                .bind("from", StepState.RUNNING.name())
                .bind("id", stepId)
                .execute() == 1);
    }

    public void recordProcess(String stepId, long processId, Instant processStartedAt) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE steps SET process_id = :pid, process_started_at = :started WHERE id = :id")
                .bind("pid", processId)
                .bind("started", millis(processStartedAt))
                .bind("id", stepId)
                .execute());
    }

    public void recordApplicationId(String stepId, String applicationId) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE steps SET application_id = :appId WHERE id = :id")
                .bind("appId", applicationId)
                .bind("id", stepId)
                .execute());
    }

    /**
     * Records why a RUNNING step's driver is about to be stopped; a cancel also moves it to
     * CANCEL_PENDING. A request never replaces an earlier one: the first cause decides the end.
     */
    boolean requestStop(String stepId, StopRequest request) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE steps SET stop_request = :request,
                    state = CASE WHEN :cancel THEN :cancelling ELSE state END
                WHERE id = :id AND state = :running AND stop_request IS NULL""")
                .bind("request", request.name())
                .bind("cancel", request.isCancel())
                .bind("cancelling", StepState.CANCEL_PENDING.name())
                .bind("running", StepState.RUNNING.name())
                .bind("id", stepId)
                .execute() == 1);
    }

    /** Ends a step that is in one of {@code from} in {@code to}, with what is known of its end. */
    boolean end(String stepId, Set<StepState> from, StepState to, Integer exitCode, Step.FailureDetails failure, String message, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE steps SET state = :to, exit_code = :exitCode, failure_reason = :reason, failure_message = :failureMessage,
                    failure_log_file = :logFile, state_message = :message, ended_at = :now
                WHERE id = :id AND state IN (<from>)""")
                .bind("to", to.name())
                .bind("exitCode", exitCode)
                .bind("reason", failure == null ? null : failure.reason())
                .bind("failureMessage", failure == null ? null : failure.message())
                .bind("logFile", failure == null ? null : failure.logFile())
                .bind("message", message)
                .bind("now", millis(now))
                .bind("id", stepId)
                .bindList("from", names(from))
                .execute() == 1);
    }

    /** Cancels every PENDING step of a cluster; returns how many. */
    int cancelPending(String clusterId, String message, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE steps SET state = :to, state_message = :message, ended_at = :now
                WHERE cluster_id = :clusterId AND state = :from""")
                .bind("to", StepState.CANCELLED.name())
                .bind("from", StepState.PENDING.name())
                .bind("message", message)
                .bind("now", millis(now))
                .bind("clusterId", clusterId)
                .execute());
    }

    private static List<String> names(Collection<StepState> states) {
        return states.stream().map(Enum::name).toList();
    }

    private static Step readStep(ResultSet row) throws SQLException {
        String stopRequest = row.getString("stop_request");
        String failureReason = row.getString("failure_reason");
        String failureMessage = row.getString("failure_message");
        String failureLogFile = row.getString("failure_log_file");
        Step.FailureDetails failure = failureReason == null && failureMessage == null && failureLogFile == null
                ? null
                : new Step.FailureDetails(failureReason, failureMessage, failureLogFile);
        return new Step(
                row.getLong("seq"),
                row.getString("id"),
                row.getString("cluster_id"),
                row.getString("name"),
                ActionOnFailure.valueOf(row.getString("action_on_failure")),
                row.getString("jar"),
                row.getString("main_class"),
                Columns.readStringList(row.getString("args")),
                Columns.readStringMap(row.getString("properties")),
                row.getString("log_uri"),
                row.getString("encryption_key_arn"),
                row.getString("execution_role_arn"),
                StepState.valueOf(row.getString("state")),
                stopRequest == null ? null : StopRequest.valueOf(stopRequest),
                row.getString("state_message"),
                failure,
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "ended_at"),
                row.getString("application_id"),
                nullableLong(row, "process_id"),
                instant(row, "process_started_at"),
                nullableInt(row, "exit_code"),
                row.getString("owner_access_key_id"));
    }
}
