package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.BatchGetPreparedStatementResponse;
import io.hearth.server.athena.AthenaShapes.ListPreparedStatementsResponse;
import io.hearth.server.athena.AthenaShapes.PreparedStatementRequest;
import io.hearth.server.athena.AthenaShapes.PreparedStatementShape;
import io.hearth.server.athena.AthenaShapes.PreparedStatementSummary;
import io.hearth.server.athena.AthenaShapes.UnprocessedPreparedStatementName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prepared statements: kept per work group, made and read through the API or by {@code PREPARE} and
 * {@code DEALLOCATE PREPARE} queries, and run by {@code EXECUTE name USING ...}.
 */
final class PreparedStatements {
    private final PreparedStatementStore store;
    private final WorkGroups workGroups;
    private final Clock clock;

    PreparedStatements(PreparedStatementStore store, WorkGroups workGroups, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.workGroups = requireNonNull(workGroups, "workGroups is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    void create(PreparedStatementRequest request) {
        PreparedStatement statement = statement(request);
        if (!store.insert(statement)) {
            throw HearthException.invalidArgument("Prepared statement %s already exists in WorkGroup %s", statement.name(), statement.workGroup());
        }
    }

    void update(PreparedStatementRequest request) {
        PreparedStatement statement = statement(request);
        if (!store.update(statement)) {
            throw missing(statement.workGroup(), statement.name());
        }
    }

    PreparedStatementShape get(String workGroup, String name) {
        String group = workGroups.get(workGroup).name();
        return shape(store.find(group, name).orElseThrow(() -> missing(group, name)));
    }

    ListPreparedStatementsResponse list(String workGroup, String nextToken, Integer maxResults) {
        String group = workGroups.get(workGroup).name();
        Page<String> page = Page.of(store.names(group), nextToken, maxResults, "statements:" + group);
        return new ListPreparedStatementsResponse(store.findAll(group, page.items()).stream()
                .map(statement -> new PreparedStatementSummary(statement.name(), statement.lastModified()))
                .toList(), page.nextToken());
    }

    BatchGetPreparedStatementResponse batchGet(String workGroup, List<String> names) {
        String group = workGroups.get(workGroup).name();
        Map<String, PreparedStatement> found = store.findAll(group, names).stream()
                .collect(Collectors.toMap(PreparedStatement::name, Function.identity()));
        List<PreparedStatementShape> shapes = new ArrayList<>();
        List<UnprocessedPreparedStatementName> unprocessed = new ArrayList<>();
        for (String name : names) {
            PreparedStatement statement = found.get(name);
            if (statement != null) {
                shapes.add(shape(statement));
            } else {
                unprocessed.add(new UnprocessedPreparedStatementName(name, "STATEMENT_NOT_FOUND", missing(group, name).getMessage()));
            }
        }
        return new BatchGetPreparedStatementResponse(shapes, unprocessed);
    }

    void delete(String workGroup, String name) {
        String group = workGroups.get(workGroup).name();
        if (!store.delete(group, name)) {
            throw missing(group, name);
        }
    }

    /**
     * Runs a prepared-statement query of the work group: {@code PREPARE} and {@code DEALLOCATE PREPARE} here, answering
     * null; for {@code EXECUTE}, the Spark SQL the engine runs, the statement with its placeholders taking the USING
     * values or else the query's ExecutionParameters. A mistake (no such statement, a wrong count of values) throws.
     */
    String run(String workGroup, PreparedSql sql, List<String> executionParameters) {
        if (sql instanceof PreparedSql.Prepare prepare) {
            PreparedStatement statement = new PreparedStatement(workGroup, prepare.name(), prepare.statement(), null, clock.instant());
            if (!store.update(statement) && !store.insert(statement)) {
                store.update(statement); // made by another query in between: this one is the later
            }
            return null;
        }
        if (sql instanceof PreparedSql.Deallocate deallocate) {
            if (!store.delete(workGroup, deallocate.name())) {
                throw missing(workGroup, deallocate.name());
            }
            return null;
        }
        PreparedSql.Execute execute = (PreparedSql.Execute) sql;
        if (!execute.values().isEmpty() && !executionParameters.isEmpty()) {
            throw HearthException.invalidArgument("EXECUTE %s has both USING values and ExecutionParameters; give the values one way",
                    execute.name());
        }
        PreparedStatement statement = store.find(workGroup, execute.name()).orElseThrow(() -> missing(workGroup, execute.name()));
        return AthenaSql.toSpark(statement.queryStatement(), execute.values().isEmpty() ? executionParameters : execute.values());
    }

    /** Deletes the prepared statements of a work group that was deleted. */
    void forget(String workGroup) {
        store.deleteAll(workGroup);
    }

    private PreparedStatement statement(PreparedStatementRequest request) {
        String group = workGroups.get(request.workGroup()).name();
        return new PreparedStatement(group, request.statementName(), request.queryStatement(), request.description(), clock.instant());
    }

    private static HearthException missing(String workGroup, String name) {
        return HearthException.notFound("Prepared statement %s was not found in WorkGroup %s", name, workGroup);
    }

    private static PreparedStatementShape shape(PreparedStatement statement) {
        return new PreparedStatementShape(statement.name(), statement.queryStatement(), statement.workGroup(), statement.description(),
                statement.lastModified());
    }
}
