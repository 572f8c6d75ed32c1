package io.hearth.server.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.persistence.Database;
import io.hearth.server.sql.EngineClient.Column;
import io.hearth.server.sql.EngineClient.JdbcChanges;
import io.hearth.server.sql.EngineClient.JdbcQuery;
import io.hearth.server.sql.EngineClient.QueryRequest;
import io.hearth.server.sql.EngineClient.QueryStatus;
import io.hearth.server.storage.LocationResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query lifecycle over a stand-in engine, on each control-plane database: queueing behind the concurrency limit,
 * stopping, a lost engine, recovery.
 */
abstract class QueryExecutionsContract {
    @TempDir
    Path directory;

    protected abstract Database openDatabase();

    private Database database;
    private ExecutorService executor;
    private FakeEngine engine;
    private QueryExecutionStore store;
    private QueryExecutions queries;

    @BeforeEach
    void open() throws Exception {
        database = openDatabase();
        executor = Executors.newCachedThreadPool();
        engine = new FakeEngine(directory.resolve("engine-results"));
        Files.createDirectories(directory.resolve("s3/results"));
        store = new QueryExecutionStore(database.jdbi());
        queries = newQueries();
    }

    private QueryExecutions newQueries() {
        ResultFiles results = new ResultFiles(engine.resultsDirectory(), new LocationResolver(directory.resolve("s3"), directory));
        WorkGroups workGroups = new WorkGroups(new WorkGroupStore(database.jdbi()), results, Clock.systemUTC());
        PreparedStatements statements = new PreparedStatements(new PreparedStatementStore(database.jdbi()), workGroups, Clock.systemUTC());
        return new QueryExecutions(store, engine, results, statements, executor, Clock.systemUTC(), 2);
    }

    @AfterEach
    void close() {
        // After a skipped open (no PostgreSQL here) there is nothing to close.
        if (executor != null) {
            executor.shutdownNow();
        }
        if (database != null) {
            database.close();
        }
    }

    private QueryExecution start(String sql) {
        return queries.start(new QueryExecutions.Submission(sql, List.of(), "default", AthenaService.CATALOG, WorkGroup.PRIMARY, "s3://results/q/",
                null, null));
    }

    private QueryExecution startWith(String sql, List<String> parameters) {
        return queries.start(new QueryExecutions.Submission(sql, parameters, "default", AthenaService.CATALOG, WorkGroup.PRIMARY,
                "s3://results/q/", null, null));
    }

