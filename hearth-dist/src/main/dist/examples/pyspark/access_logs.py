"""Access-log analysis in PySpark: daily and monthly active users, unique users per page, and user
segments (K-means on per-user features, reduced with PCA for plotting), written as Glue tables.

Usage: spark-submit access_logs.py LOG_LOCATION DATABASE [WAREHOUSE_LOCATION]

LOG_LOCATION holds combined-log lines (generate_access_log.py writes them); the tables are
DATABASE.daily_active_users, monthly_active_users, page_unique_users and user_segments.
"""

import sys

from pyspark.ml import Pipeline
from pyspark.ml.clustering import KMeans
from pyspark.ml.feature import PCA, StandardScaler, VectorAssembler
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

LINE = r'^(\S+) - (\S+) \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+)$'

logs, database = sys.argv[1], sys.argv[2]
location = sys.argv[3].rstrip("/") if len(sys.argv) > 3 else None
spark = SparkSession.builder.appName("access logs").getOrCreate()
spark.sql(f"CREATE DATABASE IF NOT EXISTS {database}")

raw = spark.read.text(logs)
requests = raw.select(
    F.regexp_extract("value", LINE, 2).alias("user"),
    F.to_timestamp(F.regexp_extract("value", LINE, 3), "dd/MMM/yyyy:HH:mm:ss Z").alias("time"),
    F.regexp_extract("value", LINE, 5).alias("page"),
    F.regexp_extract("value", LINE, 6).cast("int").alias("status"),
    F.regexp_extract("value", LINE, 7).cast("long").alias("bytes"),
).filter(F.col("user") != "").withColumn("day", F.to_date("time")).cache()
print("REQUESTS %d unparsed=%d" % (requests.count(), raw.count() - requests.count()))


def save(frame, name):
    writer = frame.write.mode("overwrite").format("parquet")
    if location:
        writer = writer.option("path", f"{location}/{name}")
    writer.saveAsTable(f"{database}.{name}")


save(requests.groupBy("day").agg(F.countDistinct("user").alias("active_users")).orderBy("day"), "daily_active_users")
save(requests.groupBy(F.date_format("day", "yyyy-MM").alias("month")).agg(F.countDistinct("user").alias("active_users")).orderBy("month"),
     "monthly_active_users")
save(requests.groupBy("page").agg(F.countDistinct("user").alias("unique_users"), F.count("*").alias("requests")).orderBy(F.desc("unique_users")),
     "page_unique_users")

features = requests.groupBy("user").agg(
    F.count("*").alias("requests"),
    F.countDistinct("day").alias("active_days"),
    F.countDistinct("page").alias("pages"),
    F.avg("bytes").alias("average_bytes"),
    F.avg(F.col("page").startswith("/blog").cast("double")).alias("blog_share"),
    F.avg(F.col("page").isin("/cart", "/checkout").cast("double")).alias("shop_share"),
)
columns = ["requests", "active_days", "pages", "average_bytes", "blog_share", "shop_share"]
model = Pipeline(stages=[
    VectorAssembler(inputCols=columns, outputCol="raw_features"),
    StandardScaler(inputCol="raw_features", outputCol="features", withMean=True, withStd=True),
    KMeans(k=3, seed=1, featuresCol="features", predictionCol="segment"),
    PCA(k=2, inputCol="features", outputCol="pca"),
]).fit(features)
segments = model.transform(features)
vector = F.udf(lambda v, i: float(v[i]), "double")
save(segments.select("user", *columns, "segment", vector("pca", F.lit(0)).alias("pc1"), vector("pca", F.lit(1)).alias("pc2")), "user_segments")

for row in spark.table(f"{database}.monthly_active_users").orderBy("month").collect():
    print(f"MAU {row.month} {row.active_users}")
print("DAYS %d" % spark.table(f"{database}.daily_active_users").count())
print("TOP_PAGE %s" % spark.table(f"{database}.page_unique_users").orderBy(F.desc("unique_users"), "page").first().page)
print("SEGMENTS " + " ".join(str(r["count"]) for r in spark.table(f"{database}.user_segments").groupBy("segment").count().orderBy("segment").collect()))
print("PCA explained variance %.3f" % sum(model.stages[-1].explainedVariance))
spark.stop()
