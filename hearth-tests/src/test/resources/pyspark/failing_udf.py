"""Fails in a Python UDF on the executors: the step's FailureDetails must name the ZeroDivisionError."""

from pyspark.sql import SparkSession
from pyspark.sql.functions import udf

spark = SparkSession.builder.appName("failing udf").getOrCreate()


@udf("double")
def inverse(x):
    return 1 / x


spark.range(4).select(inverse("id")).collect()