    private QueryExecution ended(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> state(id).isTerminal());
        return queries.find(id);
    }

    private QueryState state(String id) {
        return queries.find(id).state();
    }

    @Test
    void queriesBeyondTheLimitWaitQueuedAndRunInTurn() {
        List<String> ids = List.of(start("SELECT 1").id(), start("SELECT 2").id(), start("SELECT 3").id());
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.size() == 2);
        assertThat(state(ids.get(2))).isEqualTo(QueryState.QUEUED);

        engine.succeed(ids.get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.size() == 3);
        engine.succeed(ids.get(1));
        engine.succeed(ids.get(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> state(id) == QueryState.SUCCEEDED));

        QueryExecution first = queries.find(ids.get(0));
        assertThat(first.resultLocation()).isEqualTo("s3://results/q/" + first.id() + ".csv");
        assertThat(directory.resolve("s3/results/q/" + first.id() + ".csv")).hasContent("\"n\"\n\"1\"");
        assertThat(directory.resolve("s3/results/q/" + first.id() + ".csv.metadata")).exists();
        assertThat(first.columns()).extracting(Column::name).containsExactly("n");
        assertThat(engine.held).as("no query holds the engine any more").isZero();
    }

    @Test
    void aStoppedQueuedQueryEndsAtOnceAndARunningOneWhenTheEngineHasCancelledIt() {
        String running = start("SELECT 1").id();
        start("SELECT 2");
        String queued = start("SELECT 3").id();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.size() == 2);

        queries.stop(queued);
        assertThat(state(queued)).isEqualTo(QueryState.CANCELLED);
        queries.stop(running);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(running) == QueryState.CANCELLED);
        assertThat(queries.find(running).stateReason()).isEqualTo("Query cancelled by StopQueryExecution");
    }

    @Test
    void aLostEngineFailsItsRunningQueriesWithTheReason() {
        String id = start("SELECT 1").id();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.size() == 1);

        engine.lose("The SQL engine (process 42) exited with code 137");
        assertThat(state(id)).isEqualTo(QueryState.FAILED);
        assertThat(queries.find(id).stateReason()).contains("exited with code 137");
        assertThat(queries.find(id).errorCategory()).isEqualTo(QueryExecutions.SYSTEM_ERROR);
    }

    @Test
    void aRestartFailsTheQueriesThatWereRunningAndRunsTheQueuedOnes() {
        String running = start("SELECT 1").id();
        start("SELECT 2");
        String queued = start("SELECT 3").id();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.size() == 2);
        executor.shutdownNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> state(running) == QueryState.FAILED);
        assertThat(state(queued)).isEqualTo(QueryState.QUEUED);

        executor = Executors.newCachedThreadPool();
        queries = newQueries();
        queries.recover();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.containsKey(queued));
        assertThat(queries.find(running).stateReason()).contains("Hearth stopped");
    }

    @Test
    void aRunningQueryThatNothingRunsIsFailedByTheOrphanCheck() {
        QueryExecution orphan = new QueryExecution(0, "orphan-query", WorkGroup.PRIMARY, null, "SELECT 1", List.of(), null, "default",
                AthenaService.CATALOG, "s3://results/q/", null, QueryState.QUEUED, null, null, null, java.time.Instant.now(), null, null, null, null,
                null, null, List.of(), false);
        store.insert(orphan);
        store.markRunning(orphan.id(), java.time.Instant.now());

        queries.failOrphans();
        assertThat(state(orphan.id())).isEqualTo(QueryState.FAILED);
        assertThat(queries.find(orphan.id()).stateReason()).contains("lost track");

        String held = start("SELECT 2").id();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.containsKey(held));
        queries.failOrphans();
        assertThat(state(held)).as("a query a run holds is left alone").isEqualTo(QueryState.RUNNING);
    }

    @Test
    void aPreparedStatementRunsWithItsUsingValuesOrTheExecutionParametersAndIsDeallocated() {
        QueryExecution prepare = ended(start("PREPARE by_name FROM SELECT ? AS n WHERE 'a' = ?").id());
        assertThat(prepare.state()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(prepare.statementType()).isEqualTo("UTILITY");
        assertThat(directory.resolve("s3/results/q/" + prepare.id() + ".txt")).isEmptyFile();
        assertThat(engine.submitted).as("Hearth runs PREPARE itself").isEmpty();

        String using = start("EXECUTE by_name USING 7, 'it''s, here';").id();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.containsKey(using));
        assertThat(engine.submitted.get(using).sql()).isEqualTo("SELECT 7 AS n WHERE 'a' = 'it''s, here'");
        String parameters = startWith("execute by_name", List.of("8", "'a'")).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.containsKey(parameters));
        assertThat(engine.submitted.get(parameters).sql()).isEqualTo("SELECT 8 AS n WHERE 'a' = 'a'");
        engine.succeed(using);
        engine.succeed(parameters);
        assertThat(ended(using).state()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(ended(parameters).state()).isEqualTo(QueryState.SUCCEEDED);

        assertThat(ended(start("DEALLOCATE PREPARE by_name").id()).state()).isEqualTo(QueryState.SUCCEEDED);
        QueryExecution gone = ended(start("EXECUTE by_name USING 1, 2").id());
        assertThat(gone.state()).isEqualTo(QueryState.FAILED);
        assertThat(gone.stateReason()).isEqualTo("Prepared statement by_name was not found in WorkGroup primary");
        assertThat(gone.errorCategory()).isEqualTo(QueryExecutions.USER_ERROR);
    }

    @Test
    void anExecuteWithTheWrongCountOfValuesFailsAsTheUsersMistake() {
        ended(start("PREPARE two FROM SELECT ? + ?").id());
        QueryExecution wrong = ended(start("EXECUTE two USING 1").id());
        assertThat(wrong.state()).isEqualTo(QueryState.FAILED);
        assertThat(wrong.stateReason()).contains("more ? placeholders than the 1 ExecutionParameters");
        QueryExecution both = ended(startWith("EXECUTE two USING 1, 2", List.of("3", "4")).id());
        assertThat(both.stateReason()).contains("both USING values and ExecutionParameters");
        assertThat(engine.submitted).isEmpty();
    }

    @Test
    void jdbcStatementsAreListedWithTheirEndAndNeverStayRunningWhenTheEngineIsGone() throws Exception {
        JdbcQueryImport jdbc = new JdbcQueryImport(store, engine, Clock.systemUTC());
        engine.jdbc = Optional.of(new JdbcChanges(2, 1, List.of(
                new JdbcQuery(1, "jdbc-1", "SELECT 1", "DML", "anonymous", 1_000, "RUNNING", null, null),
                new JdbcQuery(2, "jdbc-2", "SELEC 2", "DML", "anonymous", 2_000, "FAILED", 2_500L, "[PARSE_SYNTAX_ERROR] at 'SELEC'"))));
        jdbc.importChanges();

        assertThat(state("jdbc-1")).isEqualTo(QueryState.RUNNING);
        QueryExecution failed = queries.find("jdbc-2");
        assertThat(failed.state()).isEqualTo(QueryState.FAILED);
        assertThat(failed.stateReason()).contains("PARSE_SYNTAX_ERROR");
        assertThat(failed.errorCategory()).isEqualTo(QueryExecutions.USER_ERROR);
        assertThat(failed.engineMillis()).isEqualTo(500L);
        assertThat(failed.fromJdbc()).isTrue();
        assertThat(queries.list(null, null, 10)).extracting(QueryExecution::id).contains("jdbc-1", "jdbc-2");
        assertThat(engine.keptAlive).as("an open session keeps the engine in use").isEqualTo(1);

        queries.failOrphans();
        queries.recover();
        assertThat(state("jdbc-1")).as("a JDBC statement is no orphan of the Athena lifecycle").isEqualTo(QueryState.RUNNING);

        engine.jdbc = Optional.of(new JdbcChanges(3, 0, List.of(
                new JdbcQuery(3, "jdbc-1", "SELECT 1", "DML", "anonymous", 1_000, "SUCCEEDED", 1_200L, null))));
        jdbc.importChanges();
        assertThat(state("jdbc-1")).isEqualTo(QueryState.SUCCEEDED);
        assertThat(queries.find("jdbc-1").statementType()).isEqualTo("DML");

        engine.jdbc = Optional.of(new JdbcChanges(4, 1, List.of(
                new JdbcQuery(4, "jdbc-3", "SELECT 3", "DML", "anonymous", 3_000, "RUNNING", null, null))));
        jdbc.importChanges();
        engine.jdbc = Optional.empty();
        jdbc.importChanges();
        assertThat(state("jdbc-3")).isEqualTo(QueryState.FAILED);
        assertThat(queries.find("jdbc-3").stateReason()).isEqualTo(JdbcQueryImport.ENGINE_GONE);
    }

    @Test
    void aNewEngineFailsTheJdbcStatementsItDoesNotKnow() throws Exception {
        JdbcQueryImport jdbc = new JdbcQueryImport(store, engine, Clock.systemUTC());
        engine.jdbc = Optional.of(new JdbcChanges(5, 1, List.of(
                new JdbcQuery(5, "jdbc-old", "SELECT 1", "DML", "anonymous", 1_000, "RUNNING", null, null))));
        jdbc.importChanges();
        // restarted by its supervisor between two calls: its versions count from 0 again
        engine.jdbc = Optional.of(new JdbcChanges(1, 0, List.of(
                new JdbcQuery(1, "jdbc-new", "SELECT 2", "DML", "anonymous", 9_000, "RUNNING", null, null))));
        jdbc.importChanges();
        jdbc.importChanges();
        assertThat(state("jdbc-old")).isEqualTo(QueryState.FAILED);
        assertThat(state("jdbc-new")).isEqualTo(QueryState.RUNNING);
    }

    /** Answers as the engine does; a test ends each query. */
    private static final class FakeEngine implements QueryEngine {
        final Map<String, QueryRequest> submitted = new ConcurrentHashMap<>();
        final Map<String, QueryStatus> statuses = new ConcurrentHashMap<>();
        final List<Consumer<String>> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Path results;
        volatile int held;
        volatile Optional<JdbcChanges> jdbc = Optional.empty();
        volatile int keptAlive;

        FakeEngine(Path results) {
            this.results = results;
        }

        void succeed(String id) {
            try {
                Path file = Path.of(submitted.get(id).resultFile());
                Files.createDirectories(file.getParent());
                Files.writeString(file, "\"n\"\n\"" + submitted.get(id).sql().replace("SELECT ", "") + "\"");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            statuses.put(id, status(id, "SUCCEEDED", null));
        }

        void lose(String reason) {
            lost.forEach(listener -> listener.accept(reason));
        }

        private static QueryStatus status(String id, String state, String error) {
            return new QueryStatus(id, state, "DML", error, null, false, List.of(new Column("n", "integer", 10, 0, "UNKNOWN")), 1, null, 0, 5);
        }

        @Override
        public QueryStatus submit(QueryRequest request) {
            submitted.put(request.id(), request);
            statuses.put(request.id(), status(request.id(), "RUNNING", null));
            return statuses.get(request.id());
        }

        @Override
        public QueryStatus status(String id, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + Math.min(wait.toNanos(), Duration.ofMillis(100).toNanos());
            while (!statuses.get(id).ended() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return statuses.get(id);
        }

        @Override
        public QueryStatus cancel(String id, String reason) {
            statuses.put(id, status(id, "CANCELLED", reason));
            return statuses.get(id);
        }

        @Override
        public synchronized void started() {
            held++;
        }

        @Override
        public synchronized void finished() {
            held--;
        }

        @Override
        public void onEngineLost(Consumer<String> listener) {
            lost.add(listener);
        }

        @Override
        public Path resultsDirectory() {
            return results;
        }

        @Override
        public Optional<JdbcChanges> jdbcChanges(long version) {
            return jdbc.map(changes -> new JdbcChanges(changes.version(), changes.openSessions(),
                    changes.queries().stream().filter(query -> query.version() > version).toList()));
        }

        @Override
        public void keepAlive() {
            keptAlive++;
        }
    }
}
