package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.glue.GlueShapes.BatchCreatePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchDeletePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchGetPartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchGetPartitionResponse;
import io.hearth.server.catalog.glue.GlueShapes.BatchPartitionErrorsResponse;
import io.hearth.server.catalog.glue.GlueShapes.CreatePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.DeletePartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionResponse;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionsRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionsResponse;
import io.hearth.server.catalog.glue.GlueShapes.Partition;
import io.hearth.server.catalog.glue.GlueShapes.PartitionError;
import io.hearth.server.catalog.glue.GlueShapes.PartitionInput;
import io.hearth.server.catalog.glue.GlueShapes.PartitionValueList;
import io.hearth.server.catalog.glue.GlueShapes.UpdatePartitionRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.hadoop.hive.metastore.api.AddPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.AddPartitionsResult;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.thrift.TException;

/**
 * The partition operations over the metastore. Batch calls check every entry first and report
 * the ones that fail in {@code Errors}, as Glue does; the rest are written in one metastore call.
 */
final class GluePartitions {
    private static final String NOT_FOUND = "Cannot find partition.";

    private final MetastoreAccess metastore;
    private final HiveMapping mapping;
    private final GlueTables tables;
    private final PartitionListing listing;
    private final KnownPartitionKeys partitionKeys = new KnownPartitionKeys();
    private final Executor lookups;
    private final Clock clock;

    GluePartitions(MetastoreAccess metastore, HiveMapping mapping, GlueTables tables, Executor lookups, Clock clock) {
        this.metastore = metastore;
        this.mapping = mapping;
        this.tables = tables;
        this.listing = new PartitionListing(metastore, mapping, clock);
        this.lookups = lookups;
        this.clock = clock;
    }

