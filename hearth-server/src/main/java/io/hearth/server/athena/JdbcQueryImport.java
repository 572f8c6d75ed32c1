package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.sql.EngineClient.JdbcChanges;
import io.hearth.server.sql.EngineClient.JdbcQuery;
import io.hearth.server.sql.EngineClient.QueryStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the statements JDBC clients ran on the SQL engine into the Athena query list, so ListQueryExecutions and
 * GetQueryExecution show them (in {@code primary}, without a result location: the client got the rows). Called every few
 * seconds; each call asks the engine what changed since the last. A statement never stays RUNNING unseen: when the
 * engine is gone, or a new engine does not know it, it ends FAILED. While a JDBC session is open or a statement runs,
 * the engine counts as in use, so it is not stopped for idleness under a connected client.
 */
final class JdbcQueryImport {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcQueryImport.class);
    static final String ENGINE_GONE = "The SQL engine stopped while the statement ran";

    private final QueryExecutionStore store;
    private final QueryEngine engine;
    private final Clock clock;
    /** The engine's version of the last change imported; 0 before the first import from an engine. */
    private long seen;
    /** Whether the statements running when the engine went away have been ended, so an engine that stays down costs no query. */
    private boolean goneSettled;

    JdbcQueryImport(QueryExecutionStore store, QueryEngine engine, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    synchronized void importChanges() throws InterruptedException {
        Optional<JdbcChanges> asked;
        try {
            asked = engine.jdbcChanges(seen);
        } catch (IOException e) {
            return; // starting, or just gone: the next call knows
        }
        if (asked.isEmpty()) {
            if (!goneSettled) {
                failRunning(Set.of(), ENGINE_GONE);
                goneSettled = true;
            }
            seen = 0;
            return;
        }
        goneSettled = false;
        JdbcChanges changes = asked.get();
        if (changes.version() < seen) {
            // a new engine, counting from 0 again
            seen = 0;
            return;
        }
        for (JdbcQuery query : changes.queries()) {
            record(query);
        }
        if (seen == 0) {
            // the first answer of an engine holds every statement it knows: the others cannot be running
            failRunning(changes.queries().stream().map(JdbcQuery::id).collect(Collectors.toSet()), ENGINE_GONE);
        }
        seen = changes.version();
        if (changes.openSessions() > 0 || changes.queries().stream().anyMatch(query -> query.state().equals("RUNNING"))) {
            engine.keepAlive();
        }
    }

    private void record(JdbcQuery query) {
        Instant started = Instant.ofEpochMilli(query.startMillis());
        if (store.find(query.id()).isEmpty()) {
            store.insert(new QueryExecution(0, query.id(), WorkGroup.PRIMARY, null, query.statement(), List.of(), query.statementType(), "default",
                    AthenaService.CATALOG, "", null, QueryState.RUNNING, null, null, null, started, started, null, null, null, null, null, List.of(),
                    true));
        }
        if (query.state().equals("RUNNING")) {
            return;
        }
        QueryState state = QueryState.valueOf(query.state());
        long end = query.endMillis() == null ? clock.millis() : query.endMillis();
        QueryStatus status = new QueryStatus(query.id(), query.state(), query.statementType(), query.error(), null, true, List.of(), 0, null, 0,
                Math.max(0, end - query.startMillis()));
        Integer category = state == QueryState.FAILED ? QueryExecutions.USER_ERROR : null;
        store.end(query.id(), state, query.error(), category, null, status, Instant.ofEpochMilli(end));
    }

    private void failRunning(Set<String> known, String reason) {
        for (QueryExecution query : store.listInStates(Set.of(QueryState.RUNNING), true)) {
            if (!known.contains(query.id())
                    && store.end(query.id(), QueryState.FAILED, reason, QueryExecutions.SYSTEM_ERROR, null, null, clock.instant())) {
                LOG.info("JDBC statement {} FAILED: {}", query.id(), reason);
            }
        }
    }
}
