package io.hearth.spark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;

/**
 * The Spark ML pipeline a spec describes, from raw input columns to a prediction: derived columns
 * (so the saved model computes them itself when it scores new rows), numbers cast to double and
 * imputed, categories indexed and one-hot encoded, all assembled into one vector, scaled, then the
 * model. Each preprocessing stage can be switched off in the spec.
 */
final class TrainingPipeline {
    static final String LABEL = "__label";
    static final String WEIGHT = "__weight";
    static final String FEATURES = "__features";

    private TrainingPipeline() {}

    static Pipeline build(TrainingSpec spec, TrainingData data, int numFeaturesHint) {
        List<PipelineStage> stages = preprocessing(spec, data);
        stages.add(estimator(spec, data, numFeaturesHint));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
    }

    /** The stages before the model, from raw columns to the {@link #FEATURES} vector. */
    static List<PipelineStage> preprocessing(TrainingSpec spec, TrainingData data) {
        List<PipelineStage> stages = new ArrayList<>();
        for (Map.Entry<String, String> derived : spec.derivedColumns().entrySet()) {
            stages.add(new SQLTransformer().setStatement("SELECT *, " + derived.getValue() + " AS " + quote(derived.getKey()) + " FROM __THIS__"));
        }
        List<String> vectorInputs = new ArrayList<>();
        if (!data.numeric().isEmpty()) {
            List<String> casts = new ArrayList<>();
            List<String> doubles = new ArrayList<>();
            for (String name : data.numeric()) {
                String cast = "__num_" + name;
                casts.add("CAST(" + quote(name) + " AS DOUBLE) AS " + quote(cast));
                doubles.add(cast);
            }
            stages.add(new SQLTransformer().setStatement("SELECT *, " + String.join(", ", casts) + " FROM __THIS__"));
            if (spec.preprocessing().imputes()) {
                List<String> imputed = doubles.stream().map(name -> name + "_imputed").toList();
                stages.add(new Imputer().setStrategy(spec.preprocessing().strategy())
                        .setInputCols(doubles.toArray(String[]::new)).setOutputCols(imputed.toArray(String[]::new)));
                vectorInputs.addAll(imputed);
            } else {
                vectorInputs.addAll(doubles);
            }
        }
        if (!data.categorical().isEmpty()) {
            List<String> strings = new ArrayList<>();
            List<String> casts = new ArrayList<>();
            for (String name : data.categorical()) {
                String cast = "__cat_" + name;
                casts.add("CAST(" + quote(name) + " AS STRING) AS " + quote(cast));
                strings.add(cast);
            }
            stages.add(new SQLTransformer().setStatement("SELECT *, " + String.join(", ", casts) + " FROM __THIS__"));
            List<String> indexed = strings.stream().map(name -> name + "_index").toList();
            // Unseen and missing categories get an index of their own instead of failing.
            stages.add(new StringIndexer().setInputCols(strings.toArray(String[]::new)).setOutputCols(indexed.toArray(String[]::new))
                    .setHandleInvalid("keep").setStringOrderType("frequencyDesc"));
            if (spec.preprocessing().encodesOneHot()) {
                List<String> encoded = strings.stream().map(name -> name + "_onehot").toList();
                stages.add(new OneHotEncoder().setInputCols(indexed.toArray(String[]::new)).setOutputCols(encoded.toArray(String[]::new))
                        .setHandleInvalid("keep"));
                vectorInputs.addAll(encoded);
            } else {
                vectorInputs.addAll(indexed);
            }
        }
        String assembled = spec.preprocessing().scales() ? "__assembled" : FEATURES;
        stages.add(new VectorAssembler().setInputCols(vectorInputs.toArray(String[]::new)).setOutputCol(assembled).setHandleInvalid("error"));
        if (spec.preprocessing().scales()) {
            stages.add(new StandardScaler().setInputCol(assembled).setOutputCol(FEATURES).setWithStd(true).setWithMean(false));
        }
        return stages;
    }

    /** The model stage with the spec's parameters, reading the features and label Hearth prepares. */
    static Predictor<?, ?, ?> estimator(TrainingSpec spec, TrainingData data, int numFeatures) {
        ModelType type = ModelType.named(spec.model().type());
        if (!type.does(data.task())) {
            throw new SpecException("model.type", "'" + type.specName() + "' does not do " + data.task().name().toLowerCase(java.util.Locale.ROOT)
                    + " tasks, and the label '" + data.label() + "' makes this one (it does " + String.join(", ", type.tasks()).toLowerCase(java.util.Locale.ROOT) + ")");
        }
        Predictor<?, ?, ?> estimator = type.newEstimator();
        Map<String, com.fasterxml.jackson.databind.JsonNode> params = new java.util.LinkedHashMap<>(spec.model().params());
        com.fasterxml.jackson.databind.JsonNode hidden = params.remove("hiddenLayers");
        if (hidden != null && type != ModelType.MULTILAYER_PERCEPTRON) {
            throw new SpecException("model.params.hiddenLayers", "applies to multilayer_perceptron only");
        }
        ParamMap map = EstimatorParams.toParamMap(estimator, params, type.specName());
        estimator = (Predictor<?, ?, ?>) estimator.copy(map);
        if (type.isLightGbm()) {
            LightGbm.applyDefaults(estimator, data.task(), params.keySet(), data.label());
        }
        if (estimator instanceof MultilayerPerceptronClassifier perceptron && !params.containsKey("layers")) {
            perceptron.setLayers(layers(hidden, numFeatures, data.classes().size()));
        }
        estimator.set(estimator.featuresCol(), FEATURES);
        estimator.set(estimator.labelCol(), LABEL);
        if (spec.balance() == TrainingSpec.Balance.WEIGHTS) {
            if (!estimator.hasParam("weightCol")) {
                throw new SpecException("balance", "'weights' is not supported by " + type.specName() + "; use undersample or oversample");
            }
            estimator.set(estimator.getParam("weightCol"), WEIGHT);
        }
        return estimator;
    }

    /** Input size, the hidden layers (default: one of half the inputs, at least 2), classes. */
    private static int[] layers(com.fasterxml.jackson.databind.JsonNode hidden, int numFeatures, int classes) {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(numFeatures);
        if (hidden == null) {
            sizes.add(Math.max(2, numFeatures / 2));
        } else {
            if (!hidden.isArray()) {
                throw new SpecException("model.params.hiddenLayers", "must be a list of layer sizes, such as [16, 8]");
            }
            for (int i = 0; i < hidden.size(); i++) {
                if (!hidden.get(i).isIntegralNumber() || hidden.get(i).intValue() < 1) {
                    throw new SpecException("model.params.hiddenLayers[" + i + "]", "must be a positive integer, not " + hidden.get(i));
                }
                sizes.add(hidden.get(i).intValue());
            }
        }
        sizes.add(classes);
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    static String quote(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
