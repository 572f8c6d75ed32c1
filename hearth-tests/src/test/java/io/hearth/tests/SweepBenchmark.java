package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.sweep.Sweep;
import io.hearth.server.sweep.SweepManager;
import io.hearth.server.sweep.SweepPlanner;
import io.hearth.server.sweep.SweepState;
import io.hearth.server.sweep.SweepTask;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.StepTimeline;

/**
 * bench/sweep: a grid of training tasks (logistic regression and gradient-boosted trees on a
 * generated table) run four ways on the same data, each timed as its user would see it:
 * <ol>
 *   <li>(a) one Spark application per task, two at a time: a Java thread pool calling spark-submit
 *       of TrainModel per task, first launch to last exit;</li>
 *   <li>(b) a Hearth sweep with shared isolation and maxParallel 2, submit to the sweep's end;</li>
 *   <li>(c) Spark's own TrainValidationSplit over the same pipelines at parallelism 2, one
 *       application, process start to exit;</li>
 *   <li>(d) the ideal: the sum of each task's pipeline fit alone, divided by 2.</li>
 * </ol>
 * Hearth runs in-process (sweeps have no API outside the server yet) with its default settings, a
 * one-instance m5.xlarge cluster; every direct spark-submit gets the master its steps get.
 * Usage: {@code SweepBenchmark [rows] [tasks] [variants]} (defaults 200000 rows, all 24 tasks and
 * {@code abcd}; fewer tasks are picked evenly across the grid; {@code variants} runs only the ones
 * named, such as {@code bd} while working on Hearth's side).
 */
