package io.hearth.spark.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A training job as a Spark application: {@code TrainModel <spec> [--model-id ID] [--output DIR]}.
 * The spec is a JSON (or, ending in .yaml / .yml, YAML) file at a local path or an {@code s3://} location. The model goes to
 * {@code <DIR>/<ID>/}: DIR from {@code --output}, else the spec's {@code output.path}, else the
 * model registry Hearth configures ({@code spark.hearth.models.dir}).
 */
public final class TrainModel {
    /** The model registry's folder, set by Hearth on every cluster. */
    public static final String MODELS_DIR_CONF = "spark.hearth.models.dir";

    private TrainModel() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length % 2 != 1) {
            throw new IllegalArgumentException("Usage: TrainModel <spec.json> [--model-id ID] [--output DIR]");
        }
        String specLocation = args[0];
        String modelId = null;
        String output = null;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--model-id" -> modelId = args[i + 1];
                case "--output" -> output = args[i + 1];
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; usage: TrainModel <spec.json> [--model-id ID] [--output DIR]");
            }
        }
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            TrainingSpec spec = SpecReader.read(readSpec(spark, specLocation), specLocation);
            String root = output != null ? output : spec.output().path() != null ? spec.output().path() : spark.conf().get(MODELS_DIR_CONF, null);
            if (root == null) {
                throw new SpecException("output.path", "is required: no model registry is configured (" + MODELS_DIR_CONF + ") and no --output was given");
            }
            String id = modelId != null ? modelId : newModelId();
            TrainingRun.Result result = TrainingRun.run(spark, spec, id, root);
            System.out.println("Model " + result.modelId() + " (" + result.card().get("model_type") + ", " + result.card().get("task") + ") written to " + result.directory());
            printMetrics(result.card());
        } finally {
            spark.stop();
        }
    }

    /** {@code m-20261121-142530-3f9a}: sortable by time, unique enough for one registry. */
    static String newModelId() {
        return "m-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private static String readSpec(SparkSession spark, String location) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (java.io.FileNotFoundException e) {
            throw new SpecException("spec", "no spec at " + location);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the spec " + location, e);
        }
    }

    private static void printMetrics(Map<String, Object> card) {
        Map<?, ?> metrics = (Map<?, ?>) card.get("metrics");
        metrics.forEach((set, values) -> ((Map<?, ?>) values).forEach((name, value) -> {
            if (value instanceof Number number) {
                System.out.printf(Locale.ROOT, "%s %s %s%n", set, name, number instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : number);
            }
        }));
    }
}
