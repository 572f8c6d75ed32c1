package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.sql.EngineClient.Column;
import java.time.Instant;
import java.util.List;

/**
 * One query execution as stored: what was asked, where its result goes, and what became of it.
 *
 * @param outputFolder the result location the query was started with; the result file is {@link #resultLocation}
 * @param statementType DDL, DML or UTILITY as the engine classified the query; null until the query has ended
 * @param stateReason why a query FAILED or was CANCELLED, with the engine's message
 * @param errorCategory Athena's error category of a failure: 1 system, 2 user, 3 other
 * @param columns the result's columns, once SUCCEEDED
 * @param fromJdbc whether a JDBC client ran the statement on the engine: Hearth lists it, but neither runs it nor keeps its result
 */
public record QueryExecution(long seq, String id, String workGroup, String clientRequestToken, String query, List<String> executionParameters,
        String statementType, String database, String catalog, String outputFolder, Long bytesScannedCutoff, QueryState state,
        String stateReason, Integer errorCategory, Integer errorType, Instant submittedAt, Instant startedAt, Instant completedAt,
        Long engineMillis, Long bytesScanned, Long resultRows, Long updateCount, List<Column> columns, boolean fromJdbc) {

    public QueryExecution {
        requireNonNull(id, "id is null");
        requireNonNull(workGroup, "workGroup is null");
        requireNonNull(query, "query is null");
        requireNonNull(state, "state is null");
        executionParameters = executionParameters == null ? List.of() : List.copyOf(executionParameters);
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /** This query with what the engine answered at its end: the statement type that names its result file, and its columns. */
    public QueryExecution withResult(String endStatementType, List<Column> endColumns) {
        return new QueryExecution(seq, id, workGroup, clientRequestToken, query, executionParameters, endStatementType, database, catalog,
                outputFolder, bytesScannedCutoff, state, stateReason, errorCategory, errorType, submittedAt, startedAt, completedAt, engineMillis,
                bytesScanned, resultRows, updateCount, endColumns, fromJdbc);
    }

    /**
     * Where the result file is, as Athena names it: {@code <folder>/<id>.csv} for queries and writes (DML),
     * {@code <folder>/<id>.txt} for DDL and utility statements.
     */
    public String resultLocation() {
        String folder = outputFolder.endsWith("/") ? outputFolder : outputFolder + "/";
        return folder + id + (hasTextResult() ? ".txt" : ".csv");
    }

    /** Whether the result is Athena's {@code .txt} (DDL, SHOW, DESCRIBE): rows without a header line. */
    public boolean hasTextResult() {
        return statementType != null && !statementType.equals("DML");
    }
}
