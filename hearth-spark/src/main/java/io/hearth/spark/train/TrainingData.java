package io.hearth.spark.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.hearth.spark.train.TrainingSpec.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * The rows a training job learns from, checked against the spec: the input read, columns dropped
 * and derived, the label's task found (or checked) with its classes, and the features told apart
 * into numeric and categorical. Problems name the spec field and the columns there are.
 *
 * @param rows the input after drops and derived columns, rows without a label removed
 * @param classes the label's values in index order (classification), empty for a regression
 * @param rowsWithoutLabel rows left out because their label is missing
 * @param rowCount how many rows {@code rows} has
 * @param rowHashSum the sum of the rows' 64-bit hashes (all columns), for the data's fingerprint
 */
record TrainingData(Dataset<Row> rows, String label, Task task, List<String> classes, List<String> numeric, List<String> categorical,
        long rowsWithoutLabel, String source, long rowCount, java.math.BigDecimal rowHashSum) {

    /** A label with at most this many distinct integer values is taken for classes when the task is not given. */
    static final int MAX_DETECTED_CLASSES = 20;

    static TrainingData load(SparkSession spark, TrainingSpec spec) {
        return load(spec, input -> read(spark, input));
    }

    /** With {@code reader} giving the input's rows (a cache shared by the tasks of a sweep). */
    static TrainingData load(TrainingSpec spec, java.util.function.Function<TrainingSpec.Input, Dataset<Row>> reader) {
        Dataset<Row> rows = reader.apply(spec.input());
        for (int i = 0; i < spec.dropColumns().size(); i++) {
            String name = spec.dropColumns().get(i);
            requireColumn(rows, name, "dropColumns[" + i + "]");
            rows = rows.drop(name);
        }
        for (Map.Entry<String, String> derived : spec.derivedColumns().entrySet()) {
            rows = derive(rows, derived.getKey(), derived.getValue());
        }
        String label = spec.label().column();
        requireColumn(rows, label, "label.column");
        Dataset<Row> labelled = rows.filter(col(label).isNotNull());
        // One pass for both counts and the hashes of the labelled rows.
        Column[] all = Arrays.stream(rows.columns()).map(name -> col(TrainingPipeline.quote(name))).toArray(Column[]::new);
        Row sums = rows.agg(count(lit(1)), count(col(label)), sum(when(col(label).isNotNull(), xxhash64(all).cast("decimal(38,0)")))).first();
        long total = sums.getLong(0);
        long kept = sums.getLong(1);
        java.math.BigDecimal hashSum = sums.isNullAt(2) ? java.math.BigDecimal.ZERO : sums.getDecimal(2);

        DataType labelType = rows.schema().apply(label).dataType();
        List<String> values = distinctLabels(labelled, label, spec.label().task());
        Task task = spec.label().task() != null ? spec.label().task() : detect(labelType, values);
        checkLabel(task, labelType, values, label, kept);

        List<String> featureNames = featureNames(rows, spec, label);
        Set<String> declaredCategorical = new LinkedHashSet<>(spec.features().categorical() == null ? List.of() : spec.features().categorical());
        for (String name : declaredCategorical) {
            if (!featureNames.contains(name)) {
                throw new SpecException("features.categorical", "'" + name + "' is not one of the features (" + String.join(", ", featureNames) + ")");
            }
        }
        List<String> numeric = new ArrayList<>();
        List<String> categorical = new ArrayList<>();
        for (String name : featureNames) {
            DataType type = rows.schema().apply(name).dataType();
            if (declaredCategorical.contains(name) || type instanceof StringType || type instanceof BooleanType) {
                categorical.add(name);
            } else if (type instanceof NumericType) {
                numeric.add(name);
            } else {
                throw new SpecException(spec.features().columns() == null ? "features" : "features.columns",
                        "column '" + name + "' is of type " + type.simpleString() + "; drop it or derive a number or a string from it");
            }
        }
        List<String> classes = task.isClassification() ? values : List.of();
        return new TrainingData(labelled, label, task, classes, numeric, categorical, total - kept, describe(spec.input()), kept, hashSum);
    }

    static Dataset<Row> read(SparkSession spark, TrainingSpec.Input input) {
        try {
            if (input.table() != null) {
                return spark.table(input.table());
            }
            String format = input.format() == null ? "parquet" : input.format();
            DataFrameReader reader = spark.read().format(format).options(input.options());
            return reader.load(input.path());
        } catch (Exception e) {
            // AnalysisException is checked in Java's eyes but thrown without declaration by Scala.
            if (e instanceof AnalysisException || e instanceof RuntimeException) {
                throw new SpecException(input.table() != null ? "input.table" : "input.path", "cannot be read: " + firstLine(e));
            }
            throw new IllegalStateException(e);
        }
    }

    private static Dataset<Row> derive(Dataset<Row> rows, String name, String expression) {
        if (Arrays.asList(rows.columns()).contains(name)) {
            throw new SpecException("derivedColumns." + name, "the input already has a column '" + name + "'; give the derived column another name");
        }
        try {
            Dataset<Row> derived = rows.withColumn(name, expr(expression));
            derived.schema(); // analysis happens here: unknown columns, type errors
            return derived;
        } catch (Exception e) {
            throw new SpecException("derivedColumns." + name, "cannot be computed from '" + expression + "': " + firstLine(e));
        }
    }

    private static void requireColumn(Dataset<Row> rows, String name, String field) {
        if (!Arrays.asList(rows.columns()).contains(name)) {
            throw new SpecException(field, "no column '" + name + "' in the input; its columns: " + String.join(", ", rows.columns()));
        }
    }

    private static List<String> distinctLabels(Dataset<Row> labelled, String label, Task declared) {
        if (declared == Task.REGRESSION) {
            return List.of();
        }
        // Enough to tell classes from a continuous label without collecting one.
        List<Row> rows = labelled.select(col(label).cast("string")).distinct().limit(10_001).collectAsList();
        List<String> values = new ArrayList<>(rows.size());
        rows.forEach(row -> values.add(row.getString(0)));
        values.sort(LabelOrder.INSTANCE);
        return values;
    }

    private static Task detect(DataType type, List<String> values) {
        if (type instanceof StringType || type instanceof BooleanType) {
            return values.size() <= 2 ? Task.BINARY : Task.MULTICLASS;
        }
        boolean integral = !(type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType)
                || values.stream().allMatch(value -> value.matches("-?\\d+(\\.0+)?"));
        if (values.size() <= 2) {
            return Task.BINARY;
        }
        return integral && values.size() <= MAX_DETECTED_CLASSES ? Task.MULTICLASS : Task.REGRESSION;
    }

    private static void checkLabel(Task task, DataType type, List<String> values, String label, long rows) {
        if (rows == 0) {
            throw new SpecException("label.column", "'" + label + "' has no values: every row's label is missing");
        }
        if (task == Task.REGRESSION) {
            if (!(type instanceof NumericType)) {
                throw new SpecException("label.task", "regression needs a numeric label; '" + label + "' is of type " + type.simpleString());
            }
            return;
        }
        if (values.size() < 2) {
            throw new SpecException("label.column", "'" + label + "' has a single value ('" + values.get(0) + "'); a classifier needs at least two classes");
        }
        if (task == Task.BINARY && values.size() > 2) {
            throw new SpecException("label.task", "binary, but '" + label + "' has " + (values.size() > 10_000 ? "more than 10000" : values.size())
                    + " values (" + String.join(", ", values.subList(0, Math.min(5, values.size()))) + (values.size() > 5 ? ", ..." : "") + ")");
        }
        if (values.size() > 10_000) {
            throw new SpecException("label.task", "multiclass, but '" + label + "' has more than 10000 distinct values; is it a regression?");
        }
    }

    private static List<String> featureNames(Dataset<Row> rows, TrainingSpec spec, String label) {
        List<String> excluded = spec.features().exclude();
        for (int i = 0; i < excluded.size(); i++) {
            requireColumn(rows, excluded.get(i), "features.exclude[" + i + "]");
            if (excluded.get(i).equals(label)) {
                throw new SpecException("features.exclude[" + i + "]", "'" + label + "' is the label; the label is never a feature");
            }
        }
        List<String> columns = spec.features().columns();
        if (columns == null) {
            List<String> all = new ArrayList<>();
            for (StructField field : rows.schema().fields()) {
                if (!field.name().equals(label) && !excluded.contains(field.name())) {
                    all.add(field.name());
                }
            }
            if (all.isEmpty()) {
                throw new SpecException("features", "the input has no column besides the label '" + label + "'"
                        + (excluded.isEmpty() ? "" : " and the excluded ones (" + String.join(", ", excluded) + ")"));
            }
            return all;
        }
        for (int i = 0; i < columns.size(); i++) {
            requireColumn(rows, columns.get(i), "features.columns[" + i + "]");
            if (columns.get(i).equals(label)) {
                throw new SpecException("features.columns[" + i + "]", "'" + label + "' is the label");
            }
        }
        return columns;
    }

    private static String describe(TrainingSpec.Input input) {
        return input.table() != null ? "table " + input.table() : (input.format() == null ? "parquet" : input.format()) + " " + input.path();
    }

    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    /** Numbers in numeric order (0, 1, 2, 10), other values alphabetically, so class indexes are stable. */
    enum LabelOrder implements java.util.Comparator<String> {
        INSTANCE;

        @Override
        public int compare(String a, String b) {
            Double x = number(a);
            Double y = number(b);
            if (x != null && y != null) {
                return Double.compare(x, y);
            }
            if ((x == null) != (y == null)) {
                return x != null ? -1 : 1;
            }
            return a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT)) != 0 ? a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT)) : a.compareTo(b);
        }

        private static Double number(String value) {
            try {
                return Double.valueOf(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
