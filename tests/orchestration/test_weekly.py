"""`courtlake weekly`: the run lock, resuming after a kill, refusing a concurrent run.

The weekly runs here use generated raw tables (no portal URLs: ingest is skipped), so
they exercise dbt build → export → validate → promote → report for real.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import httpx
import pytest

from benchmarks.raw_generator import add_week, write_raw_tables
from courtlake.crashpoints import ENV as CRASH_ENV
from courtlake.crashpoints import MARK
from courtlake.lake import LocalLake
from ingest.runner import RunReport, StreamReport
from orchestration import weekly
from orchestration.dbt import PROJECT_DIR, DbtProject
from orchestration.lock import LockHeldError, WeekLock
from orchestration.partners import partners_from_manifest
from orchestration.weekly import (
    STEPS,
    ExitCode,
    WeeklyConfig,
    held_partners,
    run_weekly,
    step_key,
)
from simulator.server import build_state, running
from tests.processes import TAG_VARIABLE, assert_nothing_survives

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


def _cli_weekly(
    dbt: DbtProject,
    *args: str,
    crash_at: str | None = None,
    tag: str = "",
    week: date = WEEK,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {**dbt.env(), TAG_VARIABLE: tag, **(env or {})}
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "weekly", "--week", str(week), *args],
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


# Where the chain of kills below stops `courtlake weekly`, in the order a run reaches them:
# before and inside every step (inside: after the step's work, before its completion
# record, and at the steps' own crash points: dbt mid-build, a half-written batch, a
# validation without its record, a partner file without its ledger entry), and before
# the conclusion that writes the report. (A run killed after a partner file repairs the
# ledger on the next run without passing that point again, so one chain reaches only one
# of promote's two points: the later one, whose repair is the harder.)
KILL_POINTS = (
    ("weekly.before_ingest", "ingest"),
    ("weekly.after_ingest", "ingest"),
    ("weekly.before_compact", "compact"),
    ("weekly.after_compact", "compact"),
    ("weekly.before_dbt_build", "dbt_build"),
    ("dbt.after_first_model", "dbt_build"),
    ("weekly.after_dbt_build", "dbt_build"),
    ("weekly.before_export", "export"),
    ("export.after_parquet", "export"),
    ("weekly.after_export", "export"),
    ("weekly.before_validate", "validate"),
    ("validate.before_record", "validate"),
    ("weekly.after_validate", "validate"),
    ("weekly.before_promote", "promote"),
    ("promote.before_ledger", "promote"),
    ("weekly.after_promote", "promote"),
    ("weekly.before_report", "report"),
)


def test_the_kill_points_cover_every_step_before_and_inside() -> None:
    for step in (*STEPS, "report"):
        points = [point for point, where in KILL_POINTS if where == step]
        assert f"weekly.before_{step}" in points, step
        if step != "report":
            assert len(points) >= 2, f"{step}: no kill inside the step"


def assert_killed_at(run: subprocess.CompletedProcess[str], point: str, tag: str) -> None:
    """The run died by SIGKILL at `point`, and nothing it started outlived it."""
    assert run.returncode == -signal.SIGKILL, (point, run.returncode, run.stderr[-2000:])
    assert MARK.format(name=point) in run.stderr, (point, run.stderr[-2000:])
    assert_nothing_survives(tag)


@pytest.mark.slow
def test_weekly_killed_before_and_inside_every_step_resumes_to_the_same_final_state(
    raw_lake, completed, tmp_path
):
    # GIVEN the lake of a run that went through without a kill, and the same lake again
    reference, resumed = completed / "lake", _fresh(raw_lake, tmp_path / "b")
    # WHEN the other is killed at every kill point in turn, each run resuming the last
    for n, (point, _step) in enumerate(KILL_POINTS):
        tag = f"{os.getpid()}-{n}"
        killed = _cli_weekly(resumed, crash_at=point, tag=tag)
        # THEN each run really died there, and took its children (dbt) with it
        assert_killed_at(killed, point, tag)
    rerun = _cli_weekly(resumed)
    # AND the last re-run takes the dead run's lock over and ends where the other did
    assert rerun.returncode == 0, (rerun.stdout[-3000:], rerun.stderr[-3000:])
    assert "took over" in rerun.stdout
    assert rerun.stdout.count("done earlier") == len(STEPS)
    assert _final_state(reference) == _final_state(tmp_path / "b" / "lake")
    assert _final_state(reference), "the run should have promoted something"
    lake_b = LocalLake(tmp_path / "b" / "lake")
    for name in STEPS:
        assert lake_b.exists(step_key(WEEK, name))
    assert lake_b.exists(f"reports/{WEEK}/index.html")


@pytest.fixture(scope="module")
def completed(raw_lake: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder (lake, warehouse, target) after one complete weekly run of WEEK."""
    root = tmp_path_factory.mktemp("completed")
    done = run_weekly(WeeklyConfig(WEEK, LocalLake(root / "lake"), _fresh(raw_lake, root), None))
    assert done.exit_code is ExitCode.OK, done.lines()
    return root