    Object create(CreatePartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        org.apache.hadoop.hive.metastore.api.Partition partition = mapping.toHive(table, request.partitionInput(), nowSeconds(), "PartitionInput", null);
        try {
            metastore.callRaw(client -> client.add_partition(partition));
        } catch (AlreadyExistsException e) {
            throw HearthException.alreadyExists("Partition already exists.");
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
        return null;
    }

    BatchPartitionErrorsResponse batchCreate(BatchCreatePartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        List<PartitionError> errors = new ArrayList<>();
        Map<String, org.apache.hadoop.hive.metastore.api.Partition> toAdd = new LinkedHashMap<>();
        Map<String, List<String>> requestedValues = new LinkedHashMap<>();
        int createTime = nowSeconds();
        List<PartitionInput> inputs = request.partitionInputList();
        for (int i = 0; i < inputs.size(); i++) {
            PartitionInput input = inputs.get(i);
            try {
                org.apache.hadoop.hive.metastore.api.Partition partition = mapping.toHive(table, input, createTime, "PartitionInputList." + (i + 1), null);
                String name = PartitionValues.name(table.getPartitionKeys(), partition.getValues());
                if (toAdd.containsKey(name)) {
                    throw HearthException.alreadyExists("Partition already exists (it appears twice in PartitionInputList).");
                }
                toAdd.put(name, partition);
                requestedValues.put(name, input.values());
            } catch (HearthException e) {
                errors.add(new PartitionError(input.values(), GlueErrors.detail(e)));
            }
        }
        if (!toAdd.isEmpty()) {
            AddPartitionsRequest add = new AddPartitionsRequest(table.getDbName(), table.getTableName(), new ArrayList<>(toAdd.values()), true);
            add.setNeedResult(true);
            AddPartitionsResult result = metastore.call(client -> client.add_partitions_req(add));
            Set<String> added = new HashSet<>();
            for (org.apache.hadoop.hive.metastore.api.Partition partition : HiveMapping.orEmpty(result.getPartitions())) {
                added.add(PartitionValues.name(table.getPartitionKeys(), partition.getValues()));
            }
            requestedValues.forEach((name, values) -> {
                if (!added.contains(name)) {
                    errors.add(new PartitionError(values, GlueErrors.detail(HearthException.alreadyExists("Partition already exists."))));
                }
            });
        }
        return new BatchPartitionErrorsResponse(errors);
    }

    GetPartitionResponse get(GetPartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        List<String> values = PartitionValues.check(table.getPartitionKeys(), request.partitionValues(), "PartitionValues");
        String serdeLedger = HiveMapping.orEmpty(table.getParameters()).get(HiddenParameters.ADDED_SERDE);
        return new GetPartitionResponse(mapping.toGlue(fetch(table, values), serdeLedger, false));
    }

    /**
     * GetPartitions. The metastore needs the table (its partition keys) to bind the expression, and
     * then the matching partitions: two calls in a row. When this table's keys are known from an
     * earlier call, the partition lookup starts at once with them, alongside the table lookup, and
     * its result is used only if the table still has exactly those keys.
     */
    GetPartitionsResponse list(GetPartitionsRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        String name = CatalogNames.lookup(request.tableName());
        List<FieldSchema> knownKeys = partitionKeys.get(database, name);
        Optional<String> pushdown = knownKeys == null ? Optional.empty() : listing.firstPagePushdown(knownKeys, request);
        if (pushdown.isEmpty()) {
            return list(tables.fetch(database, name), request, null);
        }
        CompletableFuture<Table> fresh = CompletableFuture.supplyAsync(() -> tables.fetch(database, name), lookups);
        List<org.apache.hadoop.hive.metastore.api.Partition> candidates;
        try {
            candidates = metastore.callRaw(client -> client.get_partitions_by_filter(database, name, pushdown.get(), (short) -1));
        } catch (TException | RuntimeException e) {
            // The table's own lookup says what is wrong, or the call is made again below.
            candidates = null;
        }
        Table table = await(fresh);
        return list(table, request, knownKeys.equals(table.getPartitionKeys()) ? candidates : null);
    }

    private GetPartitionsResponse list(Table table, GetPartitionsRequest request, List<org.apache.hadoop.hive.metastore.api.Partition> candidates) {
        partitionKeys.remember(table);
        if (table.getPartitionKeys() == null || table.getPartitionKeys().isEmpty()) {
            return new GetPartitionsResponse(List.of(), null);
        }
        return listing.list(table, request, candidates);
    }

    private static Table await(CompletableFuture<Table> table) {
        try {
            return table.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    BatchGetPartitionResponse batchGet(BatchGetPartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        List<String> names = new ArrayList<>();
        List<PartitionValueList> wanted = request.partitionsToGet();
        for (int i = 0; i < wanted.size(); i++) {
            List<String> values = PartitionValues.check(table.getPartitionKeys(), wanted.get(i).values(), "PartitionsToGet." + (i + 1) + ".Values");
            names.add(PartitionValues.name(table.getPartitionKeys(), values));
        }
        String serdeLedger = HiveMapping.orEmpty(table.getParameters()).get(HiddenParameters.ADDED_SERDE);
        List<Partition> partitions = new ArrayList<>();
        if (!names.isEmpty()) {
            for (org.apache.hadoop.hive.metastore.api.Partition partition : metastore.call(client ->
                    client.get_partitions_by_names(table.getDbName(), table.getTableName(), names))) {
                partitions.add(mapping.toGlue(partition, serdeLedger, false));
            }
        }
        // Partitions that do not exist are left out; UnprocessedKeys is for entries not looked at, and Hearth looks at all.
        return new BatchGetPartitionResponse(partitions, List.of());
    }

    Object update(UpdatePartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        List<String> values = PartitionValues.check(table.getPartitionKeys(), request.partitionValueList(), "PartitionValueList");
        org.apache.hadoop.hive.metastore.api.Partition existing = fetch(table, values);
        PartitionInput input = request.partitionInput();
        if (input.values() == null) {
            input = new PartitionInput(values, input.lastAccessTime(), input.storageDescriptor(), input.parameters(), input.lastAnalyzedTime());
        }
        org.apache.hadoop.hive.metastore.api.Partition replacement = mapping.toHive(table, input, existing.getCreateTime(), "PartitionInput",
                existing.getSd() == null ? null : existing.getSd().getLocation());
        boolean renamed = !replacement.getValues().equals(values);
        try {
            metastore.callRaw(client -> {
                if (renamed) {
                    client.rename_partition(table.getDbName(), table.getTableName(), values, replacement);
                } else {
                    client.alter_partition(table.getDbName(), table.getTableName(), replacement);
                }
                return null;
            });
        } catch (AlreadyExistsException e) {
            throw HearthException.alreadyExists("Partition %s already exists.", replacement.getValues());
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
        return null;
    }

    Object delete(DeletePartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        drop(table, PartitionValues.check(table.getPartitionKeys(), request.partitionValues(), "PartitionValues"));
        return null;
    }

    BatchPartitionErrorsResponse batchDelete(BatchDeletePartitionRequest request) {
        Table table = table(request.databaseName(), request.tableName());
        List<PartitionError> errors = new ArrayList<>();
        List<PartitionValueList> entries = request.partitionsToDelete();
        for (int i = 0; i < entries.size(); i++) {
            List<String> values = entries.get(i).values();
            try {
                drop(table, PartitionValues.check(table.getPartitionKeys(), values, "PartitionsToDelete." + (i + 1) + ".Values"));
            } catch (HearthException e) {
                errors.add(new PartitionError(values, GlueErrors.detail(e)));
            }
        }
        return new BatchPartitionErrorsResponse(errors);
    }

    private void drop(Table table, List<String> values) {
        try {
            // As Hive does: the data of a managed table's partition goes with it, an external table's stays.
            boolean dropped = metastore.callRaw(client -> client.drop_partition(table.getDbName(), table.getTableName(), values, true));
            if (!dropped) {
                throw HearthException.notFound(NOT_FOUND);
            }
        } catch (NoSuchObjectException e) {
            throw HearthException.notFound(NOT_FOUND);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
    }

    private org.apache.hadoop.hive.metastore.api.Partition fetch(Table table, List<String> values) {
        try {
            return metastore.callRaw(client -> client.get_partition(table.getDbName(), table.getTableName(), values));
        } catch (NoSuchObjectException e) {
            throw HearthException.notFound(NOT_FOUND);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
    }

    private Table table(String database, String name) {
        Table table = tables.fetch(CatalogNames.lookup(database), CatalogNames.lookup(name));
        if (table.getPartitionKeys() == null || table.getPartitionKeys().isEmpty()) {
            throw HearthException.invalidArgument("Table %s.%s has no partition keys, so it has no partitions", table.getDbName(), table.getTableName());
        }
        return table;
    }

    private int nowSeconds() {
        return (int) clock.instant().getEpochSecond();
    }
}
