package io.hearth.server.catalog;

import io.hearth.server.Feature;
import io.hearth.server.ServerContext;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.catalog.glue.GlueService;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.http.Routes;

/**
 * The data catalog: the Hive Metastore child process (unless {@code catalog.enabled=false}) and
 * the Glue API over it. Without the metastore, Glue answers that the catalog is turned off.
 *
 * @param metastore the metastore, or null when the catalog is turned off
 */
public record CatalogFeature(MetastoreServer metastore) implements Feature {

    public static CatalogFeature open(ServerContext context, Routes routes) {
        MetastoreServer metastore = null;
        if (context.config().catalog().enabled()) {
            metastore = context.closer().register("the catalog's metastore",
                    MetastoreServer.start(context.config(), context.supervisor()));
        }
        routes.addAwsService(GlueService.create(ServiceModel.load("/io/hearth/server/aws/models/glue-2017-03-31.json.gz"), routes.awsJsonMapper(),
                metastore, context.database().jdbi(), context.config(), context.worker(), context.clock()));
        return new CatalogFeature(metastore);
    }

    /** Where Spark finds the shared catalog; {@link CatalogEndpoint#NONE} when the catalog is turned off. */
    public CatalogEndpoint endpoint() {
        return metastore == null ? CatalogEndpoint.NONE : metastore;
    }
}
