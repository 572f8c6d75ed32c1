package io.hearth.server;

import static java.util.Objects.requireNonNull;

import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.catalog.CatalogFeature;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.OwnerOnlyFiles;
import io.hearth.server.emr.EmrFeature;
import io.hearth.server.http.HttpFeature;
import io.hearth.server.http.Routes;
import io.hearth.server.lifecycle.Closer;
import io.hearth.server.persistence.Database;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.Supervisor;
import io.hearth.server.sql.SqlEngine;
import io.hearth.server.sql.SqlFeature;
import io.hearth.server.storage.StorageFeature;
import io.hearth.server.sweep.SweepManager;
import io.hearth.server.sweep.SweepsFeature;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hearth control plane: the data directory, the database, the executors, and the features
 * composed on them (storage, the catalog, clusters and steps, sweeps), served on one HTTP port on
 * the loopback address. Each feature wires itself ({@link Feature}); {@link #start} opens them in
 * dependency order and each reconciles what an earlier run left behind; {@link #close} closes them
 * newest first, which stops every process Hearth started.
 */
public final class HearthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HearthServer.class);

    private final HearthConfig config;
    private final Closer closer;
    private final CatalogFeature catalog;
    private final ClusterManager clusters;
    private final SweepManager sweeps;
    private final SqlFeature sql;
    private final URI endpoint;
    private boolean closed;

    private HearthServer(HearthConfig config, Closer closer, CatalogFeature catalog, ClusterManager clusters, SweepManager sweeps, SqlFeature sql,
            URI endpoint) {
        this.config = config;
        this.closer = closer;
        this.catalog = catalog;
        this.clusters = clusters;
        this.sweeps = sweeps;
        this.sql = sql;
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
            Database database = closer.register("the database", config.database().embedded()
                    ? Database.openEmbedded(config.databaseDirectory())
                    : Database.open(config.database().url(), config.database().user(), config.database().password()));
            LOG.info("Control-plane database: {}", database.description());
            Path runDirectory = dataDirectory.resolve("run");
            ExecutorService worker = Executors.newCachedThreadPool(named("hearth-worker"));
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, named("hearth-timer"));
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(named("hearth-housekeeping"));
            ProcessLauncher launcher = ProcessLauncher.install(runDirectory);
            Supervisor supervisor = new Supervisor(launcher, worker, timers, clock);
            ServerContext context = new ServerContext(config, clock, database, launcher, supervisor, worker, timers, housekeeping, closer);

            // Each feature builds itself, registers its routes and what it opened; they close newest first.
            Routes routes = new Routes();
            StorageFeature storage = StorageFeature.open(context, routes);
            CatalogFeature catalog = CatalogFeature.open(context, routes);
            // The executors are the server's: shut down once every part that uses them has stopped.
            closer.register("the executors", () -> shutDown(worker, timers, housekeeping));
            EmrFeature emr = EmrFeature.open(context, routes, storage.locations(), catalog.endpoint());
            SweepsFeature sweeps = SweepsFeature.open(context, routes, emr.clusters(), catalog.metastore());
            SqlFeature sql = SqlFeature.open(context, routes, catalog.endpoint(), catalog.metastore(), storage.locations());
            for (Feature feature : List.of(storage, catalog, emr, sweeps, sql)) {
                feature.start();
            }
            HttpFeature http = HttpFeature.open(context, routes);
            URI endpoint = http.endpoint();
            Files.writeString(runDirectory.resolve("endpoint"), endpoint + System.lineSeparator(), StandardCharsets.UTF_8);
            if (sql.engine() != null) {
                closer.register("the JDBC URL files", () -> {
                    Files.deleteIfExists(runDirectory.resolve("jdbc-url"));
                    Files.deleteIfExists(runDirectory.resolve("jdbc-http-url"));
                });
                Files.writeString(runDirectory.resolve("jdbc-url"), sql.engine().jdbcUrl() + System.lineSeparator(), StandardCharsets.UTF_8);
                Files.writeString(runDirectory.resolve("jdbc-http-url"), sql.engine().jdbcHttpUrl() + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            return new HearthServer(config, closer, catalog, emr.clusters(), sweeps.sweeps(), sql, endpoint);
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
                    sparkHome, HearthConfig.SPARK_HOME.key());
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

    /** The SQL engine, unless {@code sql.enabled=false}. */
    public Optional<SqlEngine> sqlEngine() {
        return sql.optionalEngine();
    }

    /** Where Spark finds the shared catalog; {@link CatalogEndpoint#NONE} when the catalog is turned off. */
    public CatalogEndpoint catalog() {
        return catalog.endpoint();
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
