package io.hearth.server.catalog.metastore;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.HadoopXml;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.process.DaemonNotReadyException;
import io.hearth.server.process.DaemonPorts;
import io.hearth.server.process.DaemonProcessFile;
import io.hearth.server.process.DaemonSpec;
import io.hearth.server.process.JavaModuleOptions;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.RestartPolicy;
import io.hearth.server.process.SupervisedDaemon;
import io.hearth.server.process.Supervisor;
import io.hearth.server.storage.ObjectStoreHadoopSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hive Metastore that holds the shared data catalog, run as a child process from the Spark
 * runtime's own Hive 2.3.9 jars and supervised ({@link SupervisedDaemon}): started with Hearth (or
 * adopted, if an earlier Hearth left it running with the same configuration), restarted with
 * backoff if it dies, stopped with Hearth. It keeps one thrift port for the life of the data
 * directory, so the hive-site.xml of running clusters stays right across restarts.
 */
public final class MetastoreServer implements CatalogEndpoint, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetastoreServer.class);
    /** Hive's HiveMetaStore.main listens on every interface; Hearth's main serves the same metastore on one address. */
    private static final String MAIN_CLASS = "io.hearth.spark.metastore.HiveMetastoreMain";
    /** Hive's default logging setup fails on a class the Spark runtime lacks (LMAX disruptor) without this selector. */
    private static final String LOG4J_CONTEXT_SELECTOR = "org.apache.logging.log4j.core.selector.ClassLoaderContextSelector";
    /** A metastore that keeps dying (its database gone, say) stays down after five restarts in an hour, 1 s to 30 s apart. */
    private static final RestartPolicy RESTART_POLICY = RestartPolicy.bounded(5, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** The metastore's process record and its thrift port, kept for the life of the data directory. */
    private static final String PROCESS_FILE = "metastore-process.json";
    private static final int CLIENT_TIMEOUT_MILLIS = (int) Duration.ofMinutes(10).toMillis();

    private final CatalogConfig config;
    private final Path logFile;
    private final String address;
    private final int port;
    private final MetastoreClient client;
    private final AtomicInteger databases = new AtomicInteger();
    private SupervisedDaemon daemon;

    private MetastoreServer(CatalogConfig config, Path logFile, String address, int port) {
        this.config = config;
        this.logFile = logFile;
        this.address = address;
        this.port = port;
        this.client = new MetastoreClient(address, port, CLIENT_TIMEOUT_MILLIS);
    }

    /**
     * Writes the metastore's configuration and starts it (or adopts the one already running);
     * returns at once, while the metastore starts in the background (see {@link #awaitReady}).
     */
    public static MetastoreServer start(HearthConfig hearth, Supervisor supervisor) {
        CatalogConfig config = hearth.catalog();
        Path directory = hearth.catalogDirectory();
        Path logFile = hearth.logDirectory().resolve("catalog").resolve("metastore.log");
        try {
            Files.createDirectories(directory.resolve("conf"));
            Files.createDirectories(directory.resolve("tmp"));
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(hearth.warehouseDirectory());
            Path log4jFile = directory.resolve("conf").resolve("metastore-log4j2.properties");
            Files.writeString(log4jFile, MetastoreSite.log4j2Properties(), StandardCharsets.UTF_8);
            Map<String, String> site = MetastoreSite.properties(config, directory, hearth.warehouseDirectory(),
                    ObjectStoreHadoopSettings.of(hearth), log4jFile);
            HadoopXml.write(directory.resolve("conf").resolve("hive-site.xml"), site);

            String address = hearth.processAddress();
            Path processFile = directory.resolve(PROCESS_FILE);
            Optional<DaemonProcessFile.Kept> previous = DaemonProcessFile.read(processFile, "port");
            boolean previousRunning = supervisor.findSurvivor(previous.map(DaemonProcessFile.Kept::process), exitStatusFile(directory)).isPresent();
            int port = DaemonPorts.choose(config.port(), address, previous.flatMap(kept -> kept.port("port")), previousRunning,
                    "the catalog's metastore");
            List<String> command = command(hearth, config, directory, logFile, log4jFile, address, port);
            MetastoreServer server = new MetastoreServer(config, logFile, address, port);
            DaemonSpec spec = DaemonSpec.of("the catalog's Hive Metastore on " + address + " port " + port,
                            new LaunchSpec(command, Map.of(), directory, logFile, null, exitStatusFile(directory)))
                    .withFingerprint(DaemonPorts.digest(command, site))
                    .readyWhen(server::answers, config.startTimeout())
                    .withRestartPolicy(RESTART_POLICY)
                    .withStopGrace(STOP_TIMEOUT)
                    .withLaunchCheck(server::checkPortIsFree);
            server.daemon = supervisor.daemon(spec, new DaemonProcessFile(processFile, Map.of("port", port)), server.new Events());
            server.daemon.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the catalog's metastore in " + directory, e);
        }
    }

    @Override
    public Optional<URI> metastoreUri() {
        try {
            return Optional.of(new URI("thrift://" + address + ":" + port));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrift calls to the metastore; callers wait for {@link #awaitReady} first. */
    public MetastoreClient client() {
        return client;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void awaitReady(Duration timeout) throws InterruptedException {
        try {
            daemon.awaitReady(timeout);
        } catch (TimeoutException e) {
            throw HearthException.invalidState("The data catalog (Hive Metastore) is not ready yet after %d s; it is still starting, see %s",
                    timeout.toSeconds(), logFile);
        } catch (DaemonNotReadyException e) {
            throw notReady(e);
        }
    }

    private HearthException notReady(DaemonNotReadyException failure) {
        return switch (failure.reason()) {
            case EXITED -> failure.getCause() == null
                    ? HearthException.invalidState("The data catalog's Hive Metastore exited while starting; see %s", logFile)
                    : new HearthException(ErrorCode.INVALID_STATE, "The data catalog (Hive Metastore) failed: " + failure.getCause());
            case TIMED_OUT -> HearthException.invalidState("The data catalog's Hive Metastore did not answer within %d s (setting %s); see %s",
                    config.startTimeout().toSeconds(), CatalogConfig.START_TIMEOUT.key(), logFile);
            case GAVE_UP -> HearthException.invalidState("The data catalog's Hive Metastore keeps exiting; see %s", logFile);
            case RESTART_FAILED -> HearthException.invalidState("The data catalog's Hive Metastore cannot be restarted: %s",
                    failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage());
            case STOPPED -> HearthException.invalidState("The data catalog (Hive Metastore) is stopped: Hearth is shutting down");
        };
    }

    /** The readiness probe: a thrift call that lists the databases. */
    private boolean answers() {
        try {
            databases.set(client.call(metastore -> metastore.get_all_databases()).size());
            return true;
        } catch (TException | RuntimeException notYet) {
            return false;
        }
    }

    private void checkPortIsFree() {
        if (!DaemonPorts.isFree(address, port)) {
            throw HearthException.invalidState("The catalog's metastore port %d is in use by another program; set %s to a free port",
                    port, CatalogConfig.PORT.key());
        }
    }

    /** What the metastore's supervision adds to Hearth's log. */
    private final class Events implements SupervisedDaemon.Listener {
        @Override
        public void launched(ManagedProcess process) {
            LOG.info("The catalog's metastore starts on thrift://{}:{} (process {}); its log is {}", address, port, process.pid(), logFile);
        }

        @Override
        public void ready(ManagedProcess process) {
            LOG.info("The catalog's metastore is ready on port {} ({} database(s))", port, databases.get());
        }
    }

    /** Stops the metastore: politely, then by force. */
    @Override
    public void close() {
        daemon.stop();
        client.close();
    }

    private static Path exitStatusFile(Path directory) {
        return directory.resolve("metastore-exit-status");
    }

    private static List<String> command(HearthConfig hearth, CatalogConfig config, Path directory, Path logFile, Path log4jFile, String address,
            int port) {
        List<String> classpath = new ArrayList<>();
        classpath.add(directory.resolve("conf").toString());
        classpath.add(hearth.sparkHome().resolve("jars").resolve("*").toString());
        if (config.databaseUrl() != null && MetastoreSite.driverFor(config.databaseUrl()).equals(MetastoreSite.POSTGRESQL_DRIVER)) {
            classpath.add(postgresqlDriverJar().toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + config.maxHeapMb() + "m");
        command.addAll(JavaModuleOptions.OPTIONS);
        command.add("-DLog4jContextSelector=" + LOG4J_CONTEXT_SELECTOR);
        command.add("-Dlog4j2.configurationFile=" + log4jFile);
        command.add("-Dderby.stream.error.file=" + logFile.resolveSibling("derby.log"));
        command.add("-Djava.io.tmpdir=" + directory.resolve("tmp"));
        command.add("-cp");
        command.add(String.join(":", classpath));
        command.add(MAIN_CLASS);
        command.add("--host");
        command.add(address);
        command.add("--port");
        command.add(Integer.toString(port));
        return List.copyOf(command);
    }

    /** The PostgreSQL driver Hearth itself uses for its control-plane database, lent to the metastore. */
    private static Path postgresqlDriverJar() {
        try {
            Class<?> driver = Class.forName(MetastoreSite.POSTGRESQL_DRIVER);
            return Path.of(driver.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("Cannot find the PostgreSQL JDBC driver on Hearth's classpath", e);
        }
    }
}
