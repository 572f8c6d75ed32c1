"""Bank marketing in PySpark MLlib: will a client subscribe a term deposit? Imputes missing ages and
balances, indexes and one-hot encodes the categories, scales, fits a logistic regression, reports
the test AUC and writes the test predictions as a Glue table.

Usage: spark-submit bank_marketing.py CSV_LOCATION PREDICTIONS_TABLE [MODEL_LOCATION]

The CSV has UCI's bank-marketing columns (age, job, marital, education, default, balance,
housing, loan, contact, day, month, duration, campaign, pdays, previous, poutcome, y) and a header.
"""

import sys

from pyspark.ml import Pipeline
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.ml.feature import Imputer, OneHotEncoder, StandardScaler, StringIndexer, VectorAssembler
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

data_location, table = sys.argv[1], sys.argv[2]
model_location = sys.argv[3] if len(sys.argv) > 3 else None
spark = SparkSession.builder.appName("bank marketing").getOrCreate()

data = spark.read.option("header", True).option("inferSchema", True).csv(data_location)
data = data.withColumn("label", (F.col("y") == "yes").cast("double"))
train, test = data.randomSplit([0.8, 0.2], seed=42)

categories = ["job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"]
numbers = ["age", "balance", "day", "duration", "campaign", "pdays", "previous"]
imputed = ["age_filled", "balance_filled"]
pipeline = Pipeline(stages=[
    Imputer(inputCols=["age", "balance"], outputCols=imputed, strategy="median"),
    StringIndexer(inputCols=categories, outputCols=[c + "_index" for c in categories], handleInvalid="keep"),
    OneHotEncoder(inputCols=[c + "_index" for c in categories], outputCols=[c + "_vector" for c in categories]),
    VectorAssembler(inputCols=imputed + [n for n in numbers if n not in ("age", "balance")] + [c + "_vector" for c in categories],
                    outputCol="raw_features"),
    StandardScaler(inputCol="raw_features", outputCol="features"),
    LogisticRegression(featuresCol="features", labelCol="label", maxIter=50, regParam=0.01),
])
model = pipeline.fit(train)
predictions = model.transform(test)
auc = BinaryClassificationEvaluator(labelCol="label", metricName="areaUnderROC").evaluate(predictions)
print("AUC %.4f on %d test rows" % (auc, predictions.count()))

positive = F.udf(lambda probability: float(probability[1]), "double")
(predictions.select("age", "job", "balance", "duration", "y", F.col("prediction").alias("predicted"), positive("probability").alias("probability"))
    .write.mode("overwrite").format("parquet").saveAsTable(table))
if model_location:
    model.write().overwrite().save(model_location)
    print("MODEL " + model_location)
spark.stop()
