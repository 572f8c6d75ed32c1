package io.hearth.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec checks that need no data: each mistake names its field. */
class TestSpecReader {
    private static final String VALID = """
            {"name": "bc", "input": {"path": "/data/bc", "format": "csv", "options": {"header": "true"}},
             "label": {"column": "target"}, "model": {"type": "logistic_regression", "params": {"regParam": 0.01}}}
            """;

    private static void assertRejected(String json, String message) {
        assertThatThrownBy(() -> SpecReader.read(json)).isInstanceOf(SpecException.class).hasMessage(message);
    }

    @Test
    void aValidSpecGetsItsDefaults() {
        TrainingSpec spec = SpecReader.read(VALID);

        assertThat(spec.input().options()).containsEntry("header", "true");
        assertThat(spec.model().params().get("regParam").doubleValue()).isEqualTo(0.01);
        assertThat(spec.balance()).isEqualTo(TrainingSpec.Balance.NONE);
        assertThat(spec.split().trainFraction()).isEqualTo(0.7);
        assertThat(spec.split().seedValue()).isEqualTo(42);
        assertThat(spec.preprocessing().imputes()).isTrue();
        assertThat(spec.preprocessing().strategy()).isEqualTo("mean");
        assertThat(SpecReader.read(VALID.replace("\"label\": {\"column\": \"target\"}", "\"label\": {\"column\": \"target\", \"task\": \"Binary\"}"))
                .label().task()).as("choices in any case").isEqualTo(TrainingSpec.Task.BINARY);
    }