@pytest.mark.slow
def test_a_key_an_earlier_run_left_behind_fails_the_next_monday_build(completed, tmp_path):
    # GIVEN a built warehouse and the next week's scrape
    shutil.copytree(completed, tmp_path, dirs_exist_ok=True)
    dbt, lake = _project(tmp_path), LocalLake(tmp_path / "lake")
    scraped = add_week(tmp_path / "lake")
    events = tmp_path / "lake" / "raw" / "court_events" / f"scrape_date={scraped}" / "data.parquet"
    # AND an event row an earlier run left behind (what a delete pre-hook that missed a
    # row leaves): the key of an event the next build rewrites, under another case id
    with duckdb.connect(str(dbt.warehouse / "courtlake.duckdb")) as db:
        (inserted,) = db.execute(
            "insert into main_marts.fct_case_events "
            "select * replace (case_id || '-left' as case_id, 'earlier' as dbt_invocation_id) "
            "from main_marts.fct_case_events where (court, case_number) in "
            f"(select court, case_number from read_parquet('{events}')) limit 1"
        ).fetchone()
    assert inserted == 1
    # WHEN the next Monday builds, THEN its unique test sees the whole table and fails it
    failed = run_weekly(WeeklyConfig(scraped, lake, dbt, ingest=None))
    assert failed.exit_code is ExitCode.INFRASTRUCTURE and failed.failed_step == "dbt_build"
    results = json.loads((dbt.target_path / "run_results.json").read_text())["results"]
    failures = {r["unique_id"].split(".")[2] for r in results if r["status"] == "fail"}
    assert failures == {"unique_fct_case_events_case_event_id"}, failures


@pytest.mark.slow
@pytest.mark.parametrize("step", [*STEPS, "report"])
def test_a_failure_at_any_step_still_writes_the_report_saying_where(
    raw_lake, tmp_path, monkeypatch, step
):
    # GIVEN a run that fails at `step` (a step's error, or one while concluding)
    dbt = _fresh(raw_lake, tmp_path)
    lake = LocalLake(tmp_path / "lake")
    done_before = STEPS[: STEPS.index(step)] if step in STEPS else STEPS
    for name in done_before:  # what a run that got this far has recorded
        lake.put(step_key(WEEK, name), json.dumps({"seconds": 1.0, "message": "ok"}).encode())

    def fail_at(name: str) -> None:
        if name == f"weekly.before_{step}":
            raise OSError(f"the lake went away during {step}")

    monkeypatch.setattr(weekly, "crash_point", fail_at)
    result = run_weekly(WeeklyConfig(WEEK, lake, dbt, ingest=None))
    # THEN the exit code says infrastructure, and the report says which step and what to do
    assert result.exit_code is ExitCode.INFRASTRUCTURE
    assert result.failed_step == step and result.steps[-1].status == "failed"
    page = lake.get(f"reports/{WEEK}/index.html").decode()
    assert f"FAILED at {step} — OSError: the lake went away during {step}" in page
    assert "re-run the same command" in page
    assert json.loads(lake.get(f"reports/{WEEK}/weekly/run.json"))["failed_step"] == step


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


