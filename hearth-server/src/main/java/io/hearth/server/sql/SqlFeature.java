package io.hearth.server.sql;

import io.hearth.server.Feature;
import io.hearth.server.ServerContext;
import io.hearth.server.athena.AthenaApi;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.http.Routes;
import io.hearth.server.storage.LocationResolver;
import java.util.Optional;

/**
 * SQL over the catalog: the warm SQL engine and the Athena API over it, unless {@code sql.enabled=false}. The engine
 * starts on the first query (or with Hearth, {@code sql.start-with-hearth}) and is stopped with Hearth.
 *
 * @param engine the engine, or null when SQL is turned off
 * @param athena the Athena API, or null when SQL is turned off
 */
public record SqlFeature(SqlEngine engine, AthenaApi athena) implements Feature {

    public static SqlFeature open(ServerContext context, Routes routes, CatalogEndpoint catalog, MetastoreServer metastore, LocationResolver locations) {
        if (!context.config().sql().enabled()) {
            return new SqlFeature(null, null);
        }
        SqlEngine engine = context.closer().register("the SQL engine",
                SqlEngine.open(context.config(), catalog, context.supervisor(), context.timers(), context.clock()));
        return new SqlFeature(engine, AthenaApi.open(context, routes, engine, locations, metastore));
    }

    @Override
    public void start() {
        if (athena != null) {
            athena.start();
        }
    }

    public Optional<SqlEngine> optionalEngine() {
        return Optional.ofNullable(engine);
    }
}
