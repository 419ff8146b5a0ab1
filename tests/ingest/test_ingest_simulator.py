"""Ingest against the portal simulator: real Chromium, real HTTP, a real lake on disk.

The simulator's truth export says what is there; these tests check the scrapers find it
all, parse it exactly, survive faults and kills, and never land anything twice.
"""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from courtlake.lake import LocalLake, open_lake
from ingest.compact import compact
from ingest.counties import load_county
from ingest.history import read_rows
from ingest.odyssey import PortalCredentials
from ingest.politeness import RetryPolicy
from ingest.runner import IngestConfig, Patience, RunReport, holds, run_ingest
from ingest.streams import StreamSettings
from ingest.tasks import ALL_STREAMS, Landing
from simulator.server import RunningSimulator, build_state, running
from simulator.truth import truth_on
from tests.ingest.simulated_truth import assert_landed_equals_truth, without_page_refs
from tests.processes import TAG_VARIABLE, assert_nothing_survives, survivors

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SEED, SCALE = 5, 0.1
AS_OF = date(2026, 11, 23)
CREDENTIALS = PortalCredentials("analyst", "courtlake-sim")
FAST_RETRY = RetryPolicy(attempts=6, initial_s=0.05, max_wait_s=0.5)


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    with running(build_state(SEED, AS_OF, scale=SCALE)) as server:
        yield server


@pytest.fixture(scope="module")
def truth(sim: RunningSimulator) -> dict:
    return truth_on(sim.state.world, AS_OF)


def admin(sim: RunningSimulator, path: str, body: dict | None = None) -> dict:
    if body is None:
        return httpx.get(f"{sim.admin_url}/{path}", timeout=30).json()
    response = httpx.post(f"{sim.admin_url}/{path}", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(autouse=True)
def clean_faults(sim: RunningSimulator) -> Iterator[None]:
    admin(sim, "faults", {"spec": "none"})
    admin(sim, "clock", {"as_of": AS_OF.isoformat()})
    yield
    admin(sim, "faults", {"spec": "none"})


def config(sim: RunningSimulator, **overrides: object) -> IngestConfig:
    as_of = overrides.pop("as_of", AS_OF)
    settings = overrides.pop("settings", StreamSettings(as_of=as_of))
    base = IngestConfig(
        as_of=as_of,
        court_url=sim.court_url,
        jail_url=sim.jail_url,
        mode="session",
        workers=2,
        credentials=CREDENTIALS,
        retry=FAST_RETRY,
        start_rps=50.0,
        max_rps=200.0,
        progress=False,
        stream_settings=settings,
    )
    return replace(base, **overrides)


def records(lake_root: Path, as_of: date = AS_OF) -> dict[str, dict[str, tuple[str, dict]]]:
    landing = Landing(LocalLake(lake_root))
    return {
        stream: {o.task.key: (o.outcome, o.records) for o in landing.outputs(stream, as_of)}
        for stream in ALL_STREAMS
    }


@pytest.fixture(scope="module")
def clean_run(
    sim: RunningSimulator, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, RunReport]:
    root = tmp_path_factory.mktemp("clean-lake")
    report = run_ingest(config(sim), LocalLake(root))
    return root, report


# -- the clean run ------------------------------------------------------------------------


def test_a_clean_run_finds_every_discoverable_record_and_parses_it_like_the_truth(
    clean_run: tuple[Path, RunReport], truth: dict
) -> None:
    root, report = clean_run
    assert not report.degraded and report.failure_rate == 0
    assert_landed_equals_truth(records(root), truth, AS_OF, load_county())


def test_a_second_run_on_the_same_date_does_no_portal_work_and_writes_nothing(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport]
) -> None:
    root, _ = clean_run
    before_keys = sorted(str(p) for p in root.joinpath("landing").rglob("*.json.gz"))
    before_requests = admin(sim, "stats")["requests"]
    report = run_ingest(config(sim), LocalLake(root))
    assert all(s.done == 0 and s.skipped == s.planned for s in report.streams.values())
    assert admin(sim, "stats")["requests"] == before_requests
    assert sorted(str(p) for p in root.joinpath("landing").rglob("*.json.gz")) == before_keys


def test_neither_the_password_nor_the_user_name_reaches_the_lake(
    clean_run: tuple[Path, RunReport],
) -> None:
    root, _ = clean_run
    pages = list(root.joinpath("pages", "court").rglob("*.html.gz"))
    # the signed-in pages were archived, with the account redacted
    assert any(b"Sign Out" in gzip.decompress(p.read_bytes()) for p in pages)
    for secret in (CREDENTIALS.password.encode(), CREDENTIALS.user.encode()):
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if path.suffix == ".gz":
                    data = gzip.decompress(data)
                assert secret not in data, path
    assert "courtlake-sim" not in repr(CREDENTIALS)


