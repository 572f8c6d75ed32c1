package io.hearth.spark.train;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A spec's rows, split and pipelines as a training job ({@link TrainingRun}) prepares them, for
 * programs that fit the pipelines themselves: bench/sweep's baselines
 * ({@code io.hearth.spark.bench.GridBaseline}) time Spark's own tuning on exactly a sweep's work.
 * Specs that differ only in {@code model} share one preparation.
 */
public final class PreparedTraining {
    private final TrainingSpec spec;
    private final TrainingData data;
    private final Dataset<Row> rows;
    private List<Dataset<Row>> split;

    private PreparedTraining(TrainingSpec spec, TrainingData data, Dataset<Row> rows) {
        this.spec = spec;
        this.data = data;
        this.rows = rows;
    }

    /** Reads and checks the spec's input; the rows are cached, with the label as a class index or a double in {@link #labelColumn()}. */
    public static PreparedTraining load(SparkSession spark, TrainingSpec spec) {
        TrainingData data = TrainingData.load(spark, spec);
        // As TrainingRun: the pipeline computes derived columns itself, so it is fitted on the rows without them.
        Dataset<Row> rows = Preparation.withIndexedLabel(data).drop(spec.derivedColumns().keySet().toArray(String[]::new)).cache();
        return new PreparedTraining(spec, data, rows);
    }

    /** The column the pipelines' models learn from. */
    public static String labelColumn() {
        return TrainingPipeline.LABEL;
    }

    public TrainingSpec.Task task() {
        return data.task();
    }

    public Dataset<Row> rows() {
        return rows;
    }

    /**
     * Train (balanced as the spec says), validation and test rows, split with the spec's fractions and seed as a training job splits them.
     * The split is made once (its rows cached), so fits on these sets do not repeat it.
     */
    public synchronized List<Dataset<Row>> split() {
        if (split == null) {
            split = Preparation.split(rows, spec, data).stream().map(Dataset::cache).toList();
        }
        return split;
    }

    /** The pipeline a training job builds for {@code taskSpec}: this preparation's data with that spec's model. */
    public Pipeline pipeline(TrainingSpec taskSpec) {
        if (ModelType.named(taskSpec.model().type()) == ModelType.MULTILAYER_PERCEPTRON && !taskSpec.model().params().containsKey("layers")) {
            // TrainingRun sizes the input layer from fitted preprocessing; the baselines do not need that model.
            throw new SpecException("model.params.layers", "is required here: prepared pipelines do not size a perceptron's layers");
        }
        return TrainingPipeline.build(taskSpec, data, 0);
    }
}
