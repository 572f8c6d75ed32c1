package io.hearth.server.sql;

import io.hearth.server.Feature;
import io.hearth.server.ServerContext;
import io.hearth.server.catalog.CatalogEndpoint;
import java.util.Optional;

/**
 * SQL over the catalog: the warm SQL engine, unless {@code sql.enabled=false}. The engine starts on the first query
 * (or with Hearth, {@code sql.start-with-hearth}) and is stopped with Hearth.
 *
 * @param engine the engine, or null when SQL is turned off
 */
public record SqlFeature(SqlEngine engine) implements Feature {

    public static SqlFeature open(ServerContext context, CatalogEndpoint catalog) {
        if (!context.config().sql().enabled()) {
            return new SqlFeature(null);
        }
        return new SqlFeature(context.closer().register("the SQL engine",
                SqlEngine.open(context.config(), catalog, context.supervisor(), context.timers(), context.clock())));
    }

    public Optional<SqlEngine> optionalEngine() {
        return Optional.ofNullable(engine);
    }
}