    @Test
    void mistakesNameTheirField() {
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"lable\": {},"),
                "lable: unknown field; the fields here are balance, derivedColumns, dropColumns, features, input, label, model, name, output, preprocessing, split");
        assertRejected(VALID.replace("\"type\": \"logistic_regression\"", "\"type\": \"logistic_regression\", \"parameters\": {}"),
                "model.parameters: unknown field; the fields here are params, type");
        assertRejected(VALID.replace("\"format\": \"csv\"", "\"format\": \"xlsx\""), "input.format: must be one of csv, json, orc, parquet, not 'xlsx'");
        assertRejected(VALID.replace("\"input\": {\"path\": \"/data/bc\",", "\"input\": {\"table\": \"db.t\", \"path\": \"/data/bc\","),
                "input: give either 'table' or 'path', not both");
        assertRejected(VALID.replace("\"label\": {\"column\": \"target\"}", "\"label\": {\"column\": \"target\", \"task\": \"ranking\"}"),
                "label.task: must be one of binary, multiclass, regression, not 'ranking'");
        assertRejected(VALID.replace("\"label\": {\"column\": \"target\"},", ""), "label: is required: {\"column\": \"<label column>\"}");
        assertRejected(VALID.replace("logistic_regression", "xgboost"), "model.type: unknown model 'xgboost'; known models: " + String.join(", ", ModelType.names()));
        assertRejected(VALID.replace("\"label\": {\"column\": \"target\"}", "\"label\": {\"column\": \"target\", \"task\": \"regression\"}"),
                "model.type: 'logistic_regression' does not do regression tasks (it does binary, multiclass)");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"train\": 0.8, \"validation\": 0.15, \"test\": 0.1},"),
                "split: train + validation + test must be 1, not 0.8 + 0.15 + 0.1 = 1.05");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"train\": 0.9},"),
                "split: train + validation + test must be 1, not 0.9 + 0.15 + 0.15 = 1.2");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"validation\": 0.3, \"test\": 0.7},"),
                "split.train: must be a fraction above 0 and below 1, not 0.0");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"strata\": \"target\"},"),
                "split.strata: unknown field; the fields here are seed, stratify, test, train, validation");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"seed\": \"forty-two\"},"), "split.seed: must be an integer");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"preprocessing\": {\"imputeStrategy\": \"zero\"},"),
                "preprocessing.imputeStrategy: must be one of mean, median, mode, not 'zero'");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"dropColumns\": \"id\","), "dropColumns: must be a list");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"features\": {\"columns\": [\"a\", \"a\"]},"),
                "features.columns: names 'a' twice");
        assertRejected("{\"input\": ", "spec: not valid JSON (line 1, column 11): Unexpected end-of-input within/between Object entries");
    }

    @Test
    void excludedColumnsAndPredictionPlaceholders() {
        TrainingSpec spec = SpecReader.read(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"features\": {\"exclude\": [\"id\"]},"
                + " \"output\": {\"predictions\": {\"path\": \"s3://p/{label}/{model_id}/\"}},"));
        assertThat(spec.features().exclude()).containsExactly("id");
        assertThat(SpecReader.read(VALID).features().exclude()).as("nothing excluded by default").isEmpty();
        assertThat(TrainingSpec.Predictions.resolve(spec.output().predictions().path(), "is_3", "sw-1-t-004", false)).isEqualTo("s3://p/is_3/sw-1-t-004/");
        assertThat(TrainingSpec.Predictions.resolve("ml.preds_{label}_{model_id}", "is 3", "sw-1-t-004", true)).isEqualTo("ml.preds_is_3_sw_1_t_004");

        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"features\": {\"exclude\": [\"id\", \"id\"]},"),
                "features.exclude: names 'id' twice");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"features\": {\"exclude\": \"id\"},"), "features.exclude: must be a list");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"features\": {\"columns\": [\"a\", \"id\"], \"exclude\": [\"id\"]},"),
                "features.exclude: 'id' is also in features.columns; a column is a feature or excluded, not both");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"features\": {\"categorical\": [\"id\"], \"exclude\": [\"id\"]},"),
                "features.exclude: 'id' is also in features.categorical; an excluded column is no feature");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"output\": {\"predictions\": {\"path\": \"s3://p/{task}/\"}},"),
                "output.predictions.path: unknown placeholder '{task}' in 's3://p/{task}/'; the placeholders are {label}, {model_id}");
    }

    @Test
    void yamlSpecsReadTheSame() {
        TrainingSpec yaml = SpecReader.read("""
                name: bc
                input: {path: /data/bc, format: csv, options: {header: "true"}}
                label:
                  column: target
                model:
                  type: logistic_regression
                  params: {regParam: 0.01}
                """, "s3://specs/bc.yaml");

        assertThat(yaml).isEqualTo(SpecReader.read(VALID));
        assertThatThrownBy(() -> SpecReader.read("label: {column: y, colour: red}", "spec.yml"))
                .hasMessage("label.colour: unknown field; the fields here are column, task");
    }

    @Test
    void aFractionLeftOutIsWhatTheOtherTwoLeave() {
        TrainingSpec.Split noValidation = SpecReader.read(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"train\": 0.8, \"test\": 0.2},")).split();
        assertThat(List.of(noValidation.trainFraction(), noValidation.validationFraction(), noValidation.testFraction())).containsExactly(0.8, 0.0, 0.2);
        TrainingSpec.Split noTest = SpecReader.read(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"train\": 0.6, \"validation\": 0.1},")).split();
        assertThat(noTest.testFraction()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        TrainingSpec.Split defaults = SpecReader.read(VALID).split();
        assertThat(List.of(defaults.trainFraction(), defaults.validationFraction(), defaults.testFraction())).containsExactly(0.7, 0.15, 0.15);
        assertThat(defaults.stratify()).as("decided by the task: on for classification").isNull();
    }

    @Test
    void stratificationAppliesToClassificationOnly() {
        String regression = VALID.replace("\"label\": {\"column\": \"target\"}", "\"label\": {\"column\": \"target\", \"task\": \"regression\"}")
                .replace("logistic_regression", "linear_regression");
        assertThat(SpecReader.read(regression.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"stratify\": false},")).split().stratify()).isFalse();
        assertRejected(regression.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"stratify\": true},"),
                "split.stratify: applies to classification; a regression label has no classes to keep the mix of (its rows are split by the seeded order alone)");
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"split\": {\"stratify\": \"yes\"},"), "split.stratify: must be true or false");
    }

    @Test
    void balancingAppliesToClassificationOnly() {
        assertRejected(VALID.replace("\"name\": \"bc\",", "\"name\": \"bc\", \"balance\": \"weights\",")
                        .replace("\"label\": {\"column\": \"target\"}", "\"label\": {\"column\": \"target\", \"task\": \"regression\"}")
                        .replace("logistic_regression", "linear_regression"),
                "balance: applies to classification; a regression takes none");
    }
}
