package io.hearth.server.athena;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The Athena API's request and response shapes Hearth reads and writes, named as the service model names them. */
final class AthenaShapes {
    private AthenaShapes() {}

    record ResultConfiguration(String outputLocation) {}

    record QueryExecutionContext(String database, String catalog) {}

    record StartQueryExecutionRequest(String queryString, String clientRequestToken, QueryExecutionContext queryExecutionContext,
            ResultConfiguration resultConfiguration, String workGroup, List<String> executionParameters) {}

    record StartQueryExecutionResponse(String queryExecutionId) {}

    record QueryExecutionIdRequest(String queryExecutionId) {}

    record BatchGetQueryExecutionRequest(List<String> queryExecutionIds) {}

    record ListQueryExecutionsRequest(String nextToken, Integer maxResults, String workGroup) {}

    record ListQueryExecutionsResponse(List<String> queryExecutionIds, String nextToken) {}

    record AthenaError(Integer errorCategory, Integer errorType, Boolean retryable, String errorMessage) {}

    record QueryExecutionStatus(String state, String stateChangeReason, Instant submissionDateTime, Instant completionDateTime,
            AthenaError athenaError) {}

    record ResultReuseInformation(boolean reusedPreviousResult) {}

    record QueryExecutionStatistics(Long engineExecutionTimeInMillis, Long dataScannedInBytes, Long totalExecutionTimeInMillis,
            Long queryQueueTimeInMillis, Long servicePreProcessingTimeInMillis, Long queryPlanningTimeInMillis, Long serviceProcessingTimeInMillis,
            ResultReuseInformation resultReuseInformation) {}

    record EngineVersion(String selectedEngineVersion, String effectiveEngineVersion) {}

    record QueryExecution(String queryExecutionId, String query, String statementType, ResultConfiguration resultConfiguration,
            QueryExecutionContext queryExecutionContext, QueryExecutionStatus status, QueryExecutionStatistics statistics, String workGroup,
            EngineVersion engineVersion, List<String> executionParameters) {}

    record GetQueryExecutionResponse(QueryExecution queryExecution) {}

    record UnprocessedQueryExecutionId(String queryExecutionId, String errorCode, String errorMessage) {}

    record BatchGetQueryExecutionResponse(List<QueryExecution> queryExecutions, List<UnprocessedQueryExecutionId> unprocessedQueryExecutionIds) {}

    record GetQueryResultsRequest(String queryExecutionId, String nextToken, Integer maxResults) {}

    record Datum(String varCharValue) {}

    record Row(List<Datum> data) {}

    record ColumnInfo(String catalogName, String schemaName, String tableName, String name, String label, String type, int precision, int scale,
            String nullable, boolean caseSensitive) {}

    record ResultSetMetadata(List<ColumnInfo> columnInfo) {}

    record ResultSet(List<Row> rows, ResultSetMetadata resultSetMetadata) {}

    record GetQueryResultsResponse(Long updateCount, ResultSet resultSet, String nextToken) {}

    record QueryRuntimeStatisticsTimeline(Long queryQueueTimeInMillis, Long servicePreProcessingTimeInMillis, Long queryPlanningTimeInMillis,
            Long engineExecutionTimeInMillis, Long serviceProcessingTimeInMillis, Long totalExecutionTimeInMillis) {}

    record QueryRuntimeStatisticsRows(Long inputRows, Long inputBytes, Long outputBytes, Long outputRows) {}

    record QueryRuntimeStatistics(QueryRuntimeStatisticsTimeline timeline, QueryRuntimeStatisticsRows rows) {}

    record GetQueryRuntimeStatisticsResponse(QueryRuntimeStatistics queryRuntimeStatistics) {}

    record WorkGroupConfiguration(ResultConfiguration resultConfiguration, Boolean enforceWorkGroupConfiguration,
            Boolean publishCloudWatchMetricsEnabled, Long bytesScannedCutoffPerQuery, Boolean requesterPaysEnabled, EngineVersion engineVersion) {}

    record Tag(String key, String value) {}

    record CreateWorkGroupRequest(String name, WorkGroupConfiguration configuration, String description, List<Tag> tags) {}

    record WorkGroupNameRequest(String workGroup) {}

    record DeleteWorkGroupRequest(String workGroup, Boolean recursiveDeleteOption) {}

