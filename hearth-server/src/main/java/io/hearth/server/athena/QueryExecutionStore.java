package io.hearth.server.athena;

import static io.hearth.server.persistence.Columns.instant;
import static io.hearth.server.persistence.Columns.millis;
import static io.hearth.server.persistence.Columns.nullableInt;
import static io.hearth.server.persistence.Columns.nullableLong;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.persistence.Columns;
import io.hearth.server.sql.EngineClient.Column;
import io.hearth.server.sql.EngineClient.QueryStatus;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Persistence of query executions. Every state change is a compare-and-set on the stored state, so a query that is
 * stopped, loses its engine and finishes at the same moment ends in exactly one terminal state.
 */
public final class QueryExecutionStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;

    public QueryExecutionStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Writes a new QUEUED query; false when its work group already has a query with the same client request token. */
    boolean insert(QueryExecution query) {
        return jdbi.inTransaction(handle -> {
            if (query.clientRequestToken() != null && handle.createQuery(
                            "SELECT COUNT(*) FROM athena_query_executions WHERE work_group = :workGroup AND client_request_token = :token")
                    .bind("workGroup", query.workGroup())
                    .bind("token", query.clientRequestToken())
                    .mapTo(Integer.class)
                    .one() > 0) {
                return false;
            }
            handle.createUpdate("""
                    INSERT INTO athena_query_executions (id, work_group, client_request_token, query, execution_parameters, statement_type,
                        database_name, catalog_name, output_folder, bytes_scanned_cutoff, state, submitted_at, started_at, from_jdbc)
                    VALUES (:id, :workGroup, :token, :query, :parameters, :statementType, :database, :catalog, :outputFolder, :cutoff, :state,
                        :submittedAt, :startedAt, :fromJdbc)""")
                    .bind("id", query.id())
                    .bind("workGroup", query.workGroup())
                    .bind("token", query.clientRequestToken())
                    .bind("query", query.query())
                    .bind("parameters", query.executionParameters().isEmpty() ? null : Columns.write(query.executionParameters()))
                    .bind("database", query.database())
                    .bind("catalog", query.catalog())
                    .bind("outputFolder", query.outputFolder())
                    .bind("cutoff", query.bytesScannedCutoff())
                    .bind("state", query.state().name())
                    .bind("submittedAt", millis(query.submittedAt()))
                    .bind("startedAt", millis(query.startedAt()))
                    .bind("statementType", query.statementType())
                    .bind("fromJdbc", query.fromJdbc())
                    .execute();
            return true;
        });
    }

    public Optional<QueryExecution> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM athena_query_executions WHERE id = :id")
                .bind("id", id)
                .map((row, context) -> read(row))
                .findOne());
    }

    Optional<QueryExecution> findByToken(String workGroup, String token) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM athena_query_executions WHERE work_group = :workGroup AND client_request_token = :token")
                .bind("workGroup", workGroup)
                .bind("token", token)
                .map((row, context) -> read(row))
                .findOne());
    }

    /** Queries newest first, of one work group when {@code workGroup} is set, after the one with sequence {@code beforeSeq}. */
    List<QueryExecution> list(String workGroup, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM athena_query_executions WHERE 1 = 1");
        if (workGroup != null) {
            sql.append(" AND work_group = :workGroup");
        }
        if (beforeSeq != null) {
            sql.append(" AND seq < :beforeSeq");
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(sql.toString()).bind("limit", limit);
            if (workGroup != null) {
                query.bind("workGroup", workGroup);
            }
            if (beforeSeq != null) {
                query.bind("beforeSeq", beforeSeq);
            }
            return query.map((row, context) -> read(row)).list();
        });
    }

    /** Queries in one of {@code states}, oldest first. */
    /**
     * Queries in the given states, oldest first: those Hearth runs through the Athena API, or (with {@code fromJdbc})
     * the statements JDBC clients ran, which each have their own lifecycle.
     */
    List<QueryExecution> listInStates(Collection<QueryState> states, boolean fromJdbc) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM athena_query_executions WHERE state IN (<states>) AND from_jdbc = :fromJdbc ORDER BY seq")
                .bindList("states", states.stream().map(Enum::name).toList())
                .bind("fromJdbc", fromJdbc)
                .map((row, context) -> read(row))
                .list());
    }

    /** QUEUED to RUNNING. */
    boolean markRunning(String id, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE athena_query_executions SET state = :to, started_at = :now WHERE id = :id AND state = :from")
                .bind("to", QueryState.RUNNING.name())
                .bind("from", QueryState.QUEUED.name())
                .bind("now", millis(now))
                .bind("id", id)
                .execute() == 1);
    }

    /** RUNNING back to QUEUED, for a query that was never handed to the engine. */
    void returnToQueue(String id) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE athena_query_executions SET state = :to, started_at = NULL WHERE id = :id AND state = :from")
                .bind("to", QueryState.QUEUED.name())
                .bind("from", QueryState.RUNNING.name())
                .bind("id", id)
                .execute());
    }

    /** Ends a query with what the engine reported (its statistics, columns, error); false when it had ended already. */
    boolean end(String id, QueryState to, String reason, Integer errorCategory, Integer errorType, QueryStatus engine, Instant now) {
        // The statement type is kept when the engine never classified the query (it failed before reaching it).
        String statementType = engine == null || engine.statementType() == null ? "" : ", statement_type = :statementType";
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE athena_query_executions SET state = :to, state_reason = :reason, error_category = :category, error_type = :errorType,
                    completed_at = :now, engine_millis = :engineMillis, bytes_scanned = :bytes, result_rows = :rows,
                    update_count = :updateCount, result_columns = :columns""" + statementType + """

                WHERE id = :id AND state IN (<from>)""")
                .bind("to", to.name())
                .bind("reason", reason)
                .bind("category", errorCategory)
                .bind("errorType", errorType)
                .bind("now", millis(now))
                .bind("engineMillis", engine == null ? null : engine.engineMillis())
                .bind("bytes", engine == null ? null : engine.bytesScanned())
                .bind("rows", engine == null ? null : engine.rows())
                .bind("updateCount", engine == null ? null : engine.updateCount())
                .bind("columns", engine == null || engine.columns() == null ? null : Columns.write(engine.columns()))
                .bind("statementType", engine == null ? null : engine.statementType())
                .bind("id", id)
                .bindList("from", QueryState.from(to).stream().map(Enum::name).toList())
                .execute() == 1);
    }

    private static QueryExecution read(ResultSet row) throws SQLException {
        String parameters = row.getString("execution_parameters");
        String columns = row.getString("result_columns");
        return new QueryExecution(row.getLong("seq"), row.getString("id"), row.getString("work_group"), row.getString("client_request_token"),
                row.getString("query"), parameters == null ? List.of() : Columns.readStringList(parameters), row.getString("statement_type"),
                row.getString("database_name"), row.getString("catalog_name"), row.getString("output_folder"),
                nullableLong(row, "bytes_scanned_cutoff"), QueryState.valueOf(row.getString("state")), row.getString("state_reason"),
                nullableInt(row, "error_category"), nullableInt(row, "error_type"), instant(row, "submitted_at"), instant(row, "started_at"),
                instant(row, "completed_at"), nullableLong(row, "engine_millis"), nullableLong(row, "bytes_scanned"),
                nullableLong(row, "result_rows"), nullableLong(row, "update_count"), columns == null ? List.of() : readColumns(columns),
                row.getBoolean("from_jdbc"));
    }

    private static List<Column> readColumns(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot read a query's result columns", e);
        }
    }

    static Set<QueryState> unfinished() {
        return Set.of(QueryState.QUEUED, QueryState.RUNNING);
    }
}
