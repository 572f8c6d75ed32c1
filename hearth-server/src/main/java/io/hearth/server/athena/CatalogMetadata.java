package io.hearth.server.athena;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.ColumnShape;
import io.hearth.server.athena.AthenaShapes.DatabaseShape;
import io.hearth.server.athena.AthenaShapes.ListDatabasesResponse;
import io.hearth.server.athena.AthenaShapes.ListTableMetadataResponse;
import io.hearth.server.athena.AthenaShapes.TableMetadata;
import io.hearth.server.catalog.metastore.MetastoreClient;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.config.CatalogConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.thrift.TException;

/**
 * Athena's catalog calls (ListDatabases, GetDatabase, ListTableMetadata, GetTableMetadata) read from the metastore that
 * Glue and every Spark process share: {@code AwsDataCatalog} is that one catalog.
 */
final class CatalogMetadata {
    private static final Duration READY_WAIT = Duration.ofSeconds(90);

    private final MetastoreServer metastore;

    /** With a null metastore (the catalog turned off) every call says so. */
    CatalogMetadata(MetastoreServer metastore) {
        this.metastore = metastore;
    }

    ListDatabasesResponse listDatabases(String catalog, String nextToken, Integer maxResults) {
        checkCatalog(catalog);
        List<String> names = call(client -> client.get_all_databases()).stream().sorted().toList();
        Page<String> page = Page.of(names, nextToken, maxResults, "databases");
        return new ListDatabasesResponse(page.items().stream().map(this::database).toList(), page.nextToken());
    }

    DatabaseShape database(String catalog, String name) {
        checkCatalog(catalog);
        return database(name);
    }

    private DatabaseShape database(String name) {
        org.apache.hadoop.hive.metastore.api.Database database = call(client -> client.get_database(name.toLowerCase(Locale.ROOT)));
        return new DatabaseShape(database.getName(), database.getDescription(), database.getParameters());
    }

    ListTableMetadataResponse listTables(String catalog, String database, String expression, String nextToken, Integer maxResults) {
        checkCatalog(catalog);
        String db = database.toLowerCase(Locale.ROOT);
        call(client -> client.get_database(db));
        List<String> names = call(client -> client.get_tables(db, expression == null ? "*" : expression)).stream().sorted().toList();
        Page<String> page = Page.of(names, nextToken, maxResults, "tables:" + db);
        List<Table> tables = page.items().isEmpty() ? List.of() : call(client -> client.get_table_objects_by_name(db, page.items()));
        return new ListTableMetadataResponse(tables.stream().map(CatalogMetadata::table).toList(), page.nextToken());
    }

    TableMetadata table(String catalog, String database, String name) {
        checkCatalog(catalog);
        return table(call(client -> client.get_table(database.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))));
    }

    private static TableMetadata table(Table table) {
        return new TableMetadata(table.getTableName(), Instant.ofEpochSecond(table.getCreateTime()),
                table.getLastAccessTime() == 0 ? null : Instant.ofEpochSecond(table.getLastAccessTime()), table.getTableType(),
                columns(table.getSd() == null ? List.of() : table.getSd().getCols()), columns(table.getPartitionKeys()), table.getParameters());
    }

    private static List<ColumnShape> columns(List<FieldSchema> fields) {
        return fields == null ? List.of() : fields.stream().map(field -> new ColumnShape(field.getName(), field.getType(), field.getComment())).toList();
    }

    private static void checkCatalog(String catalog) {
        if (!catalog.equalsIgnoreCase(AthenaService.CATALOG)) {
            throw new HearthException(ErrorCode.METADATA_NOT_FOUND,
                    "Catalog " + catalog + " does not exist: Hearth's one data catalog is " + AthenaService.CATALOG);
        }
    }

    private <T> T call(MetastoreClient.Call<T> call) {
        if (metastore == null) {
            throw HearthException.invalidArgument("The data catalog is turned off on this Hearth (setting %s=false)", CatalogConfig.ENABLED.key());
        }
        try {
            metastore.awaitReady(READY_WAIT);
            return metastore.client().call(call);
        } catch (NoSuchObjectException e) {
            throw new HearthException(ErrorCode.METADATA_NOT_FOUND, e.getMessage());
        } catch (TException e) {
            throw new HearthException(ErrorCode.UNAVAILABLE, "The catalog's metastore failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearthException(ErrorCode.UNAVAILABLE, "Interrupted while waiting for the catalog's metastore");
        }
    }
}