public final class SweepBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the benchmark asks for the sweep's state, as a client polling for its end would. */
    private static final long POLL_MILLIS = 100;
    private static final String TRAIN_CLASS = "io.hearth.spark.train.TrainModel";
    private static final String BASELINE_CLASS = "io.hearth.spark.bench.GridBaseline";

    /**
     * 12 logistic regressions and 12 boosted-tree models; %s is the table's folder. Meant to take
     * 15-25 minutes for the whole benchmark at 200,000 rows on 2 cores: a guess from runs at 20,000 and
     * 50,000 rows on a busy machine (the fits alone should add up to about 5 minutes at full size).
     */
    private static final String SWEEP = """
            {"name": "bench/sweep", "isolation": "shared", "maxParallel": 2,
             "base": {"input": {"path": "%s", "format": "parquet"}, "label": {"column": "label", "task": "binary"},
                      "split": {"train": 0.7, "validation": 0.15, "test": 0.15, "seed": 42}},
             "grid": [{"model": "logistic_regression", "params": {"regParam": [0.001, 0.01, 0.1, 1.0], "elasticNetParam": [0.0, 0.5, 1.0]}},
                      {"model": "gbt", "params": {"maxDepth": [3, 4, 5], "maxIter": [5, 10, 15, 20]}}]}
            """;

    private final TestingHearth hearth;
    private final String clusterId;
    private final DirectSparkSubmit submit;
    private final Path work;
    /** The least time (d)'s fits can take two at a time on this machine's cores, from the CPU they used; NaN until (d) ran. */
    private double cpuFloor = Double.NaN;

    private SweepBenchmark(TestingHearth hearth, String clusterId, DirectSparkSubmit submit, Path work) {
        this.hearth = hearth;
        this.clusterId = clusterId;
        this.submit = submit;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int cap = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        String variants = args.length > 2 ? args[2] : "abcd";
        if (!variants.matches("[abcd]+")) {
            throw new IllegalArgumentException("variants: letters among a, b, c and d, not '" + variants + "'");
        }
        Path work = Files.createTempDirectory("hearth-sweep-bench-");
        StepOverheadBenchmark.printMachine();
        System.out.println("Load average (1, 5, 15 minutes) before: " + loadAverage());
        System.out.println("Work directory: " + work);
        // Hearth's default housekeeping, as `hearth up` runs it (TestingHearth polls faster for tests).
        String housekeeping = HearthConfig.defaults().toProperties().get(HearthConfig.HOUSEKEEPING_INTERVAL.key());
        try (TestingHearth hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).dataDirectory(work.resolve("hearth"))
                .setting(HearthConfig.HOUSEKEEPING_INTERVAL.key(), housekeeping).start()) {
            String clusterId = createCluster(hearth.emr(), singleInstanceCluster("sweep benchmark"));
            while (hearth.emr().describeCluster(r -> r.clusterId(clusterId)).cluster().status().state() != ClusterState.WAITING) {
                Thread.sleep(50);
            }
            String master = Distribution.lines(work.resolve("hearth/clusters").resolve(clusterId).resolve("conf/spark-defaults.conf")).stream()
                    .filter(line -> line.startsWith("spark.master=")).findFirst().orElseThrow().substring("spark.master=".length()).replace("\\", "");
            System.out.printf("Cluster %s: one m5.xlarge, steps run with --master %s; direct launches use the same master.%n", clusterId, master);
            SweepBenchmark bench = new SweepBenchmark(hearth, clusterId, new DirectSparkSubmit(master, work.resolve("runs")), work);
            bench.run(rows, cap, variants);
            hearth.emr().terminateJobFlows(r -> r.jobFlowIds(clusterId));
        }
        System.out.println("Load average (1, 5, 15 minutes) after: " + loadAverage());
    }

    private void run(int rows, int cap, String variants) throws Exception {
        Path table = work.resolve("table");
        DirectSparkSubmit.Run generated = submit.run("generate", "--class", "io.hearth.spark.bench.GenerateTable", "spark-internal",
                Integer.toString(rows), table.toString());
        System.out.printf(Locale.ROOT, "Table: %s rows, %s columns (%s positive), Parquet in %s, generated in %.1f s (not counted)%n",
                generated.results().get("table_rows"), generated.results().get("table_columns"), generated.results().get("positive_fraction"),
                table, generated.seconds());

        String sweepSpec = sweepSpec(table, cap);
        List<SweepPlanner.PlannedTask> tasks = SweepPlanner.plan(SweepPlanner.parse(sweepSpec)).tasks();
        Path tasksFile = writeTasks(tasks);
        System.out.printf("Grid: %d tasks, the same in every variant (%s)%n%n", tasks.size(), tasksFile);
        for (SweepPlanner.PlannedTask task : tasks) {
            System.out.printf("  %s  %s%n", task.taskId(), task.description());
        }
        System.out.println();

        double a = Double.NaN;
        double b = Double.NaN;
        double c = Double.NaN;
        double d = Double.NaN;
        if (variants.contains("a")) {
            a = onePerTask(tasks);
            settle();
        }
        if (variants.contains("b")) {
            b = hearthShared(sweepSpec, tasks.size());
            settle();
        }
        if (variants.contains("c")) {
            c = trainValidationSplit(tasksFile);
            settle();
        }
        if (variants.contains("d")) {
            d = ideal(tasksFile, tasks);
        }

        System.out.printf(Locale.ROOT, "%nSummary, %d tasks on %d rows (wall-clock seconds):%n", tasks.size(), rows);
        System.out.printf(Locale.ROOT, "  (a) one application per task, 2 at a time  %8.1f%n", a);
        System.out.printf(Locale.ROOT, "  (b) Hearth shared sweep, maxParallel 2     %8.1f%n", b);
        System.out.printf(Locale.ROOT, "  (c) TrainValidationSplit, parallelism 2    %8.1f%n", c);
        System.out.printf(Locale.ROOT, "  (d) ideal: sum of single fits / 2          %8.1f%n", d);
        System.out.printf(Locale.ROOT, "  (d') the fits' CPU / cores, if more than (d) %8.1f%n", cpuFloor);
        System.out.printf(Locale.ROOT, "  a / b = %.2f (goal >= 4)   b / c = %.3f (goal <= 1.05)   b / d = %.3f (goal <= 1.3)   b / d' = %.3f%n", a / b, b / c, b / d, b / cpuFloor);
    }

    /** (a): TrainModel per task from a pool of two threads, first launch to last exit. */
    private double onePerTask(List<SweepPlanner.PlannedTask> tasks) throws Exception {
        System.out.println("(a) One spark-submit of TrainModel per task, two at a time ...");
        Path specs = Files.createDirectories(work.resolve("a-specs"));
        Path models = work.resolve("a-models");
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<DirectSparkSubmit.Run>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (SweepPlanner.PlannedTask task : tasks) {
            Path spec = specs.resolve(task.taskId() + ".json");
            Files.writeString(spec, task.spec().toString());
            runs.add(two.submit(() -> submit.run("a-" + task.taskId(), "--name", "bench-" + task.taskId(), "--class", TRAIN_CLASS, "spark-internal",
                    spec.toString(), "--model-id", task.taskId(), "--output", models.toString())));
        }
        List<Double> each = new ArrayList<>();
        for (Future<DirectSparkSubmit.Run> run : runs) {
            each.add(run.get().seconds());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        two.shutdown();
        Map<String, JsonNode> metrics = new LinkedHashMap<>();
        for (SweepPlanner.PlannedTask task : tasks) {
            metrics.put(task.taskId(), JSON.readTree(models.resolve(task.taskId()).resolve("metrics.json").toFile()));
        }
        double applications = each.stream().mapToDouble(Double::doubleValue).sum();
        Collections.sort(each);
        System.out.printf(Locale.ROOT, "    %.1f s; an application took %.1f s at the median (%.1f to %.1f); best %s%n",
                seconds, each.get(each.size() / 2), each.get(0), each.get(each.size() - 1), best(metrics));
        List<Path> cards = tasks.stream().map(task -> models.resolve(task.taskId()).resolve("model-card.json")).toList();
        System.out.printf(Locale.ROOT, "    applications summed %.1f s, of which the training jobs %s%n", applications, timings(cards));
        return seconds;
    }

    /** (b): the sweep submitted to Hearth, until it has ended. */
    private double hearthShared(String sweepSpec, int expected) throws Exception {
        System.out.println("(b) Hearth sweep, shared isolation, maxParallel 2 ...");
        SweepManager sweeps = hearth.server().sweeps();
        long start = System.nanoTime();
        Sweep sweep = sweeps.submit(sweepSpec, clusterId);
        while (sweeps.get(sweep.sweepId()).state() == SweepState.RUNNING) {
            Thread.sleep(POLL_MILLIS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Sweep ended = sweeps.get(sweep.sweepId());
        List<SweepTask> tasks = sweeps.tasks(sweep.sweepId());
        if (ended.state() != SweepState.COMPLETED || tasks.size() != expected) {
            throw new IllegalStateException("Sweep " + sweep.sweepId() + " ended " + ended.state() + ": " + ended.stateMessage()
                    + "; see " + work.resolve("hearth/sweeps").resolve(sweep.sweepId()));
        }
        Map<String, JsonNode> metrics = new LinkedHashMap<>();
        for (SweepTask task : tasks) {
            metrics.put(task.taskId(), JSON.readTree(task.metrics()));
        }
        // The sweep ends with its last task; the application may still be stopping, so its step may not have ended yet.
        StepTimeline step = hearth.emr().describeStep(r -> r.clusterId(clusterId).stepId(tasks.get(0).stepId())).step().status().timeline();
        for (int i = 0; i < 300 && step.endDateTime() == null; i++) {
            Thread.sleep(POLL_MILLIS);
            step = hearth.emr().describeStep(r -> r.clusterId(clusterId).stepId(tasks.get(0).stepId())).step().status().timeline();
        }
        System.out.printf(Locale.ROOT, "    %.1f s; its application (step %s) started %.2f s after submit, its last task ended %.2f s before the application did; best %s%n",
                seconds, tasks.get(0).stepId(), between(ended.createdAt(), step.startDateTime()),
                step.endDateTime() == null ? Double.NaN : between(ended.endedAt(), step.endDateTime()), best(metrics));
        List<Path> cards = tasks.stream().map(task -> hearth.dataDirectory().resolve("models").resolve(task.modelId()).resolve("model-card.json")).toList();
        System.out.printf(Locale.ROOT, "    tasks, two at a time, summed: %s%n", timings(cards));
        return seconds;
    }

    /** (c): TrainValidationSplit over the tasks' pipelines, one application. */
    private double trainValidationSplit(Path tasksFile) throws Exception {
        System.out.println("(c) TrainValidationSplit, parallelism 2, one spark-submit ...");
        DirectSparkSubmit.Run run = submit.run("c-tvs", "--name", "bench-tvs", "--class", BASELINE_CLASS, "spark-internal", "tvs", tasksFile.toString(), "2");
        System.out.printf(Locale.ROOT, "    %.1f s; reading and caching %s s, TrainValidationSplit.fit %s s, scoring the best on the test rows %s s; best %s%n",
                run.seconds(), run.results().get("load_seconds"), run.results().get("tvs_fit_seconds"), run.results().get("test_seconds"), run.results().get("best"));
        return run.seconds();
    }

    /** (d): every task's pipeline fitted alone, in turn; the ideal with two at a time is half their sum. */
    private double ideal(Path tasksFile, List<SweepPlanner.PlannedTask> tasks) throws Exception {
        System.out.println("(d) Each task's fit alone, in turn, one spark-submit ...");
        DirectSparkSubmit.Run run = submit.run("d-singles", "--name", "bench-singles", "--class", BASELINE_CLASS, "spark-internal", "singles", tasksFile.toString());
        StringBuilder fits = new StringBuilder();
        for (SweepPlanner.PlannedTask task : tasks) {
            fits.append(fits.length() == 0 ? "" : ", ").append(task.taskId()).append(' ').append(run.results().get("fit." + task.taskId()));
        }
        double total = Double.parseDouble(run.results().get("fits_total"));
        double cpu = Double.parseDouble(run.results().get("fits_cpu_total"));
        int cores = Integer.parseInt(run.results().get("cores"));
        System.out.printf(Locale.ROOT, "    fits %s%n    sum %.1f s, / 2 = %.1f s (the application ran %.1f s)%n", fits, total, total / 2, run.seconds());
        // Two fits at a time take half the sum only if a fit alone leaves half the machine idle.
        System.out.printf(Locale.ROOT, "    the fits used %.1f s of CPU: %.2f of the %d cores busy on average; two at a time they need at least %.1f s (CPU / cores)%n",
                cpu, cpu / total, cores, cpu / cores);
        cpuFloor = Math.max(total / 2, cpu / cores);
        return total / 2;
    }

    /** A pause between variants, so one's leftovers (exiting JVMs, Hearth publishing a sweep's results, written files) do not slow the next. */
    private static void settle() throws InterruptedException {
        Thread.sleep(5_000);
    }

    /** The sweep as users write it: the whole grid, or (for a smaller run) the picked tasks as single-valued grid entries. */
    private static String sweepSpec(Path table, int cap) throws IOException {
        String full = SWEEP.formatted(table.toString());
        List<SweepPlanner.PlannedTask> all = SweepPlanner.plan(SweepPlanner.parse(full)).tasks();
        if (cap >= all.size()) {
            return full;
        }
        ObjectNode spec = (ObjectNode) JSON.readTree(full);
        ArrayNode grid = spec.putArray("grid");
        for (int i = 0; i < cap; i++) {
            // Evenly across the grid, so a small run has both kinds of model.
            JsonNode model = all.get((int) Math.round(i * (double) all.size() / cap)).spec().path("model");
            grid.addObject().put("model", model.path("type").asText()).set("params", model.path("params"));
        }
        return JSON.writeValueAsString(spec);
    }

    /** The tasks as GridBaseline reads them: {@code {"tasks": [{"taskId", "spec"}, ...]}}. */
    private Path writeTasks(List<SweepPlanner.PlannedTask> tasks) throws IOException {
        ObjectNode file = JSON.createObjectNode();
        ArrayNode array = file.putArray("tasks");
        for (SweepPlanner.PlannedTask task : tasks) {
            array.addObject().put("taskId", task.taskId()).put("description", task.description()).set("spec", task.spec());
        }
        Path path = work.resolve("tasks.json");
        Files.writeString(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file));
        return path;
    }

    /** The task with the best validation AUC-ROC, as "t-004 auc_roc validation 0.8275 test 0.8233". */
    private static String best(Map<String, JsonNode> metrics) {
        return metrics.entrySet().stream().max(Comparator.comparingDouble(entry -> entry.getValue().path("validation").path("auc_roc").asDouble()))
                .map(entry -> String.format(Locale.ROOT, "%s auc_roc validation %.4f test %.4f", entry.getKey(),
                        entry.getValue().path("validation").path("auc_roc").asDouble(), entry.getValue().path("test").path("auc_roc").asDouble()))
                .orElse("none");
    }

    /** The training jobs' own timings from their model cards, summed: where a task's time goes. */
    private static String timings(List<Path> cards) throws IOException {
        double prepare = 0;
        double fit = 0;
        double evaluate = 0;
        double write = 0;
        double total = 0;
        for (Path card : cards) {
            JsonNode timings = JSON.readTree(card.toFile()).path("timings");
            prepare += timings.path("prepare_seconds").asDouble();
            fit += timings.path("fit_seconds").asDouble();
            evaluate += timings.path("evaluate_seconds").asDouble();
            write += timings.path("write_seconds").asDouble();
            total += timings.path("total_seconds").asDouble();
        }
        return String.format(Locale.ROOT, "%.1f s (preparing the data or waiting for it %.1f, fitting the models %.1f, evaluating %.1f, writing %.1f)",
                total, prepare, fit, evaluate, write);
    }

    /** Other work on the machine shows here: the figures are only worth recording from an otherwise idle machine. */
    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double between(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
