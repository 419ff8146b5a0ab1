"""Reading query results from the warehouse: DuckDB (local) and Athena (production).

Both must give the same frame for the same result: the columns by name, every row, NULL
as None. Athena is exercised two ways: over HTTP against the moto server (which does not
execute SQL but returns results registered beforehand through its moto-api, and lets a
query stay queued and be cancelled), and with botocore's Stubber for what moto cannot
produce: results spread over several GetQueryResults pages, a FAILED query, a query that
never finishes.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import duckdb
import httpx
import pytest
from botocore.stub import Stubber

from orchestration.warehouse import (
    AthenaWarehouse,
    DuckDBWarehouse,
    WarehouseError,
    open_warehouse,
)

# -- DuckDB --------------------------------------------------------------------------------


@pytest.fixture
def duckdb_folder(tmp_path: Path) -> Path:
    with duckdb.connect(str(tmp_path / "courtlake.duckdb")) as connection:
        connection.execute(
            "create table batch as select * from (values "
            "('send', 'k1', 'x'), ('batch', null, null), ('skip', 'k2', null)"
            ") t(delivery_action, delivery_key, note)"
        )
    return tmp_path


def test_duckdb_returns_every_row_with_null_as_none(duckdb_folder: Path) -> None:
    """GIVEN the dev warehouse file WHEN a query runs THEN the frame has the query's
    columns and rows, and a NULL is None (as from Athena), not NaN."""
    frame = DuckDBWarehouse(duckdb_folder).query(
        "select delivery_action, delivery_key, note from batch order by delivery_action"
    )
    assert list(frame.columns) == ["delivery_action", "delivery_key", "note"]
    assert frame.values.tolist() == [
        ["batch", None, None],
        ["send", "k1", "x"],
        ["skip", "k2", None],
    ]
    assert frame.loc[0, "delivery_key"] is None and frame.loc[2, "note"] is None


def test_duckdb_errors_say_what_to_do(tmp_path: Path, duckdb_folder: Path) -> None:
    """GIVEN no warehouse file WHEN queried THEN WarehouseError says to build first (and no
    empty file is left behind); GIVEN bad SQL THEN WarehouseError carries DuckDB's words."""
    missing = tmp_path / "nowhere"
    with pytest.raises(WarehouseError, match=r"no warehouse at .*courtlake\.duckdb: run dbt build"):
        DuckDBWarehouse(missing).query("select 1")
    assert not (missing / "courtlake.duckdb").exists()
    with pytest.raises(WarehouseError, match=r"^DuckDB: .*no_such_table"):
        DuckDBWarehouse(duckdb_folder).query("select * from no_such_table")


def test_open_warehouse_follows_the_dbt_target(tmp_path: Path, s3_env: str) -> None:
    dev = open_warehouse("dev", tmp_path)
    assert isinstance(dev, DuckDBWarehouse) and dev.path == tmp_path / "courtlake.duckdb"
    assert isinstance(open_warehouse("prod", tmp_path), AthenaWarehouse)
    with pytest.raises(ValueError, match="unknown dbt target 'qa': use dev or prod"):
        open_warehouse("qa", tmp_path)


# -- Athena on the moto server, over HTTP ----------------------------------------------------

# moto keeps one queue of registered results per region: a region per test keeps a test's
# results from being taken by another test's query.
_REGIONS = itertools.cycle(["eu-west-3", "eu-north-1", "ap-southeast-2", "ca-central-1"])


def _cell(value: str | None) -> dict[str, str]:
    return {} if value is None else {"VarCharValue": value}


def _row(*values: str | None) -> dict[str, Any]:
    return {"Data": [_cell(v) for v in values]}


def _columns(*names: str) -> list[dict[str, Any]]:
    return [{"Name": n, "Label": n, "Type": "varchar", "Nullable": "UNKNOWN"} for n in names]


