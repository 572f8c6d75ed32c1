package io.hearth.spark.train;

import io.hearth.spark.train.TrainingSpec.Task;
import java.util.Set;
import org.apache.spark.ml.Predictor;

/**
 * SynapseML's LightGBM estimators. They are loaded by name: their jars (synapseml-lightgbm,
 * synapseml-core, lightgbmlib) are separate from Spark's, and the other models must work without them.
 */
final class LightGbm {
    static final String CLASSIFIER = "com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassifier";
    static final String REGRESSOR = "com.microsoft.azure.synapse.ml.lightgbm.LightGBMRegressor";

    private LightGbm() {}

    /** A new estimator with SynapseML's defaults; fails naming {@code model.type} when the jars are missing. */
    static Predictor<?, ?, ?> newEstimator(String className, String modelName) {
        try {
            return (Predictor<?, ?, ?>) load(className, modelName).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + className + " for '" + modelName + "'", e);
        }
    }

    static Class<?> load(String className, String modelName) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            // The context loader sees jars added with spark-submit --jars as well as the runtime's jars/.
            return Class.forName(className, true, loader != null ? loader : LightGbm.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw missingJars(modelName, "not on this Spark's class path");
        } catch (LinkageError e) {
            throw missingJars(modelName, "incomplete on this Spark's class path (" + e + ")");
        }
    }

    private static SpecException missingJars(String modelName, String problem) {
        return new SpecException("model.type", "'" + modelName + "' needs SynapseML's LightGBM jars (synapseml-lightgbm_2.12 and synapseml-core_2.12 1.1.0,"
                + " lightgbmlib 3.3.510, spray-json_2.12 1.3.5), which are " + problem + "; Hearth's Spark runtime has them in jars/");
    }

    /**
     * Hearth's choices where SynapseML's defaults do not fit the task: its classifier's objective is
     * {@code binary} even when the label has more classes.
     */
    static void applyDefaults(Predictor<?, ?, ?> estimator, Task task, Set<String> specParams, String label) {
        if (task != Task.MULTICLASS) {
            return;
        }
        if (!specParams.contains("objective")) {
            estimator.set(estimator.getParam("objective"), "multiclass");
        } else if ("binary".equals(estimator.getOrDefault(estimator.getParam("objective")))) {
            throw new SpecException("model.params.objective", "'binary' needs two classes, and the label '" + label
                    + "' has more; use multiclass or multiclassova");
        }
    }
}
