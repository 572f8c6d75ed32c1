"""A scalar pandas_udf, mapInPandas and applyInPandas, on the cluster's executors, with Arrow on as
EMR has it. Prints one RESULT line per check and the hearthdemo version the executors import.
"""

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql.functions import pandas_udf

spark = SparkSession.builder.appName("pandas udfs").getOrCreate()
print("ARROW " + spark.conf.get("spark.sql.execution.arrow.pyspark.enabled"))
df = spark.createDataFrame([(i, "even" if i % 2 == 0 else "odd", float(i)) for i in range(100)], "id long, parity string, x double").repartition(4)


@pandas_udf("double")
def squared(x: pd.Series) -> pd.Series:
    return x * x


def keep_big(batches):
    for batch in batches:
        yield batch[batch.x >= 90]


def centred(group: pd.DataFrame) -> pd.DataFrame:
    return group.assign(x=group.x - group.x.mean())


print("RESULT scalar %d" % df.select(squared("x").alias("y")).agg({"y": "sum"}).first()[0])
print("RESULT map %d" % df.mapInPandas(keep_big, df.schema).count())
centred_rows = df.groupBy("parity").applyInPandas(centred, df.schema).groupBy("parity").agg({"x": "max"}).orderBy("parity").collect()
print("RESULT apply " + " ".join("%s=%.1f" % (row[0], row[1]) for row in centred_rows))


def versions(_):
    import hearthdemo

    yield pd.DataFrame({"version": [hearthdemo.__version__]})


seen = sorted({row.version for row in df.mapInPandas(versions, "version string").collect()})
import hearthdemo  # noqa: E402

print("VERSIONS driver=%s executors=%s" % (hearthdemo.__version__, ",".join(seen)))
spark.stop()
