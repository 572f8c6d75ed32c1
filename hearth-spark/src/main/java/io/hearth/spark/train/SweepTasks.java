package io.hearth.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;

/**
 * The tasks of a sweep in one Spark application ("shared" isolation): every input is read and
 * cached once, tasks whose specs differ only in their model share one {@link Preparation} (split,
 * checks and fitted preprocessing), and the tasks run on a pool of {@code maxParallel} threads, each in a FAIR scheduler
 * pool and a job group of its own so they share the executors and can be cancelled one by one.
 *
 * <p>Usage: {@code SweepTasks <tasks.json> <status-dir>}. The tasks file holds {@code maxParallel},
 * {@code onFailure} ({@code continue} or {@code stop}), {@code outputRoot} and {@code tasks}, each with
 * {@code taskId}, {@code modelId} and its training {@code spec}. Each task's state goes to
 * {@code <status-dir>/<taskId>.json} as it changes (RUNNING, SUCCEEDED, FAILED, CANCELLED), with the
 * failure's stack trace in {@code <taskId>.log}. A file {@code <taskId>.cancel} (or {@code cancel}
 * for all) in the status folder cancels a task that has not ended.
 */
public final class SweepTasks {
    private final SparkSession spark;
    private final Path statusDirectory;
    private final InputCache inputs;
    private Preparations preparations;
    private final Map<String, AtomicBoolean> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    SweepTasks(SparkSession spark, Path statusDirectory) {
        this.spark = spark;
        this.statusDirectory = statusDirectory;
        this.inputs = new InputCache(spark);
    }

    /** One task of the file. */
    record Task(String taskId, String modelId, JsonNode spec) {}

