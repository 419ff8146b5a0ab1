"""Two Mondays of `courtlake weekly --target prod --lake s3://…` on the local Athena.

GIVEN the portal simulator and the local Athena (moto S3 + Glue, Trino, the Athena front),
WHEN `courtlake weekly --target prod` runs for two consecutive Mondays on a lake in S3
(ingest from the simulator, compaction into S3, `create_raw_tables`, `dbt build` with
dbt-athena, export through Athena's result pages, GX validation, promotion; the reviewer
approving the manual partner each week),
AND `courtlake weekly --target dev` runs the same Mondays on a local lake holding the
same compacted raw tables (copied from S3 after each prod run),
THEN both runs exit 0 every week, every partner file of both weeks is byte for byte the
same on both lakes, and after the second Monday every mart and delivery table holds the
same rows on Athena as on DuckDB.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from athena_local.stack import LocalAthena
from demo.__main__ import FIRST_MONDAY, ON_CHANGE, SEED
from simulator.server import build_state, running
from tests.athena_local import summary
from tests.athena_local.compare import Difference, compare_builds

pytestmark = [pytest.mark.athena_local, pytest.mark.slow]

WEEKS = [FIRST_MONDAY + timedelta(days=7 * i) for i in range(2)]
SCALE = 0.2
PREFIX = "weekly"


@dataclass
class Mondays:
    athena: LocalAthena
    root: Path
    exit_codes: dict[str, list[int]] = field(default_factory=lambda: {"prod": [], "dev": []})
    logs: list[str] = field(default_factory=list)

    @property
    def dev_lake(self) -> Path:
        return self.root / "dev-lake"


def _courtlake(*args: str, env: dict[str, str], log: list[str]) -> int:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("courtlake")), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    log.append(f"$ courtlake {' '.join(args)} → {done.returncode}\n{done.stderr[-4000:]}")
    return done.returncode


def _copy_raw(athena: LocalAthena, into: Path) -> int:
    """The compacted raw tables the prod run wrote to S3, onto the dev lake (new files)."""
    s3: Any = athena.client("s3")
    copied = 0
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=athena.bucket, Prefix=f"{PREFIX}/raw/"
    ):
        for item in page.get("Contents", []):
            path = into / item["Key"].removeprefix(f"{PREFIX}/")
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                s3.download_file(athena.bucket, item["Key"], str(path))
                copied += 1
    return copied


def _environments(athena: LocalAthena, root: Path) -> dict[str, dict[str, str]]:
    common = {
        **os.environ,
        "COURTLAKE_COURT_USER": "analyst",  # the simulator's account (not a secret)
        "COURTLAKE_COURT_PASSWORD": "courtlake-sim",
        # the raw tables' projected days start before the first scrape
        "COURTLAKE_ATHENA_PARTITION_START": str(FIRST_MONDAY - timedelta(days=30)),
    }
    return {
        "prod": {
            **common,
            **athena.env(),
            "COURTLAKE_LAKE": f"s3://{athena.bucket}/{PREFIX}",
            "COURTLAKE_DBT_TARGET": "prod",
            "DBT_TARGET_PATH": str(root / "target-prod"),
        },
        "dev": {
            **common,
            "COURTLAKE_LAKE": str(root / "dev-lake"),
            "COURTLAKE_WAREHOUSE": str(root / "warehouse"),
            "COURTLAKE_DBT_TARGET": "dev",
            "DBT_TARGET_PATH": str(root / "target-dev"),
        },
    }


@pytest.fixture(scope="module")
def mondays(athena: LocalAthena, tmp_path_factory: pytest.TempPathFactory) -> Mondays:
    found = Mondays(athena, Path(tmp_path_factory.mktemp("weekly-prod")))
    envs = _environments(athena, found.root)
    state = build_state(SEED, FIRST_MONDAY, scale=SCALE)
    with running(state) as sim:
        for week in WEEKS:
            httpx.post(f"{sim.base_url}/_admin/clock", json={"as_of": str(week)}).raise_for_status()
            scrape = ("--court-url", sim.court_url, "--jail-url", sim.jail_url)
            for target in ("prod", "dev"):
                if target == "dev":
                    copied = _copy_raw(athena, found.dev_lake)
                    assert copied, f"{week}: no raw tables in S3\n" + "\n".join(found.logs)
                # the dev run gets no portal URLs: it builds on the raw tables copied over
                code = _courtlake(
                    "weekly", "--week", str(week), *(scrape if target == "prod" else ()),
                    env=envs[target], log=found.logs,
                )  # fmt: skip
                found.exit_codes[target].append(code)
                _courtlake(
                    "deliver", "promote", "--week", str(week), "--partner", ON_CHANGE,
                    env=envs[target], log=found.logs,
                )  # fmt: skip
    return found


def _partner_files(athena: LocalAthena, dev_lake: Path) -> dict[str, tuple[bytes | None, bytes]]:
    """Every file under the dev lake's partners/ → (the prod lake's bytes, the dev bytes)."""
    s3: Any = athena.client("s3")
    files = {}
    for path in sorted((dev_lake / "partners").rglob("*")):
        if not path.is_file() or path.name == "manifest.json":
            continue  # the manifest names the run that promoted it
        key = str(path.relative_to(dev_lake))
        try:
            prod = s3.get_object(Bucket=athena.bucket, Key=f"{PREFIX}/{key}")["Body"].read()
        except s3.exceptions.NoSuchKey:
            prod = None
        files[key] = (prod, path.read_bytes())
    return files


@pytest.fixture(scope="module")
def marts(mondays: Mondays) -> list[Difference]:
    return compare_builds(
        mondays.athena,
        mondays.root / "target-prod",
        mondays.root / "target-dev",
        mondays.root / "warehouse" / "courtlake.duckdb",
    )


def test_two_mondays_on_athena_exit_cleanly(mondays: Mondays) -> None:
    assert mondays.exit_codes == {"prod": [0, 0], "dev": [0, 0]}, "\n".join(mondays.logs)


def test_every_partner_file_is_identical_to_duckdbs(
    mondays: Mondays, marts: list[Difference]
) -> None:
    files = _partner_files(mondays.athena, mondays.dev_lake)
    identical = sorted(key for key, (prod, dev) in files.items() if prod == dev)
    summary.record(
        "weekly",
        partner_files_identical=len(identical),
        partner_files=len(files),
        exit_codes=mondays.exit_codes,
        marts_equal=sum(d.equal for d in marts),
        differences=[d.__dict__ for d in marts if not d.equal],
    )
    csvs = [key for key in files if key.endswith(".csv")]
    weeks = {key.split("/")[2] for key in csvs}
    assert weeks == {str(w) for w in WEEKS}, f"partner files for {sorted(weeks)}"
    batches = [k for k in csvs if k.split("/")[3] == f"{k.split('/')[1]}_{k.split('/')[2]}.csv"]
    assert len(batches) == 2 * len(WEEKS), batches
    assert all(files[k][1].count(b"\n") > 1 for k in batches), "a partner file without rows"
    assert identical == sorted(files), [k for k in files if k not in identical]


def test_marts_after_two_mondays_equal_duckdbs(marts: list[Difference]) -> None:
    assert marts and [d for d in marts if not d.equal] == []
