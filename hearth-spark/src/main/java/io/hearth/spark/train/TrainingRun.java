package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.hearth.spark.train.TrainingSpec.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One training job: reads and checks the data, splits it, fits the spec's pipeline, evaluates it on
 * the validation and test rows, and writes the model, {@code metrics.json} and
 * {@code model-card.json} under {@code <output>/<model-id>/} (plus predictions when asked).
 */
public final class TrainingRun {
    private TrainingRun() {}

    /** What a run produced; {@code card} is the model card as written. */
    public record Result(String modelId, String directory, Map<String, Object> card) {}

    public static Result run(SparkSession spark, TrainingSpec spec, String modelId, String outputRoot) {
        return run(spark, spec, modelId, outputRoot, input -> TrainingData.read(spark, input));
    }

    /** With {@code reader} giving the input's rows, so tasks of one application can share a cached input. */
    public static Result run(SparkSession spark, TrainingSpec spec, String modelId, String outputRoot,
            java.util.function.Function<TrainingSpec.Input, Dataset<Row>> reader) {
        long started = System.nanoTime();
        TrainingData data = TrainingData.load(spec, reader);
        Dataset<Row> rows = withIndexedLabel(data);
        checkMissingValues(rows, data, spec);
        Map<String, Object> fingerprint = fingerprint(data.rows());
        // The pipeline computes derived columns itself (so the saved model does too); it is fitted on the rows without them.
        rows = rows.drop(spec.derivedColumns().keySet().toArray(String[]::new)).cache();
        long loaded = System.nanoTime();

        TrainingSpec.Split split = spec.split();
        long seed = split.seedValue();
        Dataset<Row> train;
        Dataset<Row> validation = null;
        Dataset<Row> test;
        if (split.validationFraction() == 0) {
            Dataset<Row>[] parts = rows.randomSplit(new double[] {split.trainFraction(), split.testFraction()}, seed);
            train = parts[0];
            test = parts[1];
        } else {
            Dataset<Row>[] parts = rows.randomSplit(new double[] {split.trainFraction(), split.validationFraction(), split.testFraction()}, seed);
            train = parts[0];
            validation = parts[1];
            test = parts[2];
        }
        Dataset<Row> balanced = Balancing.apply(train, spec.balance(), seed);
        long trainRows = balanced.count();
        if (trainRows == 0) {
            throw new SpecException("split.train", "leaves no training rows out of " + rows.count());
        }

        Pipeline pipeline = TrainingPipeline.build(spec, data, numFeatures(spec, data, balanced));
        long fitStarted = System.nanoTime();
        PipelineModel model = pipeline.fit(balanced);
        long fitted = System.nanoTime();

        Map<String, Object> metrics = new LinkedHashMap<>();
        if (validation != null) {
            // Cached: every metric is a pass over the predictions, which would otherwise run the whole pipeline again.
            Dataset<Row> validationPredictions = model.transform(validation).cache();
            metrics.put("validation", Evaluation.of(validationPredictions, data.task(), data.classes()));
            validationPredictions.unpersist();
        }
        Dataset<Row> testPredictions = model.transform(test).cache();
        metrics.put("test", Evaluation.of(testPredictions, data.task(), data.classes()));
        long evaluated = System.nanoTime();

        String directory = outputRoot.endsWith("/") ? outputRoot + modelId : outputRoot + "/" + modelId;
        try {
            model.write().overwrite().save(directory + "/model");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model to " + directory + "/model", e);
        }
        Map<String, String> predictionsAt = writePredictions(spec, data, modelId, testPredictions);

        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("load_seconds", seconds(started, loaded));
        timings.put("fit_seconds", seconds(fitStarted, fitted));
        timings.put("evaluate_seconds", seconds(fitted, evaluated));
        timings.put("total_seconds", seconds(started, System.nanoTime()));

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
        dataInfo.putAll(fingerprint);
        dataInfo.put("rows_without_label", data.rowsWithoutLabel());
        dataInfo.put("train_rows", trainRows);
        dataInfo.put("validation_rows", validation == null ? 0L : ((Number) ((Map<?, ?>) metrics.get("validation")).get("rows")).longValue());
        dataInfo.put("test_rows", ((Number) ((Map<?, ?>) metrics.get("test")).get("rows")).longValue());
        card.put("data", dataInfo);
        card.put("metrics", metrics);
        FeatureRanking.of(model, testPredictions.schema(), spec, data).ifPresent(ranking -> card.put("feature_ranking", ranking));
        card.put("timings", timings);
        card.put("spark_version", spark.version());
        card.put("application_id", spark.sparkContext().applicationId());
        card.put("model_path", directory + "/model");
        if (predictionsAt != null) {
            card.put("predictions", predictionsAt);
        }
        card.put("spec", SpecReader.mapper().valueToTree(spec));
        writeJson(spark, directory + "/metrics.json", metrics);
        writeJson(spark, directory + "/model-card.json", card);
        testPredictions.unpersist();
        rows.unpersist();
        return new Result(modelId, directory, card);
    }

