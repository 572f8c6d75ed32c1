package io.hearth.server.catalog.glue;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.catalog.glue.GlueShapes.CreateDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.Database;
import io.hearth.server.catalog.glue.GlueShapes.DeleteDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetDatabaseRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetDatabaseResponse;
import io.hearth.server.catalog.glue.GlueShapes.GetDatabasesRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetDatabasesResponse;
import io.hearth.server.catalog.glue.GlueShapes.UpdateDatabaseRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.thrift.TException;

/** CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase and DeleteDatabase over the metastore. */
final class GlueDatabases {
    /** Hive's own database, which its metastore never drops. */
    private static final String DEFAULT_DATABASE = "default";

    private static final int DEFAULT_PAGE_SIZE = 100;

    private final MetastoreAccess metastore;
    private final HiveMapping mapping;
    private final GlueTables tables;
    private final TableVersionStore versions;
    private final Clock clock;

    GlueDatabases(MetastoreAccess metastore, HiveMapping mapping, GlueTables tables, TableVersionStore versions, Clock clock) {
        this.metastore = metastore;
        this.mapping = mapping;
        this.tables = tables;
        this.versions = versions;
        this.clock = clock;
    }

    Object create(CreateDatabaseRequest request) {
        String name = CatalogNames.normalize(request.databaseInput().name(), "DatabaseInput.Name");
        org.apache.hadoop.hive.metastore.api.Database database = mapping.toHive(name, request.databaseInput(), clock.instant(), Map.of(), null);
        try {
            metastore.callRaw(client -> {
                client.create_database(database);
                return null;
            });
        } catch (AlreadyExistsException e) {
            throw HearthException.alreadyExists("Database %s already exists.", name);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
        return null;
    }

    GetDatabaseResponse get(GetDatabaseRequest request) {
        return new GetDatabaseResponse(mapping.toGlue(fetch(CatalogNames.lookup(request.name()))));
    }

    GetDatabasesResponse list(GetDatabasesRequest request) {
        int pageSize = request.maxResults() == null ? DEFAULT_PAGE_SIZE : request.maxResults();
        Optional<String> after = PageTokens.lastName(request.nextToken(), "databases");
        List<String> names = new ArrayList<>(metastore.call(client -> client.get_all_databases()));
        names.sort(null);
        List<String> page = Paging.after(names, after, pageSize);
        List<Database> databases = new ArrayList<>();
        for (String name : page) {
            try {
                databases.add(mapping.toGlue(metastore.callRaw(client -> client.get_database(name))));
            } catch (NoSuchObjectException e) {
                // Dropped while listing.
            } catch (TException e) {
                throw GlueErrors.fromMetastore(e);
            }
        }
        String next = Paging.hasMore(names, page) ? PageTokens.after("databases", page.get(page.size() - 1)) : null;
        return new GetDatabasesResponse(databases, next);
    }

    Object update(UpdateDatabaseRequest request) {
        String name = CatalogNames.lookup(request.name());
        String newName = CatalogNames.normalize(request.databaseInput().name(), "DatabaseInput.Name");
        if (!newName.equals(name)) {
            throw HearthException.invalidArgument("DatabaseInput.Name '%s' differs from Name '%s': databases cannot be renamed", newName, name);
        }
        org.apache.hadoop.hive.metastore.api.Database existing = fetch(name);
        org.apache.hadoop.hive.metastore.api.Database database = mapping.toHive(name, request.databaseInput(), clock.instant(),
                HiveMapping.orEmpty(existing.getParameters()), mapping.toGlue(existing).locationUri());
        if (database.getLocationUri() == null) {
            database.setLocationUri(existing.getLocationUri());
        }
        database.setOwnerName(existing.getOwnerName());
        database.setOwnerType(existing.getOwnerType());
        metastore.call(client -> {
            client.alter_database(name, database);
            return null;
        });
        return null;
    }

    Object delete(DeleteDatabaseRequest request) {
        String name = CatalogNames.lookup(request.name());
        if (name.equals(DEFAULT_DATABASE)) {
            // Refused before any of its tables is touched; the metastore would refuse only after they were dropped, with a
            // MetaException that reads as a failure of the catalog.
            throw HearthException.invalidArgument("Cannot delete database %s: the metastore keeps it, as Spark and Hive use it when no database is named",
                    DEFAULT_DATABASE);
        }
        fetch(name);
        // The tables go first, each as DeleteTable drops it (a managed table's data with it). The
        // database's own folder stays: external tables' data may be in it.
        for (String table : metastore.call(client -> client.get_all_tables(name))) {
            try {
                tables.drop(name, table);
            } catch (HearthException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        try {
            metastore.callRaw(client -> {
                client.drop_database(name, false, true);
                return null;
            });
        } catch (NoSuchObjectException e) {
            throw GlueErrors.databaseNotFound(name);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
        versions.forgetDatabase(name);
        return null;
    }

    private org.apache.hadoop.hive.metastore.api.Database fetch(String name) {
        try {
            return metastore.callRaw(client -> client.get_database(name));
        } catch (NoSuchObjectException e) {
            throw GlueErrors.databaseNotFound(name);
        } catch (TException e) {
            throw GlueErrors.fromMetastore(e);
        }
    }
}
