"""Reparse: outputs of an older salt rebuilt from the archived pages, no portal contacted.

The landing is made once per module by the streams' own `run()` against the simulator:
the jail roster over plain HTTP, the court through `OdysseyPortal` itself — one portal in
session mode (it archives the results JSON) and one in browser mode (it archives the
rendered grid). The simulator is stopped before any reparse runs.
"""

from __future__ import annotations

import gzip
import shutil
import socket
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from courtlake.lake import LocalLake
from ingest import tasks
from ingest.browser import open_browser
from ingest.counties import load_county
from ingest.jail_roster import JailRoster
from ingest.odyssey import OdysseyPortal, PortalCredentials
from ingest.pages import PageArchive
from ingest.politeness import RateLimiter, RetryPolicy
from ingest.portal import Mode, PortalContext
from ingest.reparse import reparse
from ingest.streams import (
    BookingStream,
    CaseDetailStream,
    FilingsStream,
    PersonHistoryStream,
    RosterStream,
    StreamSettings,
)
from ingest.tasks import ALL_STREAMS, Landing, TaskId, TaskOutput
from simulator.faults import FaultConfig
from simulator.server import RunningSimulator, build_state, running

AS_OF = date(2026, 11, 23)
NEW = "50"  # the bumped salt: newer than every stream's current salt
Expected = dict[tuple[str, str], TaskOutput]


GONE = "NO-SUCH-BOOKING"


class WithAGoneRow(BookingStream):
    """The booking stream, with one more roster row whose record the portal no longer has."""

    def rows(self) -> dict[str, dict]:
        row = {
            "name": "NOBODY, GONE",
            "sys_id": "999999999999",
            "img_sys_id": "0",
            "booking_number": GONE,
            "permanent_id": None,
            "dob": None,
            "release_date": None,
            "attributes": {},
        }
        return {**super().rows(), GONE: row}


def no_browser() -> AbstractContextManager[WebDriver]:
    raise AssertionError("the jail roster is read over HTTP only")


@dataclass
class Portals:
    court: OdysseyPortal
    jail: JailRoster


@dataclass(frozen=True)
class Scraped:
    lake_root: Path
    outputs: Expected  # (stream, task key) → the output the stream landed
    grid_filings_key: str  # the filings task whose pages are rendered grids


def scrape(sim: RunningSimulator, root: Path) -> Scraped:
    """A few tasks of every stream, landed at the current salts by the streams' run()."""
    lake = LocalLake(root)
    landing, archive = Landing(lake), PageArchive(lake)
    limiter = RateLimiter(start_rps=1000.0, max_rps=1000.0)

    def context(mode: Mode, browser: Callable[[], AbstractContextManager[WebDriver]]):
        return PortalContext(
            mode=mode,
            open_driver=browser,
            archive=archive,
            limiter=limiter,
            as_of=AS_OF,
            retry=RetryPolicy(attempts=1),
        )

    creds = PortalCredentials(sim.state.credentials.user, sim.state.credentials.password)
    jail = JailRoster(sim.jail_url, context("session", no_browser), profile=load_county().jail)
    court = OdysseyPortal(sim.court_url, context("session", open_browser), credentials=creds)
    grid_court = OdysseyPortal(sim.court_url, context("browser", open_browser), credentials=creds)
    portals, grid_portals = Portals(court, jail), Portals(grid_court, jail)
    with jail, court, grid_court:
        outputs: Expected = {}

        def run(stream: Any, task: TaskId, using: Portals = portals) -> TaskOutput:
            output = stream.run(task, using)
            assert landing.write(output)
            landed = landing.read(task)  # as JSON keeps it (tuples become lists)
            assert landed is not None
            outputs[(task.stream, task.key)] = landed
            return landed

        settings = StreamSettings(as_of=AS_OF, filings_days=21)
        roster = RosterStream(settings, landing)
        run(roster, roster.tasks()[0])
        bookings = BookingStream(settings, landing, roster)
        for task in bookings.tasks()[:3]:
            run(bookings, task)
        run(WithAGoneRow(settings, landing, roster), TaskId.of("booking", GONE, AS_OF))
        people = PersonHistoryStream(settings, landing, bookings)
        for task in people.tasks()[:3]:
            run(people, task)
        # Filings in every court as browser mode archives them (rendered grids, the window
        # split over several searches), then one court as session mode does (JSON).
        filings = FilingsStream(settings, landing)
        grid_task = filings.tasks()[0]
        found = run(filings, grid_task, grid_portals).records["rows"]
        court_name = found[0]["location"]
        by_court = FilingsStream(replace(settings, courts=(court_name,)), landing)
        run(by_court, by_court.tasks()[0])
        cases = CaseDetailStream(settings, landing, filings, people, history=[])
        refs = [f"{row['location']}|{row['case_number']}" for row in found[:4]]
        refs += [
            f"{c['court']}|{c['case_number']}"
            for o in outputs.values()
            for c in o.records.get("candidates", ())
        ][:2]
        for ref in [*refs, f"{court_name}|NO-SUCH-CASE"]:
            run(cases, TaskId.of("case_detail", ref, AS_OF))
    return Scraped(root, outputs, grid_task.key)


