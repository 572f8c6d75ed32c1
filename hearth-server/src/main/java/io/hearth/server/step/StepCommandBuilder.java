package io.hearth.server.step;

import io.hearth.server.HearthException;
import io.hearth.server.process.Scripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * Turns an EMR HadoopJarStep into the process Hearth runs, the way EMR's runners do:
 * <ul>
 *   <li>{@code command-runner.jar} runs its first argument as a command: {@code spark-submit} and
 *       {@code spark-sql} run from the cluster's Spark runtime, other programs from PATH;</li>
 *   <li>{@code script-runner.jar} runs the script named by its first argument with the rest;</li>
 *   <li>any other jar is a custom jar, run by spark-submit with its MainClass (or its manifest's).</li>
 * </ul>
 * Arguments always travel as argv. Hearth changes Spark options only where this machine needs it
 * (YARN masters, cluster deploy mode, its own listener) and says so in the controller log.
 */
public final class StepCommandBuilder {
    static final String LISTENER = "io.hearth.spark.report.ApplicationReportListener";
    static final String APPLICATION_REPORT_ENV = "HEARTH_APPLICATION_REPORT";
    private static final String DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions";

    /** Commands of EMR's command-runner that exist only on EMR instances. */
    private static final Map<String, String> EMR_ONLY_COMMANDS = Map.of(
            "hive-script", "Hive queries run with spark-sql in Hearth",
            "pig-script", "Hearth does not ship Pig",
            "hadoop-streaming", "Hearth does not ship Hadoop MapReduce",
            "s3-dist-cp", "copy data with a Spark step instead",
            "state-pusher-script", "Hearth keeps step logs without it",
            "hadoop-lzo", "Hearth does not ship Hadoop LZO",
            "spark-example", "run the examples from the Hearth Spark jar with spark-submit --class instead");

    /** Interactive shells: a step has no terminal to type into, so they would read an empty input and end. */
    private static final Map<String, String> SHELLS = Map.of(
            "pyspark", "run the script with spark-submit script.py instead",
            "spark-shell", "run the code as a jar with spark-submit --class instead");

    private StepCommandBuilder() {}

    /** Checks what can be checked before a cluster runs the step; errors name the member. */
    public static void validate(String jar, List<String> args, String member) {
        if (isCommandRunner(jar)) {
            if (args.isEmpty() || args.get(0).isBlank()) {
                throw HearthException.invalidArgument("%s.HadoopJarStep.Args must start with the command to run when the jar is command-runner.jar", member);
            }
            String command = commandName(args.get(0));
            if (EMR_ONLY_COMMANDS.containsKey(command)) {
                throw HearthException.invalidArgument("%s: command-runner.jar command '%s' is not available in Hearth: %s",
                        member, command, EMR_ONLY_COMMANDS.get(command));
            }
            if (SHELLS.containsKey(command)) {
                throw HearthException.invalidArgument("%s: command-runner.jar command '%s' is an interactive shell, and a step has no terminal: %s",
                        member, command, SHELLS.get(command));
            }
            if (command.equals("spark-submit")) {
                SparkSubmitArguments submit = SparkSubmitArguments.parseSubmit(args.subList(1, args.size()));
                if (submit.primaryResource().isEmpty()) {
                    throw HearthException.invalidArgument("%s: spark-submit needs an application (a jar or a .py file) after its options", member);
                }
            }
        } else if (isScriptRunner(jar)) {
            if (args.isEmpty() || args.get(0).isBlank()) {
                throw HearthException.invalidArgument("%s.HadoopJarStep.Args must start with the script to run when the jar is script-runner.jar", member);
            }
        } else if (jar.isBlank()) {
            throw HearthException.invalidArgument("%s.HadoopJarStep.Jar must not be empty", member);
        }
    }

    /** Builds the command for a step about to run in {@code stepDirectory}. */
    static StepCommand build(Step step, StepContext context, Path stepDirectory) {
        List<String> notes = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>(context.environment());
        environment.put("HEARTH_CLUSTER_ID", context.clusterId());
        environment.put("HEARTH_STEP_ID", step.id());
        environment.put(APPLICATION_REPORT_ENV, stepDirectory.resolve("application.properties").toString());
        String path = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("PATH", context.sparkHome().resolve("bin") + ":" + path);

        List<String> argv;
        if (isCommandRunner(step.jar())) {
            argv = commandRunner(step, context, stepDirectory, notes);
        } else if (isScriptRunner(step.jar())) {
            argv = scriptRunner(step, context, stepDirectory, notes);
        } else {
            argv = customJar(step, context, notes);
        }
        return new StepCommand(argv, environment, notes);
    }

    private static List<String> commandRunner(Step step, StepContext context, Path stepDirectory, List<String> notes) {
        String command = commandName(step.args().get(0));
        List<String> rest = step.args().subList(1, step.args().size());
        return switch (command) {
            case "spark-submit" -> {
                SparkSubmitArguments submit = adaptSparkOptions(SparkSubmitArguments.parseSubmit(rest), step, context, notes);
                submit = resolvePrimaryResource(submit, context, notes);
                if (submit.primaryResource().filter(StepCommandBuilder::isPython).isPresent()) {
                    requirePython(context, notes);
                }
                DriverArchives.unpack(submit, context, stepDirectory, notes);
                yield concat(context.sparkHome().resolve("bin/spark-submit").toString(), submit.toArgs());
            }
            case "spark-sql" -> {
                SparkSubmitArguments sql = adaptSparkOptions(SparkSubmitArguments.parseMixed(rest), step, context, notes);
                yield concat(context.sparkHome().resolve("bin/spark-sql").toString(), resolveSqlFile(sql.toArgs(), context, notes));
            }
            default -> {
                if (!step.properties().isEmpty()) {
                    notes.add("Step properties are passed to Java programs only; '" + command + "' does not receive them");
                }
                yield concat(step.args().get(0), rest);
            }
        };
    }

    private static List<String> scriptRunner(Step step, StepContext context, Path stepDirectory, List<String> notes) {
        String location = step.args().get(0);
        Path source = context.locations().fetch(location, "script-runner.jar script");
        if (!Files.isRegularFile(source)) {
            throw HearthException.invalidArgument("script-runner.jar script %s does not exist (looked for %s)", location, source);
        }
        if (!step.properties().isEmpty()) {
            notes.add("Step properties are passed to Java programs only; the script does not receive them");
        }
        Path script = stepDirectory.resolve(source.getFileName().toString());
        try {
            Files.createDirectories(stepDirectory);
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            notes.add("Copied script " + location + " to " + script);
            if (!Scripts.runsDirectly(script)) {
                notes.add("The script has no #! line; running it with /bin/sh");
            }
            return Scripts.command(script, step.args().subList(1, step.args().size()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy script " + source + " to " + stepDirectory, e);
        }
    }

    private static List<String> customJar(Step step, StepContext context, List<String> notes) {
        Path jar = context.locations().fetch(step.jar(), "HadoopJarStep.Jar");
        if (!Files.isRegularFile(jar)) {
            throw HearthException.invalidArgument("Jar %s does not exist (looked for %s)", step.jar(), jar);
        }
        List<String> submit = new ArrayList<>();
        if (step.mainClass() != null && !step.mainClass().isBlank()) {
            submit.add("--class");
            submit.add(step.mainClass());
        }
        submit.add("--name");
        submit.add(step.name().isBlank() ? step.id() : step.name());
        SparkSubmitArguments arguments = adaptSparkOptions(SparkSubmitArguments.parseSubmit(submit), step, context, notes);
        List<String> argv = new ArrayList<>();
        argv.add(context.sparkHome().resolve("bin/spark-submit").toString());
        argv.addAll(arguments.toArgs());
        argv.add(jar.toString());
        argv.addAll(step.args());
        notes.add("Running custom jar " + jar + " with spark-submit" + (step.mainClass() == null ? " (main class from its manifest)" : ""));
        return argv;
    }

    /**
     * Adjusts Spark options for this cluster; everything Hearth changes is noted. The cluster's
     * spark-defaults.conf names the master and Hearth's listener, so only explicit options that
     * would override them need a change.
     */
    private static SparkSubmitArguments adaptSparkOptions(SparkSubmitArguments arguments, Step step, StepContext context, List<String> notes) {
        List<SparkSubmitArguments.Option> options = new ArrayList<>();
        for (SparkSubmitArguments.Option option : arguments.options()) {
            String name = option.name();
            String value = option.value();
            if (name.equals("--master") && value != null && value.toLowerCase(Locale.ROOT).startsWith("yarn")) {
                notes.add("--master " + value + " replaced by the cluster's master " + context.masterUrl());
                continue;
            }
            if (SparkSubmitArguments.isConf(option) && value != null && value.toLowerCase(Locale.ROOT).startsWith("spark.master=yarn")) {
                notes.add("--conf " + value + " removed: the cluster's master is " + context.masterUrl());
                continue;
            }
            if (SparkSubmitArguments.isConf(option) && "spark.submit.deployMode=cluster".equals(value)) {
                notes.add("--conf spark.submit.deployMode=cluster changed to client: Hearth runs drivers on the master instance, where the step's logs are kept");
                options.add(new SparkSubmitArguments.Option(name, "spark.submit.deployMode=client"));
                continue;
            }
            if (name.equals("--deploy-mode") && "cluster".equals(value)) {
                notes.add("--deploy-mode cluster changed to client: Hearth runs drivers on the master instance, where the step's logs are kept");
                options.add(new SparkSubmitArguments.Option(name, "client"));
                continue;
            }
            if (SparkSubmitArguments.isConf(option) && value != null && value.startsWith("spark.extraListeners=")) {
                String listeners = value.substring("spark.extraListeners=".length());
                if (!List.of(listeners.split(",")).contains(LISTENER)) {
                    value = listeners.isBlank() ? "spark.extraListeners=" + LISTENER : value + "," + LISTENER;
                    notes.add("Added Hearth's listener to spark.extraListeners so the step's application id is recorded");
                }
                options.add(new SparkSubmitArguments.Option(name, value));
                continue;
            }
            options.add(option);
        }
        shareCores(arguments, context, options, notes);
        addStepProperties(step, arguments, options);
        return arguments.withOptions(options);
    }

    /**
     * On a standalone cluster: gives a step that runs beside others its share of the workers' cores
     * (Spark standalone would otherwise give the first application every core, and the others would
     * wait), in whole executors, and refuses a step none of whose executors could ever start, which
     * Spark would leave waiting for resources for as long as the cluster lives.
     */
    private static void shareCores(SparkSubmitArguments arguments, StepContext context, List<SparkSubmitArguments.Option> options, List<String> notes) {
        if (!runsOnTheClustersMaster(arguments, context)) {
            return;
        }
        ExecutorRequest request = ExecutorRequest.of(arguments, context.sparkDefaults());
        if (context.stepConcurrencyLevel() > 1 && request.coresMax().isEmpty()) {
            int share = share(request, context, notes);
            options.add(new SparkSubmitArguments.Option("--conf", ExecutorRequest.CORES_MAX + "=" + share));
            request = new ExecutorRequest(request.executorCores(), request.executorMemoryMb(), OptionalInt.of(share));
        }
        checkExecutorsFit(request, context);
    }

    /**
     * An equal share of the workers' cores, rounded down to whole executors; raised to one executor
     * when an equal share cannot hold one (an application whose spark.cores.max is below
     * spark.executor.cores never gets an executor). Steps beyond what the cores allow then wait
     * for cores until others end, rather than for ever.
     */
    private static int share(ExecutorRequest request, StepContext context, List<String> notes) {
        int executorCores = request.minimumExecutorCores();
        int equal = context.workerCores() / context.stepConcurrencyLevel();
        int whole = equal / executorCores * executorCores;
        String shareOf = "the cluster's " + context.workerCores() + " worker cores at step concurrency " + context.stepConcurrencyLevel();
        String executor = request.executorCores().isPresent() ? executorCores + " cores (" + ExecutorRequest.EXECUTOR_CORES + ")" : "1 core";
        if (whole >= executorCores && whole == equal) {
            notes.add(ExecutorRequest.CORES_MAX + "=" + whole + ": this step's share of " + shareOf);
            return whole;
        }
        if (whole >= executorCores) {
            notes.add(ExecutorRequest.CORES_MAX + "=" + whole + ": this step's share of " + shareOf + " (" + equal
                    + "), in whole executors of " + executor);
            return whole;
        }
        int executorsAtOnce = context.workers().stream().mapToInt(worker -> worker.cores() / executorCores).sum();
        notes.add(ExecutorRequest.CORES_MAX + "=" + executorCores + ": one executor of " + executor + "; an equal share of " + shareOf
                + " (" + equal + ") would hold none, so at most " + executorsAtOnce + " steps have executors at once and the others wait for cores");
        return executorCores;
    }

    /** Fails the step at once when the standalone master could never give it an executor. */
    private static void checkExecutorsFit(ExecutorRequest request, StepContext context) {
        int cores = request.minimumExecutorCores();
        String cannot = "Cannot run the step: it can get no Spark executor on this cluster: ";
        if (request.coresMax().isPresent() && request.coresMax().getAsInt() < cores) {
            throw HearthException.invalidArgument("%seach executor takes %d cores (%s) but the step may use only %d (%s)", cannot, cores,
                    ExecutorRequest.EXECUTOR_CORES, request.coresMax().getAsInt(), ExecutorRequest.CORES_MAX);
        }
        if (context.workers().isEmpty()) {
            throw HearthException.invalidArgument("%sthe cluster has no running Spark worker (its CORE and TASK instances have ended)", cannot);
        }
        long memoryMb = request.executorMemoryMb().orElse(0);
        boolean fits = context.workers().stream().anyMatch(worker -> worker.cores() >= cores && worker.memoryMb() >= memoryMb);
        if (!fits) {
            int mostCores = context.workers().stream().mapToInt(StepContext.Worker::cores).max().orElseThrow();
            int mostMemory = context.workers().stream().mapToInt(StepContext.Worker::memoryMb).max().orElseThrow();
            String asked = (request.executorCores().isPresent() ? cores + " cores (" + ExecutorRequest.EXECUTOR_CORES + ") and " : "")
                    + memoryMb + " MB of memory (" + ExecutorRequest.EXECUTOR_MEMORY + ")";
            throw HearthException.invalidArgument("%seach executor asks for %s, more than any running worker offers (at most %d cores and %d MB)",
                    cannot, asked, mostCores, mostMemory);
        }
    }

    /** Whether the application runs on the cluster's standalone master (not in local mode, not on a master of its own). */
    private static boolean runsOnTheClustersMaster(SparkSubmitArguments arguments, StepContext context) {
        String master = arguments.value("--master").or(() -> arguments.conf("spark.master"))
                .filter(value -> !value.toLowerCase(Locale.ROOT).startsWith("yarn"))
                .orElse(context.sparkDefaults().getOrDefault("spark.master", context.masterUrl()));
        return !context.isLocalMode() && master.equals(context.masterUrl());
    }

    /**
     * EMR passes HadoopJarStep properties to the step's JVM as system properties. They join the
     * driver's own Java options, whichever way the user gave those (--driver-java-options or
     * --conf spark.driver.extraJavaOptions, which Spark treats as one setting).
     */
    private static void addStepProperties(Step step, SparkSubmitArguments arguments, List<SparkSubmitArguments.Option> options) {
        if (step.properties().isEmpty()) {
            return;
        }
        StringJoiner javaOptions = new StringJoiner(" ");
        for (SparkSubmitArguments.Option option : arguments.options()) {
            if (option.name().equals("--driver-java-options") && option.value() != null) {
                javaOptions.add(option.value());
            } else if (SparkSubmitArguments.isConf(option) && option.value() != null && option.value().startsWith(DRIVER_JAVA_OPTIONS + "=")) {
                javaOptions.add(option.value().substring(DRIVER_JAVA_OPTIONS.length() + 1));
            }
        }
        step.properties().forEach((key, value) -> javaOptions.add(quoteForSpark("-D" + key + "=" + value)));
        options.removeIf(option -> option.name().equals("--driver-java-options")
                || SparkSubmitArguments.isConf(option) && option.value() != null && option.value().startsWith(DRIVER_JAVA_OPTIONS + "="));
        options.add(new SparkSubmitArguments.Option("--driver-java-options", javaOptions.toString()));
    }

    /** Quotes one Java option for Spark's option-string splitter (double quotes, backslash escapes). */
    static String quoteForSpark(String option) {
        return "\"" + option.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static SparkSubmitArguments resolvePrimaryResource(SparkSubmitArguments arguments, StepContext context, List<String> notes) {
        return arguments.primaryResource()
                .filter(resource -> !resource.equals("spark-internal"))
                .map(resource -> {
                    String lower = resource.toLowerCase(Locale.ROOT);
                    boolean remote = lower.startsWith("s3://") || lower.startsWith("s3a://") || lower.startsWith("s3n://");
                    boolean relative = !lower.contains(":") && !resource.startsWith("/");
                    if (!remote && !relative) {
                        return arguments;
                    }
                    Path local = context.locations().fetch(resource, "spark-submit application");
                    if (!Files.exists(local)) {
                        return arguments;
                    }
                    notes.add("Application " + resource + " is " + local);
                    return arguments.withPrimaryResource(local.toString());
                })
                .orElse(arguments);
    }

    private static List<String> resolveSqlFile(List<String> args, StepContext context, List<String> notes) {
        List<String> resolved = new ArrayList<>(args);
        for (int i = 0; i + 1 < resolved.size(); i++) {
            if (resolved.get(i).equals("-f") || resolved.get(i).equals("-i")) {
                String location = resolved.get(i + 1);
                Path local = context.locations().fetch(location, "spark-sql " + resolved.get(i) + " file");
                if (!local.toString().equals(location)) {
                    notes.add("SQL file " + location + " is " + local);
                    resolved.set(i + 1, local.toString());
                }
            }
        }
        return resolved;
    }

    private static boolean isPython(String resource) {
        return resource.toLowerCase(Locale.ROOT).endsWith(".py");
    }

    /** A PySpark application needs the cluster's Python environment, which a distribution built without Python lacks. */
    private static void requirePython(StepContext context, List<String> notes) {
        String python = context.environment().get("PYSPARK_PYTHON");
        if (python == null) {
            throw HearthException.invalidArgument("This cluster has no Python environment, so it cannot run a PySpark application: "
                    + "the cluster log says why (Hearth's python.home has no bin/python3); docs/python.md says how to build or choose one");
        }
        notes.add("PySpark application: Python " + python);
    }

    static boolean isCommandRunner(String jar) {
        return jar.equals("command-runner.jar") || jar.endsWith("/command-runner.jar");
    }

    static boolean isScriptRunner(String jar) {
        return jar.equals("script-runner.jar") || jar.endsWith("/script-runner.jar");
    }

    /** The command's own name: {@code /usr/bin/spark-submit} and {@code spark-submit} are the same. */
    private static String commandName(String command) {
        int slash = command.lastIndexOf('/');
        return slash < 0 ? command : command.substring(slash + 1);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> argv = new ArrayList<>();
        argv.add(first);
        argv.addAll(rest);
        return argv;
    }
}
