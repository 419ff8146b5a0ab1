"""Ingest under every county profile: the simulator serves the county's markup (grid
columns, sections, masked dates of birth, base path), the scraper reads it with the same
profile, and what lands equals the truth export, in session mode and in browser mode.

The default county (`bluff_tn`) is covered at length by `test_ingest_simulator.py`; here
each other profile gets one clean session-mode run and one browser-mode run (roster, person
pages, filings, their cases), on a small world.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from courtlake.lake import LocalLake
from ingest.counties import CountyProfile, available_counties, load_county
from ingest.odyssey import PortalCredentials
from ingest.politeness import RetryPolicy
from ingest.runner import IngestConfig, RunReport, run_ingest
from ingest.streams import StreamSettings
from ingest.tasks import ALL_STREAMS, Landing
from simulator.server import RunningSimulator, build_state, running
from simulator.truth import truth_on
from tests.ingest.simulated_truth import assert_landed_equals_truth, without_page_refs

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SEED, SCALE = 11, 0.05
AS_OF = date(2026, 11, 23)
FILINGS_DAYS = 14
CREDENTIALS = PortalCredentials("analyst", "courtlake-sim")
# Portal counties; PublicAccess ones: tests/ingest/test_publicaccess_simulator.py
OTHER_COUNTIES = [
    name
    for name in available_counties()
    if name != "bluff_tn" and load_county(name).court.generation == "portal"
]


@dataclass(frozen=True)
class CountyRun:
    county: CountyProfile
    sim: RunningSimulator
    root: Path
    report: RunReport


def config(run_county: CountyProfile, sim: RunningSimulator, **overrides: object) -> IngestConfig:
    values: dict[str, object] = {
        "as_of": AS_OF,
        "court_url": sim.base_url + run_county.court.base_path,
        "jail_url": sim.jail_url,
        "mode": "session",
        "workers": 2,
        "credentials": CREDENTIALS,
        "county": run_county,
        "retry": RetryPolicy(attempts=6, initial_s=0.05, max_wait_s=0.5),
        "start_rps": 50.0,
        "max_rps": 200.0,
        "progress": False,
        "stream_settings": StreamSettings(as_of=AS_OF, filings_days=FILINGS_DAYS),
    }
    values.update(overrides)
    return IngestConfig(**values)  # type: ignore[arg-type]


def landed(root: Path) -> dict[str, dict[str, tuple[str, dict]]]:
    landing = Landing(LocalLake(root))
    return {
        stream: {o.task.key: (o.outcome, o.records) for o in landing.outputs(stream, AS_OF)}
        for stream in ALL_STREAMS
    }


@pytest.fixture(scope="module", params=OTHER_COUNTIES)
def county_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CountyRun]:
    county = load_county(request.param)
    with running(build_state(SEED, AS_OF, scale=SCALE, county=county.name)) as sim:
        root = tmp_path_factory.mktemp(f"lake-{county.name}")
        report = run_ingest(config(county, sim), LocalLake(root))
        yield CountyRun(county, sim, root, report)


def test_session_mode_under_the_county_profile_lands_what_the_truth_says(
    county_run: CountyRun,
) -> None:
    assert not county_run.report.degraded and county_run.report.failure_rate == 0
    truth = truth_on(county_run.sim.state.world, AS_OF)
    assert_landed_equals_truth(
        landed(county_run.root), truth, AS_OF, county_run.county, FILINGS_DAYS
    )


def test_browser_mode_under_the_county_profile_lands_the_session_records(
    county_run: CountyRun, tmp_path: Path
) -> None:
    # The person-history searches are the filings' and case lookups' searches again (same
    # form, same grid, per location where the grid shows none), so the browser run leaves
    # them out: its case visits are the discovered filings'.
    streams = ("roster", "booking", "filings", "case_detail")
    report = run_ingest(
        config(county_run.county, county_run.sim, mode="browser", streams=streams),
        LocalLake(tmp_path),
    )
    assert report.failure_rate == 0
    browser, session = landed(tmp_path), landed(county_run.root)
    for stream in ("roster", "booking", "filings"):
        assert without_page_refs(browser[stream]) == without_page_refs(session[stream]), stream
    ((_, filings),) = browser["filings"].values()
    filed = {f"{r['location']}|{r['case_number']}" for r in filings["rows"]}
    visited = without_page_refs(browser["case_detail"])
    assert set(visited) == filed and filed
    in_session = without_page_refs(session["case_detail"])
    assert all(in_session[key] == value for key, value in visited.items())
