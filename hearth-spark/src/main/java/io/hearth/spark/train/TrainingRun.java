package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One training job: prepares the data ({@link Preparation}: read, checked, split, preprocessed),
 * fits the spec's model, evaluates the pipeline on the validation and test rows, and writes the model, {@code metrics.json} and
 * {@code model-card.json} under {@code <output>/<model-id>/} (plus predictions when asked).
 */
public final class TrainingRun {
    private TrainingRun() {}

    /** What a run produced; {@code card} is the model card as written. */
    public record Result(String modelId, String directory, Map<String, Object> card) {}

    public static Result run(SparkSession spark, TrainingSpec spec, String modelId, String outputRoot) {
        long started = System.nanoTime();
        Preparation preparation = Preparation.prepare(spec, input -> TrainingData.read(spark, input));
        try {
            return run(spark, spec, modelId, outputRoot, preparation, started);
        } finally {
            preparation.release();
        }
    }

    /**
     * Fits the spec's model on a preparation (shared by the tasks of a sweep whose specs differ only
     * in their model), evaluates and writes it; {@code started} is when the task began, so the wait
     * for the preparation counts in its timings.
     */
    static Result run(SparkSession spark, TrainingSpec spec, String modelId, String outputRoot, Preparation preparation, long started) {
        long prepared = System.nanoTime();
        TrainingData data = preparation.data();
        Predictor<?, ?, ?> estimator = TrainingPipeline.estimator(spec, data, numFeatures(spec, preparation));
        long fitStarted = System.nanoTime();
        Transformer fitted = estimator.fit(preparation.train());
        Transformer[] stages = Arrays.copyOf(preparation.preprocessing().stages(), preparation.preprocessing().stages().length + 1);
        stages[stages.length - 1] = fitted;
        PipelineModel model = new PipelineModel(Identifiable.randomUID("pipeline"), stages);
        long fitEnded = System.nanoTime();

        // The sets are preprocessed already: only the model's own stage scores them.
        Map<String, Dataset<Row>> sets = new LinkedHashMap<>();
        if (spec.split().validationFraction() != 0) {
            sets.put("validation", fitted.transform(preparation.validation()));
        }
        Dataset<Row> testPredictions = fitted.transform(preparation.test());
        sets.put("test", testPredictions);
        Map<String, Object> metrics = new LinkedHashMap<>(Evaluation.of(sets, data.task(), data.classes(), data.rowCount()));
        long evaluated = System.nanoTime();

        String directory = outputRoot.endsWith("/") ? outputRoot + modelId : outputRoot + "/" + modelId;
        PipelineWriting.write(spark, model, directory + "/model", preparation);
        Map<String, String> predictionsAt = writePredictions(spec, data, modelId, testPredictions);

        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model_id", modelId);
        card.put("name", spec.name());
        card.put("created_at", Instant.now().toString());
        card.put("model_type", ModelType.named(spec.model().type()).specName());
        card.put("task", data.task().name().toLowerCase(Locale.ROOT));
        card.put("label", data.label());
        card.put("classes", data.classes());
        card.put("features", Map.of("numeric", data.numeric(), "categorical", data.categorical()));
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("source", data.source());
        dataInfo.putAll(preparation.fingerprint());
        dataInfo.put("rows_without_label", data.rowsWithoutLabel());
        dataInfo.put("train_rows", preparation.trainRows());
        dataInfo.put("validation_rows", metrics.containsKey("validation") ? ((Number) ((Map<?, ?>) metrics.get("validation")).get("rows")).longValue() : 0L);
        dataInfo.put("test_rows", ((Number) ((Map<?, ?>) metrics.get("test")).get("rows")).longValue());
        card.put("data", dataInfo);
        card.put("metrics", metrics);
        FeatureRanking.of(model, preparation.transformedSchema(), spec, data).ifPresent(ranking -> card.put("feature_ranking", ranking));
        card.put("spark_version", spark.version());
        card.put("application_id", spark.sparkContext().applicationId());
        card.put("model_path", directory + "/model");
        if (predictionsAt != null) {
            card.put("predictions", predictionsAt);
        }
        card.put("spec", SpecReader.mapper().valueToTree(spec));
        writeJson(spark, directory + "/metrics.json", metrics);
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("prepare_seconds", seconds(started, prepared));
        timings.put("preparation_seconds", Math.round(preparation.seconds() * 1000) / 1000.0);
        timings.put("fit_seconds", seconds(fitStarted, fitEnded));
        timings.put("evaluate_seconds", seconds(fitEnded, evaluated));
        timings.put("write_seconds", seconds(evaluated, System.nanoTime()));
        timings.put("total_seconds", seconds(started, System.nanoTime()));
        card.put("timings", timings);
        writeJson(spark, directory + "/model-card.json", card);
        return new Result(modelId, directory, card);
    }

    /** The multilayer perceptron's input layer is the size of the feature vector, known once preprocessing is fitted. */
    private static int numFeatures(TrainingSpec spec, Preparation preparation) {
        if (ModelType.named(spec.model().type()) != ModelType.MULTILAYER_PERCEPTRON || spec.model().params().containsKey("layers")) {
            return 0;
        }
        Row first = preparation.train().select(TrainingPipeline.FEATURES).first();
        return ((Vector) first.get(0)).size();
    }

    /** Writes the test rows with their predictions where the spec asks (placeholders replaced); returns where ({@code path} or {@code table}), or null. */
    private static Map<String, String> writePredictions(TrainingSpec spec, TrainingData data, String modelId, Dataset<Row> predictions) {
        TrainingSpec.Predictions target = spec.output().predictions();
        if (target == null) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        for (String name : data.rows().columns()) {
            columns.add(col(name));
        }
        columns.add(col("prediction"));
        if (data.task().isClassification()) {
            Column predicted = lit(null).cast("string");
            for (int i = data.classes().size() - 1; i >= 0; i--) {
                predicted = when(col("prediction").equalTo((double) i), data.classes().get(i)).otherwise(predicted);
            }
            columns.add(predicted.as("predicted_label"));
            if (java.util.Arrays.asList(predictions.columns()).contains("probability")) {
                columns.add(functions.vector_to_array(col("probability"), "float64").as("probability"));
            }
        }
        Dataset<Row> out = predictions.select(columns.toArray(Column[]::new));
        if (target.table() != null) {
            String table = TrainingSpec.Predictions.resolve(target.table(), data.label(), modelId, true);
            out.write().mode("overwrite").format("parquet").saveAsTable(table);
            return Map.of("table", table);
        }
        String path = TrainingSpec.Predictions.resolve(target.path(), data.label(), modelId, false);
        out.write().mode("overwrite").parquet(path);
        return Map.of("path", path);
    }

    private static void writeJson(SparkSession spark, String location, Object value) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(path, true)) {
                SpecReader.mapper().writerWithDefaultPrettyPrinter().writeValue(out, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + location, e);
        }
    }

    private static double seconds(long from, long to) {
        return Math.round((to - from) / 1e6) / 1000.0;
    }
}
