package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.sql.EngineClient.EngineException;
import io.hearth.server.sql.EngineClient.QueryRequest;
import io.hearth.server.sql.EngineClient.QueryStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of Athena queries, the one place that moves them between {@link QueryState}s: a started query is
 * stored QUEUED, runs on the SQL engine when its work group has fewer than {@code maxRunning} queries running, and
 * ends with the engine's answer. A query never stays RUNNING unseen: when the engine dies its queries fail with the
 * reason, and a query Hearth was running when it stopped fails at the next start (a QUEUED one still runs).
 */
public final class QueryExecutions {
    private static final Logger LOG = LoggerFactory.getLogger(QueryExecutions.class);
    private static final Duration POLL = Duration.ofSeconds(10);
    /** How many dropped connections to the engine, a second apart, a running query outlasts. */
    private static final int MAX_DROPPED_POLLS = 30;
    /** Athena's error categories. */
    static final int SYSTEM_ERROR = 1;
    static final int USER_ERROR = 2;

    private final QueryExecutionStore store;
    private final QueryEngine engine;
    private final ResultFiles results;
    private final PreparedStatements statements;
    private final Executor executor;
    private final Clock clock;
    private final int maxRunning;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    QueryExecutions(QueryExecutionStore store, QueryEngine engine, ResultFiles results, PreparedStatements statements, Executor executor,
            Clock clock, int maxRunning) {
        this.store = requireNonNull(store, "store is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.results = requireNonNull(results, "results is null");
        this.statements = requireNonNull(statements, "statements is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxRunning = maxRunning;
        engine.onEngineLost(this::engineLost);
    }

    /** What a caller asks to run, once its work group and result location are settled. */
    record Submission(String query, List<String> parameters, String database, String catalog, String workGroup, String outputFolder,
            Long bytesScannedCutoff, String clientRequestToken) {}

    /** Fails the queries a previous Hearth was running, and runs the queued ones. */
    void recover() {
        // JDBC statements are not among them: one may still run on an engine that outlived Hearth, and JdbcQueryImport settles those
        for (QueryExecution query : store.listInStates(Set.of(QueryState.RUNNING), false)) {
            if (store.end(query.id(), QueryState.FAILED, "Hearth stopped while the query ran; run it again", SYSTEM_ERROR, null, null,
                    clock.instant())) {
                LOG.info("Query {} was running when Hearth stopped; it is FAILED", query.id());
            }
        }
        dispatch();
    }

    /**
     * Stores the query QUEUED and schedules it; with a client request token seen before in the work group, the query
     * that token started (an error when the query text differs, as Athena answers).
     */
    QueryExecution start(Submission submission) {
        // A placeholder count that does not match the parameters fails the call now, not the query later; the
        // statement an EXECUTE names is read when the query runs.
        if (PreparedSql.parse(submission.query()).isEmpty()) {
            AthenaSql.toSpark(submission.query(), submission.parameters());
        }
        if (submission.clientRequestToken() != null) {
            Optional<QueryExecution> earlier = store.findByToken(submission.workGroup(), submission.clientRequestToken());
            if (earlier.isPresent()) {
                return sameRequest(earlier.get(), submission);
            }
        }
        QueryExecution query = new QueryExecution(0, UUID.randomUUID().toString(), submission.workGroup(), submission.clientRequestToken(),
                submission.query(), submission.parameters(), null, submission.database(), submission.catalog(), submission.outputFolder(),
                submission.bytesScannedCutoff(), QueryState.QUEUED, null, null, null, clock.instant(), null, null, null, null, null, null,
                List.of(), false);
        if (!store.insert(query)) {
            // the same token at the same moment: the other request stored it
            return sameRequest(store.findByToken(submission.workGroup(), submission.clientRequestToken()).orElseThrow(), submission);
        }
        dispatch();
        return find(query.id());
    }

    private static QueryExecution sameRequest(QueryExecution earlier, Submission submission) {
        if (!earlier.query().equals(submission.query()) || !earlier.executionParameters().equals(submission.parameters())) {
            throw HearthException.invalidArgument("ClientRequestToken %s was used for a different query (%s); use a new token for a new query",
                    submission.clientRequestToken(), earlier.id());
        }
        return earlier;
    }

    QueryExecution find(String id) {
        return store.find(id).orElseThrow(() -> HearthException.invalidArgument("QueryExecution %s was not found", id));
    }

    /** Queries newest first, of one work group when {@code workGroup} is set, after the one with sequence {@code beforeSeq}. */
    List<QueryExecution> list(String workGroup, Long beforeSeq, int limit) {
        return store.list(workGroup, beforeSeq, limit);
    }

    /**
     * Stops a query: a QUEUED one ends CANCELLED now, a RUNNING one once the engine has cancelled its Spark jobs.
     * Stopping an ended query does nothing, as in Athena.
     */
    void stop(String id) {
        QueryExecution query = find(id);
        String reason = "Query cancelled by StopQueryExecution";
        if (query.state() == QueryState.QUEUED && store.end(id, QueryState.CANCELLED, reason, null, null, null, clock.instant())) {
            return;
        }
        Run run = runs.get(id);
        if (run != null) {
            run.cancel(reason);
        }
    }

    /** Starts queued queries, oldest first, while their work groups have room. */
    private synchronized void dispatch() {
        for (QueryExecution query : store.listInStates(Set.of(QueryState.QUEUED), false)) {
            // Every RUNNING query of this Hearth has its run (recover() fails those of an earlier one), so the runs count them.
            if (running(query.workGroup()) < maxRunning && store.markRunning(query.id(), clock.instant())) {
                Run run = new Run(query);
                runs.put(query.id(), run);
                try {
                    executor.execute(run);
                } catch (RejectedExecutionException stopping) {
                    // Hearth is stopping: the query never reached the engine, so the next start runs it.
                    runs.remove(query.id());
                    store.returnToQueue(query.id());
                    return;
                }
            }
        }
    }

    private long running(String workGroup) {
        return runs.values().stream().filter(run -> run.query.workGroup().equals(workGroup)).count();
    }

    /**
     * Fails a RUNNING query that no run of this Hearth holds. Every run ends its query before it lets go of it, so this
     * finds only what a bug left behind; it keeps the promise that no query stays RUNNING unseen, and says so in the log.
     */
    synchronized void failOrphans() {
        for (QueryExecution query : store.listInStates(Set.of(QueryState.RUNNING), false)) {
            if (!runs.containsKey(query.id()) && store.end(query.id(), QueryState.FAILED,
                    "Hearth lost track of the query while it ran; run it again", SYSTEM_ERROR, null, null, clock.instant())) {
                LOG.error("Query {} was RUNNING with nothing running it; it is FAILED. This is a bug in Hearth: please report it", query.id());
            }
        }
        dispatch();
    }

    private void engineLost(String reason) {
        for (Run run : runs.values()) {
            if (store.end(run.query.id(), QueryState.FAILED, reason, SYSTEM_ERROR, null, null, clock.instant())) {
                LOG.info("Query {} FAILED: {}", run.query.id(), reason);
            }
        }
    }

    /** One query on the engine: handed over, waited for, its end recorded. */
    private final class Run implements Runnable {
        private final QueryExecution query;
        private boolean submitted;
        private String cancelReason;

        Run(QueryExecution query) {
            this.query = query;
        }

        @Override
        public void run() {
            engine.started();
            try {
                String sql;
                try {
                    sql = sparkSql();
                } catch (HearthException mistake) {
                    end(QueryState.FAILED, mistake.getMessage(), USER_ERROR, null);
                    return;
                }
                if (sql == null) {
                    finish(new QueryStatus(query.id(), "SUCCEEDED", "UTILITY", null, null, false, List.of(), 0, null, 0, 0));
                    return;
                }
                if (!handOver(sql)) {
                    end(QueryState.CANCELLED, cancelReason, null, null);
                    return;
                }
                QueryStatus status = awaitEnd();
                if (status != null) {
                    finish(status);
                }
            } catch (HearthException e) {
                end(QueryState.FAILED, e.getMessage(), SYSTEM_ERROR, null);
            } catch (IOException | EngineException e) {
                end(QueryState.FAILED, "The SQL engine stopped answering: " + e.getMessage(), SYSTEM_ERROR, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end(QueryState.FAILED, "Hearth stopped while the query ran; run it again", SYSTEM_ERROR, null);
            } catch (RuntimeException e) {
                LOG.error("Query {} failed inside Hearth", query.id(), e);
                end(QueryState.FAILED, "Hearth failed to run the query: " + e, SYSTEM_ERROR, null);
            } finally {
                runs.remove(query.id());
                engine.finished();
                dispatch();
            }
        }

        /**
         * The Spark SQL the engine runs for the query, Athena's spellings translated; null when Hearth ran it itself
         * (PREPARE, DEALLOCATE PREPARE). A statement that cannot be translated throws, naming what.
         */
        private String sparkSql() {
            Optional<PreparedSql> prepared = PreparedSql.parse(query.query());
            String sql = prepared.isPresent() ? statements.run(query.workGroup(), prepared.get(), query.executionParameters())
                    : AthenaSql.toSpark(query.query(), query.executionParameters());
            return sql == null ? null : AthenaCtas.toSpark(sql);
        }

        /** Submits the query unless it was cancelled first; false when it was. */
        private boolean handOver(String sql) throws IOException, InterruptedException {
            synchronized (this) {
                if (cancelReason != null) {
                    return false;
                }
            }
            long cutoff = query.bytesScannedCutoff() == null ? 0 : query.bytesScannedCutoff();
            // The statement type the engine answers with is stored with the query's end, one write fewer per query.
            engine.submit(new QueryRequest(query.id(), sql, query.database(), results.engineFile(query.id()).toString(), cutoff));
            String pendingCancel;
            synchronized (this) {
                submitted = true;
                pendingCancel = cancelReason;
            }
            if (pendingCancel != null) {
                engine.cancel(query.id(), pendingCancel);
            }
            return true;
        }

        void cancel(String reason) {
            boolean onEngine;
            synchronized (this) {
                if (cancelReason != null) {
                    return;
                }
                cancelReason = reason;
                onEngine = submitted;
            }
            if (onEngine) {
                try {
                    engine.cancel(query.id(), reason);
                } catch (IOException | EngineException e) {
                    LOG.warn("Cannot cancel query {} on the SQL engine: {}", query.id(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * Long-polls the engine until the query ends; null when it ended otherwise (its engine was lost). A dropped connection
         * is retried for a while: when the engine died, its supervisor reports the exit with the reason, and that ends the query.
         */
        private QueryStatus awaitEnd() throws IOException, InterruptedException {
            int dropped = 0;
            while (!endedElsewhere()) {
                try {
                    QueryStatus status = engine.status(query.id(), POLL);
                    dropped = 0;
                    if (status.ended()) {
                        return status;
                    }
                } catch (IOException e) {
                    if (++dropped > MAX_DROPPED_POLLS) {
                        throw e;
                    }
                    Thread.sleep(1000);
                }
            }
            return null;
        }

        private boolean endedElsewhere() {
            return store.find(query.id()).map(stored -> stored.state().isTerminal()).orElse(true);
        }

        private void finish(QueryStatus status) throws IOException {
            switch (status.state()) {
                case "SUCCEEDED" -> {
                    results.publish(query.withResult(status.statementType(), status.columns()));
                    store.end(query.id(), QueryState.SUCCEEDED, null, null, null, status, clock.instant());
                }
                case "CANCELLED" -> store.end(query.id(), QueryState.CANCELLED, status.error(), null, null, status, clock.instant());
                default -> store.end(query.id(), QueryState.FAILED, status.error(), status.userError() ? USER_ERROR : SYSTEM_ERROR, null, status,
                        clock.instant());
            }
            if (!"SUCCEEDED".equals(status.state())) {
                results.discard(query.id());
            }
        }

        private void end(QueryState state, String reason, Integer category, QueryStatus status) {
            results.discard(query.id());
            if (!store.end(query.id(), state, reason, category, null, status, clock.instant())) {
                LOG.debug("Query {} had ended already; not {}", query.id(), state);
            }
        }
    }
}
