package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.BatchGetNamedQueryRequest;
import io.hearth.server.athena.AthenaShapes.BatchGetPreparedStatementRequest;
import io.hearth.server.athena.AthenaShapes.BatchGetQueryExecutionRequest;
import io.hearth.server.athena.AthenaShapes.BatchGetQueryExecutionResponse;
import io.hearth.server.athena.AthenaShapes.CatalogRequest;
import io.hearth.server.athena.AthenaShapes.CreateNamedQueryRequest;
import io.hearth.server.athena.AthenaShapes.CreateNamedQueryResponse;
import io.hearth.server.athena.AthenaShapes.CreateWorkGroupRequest;
import io.hearth.server.athena.AthenaShapes.DataCatalogSummary;
import io.hearth.server.athena.AthenaShapes.Datum;
import io.hearth.server.athena.AthenaShapes.DeleteWorkGroupRequest;
import io.hearth.server.athena.AthenaShapes.GetDatabaseResponse;
import io.hearth.server.athena.AthenaShapes.GetNamedQueryResponse;
import io.hearth.server.athena.AthenaShapes.GetPreparedStatementResponse;
import io.hearth.server.athena.AthenaShapes.GetQueryExecutionResponse;
import io.hearth.server.athena.AthenaShapes.GetQueryResultsRequest;
import io.hearth.server.athena.AthenaShapes.GetQueryResultsResponse;
import io.hearth.server.athena.AthenaShapes.GetQueryRuntimeStatisticsResponse;
import io.hearth.server.athena.AthenaShapes.GetTableMetadataResponse;
import io.hearth.server.athena.AthenaShapes.GetWorkGroupResponse;
import io.hearth.server.athena.AthenaShapes.ListDataCatalogsResponse;
import io.hearth.server.athena.AthenaShapes.ListNamedQueriesRequest;
import io.hearth.server.athena.AthenaShapes.ListPreparedStatementsRequest;
import io.hearth.server.athena.AthenaShapes.ListQueryExecutionsRequest;
import io.hearth.server.athena.AthenaShapes.ListQueryExecutionsResponse;
import io.hearth.server.athena.AthenaShapes.ListWorkGroupsRequest;
import io.hearth.server.athena.AthenaShapes.ListWorkGroupsResponse;
import io.hearth.server.athena.AthenaShapes.NamedQueryIdRequest;
import io.hearth.server.athena.AthenaShapes.PreparedStatementNameRequest;
import io.hearth.server.athena.AthenaShapes.PreparedStatementRequest;
import io.hearth.server.athena.AthenaShapes.QueryExecutionIdRequest;
import io.hearth.server.athena.AthenaShapes.QueryExecutionStatistics;
import io.hearth.server.athena.AthenaShapes.QueryRuntimeStatistics;
import io.hearth.server.athena.AthenaShapes.QueryRuntimeStatisticsRows;
import io.hearth.server.athena.AthenaShapes.QueryRuntimeStatisticsTimeline;
import io.hearth.server.athena.AthenaShapes.ResultSet;
import io.hearth.server.athena.AthenaShapes.ResultSetMetadata;
import io.hearth.server.athena.AthenaShapes.Row;
import io.hearth.server.athena.AthenaShapes.StartQueryExecutionRequest;
import io.hearth.server.athena.AthenaShapes.StartQueryExecutionResponse;
import io.hearth.server.athena.AthenaShapes.TagResourceRequest;
import io.hearth.server.athena.AthenaShapes.UnprocessedQueryExecutionId;
import io.hearth.server.athena.AthenaShapes.UpdateNamedQueryRequest;
import io.hearth.server.athena.AthenaShapes.UpdateWorkGroupRequest;
import io.hearth.server.athena.AthenaShapes.WorkGroupNameRequest;
import io.hearth.server.athena.AthenaShapes.WorkGroupSummary;
import io.hearth.server.aws.AwsErrorDialect;
import io.hearth.server.aws.AwsService;
import io.hearth.server.aws.OperationTable;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.aws.TabledService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Athena API (AmazonAthena.*) over the SQL engine: queries with their results, work groups, named queries,
 * prepared statements and the catalog's metadata. Queries name tables of Hearth's one catalog, {@code AwsDataCatalog},
 * the Glue catalog steps use too.
 */