# -- modes, faults, kills, shards --------------------------------------------------------


def test_browser_mode_lands_the_same_records_as_session_mode(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    settings = StreamSettings(as_of=AS_OF, filings_days=10)
    run_ingest(
        config(
            sim,
            mode="browser",
            streams=("roster", "booking", "filings", "case_detail"),
            settings=settings,
        ),
        LocalLake(tmp_path),
    )
    browser, session = records(tmp_path), records(clean_run[0])
    assert browser["booking"] == session["booking"]
    assert browser["roster"] == session["roster"]
    assert browser["case_detail"]
    in_session = without_page_refs(session["case_detail"])
    for key, value in without_page_refs(browser["case_detail"]).items():
        assert in_session[key] == value


def test_flaky_portals_converge_to_the_clean_records(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    admin(
        sim,
        "faults",
        {
            "spec": "flaky,latency_median_ms=5,error_rate=0.08,soft_error_rate=0.04,"
            "soft_empty_rate=0.04"
        },
    )
    report = run_ingest(config(sim), LocalLake(tmp_path))
    assert sum(s.retries for s in report.streams.values()) > 0, "the faults were not exercised"
    assert records(tmp_path) == records(clean_run[0])


def test_sessions_that_expire_mid_run_are_renewed(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    # GIVEN a portal that drops every session twice while person searches are under way
    admin(sim, "faults", {"spec": "none,latency_median_ms=20,latency_sigma=0.1"})
    start = admin(sim, "stats")["requests"].get("court.requests", 0)
    expired: list[int] = []

    def expire_twice() -> None:
        deadline = time.monotonic() + 120
        for after in (12, 30):
            while time.monotonic() < deadline:
                if admin(sim, "stats")["requests"].get("court.requests", 0) - start >= after:
                    expired.append(admin(sim, "sessions/expire", {})["expired"])
                    break
                time.sleep(0.02)

    expirer = threading.Thread(target=expire_twice)
    expirer.start()
    # WHEN the run goes on
    report = run_ingest(
        config(sim, streams=("roster", "filings", "person_history")), LocalLake(tmp_path)
    )
    expirer.join()
    # THEN the sessions were renewed and nothing was lost (criminal cases need the login)
    assert len(expired) == 2 and all(expired)
    assert report.failure_rate == 0
    assert report.streams["person_history"].retries > 0
    landed, clean = records(tmp_path), records(clean_run[0])
    assert landed["person_history"] == clean["person_history"]


def test_a_capped_result_is_split_until_every_filing_is_found(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    admin(sim, "faults", {"spec": "none,result_cap=3"})
    run_ingest(config(sim, streams=("filings",)), LocalLake(tmp_path))
    ((_, capped),) = records(tmp_path)["filings"].values()
    ((_, clean),) = records(clean_run[0])["filings"].values()
    assert capped["searches"] > 1
    assert capped["rows"] == clean["rows"]


def test_captcha_stops_an_anonymous_court_session_cleanly_and_says_so(
    sim: RunningSimulator, tmp_path: Path
) -> None:
    # GIVEN the CAPTCHA switched on (for anonymous users only, as Settings say)
    admin(sim, "faults", {"spec": "none,captcha=true"})
    started = time.monotonic()
    # WHEN a run without an account searches the court portal
    report = run_ingest(config(sim, credentials=None), LocalLake(tmp_path / "anonymous"))
    # THEN the court portal stops at once with a message; the jail side goes on
    assert time.monotonic() - started < 120
    assert any("CAPTCHA" in m for m in report.messages)
    assert report.streams["filings"].stopped == 1 and report.streams["filings"].failed == 0
    assert report.streams["booking"].done == report.streams["booking"].planned
    assert report.degraded
    # AND a signed-in session is not asked for it: its searches go through
    signed_in = run_ingest(config(sim, streams=("filings",)), LocalLake(tmp_path / "account"))
    assert not signed_in.messages and signed_in.streams["filings"].done == 1


def test_a_30_second_outage_at_the_start_is_waited_out_in_the_same_run(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    # GIVEN both portals answer 503 for the first 30 s of the run
    admin(sim, "faults", {"spec": "none,outage_every_s=100000,outage_length_s=30"})
    started = time.monotonic()
    report = run_ingest(config(sim), LocalLake(tmp_path))
    # THEN the roster waited the outage out and everything planned from it ran
    assert time.monotonic() - started > 30
    assert report.portals["jail"]["longest_outage_s"] >= 20, report.portals
    assert report.portals["jail"]["circuit_openings"] >= 1
    assert not report.degraded and report.failure_rate == 0, report.messages
    for stream in report.streams.values():
        assert stream.done == stream.planned > 0 and not stream.blocked_by, stream
    assert records(tmp_path) == records(clean_run[0])


def test_an_outage_longer_than_the_patience_blocks_the_fan_out_and_says_so(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    # GIVEN a lake whose last run planned every stream, and both portals down until the
    # court is first asked (after the roster: by then the jail was down for longer than its
    # patience, 1 s, 3 s for the roster; the court's is not used up)
    shutil.copytree(clean_run[0] / "reports", tmp_path / "reports")
    admin(sim, "faults", {"spec": "none,outage_every_s=100000,outage_length_s=10000"})
    lifted = threading.Event()

    def lift_when_the_court_is_asked() -> None:
        while not lifted.is_set():
            if admin(sim, "stats")["requests"].get("court.outage", 0) > 0:
                admin(sim, "faults", {"spec": "none"})
                lifted.set()
            time.sleep(0.1)

    watcher = threading.Thread(target=lift_when_the_court_is_asked, daemon=True)
    watcher.start()
    patience = Patience(court_s=30.0, jail_s=1.0)
    report = run_ingest(config(sim, patience=patience), LocalLake(tmp_path))
    assert lifted.is_set()
    streams, clean = report.streams, clean_run[1].streams
    # THEN the roster failed, and what is planned from it is blocked, not silently empty
    (failure,) = streams["roster"].failures
    assert failure["error"].startswith(
        ("PortalDown: jail portal unavailable", "PortalHTTPError: HTTP 503")
    )
    assert streams["booking"].blocked_by == ["roster"] and streams["booking"].planned == 0
    assert streams["booking"].unplanned_estimate == clean["booking"].planned > 0
    earlier_runs = {path.stem for path in (clean_run[0] / "reports").rglob("*.json")}
    assert streams["booking"].estimated_from in earlier_runs
    assert streams["person_history"].blocked_by == ["booking"]
    assert streams["case_detail"].blocked_by == ["person_history"]
    assert any(m.startswith("booking: BLOCKED by failed roster") for m in report.messages)
    # AND the run is degraded: the blocked tasks count as failed
    assert report.degraded
    unplanned = clean["booking"].planned + clean["person_history"].planned
    assert report.failure_rate >= unplanned / (unplanned + clean["filings"].planned + 1) * 0.9
    assert set(report.unhealthy) == {"roster", "booking", "person_history", "case_detail"}
    # AND the court side waited its outage out: filings and their cases are complete, so a
    # reader of the case tables alone is not held by the jail; a reader of criminal
    # histories (person_case_candidates) is
    assert streams["filings"].done == streams["filings"].planned and not streams["filings"].failed
    assert holds(report, {"case_detail"}) == {}
    assert set(holds(report, {"case_detail", "person_history"})) == {
        "case_detail",
        "person_history",
    }


def test_a_page_that_fails_its_structural_check_is_kept_for_diagnosis(
    sim: RunningSimulator, tmp_path: Path
) -> None:
    admin(sim, "faults", {"spec": "none,soft_error_rate=1"})
    report = run_ingest(
        config(
            sim, streams=("roster",), retry=RetryPolicy(attempts=2, initial_s=0.01, max_wait_s=0.02)
        ),
        LocalLake(tmp_path),
    )
    (failure,) = report.streams["roster"].failures
    assert "PageStructureError" in failure["error"]
    archived = list(tmp_path.joinpath("pages", "jail").rglob(f"{failure['page']}.html.gz"))
    assert archived and b"unexpected error" in gzip.decompress(archived[0].read_bytes())


def test_shards_partition_the_fan_out_with_no_overlap_and_no_gap(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    lake = LocalLake(tmp_path)
    clean = records(clean_run[0])
    for phase in (("roster", "booking", "filings", "person_history"), ("case_detail",)):
        first = run_ingest(config(sim, streams=phase, shard_index=0, shard_count=2), lake)
        after_first = records(tmp_path)
        second = run_ingest(config(sim, streams=phase, shard_index=1, shard_count=2), lake)
        for stream in set(phase) - {"roster", "filings"}:
            mine = len(after_first[stream])
            # shard 1 of 2 did part of the work, not all of it and not none of it
            assert 0 < mine < len(clean[stream]), stream
            assert first.streams[stream].done == mine
            # shard 2 of 2 found nothing of shard 1's already done (no overlap) ...
            assert second.streams[stream].skipped == 0, stream
            assert second.streams[stream].done == len(clean[stream]) - mine
    landed = records(tmp_path)
    for stream in ("booking", "person_history", "case_detail"):
        assert landed[stream] == clean[stream], stream  # ... and together no gap


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_sigkill_mid_run_then_rerun_converges_to_the_clean_records(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], tmp_path: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "ingest",
        "--as-of",
        AS_OF.isoformat(),
        "--lake",
        str(tmp_path),
        "--court-url",
        sim.court_url,
        "--jail-url",
        sim.jail_url,
        "--no-compact",
    ]
    tag = f"ingest-kill-{os.getpid()}"
    env = {
        **os.environ,
        "COURTLAKE_COURT_USER": CREDENTIALS.user,
        "COURTLAKE_COURT_PASSWORD": CREDENTIALS.password,
        TAG_VARIABLE: tag,
    }
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    person_dir = tmp_path / "landing" / "person_history"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if person_dir.exists() and len(list(person_dir.rglob("*.json.gz"))) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    assert survivors(tag), "the run had started no browser to leave behind"
    proc.send_signal(signal.SIGKILL)
    # the run died by the signal, mid-run, and its browsers died with it
    assert proc.wait() == -signal.SIGKILL
    assert_nothing_survives(tag)
    partial = records(tmp_path)
    assert 0 < len(partial["person_history"]) < len(records(clean_run[0])["person_history"])
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert records(tmp_path) == records(clean_run[0])


def test_a_remote_webdriver_drives_the_browser_path(sim: RunningSimulator, tmp_path: Path) -> None:
    port = free_port()
    driver = subprocess.Popen(
        ["/usr/bin/chromedriver", f"--port={port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/status", timeout=1).json()["value"]["ready"]:
                    break
            except (httpx.TransportError, ValueError):
                time.sleep(0.1)
        report = run_ingest(
            config(
                sim,
                mode="browser",
                streams=("roster", "filings"),
                remote_url=f"http://127.0.0.1:{port}",
            ),
            LocalLake(tmp_path),
        )
    finally:
        driver.terminate()
        driver.wait(timeout=10)
    assert report.streams["roster"].done == 1 and report.streams["filings"].done == 1


# -- removals over several weeks ---------------------------------------------------------


def test_a_case_missing_on_two_consecutive_visits_is_tombstoned(
    sim: RunningSimulator, tmp_path: Path
) -> None:
    world = sim.state.world
    case = next(
        c
        for c in sorted(world.cases, key=lambda c: c.case_number)
        if c.kind == "eviction" and c.removed_on and (c.removed_on - c.posted_on).days >= 8
    )
    first = case.removed_on - timedelta(days=7)  # found: filed within the discovery window
    settings = lambda day: StreamSettings(as_of=day, filings_days=(day - case.filed_date).days + 1)  # noqa: E731
    lake = LocalLake(tmp_path)
    court_name = next(c.name for c in world.courts if c.code == case.court)
    for week, day in enumerate((first, first + timedelta(days=7), first + timedelta(days=14))):
        admin(sim, "clock", {"as_of": day.isoformat()})
        streams = ("filings", "case_detail") if week == 0 else ("case_detail",)
        run_ingest(config(sim, as_of=day, streams=streams, settings=settings(day)), lake)
        compact(lake, day)
    removals = read_rows(lake, "court_removals")
    mine = [r for r in removals if (r["court"], r["case_number"]) == (court_name, case.case_number)]
    assert [r["scrape_date"] for r in mine] == [first + timedelta(days=14)]
    visits = [
        (r["scrape_date"], r["outcome"])
        for r in read_rows(lake, "court_case_visits")
        if r["case_number"] == case.case_number
    ]
    assert sorted(visits) == [
        (first, "found"),
        (first + timedelta(days=7), "not_found"),
        (first + timedelta(days=14), "not_found"),
    ]


def test_an_s3_lake_gets_the_same_records_and_the_same_skips(
    sim: RunningSimulator, clean_run: tuple[Path, RunReport], s3_bucket: str
) -> None:
    # GIVEN a lake on S3 (a moto server over HTTP)
    lake = open_lake(f"s3://{s3_bucket}/team/lake")
    streams = ("roster", "booking", "filings")
    # WHEN the jail and filings streams run twice
    first = run_ingest(config(sim, streams=streams), lake)
    second = run_ingest(config(sim, streams=streams), lake)
    # THEN the records equal the local clean run's, and the second run only skips
    landing, clean = Landing(lake), records(clean_run[0])
    for stream in streams:
        landed = {o.task.key: (o.outcome, o.records) for o in landing.outputs(stream, AS_OF)}
        assert landed == clean[stream], stream
        assert first.streams[stream].done == len(landed)
        assert second.streams[stream].done == 0
        assert second.streams[stream].skipped == len(landed)
    assert lake.list(f"reports/{AS_OF}/ingest/")
