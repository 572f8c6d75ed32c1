package io.hearth.server.emr;

import io.hearth.server.Feature;
import io.hearth.server.ServerContext;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.cluster.ClusterSizing;
import io.hearth.server.cluster.ClusterStore;
import io.hearth.server.cluster.HostResources;
import io.hearth.server.cluster.LocalSparkBackend;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.http.Routes;
import io.hearth.server.step.StepRunner;
import io.hearth.server.step.StepStore;
import io.hearth.server.storage.LocationResolver;

/** Clusters and steps, run on this machine's Spark and served as the EMR API. */
public record EmrFeature(ClusterManager clusters) implements Feature {

    public static EmrFeature open(ServerContext context, Routes routes, LocationResolver locations, CatalogEndpoint catalog) {
        HearthConfig config = context.config();
        ClusterStore clusterStore = new ClusterStore(context.database().jdbi());
        StepStore stepStore = new StepStore(context.database().jdbi());
        StepRunner runner = new StepRunner(stepStore, context.launcher(), context.clock(), context.worker(), context.timers(),
                config.steps().stopGracePeriod());
        LocalSparkBackend backend = new LocalSparkBackend(config.sparkHome(), config.processAddress(), context.supervisor(), clusterStore, context.clock(),
                config.clusters().startTimeout());
        ClusterSizing sizing = new ClusterSizing(HostResources.detect(), config.clusters().memoryFraction(), config.clusters().cpuOversubscription());
        ClusterManager clusters = new ClusterManager(config, context.database().jdbi(), clusterStore, stepStore, sizing, backend, runner,
                context.launcher(), locations, catalog, context.clock(), context.worker(), context.housekeeping());
        context.closer().register("the clusters", clusters::stop);
        routes.addAwsService(new EmrService(ServiceModel.load("/io/hearth/server/aws/models/emr-2009-03-31.json.gz"), routes.awsJsonMapper(), clusters,
                config.accountId()));
        return new EmrFeature(clusters);
    }

    /** Reconciles every cluster that had not ended when Hearth last stopped, then starts housekeeping. */
    @Override
    public void start() {
        clusters.start();
    }
}
