package io.hearth.server.catalog.glue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.catalog.glue.GlueShapes.BatchDeleteTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.BatchDeleteTableResponse;
import io.hearth.server.catalog.glue.GlueShapes.CreateTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.DeleteTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTableRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTableResponse;
import io.hearth.server.catalog.glue.GlueShapes.GetTableVersionsRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTableVersionsResponse;
import io.hearth.server.catalog.glue.GlueShapes.GetTablesRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetTablesResponse;
import io.hearth.server.catalog.glue.GlueShapes.Table;
import io.hearth.server.catalog.glue.GlueShapes.TableError;
import io.hearth.server.catalog.glue.GlueShapes.TableVersion;
import io.hearth.server.catalog.glue.GlueShapes.UpdateTableRequest;
import io.hearth.server.catalog.glue.TableVersionStore.StoredVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.thrift.TException;

/**
 * The table operations over the metastore, with Glue's table versions kept in Hearth's database:
 * CreateTable writes version 1, each UpdateTable adds the next (and, unless SkipArchive, keeps
 * the one it replaces), GetTableVersions lists them with the live definition as the latest.
 */
final class GlueTables {
    private static final int DEFAULT_PAGE_SIZE = 100;

    private final MetastoreAccess metastore;
    private final HiveMapping mapping;
    private final TableVersionStore versions;
    private final ObjectMapper json;
    private final Clock clock;
    private final CoalescingLookups<TableName, GetTableResponse> tableLookups = new CoalescingLookups<>();

    GlueTables(MetastoreAccess metastore, HiveMapping mapping, TableVersionStore versions, ObjectMapper json, Clock clock) {
        this.metastore = metastore;
        this.mapping = mapping;
        this.versions = versions;
        this.json = json;
        this.clock = clock;
    }

