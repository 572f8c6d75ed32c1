package io.hearth.server.sql;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.cluster.HostResources;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.OwnerOnlyFiles;
import io.hearth.server.config.SqlConfig;
import io.hearth.server.process.DaemonNotReadyException;
import io.hearth.server.process.DaemonPorts;
import io.hearth.server.process.DaemonProcessFile;
import io.hearth.server.process.DaemonSpec;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.RestartPolicy;
import io.hearth.server.process.SupervisedDaemon;
import io.hearth.server.process.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL engine process (io.hearth.spark.sql.SqlEngineMain through spark-submit), supervised like the catalog's
 * metastore: started on the first query ({@code sql.start-with-hearth} starts it with Hearth), restarted with backoff
 * when it dies, stopped after {@code sql.idle-timeout} without a query, stopped with Hearth. A later Hearth adopts an
 * engine that is still running with the same configuration. Its control and JDBC ports stay the same for the life of
 * the data directory ({@code <data-dir>/sql/engine-process.json}); its token is a file only Hearth's user can read.
 */
public final class SqlEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlEngine.class);
    private static final String MAIN_CLASS = "io.hearth.spark.sql.SqlEngineMain";
    private static final String PROCESS_FILE = "engine-process.json";
    private static final String CONTROL_PORT = "controlPort";
    private static final String JDBC_PORT = "jdbcPort";
    private static final String JDBC_HTTP_PORT = "jdbcHttpPort";
    /** An engine that keeps dying stays down after five restarts in an hour, 1 s to 30 s apart. */
    private static final RestartPolicy RESTART_POLICY = RestartPolicy.bounded(5, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final HearthConfig config;
    private final CatalogEndpoint catalog;
    private final Supervisor supervisor;
    private final Clock clock;
    private final Path directory;
    private final Path logFile;
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger inUse = new AtomicInteger();
    private final ScheduledFuture<?> idleCheck;
    private volatile Instant lastUse;
    private SupervisedDaemon daemon;
    private EngineClient client;
    /** Chosen when Hearth starts, so that the JDBC URL is known (and printed) before the engine first runs. */
    private int jdbcPort;
    private int jdbcHttpPort;
    private boolean closed;

    private SqlEngine(HearthConfig config, CatalogEndpoint catalog, Supervisor supervisor, ScheduledExecutorService timers, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.directory = config.sqlDirectory();
        this.logFile = config.logDirectory().resolve("sql").resolve("engine.log");
        this.lastUse = clock.instant();
        Duration idle = config.sql().idleTimeout();
        this.idleCheck = idle.isZero() ? null
                : timers.scheduleWithFixedDelay(this::stopIfIdle, IDLE_CHECK.toMillis(), IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The engine of this Hearth; started now if {@code sql.start-with-hearth} is set or an earlier engine still runs. */
    public static SqlEngine open(HearthConfig config, CatalogEndpoint catalog, Supervisor supervisor, ScheduledExecutorService timers, Clock clock) {
        SqlEngine engine = new SqlEngine(config, catalog, supervisor, timers, clock);
        Path processFile = engine.directory.resolve(PROCESS_FILE);
        Optional<DaemonProcessFile.Kept> previous = DaemonProcessFile.read(processFile, CONTROL_PORT, JDBC_PORT, JDBC_HTTP_PORT);
        boolean survivor = previous.flatMap(kept -> supervisor.findSurvivor(Optional.of(kept.process()), engine.exitStatusFile())).isPresent();
        engine.jdbcPort = DaemonPorts.choose(config.sql().jdbcPort(), config.processAddress(), previous.flatMap(kept -> kept.port(JDBC_PORT)),
                survivor, "the SQL engine's JDBC endpoint");
        engine.jdbcHttpPort = DaemonPorts.choose(config.sql().jdbcHttpPort(), config.processAddress(),
                previous.flatMap(kept -> kept.port(JDBC_HTTP_PORT)), survivor, "the SQL engine's JDBC endpoint over HTTP");
        if (config.sql().startWithHearth() || survivor) {
            synchronized (engine) {
                engine.launch();
            }
        }
        return engine;
    }

    /** The engine's client once it answers, starting it first when it is not running; waits up to {@code sql.start-timeout}. */
    public EngineClient awaitClient() throws InterruptedException {
        SupervisedDaemon current;
        EngineClient answering;
        synchronized (this) {
            if (closed) {
                throw HearthException.invalidState("The SQL engine is stopped: Hearth is shutting down");
            }
            if (daemon == null) {
                launch();
            }
            current = daemon;
            answering = client;
            lastUse = clock.instant();
        }
        try {
            current.awaitReady(config.sql().startTimeout());
            return answering;
        } catch (TimeoutException e) {
            throw HearthException.invalidState("The SQL engine did not answer within %d s (setting %s); see %s",
                    config.sql().startTimeout().toSeconds(), SqlConfig.START_TIMEOUT.key(), logFile);
        } catch (DaemonNotReadyException e) {
            throw HearthException.invalidState("The SQL engine is not available (%s); see %s", e.getMessage(), logFile);
        }
    }

    /** Marks a query running on the engine: no idle shutdown until {@link #finished}. */
    public void started() {
        inUse.incrementAndGet();
        lastUse = clock.instant();
    }

    public void finished() {
        inUse.decrementAndGet();
        lastUse = clock.instant();
    }

    /** Called with a reason when the engine process ends while Hearth did not stop it: its running queries are lost. */
    public void onEngineLost(Consumer<String> listener) {
        lostListeners.add(requireNonNull(listener, "listener is null"));
    }

    /** The JDBC (HiveServer2) port while the engine runs. */
    public synchronized OptionalInt jdbcPort() {
        return daemon == null ? OptionalInt.empty() : OptionalInt.of(jdbcPort);
    }

    /** The JDBC URL of the engine: its port is kept from Hearth's start, whether the engine runs yet or not. */
    public synchronized String jdbcUrl() {
        String address = config.processAddress();
        return "jdbc:hive2://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + jdbcPort + "/default";
    }

    /** The JDBC URL of the engine's HiveServer2 HTTP transport, for clients that can reach it only over HTTP. */
    public synchronized String jdbcHttpUrl() {
        String address = config.processAddress();
        return "jdbc:hive2://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + jdbcHttpPort
                + "/default;transportMode=http;httpPath=cliservice";
    }

    /** The engine's client while its process runs (it may still be starting); empty otherwise. Starts nothing. */
    public synchronized Optional<EngineClient> runningClient() {
        return running() ? Optional.of(client) : Optional.empty();
    }

    /** Counts as use of the engine now, as a query does: a JDBC client that is connected keeps it from idle shutdown. */
    public void keepAlive() {
        lastUse = clock.instant();
    }

    /** Whether the engine process runs now. */
    public synchronized boolean running() {
        return daemon != null && daemon.process().isPresent();
    }

    public Path logFile() {
        return logFile;
    }

    /** Where query results are written; under the engine's directory, owner-only. */
    public Path resultsDirectory() {
        return directory.resolve("results");
    }

    @Override
    public void close() {
        SupervisedDaemon stopping;
        synchronized (this) {
            closed = true;
            stopping = daemon;
            daemon = null;
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (stopping != null) {
            stopping.stop();
        }
    }

    private void stopIfIdle() {
        SupervisedDaemon stopping;
        synchronized (this) {
            Duration idle = Duration.between(lastUse, clock.instant());
            if (daemon == null || inUse.get() > 0 || idle.compareTo(config.sql().idleTimeout()) < 0) {
                return;
            }
            stopping = daemon;
            daemon = null;
        }
        LOG.info("The SQL engine was idle for {}; stopping it (setting {}); the next query starts it again", config.sql().idleTimeout(),
                SqlConfig.IDLE_TIMEOUT.key());
        stopping.stop();
    }

    /** Writes the configuration and starts the daemon (or adopts the running one); the caller holds this object's lock. */
    private void launch() {
        try {
            OwnerOnlyFiles.createDirectories(directory);
            OwnerOnlyFiles.createDirectories(resultsDirectory());
            OwnerOnlyFiles.createDirectories(logFile.getParent());
            Path confDirectory = directory.resolve("conf");
            Map<String, String> defaults = EngineConfiguration.write(config, catalog, HostResources.detect(), confDirectory);
            String token = token();
            String address = config.processAddress();
            Path processFile = directory.resolve(PROCESS_FILE);
            Optional<DaemonProcessFile.Kept> previous = DaemonProcessFile.read(processFile, CONTROL_PORT, JDBC_PORT, JDBC_HTTP_PORT);
            boolean previousRunning = supervisor.findSurvivor(previous.map(DaemonProcessFile.Kept::process), exitStatusFile()).isPresent();
            int controlPort = DaemonPorts.choose(0, address, previous.flatMap(kept -> kept.port(CONTROL_PORT)), previousRunning,
                    "the SQL engine's control API");
            int chosenJdbcPort = DaemonPorts.choose(config.sql().jdbcPort(), address, Optional.of(jdbcPort), previousRunning,
                    "the SQL engine's JDBC endpoint");
            int chosenHttpPort = DaemonPorts.choose(config.sql().jdbcHttpPort(), address, Optional.of(jdbcHttpPort), previousRunning,
                    "the SQL engine's JDBC endpoint over HTTP");
            List<String> command = List.of(config.sparkHome().resolve("bin").resolve("spark-submit").toString(), "--class", MAIN_CLASS,
                    "--name", "Hearth SQL engine", "spark-internal", "--address", address, "--control-port", Integer.toString(controlPort),
                    "--jdbc-port", Integer.toString(chosenJdbcPort), "--jdbc-http-port", Integer.toString(chosenHttpPort), "--token-file", directory.resolve("token").toString());
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("SPARK_HOME", config.sparkHome().toString());
            environment.put("SPARK_CONF_DIR", confDirectory.toString());
            environment.put("SPARK_LOCAL_IP", address);
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            EngineClient engineClient = new EngineClient(address, controlPort, token);
            DaemonSpec spec = DaemonSpec.of("the SQL engine on " + address + " (JDBC port " + chosenJdbcPort + ")",
                            new LaunchSpec(command, environment, directory, logFile, null, exitStatusFile()))
                    .withFingerprint(DaemonPorts.digest(command, defaults))
                    .readyWhen(() -> engineClient.health().isPresent(), config.sql().startTimeout())
                    .withRestartPolicy(RESTART_POLICY)
                    .withStopGrace(STOP_GRACE)
                    .withLaunchCheck(() -> checkFree(address, controlPort, chosenJdbcPort, chosenHttpPort));
            SupervisedDaemon started = supervisor.daemon(spec, new DaemonProcessFile(processFile, Map.of(CONTROL_PORT, controlPort,
                    JDBC_PORT, chosenJdbcPort, JDBC_HTTP_PORT, chosenHttpPort)), new Events(chosenJdbcPort));
            started.start();
            daemon = started;
            client = engineClient;
            jdbcPort = chosenJdbcPort;
            jdbcHttpPort = chosenHttpPort;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the SQL engine in " + directory, e);
        }
    }

    /** The engine's token: made once, kept owner-only, so an adopted engine still accepts it. */
    private String token() throws IOException {
        Path file = directory.resolve("token");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        OwnerOnlyFiles.writeString(file, token);
        return token;
    }

    private Path exitStatusFile() {
        return directory.resolve("engine-exit-status");
    }

    private static void checkFree(String address, int controlPort, int jdbcPort, int jdbcHttpPort) {
        for (int port : new int[] {controlPort, jdbcPort, jdbcHttpPort}) {
            if (!DaemonPorts.isFree(address, port)) {
                throw HearthException.invalidState("The SQL engine's port %d is in use by another program; set %s to a free port", port,
                        port == jdbcPort ? SqlConfig.JDBC_PORT.key() : port == jdbcHttpPort ? SqlConfig.JDBC_HTTP_PORT.key()
                                : "the port in " + PROCESS_FILE);
            }
        }
    }

    /** What the engine's supervision adds to Hearth's log, and who hears that its queries are lost. */
    private final class Events implements SupervisedDaemon.Listener {
        private final int jdbc;

        Events(int jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void launched(ManagedProcess process) {
            LOG.info("The SQL engine starts (process {}, JDBC port {}); its log is {}", process.pid(), jdbc, logFile);
        }

        @Override
        public void ready(ManagedProcess process) {
            LOG.info("The SQL engine is ready: jdbc:hive2://{}:{}/default", config.processAddress(), jdbc);
        }

        @Override
        public void exited(long pid, OptionalInt exitCode, Optional<Duration> restartAfter) {
            // The supervisor has logged the exit and the restart; the queries that ran on the engine are lost.
            String reason = "The SQL engine (process " + pid + ") exited" + (exitCode.isPresent() ? " with code " + exitCode.getAsInt() : "")
                    + (restartAfter.isPresent() ? "; it is restarting" : "") + "; see " + logFile;
            lostListeners.forEach(listener -> listener.accept(reason));
        }
    }
}
