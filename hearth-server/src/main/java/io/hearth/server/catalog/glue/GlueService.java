package io.hearth.server.catalog.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.HearthException;
import io.hearth.server.aws.AwsErrorDialect;
import io.hearth.server.aws.AwsRequest;
import io.hearth.server.aws.AwsService;
import io.hearth.server.aws.OperationTable;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.catalog.glue.GlueShapes.BatchCreatePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchDeletePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchDeleteTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchGetPartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.CreateDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.CreatePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.CreateTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.DeleteDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.DeletePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.DeleteTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetDatabasesRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionsRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTableVersionsRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTablesRequest;
import io.hearth.server.catalog.glue.GlueShapes.UpdateDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.UpdatePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.UpdateTableRequest;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.HearthConfig;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * The Glue Data Catalog API (AWSGlue.*) over Hearth's metastore: databases, tables with their
 * versions, and partitions. Every Spark process Hearth starts shares the same metastore, so what
 * Glue writes Spark sees, and the other way round.
 */
public final class GlueService implements AwsService {
    private final ServiceModel model;
    private final OperationTable operations;
    private final String accountId;

    private GlueService(ServiceModel model, OperationTable operations, String accountId) {
        this.model = model;
        this.operations = operations;
        this.accountId = accountId;
    }

    /**
     * The Glue API over {@code metastore}; with a null metastore (the catalog turned off) every call
     * says so. {@code executor} runs metastore lookups that overlap within one request; {@code config}
     * gives the account id and where locations may point.
     */
    public static GlueService create(ServiceModel model, ObjectMapper mapper, MetastoreServer metastore, Jdbi jdbi, HearthConfig config,
            Executor executor, Clock clock) {
        String accountId = config.accountId();
        OperationTable operations = new OperationTable(mapper, "Glue");
        if (metastore == null) {
            return new GlueService(model, operations, accountId);
        }
        MetastoreAccess access = new MetastoreAccess(metastore);
        HiveMapping mapping = new HiveMapping(accountId, CatalogLocations.of(config));
        TableVersionStore versions = new TableVersionStore(jdbi);
        GlueTables tables = new GlueTables(access, mapping, versions, mapper, clock);
        GlueDatabases databases = new GlueDatabases(access, mapping, tables, versions, clock);
        GluePartitions partitions = new GluePartitions(access, mapping, tables, executor, clock);
        operations
                .on("CreateDatabase", CreateDatabaseRequest.class, checked(accountId, CreateDatabaseRequest::catalogId, databases::create))
                .on("GetDatabase", GetDatabaseRequest.class, checked(accountId, GetDatabaseRequest::catalogId, databases::get))
                .on("GetDatabases", GetDatabasesRequest.class, checked(accountId, GetDatabasesRequest::catalogId, databases::list))
                .on("UpdateDatabase", UpdateDatabaseRequest.class, checked(accountId, UpdateDatabaseRequest::catalogId, databases::update))
                .on("DeleteDatabase", DeleteDatabaseRequest.class, checked(accountId, DeleteDatabaseRequest::catalogId, databases::delete))
                .on("CreateTable", CreateTableRequest.class, checked(accountId, CreateTableRequest::catalogId, tables::create))
                .on("GetTable", GetTableRequest.class, checked(accountId, GetTableRequest::catalogId, tables::get))
                .on("GetTables", GetTablesRequest.class, checked(accountId, GetTablesRequest::catalogId, tables::list))
                .on("UpdateTable", UpdateTableRequest.class, checked(accountId, UpdateTableRequest::catalogId, tables::update))
                .on("DeleteTable", DeleteTableRequest.class, checked(accountId, DeleteTableRequest::catalogId, tables::delete))
                .on("BatchDeleteTable", BatchDeleteTableRequest.class, checked(accountId, BatchDeleteTableRequest::catalogId, tables::batchDelete))
                .on("GetTableVersions", GetTableVersionsRequest.class, checked(accountId, GetTableVersionsRequest::catalogId, tables::versions))
                .on("CreatePartition", CreatePartitionRequest.class, checked(accountId, CreatePartitionRequest::catalogId, partitions::create))
                .on("BatchCreatePartition", BatchCreatePartitionRequest.class,
                        checked(accountId, BatchCreatePartitionRequest::catalogId, partitions::batchCreate))
                .on("GetPartition", GetPartitionRequest.class, checked(accountId, GetPartitionRequest::catalogId, partitions::get))
                .on("GetPartitions", GetPartitionsRequest.class, checked(accountId, GetPartitionsRequest::catalogId, partitions::list))
                .on("BatchGetPartition", BatchGetPartitionRequest.class, checked(accountId, BatchGetPartitionRequest::catalogId, partitions::batchGet))
                .on("UpdatePartition", UpdatePartitionRequest.class, checked(accountId, UpdatePartitionRequest::catalogId, partitions::update))
                .on("DeletePartition", DeletePartitionRequest.class, checked(accountId, DeletePartitionRequest::catalogId, partitions::delete))
                .on("BatchDeletePartition", BatchDeletePartitionRequest.class,
                        checked(accountId, BatchDeletePartitionRequest::catalogId, partitions::batchDelete));
        return new GlueService(model, operations, accountId);
    }

    /** A handler that first checks the request's CatalogId: Hearth has one catalog, the account's. */
    private static <T> BiFunction<T, AwsRequest, Object> checked(String accountId, java.util.function.Function<T, String> catalogId,
            java.util.function.Function<T, ?> handler) {
        return (input, request) -> {
            String requested = catalogId.apply(input);
            if (requested != null && !requested.equals(accountId)) {
                throw HearthException.notFound("Catalog %s not found: Hearth's one catalog has the id %s", requested, accountId);
            }
            return handler.apply(input);
        };
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public void checkSupported(String operation) {
        // With the catalog off no operation has a handler, and invoke says why.
        if (!operations.operations().isEmpty()) {
            operations.checkSupported(operation);
        }
    }

    @Override
    public Object invoke(String operation, JsonNode input, AwsRequest request) {
        if (operations.operations().isEmpty()) {
            throw HearthException.invalidArgument("The data catalog is turned off on this Hearth (setting %s=false), so the Glue API has nothing to serve",
                    CatalogConfig.ENABLED.key());
        }
        return operations.invoke(operation, input, request);
    }

    @Override
    public AwsErrorDialect errorDialect() {
        return AwsErrorDialect.GLUE;
    }
}