    Object create(CreateTableRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        if (request.tableInput() == null) {
            throw HearthException.invalidArgument("TableInput is required");
        }
        String name = CatalogNames.normalize(request.tableInput().name(), "TableInput.Name");
        requireDatabase(database);
        org.apache.hadoop.hive.metastore.api.Table table = mapping.toHive(database, name, request.tableInput(), nowSeconds(), "TableInput", null);
        try {
            metastore.callRaw(client -> {
                client.create_table(table);
                return null;
            });
        } catch (AlreadyExistsException e) {
            throw HearthException.alreadyExists("Table %s already exists in database %s.", name, database);
        } catch (NoSuchObjectException e) {
            throw GlueErrors.databaseNotFound(database);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
        org.apache.hadoop.hive.metastore.api.Table created = fetch(database, name);
        versions.forgetTable(database, name);
        record(created, 1);
        return null;
    }

    GetTableResponse get(GetTableRequest request) {
        TableName table = new TableName(CatalogNames.lookup(request.databaseName()), CatalogNames.lookup(request.name()));
        // Many clients (a sweep's tasks, say) read one table's definition at once: they share lookups.
        return tableLookups.get(table, () -> {
            org.apache.hadoop.hive.metastore.api.Table found = fetch(table.database(), table.name());
            return new GetTableResponse(mapping.toGlue(found, Long.toString(currentVersion(found))));
        });
    }

    private record TableName(String database, String name) {}

    GetTablesResponse list(GetTablesRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        requireDatabase(database);
        Pattern pattern = namePattern(request.expression());
        String listing = "tables\n" + database + "\n" + (request.expression() == null ? "" : request.expression());
        Optional<String> after = PageTokens.lastName(request.nextToken(), listing);
        List<String> names = new ArrayList<>(metastore.call(client -> client.get_all_tables(database)).stream()
                .filter(name -> pattern == null || pattern.matcher(name).matches())
                .sorted()
                .toList());
        List<String> page = Paging.after(names, after, request.maxResults() == null ? DEFAULT_PAGE_SIZE : request.maxResults());
        List<Table> tables = new ArrayList<>();
        if (!page.isEmpty()) {
            List<org.apache.hadoop.hive.metastore.api.Table> found = metastore.call(client -> client.get_table_objects_by_name(database, page));
            found.stream()
                    .sorted(Comparator.comparing(org.apache.hadoop.hive.metastore.api.Table::getTableName))
                    .forEach(table -> tables.add(mapping.toGlue(table, Long.toString(currentVersion(table)))));
        }
        String next = Paging.hasMore(names, page) ? PageTokens.after(listing, page.get(page.size() - 1)) : null;
        return new GetTablesResponse(tables, next);
    }

    Object update(UpdateTableRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        if (request.tableInput() == null) {
            throw HearthException.invalidArgument("TableInput is required");
        }
        String name = CatalogNames.normalize(request.tableInput().name(), "TableInput.Name");
        org.apache.hadoop.hive.metastore.api.Table current = fetch(database, name);
        long currentVersion = currentVersion(current);
        if (request.versionId() != null && !request.versionId().equals(Long.toString(currentVersion))) {
            throw new HearthException(ErrorCode.CONCURRENT_MODIFICATION, String.format(Locale.ROOT,
                    "Table %s.%s is at version %d, not at VersionId %s", database, name, currentVersion, request.versionId()));
        }
        org.apache.hadoop.hive.metastore.api.Table replacement = mapping.toHive(database, name, request.tableInput(), current.getCreateTime(), "TableInput",
                current.getSd() == null ? null : current.getSd().getLocation());
        if (!replacement.getPartitionKeys().equals(current.getPartitionKeys())) {
            throw HearthException.invalidArgument("TableInput.PartitionKeys differ from the table's: a table's partition keys cannot change once it has them;"
                    + " create a new table instead");
        }
        boolean archive = !Boolean.TRUE.equals(request.skipArchive());
        if (archive && versions.latestVersion(database, name, current.getCreateTime()).isEmpty()) {
            // A table Spark created (or one from before versions were kept): its first version is what it is now.
            record(current, currentVersion);
        }
        metastore.call(client -> {
            client.alter_table(database, name, replacement);
            return null;
        });
        org.apache.hadoop.hive.metastore.api.Table updated = fetch(database, name);
        record(updated, currentVersion + 1);
        if (!archive) {
            versions.forget(database, name, current.getCreateTime(), currentVersion);
        }
        return null;
    }

    Object delete(DeleteTableRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        drop(database, CatalogNames.lookup(request.name()));
        return null;
    }

    BatchDeleteTableResponse batchDelete(BatchDeleteTableRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        requireDatabase(database);
        List<TableError> errors = new ArrayList<>();
        for (String name : request.tablesToDelete()) {
            try {
                drop(database, CatalogNames.lookup(name));
            } catch (HearthException e) {
                errors.add(new TableError(name, GlueErrors.detail(e)));
            }
        }
        return new BatchDeleteTableResponse(errors);
    }

    GetTableVersionsResponse versions(GetTableVersionsRequest request) {
        String database = CatalogNames.lookup(request.databaseName());
        String name = CatalogNames.lookup(request.tableName());
        org.apache.hadoop.hive.metastore.api.Table table = fetch(database, name);
        long current = currentVersion(table);
        List<TableVersion> all = new ArrayList<>();
        all.add(new TableVersion(mapping.toGlue(table, Long.toString(current)), Long.toString(current)));
        List<StoredVersion> stored = versions.versions(database, name, table.getCreateTime());
        for (int i = stored.size() - 1; i >= 0; i--) {
            StoredVersion version = stored.get(i);
            if (version.versionId() != current) {
                all.add(new TableVersion(read(version.definition()), Long.toString(version.versionId())));
            }
        }
        // Newest first; the token is the last version id returned.
        String listing = "versions\n" + database + "\n" + name;
        Optional<String> after = PageTokens.lastName(request.nextToken(), listing);
        int start = 0;
        if (after.isPresent()) {
            while (start < all.size() && !all.get(start).versionId().equals(after.get())) {
                start++;
            }
            start++;
        }
        int pageSize = request.maxResults() == null ? DEFAULT_PAGE_SIZE : request.maxResults();
        List<TableVersion> page = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + pageSize));
        String next = start + pageSize < all.size() ? PageTokens.after(listing, page.get(page.size() - 1).versionId()) : null;
        return new GetTableVersionsResponse(page, next);
    }

    // ------------------------------------------------------------------ shared

    org.apache.hadoop.hive.metastore.api.Table fetch(String database, String name) {
        try {
            return metastore.callRaw(client -> client.get_table(database, name));
        } catch (NoSuchObjectException e) {
            requireDatabase(database);
            throw GlueErrors.tableNotFound(database, name);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
    }

    /**
     * Drops a table as Hive does: a managed table's data (its folder, and its partitions' folders)
     * goes with it, an external table's data stays. The metastore tells them apart by the table's
     * {@code EXTERNAL} parameter, which an {@code EXTERNAL_TABLE} (or a table without a TableType)
     * gets from Glue.
     */
    void drop(String database, String name) {
        try {
            metastore.callRaw(client -> {
                client.drop_table(database, name, true);
                return null;
            });
        } catch (NoSuchObjectException e) {
            throw GlueErrors.tableNotFound(database, name);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
        versions.forgetTable(database, name);
    }

    private void requireDatabase(String database) {
        try {
            metastore.callRaw(client -> client.get_database(database));
        } catch (NoSuchObjectException e) {
            throw GlueErrors.databaseNotFound(database);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
    }

    private long currentVersion(org.apache.hadoop.hive.metastore.api.Table table) {
        OptionalLong latest = versions.latestVersion(table.getDbName(), table.getTableName(), table.getCreateTime());
        return latest.isPresent() ? latest.getAsLong() : 1;
    }

    private void record(org.apache.hadoop.hive.metastore.api.Table table, long versionId) {
        Table glue = mapping.toGlue(table, Long.toString(versionId));
        try {
            versions.record(table.getDbName(), table.getTableName(), table.getCreateTime(), versionId, json.writeValueAsString(glue), clock.instant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String definition) {
        try {
            return json.readTree(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable table version: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * GetTables' Expression: a regular expression over table names. Hive-style patterns write
     * {@code *} for "anything", which is read the same way.
     */
    private static Pattern namePattern(String expression) {
        if (expression == null || expression.isEmpty()) {
            return null;
        }
        String regex = expression.replaceAll("(?<![.\\]\\)\\\\])\\*", ".*");
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw HearthException.invalidArgument("Expression '%s' is not a valid regular expression: %s", expression, e.getDescription());
        }
    }

    private int nowSeconds() {
        return (int) clock.instant().getEpochSecond();
    }
}
