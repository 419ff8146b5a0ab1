"""The prod dbt target, unchanged dbt-athena, on the local Athena, against DuckDB.

GIVEN generated raw data (benchmarks.raw_generator: 300 cases, two weekly scrape
partitions) in S3 and on disk, the raw external tables made by `create_raw_tables`
(partition projection) and the seeds loaded,
WHEN `dbt build --target prod` runs (Hive tables by CTAS, Iceberg incremental models
with their delete pre-hooks, delivery models) and `dbt build` runs on DuckDB over the
same files,
THEN every model builds on Athena and every mart and delivery table holds the same rows
as DuckDB's (EXCEPT ALL both ways after the normalisation of compare.py);
WHEN one more week is written and both build again (incremental: Iceberg delete +
append, delivery insert_overwrite of the week's partition),
THEN again every table is equal.

Its figures go into the summary line (tests/athena_local/summary.py).
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from athena_local.stack import LocalAthena
from benchmarks.raw_generator import add_week, write_raw_tables
from orchestration.dbt import DbtError, DbtProject
from tests.athena_local import summary
from tests.athena_local.compare import Difference, built, compare_builds

pytestmark = [pytest.mark.athena_local, pytest.mark.slow]

START = date(2026, 11, 9)
BUILD = ["build", "--exclude", "resource_type:seed"]


@dataclass
class Paths:
    athena: LocalAthena
    lake: Path
    prod: DbtProject
    dev: DbtProject
    timings: dict[str, float] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)


def _upload(athena: LocalAthena, lake: Path) -> None:
    s3 = athena.client("s3")
    for path in sorted(lake.rglob("*.parquet")):
        key = f"lake/{path.relative_to(lake)}"
        s3.upload_file(str(path), athena.bucket, key)  # type: ignore[attr-defined]


def _build(paths: Paths, label: str) -> None:
    """Build both targets; record timings and the nodes that did not pass."""
    for name, project in (("prod", paths.prod), ("dev", paths.dev)):
        started = time.monotonic()
        with contextlib.suppress(DbtError):  # the run results say which nodes failed
            project.run(BUILD)
        paths.timings[f"{label}_{name}_build_s"] = round(time.monotonic() - started, 1)
        results = json.loads((project.target_path / "run_results.json").read_text())
        paths.failures[f"{label}_{name}"] = [
            f"{r['unique_id']}: {r['status']}: {(r.get('message') or '')[:3000]}"
            for r in results["results"]
            if r["status"] not in ("success", "pass")
        ]


def _summary(paths: Paths, differences: list[Difference], label: str) -> None:
    summary.record(
        label,
        models_built=sum(1 for u in built(paths.prod.target_path) if u.startswith("model.")),
        tables_equal=sum(d.equal for d in differences),
        timings={**paths.athena.timings, **paths.timings},
        failures=paths.failures,
        differences=[d.__dict__ for d in differences if not d.equal],
        compared=len(differences),
    )


def _compare(paths: Paths) -> list[Difference]:
    return compare_builds(
        paths.athena,
        paths.prod.target_path,
        paths.dev.target_path,
        paths.dev.warehouse / "courtlake.duckdb",
    )


@pytest.fixture(scope="module")
def paths(athena: LocalAthena, tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = Path(tmp_path_factory.mktemp("prod-path"))
    lake = root / "lake"
    write_raw_tables(lake, cases=300, weeks=2, seed=11, start=START)
    _upload(athena, lake)
    prod = DbtProject(
        lake=f"s3://{athena.bucket}/lake",
        warehouse=root / "unused",
        target="prod",
        target_path=root / "target-prod",
        extra_env=athena.env(),
    )
    dev = DbtProject(lake=str(lake), warehouse=root / "warehouse", target_path=root / "target-dev")
    found = Paths(athena, lake, prod, dev)
    started = time.monotonic()
    # the projection range starts at the first scrape: Athena (and Trino) list every
    # projected day's folder in a full scan
    prod.run(["run-operation", "create_raw_tables"], {"raw_partition_start": "2026-11-01"})
    found.timings["create_raw_tables_s"] = round(time.monotonic() - started, 1)
    for project in (prod, dev):
        project.run(["seed"])
    return found


@pytest.fixture(scope="module")
def first_week(paths: Paths) -> list[Difference]:
    _build(paths, "full")
    return _compare(paths)


def test_full_build_on_athena_equals_duckdb(paths: Paths, first_week: list[Difference]) -> None:
    _summary(paths, first_week, "full")
    assert paths.failures["full_dev"] == []
    assert paths.failures["full_prod"] == [], "\n".join(paths.failures["full_prod"])
    assert [d for d in first_week if not d.equal] == []


def test_incremental_week_on_athena_equals_duckdb(
    paths: Paths, first_week: list[Difference]
) -> None:
    add_week(paths.lake)
    _upload(paths.athena, paths.lake)
    _build(paths, "incremental")
    differences = _compare(paths)
    _summary(paths, differences, "incremental")
    assert paths.failures["incremental_dev"] == []
    assert paths.failures["incremental_prod"] == [], "\n".join(paths.failures["incremental_prod"])
    assert [d for d in differences if not d.equal] == []
