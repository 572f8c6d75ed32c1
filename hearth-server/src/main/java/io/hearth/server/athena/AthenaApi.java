package io.hearth.server.athena;

import io.hearth.server.ServerContext;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.http.Routes;
import io.hearth.server.sql.SqlEngine;
import io.hearth.server.storage.LocationResolver;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;

/** Wires the Athena API over the SQL engine: its stores, the query lifecycle and the service on Hearth's port. */
public final class AthenaApi {
    /** How often RUNNING queries are checked for a run that holds them. */
    private static final Duration ORPHAN_CHECK = Duration.ofSeconds(30);
    /** How often the statements of JDBC clients are brought into the query list. */
    private static final Duration JDBC_IMPORT = Duration.ofSeconds(2);

    private final QueryExecutions queries;
    private final JdbcQueryImport jdbcImport;
    private final ScheduledExecutorService housekeeping;

    private AthenaApi(QueryExecutions queries, JdbcQueryImport jdbcImport, ScheduledExecutorService housekeeping) {
        this.queries = queries;
        this.jdbcImport = jdbcImport;
        this.housekeeping = housekeeping;
    }

    public static AthenaApi open(ServerContext context, Routes routes, SqlEngine engine, LocationResolver locations, MetastoreServer metastore) {
        ResultFiles results = new ResultFiles(engine.resultsDirectory(), locations);
        Jdbi jdbi = context.database().jdbi();
        WorkGroups workGroups = new WorkGroups(new WorkGroupStore(jdbi), results, context.clock());
        PreparedStatements statements = new PreparedStatements(new PreparedStatementStore(jdbi), workGroups, context.clock());
        QueryExecutionStore store = new QueryExecutionStore(jdbi);
        QueryEngine queryEngine = QueryEngine.of(engine);
        QueryExecutions queries = new QueryExecutions(store, queryEngine, results, statements, context.worker(), context.clock(),
                context.config().sql().maxConcurrentQueries());
        NamedQueries namedQueries = new NamedQueries(new NamedQueryStore(jdbi), workGroups, context.clock());
        Tags tags = new Tags(new TagStore(jdbi), workGroups);
        routes.addAwsService(new AthenaService(ServiceModel.load("/io/hearth/server/aws/models/athena-2017-05-18.json.gz"), routes.awsJsonMapper(),
                queries, workGroups, namedQueries, statements, tags, new CatalogMetadata(metastore), results, context.clock()).service());
        return new AthenaApi(queries, new JdbcQueryImport(store, queryEngine, context.clock()), context.housekeeping());
    }

    private void checkOrphans() {
        try {
            queries.failOrphans();
        } catch (RuntimeException e) {
            // the database may be closing with Hearth; the next check tries again
            LoggerFactory.getLogger(AthenaApi.class).warn("Cannot check the running queries: {}", e.toString());
        }
    }

    private void importJdbcQueries() {
        try {
            jdbcImport.importChanges();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(AthenaApi.class).warn("Cannot list the JDBC statements of the SQL engine: {}", e.toString());
        }
    }

    /** Ends the queries an earlier Hearth left running, runs the queued ones, and starts following JDBC statements. */
    public void start() {
        queries.recover();
        housekeeping.scheduleWithFixedDelay(this::checkOrphans, ORPHAN_CHECK.toMillis(), ORPHAN_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::importJdbcQueries, JDBC_IMPORT.toMillis(), JDBC_IMPORT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
