package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.DaemonNotReadyException;
import io.hearth.server.process.DaemonSpec;
import io.hearth.server.process.JavaModuleOptions;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.Readiness;
import io.hearth.server.process.RestartPolicy;
import io.hearth.server.process.SupervisedDaemon;
import io.hearth.server.process.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/**
 * Runs clusters on this machine. A single-instance cluster needs no daemon: its steps run in
 * Spark local mode with the master's cores. A larger cluster gets a real Spark standalone master
 * process for its MASTER instance and one Spark worker process per CORE and TASK instance, each
 * with the cores and memory Hearth sized for it, all bound to Hearth's process address
 * ({@link io.hearth.server.config.HearthConfig#processAddress()}, 127.0.0.1 by default). Each
 * daemon is a {@link SupervisedDaemon} that is never restarted: a daemon that exits fails its
 * cluster, as EMR does when a node is lost.
 */
public final class LocalSparkBackend implements ClusterBackend {
    private static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
    private static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
    private static final String DAEMON_MEMORY = "512m";
    private static final Duration DAEMON_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path sparkHome;
    private final String address;
    private final Supervisor supervisor;
    private final ClusterStore store;
    private final Clock clock;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Daemons> clusters = new ConcurrentHashMap<>();
    private volatile Listener listener = (clusterId, instance, message) -> {};

    /** The daemons of one cluster; {@code stopping} tells their exit watchers that Hearth stops the whole cluster. */
    private static final class Daemons {
        final Map<String, SupervisedDaemon> workers = new ConcurrentHashMap<>();
        volatile SupervisedDaemon master;
        volatile boolean stopping;
        volatile int masterUiPort;
    }

