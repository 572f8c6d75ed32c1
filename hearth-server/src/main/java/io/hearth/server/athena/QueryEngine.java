package io.hearth.server.athena;

import io.hearth.server.sql.EngineClient;
import io.hearth.server.sql.EngineClient.JdbcChanges;
import io.hearth.server.sql.EngineClient.QueryRequest;
import io.hearth.server.sql.EngineClient.QueryStatus;
import io.hearth.server.sql.SqlEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** What the Athena API needs of the SQL engine; {@link #of} is the real engine, unit tests give their own. */
interface QueryEngine {
    /** Hands a query to the engine, starting the engine first when it is not running. */
    QueryStatus submit(QueryRequest request) throws IOException, InterruptedException;

    QueryStatus status(String id, Duration wait) throws IOException, InterruptedException;

    QueryStatus cancel(String id, String reason) throws IOException, InterruptedException;

    /** A query holds the engine from {@code started} to {@code finished}: no idle shutdown in between. */
    void started();

    void finished();

    void onEngineLost(Consumer<String> listener);

    /** Where the engine writes result files before Hearth moves them to the query's result location. */
    Path resultsDirectory();

    /** The JDBC statements that changed after {@code version}, when the engine runs; empty when it does not. Starts nothing. */
    Optional<JdbcChanges> jdbcChanges(long version) throws IOException, InterruptedException;

    /** Keeps the engine from idle shutdown as a query does, for a JDBC client that is connected. */
    void keepAlive();

    static QueryEngine of(SqlEngine engine) {
        return new QueryEngine() {
            @Override
            public QueryStatus submit(QueryRequest request) throws IOException, InterruptedException {
                return engine.awaitClient().submit(request);
            }

            @Override
            public QueryStatus status(String id, Duration wait) throws IOException, InterruptedException {
                return client().status(id, wait);
            }

            @Override
            public QueryStatus cancel(String id, String reason) throws IOException, InterruptedException {
                return client().cancel(id, reason);
            }

            private EngineClient client() throws InterruptedException {
                return engine.awaitClient();
            }

            @Override
            public void started() {
                engine.started();
            }

            @Override
            public void finished() {
                engine.finished();
            }

            @Override
            public Optional<JdbcChanges> jdbcChanges(long version) throws IOException, InterruptedException {
                Optional<EngineClient> running = engine.runningClient();
                return running.isEmpty() ? Optional.empty() : Optional.of(running.get().jdbcChanges(version));
            }

            @Override
            public void keepAlive() {
                engine.keepAlive();
            }

            @Override
            public void onEngineLost(Consumer<String> listener) {
                engine.onEngineLost(listener);
            }

            @Override
            public Path resultsDirectory() {
                return engine.resultsDirectory();
            }
        };
    }
}
