package io.hearth.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training job does, as written in its JSON spec (docs/training.md describes every field).
 * Fields left out take the defaults below; {@link SpecReader} checks the values.
 *
 * @param name a name for people, kept in the model card
 * @param input where the rows come from
 * @param dropColumns columns removed before anything else
 * @param derivedColumns new columns as Spark SQL expressions, added in order (later ones may use earlier ones)
 * @param label the column to predict and the kind of task
 * @param features which columns are features, and which of them are categorical
 * @param preprocessing the feature stages, each switchable
 * @param balance how unequal classes are evened out: none, undersample, oversample or weights
 * @param model the algorithm and its hyperparameters
 * @param split the train / validation / test fractions, the seed, and whether to keep the class mix
 * @param output where the model, its metrics and its card go, and optional predictions
 */
public record TrainingSpec(
        String name,
        Input input,
        List<String> dropColumns,
        LinkedHashMap<String, String> derivedColumns,
        Label label,
        Features features,
        Preprocessing preprocessing,
        Balance balance,
        Model model,
        Split split,
        Output output) {

    public TrainingSpec {
        dropColumns = dropColumns == null ? List.of() : List.copyOf(dropColumns);
        derivedColumns = derivedColumns == null ? new LinkedHashMap<>() : derivedColumns;
        features = features == null ? new Features(null, null, null) : features;
        preprocessing = preprocessing == null ? new Preprocessing(null, null, null, null) : preprocessing;
        balance = balance == null ? Balance.NONE : balance;
        split = split == null ? new Split(null, null, null, null, null) : split;
        output = output == null ? new Output(null, null) : output;
    }

    /** A catalog table ({@code table}) or files ({@code path}, {@code format}, reader {@code options}). */
    public record Input(String table, String path, String format, Map<String, String> options) {
        public Input {
            options = options == null ? Map.of() : Map.copyOf(options);
        }
    }

    /** {@code task} is binary, multiclass or regression; left out, it is detected from the column. */
    public record Label(String column, Task task) {}

    public enum Task {
        BINARY, MULTICLASS, REGRESSION;

        public boolean isClassification() {
            return this != REGRESSION;
        }
    }

    /**
     * {@code columns}: the features (default: every column but the label and the excluded ones);
     * {@code categorical}: which are categorical (default: by type); {@code exclude}: columns kept in
     * the rows (and written with the predictions, such as a row id) but never used as features.
     */
    public record Features(List<String> columns, List<String> categorical, List<String> exclude) {
        public Features {
            columns = columns == null ? null : List.copyOf(columns);
            categorical = categorical == null ? null : List.copyOf(categorical);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
        }
    }

    /** Each stage on unless switched off; {@code imputeStrategy} is mean, median or mode. */
    public record Preprocessing(Boolean impute, String imputeStrategy, Boolean oneHotEncode, Boolean scale) {
        public boolean imputes() {
            return impute == null || impute;
        }

        public String strategy() {
            return imputeStrategy == null ? "mean" : imputeStrategy;
        }

        public boolean encodesOneHot() {
            return oneHotEncode == null || oneHotEncode;
        }

        public boolean scales() {
            return scale == null || scale;
        }
    }

    public enum Balance {
        NONE, UNDERSAMPLE, OVERSAMPLE, WEIGHTS
    }

    /** {@code type} names the algorithm ({@link ModelType}); {@code params} are its Spark ML parameters by name. */
    public record Model(String type, Map<String, JsonNode> params) {
        public Model {
            params = params == null ? Map.of() : Map.copyOf(params);
        }
    }

    /**
     * Fractions default to 0.7 / 0.15 / 0.15, except that one left out when the other two are given
     * is what they leave ({@code {"train": 0.8, "test": 0.2}} has no validation rows); the seed
     * defaults to 42. {@code stratify} (default: on for classification) keeps the class mix in
     * every set ({@link DataSplit}).
     */
    public record Split(Double train, Double validation, Double test, Long seed, Boolean stratify) {
        public double trainFraction() {
            return train != null ? train : validation != null && test != null ? rest(validation, test) : 0.7;
        }

        public double validationFraction() {
            return validation != null ? validation : train != null && test != null ? rest(train, test) : 0.15;
        }

        public double testFraction() {
            return test != null ? test : train != null && validation != null ? rest(train, validation) : 0.15;
        }

        private static double rest(double a, double b) {
            double rest = 1.0 - a - b;
            // 1 - 0.8 - 0.2 is not quite 0 in doubles.
            return Math.abs(rest) < 1e-9 ? 0.0 : rest;
        }

        public long seedValue() {
            return seed == null ? 42L : seed;
        }
    }

    /** {@code path}: the folder under which the model's own folder is made; {@code predictions}: optional. */
    public record Output(String path, Predictions predictions) {}

    /**
     * The test rows with their predictions, as Parquet at {@code path} or as the catalog table
     * {@code table}. Both may hold the placeholders {@link #PLACEHOLDERS}, replaced by the run's
     * label column and model id, so the tasks of a sweep sharing one spec write apart.
     */
    public record Predictions(String path, String table) {
        public static final List<String> PLACEHOLDERS = List.of("{label}", "{model_id}");

        /** {@code location} with its placeholders replaced; in a table name, characters other than letters, digits and {@code _} become {@code _}. */
        static String resolve(String location, String label, String modelId, boolean table) {
            return location.replace("{label}", table ? identifierPart(label) : label).replace("{model_id}", table ? identifierPart(modelId) : modelId);
        }

        private static String identifierPart(String value) {
            return value.replaceAll("[^A-Za-z0-9_]", "_");
        }
    }
}
