package io.hearth.spark.train;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.StructType;

/**
 * The input columns ranked by a fitted tree model's feature importances, best first: the importance
 * of a column is the sum over its slots in the feature vector (one for a number, one per category
 * for a one-hot encoded column). Sweeps use it to pick the top N features.
 */
final class FeatureRanking {
    private FeatureRanking() {}

    /** The ranking as {@code [{"column": .., "importance": ..}]}, or empty when the model has no feature importances. */
    static Optional<List<Map<String, Object>>> of(PipelineModel model, StructType transformedSchema, TrainingSpec spec, TrainingData data) {
        Transformer last = model.stages()[model.stages().length - 1];
        Vector importances;
        try {
            Method method = last.getClass().getMethod("featureImportances");
            importances = (Vector) method.invoke(last);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return Optional.empty();
        }
        Map<String, Double> byColumn = new LinkedHashMap<>();
        int slot = 0;
        for (String column : data.numeric()) {
            byColumn.put(column, importances.apply(slot++));
        }
        for (String column : data.categorical()) {
            int width = 1;
            if (spec.preprocessing().encodesOneHot()) {
                width = AttributeGroup.fromStructField(transformedSchema.apply("__cat_" + column + "_onehot")).size();
            }
            double sum = 0;
            for (int i = 0; i < width && slot < importances.size(); i++) {
                sum += importances.apply(slot++);
            }
            byColumn.put(column, sum);
        }
        if (slot != importances.size()) {
            // The layout is not the one this class knows: better no ranking than a wrong one.
            return Optional.empty();
        }
        List<Map<String, Object>> ranking = new ArrayList<>();
        byColumn.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(entry -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("column", entry.getKey());
            line.put("importance", entry.getValue());
            ranking.add(line);
        });
        return Optional.of(ranking);
    }
}