# -- a degraded ingest ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_a_jail_outage_longer_than_its_patience_still_delivers_the_court_partners(tmp_path):
    # GIVEN both portals down from the start, and back only once the court has been asked
    # (after the roster: by then the jail was down for longer than its patience, 3.6 s for
    # the roster; the court's, a minute, is not used up)
    week = date(2026, 11, 23)
    dbt = _project(tmp_path)
    with running(build_state(5, week, scale=0.05)) as sim:

        def faults(spec: str) -> None:
            response = httpx.post(f"{sim.admin_url}/faults", json={"spec": spec}, timeout=30)
            assert response.status_code == 200, response.text

        def court_asked() -> bool:
            stats = httpx.get(f"{sim.admin_url}/stats", timeout=30).json()
            return stats["requests"].get("court.outage", 0) > 0

        faults("none,outage_every_s=100000,outage_length_s=10000")
        command = [
            sys.executable,
            *("-m", "orchestration.cli", "weekly", "--week", str(week)),
            *("--court-url", sim.court_url, "--jail-url", sim.jail_url),
            *("--patience-minutes", "court=1,jail=0.02"),
        ]
        credentials = {
            "COURTLAKE_COURT_USER": "analyst",
            "COURTLAKE_COURT_PASSWORD": "courtlake-sim",
        }
        with subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env={**dbt.env(), **credentials},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            deadline = time.monotonic() + 300
            while not court_asked() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            faults("none")
            out, err = proc.communicate(timeout=600)
        run = subprocess.CompletedProcess(command, proc.returncode, out, err)
    # THEN the run is degraded (exit 3) and names the streams it could not complete ...
    out = run.stdout
    assert run.returncode == ExitCode.INGEST_DEGRADED, (out[-3000:], run.stderr[-3000:])
    assert "booking (blocked by failed roster)" in out
    assert "person_history (blocked by failed booking)" in out
    # ... and still delivers the partners whose sources (the court's cases) are complete
    assert "eastside_tenant_law:" in out and "— promoted" in out, out[-3000:]
    assert "northgate_housing:" in out and "— awaiting review" in out
    assert "HELD" not in out
    lake = LocalLake(tmp_path / "lake")
    assert lake.list(f"partners/eastside_tenant_law/{week}/")
    # AND nothing of this degraded run counts as complete: a re-run retries the jail
    assert not lake.exists(step_key(week, "ingest"))
    assert not lake.exists(step_key(week, "promote"))
    page = lake.get(f"reports/{week}/index.html").decode()
    assert "scrape: booking incomplete (blocked by failed roster)" in page


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _project(tmp_path_factory.mktemp("manifest")).manifest()


def _degraded(**unhealthy: list[str]) -> RunReport:
    report = RunReport("r", "2026-11-23", "session", 2, "1/1", "")
    for name, blocked_by in unhealthy.items():
        report.streams[name] = StreamReport(name, blocked_by=blocked_by)
        report.unhealthy[name] = f"blocked by failed {', '.join(blocked_by)}"
    report.degraded = True
    return report


def test_partners_are_held_by_the_streams_their_delivery_model_reads(manifest: dict) -> None:
    partners = list(partners_from_manifest(manifest).values())
    assert {p.name for p in partners} == {"eastside_tenant_law", "northgate_housing"}
    # cases found through people (the jail side) are not what the eviction partners read
    jail_down = _degraded(booking=["roster"], case_detail=["person_history"])
    assert held_partners(jail_down, partners, manifest) == {}
    # a failed filing window leaves their cases incomplete: both are held, and say why
    filings_down = _degraded(case_detail=["filings"])
    held = held_partners(filings_down, partners, manifest)
    assert held == {p.name: "case_detail blocked by failed filings" for p in partners}
