"""Comparing the prod build (Athena) with the dev build (DuckDB) of the same raw data.

Which tables: every model of the `marts` and `deliveries` folders that the manifest
materializes as a table or incremental (found in dbt's manifest, not listed here).
How: each engine prints every column as text under the agreed normalisation (dates
ISO, timestamps to the millisecond, floating and decimal numbers to 6 places, booleans
`true`/`false`); Athena's rows are read through the Athena API (GetQueryResults pages)
by orchestration.warehouse.AthenaWarehouse; DuckDB then takes EXCEPT ALL both ways.
Left out: the run stamp (`dbt_invocation_id`), which differs between any two builds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import duckdb

from athena_local.stack import LocalAthena
from orchestration.warehouse import AthenaWarehouse

COMPARED_FOLDERS = ("marts", "deliveries")
# The id of the dbt run that wrote a row (macros: incremental models stamp their rows):
# two builds never share it, so it is left out of the comparison.
RUN_STAMP_COLUMNS = frozenset({"dbt_invocation_id"})


@dataclass(frozen=True)
class Model:
    unique_id: str
    name: str
    athena: str  # "schema"."table" on Athena
    duckdb: str  # schema.table in the DuckDB file


@dataclass(frozen=True)
class Difference:
    model: str
    only_athena: int
    only_duckdb: int
    athena_rows: int
    duckdb_rows: int

    @property
    def equal(self) -> bool:
        return self.only_athena == self.only_duckdb == 0


def compared_models(prod_manifest: Path, dev_manifest: Path) -> list[Model]:
    prod = json.loads(prod_manifest.read_text())["nodes"]
    dev = json.loads(dev_manifest.read_text())["nodes"]
    found = []
    for unique_id, node in sorted(prod.items()):
        if node["resource_type"] != "model" or node["config"]["materialized"] == "ephemeral":
            continue
        if len(node["fqn"]) < 2 or node["fqn"][1] not in COMPARED_FOLDERS:
            continue
        other = dev[unique_id]
        found.append(
            Model(
                unique_id,
                node["name"],
                f'"{node["schema"]}"."{node["alias"]}"',
                f'"{other["schema"]}"."{other["alias"]}"',
            )
        )
    return found


def _athena_text(column: str, glue_type: str) -> str:
    quoted = f'"{column}"'
    kind = glue_type.lower()
    if kind.startswith("timestamp"):
        return f"format_datetime({quoted}, 'yyyy-MM-dd HH:mm:ss.SSS')"
    if kind in ("double", "float", "real") or kind.startswith("decimal"):
        # Trino's format() prints NULL as the text 'null'
        return f"if({quoted} is null, null, format('%.6f', {quoted}))"
    return f"cast({quoted} as varchar)"


def _duckdb_text(column: str, duck_type: str) -> str:
    quoted = f'"{column}"'
    kind = duck_type.upper()
    if kind.startswith("TIMESTAMP"):
        return f"strftime({quoted}, '%Y-%m-%d %H:%M:%S.%g')"
    if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL"):
        return f"printf('%.6f', {quoted})"
    return f"cast({quoted} as varchar)"


def glue_columns(glue: Any, schema: str, table: str) -> dict[str, str]:
    found = glue.get_table(DatabaseName=schema, Name=table)["Table"]
    columns = found["StorageDescriptor"]["Columns"] + found.get("PartitionKeys", [])
    return {c["Name"]: c["Type"] for c in columns}


def compare(model: Model, athena: AthenaWarehouse, glue: Any, duckdb_file: Path) -> Difference:
    schema, table = (part.strip('"') for part in model.athena.split("."))
    athena_types = glue_columns(glue, schema, table)
    with duckdb.connect(str(duckdb_file), read_only=True) as dev:
        dev_schema, dev_table = (part.strip('"') for part in model.duckdb.split("."))
        dev_types = dict(
            dev.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [dev_schema, dev_table],
            ).fetchall()
        )
        if set(dev_types) != set(athena_types):
            raise AssertionError(
                f"{model.name}: columns differ, DuckDB {sorted(dev_types)} "
                f"Athena {sorted(athena_types)}"
            )
        names = [c for c in dev_types if c not in RUN_STAMP_COLUMNS]
        dev_rows = dev.execute(
            f"select {', '.join(_duckdb_text(c, dev_types[c]) for c in names)} from {model.duckdb}"
        ).fetchall()
    frame = athena.query(
        f"select {', '.join(_athena_text(c, athena_types[c]) for c in names)} from {model.athena}"
    )
    athena_rows = [tuple(row) for row in frame.itertuples(index=False)]
    with duckdb.connect() as scratch:
        columns = ", ".join(f'"{c}" varchar' for c in names)
        for name, rows in (("a", athena_rows), ("d", dev_rows)):
            scratch.execute(f"create table {name} ({columns})")
            if rows:
                marks = ", ".join("?" for _ in names)
                scratch.executemany(f"insert into {name} values ({marks})", rows)
        only_a = scratch.execute("select count(*) from (from a except all from d)").fetchone()
        only_d = scratch.execute("select count(*) from (from d except all from a)").fetchone()
    return Difference(model.name, int(only_a[0]), int(only_d[0]), len(athena_rows), len(dev_rows))


def built(target_path: Path) -> set[str]:
    """The nodes the last dbt invocation written to `target_path` built successfully."""
    results = json.loads((target_path / "run_results.json").read_text())
    return {r["unique_id"] for r in results["results"] if r["status"] == "success"}


def compare_builds(
    athena: LocalAthena, prod_target: Path, dev_target: Path, duckdb_file: Path
) -> list[Difference]:
    """Every mart and delivery table both builds made, Athena's against DuckDB's."""
    assert athena.front is not None
    client = boto3.client(
        "athena",
        endpoint_url=athena.front.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    warehouse = AthenaWarehouse(athena.env(), client=client)
    models = compared_models(prod_target / "manifest.json", dev_target / "manifest.json")
    assert models, "no marts or deliveries found in the manifest"
    made = built(prod_target) & built(dev_target)
    glue = athena.client("glue")
    return [compare(m, warehouse, glue, duckdb_file) for m in models if m.unique_id in made]
