"""The court portal under every county profile (`counties/*.toml`): paths, dashboards,
grid columns, case page sections, masked dates of birth; the jail roster's columns and
person page sections under each; and the profile loader."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from simulator.counties import COUNTIES_DIR, CountyError, available_counties, load_county
from simulator.faults import FaultConfig
from simulator.model import World
from simulator.server import RunningSimulator, build_state, running
from simulator.state import Credentials, PortalState
from simulator.truth import truth_on
from tests.simulator.portal_helpers import (
    AS_OF,
    client,
    dashboard_path,
    detail_url,
    doc,
    grid_config,
    jail_client,
    jail_post,
    jail_search,
    labelled,
    login,
    open_session,
    search,
    serve,
    text,
)

COUNTIES = available_counties()
# the Portal pages these tests read: PublicAccess counties have their own module
# (tests/ingest/test_publicaccess_simulator.py)
PORTAL_COUNTIES = [n for n in COUNTIES if load_county(n).court.generation == "portal"]


@pytest.fixture(scope="module", params=PORTAL_COUNTIES)
def county_sim(request: pytest.FixtureRequest, portal_world: World) -> Iterator[RunningSimulator]:
    with serve(portal_world, request.param) as server:
        yield server


@pytest.fixture(scope="module")
def truth(portal_world: World) -> dict:
    return truth_on(portal_world, AS_OF)


def criminal_page(http: httpx.Client, sim: RunningSimulator, truth: dict) -> tuple[dict, str]:
    """(results row, detail fragment) of a criminal case with fees, signed in."""
    case = next(
        c for c in truth["cases"] if c["kind"] == "criminal" and c["fees_assessed"] != "0.00"
    )
    open_session(http, sim)
    login(http, sim)
    (row,) = search(http, SearchCriteria=case["case_number"])["Data"]
    return row, http.get(detail_url(row)).text


def test_the_profiles_are_the_four_shipped_counties():
    assert {"bluff_tn", "dekalb_ga", "chatham_ga", "napa_ca"} <= set(COUNTIES)


@pytest.mark.parametrize("name", COUNTIES)
def test_a_profile_reads_as_its_toml_says(name):
    county = load_county(name)
    with (COUNTIES_DIR / f"{name}.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    assert county.name == raw["name"] == name
    for table, profile in (("court", county.court), ("jail", county.jail)):
        for field in dataclasses.fields(profile):
            value = getattr(profile, field.name)
            printed = raw[table].get(field.name, field.default)
            assert (list(value) if isinstance(value, tuple) else value) == printed


def test_an_unknown_or_broken_profile_is_refused_with_what_is_wrong(tmp_path: Path):
    with pytest.raises(CountyError, match="no county profile 'atlantis'"):
        load_county("atlantis")
    source = (COUNTIES_DIR / "bluff_tn.toml").read_text()
    (tmp_path / "bluff_tn.toml").write_text(source.replace("= 29", '= "29"'))
    with pytest.raises(CountyError, match="smart_search_dashboard should be a int"):
        load_county("bluff_tn", tmp_path)
    (tmp_path / "bluff_tn.toml").write_text(source.replace('"NodeDescription"', '"Nowhere"'))
    with pytest.raises(CountyError, match="grid_columns has unknown"):
        load_county("bluff_tn", tmp_path)
    court_only = source[: source.index("[jail]")]
    (tmp_path / "bluff_tn.toml").write_text(court_only)
    with pytest.raises(CountyError, match=r"has no \[jail\] table"):
        load_county("bluff_tn", tmp_path)
    (tmp_path / "bluff_tn.toml").write_text(court_only + '[jail]\nservlet = "IML"\n')
    with pytest.raises(CountyError, match=r"jail\.page_size is missing"):
        load_county("bluff_tn", tmp_path)
    (tmp_path / "bluff_tn.toml").write_text(source.replace('"Date of Birth"', '"Shoe Size"'))
    with pytest.raises(CountyError, match=r"jail\.roster_columns has unknown"):
        load_county("bluff_tn", tmp_path)
    (tmp_path / "bluff_tn.toml").write_text(source.replace('"hearings"]', '"photos"]'))
    with pytest.raises(CountyError, match=r"jail\.person_sections has unknown"):
        load_county("bluff_tn", tmp_path)
    with pytest.raises(CountyError):
        build_state(1, AS_OF, scale=0.01, county="atlantis")


def test_build_state_serves_the_named_county_under_its_base_path():
    state = build_state(3, AS_OF, scale=0.02, county="napa_ca")
    assert state.county.name == "napa_ca"
    with running(state) as sim:
        assert sim.court_url.endswith("/Secure/")
        assert httpx.get(f"{sim.court_url}Home/Dashboard/29").status_code == 200
        assert httpx.get(f"{sim.base_url}/Portal/Home/Dashboard/29").status_code == 404


def test_each_county_serves_its_dashboards_under_its_base_path(county_sim):
    court = county_sim.state.county.court
    with client(county_sim) as http:
        root = http.get("")
        smart = http.get(dashboard_path(county_sim))
        hearings = http.get(f"Home/Dashboard/{court.hearing_dashboard}")
    assert root.status_code == 302
    assert (
        root.headers["location"]
        == f"{court.base_path}Home/Dashboard/{court.smart_search_dashboard}"
    )
    form = doc(smart.text).cssselect("form#frmSS")[0]
    assert form.get("action") == f"{court.base_path}SmartSearch/SmartSearch/SmartSearch"
    names = {i.get("name") for i in form.cssselect("input")}
    assert ("caseCriteria.UseSoundex" in names) == ("soundex" in court.search_options)
    assert ("caseCriteria.DOBFrom" in names) == ("dob" in court.search_options)
    assert doc(hearings.text).cssselect("form#frmHS")


def test_each_county_grid_has_its_columns(county_sim):
    with client(county_sim) as http:
        open_session(http, county_sim)
        search(http, CaseType="Eviction", FileDateStart="11/01/2026", FileDateEnd="11/20/2026")
        columns = grid_config(http.get("Home/WorkspaceMode?p=0").text)["columns"]
    assert [c["field"] for c in columns] == list(county_sim.state.county.court.grid_columns)


def test_each_county_case_page_has_its_sections_and_labels(county_sim, truth):
    court = county_sim.state.county.court
    with client(county_sim) as http:
        row, html = criminal_page(http, county_sim, truth)
        loaded = http.get(f"Case/CaseDetail/LoadFinancialInformation?caseId={row['CaseId']}").text
    root = doc(html)
    info = root.cssselect("#divCaseInformation_body")[0]
    assert bool(labelled(info, "Judicial Officer")) == court.shows_judicial_officer
    has_financial = "financial" in court.case_sections
    assert bool(root.cssselect("#FinancialInfoPrintSection")) == has_financial
    assert ("LoadFinancialInformation?caseId=" in html) is True  # RoaPage.init always names it
    if has_financial:
        placeholder = "Loading financial, please wait..." in html
        assert placeholder == court.financial_loaded_separately
        assert doc(loaded).cssselect("#financialSlider")
    else:
        assert "could not be found" in loaded
    assert bool(root.cssselect("#chargeInformationDiv")) == ("charges" in court.case_sections)
    sidebar = [text(a) for a in root.cssselect("nav#mysidebar li a")]
    assert ("Financial" in sidebar) == has_financial


def test_masked_counties_print_birth_years_only(county_sim, truth):
    court = county_sim.state.county.court
    with client(county_sim) as http:
        row, html = criminal_page(http, county_sim, truth)
    (dob,) = labelled(doc(html), "DOB")
    if court.dob_masked:
        assert dob.startswith("XX/XX/") and len(dob) == 10
        assert row["DateOfBirth"] is None
    else:
        assert dob[2] == "/" and dob[:2].isdigit()
        assert row["DateOfBirth"].startswith("/Date(")


def test_a_financial_section_loaded_with_the_page_needs_no_second_request(portal_world):
    bluff = load_county("bluff_tn")
    inline = dataclasses.replace(
        bluff, court=dataclasses.replace(bluff.court, financial_loaded_separately=False)
    )
    state = PortalState.build(portal_world, AS_OF, FaultConfig(), Credentials(), inline)
    case = next(c for c in portal_world.cases if c.visible_on(AS_OF) and c.kind == "eviction")
    with running(state) as sim, client(sim) as http:
        open_session(http, sim)
        (row,) = search(http, SearchCriteria=case.case_number)["Data"]
        html = http.get(detail_url(row)).text
    body = doc(html).cssselect("#divFinancialInformation_body")[0]
    assert "Loading financial" not in html
    assert body.cssselect("#financialSlider div.k-grid table")
    assert "Total Financial Assessment" in text(body)


def test_the_default_county_is_bluff_tn():
    assert load_county().name == "bluff_tn"
    assert build_state(2, date(2026, 1, 5), scale=0.01).county.name == "bluff_tn"


def test_each_county_roster_has_its_columns_and_person_pages_their_sections(county_sim, truth):
    jail = county_sim.state.county.jail
    booking = next(b for b in truth["bookings"] if b["hearings"] and b["bonds"])
    with jail_client(county_sim) as http:
        roster = doc(jail_search(http, county_sim))
        page = doc(jail_post(http, county_sim, flow_action="edit", sysID=booking["sys_id"]).text)
    (header,) = [tr for tr in roster.cssselect("tr.bodybold") if not tr.cssselect("table")]
    printed = [text(td).removesuffix(" (last, first middle)") for td in header.cssselect("td")]
    assert printed == list(jail.roster_columns)
    assert (len(roster.cssselect("tr.body")) == 30) is (len(truth["bookings"]) >= 30)
    titles = [text(td) for td in page.cssselect("td.header") if not td.xpath(".//td")]
    assert ("Hearing Information" in titles) == jail.shows("hearings")
    labels = {text(td) for td in page.cssselect("td.bodysmallbold")}
    assert ("Booking Number:" in labels) == ("booking_number" in jail.person_ids)
    assert ("Permanent ID:" in labels) == ("permanent_id" in jail.person_ids)
