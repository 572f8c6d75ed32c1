"""Runs with a packed Python environment shipped with --archives (EMR's recipe): prints the
hearthdemo version the driver and the executors import, and whether they run the packed Python.
"""

import sys

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("packed environment").getOrCreate()


def where(_):
    import hearthdemo

    yield "%s:%s" % (sys.prefix.endswith("/environment"), hearthdemo.__version__)


seen = sorted(set(spark.sparkContext.parallelize(range(4), 4).mapPartitions(where).collect()))
import hearthdemo  # noqa: E402

print("PACKED driver=%s:%s executors=%s" % (sys.prefix.endswith("/environment"), hearthdemo.__version__, ",".join(seen)))
spark.stop()
