package io.hearth.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.api.RestApi;
import io.hearth.server.aws.AwsJson;
import io.hearth.server.aws.AwsJsonEndpoint;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.catalog.glue.GlueService;
import io.hearth.server.catalog.metastore.MetastoreServer;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.cluster.ClusterSizing;
import io.hearth.server.cluster.ClusterStore;
import io.hearth.server.cluster.HostResources;
import io.hearth.server.cluster.LocalSparkBackend;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.OwnerOnlyFiles;
import io.hearth.server.emr.EmrService;
import io.hearth.server.http.CrossOriginPolicy;
import io.hearth.server.http.HearthServlet;
import io.hearth.server.lifecycle.Closer;
import io.hearth.server.model.ModelRegistry;
import io.hearth.server.persistence.Database;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.Supervisor;
import io.hearth.server.step.StepRunner;
import io.hearth.server.step.StepStore;
import io.hearth.server.storage.LocationResolver;
import io.hearth.server.storage.ObjectStore;
import io.hearth.server.storage.S3RequestHandler;
import io.hearth.server.storage.S3ServiceCopies;
import io.hearth.server.sweep.SweepManager;
import io.hearth.server.sweep.SweepStore;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hearth control plane: one HTTP port on the loopback address serving the AWS APIs (EMR, Glue and S3), the
 * database, and the manager that runs clusters and steps. {@link #start} reconciles what an
 * earlier run left behind; {@link #close} stops every process Hearth started.
 */
public final class HearthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HearthServer.class);

    private final HearthConfig config;
    private final Closer closer;
    private final MetastoreServer metastore;
    private final ClusterManager clusters;
    private final SweepManager sweeps;
    private final URI endpoint;
    private boolean closed;

    private HearthServer(HearthConfig config, Closer closer, MetastoreServer metastore, ClusterManager clusters, SweepManager sweeps, URI endpoint) {
        this.config = config;
        this.closer = closer;
        this.metastore = metastore;
        this.clusters = clusters;
        this.sweeps = sweeps;
        this.endpoint = endpoint;
    }

    /** Starts Hearth with this configuration and the system clock. */
    public static HearthServer start(HearthConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static HearthServer start(HearthConfig config, Clock clock) {
        requireNonNull(config, "config is null");
        checkSparkRuntime(config.sparkHome());
        Path dataDirectory = config.dataDirectory();
        // Everything opened below is closed by this stack, newest first: on a failed start and on close().
        Closer closer = new Closer();
        try {
            // Owner-only: the database, logs (with step arguments) and objects are nobody else's to read.
            OwnerOnlyFiles.createDirectories(dataDirectory);
            OwnerOnlyFiles.restrictToOwner(dataDirectory).ifPresent(previous -> LOG.info(
                    "The data directory {} was open to other users ({}); it is now readable by its owner only (rwx------)", dataDirectory, previous));
            FileChannel lockChannel = closer.register("the data directory lock",
                    FileChannel.open(dataDirectory.resolve("hearth.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                throw HearthException.invalidState("Another Hearth is already running with the data directory %s", dataDirectory);
            }
            closer.register("the endpoint file", () -> Files.deleteIfExists(dataDirectory.resolve("run").resolve("endpoint")));
            Database database = closer.register("the database", config.databaseUrl() == null
                    ? Database.openEmbedded(config.databaseDirectory())
                    : Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword()));
            LOG.info("Control-plane database: {}", database.description());
            Path runDirectory = dataDirectory.resolve("run");
            ProcessLauncher launcher = ProcessLauncher.install(runDirectory);
            LocationResolver locations;
            if (config.storage().usesS3Service()) {
                // Closed after the clusters: the last lines of their logs go up too.
                S3ServiceCopies serviceCopies = closer.register("the S3 service copies", S3ServiceCopies.start(config.s3ServiceCopiesDirectory(), config.storage()));
                locations = new LocationResolver(serviceCopies, Path.of("").toAbsolutePath());
                LOG.info("s3:// paths are objects of the S3-compatible service at {}: Spark and the catalog reach them through S3A; "
                        + "Hearth downloads step jars, scripts and bootstrap actions from it and uploads logs under an s3:// LogUri "
                        + "every {} (local copies in {}). Hearth's own S3 API keeps serving {}", config.storage().s3Endpoint(),
                        HearthConfig.format(config.storage().logUploadInterval()), config.s3ServiceCopiesDirectory(), config.objectStoreDirectory());
            } else {
                locations = new LocationResolver(config.objectStoreDirectory(), Path.of("").toAbsolutePath());
            }
            ObjectStore objectStore = closer.register("the object store", ObjectStore.open(config.objectStoreDirectory(), config.objectStoreStateDirectory()));
            ClusterStore clusterStore = new ClusterStore(database.jdbi());
            StepStore stepStore = new StepStore(database.jdbi());
            ExecutorService executor = Executors.newCachedThreadPool(named("hearth-worker"));
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, named("hearth-timer"));
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(named("hearth-housekeeping"));
            StepRunner runner = new StepRunner(stepStore, launcher, clock, executor, timers, config.stepStopGracePeriod());
            Supervisor supervisor = new Supervisor(launcher, executor, timers, clock);
            LocalSparkBackend backend = new LocalSparkBackend(config.sparkHome(), config.processAddress(), supervisor, clusterStore, clock,
                    config.clusterStartTimeout());
            ClusterSizing sizing = new ClusterSizing(HostResources.detect(), config.clusterMemoryFraction(), config.clusterCpuOversubscription());
            MetastoreServer metastore = null;
            if (config.catalog().enabled()) {
                metastore = closer.register("the catalog's metastore", MetastoreServer.start(config, supervisor));
            }
            // The executors are the server's: shut down once every part that uses them has stopped.
            closer.register("the executors", () -> shutDown(executor, timers, housekeeping));
            CatalogEndpoint catalog = metastore == null ? CatalogEndpoint.NONE : metastore;
            ClusterManager clusters = new ClusterManager(config, database.jdbi(), clusterStore, stepStore, sizing, backend, runner, launcher, locations,
                    catalog, clock, executor, housekeeping);
            closer.register("the clusters", clusters::stop);

            ObjectMapper mapper = AwsJson.newMapper();
            EmrService emr = new EmrService(ServiceModel.load("/io/hearth/server/aws/models/emr-2009-03-31.json.gz"), mapper, clusters, config.accountId());
            GlueService glue = GlueService.create(ServiceModel.load("/io/hearth/server/aws/models/glue-2017-03-31.json.gz"), mapper, metastore,
                    database.jdbi(), config, executor, clock);
            AwsJsonEndpoint aws = new AwsJsonEndpoint(mapper, List.of(emr, glue), config.maxRequestBytes());
            S3RequestHandler s3 = new S3RequestHandler(objectStore);

            QueuedThreadPool threads = new QueuedThreadPool(200, 8);
            threads.setName("hearth-http");
            Server http = new Server(threads);
            HttpConfiguration httpConfiguration = new HttpConfiguration();
            httpConfiguration.setUriCompliance(HearthServlet.URI_COMPLIANCE);
            ServerConnector connector = new ServerConnector(http, new HttpConnectionFactory(httpConfiguration));
            connector.setHost(config.bindAddress());
            connector.setPort(config.port());
            http.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            ModelRegistry registry = new ModelRegistry(config.modelsDirectory());
            SweepManager sweeps = new SweepManager(config, new SweepStore(database.jdbi()), clusters, registry, metastore, clock, housekeeping);
            closer.register("the sweeps", sweeps::stop);
            RestApi rest = new RestApi(new ObjectMapper(), sweeps, registry, config.maxRequestBytes());
            context.addServlet(new ServletHolder("hearth", new HearthServlet(aws, s3, rest, CrossOriginPolicy.of(config))), "/*");
            // The servlet reads the raw request URI itself, so the URIs the compliance mode admits may reach it.
            context.getServletHandler().setDecodeAmbiguousURIs(true);
            http.setHandler(context);

            clusters.start();
            sweeps.start();
            http.start();
            closer.register("the HTTP server", http::stop);
            URI endpoint = URI.create("http://" + hostForUri(config.bindAddress()) + ":" + connector.getLocalPort());
            Files.writeString(runDirectory.resolve("endpoint"), endpoint + System.lineSeparator(), StandardCharsets.UTF_8);
            return new HearthServer(config, closer, metastore, clusters, sweeps, endpoint);
        } catch (Exception e) {
            closer.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Cannot start Hearth: " + e.getMessage(), e);
        }
    }

    /** The Spark runtime must be a directory laid out like a Spark distribution. */
    private static void checkSparkRuntime(Path sparkHome) {
        if (!Files.isExecutable(sparkHome.resolve("bin/spark-submit")) || !Files.isDirectory(sparkHome.resolve("jars"))) {
            throw HearthException.invalidArgument("No Spark runtime at %s (setting %s): build Hearth with 'mvn package' or point the setting at a Spark 3.5 directory",
                    sparkHome, HearthConfig.SPARK_HOME);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public HearthConfig config() {
        return config;
    }

    public ClusterManager clusters() {
        return clusters;
    }

    public SweepManager sweeps() {
        return sweeps;
    }

    /** Where Spark finds the shared catalog; {@link CatalogEndpoint#NONE} when the catalog is turned off. */
    public CatalogEndpoint catalog() {
        return metastore == null ? CatalogEndpoint.NONE : metastore;
    }

    /** Stops accepting requests, stops every process Hearth started, and closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Hearth is stopping");
        closer.close();
        LOG.info("Hearth stopped");
    }

    private static String hostForUri(String bindAddress) {
        return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
    }

    /** Lets the executors finish their last tasks (up to 30 s), then stops them. */
    private static void shutDown(ExecutorService... executors) throws InterruptedException {
        for (ExecutorService executor : executors) {
            executor.shutdown();
        }
        for (ExecutorService executor : executors) {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