    /** The tasks file. */
    record Tasks(int maxParallel, String onFailure, String outputRoot, List<Task> tasks) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: SweepTasks <tasks.json> <status-dir>");
        }
        Tasks tasks = SpecReader.mapper().readValue(Files.readString(Path.of(args[0])), Tasks.class);
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            if (!"FAIR".equalsIgnoreCase(spark.conf().get("spark.scheduler.mode", "FIFO"))) {
                System.err.println("spark.scheduler.mode is not FAIR: tasks will queue for executors instead of sharing them");
            }
            Map<String, String> states = new SweepTasks(spark, Path.of(args[1])).run(tasks);
            System.out.println("Sweep tasks: " + states);
        } finally {
            spark.stop();
        }
    }

    /** Runs the tasks; returns each task's final state. */
    Map<String, String> run(Tasks tasks) throws InterruptedException {
        try {
            Files.createDirectories(statusDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, TrainingSpec> specs = readSpecs(tasks);
        preparations = new Preparations(inputs::read, List.copyOf(specs.values()));
        int parallel = Math.max(1, tasks.maxParallel());
        boolean stopOnFailure = "stop".equalsIgnoreCase(tasks.onFailure());
        ExecutorService pool = Executors.newFixedThreadPool(parallel, runnable -> {
            Thread thread = new Thread(runnable, "sweep-task");
            thread.setDaemon(true);
            return thread;
        });
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(this::cancelRequested, 500, 500, TimeUnit.MILLISECONDS);
        Map<String, String> states = new LinkedHashMap<>();
        List<Future<String>> results = new ArrayList<>();
        for (Task task : tasks.tasks()) {
            results.add(pool.submit(() -> runOne(task, specs.get(task.taskId()), tasks.outputRoot(), stopOnFailure)));
        }
        for (int i = 0; i < results.size(); i++) {
            try {
                states.put(tasks.tasks().get(i).taskId(), results.get(i).get());
            } catch (java.util.concurrent.ExecutionException e) {
                states.put(tasks.tasks().get(i).taskId(), "FAILED");
            }
        }
        pool.shutdown();
        watcher.shutdownNow();
        return states;
    }

    /** How many distinct inputs were read (and cached) so far. */
    int cachedInputs() {
        return inputs.size();
    }

    /** How many preparations the tasks made, and how many are still held. */
    Preparations preparations() {
        return preparations;
    }

    /** The tasks' specs that can be read; a task whose spec cannot be read fails when it runs, with the reason. */
    private static Map<String, TrainingSpec> readSpecs(Tasks tasks) {
        Map<String, TrainingSpec> specs = new LinkedHashMap<>();
        for (Task task : tasks.tasks()) {
            try {
                specs.put(task.taskId(), SpecReader.read(task.spec().toString()));
            } catch (RuntimeException e) {
                // Read again when the task runs, to fail it with this reason.
            }
        }
        return specs;
    }

    private String runOne(Task task, TrainingSpec readSpec, String outputRoot, boolean stopOnFailure) {
        try {
            return runTask(task, outputRoot, stopOnFailure);
        } finally {
            if (readSpec != null) {
                preparations.release(readSpec);
            }
        }
    }

    private String runTask(Task task, String outputRoot, boolean stopOnFailure) {
        if (stopped.get() || cancelFileExists(task.taskId())) {
            writeStatus(task, "CANCELLED", null, null, stopped.get() ? "The sweep stopped after a failed task" : "Cancelled", null);
            return "CANCELLED";
        }
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        AtomicBoolean cancelled = new AtomicBoolean();
        running.put(task.taskId(), cancelled);
        writeStatus(task, "RUNNING", started, null, null, null);
        spark.sparkContext().setLocalProperty("spark.scheduler.pool", task.taskId());
        spark.sparkContext().setJobGroup(task.taskId(), "sweep task " + task.taskId(), true);
        try {
            TrainingSpec spec = SpecReader.read(task.spec().toString());
            Preparation preparation = preparations.acquire(spec);
            TrainingRun.Result result = TrainingRun.run(spark, spec, task.modelId(), outputRoot, preparation, startedNanos);
            writeStatus(task, "SUCCEEDED", started, Instant.now(), null, result);
            return "SUCCEEDED";
        } catch (RuntimeException e) {
            if (cancelled.get()) {
                writeStatus(task, "CANCELLED", started, Instant.now(), "Cancelled", null);
                return "CANCELLED";
            }
            writeLog(task, e);
            writeStatus(task, "FAILED", started, Instant.now(), TrainingData.firstLine(e), null);
            if (stopOnFailure && stopped.compareAndSet(false, true)) {
                running.forEach((taskId, flag) -> cancel(taskId));
            }
            return "FAILED";
        } finally {
            running.remove(task.taskId());
            spark.sparkContext().clearJobGroup();
            spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
        }
    }

    private void cancelRequested() {
        running.keySet().stream().filter(this::cancelFileExists).forEach(this::cancel);
    }

    private void cancel(String taskId) {
        AtomicBoolean flag = running.get(taskId);
        if (flag != null && flag.compareAndSet(false, true)) {
            spark.sparkContext().cancelJobGroup(taskId);
        }
    }

    private boolean cancelFileExists(String taskId) {
        return Files.exists(statusDirectory.resolve(taskId + ".cancel")) || Files.exists(statusDirectory.resolve("cancel"));
    }

    private void writeStatus(Task task, String state, Instant started, Instant ended, String reason, TrainingRun.Result result) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("taskId", task.taskId());
        status.put("state", state);
        status.put("modelId", task.modelId());
        status.put("applicationId", spark.sparkContext().applicationId());
        status.put("startedAt", started == null ? null : started.toString());
        status.put("endedAt", ended == null ? null : ended.toString());
        status.put("durationSeconds", started == null || ended == null ? null : (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0);
        status.put("reason", reason);
        if (result != null) {
            status.put("modelDirectory", result.directory());
            status.put("metrics", result.card().get("metrics"));
        }
        Path target = statusDirectory.resolve(task.taskId() + ".json");
        Path partial = statusDirectory.resolve(task.taskId() + ".json.partial");
        try {
            Files.writeString(partial, SpecReader.mapper().writeValueAsString(status), StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the status of task " + task.taskId(), e);
        }
    }

    private void writeLog(Task task, Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        try {
            Files.writeString(statusDirectory.resolve(task.taskId() + ".log"), text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("Cannot write the log of task " + task.taskId() + ": " + e.getMessage());
        }
    }
}
