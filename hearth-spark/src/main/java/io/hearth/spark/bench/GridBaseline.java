package io.hearth.spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.spark.train.PreparedTraining;
import io.hearth.spark.train.SpecReader;
import io.hearth.spark.train.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * bench/sweep's references for a sweep's tasks, on the pipelines a training job builds for them
 * ({@link PreparedTraining}): the tasks differ only in their model.
 * <ul>
 *   <li>{@code tvs}: Spark's own {@link TrainValidationSplit} over all the tasks at {@code parallelism}.
 *       TVS takes one estimator, so it tunes a {@link Pipeline} whose {@code stages} parameter is the
 *       varied one: each of its parameter maps is a task's whole pipeline, so logistic regression and
 *       trees are tuned in one call. It gets the rows a training job trains and validates on, splits
 *       them itself with the same ratio, scores each candidate on its validation part, refits the best
 *       on all of them, and the best is scored on the job's test rows, as a user of TVS would.</li>
 *   <li>{@code singles}: fits each task's pipeline alone, one after the other, on the training rows
 *       a training job fits on, and prints each fit's time (the ideal sweep's work) and the CPU time
 *       the process used meanwhile (how much of the machine a fit alone keeps busy).</li>
 * </ul>
 * Usage: {@code GridBaseline tvs <tasks.json> <parallelism>} or {@code GridBaseline singles <tasks.json>},
 * where the tasks file is {@code {"tasks": [{"taskId": .., "spec": {..}}, ..]}}. Results are
 * printed as {@code RESULT <name> <value>} lines (names have no spaces: {@code fit.t-001}).
 */
public final class GridBaseline {
    private GridBaseline() {}

    /** A task of the file. */
    record Task(String taskId, TrainingSpec spec) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !(args[0].equals("tvs") && args.length == 3 || args[0].equals("singles") && args.length == 2)) {
            throw new IllegalArgumentException("Usage: GridBaseline tvs <tasks.json> <parallelism> | GridBaseline singles <tasks.json>");
        }
        List<Task> tasks = read(Path.of(args[1]));
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            long started = System.nanoTime();
            PreparedTraining prepared = PreparedTraining.load(spark, tasks.get(0).spec());
            prepared.rows().count();
            result("load_seconds", String.format(Locale.ROOT, "%.3f", seconds(started)));
            if (args[0].equals("tvs")) {
                trainValidationSplit(prepared, tasks, Integer.parseInt(args[2]));
            } else {
                singles(prepared, tasks);
            }
        } finally {
            spark.stop();
        }
    }

    private static void trainValidationSplit(PreparedTraining prepared, List<Task> tasks, int parallelism) {
        TrainingSpec.Split split = tasks.get(0).spec().split();
        if (split.validationFraction() == 0) {
            throw new IllegalArgumentException("TrainValidationSplit needs validation rows: the spec's split.validation is 0");
        }
        // The rows a training job trains and validates on are TVS's to split; the test rows are the job's test rows.
        List<Dataset<Row>> parts = prepared.split();
        Dataset<Row> tuning = parts.get(0).union(parts.get(1));
        Pipeline pipeline = new Pipeline();
        ParamMap[] maps = new ParamMap[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            maps[i] = new ParamMap().put(pipeline.stages(), prepared.pipeline(tasks.get(i).spec()).getStages());
        }
        // TVS checks the estimator's own schema too, so it needs stages of its own.
        pipeline.setStages(maps[0].apply(pipeline.stages()));
        Evaluator evaluator = evaluator(prepared.task());
        TrainValidationSplit validator = new TrainValidationSplit()
                .setEstimator(pipeline)
                .setEstimatorParamMaps(maps)
                .setEvaluator(evaluator)
                .setTrainRatio(split.trainFraction() / (split.trainFraction() + split.validationFraction()))
                .setParallelism(parallelism)
                .setSeed(split.seedValue());
        long started = System.nanoTime();
        TrainValidationSplitModel model = validator.fit(tuning);
        result("tvs_fit_seconds", String.format(Locale.ROOT, "%.3f", seconds(started)));
        double[] metrics = model.validationMetrics();
        int best = 0;
        for (int i = 0; i < metrics.length; i++) {
            result("validation." + tasks.get(i).taskId(), String.format(Locale.ROOT, "%.4f", metrics[i]));
            if (evaluator.isLargerBetter() ? metrics[i] > metrics[best] : metrics[i] < metrics[best]) {
                best = i;
            }
        }
        long scoring = System.nanoTime();
        double test = evaluator.evaluate(model.transform(parts.get(2)));
        result("best", tasks.get(best).taskId() + String.format(Locale.ROOT, " %s validation %.4f test %.4f", metricName(evaluator), metrics[best], test));
        result("test_seconds", String.format(Locale.ROOT, "%.3f", seconds(scoring)));
    }

    private static void singles(PreparedTraining prepared, List<Task> tasks) {
        Dataset<Row> train = prepared.split().get(0);
        train.count();
        double total = 0;
        double cpuTotal = 0;
        for (Task task : tasks) {
            Pipeline pipeline = prepared.pipeline(task.spec());
            long cpuStarted = processCpuNanos();
            long started = System.nanoTime();
            pipeline.fit(train);
            double fit = seconds(started);
            double cpu = (processCpuNanos() - cpuStarted) / 1e9;
            total += fit;
            cpuTotal += cpu;
            result("fit." + task.taskId(), String.format(Locale.ROOT, "%.3f", fit));
            result("cpu." + task.taskId(), String.format(Locale.ROOT, "%.3f", cpu));
        }
        result("fits_total", String.format(Locale.ROOT, "%.3f", total));
        // The CPU the whole process used during the fits (Spark's threads, the JIT compiler, the garbage collector).
        result("fits_cpu_total", String.format(Locale.ROOT, "%.3f", cpuTotal));
        result("cores", Runtime.getRuntime().availableProcessors());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What a training job reports first for the task: AUC-ROC (binary), F1 (multiclass), RMSE (regression). */
    private static Evaluator evaluator(TrainingSpec.Task task) {
        String label = PreparedTraining.labelColumn();
        return switch (task) {
            case BINARY -> new BinaryClassificationEvaluator().setLabelCol(label).setRawPredictionCol("rawPrediction").setMetricName("areaUnderROC");
            case MULTICLASS -> new MulticlassClassificationEvaluator().setLabelCol(label).setMetricName("f1");
            case REGRESSION -> new RegressionEvaluator().setLabelCol(label).setMetricName("rmse");
        };
    }

    private static String metricName(Evaluator evaluator) {
        return evaluator instanceof BinaryClassificationEvaluator ? "auc_roc" : evaluator instanceof MulticlassClassificationEvaluator ? "f1" : "rmse";
    }

    private static List<Task> read(Path file) throws IOException {
        JsonNode root = SpecReader.mapper().readTree(Files.readString(file));
        List<Task> tasks = new ArrayList<>();
        for (JsonNode task : root.path("tasks")) {
            tasks.add(new Task(task.path("taskId").asText(), SpecReader.read(task.path("spec").toString())));
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException(file + " has no tasks");
        }
        return tasks;
    }

    private static void result(String name, Object value) {
        System.out.println("RESULT " + name + " " + value);
    }

    private static double seconds(long from) {
        return (System.nanoTime() - from) / 1e9;
    }
}
