"""The local Athena answers Athena's API with real engines (moto Glue/S3 + Trino).

GIVEN the stack started once for the module, with boto3's Athena client on the front:
* a Hive CREATE EXTERNAL TABLE with partition projection registers a Glue table, and a
  query over Parquet files in its partition folders returns their rows, header first,
  with no MSCK or partition registered;
* a result larger than a page comes back in pages of 1000 rows through NextToken;
* an Athena CTAS writes a Hive table (Parquet in its external_location) and an Iceberg
  table, which takes DELETE and is listed in Glue with its storage location;
* a failing query ends FAILED with Athena's `ERROR_NAME: message` reason, and
  GetQueryResults of it is an InvalidRequestException.
"""

from __future__ import annotations

import io
import time
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from athena_local.stack import LocalAthena

pytestmark = [pytest.mark.athena_local, pytest.mark.slow]


@pytest.fixture(scope="module")
def client(athena: LocalAthena) -> Any:
    return boto3.client("athena", **_client_args(athena))


def _client_args(athena: LocalAthena) -> dict[str, Any]:
    assert athena.front is not None
    return {
        "endpoint_url": athena.front.url,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }


def _run(client: Any, sql: str, database: str = "default") -> dict[str, Any]:
    query_id = client.start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": database}, WorkGroup="primary"
    )["QueryExecutionId"]
    for _ in range(600):
        execution = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        if execution["Status"]["State"] not in ("QUEUED", "RUNNING"):
            return execution
        time.sleep(0.1)
    raise AssertionError(f"{sql!r} still running")


def _rows(client: Any, query_id: str) -> list[list[str | None]]:
    pages = client.get_paginator("get_query_results").paginate(QueryExecutionId=query_id)
    return [
        [cell.get("VarCharValue") for cell in row["Data"]]
        for page in pages
        for row in page["ResultSet"]["Rows"]
    ]


def _ok(client: Any, sql: str, database: str = "default") -> str:
    execution = _run(client, sql, database)
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    return str(execution["QueryExecutionId"])


def _put_parquet(athena: LocalAthena, key: str, table: pa.Table) -> None:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    athena.client("s3").put_object(Bucket=athena.bucket, Key=key, Body=sink.getvalue())  # type: ignore[attr-defined]


def test_projected_external_table_is_queried_without_registered_partitions(
    athena: LocalAthena, client: Any
) -> None:
    root = f"s3://{athena.bucket}/lake/raw/visits"
    for day, names in (("2026-11-09", ["a", "b"]), ("2026-11-16", ["c"])):
        rows = pa.table({"name": names, "n": pa.array(range(len(names)), pa.int32())})
        _put_parquet(athena, f"lake/raw/visits/scrape_date={day}/data.parquet", rows)
    _ok(client, "create database if not exists `raw_test`")
    _ok(
        client,
        "create external table if not exists `raw_test`.`visits` (\n"
        "  `name` string comment 'who', `n` int comment 'how many')\n"
        "partitioned by (`scrape_date` string)\n"
        "row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n"
        "stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n"
        "outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n"
        f"location '{root}/'\n"
        "tblproperties ('projection.enabled' = 'true', 'projection.scrape_date.type' = 'date',"
        " 'projection.scrape_date.format' = 'yyyy-MM-dd',"
        " 'projection.scrape_date.range' = '2026-11-01,2026-11-30',"
        " 'projection.scrape_date.interval' = '1', 'projection.scrape_date.interval.unit' = 'DAYS',"
        f" 'storage.location.template' = '{root}/scrape_date=${{scrape_date}}/')",
    )
    glue = athena.client("glue")
    assert glue.get_partitions(DatabaseName="raw_test", TableName="visits")["Partitions"] == []  # type: ignore[attr-defined]
    query = _ok(
        client,
        "select scrape_date, name, n from visits where scrape_date > '2026-11-01' order by name",
        database="raw_test",
    )
    assert _rows(client, query) == [
        ["scrape_date", "name", "n"],
        ["2026-11-09", "a", "0"],
        ["2026-11-09", "b", "1"],
        ["2026-11-16", "c", "0"],
    ]


def test_results_come_in_pages_of_1000_with_next_token(client: Any) -> None:
    query = _ok(client, "select x from unnest(sequence(1, 2500)) as t(x) order by x")
    first = client.get_query_results(QueryExecutionId=query)
    assert len(first["ResultSet"]["Rows"]) == 1000 and "NextToken" in first
    rows = _rows(client, query)
    assert rows[0] == ["x"]
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 2501))


def test_ctas_writes_hive_and_iceberg_tables(athena: LocalAthena, client: Any) -> None:
    _ok(client, "create schema if not exists `marts_test`")
    location = f"s3://{athena.bucket}/warehouse/marts_test/by_year"
    _ok(
        client,
        'create table "awsdatacatalog"."marts_test"."by_year" with (table_type=\'hive\', '
        f"is_external=true, external_location='{location}', partitioned_by=ARRAY['year'], "
        "write_compression='snappy', format='parquet') as "
        "select * from (values (1, 'x', '2025'), (2, cast(null as varchar), '2026'))"
        " t(id, v, year)",
    )
    listed = athena.client("s3").list_objects_v2(  # type: ignore[attr-defined]
        Bucket=athena.bucket, Prefix="warehouse/marts_test/by_year/"
    )
    assert {o["Key"].split("/")[3] for o in listed["Contents"]} == {"year=2025", "year=2026"}
    query = _ok(
        client, 'select id, v, year from "awsdatacatalog"."marts_test"."by_year" order by id'
    )
    assert _rows(client, query)[1:] == [["1", "x", "2025"], ["2", None, "2026"]]

    _ok(
        client,
        'create table "awsdatacatalog"."marts_test"."cases" with (table_type=\'iceberg\', '
        f"is_external=false, location='s3://{athena.bucket}/warehouse/marts_test/cases', "
        "partitioning=ARRAY['y'], format='parquet') as "
        "select * from (values (1, 2025), (2, 2026)) t(k, y)",
    )
    _ok(client, 'delete from "awsdatacatalog"."marts_test"."cases" where k = 1')
    query = _ok(client, 'select k from "awsdatacatalog"."marts_test"."cases"')
    assert _rows(client, query) == [["k"], ["2"]]
    table = athena.client("glue").get_table(DatabaseName="marts_test", Name="cases")["Table"]  # type: ignore[attr-defined]
    assert table["Parameters"]["table_type"] == "ICEBERG"
    assert table["StorageDescriptor"]["Location"].startswith(f"s3://{athena.bucket}/warehouse/")


def test_failed_query_has_athenas_reason(client: Any) -> None:
    execution = _run(client, "select * from default.no_such_table")
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"].startswith("TABLE_NOT_FOUND: "), execution
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
