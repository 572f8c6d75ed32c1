package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.JavaModuleOptions;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs clusters on this machine. A single-instance cluster needs no daemon: its steps run in
 * Spark local mode with the master's cores. A larger cluster gets a real Spark standalone master
 * process for its MASTER instance and one Spark worker process per CORE and TASK instance, each
 * with the cores and memory Hearth sized for it, all bound to Hearth's process address
 * ({@link io.hearth.server.config.HearthConfig#processAddress()}, 127.0.0.1 by default).
 */
public final class LocalSparkBackend implements ClusterBackend {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSparkBackend.class);
    private static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
    private static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
    private static final String DAEMON_MEMORY = "512m";
    private static final Duration DAEMON_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path sparkHome;
    private final String address;
    private final ProcessLauncher launcher;
    private final ClusterStore store;
    private final Clock clock;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Daemons> clusters = new ConcurrentHashMap<>();
    private volatile Listener listener = (clusterId, instance, message) -> {};

    /** The daemons of one cluster; {@code stopping} tells their exit watchers that Hearth stopped them. */
    private static final class Daemons {
        final Map<String, ManagedProcess> workers = new ConcurrentHashMap<>();
        volatile ManagedProcess master;
        volatile boolean stopping;
        volatile int masterUiPort;
    }

    public LocalSparkBackend(Path sparkHome, String address, ProcessLauncher launcher, ClusterStore store, Clock clock, Duration startTimeout) {
        this.sparkHome = requireNonNull(sparkHome, "sparkHome is null");
        this.address = requireNonNull(address, "address is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.startTimeout = requireNonNull(startTimeout, "startTimeout is null");
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = requireNonNull(listener, "listener is null");
    }

    @Override
    public String start(Cluster cluster, List<Instance> instances, ClusterPaths paths, Map<String, String> environment, TimestampedLog log)
            throws ClusterStartException, InterruptedException {
        Instance master = master(instances);
        if (instances.size() == 1) {
            String url = "local[" + master.sparkCores() + "]";
            log.info("Single-instance cluster: steps run in Spark local mode (" + url + ") on the master instance");
            return url;
        }
        Daemons daemons = clusters.computeIfAbsent(cluster.id(), id -> new Daemons());
        daemons.stopping = false;
        int masterPort = freePort();
        startMaster(cluster, master, masterPort, paths, environment, log, daemons);
        String url = "spark://" + address + ":" + masterPort;
        List<Instance> workers = instances.stream().filter(instance -> !instance.isMaster()).toList();
        for (Instance worker : workers) {
            startWorker(cluster, worker, url, paths, environment, log, daemons);
        }
        awaitWorkers(cluster, daemons, workers.size(), paths, master, log);
        return url;
    }

    @Override
    public String recover(Cluster cluster, List<Instance> instances, ClusterPaths paths, Map<String, String> environment, TimestampedLog log)
            throws ClusterStartException, InterruptedException {
        Instance master = master(instances);
        if (instances.size() == 1) {
            return "local[" + master.sparkCores() + "]";
        }
        Daemons daemons = clusters.computeIfAbsent(cluster.id(), id -> new Daemons());
        daemons.stopping = false;
        Optional<ManagedProcess> adoptedMaster = adopt(master, paths);
        if (adoptedMaster.isPresent() && cluster.sparkMasterUrl() != null && master.uiPort() != null) {
            log.info("Hearth restarted; the Spark master (process " + adoptedMaster.get().pid() + ") is still running and is watched again");
            daemons.masterUiPort = master.uiPort();
            watch(cluster, master, adoptedMaster.get(), daemons, paths);
            List<Instance> workers = instances.stream().filter(instance -> !instance.isMaster()).toList();
            for (Instance worker : workers) {
                Optional<ManagedProcess> adopted = adopt(worker, paths);
                if (adopted.isPresent()) {
                    watch(cluster, worker, adopted.get(), daemons, paths);
                } else {
                    log.info("The Spark worker of " + worker.id() + " is not running; starting it again");
                    startWorker(cluster, worker, cluster.sparkMasterUrl(), paths, environment, log, daemons);
                }
            }
            awaitWorkers(cluster, daemons, workers.size(), paths, master, log);
            return cluster.sparkMasterUrl();
        }
        log.info("Hearth restarted and the Spark master is not running; starting the cluster's Spark daemons again");
        for (Instance instance : instances) {
            adopt(instance, paths).ifPresent(this::stopProcess);
        }
        return start(cluster, instances, paths, environment, log);
    }

    @Override
    public void stop(String clusterId) {
        Daemons daemons = clusters.remove(clusterId);
        if (daemons == null) {
            return;
        }
        daemons.stopping = true;
        // Workers first (they stop their executors), then the master.
        List<ManagedProcess> workers = new ArrayList<>(daemons.workers.values());
        workers.forEach(ManagedProcess::terminate);
        workers.forEach(worker -> worker.awaitExitOrKill(DAEMON_STOP_TIMEOUT));
        if (daemons.master != null) {
            stopProcess(daemons.master);
        }
    }

    @Override
    public void stopSurvivors(List<Instance> instances, ClusterPaths paths) {
        for (Instance instance : instances) {
            adopt(instance, paths).ifPresent(this::stopProcess);
        }
    }

    @Override
    public void stopAll() {
        List.copyOf(clusters.keySet()).forEach(this::stop);
    }

    private void startMaster(Cluster cluster, Instance master, int port, ClusterPaths paths, Map<String, String> environment,
            TimestampedLog log, Daemons daemons) throws ClusterStartException, InterruptedException {
        int uiPort = freePort();
        List<String> argv = List.of(sparkHome.resolve("bin/spark-class").toString(), MASTER_CLASS,
                "--host", address, "--port", Integer.toString(port), "--webui-port", Integer.toString(uiPort));
        ManagedProcess process = launch(cluster, master, argv, paths, environment, "spark-master.log");
        daemons.masterUiPort = uiPort;
        store.recordInstanceProcess(master.id(), process.pid(), process.startedAt(), port, uiPort);
        log.info("Spark master started on " + master.id() + " (process " + process.pid() + "): spark://" + address + ":" + port
                + ", web UI http://" + address + ":" + uiPort + ", log " + paths.locationOf(daemonLog(paths, cluster, master, "spark-master.log")));
        watch(cluster, master, process, daemons, paths);
        Readiness.Outcome outcome = Readiness.await(() -> masterStatus(uiPort).isPresent(), process, clock.instant().plus(startTimeout), clock);
        String logLocation = paths.locationOf(daemonLog(paths, cluster, master, "spark-master.log"));
        switch (outcome) {
            case READY -> {
            }
            case EXITED -> throw new ClusterStartException("The Spark master on " + master.id() + " exited while starting; see " + logLocation);
            default -> throw new ClusterStartException("The Spark master on " + master.id() + " did not start within " + startTimeout.toSeconds()
                    + " s; see " + logLocation);
        }
    }

    private void startWorker(Cluster cluster, Instance worker, String masterUrl, ClusterPaths paths, Map<String, String> environment,
            TimestampedLog log, Daemons daemons) throws ClusterStartException {
        int uiPort = freePort();
        Path workDirectory = paths.instanceDirectory(worker.id()).resolve("work");
        List<String> argv = List.of(sparkHome.resolve("bin/spark-class").toString(), WORKER_CLASS,
                "--host", address, "--webui-port", Integer.toString(uiPort),
                "--cores", Integer.toString(worker.sparkCores()), "--memory", worker.sparkMemoryMb() + "m",
                "--work-dir", workDirectory.toString(), masterUrl);
        ManagedProcess process = launch(cluster, worker, argv, paths, environment, "spark-worker.log");
        store.recordInstanceProcess(worker.id(), process.pid(), process.startedAt(), null, uiPort);
        log.info("Spark worker started on " + worker.role() + " instance " + worker.id() + " (process " + process.pid() + "): "
                + worker.sparkCores() + " cores, " + worker.sparkMemoryMb() + " MB, web UI http://" + address + ":" + uiPort);
        watch(cluster, worker, process, daemons, paths);
    }

    private void awaitWorkers(Cluster cluster, Daemons daemons, int expected, ClusterPaths paths, Instance master, TimestampedLog log)
            throws ClusterStartException, InterruptedException {
        AtomicInteger alive = new AtomicInteger();
        Readiness.Probe registered = () -> {
            alive.set(masterStatus(daemons.masterUiPort).map(status -> status.path("aliveworkers").asInt()).orElse(0));
            return alive.get() >= expected;
        };
        switch (Readiness.await(registered, Readiness.never(), () -> !daemons.stopping, clock.instant().plus(startTimeout), clock)) {
            case READY -> log.info(alive.get() + " Spark worker(s) registered with the master");
            case ABANDONED -> throw new ClusterStartException("The cluster was stopped while its Spark workers were starting");
            default -> throw new ClusterStartException("Only " + alive.get() + " of " + expected + " Spark workers registered within "
                    + startTimeout.toSeconds() + " s; see the worker logs under " + paths.locationOf(paths.logRoot().resolve(cluster.id()).resolve("node")));
        }
    }

    private ManagedProcess launch(Cluster cluster, Instance instance, List<String> argv, ClusterPaths paths, Map<String, String> environment, String logName)
            throws ClusterStartException {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("SPARK_DAEMON_MEMORY", DAEMON_MEMORY);
        env.put("SPARK_DAEMON_JAVA_OPTS", (JavaModuleOptions.joined() + " " + environment.getOrDefault("SPARK_DAEMON_JAVA_OPTS", "")).trim());
        env.put("HEARTH_CLUSTER_ID", cluster.id());
        env.put("HEARTH_INSTANCE_ID", instance.id());
        Path instanceDirectory = paths.instanceDirectory(instance.id());
        try {
            Files.createDirectories(instanceDirectory);
            return launcher.launch(new LaunchSpec(argv, env, instanceDirectory, daemonLog(paths, cluster, instance, logName), null,
                    instanceDirectory.resolve("daemon-exit-status")));
        } catch (IOException e) {
            throw new ClusterStartException("Cannot start the Spark daemon of " + instance.id() + ": " + e.getMessage());
        }
    }

    private Optional<ManagedProcess> adopt(Instance instance, ClusterPaths paths) {
        Path exitStatusFile = paths.instanceDirectory(instance.id()).resolve("daemon-exit-status");
        if (instance.processId() == null || instance.processStartedAt() == null) {
            // Hearth may have stopped after starting the daemon and before recording it.
            return launcher.findRunning(exitStatusFile);
        }
        return launcher.adopt(instance.processId(), instance.processStartedAt(), exitStatusFile);
    }

    private void watch(Cluster cluster, Instance instance, ManagedProcess process, Daemons daemons, ClusterPaths paths) {
        if (instance.isMaster()) {
            daemons.master = process;
        } else {
            daemons.workers.put(instance.id(), process);
        }
        process.onExit().thenAccept(exitCode -> {
            if (daemons.stopping) {
                return;
            }
            String logName = instance.isMaster() ? "spark-master.log" : "spark-worker.log";
            String message = "The Spark " + (instance.isMaster() ? "master" : "worker") + " of " + instance.id() + " exited unexpectedly"
                    + (exitCode.isPresent() ? " with code " + exitCode.getAsInt() : "") + "; see "
                    + paths.locationOf(daemonLog(paths, cluster, instance, logName));
            LOG.warn("Cluster {}: {}", cluster.id(), message);
            listener.daemonExited(cluster.id(), instance, message);
        });
    }

    private void stopProcess(ManagedProcess process) {
        process.stop(DAEMON_STOP_TIMEOUT);
    }

    /** The master's JSON status page, if it answers. */
    private Optional<JsonNode> masterStatus(int uiPort) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + uiPort + "/json/"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? Optional.of(json.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path daemonLog(ClusterPaths paths, Cluster cluster, Instance instance, String name) {
        return paths.nodeLogDirectory(cluster.id(), instance.id()).resolve(name);
    }

    private static Instance master(List<Instance> instances) {
        return instances.stream().filter(Instance::isMaster).findFirst()
                .orElseThrow(() -> new IllegalStateException("cluster has no master instance"));
    }

    private int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }
}
