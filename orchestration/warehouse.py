"""Reading query results from the warehouse: DuckDB locally, Athena in production.

Both return a pandas DataFrame of strings (the export casts every column to varchar in
SQL, so a date or a boolean reads the same from either engine). Athena runs through its
API (StartQueryExecution, then GetQueryResults pages), with the workgroup, result
location and region of the `prod` dbt target (the same environment variables).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pandas as pd


class WarehouseError(RuntimeError):
    """A query failed in the warehouse."""


class Warehouse(Protocol):
    def query(self, sql: str) -> pd.DataFrame:
        """Run `sql`, return every row (columns as strings, NULL as None)."""
        ...


class DuckDBWarehouse:
    """The local DuckDB file dbt's dev target writes (`<folder>/courtlake.duckdb`)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / "courtlake.duckdb"

    def query(self, sql: str) -> pd.DataFrame:
        import duckdb

        if not self.path.exists():
            raise WarehouseError(f"no warehouse at {self.path}: run dbt build first")
        try:
            with duckdb.connect(str(self.path), read_only=True) as connection:
                frame = connection.sql(sql).df()
        except duckdb.Error as exc:
            raise WarehouseError(f"DuckDB: {exc}") from None
        # pandas gives a varchar column with NULLs a string dtype holding NaN: return
        # None, as Athena's client does, so both engines give the same values
        return frame.astype(object).where(frame.notna(), None)


class AthenaWarehouse:
    """Athena through boto3 (credentials from the standard AWS chain)."""

    POLL_S = (0.2, 0.5, 1.0, 2.0)
    TIMEOUT_S = 900.0

    def __init__(self, env: Mapping[str, str] | None = None, client: Any = None) -> None:
        env = os.environ if env is None else env
        self.workgroup = env.get("COURTLAKE_ATHENA_WORKGROUP", "primary")
        self.output = env.get("COURTLAKE_ATHENA_S3_STAGING_DIR")
        if client is None:
            import boto3

            client = boto3.client(
                "athena", region_name=env.get("COURTLAKE_ATHENA_REGION", "us-east-1")
            )
        self.client = client

    def query(self, sql: str) -> pd.DataFrame:
        request: dict[str, Any] = {"QueryString": sql, "WorkGroup": self.workgroup}
        if self.output:
            request["ResultConfiguration"] = {"OutputLocation": self.output}
        query_id = self.client.start_query_execution(**request)["QueryExecutionId"]
        self._wait(query_id)
        return self._results(query_id)

    def _wait(self, query_id: str) -> None:
        started = time.monotonic()
        for attempt in range(1_000_000):
            status = self.client.get_query_execution(QueryExecutionId=query_id)
            state = status["QueryExecution"]["Status"]
            if state["State"] == "SUCCEEDED":
                return
            if state["State"] in ("FAILED", "CANCELLED"):
                reason = state.get("StateChangeReason", "no reason given")
                raise WarehouseError(f"Athena query {query_id} {state['State']}: {reason}")
            if time.monotonic() - started > self.TIMEOUT_S:
                raise WarehouseError(f"Athena query {query_id} still running after 15 min")
            time.sleep(self.POLL_S[min(attempt, len(self.POLL_S) - 1)])

    def _results(self, query_id: str) -> pd.DataFrame:
        header: list[str] | None = None
        rows: list[list[str | None]] = []
        pages = self.client.get_paginator("get_query_results")
        for page in pages.paginate(QueryExecutionId=query_id):
            result = page["ResultSet"]
            if header is None:
                header = [c["Name"] for c in result["ResultSetMetadata"]["ColumnInfo"]]
                data = result["Rows"][1:]  # the first row of the first page repeats the header
            else:
                data = result["Rows"]
            rows += [[cell.get("VarCharValue") for cell in row["Data"]] for row in data]
        return pd.DataFrame(rows, columns=header or [], dtype=object)


def open_warehouse(target: str, warehouse_folder: Path) -> Warehouse:
    """The warehouse of a dbt target: dev → DuckDB in `warehouse_folder`, prod → Athena."""
    if target == "dev":
        return DuckDBWarehouse(warehouse_folder)
    if target == "prod":
        return AthenaWarehouse()
    raise ValueError(f"unknown dbt target {target!r}: use dev or prod")
