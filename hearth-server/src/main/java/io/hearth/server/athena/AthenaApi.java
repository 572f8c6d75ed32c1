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
import org.slf4j.LoggerFactory;

/** Wires the Athena API over the SQL engine: its stores, the query lifecycle and the service on Hearth's port. */
public final class AthenaApi {
    /** How often RUNNING queries are checked for a run that holds them. */
    private static final Duration ORPHAN_CHECK = Duration.ofSeconds(30);

    private final QueryExecutions queries;
    private final ScheduledExecutorService housekeeping;

    private AthenaApi(QueryExecutions queries, ScheduledExecutorService housekeeping) {
        this.queries = queries;
        this.housekeeping = housekeeping;
    }

    public static AthenaApi open(ServerContext context, Routes routes, SqlEngine engine, LocationResolver locations, MetastoreServer metastore) {
        ResultFiles results = new ResultFiles(engine.resultsDirectory(), locations);
        QueryExecutions queries = new QueryExecutions(new QueryExecutionStore(context.database().jdbi()), QueryEngine.of(engine), results,
                context.worker(), context.clock(), context.config().sql().maxConcurrentQueries());
        WorkGroups workGroups = new WorkGroups(new WorkGroupStore(context.database().jdbi()), results, context.clock());
        NamedQueries namedQueries = new NamedQueries(new NamedQueryStore(context.database().jdbi()), workGroups, context.clock());
        routes.addAwsService(new AthenaService(ServiceModel.load("/io/hearth/server/aws/models/athena-2017-05-18.json.gz"), routes.awsJsonMapper(),
                queries, workGroups, namedQueries, new CatalogMetadata(metastore), results, context.clock()).service());
        return new AthenaApi(queries, context.housekeeping());
    }

    private void checkOrphans() {
        try {
            queries.failOrphans();
        } catch (RuntimeException e) {
            // the database may be closing with Hearth; the next check tries again
            LoggerFactory.getLogger(AthenaApi.class).warn("Cannot check the running queries: {}", e.toString());
        }
    }

    /** Ends the queries an earlier Hearth left running and runs the queued ones. */
    public void start() {
        queries.recover();
        housekeeping.scheduleWithFixedDelay(this::checkOrphans, ORPHAN_CHECK.toMillis(), ORPHAN_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }
}
