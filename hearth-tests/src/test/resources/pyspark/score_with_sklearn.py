"""Scores a catalog table with a scikit-learn model pickled on S3, as a pandas UDF, and writes the
predictions as a new Glue table.

Usage: score_with_sklearn.py MODEL_LOCATION SOURCE_TABLE TARGET_TABLE
"""

import pickle
import sys

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql.functions import pandas_udf

model_location, source, target = sys.argv[1:4]
spark = SparkSession.builder.appName("score with scikit-learn").enableHiveSupport().getOrCreate()
model = pickle.loads(spark.sparkContext.binaryFiles(model_location).first()[1])
broadcast = spark.sparkContext.broadcast(model)
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


@pandas_udf("string")
def predict(sepal_length: pd.Series, sepal_width: pd.Series, petal_length: pd.Series, petal_width: pd.Series) -> pd.Series:
    frame = pd.concat([sepal_length, sepal_width, petal_length, petal_width], axis=1, keys=features)
    return pd.Series(broadcast.value.predict(frame))


scored = spark.table(source).withColumn("predicted", predict(*features))
scored.write.mode("overwrite").format("parquet").saveAsTable(target)
written = spark.table(target)
correct = written.filter("predicted = species").count()
print("SCORED %d CORRECT %d" % (written.count(), correct))
spark.stop()