public final class AthenaService {
    /** The one data catalog: Glue's, as every Athena account has it. */
    static final String CATALOG = "AwsDataCatalog";
    private static final int DEFAULT_PAGE = 50;

    private final ServiceModel model;
    private final OperationTable operations;
    private final QueryExecutions queries;
    private final WorkGroups workGroups;
    private final ResultFiles results;
    private final Clock clock;

    AthenaService(ServiceModel model, ObjectMapper mapper, QueryExecutions queries, WorkGroups workGroups, NamedQueries namedQueries,
            PreparedStatements statements, Tags tags, CatalogMetadata catalog, ResultFiles results, Clock clock) {
        this.model = requireNonNull(model, "model is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.workGroups = requireNonNull(workGroups, "workGroups is null");
        this.results = requireNonNull(results, "results is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.operations = new OperationTable(mapper, "Athena")
                .on("StartQueryExecution", StartQueryExecutionRequest.class, (input, request) -> start(input))
                .on("GetQueryExecution", QueryExecutionIdRequest.class,
                        (input, request) -> new GetQueryExecutionResponse(AthenaResponses.queryExecution(queries.find(input.queryExecutionId()), clock)))
                .on("BatchGetQueryExecution", BatchGetQueryExecutionRequest.class, (input, request) -> batchGet(input))
                .on("ListQueryExecutions", ListQueryExecutionsRequest.class, (input, request) -> list(input))
                .on("StopQueryExecution", QueryExecutionIdRequest.class, (input, request) -> {
                    queries.stop(input.queryExecutionId());
                    return null;
                })
                .on("GetQueryResults", GetQueryResultsRequest.class, (input, request) -> results(input))
                .on("GetQueryRuntimeStatistics", QueryExecutionIdRequest.class, (input, request) -> runtimeStatistics(input))
                .on("CreateWorkGroup", CreateWorkGroupRequest.class, (input, request) -> {
                    // The tags are checked first, so that a bad tag leaves no work group behind.
                    Map<String, String> validTags = tags.validated(input.tags());
                    workGroups.create(input);
                    tags.tagWorkGroup(input.name(), validTags);
                    return null;
                })
                .on("GetWorkGroup", WorkGroupNameRequest.class,
                        (input, request) -> new GetWorkGroupResponse(AthenaResponses.workGroup(workGroups.get(input.workGroup()))))
                .on("ListWorkGroups", ListWorkGroupsRequest.class, (input, request) -> listWorkGroups(input))
                .on("UpdateWorkGroup", UpdateWorkGroupRequest.class, (input, request) -> {
                    workGroups.update(input);
                    return null;
                })
                .on("DeleteWorkGroup", DeleteWorkGroupRequest.class, (input, request) -> {
                    workGroups.delete(input.workGroup());
                    statements.forget(input.workGroup());
                    tags.forgetWorkGroup(input.workGroup());
                    return null;
                })
                .on("CreateNamedQuery", CreateNamedQueryRequest.class, (input, request) -> new CreateNamedQueryResponse(namedQueries.create(input)))
                .on("GetNamedQuery", NamedQueryIdRequest.class,
                        (input, request) -> new GetNamedQueryResponse(NamedQueries.shape(namedQueries.get(input.namedQueryId()))))
                .on("ListNamedQueries", ListNamedQueriesRequest.class, (input, request) -> namedQueries.list(input))
                .on("BatchGetNamedQuery", BatchGetNamedQueryRequest.class, (input, request) -> namedQueries.batchGet(input.namedQueryIds()))
                .on("UpdateNamedQuery", UpdateNamedQueryRequest.class, (input, request) -> {
                    namedQueries.update(input);
                    return null;
                })
                .on("DeleteNamedQuery", NamedQueryIdRequest.class, (input, request) -> {
                    namedQueries.delete(input.namedQueryId());
                    return null;
                })
                .on("CreatePreparedStatement", PreparedStatementRequest.class, (input, request) -> {
                    statements.create(input);
                    return null;
                })
                .on("GetPreparedStatement", PreparedStatementNameRequest.class,
                        (input, request) -> new GetPreparedStatementResponse(statements.get(input.workGroup(), input.statementName())))
                .on("ListPreparedStatements", ListPreparedStatementsRequest.class,
                        (input, request) -> statements.list(input.workGroup(), input.nextToken(), input.maxResults()))
                .on("BatchGetPreparedStatement", BatchGetPreparedStatementRequest.class,
                        (input, request) -> statements.batchGet(input.workGroup(), input.preparedStatementNames()))
                .on("UpdatePreparedStatement", PreparedStatementRequest.class, (input, request) -> {
                    statements.update(input);
                    return null;
                })
                .on("DeletePreparedStatement", PreparedStatementNameRequest.class, (input, request) -> {
                    statements.delete(input.workGroup(), input.statementName());
                    return null;
                })
                .on("TagResource", TagResourceRequest.class, (input, request) -> {
                    tags.tag(input.resourceARN(), input.tags());
                    return null;
                })
                .on("UntagResource", TagResourceRequest.class, (input, request) -> {
                    tags.untag(input.resourceARN(), input.tagKeys());
                    return null;
                })
                .on("ListTagsForResource", TagResourceRequest.class,
                        (input, request) -> tags.list(input.resourceARN(), input.nextToken(), input.maxResults()))
                .on("ListDatabases", CatalogRequest.class,
                        (input, request) -> catalog.listDatabases(input.catalogName(), input.nextToken(), input.maxResults()))
                .on("GetDatabase", CatalogRequest.class,
                        (input, request) -> new GetDatabaseResponse(catalog.database(input.catalogName(), input.databaseName())))
                .on("ListTableMetadata", CatalogRequest.class, (input, request) -> catalog.listTables(input.catalogName(), input.databaseName(),
                        input.expression(), input.nextToken(), input.maxResults()))
                .on("GetTableMetadata", CatalogRequest.class, (input, request) -> new GetTableMetadataResponse(
                        catalog.table(input.catalogName(), input.databaseName(), input.tableName())))
                .on("ListDataCatalogs", JsonNode.class,
                        (input, request) -> new ListDataCatalogsResponse(List.of(new DataCatalogSummary(CATALOG, "GLUE"))));
    }

    private StartQueryExecutionResponse start(StartQueryExecutionRequest input) {
        WorkGroup group = workGroups.forQuery(input.workGroup());
        String requestedLocation = input.resultConfiguration() == null ? null : input.resultConfiguration().outputLocation();
        String database = input.queryExecutionContext() == null || input.queryExecutionContext().database() == null ? "default"
                : input.queryExecutionContext().database();
        String catalog = input.queryExecutionContext() == null ? null : input.queryExecutionContext().catalog();
        if (catalog != null && !catalog.equalsIgnoreCase(CATALOG)) {
            throw HearthException.invalidArgument("QueryExecutionContext.Catalog %s does not exist: Hearth's one data catalog is %s", catalog, CATALOG);
        }
        QueryExecutions.Submission submission = new QueryExecutions.Submission(input.queryString(),
                input.executionParameters() == null ? List.of() : input.executionParameters(), database.toLowerCase(Locale.ROOT), CATALOG,
                group.name(), workGroups.outputFolder(group, requestedLocation), group.bytesScannedCutoff(), input.clientRequestToken());
        return new StartQueryExecutionResponse(queries.start(submission).id());
    }

    private BatchGetQueryExecutionResponse batchGet(BatchGetQueryExecutionRequest input) {
        List<AthenaShapes.QueryExecution> found = new ArrayList<>();
        List<UnprocessedQueryExecutionId> missing = new ArrayList<>();
        for (String id : input.queryExecutionIds()) {
            try {
                found.add(AthenaResponses.queryExecution(queries.find(id), clock));
            } catch (HearthException e) {
                missing.add(new UnprocessedQueryExecutionId(id, "INVALID_INPUT", e.getMessage()));
            }
        }
        return new BatchGetQueryExecutionResponse(found, missing);
    }

    private ListQueryExecutionsResponse list(ListQueryExecutionsRequest input) {
        int limit = input.maxResults() == null ? DEFAULT_PAGE : input.maxResults();
        String group = input.workGroup() == null ? null : workGroups.get(input.workGroup()).name();
        Long before = input.nextToken() == null ? null : AthenaResponses.seq(input.nextToken(), "queries");
        List<QueryExecution> page = queries.list(group, before, limit + 1);
        boolean more = page.size() > limit;
        List<QueryExecution> shown = more ? page.subList(0, limit) : page;
        String next = more ? AthenaResponses.token("queries", Long.toString(shown.get(shown.size() - 1).seq())) : null;
        return new ListQueryExecutionsResponse(shown.stream().map(QueryExecution::id).toList(), next);
    }

    private GetQueryResultsResponse results(GetQueryResultsRequest input) {
        QueryExecution query = queries.find(input.queryExecutionId());
        if (query.fromJdbc()) {
            throw HearthException.invalidArgument("Query %s was run by a JDBC client, which got its rows; Hearth keeps no result of it", query.id());
        }
        switch (query.state()) {
            case QUEUED, RUNNING -> throw HearthException.invalidArgument("Query has not yet finished. Current state: %s", query.state());
            case FAILED, CANCELLED -> throw HearthException.invalidArgument("Query did not finish successfully. Final query state: %s%s",
                    query.state(), query.stateReason() == null ? "" : " (" + query.stateReason() + ")");
            default -> { }
        }
        int limit = input.maxResults() == null ? 1000 : input.maxResults();
        long offset = input.nextToken() == null ? 0 : AthenaResponses.seq(input.nextToken(), query.id());
        List<List<String>> rows = results.rows(query, offset, limit + 1);
        boolean more = rows.size() > limit;
        List<Row> page = (more ? rows.subList(0, limit) : rows).stream()
                .map(values -> new Row(values.stream().map(Datum::new).toList()))
                .toList();
        String next = more ? AthenaResponses.token(query.id(), Long.toString(offset + limit)) : null;
        ResultSetMetadata metadata = new ResultSetMetadata(query.columns().stream().map(AthenaResponses::columnInfo).toList());
        long updateCount = query.updateCount() == null ? 0 : query.updateCount();
        return new GetQueryResultsResponse(updateCount, new ResultSet(page, metadata), next);
    }

    private GetQueryRuntimeStatisticsResponse runtimeStatistics(QueryExecutionIdRequest input) {
        QueryExecution query = queries.find(input.queryExecutionId());
        QueryExecutionStatistics statistics = AthenaResponses.statistics(query, clock);
        QueryRuntimeStatisticsTimeline timeline = new QueryRuntimeStatisticsTimeline(statistics.queryQueueTimeInMillis(), 0L, 0L,
                statistics.engineExecutionTimeInMillis(), statistics.serviceProcessingTimeInMillis(), statistics.totalExecutionTimeInMillis());
        QueryRuntimeStatisticsRows rows = new QueryRuntimeStatisticsRows(null, statistics.dataScannedInBytes(), null, query.resultRows());
        return new GetQueryRuntimeStatisticsResponse(new QueryRuntimeStatistics(timeline, rows));
    }

    private ListWorkGroupsResponse listWorkGroups(ListWorkGroupsRequest input) {
        int limit = input.maxResults() == null ? DEFAULT_PAGE : input.maxResults();
        String after = input.nextToken() == null ? null : AthenaResponses.position(input.nextToken(), "workgroups");
        List<WorkGroup> page = workGroups.list(after, limit + 1);
        boolean more = page.size() > limit;
        List<WorkGroup> shown = more ? page.subList(0, limit) : page;
        return new ListWorkGroupsResponse(shown.stream()
                .map(group -> new WorkGroupSummary(group.name(), group.enabled() ? "ENABLED" : "DISABLED", group.description(), group.createdAt(),
                        AthenaResponses.ENGINE_VERSION))
                .toList(), more ? AthenaResponses.token("workgroups", shown.get(shown.size() - 1).name()) : null);
    }

    /** The service to register on Hearth's port. */
    AwsService service() {
        return new TabledService(model, operations, AwsErrorDialect.ATHENA);
    }
}