    public LocalSparkBackend(Path sparkHome, String address, Supervisor supervisor, ClusterStore store, Clock clock, Duration startTimeout) {
        this.sparkHome = requireNonNull(sparkHome, "sparkHome is null");
        this.address = requireNonNull(address, "address is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
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
        if (cluster.sparkMasterUrl() != null && master.uiPort() != null) {
            int masterPort = URI.create(cluster.sparkMasterUrl()).getPort();
            SupervisedDaemon adoptedMaster = masterDaemon(cluster, master, masterPort, master.uiPort(), paths, environment, daemons);
            if (adoptedMaster.adopt()) {
                log.info("Hearth restarted; the Spark master (process " + pid(adoptedMaster) + ") is still running and is watched again");
                daemons.masterUiPort = master.uiPort();
                daemons.master = adoptedMaster;
                List<Instance> workers = instances.stream().filter(instance -> !instance.isMaster()).toList();
                for (Instance worker : workers) {
                    int uiPort = worker.uiPort() != null ? worker.uiPort() : freePort();
                    SupervisedDaemon adopted = workerDaemon(cluster, worker, cluster.sparkMasterUrl(), uiPort, paths, environment, daemons);
                    if (adopted.adopt()) {
                        daemons.workers.put(worker.id(), adopted);
                    } else {
                        log.info("The Spark worker of " + worker.id() + " is not running; starting it again");
                        startWorker(cluster, worker, cluster.sparkMasterUrl(), paths, environment, log, daemons);
                    }
                }
                awaitWorkers(cluster, daemons, workers.size(), paths, master, log);
                return cluster.sparkMasterUrl();
            }
        }
        log.info("Hearth restarted and the Spark master is not running; starting the cluster's Spark daemons again");
        stopSurvivors(instances, paths);
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
        List<SupervisedDaemon> workers = new ArrayList<>(daemons.workers.values());
        workers.forEach(SupervisedDaemon::requestStop);
        workers.forEach(worker -> worker.awaitStop(DAEMON_STOP_TIMEOUT));
        if (daemons.master != null) {
            daemons.master.stop();
        }
    }

    @Override
    public void stopSurvivors(List<Instance> instances, ClusterPaths paths) {
        for (Instance instance : instances) {
            supervisor.findSurvivor(InstanceProcessRecords.recordOf(instance), exitStatusFile(paths, instance))
                    .ifPresent(survivor -> survivor.stop(DAEMON_STOP_TIMEOUT));
        }
    }

    @Override
    public void stopAll() {
        List.copyOf(clusters.keySet()).forEach(this::stop);
    }

    private void startMaster(Cluster cluster, Instance master, int port, ClusterPaths paths, Map<String, String> environment,
            TimestampedLog log, Daemons daemons) throws ClusterStartException, InterruptedException {
        int uiPort = freePort();
        SupervisedDaemon daemon = masterDaemon(cluster, master, port, uiPort, paths, environment, daemons);
        daemons.masterUiPort = uiPort;
        daemons.master = daemon;
        launch(daemon, master, daemons);
        String logLocation = paths.locationOf(daemon.logFile());
        log.info("Spark master started on " + master.id() + " (process " + pid(daemon) + "): spark://" + address + ":" + port
                + ", web UI http://" + address + ":" + uiPort + ", log " + logLocation);
        try {
            daemon.awaitReady();
        } catch (DaemonNotReadyException e) {
            throw switch (e.reason()) {
                case EXITED -> new ClusterStartException("The Spark master on " + master.id() + " exited while starting; see " + logLocation);
                case STOPPED -> new ClusterStartException("The cluster was stopped while its Spark master was starting");
                default -> new ClusterStartException("The Spark master on " + master.id() + " did not start within " + startTimeout.toSeconds()
                        + " s; see " + logLocation);
            };
        }
    }

    private void startWorker(Cluster cluster, Instance worker, String masterUrl, ClusterPaths paths, Map<String, String> environment,
            TimestampedLog log, Daemons daemons) throws ClusterStartException {
        int uiPort = freePort();
        SupervisedDaemon daemon = workerDaemon(cluster, worker, masterUrl, uiPort, paths, environment, daemons);
        daemons.workers.put(worker.id(), daemon);
        launch(daemon, worker, daemons);
        log.info("Spark worker started on " + worker.role() + " instance " + worker.id() + " (process " + pid(daemon) + "): "
                + worker.sparkCores() + " cores, " + worker.sparkMemoryMb() + " MB, web UI http://" + address + ":" + uiPort);
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

    /** The master's daemon: ready once its JSON status page answers. */
    private SupervisedDaemon masterDaemon(Cluster cluster, Instance master, int port, int uiPort, ClusterPaths paths, Map<String, String> environment,
            Daemons daemons) {
        List<String> argv = List.of(sparkHome.resolve("bin/spark-class").toString(), MASTER_CLASS,
                "--host", address, "--port", Integer.toString(port), "--webui-port", Integer.toString(uiPort));
        DaemonSpec spec = spec(cluster, master, argv, paths, environment).readyWhen(() -> masterStatus(uiPort).isPresent(), startTimeout);
        return supervisor.daemon(spec, new InstanceProcessRecords(store, master, port, uiPort), exitsOf(cluster, master, paths, daemons));
    }

    /** A worker's daemon: its readiness is its registration with the master, which {@link #awaitWorkers} waits for. */
    private SupervisedDaemon workerDaemon(Cluster cluster, Instance worker, String masterUrl, int uiPort, ClusterPaths paths,
            Map<String, String> environment, Daemons daemons) {
        Path workDirectory = paths.instanceDirectory(worker.id()).resolve("work");
        List<String> argv = List.of(sparkHome.resolve("bin/spark-class").toString(), WORKER_CLASS,
                "--host", address, "--webui-port", Integer.toString(uiPort),
                "--cores", Integer.toString(worker.sparkCores()), "--memory", worker.sparkMemoryMb() + "m",
                "--work-dir", workDirectory.toString(), masterUrl);
        return supervisor.daemon(spec(cluster, worker, argv, paths, environment), new InstanceProcessRecords(store, worker, null, uiPort),
                exitsOf(cluster, worker, paths, daemons));
    }

    private DaemonSpec spec(Cluster cluster, Instance instance, List<String> argv, ClusterPaths paths, Map<String, String> environment) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("SPARK_DAEMON_MEMORY", DAEMON_MEMORY);
        env.put("SPARK_DAEMON_JAVA_OPTS", (JavaModuleOptions.joined() + " " + environment.getOrDefault("SPARK_DAEMON_JAVA_OPTS", "")).trim());
        env.put("HEARTH_CLUSTER_ID", cluster.id());
        env.put("HEARTH_INSTANCE_ID", instance.id());
        LaunchSpec launch = new LaunchSpec(argv, env, paths.instanceDirectory(instance.id()), daemonLog(paths, cluster, instance), null,
                exitStatusFile(paths, instance));
        return DaemonSpec.of("the Spark " + role(instance) + " of cluster " + cluster.id() + " on " + instance.id(), launch)
                .withRestartPolicy(RestartPolicy.never())
                .withStopGrace(DAEMON_STOP_TIMEOUT);
    }

    private static void launch(SupervisedDaemon daemon, Instance instance, Daemons daemons) throws ClusterStartException {
        try {
            daemon.start();
        } catch (IOException e) {
            throw new ClusterStartException("Cannot start the Spark daemon of " + instance.id() + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            if (!daemons.stopping) {
                throw e;
            }
            // The cluster was stopped before this daemon got to start, and a stopped daemon never starts.
            throw new ClusterStartException("The cluster was stopped while its Spark daemons were starting");
        }
    }

    /** Tells the cluster when one of its daemons exits on its own (it is never restarted), unless Hearth is stopping the cluster. */
    private SupervisedDaemon.Listener exitsOf(Cluster cluster, Instance instance, ClusterPaths paths, Daemons daemons) {
        return SupervisedDaemon.Listener.onExit((pid, exitCode, restartAfter) -> {
            if (daemons.stopping) {
                return;
            }
            String message = "The Spark " + role(instance) + " of " + instance.id() + " exited unexpectedly"
                    + (exitCode.isPresent() ? " with code " + exitCode.getAsInt() : "") + "; see "
                    + paths.locationOf(daemonLog(paths, cluster, instance));
            listener.daemonExited(cluster.id(), instance, message);
        });
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

    private static Path daemonLog(ClusterPaths paths, Cluster cluster, Instance instance) {
        return paths.nodeLogDirectory(cluster.id(), instance.id()).resolve("spark-" + role(instance) + ".log");
    }

    private static Path exitStatusFile(ClusterPaths paths, Instance instance) {
        return paths.instanceDirectory(instance.id()).resolve("daemon-exit-status");
    }

    private static String role(Instance instance) {
        return instance.isMaster() ? "master" : "worker";
    }

    private static long pid(SupervisedDaemon daemon) {
        return daemon.process().orElseThrow().pid();
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
