"""One training run of the controller example: a logistic regression on the Iris data with the
hyperparameters given, its test accuracy and F1 written as a JSON record to METRICS_LOCATION.

Usage: spark-submit train_iris.py CSV_LOCATION METRICS_LOCATION --reg-param R --elastic-net-param E
                    [--max-iter N] [--run NAME] [--simulate-failure]

CSV_LOCATION is iris.csv (sepal_length, sepal_width, petal_length, petal_width, species) with a
header; METRICS_LOCATION a folder (s3:// or local) that gets one JSON file. --simulate-failure
raises before training, as a lost executor or a full disk would, so that step_controller.py has
a failure to re-submit.
"""

import argparse
import json

from pyspark.ml import Pipeline
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.feature import StringIndexer, VectorAssembler
from pyspark.sql import SparkSession

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

parser = argparse.ArgumentParser(description="Train one logistic regression on Iris and write its metrics.")
parser.add_argument("data_location")
parser.add_argument("metrics_location")
parser.add_argument("--reg-param", type=float, required=True)
parser.add_argument("--elastic-net-param", type=float, required=True)
parser.add_argument("--max-iter", type=int, default=100)
parser.add_argument("--run", default="iris")
parser.add_argument("--simulate-failure", action="store_true")
args = parser.parse_args()

spark = SparkSession.builder.appName("train " + args.run).getOrCreate()
if args.simulate_failure:
    raise RuntimeError("simulated transient failure in run " + args.run)

data = spark.read.option("header", True).option("inferSchema", True).csv(args.data_location)
train, test = data.randomSplit([0.7, 0.3], seed=42)
pipeline = Pipeline(
    stages=[
        StringIndexer(inputCol="species", outputCol="label"),
        VectorAssembler(inputCols=FEATURES, outputCol="features"),
        LogisticRegression(maxIter=args.max_iter, regParam=args.reg_param, elasticNetParam=args.elastic_net_param),
    ]
)
predictions = pipeline.fit(train).transform(test).cache()
metrics = {
    "run": args.run,
    "regParam": args.reg_param,
    "elasticNetParam": args.elastic_net_param,
    "accuracy": MulticlassClassificationEvaluator(metricName="accuracy").evaluate(predictions),
    "f1": MulticlassClassificationEvaluator(metricName="f1").evaluate(predictions),
    "testRows": predictions.count(),
}
print("METRICS " + json.dumps(metrics))
spark.createDataFrame([(json.dumps(metrics),)], ["value"]).coalesce(1).write.mode("overwrite").text(
    args.metrics_location
)
spark.stop()
