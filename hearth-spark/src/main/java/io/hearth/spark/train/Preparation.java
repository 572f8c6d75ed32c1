package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Everything a training job does before it fits its model: the rows read and checked, their
 * fingerprint, the train / validation / test split (the training rows balanced), and the
 * preprocessing stages fitted on the training rows, with the three sets transformed by them and
 * cached. Specs that differ only in their model (and name and output) have the same preparation
 * ({@link #keyOf}), so the tasks of a sweep in one application share it ({@link Preparations})
 * and each fits only its model: the result is the model a job of its own would have fitted.
 */
final class Preparation {
    private final TrainingData data;
    private final Map<String, Object> fingerprint;
    private final PipelineModel preprocessing;
    private final StructType transformedSchema;
    private final Dataset<Row> train;
    private final Dataset<Row> validation;
    private final Dataset<Row> test;
    private final long trainRows;
    private final double seconds;
    private final java.util.concurrent.atomic.AtomicReference<String> writtenPipeline = new java.util.concurrent.atomic.AtomicReference<>();

    private Preparation(TrainingData data, Map<String, Object> fingerprint, PipelineModel preprocessing, StructType transformedSchema,
            Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, long trainRows, double seconds) {
        this.data = data;
        this.fingerprint = fingerprint;
        this.preprocessing = preprocessing;
        this.transformedSchema = transformedSchema;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.trainRows = trainRows;
        this.seconds = seconds;
    }

    /** What decides a preparation: the spec without its model, name and output. */
    static TrainingSpec keyOf(TrainingSpec spec) {
        return new TrainingSpec(null, spec.input(), spec.dropColumns(), spec.derivedColumns(), spec.label(), spec.features(),
                spec.preprocessing(), spec.balance(), null, spec.split(), null);
    }

    /** Reads the input through {@code reader} and prepares it; the caller {@link #release()}s it when no task needs it any more. */
    static Preparation prepare(TrainingSpec spec, Function<TrainingSpec.Input, Dataset<Row>> reader) {
        long started = System.nanoTime();
        TrainingData data = TrainingData.load(spec, reader);
        Dataset<Row> rows = withIndexedLabel(data);
        checkMissingValues(rows, data, spec);
        Map<String, Object> fingerprint = fingerprint(data);
        // The pipeline computes derived columns itself (so the saved model does too); it is fitted on the rows without them.
        rows = rows.drop(spec.derivedColumns().keySet().toArray(String[]::new));
        Dataset<Row> assigned = DataSplit.assign(rows, spec.split(), data).cache();
        try {
            List<Dataset<Row>> parts = sets(assigned, spec);
            Dataset<Row> rawTrain = parts.get(0).cache();
            try {
                long trainRows = rawTrain.count();
                if (trainRows == 0) {
                    throw new SpecException("split.train", "leaves no training rows out of " + data.rowCount());
                }
                List<PipelineStage> stages = TrainingPipeline.preprocessing(spec, data);
                PipelineModel preprocessing = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rawTrain);
                Dataset<Row> transformedTrain = preprocessing.transform(rawTrain);
                StructType transformedSchema = transformedTrain.schema();
                // A model needs only its features, label and weight; the other sets keep their columns for the predictions written.
                List<Column> modelColumns = new ArrayList<>(List.of(col(TrainingPipeline.FEATURES), col(TrainingPipeline.LABEL)));
                if (Arrays.asList(transformedSchema.fieldNames()).contains(TrainingPipeline.WEIGHT)) {
                    modelColumns.add(col(TrainingPipeline.WEIGHT));
                }
                Dataset<Row> train = transformedTrain.select(modelColumns.toArray(Column[]::new)).cache();
                Dataset<Row> validation = transformedSet(preprocessing, parts.get(1), data);
                Dataset<Row> test = transformedSet(preprocessing, parts.get(2), data);
                train.count();
                validation.count();
                test.count();
                return new Preparation(data, fingerprint, preprocessing, transformedSchema, train, validation, test, trainRows,
                        (System.nanoTime() - started) / 1e9);
            } finally {
                rawTrain.unpersist();
            }
        } finally {
            assigned.unpersist();
        }
    }

    /** The rows' columns plus the features and the label index, cached. */
    private static Dataset<Row> transformedSet(PipelineModel preprocessing, Dataset<Row> rows, TrainingData data) {
        List<Column> columns = new ArrayList<>();
        for (String name : data.rows().columns()) {
            columns.add(col(name));
        }
        columns.add(col(TrainingPipeline.FEATURES));
        columns.add(col(TrainingPipeline.LABEL));
        return preprocessing.transform(rows).select(columns.toArray(Column[]::new)).cache();
    }

    /**
     * Train (balanced as the spec says), validation (empty when its fraction is 0) and test rows,
     * split exactly with the spec's fractions and seed, keeping the class mix when stratified ({@link DataSplit}).
     */
    static List<Dataset<Row>> split(Dataset<Row> rows, TrainingSpec spec, TrainingData data) {
        return sets(DataSplit.assign(rows, spec.split(), data), spec);
    }

    /** The three sets of rows {@link DataSplit#assign assigned} to them, the training rows balanced. */
    private static List<Dataset<Row>> sets(Dataset<Row> assigned, TrainingSpec spec) {
        Dataset<Row> train = Balancing.apply(DataSplit.set(assigned, DataSplit.TRAIN), spec.balance(), spec.split().seedValue());
        return List.of(train, DataSplit.set(assigned, DataSplit.VALIDATION), DataSplit.set(assigned, DataSplit.TEST));
    }

    /** Classes become 0, 1, ... in the order of {@code data.classes()}; a regression label becomes a double. */
    static Dataset<Row> withIndexedLabel(TrainingData data) {
        Column label = col(data.label());
        if (data.task() == TrainingSpec.Task.REGRESSION) {
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

    /** The input's schema, row count and the sum of the rows' hashes: the same data gives the same fingerprint. */
    private static Map<String, Object> fingerprint(TrainingData data) {
        String text = data.rows().schema().json() + "|" + data.rowCount() + "|" + data.rowHashSum().toPlainString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            Map<String, Object> fingerprint = new LinkedHashMap<>();
            fingerprint.put("rows", data.rowCount());
            fingerprint.put("columns", data.rows().columns().length);
            fingerprint.put("fingerprint", "sha256:" + HexFormat.of().formatHex(digest));
            return fingerprint;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    TrainingData data() {
        return data;
    }

    Map<String, Object> fingerprint() {
        return fingerprint;
    }

    /** The fitted preprocessing stages, which come before the model in the saved pipeline. */
    PipelineModel preprocessing() {
        return preprocessing;
    }

    /** The schema of preprocessed rows, with the intermediate columns (one-hot sizes for feature rankings). */
    StructType transformedSchema() {
        return transformedSchema;
    }

    /** Features, label (and weight) of the training rows. */
    Dataset<Row> train() {
        return train;
    }

    Dataset<Row> validation() {
        return validation;
    }

    Dataset<Row> test() {
        return test;
    }

    long trainRows() {
        return trainRows;
    }


    /** How long preparing took. */
    double seconds() {
        return seconds;
    }

    /** Where a pipeline on this preparation was written whole by Spark (its preprocessing stages can be copied from there), or null. */
    String writtenPipeline() {
        return writtenPipeline.get();
    }

    void pipelineWritten(String directory) {
        writtenPipeline.compareAndSet(null, directory);
    }

    void release() {
        train.unpersist();
        validation.unpersist();
        test.unpersist();
    }
}