    record ResultConfigurationUpdates(String outputLocation, Boolean removeOutputLocation) {}

    record WorkGroupConfigurationUpdates(Boolean enforceWorkGroupConfiguration, ResultConfigurationUpdates resultConfigurationUpdates,
            Long bytesScannedCutoffPerQuery, Boolean removeBytesScannedCutoffPerQuery) {}

    record UpdateWorkGroupRequest(String workGroup, String description, WorkGroupConfigurationUpdates configurationUpdates, String state) {}

    record WorkGroupShape(String name, String state, WorkGroupConfiguration configuration, String description, Instant creationTime) {}

    record GetWorkGroupResponse(WorkGroupShape workGroup) {}

    record ListWorkGroupsRequest(String nextToken, Integer maxResults) {}

    record WorkGroupSummary(String name, String state, String description, Instant creationTime, EngineVersion engineVersion) {}

    record ListWorkGroupsResponse(List<WorkGroupSummary> workGroups, String nextToken) {}

    record DataCatalogSummary(String catalogName, String type) {}

    record ListDataCatalogsResponse(List<DataCatalogSummary> dataCatalogsSummary) {}

    record CreateNamedQueryRequest(String name, String description, String database, String queryString, String clientRequestToken,
            String workGroup) {}

    record CreateNamedQueryResponse(String namedQueryId) {}

    record NamedQueryIdRequest(String namedQueryId) {}

    record NamedQueryShape(String name, String description, String database, String queryString, String namedQueryId, String workGroup) {}

    record GetNamedQueryResponse(NamedQueryShape namedQuery) {}

    record ListNamedQueriesRequest(String nextToken, Integer maxResults, String workGroup) {}

    record ListNamedQueriesResponse(List<String> namedQueryIds, String nextToken) {}

    record BatchGetNamedQueryRequest(List<String> namedQueryIds) {}

    record UnprocessedNamedQueryId(String namedQueryId, String errorCode, String errorMessage) {}

    record BatchGetNamedQueryResponse(List<NamedQueryShape> namedQueries, List<UnprocessedNamedQueryId> unprocessedNamedQueryIds) {}

    record UpdateNamedQueryRequest(String namedQueryId, String name, String description, String queryString) {}

    record CatalogRequest(String catalogName, String databaseName, String tableName, String expression, String nextToken, Integer maxResults) {}

    record DatabaseShape(String name, String description, Map<String, String> parameters) {}

    record ListDatabasesResponse(List<DatabaseShape> databaseList, String nextToken) {}

    record GetDatabaseResponse(DatabaseShape database) {}

    record ColumnShape(String name, String type, String comment) {}

    record TableMetadata(String name, Instant createTime, Instant lastAccessTime, String tableType, List<ColumnShape> columns,
            List<ColumnShape> partitionKeys, Map<String, String> parameters) {}

    record ListTableMetadataResponse(List<TableMetadata> tableMetadataList, String nextToken) {}

    record GetTableMetadataResponse(TableMetadata tableMetadata) {}

    /** CreatePreparedStatement's and UpdatePreparedStatement's request. */
    record PreparedStatementRequest(String statementName, String workGroup, String queryStatement, String description) {}

    record PreparedStatementNameRequest(String statementName, String workGroup) {}

    record PreparedStatementShape(String statementName, String queryStatement, String workGroupName, String description, Instant lastModifiedTime) {}

    record GetPreparedStatementResponse(PreparedStatementShape preparedStatement) {}

    record ListPreparedStatementsRequest(String workGroup, String nextToken, Integer maxResults) {}

    record PreparedStatementSummary(String statementName, Instant lastModifiedTime) {}

    record ListPreparedStatementsResponse(List<PreparedStatementSummary> preparedStatements, String nextToken) {}

    record BatchGetPreparedStatementRequest(List<String> preparedStatementNames, String workGroup) {}

    record UnprocessedPreparedStatementName(String statementName, String errorCode, String errorMessage) {}

    record BatchGetPreparedStatementResponse(List<PreparedStatementShape> preparedStatements,
            List<UnprocessedPreparedStatementName> unprocessedPreparedStatementNames) {}

    record TagResourceRequest(String resourceARN, List<Tag> tags, List<String> tagKeys, String nextToken, Integer maxResults) {}

    record ListTagsForResourceResponse(List<Tag> tags, String nextToken) {}
}
