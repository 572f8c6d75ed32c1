package io.hearth.server.catalog.metastore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.HadoopXml;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.process.JavaModuleOptions;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.Readiness;
import io.hearth.server.storage.ObjectStoreHadoopSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hive Metastore that holds the shared data catalog, run as a child process from the Spark
 * runtime's own Hive 2.3.9 jars and supervised: started with Hearth (or adopted, if an earlier
 * Hearth left it running with the same configuration), restarted if it dies, stopped with Hearth.
 * It keeps one thrift port for the life of the data directory, so the hive-site.xml of running
 * clusters stays right across restarts.
 */
public final class MetastoreServer implements CatalogEndpoint, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetastoreServer.class);
    /** Hive's HiveMetaStore.main listens on every interface; Hearth's main serves the same metastore on one address. */
    private static final String MAIN_CLASS = "io.hearth.spark.metastore.HiveMetastoreMain";
    /** Hive's default logging setup fails on a class the Spark runtime lacks (LMAX disruptor) without this selector. */
    private static final String LOG4J_CONTEXT_SELECTOR = "org.apache.logging.log4j.core.selector.ClassLoaderContextSelector";
    private static final int MAX_RESTARTS = 5;
    private static final Duration RESTART_WINDOW = Duration.ofHours(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int CLIENT_TIMEOUT_MILLIS = (int) Duration.ofMinutes(10).toMillis();

    private final CatalogConfig config;
    private final Path directory;
    private final Path logFile;
    private final ProcessLauncher launcher;
    private final Executor executor;
    private final Clock clock;
    private final List<String> command;
    private final String configurationDigest;
    private final String address;
    private final int port;
    private final MetastoreClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<Instant> restarts = new ArrayDeque<>();

    private ManagedProcess process;
    private CompletableFuture<Void> ready = new CompletableFuture<>();
    private boolean stopping;

    private MetastoreServer(CatalogConfig config, Path directory, Path logFile, ProcessLauncher launcher, Executor executor,
            Clock clock, List<String> command, String configurationDigest, String address, int port) {
        this.config = config;
        this.directory = directory;
        this.logFile = logFile;
        this.launcher = launcher;
        this.executor = executor;
        this.clock = clock;
        this.command = command;
        this.configurationDigest = configurationDigest;
        this.address = address;
        this.port = port;
        this.client = new MetastoreClient(address, port, CLIENT_TIMEOUT_MILLIS);
    }

    /**
     * Writes the metastore's configuration and starts it (or adopts the one already running);
     * returns at once, while the metastore starts in the background (see {@link #awaitReady}).
     */
    public static MetastoreServer start(HearthConfig hearth, ProcessLauncher launcher, Executor executor, Clock clock) {
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
            Optional<ProcessRecord> previous = readRecord(directory);
            Optional<ManagedProcess> survivor = previous.flatMap(record -> launcher.adopt(record.pid(), record.startedAt(), exitStatusFile(directory)));
            int port = choosePort(config, address, previous, survivor.isPresent());
            List<String> command = command(hearth, config, directory, logFile, log4jFile, address, port);
            String digest = digest(command, site);
            MetastoreServer server = new MetastoreServer(config, directory, logFile, launcher, executor, clock, command, digest, address, port);
            server.adoptOrLaunch(previous, survivor);
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
        CompletableFuture<Void> current;
        synchronized (this) {
            current = ready;
        }
        try {
            current.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw HearthException.invalidState("The data catalog (Hive Metastore) is not ready yet after %d s; it is still starting, see %s",
                    timeout.toSeconds(), logFile);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HearthException failure) {
                throw new HearthException(failure.code(), failure.getMessage());
            }
            throw new HearthException(ErrorCode.INVALID_STATE, "The data catalog (Hive Metastore) failed: " + e.getCause());
        }
    }

    private synchronized void adoptOrLaunch(Optional<ProcessRecord> previous, Optional<ManagedProcess> survivor) throws IOException {
        if (survivor.isPresent()) {
            ProcessRecord record = previous.orElseThrow();
            if (record.configuration().equals(configurationDigest) && record.port() == port) {
                LOG.info("The catalog's metastore (process {}) is still running on port {} and is watched again", record.pid(), port);
                watch(survivor.get());
                return;
            }
            LOG.info("The catalog's configuration changed: restarting the metastore (process {})", record.pid());
            stopProcess(survivor.get());
        }
        launch();
    }

    private void launch() throws IOException {
        if (!isFree(address, port)) {
            throw HearthException.invalidState("The catalog's metastore port %d is in use by another program; set %s to a free port",
                    port, CatalogConfig.PORT.key());
        }
        Files.writeString(logFile, "=== " + clock.instant() + " Hearth starts the Hive Metastore on " + address + " port " + port + System.lineSeparator(),
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ManagedProcess started = launcher.launch(new LaunchSpec(command, Map.of(), directory, logFile, null, exitStatusFile()));
        writeRecord(new ProcessRecord(started.pid(), started.startedAt(), port, configurationDigest));
        LOG.info("The catalog's metastore starts on thrift://{}:{} (process {}); its log is {}", address, port, started.pid(), logFile);
        watch(started);
    }

    /** Follows a running metastore: readiness first, then its exit. */
    private void watch(ManagedProcess started) {
        process = started;
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        CompletableFuture<Void> readiness = ready;
        Instant deadline = clock.instant().plus(config.startTimeout());
        executor.execute(() -> awaitStartup(started, readiness, deadline));
        started.onExit().thenAccept(exitCode -> exited(started, exitCode));
    }

    private void awaitStartup(ManagedProcess started, CompletableFuture<Void> readiness, Instant deadline) {
        AtomicInteger databases = new AtomicInteger();
        Readiness.Probe answers = () -> {
            try {
                databases.set(client.call(metastore -> metastore.get_all_databases()).size());
                return true;
            } catch (TException | RuntimeException notYet) {
                return false;
            }
        };
        try {
            switch (Readiness.await(answers, started.onExit(), () -> !readiness.isDone(), deadline, clock)) {
                case READY -> {
                    LOG.info("The catalog's metastore is ready on port {} ({} database(s))", port, databases.get());
                    readiness.complete(null);
                }
                case EXITED -> readiness.completeExceptionally(HearthException.invalidState(
                        "The data catalog's Hive Metastore exited while starting; see %s", logFile));
                case TIMED_OUT -> readiness.completeExceptionally(HearthException.invalidState(
                        "The data catalog's Hive Metastore did not answer within %d s (setting %s); see %s",
                        config.startTimeout().toSeconds(), CatalogConfig.START_TIMEOUT.key(), logFile));
                case ABANDONED -> {
                    // Settled elsewhere (a restart's new wait, or a failure): nothing to add.
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void exited(ManagedProcess ended, OptionalInt exitCode) {
        if (stopping || ended != process) {
            return;
        }
        String how = exitCode.isPresent() ? " with code " + exitCode.getAsInt() : "";
        Instant now = clock.instant();
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
            restarts.removeFirst();
        }
        if (restarts.size() >= MAX_RESTARTS) {
            LOG.error("The catalog's metastore exited{} and was restarted {} times within {}; it stays down. See {}", how, MAX_RESTARTS,
                    RESTART_WINDOW, logFile);
            failReadiness(HearthException.invalidState("The data catalog's Hive Metastore keeps exiting; see %s", logFile));
            return;
        }
        restarts.addLast(now);
        LOG.warn("The catalog's metastore (process {}) exited unexpectedly{}; restarting it. See {}", ended.pid(), how, logFile);
        try {
            launch();
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot restart the catalog's metastore", e);
            failReadiness(HearthException.invalidState("The data catalog's Hive Metastore cannot be restarted: %s", e.getMessage()));
        }
    }

    private void failReadiness(HearthException failure) {
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        ready.completeExceptionally(failure);
    }

    /** Stops the metastore: politely, then by force. */
    @Override
    public void close() {
        ManagedProcess running;
        synchronized (this) {
            stopping = true;
            running = process;
        }
        if (running != null && running.isAlive()) {
            stopProcess(running);
        }
        client.close();
    }

    private static void stopProcess(ManagedProcess running) {
        running.stop(STOP_TIMEOUT);
    }

    private Path exitStatusFile() {
        return exitStatusFile(directory);
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

    /** The configured port; else the port kept from earlier runs, unless another program took it meanwhile; else a free one. */
    private static int choosePort(CatalogConfig config, String address, Optional<ProcessRecord> previous, boolean previousStillRunning) {
        if (config.port() > 0) {
            return config.port();
        }
        if (previous.isPresent() && (previousStillRunning || isFree(address, previous.get().port()))) {
            return previous.get().port();
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port for the catalog's metastore", e);
        }
    }

    private static boolean isFree(String address, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String digest(List<String> command, Map<String, String> site) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\u0000", command).getBytes(StandardCharsets.UTF_8));
            sha.update(new TreeMap<>(site).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Hearth remembers of the metastore it started: enough to adopt it after a restart. */
    private record ProcessRecord(long pid, Instant startedAt, int port, String configuration) {}

    private static Optional<ProcessRecord> readRecord(Path directory) {
        Path file = directory.resolve("metastore-process.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            return Optional.of(new ProcessRecord(node.path("pid").asLong(), Instant.ofEpochMilli(node.path("startedAtMillis").asLong()),
                    node.path("port").asInt(), node.path("configuration").asText()));
        } catch (IOException e) {
            LOG.warn("Ignoring the unreadable metastore record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private void writeRecord(ProcessRecord record) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("pid", record.pid());
        node.put("startedAtMillis", record.startedAt().toEpochMilli());
        node.put("port", record.port());
        node.put("configuration", record.configuration());
        Path file = directory.resolve("metastore-process.json");
        Path temporary = Files.createTempFile(directory, "metastore-process", ".tmp");
        Files.write(temporary, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
