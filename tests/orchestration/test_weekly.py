"""`courtlake weekly`: the run lock, resuming after a kill, refusing a concurrent run.

The weekly runs here use generated raw tables (no portal URLs: ingest is skipped), so
they exercise dbt build → export → validate → promote → report for real.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.raw_generator import write_raw_tables
from courtlake.crashpoints import ENV as CRASH_ENV
from courtlake.lake import LocalLake
from orchestration.dbt import PROJECT_DIR, DbtProject
from orchestration.lock import LockHeldError, WeekLock
from orchestration.weekly import STEPS, ExitCode, WeeklyConfig, run_weekly, step_key

WEEK = date(2026, 9, 21)  # the third generated Monday

# -- the lock ---------------------------------------------------------------------------


def test_a_second_run_of_the_same_week_is_refused_while_the_first_holds_the_lock(tmp_path):
    lake = LocalLake(tmp_path)
    first = WeekLock(lake, WEEK).acquire()
    with pytest.raises(LockHeldError, match="is being run by"):
        WeekLock(lake, WEEK).acquire()
    WeekLock(lake, WEEK + timedelta(days=7)).acquire()  # another week is independent
    WeekLock(lake, WEEK).release(first)
    WeekLock(lake, WEEK).release(first)  # idempotent
    second = WeekLock(lake, WEEK).acquire()
    assert second.key != first.key and second.took_over is None


def test_an_expired_lock_is_taken_over_and_the_takeover_logged(tmp_path, caplog):
    lake = LocalLake(tmp_path)
    lock = WeekLock(lake, WEEK, ttl=timedelta(minutes=5))
    stale = lock.acquire(now=datetime.now(UTC) - timedelta(hours=1))
    with caplog.at_level(logging.WARNING, logger="orchestration.lock"):
        lease = lock.acquire()
    assert lease.took_over == stale.owner
    assert "took over" in caplog.text


def test_a_lock_whose_process_died_on_this_machine_is_stale_at_once(tmp_path):
    lake = LocalLake(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    lease = WeekLock(lake, WEEK).acquire()
    body = json.loads(lake.get(lease.key))
    host, _, rest = body["owner"].partition(":")
    body["owner"] = f"{host}:{dead.stdout.strip()}:{rest.partition(':')[2]}"
    lake.put(lease.key, json.dumps(body).encode())
    assert WeekLock(lake, WEEK).acquire().took_over == body["owner"]


def test_two_takeovers_at_once_leave_exactly_one_holder(tmp_path):
    # GIVEN an expired lock seen by two runs WHEN both create the next generation THEN
    # the create-only write lets exactly one of them in
    lake = LocalLake(tmp_path)
    WeekLock(lake, WEEK).acquire(now=datetime.now(UTC) - timedelta(hours=1))
    racer = WeekLock(lake, WEEK)
    holder = racer._holder()
    winner = WeekLock(lake, WEEK).acquire()
    racer._holder = lambda: holder  # the loser decided on the state before the winner
    with pytest.raises(LockHeldError, match="took the lock just now"):
        racer.acquire()
    assert winner.took_over is not None


def test_a_live_holder_keeps_its_lock_alive_with_a_heartbeat(tmp_path):
    lake = LocalLake(tmp_path)
    lock = WeekLock(lake, WEEK, ttl=timedelta(seconds=2))
    with lock.held() as lease:
        first = json.loads(lake.get(lease.key))["expires_at"]
        time.sleep(4)  # twice the TTL: only the heartbeat (every TTL/4) keeps it
        renewed = json.loads(lake.get(lease.key))["expires_at"]
        with pytest.raises(LockHeldError):
            WeekLock(lake, WEEK).acquire()
    assert renewed > first
    WeekLock(lake, WEEK).acquire()  # released at the end of the block


# -- whole weekly runs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three weeks of generated raw tables (the weekly runs copy it)."""
    root = tmp_path_factory.mktemp("weekly-raw") / "lake"
    write_raw_tables(root, cases=2000, weeks=3, seed=5, start=WEEK - timedelta(days=14))
    return root


def _project(root: Path) -> DbtProject:
    lake = LocalLake(root / "lake")
    return DbtProject(lake=lake.uri(), warehouse=root / "warehouse", target_path=root / "target")


