"""A county on the older Odyssey PublicAccess generation (`travis_tx`), end to end: the
simulator serves the world's court in PublicAccess markup, the real-page parsers read
every page of it, and an ingest run (session mode, browser mode) lands what the truth
export says, as a PublicAccess page prints it.

What such a page prints differs from the Portal's case page in three ways, which the
expected records follow (`printed_truth`): no bond section (the real pages have none);
a disposition's "Awarded To" party read as that party's role; a criminal disposition that
names charges ("1. THEFT" and its outcome) read as a judgment of its own besides the
charges' outcomes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest

import ingest.publicaccess
from courtlake.lake import LocalLake
from ingest.counties import CountyProfile, load_county
from ingest.parsers.publicaccess import (
    parse_case_detail,
    parse_main_menu,
    parse_search_form,
    parse_search_results,
)
from ingest.runner import RunReport, run_ingest
from simulator.server import RunningSimulator, build_state, running
from simulator.truth import truth_on
from tests.ingest.simulated_truth import (
    assert_landed_equals_truth,
    parsed_case_view,
    truth_case_view,
    without_page_refs,
)
from tests.ingest.test_counties_simulator import AS_OF, FILINGS_DAYS, SCALE, SEED, config, landed

pytestmark = [pytest.mark.slow, pytest.mark.browser]

COUNTY = "travis_tx"


@pytest.fixture(scope="module")
def county() -> CountyProfile:
    return load_county(COUNTY)


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    with running(build_state(SEED, AS_OF, scale=SCALE, county=COUNTY)) as server:
        yield server


@pytest.fixture(scope="module")
def truth(sim: RunningSimulator) -> dict:
    return printed_truth(truth_on(sim.state.world, AS_OF))


def printed_truth(truth: dict) -> dict:
    """The truth export as a PublicAccess case page prints it (see the module docstring)."""
    printed = copy.deepcopy(truth)
    for case in printed["cases"]:
        roles = {p["name"]: p["role"] for p in case["parties"]}
        case["bonds"] = []
        for judgment in case["judgments"]:
            judgment["judgment_for"] = roles.get(judgment["judgment_for"], judgment["judgment_for"])
        disposed = sorted({c["disposition_date"] for c in case["charges"] if c["disposition"]})
        case["judgments"] += [
            {
                "judgment_date": day,
                "judgment_type": "Disposition",
                "judgment_for": None,
                "amount": None,
            }
            for day in disposed
        ]
    return printed


@pytest.fixture(scope="module")
def session_run(
    sim: RunningSimulator, county: CountyProfile, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, RunReport]:
    root = tmp_path_factory.mktemp("lake-publicaccess")
    return root, run_ingest(config(county, sim), LocalLake(root))


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" id="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def open_form(client: httpx.Client, search_id: int) -> tuple[str, dict[str, str]]:
    """The menu, then the form of `Search.aspx?ID=<search_id>` for every court: (its HTML,
    the hidden fields it must be posted back with)."""
    menu = parse_main_menu(client.get("default.aspx").text)
    value, name = menu.locations[0]
    html = client.post(f"Search.aspx?ID={search_id}", data={"NodeID": value, "NodeDesc": name})
    assert html.status_code == 200
    state = {k: hidden(html.text, k) for k in ("__VIEWSTATE", "__EVENTVALIDATION")}
    return html.text, state | {"NodeID": value, "NodeDesc": name}


# -- the pages ----------------------------------------------------------------------------


def test_the_simulated_pages_read_with_the_real_page_parsers(
    sim: RunningSimulator, county: CountyProfile, truth: dict
) -> None:
    # GIVEN the PublicAccess county's main menu and its civil search form
    client = httpx.Client(base_url=sim.court_url, timeout=30)
    menu = parse_main_menu(client.get("default.aspx").text)
    assert county.court.publicaccess is not None
    assert [s.text for s in menu.searches] == list(county.court.publicaccess.case_searches)
    assert menu.locations[0][1] == "All Courts" and all(s.posts_location for s in menu.searches)
    html, state = open_form(client, 200)
    form = parse_search_form(html)
    assert form.has_viewstate and form.has_event_validation
    assert {"__VIEWSTATE", "__EVENTVALIDATION", "NodeID"} <= set(form.hidden_fields)
    assert [text for _, text in form.search_by] == ["Case", "Party or Defendant Name", "Date Filed"]

    # WHEN evictions filed in the window are searched by date filed
    posted = client.post(
        "Search.aspx?ID=200",
        data=state
        | {
            "SearchBy": "6",
            "DateFiledOnAfter": "11/09/2026",
            "DateFiledOnBefore": "11/23/2026",
            "CaseTypes": "Eviction",
        },
    )
    page = parse_search_results(posted.text)

    # THEN the rows are the truth's filings, with their locations and types
    expected = {
        (c["court_name"], c["case_number"])
        for c in truth["cases"]
        if c["case_type"] == "Eviction" and "2026-11-09" <= c["filed_date"] <= "2026-11-23"
    }
    assert {(r.location, r.case_number) for r in page.rows} == expected and expected
    assert {r.case_type for r in page.rows} == {"Eviction"} and not page.max_results_hit

    # AND every section the profile lists reads like the truth on some case page
    people = {p["person_key"]: p for p in truth["people"]}
    shown: set[str] = set()
    for case in truth["cases"]:
        detail = parse_case_detail(
            client.get(f"CaseDetail.aspx?CaseID={case['portal_case_id']}").text
        )
        assert parsed_case_view(asdict(detail)) == truth_case_view(case, people, county.court)
        shown |= {"parties"} if detail.parties else set()
        shown |= {"events"} if detail.events or detail.hearings else set()
        shown |= {"dispositions"} if detail.judgments else set()
        shown |= {"financial"} if detail.financial else set()
        shown |= {"charges"} if detail.charges else set()
    assert shown == set(county.court.case_sections)


def test_a_postback_without_the_forms_current_state_is_refused(sim: RunningSimulator) -> None:
    client = httpx.Client(base_url=sim.court_url, timeout=30)
    _, state = open_form(client, 200)
    search = {"SearchBy": "0", "CaseSearchValue": "26-GC-000001"}
    stale = client.post("Search.aspx?ID=200", data=state | search | {"__VIEWSTATE": "/wEPDwUKold"})
    assert stale.status_code == 500 and "Validation of viewstate MAC failed" in stale.text
    forged = client.post("Search.aspx?ID=200", data=state | search | {"__EVENTVALIDATION": "x"})
    assert forged.status_code == 500 and "Invalid postback" in forged.text
    assert client.post("Search.aspx?ID=200", data=state | search).status_code == 200
    # the state is spent: posting the same page back again is refused
    assert client.post("Search.aspx?ID=200", data=state | search).status_code == 500
    assert httpx.get(f"{sim.court_url}CaseDetail.aspx?CaseID=1").status_code == 302


# -- ingest -------------------------------------------------------------------------------


def test_session_mode_lands_what_the_truth_says(
    session_run: tuple[Path, RunReport], truth: dict, county: CountyProfile
) -> None:
    root, report = session_run
    assert not report.degraded and report.failure_rate == 0
    assert_landed_equals_truth(landed(root), truth, AS_OF, county, FILINGS_DAYS)


def test_browser_mode_lands_the_session_records(
    sim: RunningSimulator,
    county: CountyProfile,
    session_run: tuple[Path, RunReport],
    tmp_path: Path,
) -> None:
    streams = ("filings", "case_detail")
    report = run_ingest(config(county, sim, mode="browser", streams=streams), LocalLake(tmp_path))
    assert report.failure_rate == 0
    browser, session = landed(tmp_path), landed(session_run[0])
    assert without_page_refs(browser["filings"]) == without_page_refs(session["filings"])
    # the browser run visits the filings' cases only (it runs no person searches)
    ((_, filings),) = browser["filings"].values()
    in_session = without_page_refs(session["case_detail"])
    keys = [f"{r['location']}|{r['case_number']}" for r in filings["rows"]]
    filed = {key: in_session[key] for key in keys}
    assert without_page_refs(browser["case_detail"]) == filed and filed


def test_a_refused_postback_is_retried_with_a_fresh_form(
    sim: RunningSimulator,
    county: CountyProfile,
    session_run: tuple[Path, RunReport],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN the first postback of the run sends a stale __VIEWSTATE
    real = ingest.publicaccess.hidden_values
    sent: list[str] = []

    def stale_once(html: str, names: tuple[str, ...]) -> dict[str, str]:
        values = real(html, names)
        if not sent:
            values["__VIEWSTATE"] = "/wEPDwUKstale"
        sent.append(values["__VIEWSTATE"])
        return values

    monkeypatch.setattr(ingest.publicaccess, "hidden_values", stale_once)
    # WHEN the filings are discovered
    report = run_ingest(config(county, sim, streams=("filings",)), LocalLake(tmp_path))
    # THEN the refused search was retried with a fresh form and lands what a clean run did
    assert report.failure_rate == 0 and report.streams["filings"].retries >= 1
    assert sent[0] == "/wEPDwUKstale" and len(set(sent)) == len(sent) > 1
    session = landed(session_run[0])
    assert without_page_refs(landed(tmp_path)["filings"]) == without_page_refs(session["filings"])
