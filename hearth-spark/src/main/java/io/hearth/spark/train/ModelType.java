package io.hearth.spark.train;

import io.hearth.spark.train.TrainingSpec.Task;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.regression.DecisionTreeRegressor;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;

/** The algorithms a spec's {@code model.type} may name, with the tasks each can do. */
public enum ModelType {
    LOGISTIC_REGRESSION(EnumSet.of(Task.BINARY, Task.MULTICLASS), LogisticRegression::new),
    LINEAR_SVC(EnumSet.of(Task.BINARY), LinearSVC::new),
    NAIVE_BAYES(EnumSet.of(Task.BINARY, Task.MULTICLASS), NaiveBayes::new),
    DECISION_TREE(EnumSet.of(Task.BINARY, Task.MULTICLASS), DecisionTreeClassifier::new),
    RANDOM_FOREST(EnumSet.of(Task.BINARY, Task.MULTICLASS), RandomForestClassifier::new),
    GBT(EnumSet.of(Task.BINARY), GBTClassifier::new),
    MULTILAYER_PERCEPTRON(EnumSet.of(Task.BINARY, Task.MULTICLASS), MultilayerPerceptronClassifier::new),
    LINEAR_REGRESSION(EnumSet.of(Task.REGRESSION), LinearRegression::new),
    DECISION_TREE_REGRESSOR(EnumSet.of(Task.REGRESSION), DecisionTreeRegressor::new),
    RANDOM_FOREST_REGRESSOR(EnumSet.of(Task.REGRESSION), RandomForestRegressor::new),
    GBT_REGRESSOR(EnumSet.of(Task.REGRESSION), GBTRegressor::new),
    LIGHTGBM(EnumSet.of(Task.BINARY, Task.MULTICLASS), LightGbm.CLASSIFIER),
    LIGHTGBM_REGRESSOR(EnumSet.of(Task.REGRESSION), LightGbm.REGRESSOR);

    private final Set<Task> tasks;
    private final Supplier<Predictor<?, ?, ?>> factory;
    /** The class of a model outside Spark ML, loaded by name because its jars are optional; else null. */
    private final String externalClass;

    ModelType(Set<Task> tasks, Supplier<Predictor<?, ?, ?>> factory) {
        this.tasks = tasks;
        this.factory = factory;
        this.externalClass = null;
    }

    ModelType(Set<Task> tasks, String externalClass) {
        this.tasks = tasks;
        this.factory = null;
        this.externalClass = externalClass;
    }

    /** The name specs use: {@code logistic_regression}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ModelType::specName).toList();
    }

    public static ModelType named(String name) {
        return Arrays.stream(values()).filter(type -> type.specName().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new SpecException("model.type", "unknown model '" + name + "'; known models: " + String.join(", ", names())));
    }

    /** Task names (BINARY, ...) this algorithm can do. */
    public Set<String> tasks() {
        return tasks.stream().map(Task::name).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    public boolean does(Task task) {
        return tasks.contains(task);
    }

    public boolean isLightGbm() {
        return this == LIGHTGBM || this == LIGHTGBM_REGRESSOR;
    }

    /** Fails, naming {@code model.type}, when the model's jars are not on the class path. */
    public void requireAvailable() {
        if (externalClass != null) {
            LightGbm.load(externalClass, specName());
        }
    }

    /** A new estimator with its library's default parameters. */
    public Predictor<?, ?, ?> newEstimator() {
        return externalClass == null ? factory.get() : LightGbm.newEstimator(externalClass, specName());
    }
}