@pytest.fixture
def athena(s3_env: str, s3_bucket: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """The prod settings for a region of our own on the moto server, a work group, and a
    clean state manager afterwards."""
    region = next(_REGIONS)
    client = boto3.client("athena", region_name=region)
    group = f"courtlake-{time.monotonic_ns()}"
    client.create_work_group(Name=group, Configuration={})
    monkeypatch.setattr(AthenaWarehouse, "POLL_S", (0.01,))
    yield {
        "region": region,
        "client": client,
        "endpoint": s3_env,
        "env": {
            "COURTLAKE_ATHENA_REGION": region,
            "COURTLAKE_ATHENA_WORKGROUP": group,
            "COURTLAKE_ATHENA_S3_STAGING_DIR": f"s3://{s3_bucket}/athena-results/",
        },
    }
    _moto_api(s3_env, "state-manager/unset-transition", {"model_name": "athena::execution"})


def _moto_api(endpoint: str, path: str, body: dict[str, Any]) -> None:
    response = httpx.post(f"{endpoint}/moto-api/{path}", json=body)
    assert response.status_code == 201, response.text


def _register(athena: dict, rows: list[dict[str, Any]], columns: list[dict[str, Any]]) -> None:
    """The result moto returns for the next query in the region."""
    body = {"region": athena["region"], "results": [{"rows": rows, "column_info": columns}]}
    _moto_api(athena["endpoint"], "static/athena/query-results", body)


def _queries_stay_queued(athena: dict, polls: int) -> None:
    """Every new query stays QUEUED for `polls` GetQueryExecution calls, then RUNNING for
    as many, then SUCCEEDED."""
    transition = {"progression": "manual", "times": polls}
    _moto_api(
        athena["endpoint"],
        "state-manager/set-transition",
        {"model_name": "athena::execution", "transition": transition},
    )


def test_athena_waits_for_the_query_and_reads_its_result(athena: dict) -> None:
    """GIVEN a query that is queued, then running, then succeeds with a registered result
    (header row first, as Athena sends it)
    WHEN AthenaWarehouse runs it (client built from the environment, as in production)
    THEN it polls until SUCCEEDED and returns the rows without the header, with a cell
    lacking VarCharValue (NULL) as None; the query ran in the configured work group and
    wrote its result under the configured S3 location."""
    names = ("delivery_action", "delivery_key", "note")
    data = [("batch", None, None), ("send", "k1", "a, b"), ("send", "k2", ""), ("skip", "k3", None)]
    _register(athena, [_row(*names), *(_row(*r) for r in data)], _columns(*names))
    _queries_stay_queued(athena, polls=2)

    frame = AthenaWarehouse(env=athena["env"]).query("select * from batch")

    assert list(frame.columns) == list(names)
    assert frame.values.tolist() == [list(r) for r in data]
    assert frame.loc[0, "delivery_key"] is None
    client = athena["client"]
    [query_id] = client.list_query_executions()["QueryExecutionIds"]
    execution = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
    assert execution["Status"]["State"] == "SUCCEEDED"
    assert execution["Query"] == "select * from batch"
    assert execution["WorkGroup"] == athena["env"]["COURTLAKE_ATHENA_WORKGROUP"]
    location = execution["ResultConfiguration"]["OutputLocation"]
    assert location.startswith(athena["env"]["COURTLAKE_ATHENA_S3_STAGING_DIR"])


def test_athena_result_with_no_rows_is_an_empty_frame_with_its_columns(athena: dict) -> None:
    names = ("delivery_action", "delivery_key")
    _register(athena, [_row(*names)], _columns(*names))
    frame = AthenaWarehouse(env=athena["env"]).query("select 1")
    assert frame.empty and list(frame.columns) == list(names)


def test_athena_cancelled_query_raises(athena: dict) -> None:
    """GIVEN a query that stays queued WHEN it is cancelled in Athena (StopQueryExecution)
    THEN the waiting client raises WarehouseError naming the query and its state.

    (moto never puts a query in FAILED: that state is covered with the Stubber below.)"""
    _queries_stay_queued(athena, polls=1_000_000)
    warehouse, client = AthenaWarehouse(env=athena["env"]), athena["client"]
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(warehouse.query, "select * from batch")
        deadline = time.monotonic() + 10
        while not (ids := client.list_query_executions()["QueryExecutionIds"]):
            assert time.monotonic() < deadline, "the query never started"
            time.sleep(0.01)
        time.sleep(0.05)
        assert not waiting.done()  # still waiting for the queued query
        client.stop_query_execution(QueryExecutionId=ids[0])
        with pytest.raises(WarehouseError, match=rf"Athena query {ids[0]} CANCELLED"):
            waiting.result(timeout=10)


# -- Athena with botocore's Stubber: paging, FAILED, never finishing ------------------------


@pytest.fixture
def stubbed() -> Iterator[tuple[AthenaWarehouse, Stubber]]:
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    client = session.client("athena")
    env = {"COURTLAKE_ATHENA_WORKGROUP": "courtlake", "COURTLAKE_ATHENA_S3_STAGING_DIR": "s3://r/"}
    with Stubber(client) as stubber:
        yield AthenaWarehouse(env=env, client=client), stubber
        stubber.assert_no_pending_responses()


def _started(stubber: Stubber, query_id: str, sql: str) -> None:
    stubber.add_response(
        "start_query_execution",
        {"QueryExecutionId": query_id},
        {
            "QueryString": sql,
            "WorkGroup": "courtlake",
            "ResultConfiguration": {"OutputLocation": "s3://r/"},
        },
    )


def _state(stubber: Stubber, query_id: str, state: str, reason: str | None = None) -> None:
    status: dict[str, Any] = {"State": state}
    if reason:
        status["StateChangeReason"] = reason
    stubber.add_response(
        "get_query_execution",
        {"QueryExecution": {"QueryExecutionId": query_id, "Status": status}},
        {"QueryExecutionId": query_id},
    )


def _page(
    stubber: Stubber, query_id: str, rows: list, token_in: str | None, token_out: str | None
) -> None:
    response: dict[str, Any] = {
        "ResultSet": {"Rows": rows, "ResultSetMetadata": {"ColumnInfo": _columns("k", "v")}}
    }
    if token_out:
        response["NextToken"] = token_out
    expected = {"QueryExecutionId": query_id, **({"NextToken": token_in} if token_in else {})}
    stubber.add_response("get_query_results", response, expected)


def test_athena_pages_through_results_and_drops_only_the_first_header(
    stubbed: tuple[AthenaWarehouse, Stubber], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a result of 2,500 rows over three GetQueryResults pages (Athena: at most 1,000
    a page, the header row only at the top of the first)
    WHEN it is read THEN every row comes back once, in order, and no header row among them."""
    monkeypatch.setattr(AthenaWarehouse, "POLL_S", (0.0,))
    warehouse, stubber = stubbed
    rows = [(f"k{i:04d}", None if i % 7 == 0 else str(i)) for i in range(2500)]
    _started(stubber, "q1", "select k, v from t")
    _state(stubber, "q1", "RUNNING")
    _state(stubber, "q1", "SUCCEEDED")
    _page(stubber, "q1", [_row("k", "v"), *(_row(*r) for r in rows[:999])], None, "t1")
    _page(stubber, "q1", [_row(*r) for r in rows[999:1999]], "t1", "t2")
    _page(stubber, "q1", [_row(*r) for r in rows[1999:]], "t2", None)

    frame = warehouse.query("select k, v from t")

    assert list(frame.columns) == ["k", "v"]
    assert [tuple(r) for r in frame.values.tolist()] == rows
    assert frame["v"].isna().sum() == len([r for r in rows if r[1] is None])
    assert all(v is None or isinstance(v, str) for v in frame["v"])


def test_athena_failed_query_raises_with_its_reason(
    stubbed: tuple[AthenaWarehouse, Stubber],
) -> None:
    """GIVEN a query Athena marks FAILED WHEN it is run THEN WarehouseError carries the
    query id and Athena's reason, and no result is read."""
    warehouse, stubber = stubbed
    _started(stubber, "q2", "select nope")
    _state(stubber, "q2", "FAILED", "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved")
    with pytest.raises(WarehouseError, match=r"Athena query q2 FAILED: COLUMN_NOT_FOUND"):
        warehouse.query("select nope")


def test_athena_query_that_never_finishes_times_out(
    stubbed: tuple[AthenaWarehouse, Stubber], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AthenaWarehouse, "TIMEOUT_S", 0.0)
    warehouse, stubber = stubbed
    _started(stubber, "q3", "select 1")
    _state(stubber, "q3", "RUNNING")
    with pytest.raises(WarehouseError, match="Athena query q3 still running"):
        warehouse.query("select 1")
