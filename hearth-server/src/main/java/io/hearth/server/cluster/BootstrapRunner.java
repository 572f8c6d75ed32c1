package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.log.TimestampedLog;
import io.hearth.server.process.CrashPoints;
import io.hearth.server.process.LaunchSpec;
import io.hearth.server.process.ManagedProcess;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.ProcessTrace;
import io.hearth.server.process.Scripts;
import io.hearth.server.storage.LocationResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs a cluster's bootstrap actions on each of its instances before Spark starts, as EMR does:
 * the actions in order on every instance, each in the instance's directory, with variables that
 * describe the instance (HEARTH_CLUSTER_ID, HEARTH_INSTANCE_ID, HEARTH_INSTANCE_ROLE,
 * HEARTH_IS_MASTER, HEARTH_INSTANCE_INFO pointing at an instance.json like EMR's). EMR's
 * {@code run-if} action runs its command only where its condition holds
 * ({@code instance.isMaster=true}, {@code instance.instanceRole=core}).
 * Output is kept under {@code <log root>/<cluster-id>/node/<instance-id>/bootstrap-actions/<n>/}.
 * An action runs at most once per instance: after a restart, one that ran is not run again and
 * one still running is waited for.
 */
final class BootstrapRunner {
    /** Why bootstrapping failed: the instance, the action and what the user should read. */
    record Failure(Instance instance, BootstrapAction action, String message) {}

    private static final int LAST_ERROR_LINES = 2;
    private static final int LAST_ERROR_CHARS = 1000;

    private final ProcessLauncher launcher;
    private final LocationResolver locations;
    private final Set<ManagedProcess> running = ConcurrentHashMap.newKeySet();

    BootstrapRunner(ProcessLauncher launcher, LocationResolver locations) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.locations = requireNonNull(locations, "locations is null");
    }

    /** Runs every action on one instance; returns the first failure, if any. */
    Optional<Failure> run(Cluster cluster, Instance instance, List<BootstrapAction> actions, ClusterPaths paths,
            Map<String, String> environment, TimestampedLog clusterLog) throws IOException, InterruptedException {
        Path instanceDirectory = paths.instanceDirectory(instance.id());
        Files.createDirectories(instanceDirectory);
        Path instanceInfo = writeInstanceInfo(cluster, instance, instanceDirectory);
        for (BootstrapAction action : actions) {
            Path outputDirectory = paths.nodeLogDirectory(cluster.id(), instance.id()).resolve("bootstrap-actions").resolve(Integer.toString(action.position()));
            Path exitStatusFile = outputDirectory.resolve("exit-status");
            // After a restart the action may have run, or still be running: it is never run a second time.
            ProcessTrace trace = launcher.trace(exitStatusFile);
            OptionalInt exitCode;
            if (trace instanceof ProcessTrace.Exited exited) {
                clusterLog.info("Bootstrap action " + action.position() + " (" + action.name() + ") ran on " + instance.id()
                        + " before Hearth restarted (exit code " + exited.exitCode() + "); it is not run again");
                exitCode = OptionalInt.of(exited.exitCode());
            } else if (trace instanceof ProcessTrace.Alive alive) {
                clusterLog.info("Bootstrap action " + action.position() + " (" + action.name() + ") on " + instance.id()
                        + " is still running from before Hearth restarted (process " + alive.process().pid() + "); waiting for it");
                exitCode = await(alive.process());
            } else if (trace instanceof ProcessTrace.Vanished) {
                return Optional.of(new Failure(instance, action, describe(instance, action)
                        + " ended while Hearth was not running, without recording an exit code; its output is in " + paths.locationOf(outputDirectory)));
            } else {
                Optional<List<String>> command;
                try {
                    command = command(action, instance, instanceDirectory);
                } catch (HearthException e) {
                    return Optional.of(new Failure(instance, action, describe(instance, action) + " could not run: " + e.getMessage()));
                }
                if (command.isEmpty()) {
                    clusterLog.info("Bootstrap action " + action.position() + " (" + action.name() + ") skipped on " + instance.id() + ": its run-if condition does not hold");
                    continue;
                }
                clusterLog.info("Bootstrap action " + action.position() + " (" + action.name() + ") running on " + instance.role() + " instance " + instance.id());
                ManagedProcess process = launcher.launch(new LaunchSpec(command.get(), environment(cluster, instance, environment, instanceDirectory, instanceInfo),
                        instanceDirectory, outputDirectory.resolve("stdout"), outputDirectory.resolve("stderr"), exitStatusFile));
                CrashPoints.reach("bootstrap.after-launch");
                exitCode = await(process);
            }
            if (exitCode.isEmpty() || exitCode.getAsInt() != 0) {
                String code = exitCode.isPresent() ? Integer.toString(exitCode.getAsInt()) : "unknown";
                return Optional.of(new Failure(instance, action, describe(instance, action) + " returned a non-zero return code (" + code
                        + ")" + lastError(outputDirectory.resolve("stderr")) + "; its output is in " + paths.locationOf(outputDirectory)));
            }
        }
        return Optional.empty();
    }

    private OptionalInt await(ManagedProcess process) throws InterruptedException {
        running.add(process);
        try {
            return process.onExit().get();
        } catch (ExecutionException e) {
            return OptionalInt.empty();
        } finally {
            running.remove(process);
        }
    }

    /** What an action sees besides the cluster's environment: which instance it runs on. */
    private static Map<String, String> environment(Cluster cluster, Instance instance, Map<String, String> clusterEnvironment, Path instanceDirectory,
            Path instanceInfo) {
        Map<String, String> env = new LinkedHashMap<>(clusterEnvironment);
        env.put("HEARTH_CLUSTER_ID", cluster.id());
        env.put("HEARTH_INSTANCE_ID", instance.id());
        env.put("HEARTH_EC2_INSTANCE_ID", instance.ec2InstanceId());
        env.put("HEARTH_INSTANCE_GROUP_ID", instance.instanceGroupId());
        env.put("HEARTH_INSTANCE_ROLE", instance.role().name());
        env.put("HEARTH_INSTANCE_TYPE", instance.instanceType());
        env.put("HEARTH_IS_MASTER", Boolean.toString(instance.isMaster()));
        env.put("HEARTH_INSTANCE_DIR", instanceDirectory.toString());
        env.put("HEARTH_INSTANCE_INFO", instanceInfo.toString());
        return env;
    }

    /** Stops bootstrap actions still running (the cluster is being terminated). */
    void stopAll() {
        running.forEach(ManagedProcess::killAll);
    }

    /** The end of an action's stderr, where pip, apt or a script's own check says what went wrong. */
    private static String lastError(Path stderr) {
        try {
            List<String> lines = Files.isRegularFile(stderr) ? Files.readAllLines(stderr, StandardCharsets.UTF_8) : List.of();
            List<String> last = lines.stream().filter(line -> !line.isBlank()).map(String::strip).toList();
            last = last.subList(Math.max(0, last.size() - LAST_ERROR_LINES), last.size());
            String text = String.join(" ", last);
            return text.isEmpty() ? "" : ": " + (text.length() > LAST_ERROR_CHARS ? "..." + text.substring(text.length() - LAST_ERROR_CHARS) : text);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static String describe(Instance instance, BootstrapAction action) {
        return "On the " + instance.role().name().toLowerCase(Locale.ROOT) + " instance " + instance.id() + " (" + instance.ec2InstanceId()
                + "), bootstrap action " + action.position() + " (" + action.name() + ")";
    }

    /** The argv for an action on an instance, or empty when a run-if condition does not hold. */
    private Optional<List<String>> command(BootstrapAction action, Instance instance, Path instanceDirectory) throws IOException {
        List<String> args = action.args();
        String location = action.path();
        if (isRunIf(location)) {
            if (args.size() < 2) {
                throw HearthException.invalidArgument("run-if needs a condition and a command, e.g. Args=[instance.isMaster=true,s3://bucket/script.sh]");
            }
            if (!conditionHolds(args.get(0), instance)) {
                return Optional.empty();
            }
            location = args.get(1);
            args = args.subList(2, args.size());
            if (!looksLikeLocation(location)) {
                if (location.contains(" ")) {
                    throw HearthException.invalidArgument("run-if runs a script or a program with separate arguments, not a shell command line ('%s'); put the command in a script", location);
                }
                List<String> argv = new ArrayList<>(List.of(location));
                argv.addAll(args);
                return Optional.of(argv);
            }
        }
        Path source = locations.fetch(location, "ScriptBootstrapAction.Path");
        if (!Files.isRegularFile(source)) {
            throw HearthException.invalidArgument("failed attempting to download the bootstrap action file %s (looked for %s)", location, source);
        }
        Path scriptDirectory = instanceDirectory.resolve("bootstrap-actions").resolve(Integer.toString(action.position()));
        Files.createDirectories(scriptDirectory);
        Path script = scriptDirectory.resolve(source.getFileName().toString());
        Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Optional.of(Scripts.command(script, args));
    }

    static boolean isRunIf(String path) {
        return path.equals("run-if") || path.endsWith("/run-if");
    }

    /** run-if conditions: {@code instance.isMaster=true|false} and {@code instance.instanceRole=master|core|task}. */
    static boolean conditionHolds(String condition, Instance instance) {
        int equals = condition.indexOf('=');
        if (equals < 0) {
            throw HearthException.invalidArgument("run-if condition '%s' must be key=value, e.g. instance.isMaster=true", condition);
        }
        String key = condition.substring(0, equals).trim();
        String value = condition.substring(equals + 1).trim();
        return switch (key) {
            case "instance.isMaster" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw HearthException.invalidArgument("run-if condition '%s': instance.isMaster must be true or false", condition);
                }
                yield Boolean.parseBoolean(value) == instance.isMaster();
            }
            case "instance.instanceRole" -> value.equalsIgnoreCase(instance.role().name());
            default -> throw HearthException.invalidArgument("run-if condition key '%s' is not supported; use instance.isMaster or instance.instanceRole", key);
        };
    }

    private static boolean looksLikeLocation(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("s3://") || lower.startsWith("s3a://") || lower.startsWith("s3n://") || lower.startsWith("file:")
                || value.startsWith("/") || value.startsWith("./") || value.startsWith("../");
    }

    private static Path writeInstanceInfo(Cluster cluster, Instance instance, Path instanceDirectory) throws IOException {
        Path info = instanceDirectory.resolve("instance.json");
        String json = "{\"clusterId\": \"" + cluster.id() + "\", \"instanceId\": \"" + instance.id() + "\", \"ec2InstanceId\": \""
                + instance.ec2InstanceId() + "\", \"instanceGroupId\": \"" + instance.instanceGroupId() + "\", \"instanceRole\": \""
                + instance.role().name().toLowerCase(Locale.ROOT) + "\", \"instanceType\": \"" + instance.instanceType()
                + "\", \"isMaster\": " + instance.isMaster() + "}\n";
        Files.writeString(info, json, StandardCharsets.UTF_8);
        return info;
    }

}
