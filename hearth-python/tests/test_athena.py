"""Hearth's Athena API through the clients data scientists use, unchanged: boto3 (with its paginator) and PyAthena,
plain cursor and pandas cursor, over a Glue CSV table, on the session's real Hearth (``running``)."""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Iterator, List, Tuple

import boto3
import pytest
from hearth_process import HearthProcess
from pyathena import connect
from pyathena.pandas.cursor import PandasCursor

pytestmark = pytest.mark.integration

RESULTS = "s3://athena-results/py/"
ROWS = [("setosa", 5.1, 3.5), ("setosa", 4.9, 3.0), ("virginica", 6.3, 3.3), ("versicolor", 5.7, 2.8)]


@pytest.fixture(scope="module")
def lake(running: Tuple[HearthProcess, str]) -> Iterator[str]:
    """Points boto3 at Hearth as ``eval "$(bin/hearth env)"`` would, and makes a Glue CSV table ``pylake.flowers``."""
    hearth, _ = running
    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": hearth.endpoint,
            "AWS_ACCESS_KEY_ID": "hearth",
            "AWS_SECRET_ACCESS_KEY": "hearth",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        }
    )
    try:
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="athena-lake")
        s3.create_bucket(Bucket="athena-results")
        body = "".join(f"{species},{length},{width}\n" for species, length, width in ROWS)
        s3.put_object(Bucket="athena-lake", Key="flowers/part-0.csv", Body=body.encode())
        glue = boto3.client("glue")
        glue.create_database(DatabaseInput={"Name": "pylake"})
        glue.create_table(
            DatabaseName="pylake",
            TableInput={
                "Name": "flowers",
                "TableType": "EXTERNAL_TABLE",
                "StorageDescriptor": {
                    "Columns": [
                        {"Name": "species", "Type": "string"},
                        {"Name": "sepal_length", "Type": "double"},
                        {"Name": "sepal_width", "Type": "double"},
                    ],
                    "Location": "s3://athena-lake/flowers/",
                    "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    "SerdeInfo": {
                        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                        "Parameters": {"field.delim": ","},
                    },
                },
            },
        )
        yield "pylake"
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(athena: Any, sql: str, database: str) -> Dict[str, Any]:
    query_id = athena.start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": database}, ResultConfiguration={"OutputLocation": RESULTS}
    )["QueryExecutionId"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        execution: Dict[str, Any] = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return execution
        time.sleep(0.05)
    raise AssertionError(f"query {query_id} did not end within 300 s")


def test_boto3_runs_a_query_and_pages_its_results(lake: str) -> None:
    athena = boto3.client("athena")
    execution = run(athena, "SELECT species, count(*) AS n FROM flowers GROUP BY species ORDER BY species", lake)
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    assert execution["ResultConfiguration"]["OutputLocation"] == RESULTS + execution["QueryExecutionId"] + ".csv"

    pages = athena.get_paginator("get_query_results").paginate(
        QueryExecutionId=execution["QueryExecutionId"], PaginationConfig={"PageSize": 2}
    )
    rows: List[List[str]] = []
    for page in pages:
        assert len(page["ResultSet"]["Rows"]) <= 2
        rows.extend([datum.get("VarCharValue") for datum in row["Data"]] for row in page["ResultSet"]["Rows"])
        columns = [(column["Name"], column["Type"]) for column in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
    assert rows == [["species", "n"], ["setosa", "2"], ["versicolor", "1"], ["virginica", "1"]]
    assert columns == [("species", "varchar"), ("n", "bigint")]

    failed = run(athena, "SELECT no_such_column FROM flowers", lake)
    assert failed["Status"]["State"] == "FAILED"
    assert "no_such_column" in failed["Status"]["StateChangeReason"]
    assert failed["Status"]["AthenaError"]["ErrorCategory"] == 2


def test_pyathena_cursor_fetches_typed_rows(lake: str) -> None:
    cursor = connect(s3_staging_dir=RESULTS, region_name="us-east-1", schema_name=lake, poll_interval=0.05).cursor()
    cursor.execute(
        "SELECT species, sepal_length FROM flowers WHERE species = %(species)s ORDER BY sepal_length",
        {"species": "setosa"},
    )
    assert cursor.fetchall() == [("setosa", 4.9), ("setosa", 5.1)]
    assert [(column[0], column[1]) for column in cursor.description] == [
        ("species", "varchar"),
        ("sepal_length", "double"),
    ]
    assert cursor.state == "SUCCEEDED"
    assert cursor.data_scanned_in_bytes > 0


def test_pyathena_pandas_cursor_reads_the_result_file_from_s3(lake: str) -> None:
    cursor = connect(
        s3_staging_dir=RESULTS, region_name="us-east-1", schema_name=lake, poll_interval=0.05, cursor_class=PandasCursor
    ).cursor()
    frame = cursor.execute(
        "SELECT species, avg(sepal_width) AS width FROM flowers GROUP BY species ORDER BY species"
    ).as_pandas()
    assert list(frame.columns) == ["species", "width"]
    assert frame["species"].tolist() == ["setosa", "versicolor", "virginica"]
    assert frame["width"].tolist() == pytest.approx([3.25, 2.8, 3.3])
    assert str(frame["width"].dtype) == "float64"
