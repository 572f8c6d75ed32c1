"""Reads the Glue table shop.sales, prices it with a helper from --py-files and rates from --files,
and writes the totals per region as Parquet under OUTPUT, registered as the Glue table TABLE.

Usage: sales_by_region.py OUTPUT TABLE
"""

import json
import sys

from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from pricing import with_tax  # from --py-files s3://.../pricing.zip

output, table = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.appName("sales by region").enableHiveSupport().getOrCreate()
with open(SparkFiles.get("rates.json")) as rates_file:  # from --files s3://.../rates.json
    rates = json.load(rates_file)

sales = spark.table("shop.sales")
tax = F.create_map(*[F.lit(value) for pair in rates.items() for value in pair])
totals = (sales.withColumn("gross", with_tax(F.col("amount"), tax[F.col("region")]))
          .groupBy("region").agg(F.round(F.sum("gross"), 2).alias("gross"), F.count("*").alias("orders"))
          .orderBy("region"))
totals.write.mode("overwrite").option("path", output).format("parquet").saveAsTable(table)
for row in spark.table(table).orderBy("region").collect():
    print(f"TOTAL {row.region} {row.gross:.2f} {row.orders}")
print("ARGS " + json.dumps(sys.argv[1:]))
spark.stop()
