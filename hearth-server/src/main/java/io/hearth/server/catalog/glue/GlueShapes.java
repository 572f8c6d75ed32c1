package io.hearth.server.catalog.glue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Glue request and response shapes Hearth reads and writes, named as in the Glue service
 * model (record components map to PascalCase members, see AwsJson). Request timestamps arrive as
 * epoch seconds and are read as numbers. Members Hearth does not use are still validated against
 * the model and otherwise ignored.
 */
final class GlueShapes {
    private GlueShapes() {}

    // ------------------------------------------------------------------ catalog objects

    record DatabaseInput(String name, String description, String locationUri, Map<String, String> parameters) {}

    record Database(String name, String description, String locationUri, Map<String, String> parameters, Instant createTime,
            String catalogId) {}

    record Column(String name, String type, String comment, Map<String, String> parameters) {}

    record SerDeInfo(String name, String serializationLibrary, Map<String, String> parameters) {}

    record Order(String column, Integer sortOrder) {}

    record SkewedInfo(List<String> skewedColumnNames, List<String> skewedColumnValues, Map<String, String> skewedColumnValueLocationMaps) {}

    record StorageDescriptor(
            List<Column> columns,
            String location,
            List<String> additionalLocations,
            String inputFormat,
            String outputFormat,
            Boolean compressed,
            Integer numberOfBuckets,
            SerDeInfo serdeInfo,
            List<String> bucketColumns,
            List<Order> sortColumns,
            Map<String, String> parameters,
            SkewedInfo skewedInfo,
            Boolean storedAsSubDirectories,
            Object schemaReference) {}

    record TableInput(
            String name,
            String description,
            String owner,
            BigDecimal lastAccessTime,
            BigDecimal lastAnalyzedTime,
            Integer retention,
            StorageDescriptor storageDescriptor,
            List<Column> partitionKeys,
            String viewOriginalText,
            String viewExpandedText,
            String tableType,
            Map<String, String> parameters) {}

    record Table(
            String name,
            String databaseName,
            String description,
            String owner,
            Instant createTime,
            Instant updateTime,
            Instant lastAccessTime,
            Instant lastAnalyzedTime,
            Integer retention,
            StorageDescriptor storageDescriptor,
            List<Column> partitionKeys,
            String viewOriginalText,
            String viewExpandedText,
            String tableType,
            Map<String, String> parameters,
            Boolean isRegisteredWithLakeFormation,
            String catalogId,
            String versionId) {}

    record PartitionInput(List<String> values, BigDecimal lastAccessTime, StorageDescriptor storageDescriptor, Map<String, String> parameters,
            BigDecimal lastAnalyzedTime) {}

    record Partition(
            List<String> values,
            String databaseName,
            String tableName,
            Instant creationTime,
            Instant lastAccessTime,
            StorageDescriptor storageDescriptor,
            Map<String, String> parameters,
            Instant lastAnalyzedTime,
            String catalogId) {}

    record ErrorDetail(String errorCode, String errorMessage) {}

    record PartitionValueList(List<String> values) {}

    record Segment(int segmentNumber, int totalSegments) {}

    // ------------------------------------------------------------------ databases

    record CreateDatabaseRequest(String catalogId, DatabaseInput databaseInput) {}

    record GetDatabaseRequest(String catalogId, String name) {}

    record GetDatabaseResponse(Database database) {}

    record GetDatabasesRequest(String catalogId, String nextToken, Integer maxResults) {}

    record GetDatabasesResponse(List<Database> databaseList, String nextToken) {}

    record UpdateDatabaseRequest(String catalogId, String name, DatabaseInput databaseInput) {}

    record DeleteDatabaseRequest(String catalogId, String name) {}

    // ------------------------------------------------------------------ tables

    record CreateTableRequest(String catalogId, String databaseName, TableInput tableInput) {}

    record GetTableRequest(String catalogId, String databaseName, String name) {}

    record GetTableResponse(Table table) {}

    record GetTablesRequest(String catalogId, String databaseName, String expression, String nextToken, Integer maxResults) {}

    record GetTablesResponse(List<Table> tableList, String nextToken) {}

    record UpdateTableRequest(String catalogId, String databaseName, TableInput tableInput, Boolean skipArchive, String versionId) {}

    record DeleteTableRequest(String catalogId, String databaseName, String name) {}

    record BatchDeleteTableRequest(String catalogId, String databaseName, List<String> tablesToDelete) {}

    record TableError(String tableName, ErrorDetail errorDetail) {}

    record BatchDeleteTableResponse(List<TableError> errors) {}

    record GetTableVersionsRequest(String catalogId, String databaseName, String tableName, String nextToken, Integer maxResults) {}

    /** {@code table} is a Table, or the JSON of an archived one. */
    record TableVersion(Object table, String versionId) {}

    record GetTableVersionsResponse(List<TableVersion> tableVersions, String nextToken) {}

    // ------------------------------------------------------------------ partitions

    record CreatePartitionRequest(String catalogId, String databaseName, String tableName, PartitionInput partitionInput) {}

    record BatchCreatePartitionRequest(String catalogId, String databaseName, String tableName, List<PartitionInput> partitionInputList) {}

    record PartitionError(List<String> partitionValues, ErrorDetail errorDetail) {}

    record BatchPartitionErrorsResponse(List<PartitionError> errors) {}

    record GetPartitionRequest(String catalogId, String databaseName, String tableName, List<String> partitionValues) {}

    record GetPartitionResponse(Partition partition) {}

    record GetPartitionsRequest(String catalogId, String databaseName, String tableName, String expression, String nextToken, Segment segment,
            Integer maxResults, Boolean excludeColumnSchema) {}

    record GetPartitionsResponse(List<Partition> partitions, String nextToken) {}

    record BatchGetPartitionRequest(String catalogId, String databaseName, String tableName, List<PartitionValueList> partitionsToGet) {}

    record BatchGetPartitionResponse(List<Partition> partitions, List<PartitionValueList> unprocessedKeys) {}

    record UpdatePartitionRequest(String catalogId, String databaseName, String tableName, List<String> partitionValueList,
            PartitionInput partitionInput) {}

    record DeletePartitionRequest(String catalogId, String databaseName, String tableName, List<String> partitionValues) {}

    record BatchDeletePartitionRequest(String catalogId, String databaseName, String tableName, List<PartitionValueList> partitionsToDelete) {}
}