@pytest.fixture(scope="module")
def scraped(tmp_path_factory: pytest.TempPathFactory) -> Scraped:
    # A small result cap makes the filings stream split its window: several pages.
    state = build_state(7, AS_OF, scale=0.3, faults=FaultConfig(result_cap=4))
    with running(state) as sim:
        return scrape(sim, tmp_path_factory.mktemp("scraped") / "lake")


@pytest.fixture
def lake(scraped: Scraped, tmp_path: Path) -> LocalLake:
    """A copy of the scraped lake, for one test to change."""
    return LocalLake(shutil.copytree(scraped.lake_root, tmp_path / "lake"))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"reparse tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def bump_salts(monkeypatch: pytest.MonkeyPatch, salt: str = NEW) -> None:
    for stream in ALL_STREAMS:
        monkeypatch.setitem(tasks.SALTS, stream, salt)


def rewrite(
    lake: LocalLake, output: TaskOutput, change: Callable[[TaskOutput], TaskOutput]
) -> None:
    """Replace a landed output (tests only: landing is create-only in the product)."""
    lake.put(output.task.landing_key, change(output).encode())


# --- tests ---------------------------------------------------------------------------------


def test_reparse_rebuilds_what_the_streams_produced_from_the_pages_alone(
    scraped: Scraped, lake: LocalLake, no_network: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN outputs of every stream at salt 1 whose records an older parser got wrong
    (simulated: replaced by junk), and the portal stopped
    WHEN the salts are bumped and the date reparsed
    THEN every output exists at salt 2, equal to what the stream produced from those pages
    (records, pages, outcome, finish time), not_found outputs carried over, no connection."""
    for output in scraped.outputs.values():
        if output.outcome == "ok":
            rewrite(lake, output, lambda o: replace(o, records={"stale": True}))
    bump_salts(monkeypatch)

    result = reparse(lake, AS_OF)

    assert result.failures == []
    landing = Landing(lake)
    for (stream, key), produced in scraped.outputs.items():
        task = TaskId.of(stream, key, AS_OF)
        assert task.salt == NEW
        assert landing.read(task) == replace(produced, task=task), (stream, key)
    outcomes = [o.outcome for o in scraped.outputs.values()]
    assert sum(result.rebuilt.values()) == outcomes.count("ok")
    assert sum(result.carried_over.values()) == outcomes.count("not_found") == 2
    assert result.summary().startswith(
        f"reparsed {AS_OF}: {outcomes.count('ok')} rebuilt, 2 carried over as not_found, "
        "0 skipped (already at the current salt), 0 failed"
    )
    # Both kinds of archived results pages were replayed.
    archive = PageArchive(lake)
    grid = scraped.outputs[("filings", scraped.grid_filings_key)]
    json_filings = [o for (s, k), o in scraped.outputs.items() if s == "filings" and o is not grid]
    # browser mode: the rendered grid, then the JSON it was filled from (for the cap)
    assert archive.get("court", AS_OF, grid.pages[0]).startswith("<html")
    assert archive.get("court", AS_OF, grid.pages[1]).startswith("{")
    assert archive.get("court", AS_OF, json_filings[0].pages[0]).startswith("{")
    assert len(grid.pages) > 1 and len(scraped.outputs[("roster", "all")].pages) > 1


def test_a_second_reparse_skips_every_task(
    scraped: Scraped, lake: LocalLake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a reparsed date WHEN reparsed again THEN every task is skipped without reading
    a page (the archive is gone here) and the new outputs are left exactly as they were."""
    bump_salts(monkeypatch)
    reparse(lake, AS_OF)
    before = {key: lake.get(key) for key in lake.list("landing/")}
    lake.delete_prefix("pages/")

    again = reparse(lake, AS_OF)

    assert again.failures == []
    assert sum(again.skipped.values()) == len(scraped.outputs)
    assert sum(again.rebuilt.values()) == sum(again.carried_over.values()) == 0
    assert {key: lake.get(key) for key in lake.list("landing/")} == before


def test_the_newest_older_salt_is_the_one_reparsed(
    scraped: Scraped, lake: LocalLake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a task landed under salts 9 and 10 (numbers: 10 is newer) WHEN the current salt
    is 11 and the date is reparsed THEN the output is rebuilt from the salt-10 output."""
    missing = scraped.outputs[("booking", GONE)]
    for salt in ("9", "10"):
        task = replace(missing.task, salt=salt)
        landed = replace(missing, task=task, records={**missing.records, "from": salt})
        assert Landing(lake).write(landed)
    lake.delete(missing.task.landing_key)
    monkeypatch.setitem(tasks.SALTS, "booking", "11")

    result = reparse(lake, AS_OF)

    rebuilt = Landing(lake).read(TaskId.of("booking", GONE, AS_OF))
    assert rebuilt is not None and rebuilt.task.salt == "11"
    assert rebuilt.records["from"] == "10"
    # The other bookings exist only under salt 1: rebuilt from there.
    assert result.rebuilt["booking"] == 3 and result.carried_over["booking"] == 1


def test_a_page_that_no_longer_parses_fails_only_its_task(
    scraped: Scraped, lake: LocalLake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN four outputs whose replay breaks: a detail page that no longer parses, a page
    missing from the archive, a found case listing fewer pages than the stream reads, and a
    booking listing more pages than the stream reads
    WHEN reparsed THEN those four fail with their reasons, no output is written for them,
    and every other task is rebuilt or carried over."""
    found = [o for (s, _), o in scraped.outputs.items() if s == "case_detail" and o.outcome == "ok"]
    broken, missing, short = found[:3]
    lake.put(
        PageArchive.key("court", AS_OF, broken.pages[-1]),
        gzip.compress(b"<html><body><h2>Maintenance</h2></body></html>", mtime=0),
    )
    lake.delete(PageArchive.key("court", AS_OF, missing.pages[-1]))
    rewrite(lake, short, lambda o: replace(o, pages=o.pages[:1]))
    long = next(o for (s, _), o in scraped.outputs.items() if s == "booking" and o.pages)
    rewrite(lake, long, lambda o: replace(o, pages=o.pages * 2))
    bump_salts(monkeypatch)

    result = reparse(lake, AS_OF)

    reasons = {f.task_key: f.reason for f in result.failures}
    assert set(reasons) == {o.task.key for o in (broken, missing, short, long)}
    assert reasons[broken.task.key].startswith("PageStructureError: ")
    assert broken.pages[-1] in reasons[broken.task.key]
    assert reasons[missing.task.key].startswith("ObjectNotFoundError")
    assert reasons[short.task.key] == (
        "ReplayError: the stream reads a case detail page, but the output lists 1 pages"
    )
    assert reasons[long.task.key] == (
        "ReplayError: the stream read 1 of the 2 pages the output lists"
    )
    for output in (broken, missing, short, long):
        assert not Landing(lake).done(TaskId.of(output.task.stream, output.task.key, AS_OF))
    done = sum(result.rebuilt.values()) + sum(result.carried_over.values())
    assert done + 4 == len(scraped.outputs)
    assert "4 failed: booking" in result.summary()


def test_no_older_salt_means_nothing_to_do(lake: LocalLake) -> None:
    """GIVEN a landing only at the current salts WHEN reparsed THEN nothing is written."""
    before = lake.list("landing/")

    result = reparse(lake, AS_OF)

    assert lake.list("landing/") == before
    assert result.summary() == (
        f"reparsed {AS_OF}: 0 rebuilt, 0 carried over as not_found, "
        "0 skipped (already at the current salt), 0 failed"
    )
