package io.hearth.server.athena;

import io.hearth.server.ServerContext;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.http.Routes;
import io.hearth.server.sql.SqlEngine;
import io.hearth.server.storage.LocationResolver;

/** Wires the Athena API over the SQL engine: its stores, the query lifecycle and the service on Hearth's port. */
public final class AthenaApi {
    private final QueryExecutions queries;

    private AthenaApi(QueryExecutions queries) {
        this.queries = queries;
    }

    public static AthenaApi open(ServerContext context, Routes routes, SqlEngine engine, LocationResolver locations) {
        ResultFiles results = new ResultFiles(engine.resultsDirectory(), locations);
        QueryExecutions queries = new QueryExecutions(new QueryExecutionStore(context.database().jdbi()), QueryEngine.of(engine), results,
                context.worker(), context.clock(), context.config().sql().maxConcurrentQueries());
        WorkGroups workGroups = new WorkGroups(new WorkGroupStore(context.database().jdbi()), results, context.clock());
        routes.addAwsService(new AthenaService(ServiceModel.load("/io/hearth/server/aws/models/athena-2017-05-18.json.gz"), routes.awsJsonMapper(),
                queries, workGroups, results, context.clock()).service());
        return new AthenaApi(queries);
    }

    /** Ends the queries an earlier Hearth left running and runs the queued ones. */
    public void start() {
        queries.recover();
    }
}