def _fresh(raw_lake: Path, root: Path) -> DbtProject:
    shutil.copytree(raw_lake, root / "lake")
    return _project(root)


def _cli_weekly(dbt: DbtProject, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dbt.env()
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "weekly", "--week", str(WEEK)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def _final_state(lake_root: Path) -> dict[str, str]:
    """What the partners hold and what the ledger says, as content digests (promotion
    timestamps and run identifiers aside)."""
    import pandas as pd

    state: dict[str, str] = {}
    for path in sorted((lake_root / "partners").rglob("*.csv")):
        state[str(path.relative_to(lake_root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted((lake_root / "ledger").rglob("*.parquet")):
        frame = pd.read_parquet(path).drop(columns=["promoted_at"])
        rows = sorted(map(tuple, frame.astype(str).to_numpy().tolist()))
        state[str(path.relative_to(lake_root))] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return state


@pytest.mark.slow
def test_weekly_killed_at_a_random_step_resumes_to_the_same_final_state(raw_lake, tmp_path):
    # GIVEN the same lake twice
    reference, resumed = _fresh(raw_lake, tmp_path / "a"), _fresh(raw_lake, tmp_path / "b")
    # WHEN one run goes through and the other is SIGKILLed before a random step, then re-run
    done = run_weekly(
        WeeklyConfig(WEEK, LocalLake(tmp_path / "a" / "lake"), reference, ingest=None)
    )
    assert done.exit_code is ExitCode.OK, done.lines()
    step = random.Random(os.environ.get("PYTEST_SEED", WEEK.toordinal())).choice(
        [s for s in STEPS if s not in ("ingest", "compact")]
    )
    killed = _cli_weekly(resumed, crash_at=f"weekly.before_{step}")
    assert killed.returncode == -signal.SIGKILL, (step, killed.stderr[-2000:])
    rerun = _cli_weekly(resumed)
    # THEN the re-run takes the dead run's lock over, resumes, and ends where the other did
    assert rerun.returncode == 0, (step, rerun.stdout[-3000:], rerun.stderr[-3000:])
    assert "took over" in rerun.stdout
    assert "done earlier" in rerun.stdout
    assert _final_state(tmp_path / "a" / "lake") == _final_state(tmp_path / "b" / "lake"), step
    assert _final_state(tmp_path / "a" / "lake"), "the run should have promoted something"
    # and a third run finds everything done and changes nothing
    again = _cli_weekly(resumed)
    assert again.returncode == 0
    assert again.stdout.count("done earlier") == len(STEPS)
    assert "eastside_tenant_law" in again.stdout and "promoted" in again.stdout
    lake_b = LocalLake(tmp_path / "b" / "lake")
    for name in STEPS:
        assert lake_b.exists(step_key(WEEK, name))
    assert lake_b.exists(f"reports/{WEEK}/index.html")


@pytest.mark.slow
def test_weekly_refuses_a_run_while_another_holds_the_week(raw_lake, tmp_path):
    dbt = _fresh(raw_lake, tmp_path)
    lake = LocalLake(tmp_path / "lake")
    lease = WeekLock(lake, WEEK).acquire()  # a live run (this process) holds the week
    refused = _cli_weekly(dbt)
    assert refused.returncode == ExitCode.INFRASTRUCTURE
    assert "refused" in refused.stderr and "is being run by" in refused.stderr
    assert not lake.exists(step_key(WEEK, "dbt_build")), "the refused run must not start"
    WeekLock(lake, WEEK).release(lease)


@pytest.mark.slow
def test_weekly_stops_with_exit_4_when_dbt_fails_and_resumes_there(raw_lake, tmp_path):
    dbt = _fresh(raw_lake, tmp_path)
    lake = LocalLake(tmp_path / "lake")
    # dbt reads raw tables from a lake root that does not exist
    broken = DbtProject(lake="/nonexistent", warehouse=dbt.warehouse, target_path=dbt.target_path)
    failed = run_weekly(WeeklyConfig(WEEK, lake, broken, ingest=None))
    assert failed.exit_code is ExitCode.INFRASTRUCTURE
    assert failed.steps[-1].name == "dbt_build" and failed.steps[-1].status == "failed"
    assert "FAILED" in failed.outcome and "re-run" in failed.outcome
    assert lake.exists(f"reports/{WEEK}/index.html")
    assert not lake.exists(step_key(WEEK, "dbt_build"))
