package io.hearth.server.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.Feature;
import io.hearth.server.ServerContext;
import io.hearth.server.api.RestApi;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.http.Routes;
import io.hearth.server.model.ModelRegistry;

/** Training sweeps and the model registry they fill, served as Hearth's REST API. */
public record SweepsFeature(SweepManager sweeps) implements Feature {

    /** {@code metastore} is null when the catalog is turned off. */
    public static SweepsFeature open(ServerContext context, Routes routes, ClusterManager clusters, MetastoreServer metastore) {
        ModelRegistry registry = new ModelRegistry(context.config().modelsDirectory());
        SweepManager sweeps = new SweepManager(context.config(), new SweepStore(context.database().jdbi()), clusters, registry, metastore,
                context.clock(), context.housekeeping());
        context.closer().register("the sweeps", sweeps::stop);
        routes.setRestApi(new RestApi(new ObjectMapper(), sweeps, registry, context.config().http().maxRequestBytes()));
        return new SweepsFeature(sweeps);
    }

    /** Follows task steps as they end, and settles every running sweep now and then (and at once, after a restart). */
    @Override
    public void start() {
        sweeps.start();
    }
}