    /** Classes become 0, 1, ... in the order of {@code data.classes()}; a regression label becomes a double. */
    static Dataset<Row> withIndexedLabel(TrainingData data) {
        Column label = col(data.label());
        if (data.task() == Task.REGRESSION) {
            return data.rows().withColumn(TrainingPipeline.LABEL, label.cast("double"));
        }
        Column index = lit(null).cast("double");
        List<String> classes = data.classes();
        for (int i = classes.size() - 1; i >= 0; i--) {
            index = when(label.cast("string").equalTo(classes.get(i)), (double) i).otherwise(index);
        }
        return data.rows().withColumn(TrainingPipeline.LABEL, index);
    }

    /** Without imputation, a missing number would fail deep inside the fit; say which column has them. */
    private static void checkMissingValues(Dataset<Row> rows, TrainingData data, TrainingSpec spec) {
        if (spec.preprocessing().imputes() || data.numeric().isEmpty()) {
            return;
        }
        List<Column> counts = new ArrayList<>();
        for (String name : data.numeric()) {
            counts.add(sum(when(col(name).isNull().or(col(name).isNaN()), 1).otherwise(0)).as(name));
        }
        Row missing = rows.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
        for (int i = 0; i < data.numeric().size(); i++) {
            long count = missing.isNullAt(i) ? 0 : missing.getLong(i);
            if (count > 0) {
                throw new SpecException("preprocessing.impute", "is false, but feature '" + data.numeric().get(i) + "' has " + count
                        + " missing values; turn imputation on or drop the column");
            }
        }
    }

    /** The input's schema, row count and a hash of every row: the same data gives the same fingerprint. */
    private static Map<String, Object> fingerprint(Dataset<Row> rows) {
        Row summary = rows.agg(org.apache.spark.sql.functions.count(lit(1)), sum(xxhash64(col("*")).cast("decimal(38,0)"))).first();
        String text = rows.schema().json() + "|" + summary.get(0) + "|" + summary.get(1);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            Map<String, Object> fingerprint = new LinkedHashMap<>();
            fingerprint.put("rows", summary.getLong(0));
            fingerprint.put("columns", rows.columns().length);
            fingerprint.put("fingerprint", "sha256:" + HexFormat.of().formatHex(digest));
            return fingerprint;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The multilayer perceptron's input layer is the size of the feature vector, known once preprocessing is fitted. */
    private static int numFeatures(TrainingSpec spec, TrainingData data, Dataset<Row> train) {
        if (ModelType.named(spec.model().type()) != ModelType.MULTILAYER_PERCEPTRON || spec.model().params().containsKey("layers")) {
            return 0;
        }
        Pipeline full = TrainingPipeline.build(spec, data, 1);
        PipelineStage[] stages = full.getStages();
        Pipeline preprocessing = new Pipeline().setStages(java.util.Arrays.copyOf(stages, stages.length - 1));
        Row first = preprocessing.fit(train).transform(train).select(TrainingPipeline.FEATURES).first();
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
