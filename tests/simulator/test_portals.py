"""HTTP-level tests of the simulated court portal (the real Odyssey Portal protocol and
markup), the clock, the admin endpoints and the faults, under the default county profile;
`test_profiles.py` covers the other profiles, `test_jail.py` the jail's IML servlet."""

from __future__ import annotations

import concurrent.futures
import json
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from simulator.model import World
from simulator.server import RunningSimulator
from simulator.truth import truth_on
from tests.simulator.portal_helpers import (
    AS_OF,
    client,
    dashboard_path,
    detail_url,
    doc,
    grid_config,
    labelled,
    login,
    mdy,
    open_session,
    post_search,
    relative,
    search,
    serve,
    text,
)

EVICTIONS_NOV = {"CaseType": "Eviction", "FileDateStart": "11/01/2026", "FileDateEnd": "11/20/2026"}
ENVELOPE_KEYS = {"AggregateResults", "Data", "Errors", "Total", "MaxResultsHit"}
ROW_KEYS = {
    "CaseId",
    "EncryptedCaseId",
    "CaseNumber",
    "Style",
    "FileDate",
    "CaseStatusId",
    "CaseTypeId",
    "NodeDescription",
    "DefendantName",
    "DateOfBirth",
}
JSON_DATE = re.compile(r"^/Date\(-?\d+\)/$")


@pytest.fixture(scope="module")
def sim(portal_world: World) -> Iterator[RunningSimulator]:
    with serve(portal_world) as server:
        yield server


@pytest.fixture(scope="module")
def truth(sim: RunningSimulator) -> dict:
    return truth_on(sim.state.world, AS_OF)


@pytest.fixture(autouse=True)
def reset(sim: RunningSimulator) -> Iterator[None]:
    yield
    httpx.post(f"{sim.admin_url}/faults", json={"spec": "none"})
    httpx.post(f"{sim.admin_url}/clock", json={"as_of": AS_OF.isoformat()})
    deadline = time.monotonic() + 10  # let hung requests of the last test drain
    while httpx.get(f"{sim.admin_url}/stats").json()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.05)


def set_faults(sim: RunningSimulator, spec: str) -> None:
    response = httpx.post(f"{sim.admin_url}/faults", json={"spec": spec})
    assert response.status_code == 200, response.text


def case_of(truth: dict, **wanted: object) -> dict:
    return next(c for c in truth["cases"] if all(c[k] == v for k, v in wanted.items()))


def detail_page(http: httpx.Client, case_number: str) -> tuple[dict, str]:
    """(results row, detail fragment) of a case found by its number in this session."""
    (row,) = search(http, SearchCriteria=case_number)["Data"]
    response = http.get(detail_url(row))
    assert response.status_code == 200
    return row, response.text


# -- session, dashboard, account ------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["SmartSearch/SmartSearchResults", "Home/WorkspaceMode?p=0", "Case/CaseDetail?eid=x"]
)
def test_without_a_session_every_page_redirects_to_the_dashboard(sim, path):
    with client(sim) as http:
        response = http.get(path)
    assert response.status_code == 302
    assert response.headers["location"] == f"/Portal/{dashboard_path(sim)}"


def test_the_base_path_redirects_to_the_smart_search_dashboard(sim):
    for url in (sim.court_url, sim.court_url.rstrip("/")):
        response = httpx.get(url)
        assert response.status_code == 302
        assert response.headers["location"] == "/Portal/Home/Dashboard/29"


def test_the_dashboard_sets_the_session_and_carries_the_real_smart_search_form(sim):
    with client(sim) as http:
        html = open_session(http, sim)
        assert "ASP.NET_SessionId" in http.cookies
    root = doc(html)
    (form,) = root.cssselect("form#frmSS")
    assert form.get("method") == "post"
    assert form.get("action") == "/Portal/SmartSearch/SmartSearch/SmartSearch"
    assert not form.cssselect('input[name="__RequestVerificationToken"]')
    names = {i.get("name") for i in form.cssselect("input")}
    assert {
        "caseCriteria.SearchCriteria",
        "caseCriteria.NameLast",
        "caseCriteria.NameFirst",
        "caseCriteria.NameMiddle",
        "caseCriteria.UseSoundex",
        "caseCriteria.CaseType",
        "caseCriteria.CaseStatus",
        "caseCriteria.CourtLocation",
        "caseCriteria.FileDateStart",
        "caseCriteria.FileDateEnd",
        "caseCriteria.DOBFrom",
        "caseCriteria.DOBTo",
        "caseCriteria.BookingNumber",
        "caseCriteria.JudicialOfficer",
        "caseCriteria.SearchBy",
        "Settings.CaptchaEnabled",
        "Settings.CaptchaDisabledForAuthenticated",
    } <= names
    for field in form.cssselect('input[name^="caseCriteria."][type="text"]'):
        assert field.get("id") == field.get("name").replace(".", "_")
    settings = {i.get("name"): i.get("value") for i in form.cssselect('input[type="hidden"]')}
    assert settings["Settings.CaptchaEnabled"] == "False"
    assert settings["Settings.CaptchaDisabledForAuthenticated"] == "True"
    (submit,) = form.cssselect("input#btnSSSubmit")
    assert (submit.get("name"), submit.get("type")) == ("Search", "submit")
    assert form.cssselect("div.validation-summary-valid") and not form.cssselect(".g-recaptcha")
    locations = re.search(
        r'jQuery\(function\(\)\{jQuery\("#caseCriteria_CourtLocation"\)\.kendoComboBox\(\{.*?'
        r'"dataSource":(\[.*?\]),',
        html,
    )
    assert locations, "the court location combo box is not in the real inline-script shape"
    listed = json.loads(locations.group(1))
    assert listed[0] == {"Text": "All Courts", "Value": "All Courts"}
    assert {x["Value"] for x in listed[1:]} == {c.name for c in sim.state.world.courts}
    assert '"isAuthenticated":false' in html
    assert [a.get("href") for a in root.xpath('//a[normalize-space()="Sign In"]')] == [
        "/Portal/Account/Login"
    ]
    (overlay,) = root.cssselect("div#timeout-wrapper")
    assert "display: none" in overlay.get("style")
    assert root.cssselect("#sessionTimeoutOverlay") and root.cssselect("#timeoutContinueBtn")


def test_signing_in_shows_sign_out_and_the_user_and_signing_off_ends_it(sim):
    with client(sim) as http:
        open_session(http, sim)
        login(http, sim)
        signed_in = http.get(dashboard_path(sim)).text
        off = http.get("Account/LogOff")
        after = http.get(dashboard_path(sim)).text
    root = doc(signed_in)
    assert [a.get("href") for a in root.xpath('//a[normalize-space()="Sign Out"]')] == [
        "/Portal/Account/LogOff"
    ]
    assert '"isAuthenticated":true' in signed_in and "Welcome, analyst" in signed_in
    assert off.status_code == 302 and off.headers["location"] == "/Portal/Home/Dashboard/29"
    assert '"isAuthenticated":false' in after and "Sign Out" not in after


def test_a_wrong_password_is_refused_with_a_message_and_a_bad_token_with_400(sim):
    with client(sim) as http:
        page = http.get("Account/Login").text
        token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', page).group(1)
        wrong = http.post(
            "Account/Login",
            data={"__RequestVerificationToken": token, "UserName": "analyst", "Password": "x"},
        )
        no_token = http.post("Account/Login", data={"UserName": "analyst", "Password": "x"})
    assert wrong.status_code == 200
    assert "Invalid user name or password" in text(
        doc(wrong.text).cssselect("#LoginForm")[0].getparent()
    )
    assert no_token.status_code == 400


# -- Smart Search: form, workspace, JSON -------------------------------------------------------


def test_a_search_redirects_to_the_workspace_whose_grid_is_filled_from_json(sim):
    with client(sim) as http:
        open_session(http, sim)
        posted = post_search(http, **EVICTIONS_NOV)
        shell = http.get(relative(sim, posted.headers["location"])).text
        payload = http.get("SmartSearch/SmartSearchResults").json()
    assert posted.status_code == 302
    assert posted.headers["location"] == "/Portal/Home/WorkspaceMode?p=0"
    (host,) = doc(shell).cssselect("div#SmartSearchResults")
    assert [c.get("class") for c in host] == ["k-loading-mask"]
    assert "k-master-row" not in shell and "CasesGrid" not in shell.split("kendoGrid")[0]
    assert set(payload) == ENVELOPE_KEYS
    assert payload["Errors"] is None and payload["Total"] == len(payload["Data"]) > 0
    row = payload["Data"][0]
    assert set(row) == ROW_KEYS
    assert isinstance(row["CaseId"], int) and JSON_DATE.match(row["FileDate"])
    assert set(row["CaseStatusId"]) == {"Word", "Description", "HasValue"}
    assert row["CaseTypeId"]["Description"] == "Eviction"
    assert all(row["CaseNumber"] not in shell for row in payload["Data"])


def test_the_workspace_configures_the_grid_with_the_profile_columns(sim):
    with client(sim) as http:
        open_session(http, sim)
        search(http, **EVICTIONS_NOV)
        shell = http.get("Home/WorkspaceMode?p=0").text
    config = grid_config(shell)
    assert [c["field"] for c in config["columns"]] == list(sim.state.county.court.grid_columns)
    assert [c["title"] for c in config["columns"]][:3] == [
        "Case Number",
        "Style / Defendant",
        "File Date",
    ]
    assert (
        config["dataSource"]["transport"]["read"]["url"] == "/Portal/SmartSearch/SmartSearchResults"
    )


def test_advanced_search_returns_exactly_the_visible_filings_in_the_window(sim, truth):
    start, end = AS_OF - timedelta(days=21), AS_OF
    expected = {
        c["case_number"]
        for c in truth["cases"]
        if c["case_type"] == "Eviction" and start.isoformat() <= c["filed_date"] <= end.isoformat()
    }
    with client(sim) as http:
        open_session(http, sim)
        data = search(http, CaseType="Eviction", FileDateStart=mdy(start), FileDateEnd=mdy(end))
    assert not data["MaxResultsHit"]
    assert {row["CaseNumber"] for row in data["Data"]} == expected


def test_a_location_filter_takes_the_location_name_as_the_form_lists_it(sim, truth):
    court = sim.state.world.courts[1]
    with client(sim) as http:
        open_session(http, sim)
        data = search(http, CourtLocation=court.name, **EVICTIONS_NOV)
    assert data["Data"]
    assert {row["NodeDescription"] for row in data["Data"]} == {court.name}


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"FileDateStart": "2026-11-01"}, "valid date"),
        ({}, "Please enter a value for search criteria."),
        ({"CourtLocation": "Nowhere"}, "valid Court Location"),
    ],
)
def test_invalid_criteria_answer_the_dashboard_with_a_validation_summary(sim, criteria, message):
    with client(sim) as http:
        open_session(http, sim)
        response = post_search(http, **criteria)
    assert response.status_code == 200
    (summary,) = doc(response.text).cssselect("form#frmSS div.validation-summary-errors")
    assert message in " ".join(text(li) for li in summary.cssselect("ul > li"))


def test_without_a_session_a_search_post_redirects_to_the_dashboard(sim):
    with client(sim) as http:
        response = post_search(http, SearchCriteria="Smith, John")
    assert response.status_code == 302
    assert response.headers["location"] == "/Portal/Home/Dashboard/29"


def test_case_ids_are_stable_and_encrypted_ids_are_scoped_to_the_session(sim):
    def first_row(http: httpx.Client) -> dict:
        open_session(http, sim)
        return search(http, CaseType="Eviction", FileDateStart="10/01/2026")["Data"][0]

    with client(sim) as first, client(sim) as second:
        a, b = first_row(first), first_row(second)
        assert (a["CaseNumber"], a["CaseId"]) == (b["CaseNumber"], b["CaseId"])
        assert a["EncryptedCaseId"] != b["EncryptedCaseId"]
        assert a["CaseNumber"] not in a["EncryptedCaseId"]
        assert a["CaseNumber"] in first.get(detail_url(a)).text
        foreign = second.get(detail_url(a))
    assert foreign.status_code == 200
    root = doc(foreign.text)
    assert not root.cssselect("#divCaseInformation_body")
    assert "could not be found" in text(root.cssselect("div.alert.alert-danger")[0])


def test_name_and_dob_search_finds_the_person_and_not_a_namesake_with_another_dob(sim, truth):
    people = {p["person_key"]: p for p in truth["people"]}
    party = next(
        p
        for c in truth["cases"]
        if c["kind"] == "criminal"
        for p in c["parties"]
        if p["person_key"] and p["role"] == "Defendant"
    )
    person = people[party["person_key"]]
    dob = date.fromisoformat(person["dob"])
    with client(sim) as http:
        open_session(http, sim)
        login(http, sim)
        rows = search(
            http,
            NameLast=person["last"],
            NameFirst=person["first"],
            DOBFrom=mdy(dob),
            DOBTo=mdy(dob),
        )["Data"]
    assert rows
    expected_ms = int((dob - date(1970, 1, 1)).total_seconds() * 1000)
    assert {row["DateOfBirth"] for row in rows} == {f"/Date({expected_ms})/"}
    expected = {
        c["case_number"]
        for c in truth["cases"]
        for p in c["parties"]
        if p["person_key"]
        and people[p["person_key"]]["dob"] == person["dob"]
        and people[p["person_key"]]["last"] == person["last"]
        and people[p["person_key"]]["first"].lower().startswith(person["first"].lower())
        and p["name"] == people[p["person_key"]]["display"]
    }
    assert expected <= {row["CaseNumber"] for row in rows}


def test_soundex_finds_spelling_variants_that_exact_search_misses(sim):
    with client(sim) as http:
        open_session(http, sim)
        exact = search(http, NameLast="Jonson")["Data"]
        sounds = search(http, NameLast="Jonson", UseSoundex="true")["Data"]
    assert len(sounds) > len(exact)
    assert any(row["DefendantName"].startswith("Johnson") for row in sounds)


# -- case detail -------------------------------------------------------------------------------


def test_the_case_detail_is_a_fragment_in_the_real_print_section_structure(sim, truth):
    case = next(
        c
        for c in truth["cases"]
        if c["kind"] == "eviction" and c["judgments"] and any(h["canceled"] for h in c["hearings"])
    )
    with client(sim) as http:
        open_session(http, sim)
        row, html = detail_page(http, case["case_number"])
    assert "<html" not in html and "<body" not in html
    assert html.lstrip().startswith("<script")
    assert f"'/Portal/Case/CaseDetail/LoadFinancialInformation?caseId={row['CaseId']}'" in html
    assert row["CaseId"] == case["portal_case_id"]
    root = doc(html)
    (info,) = root.cssselect("#caseInformationDiv #divCaseInformation_body")
    assert text(info.cssselect("p.text-primary")[0]).startswith(f"{case['case_number']} | ")
    assert labelled(info, "Case Number") == [case["case_number"]]
    assert labelled(info, "Court") == [case["court_name"]]
    assert labelled(info, "File Date") == [mdy(date.fromisoformat(case["filed_date"]))]
    assert labelled(info, "Case Type") == [case["case_type"]]
    assert labelled(info, "Case Status") == [case["status"]]
    assert labelled(info, "Judicial Officer") == [case["judicial_officer"]]
    assert root.cssselect("#CasePartiesPrintSection #partyInformationDiv #divPartyInformation_body")
    assert root.cssselect("#DispositionEventsPrintSection #dispositionInformationDiv")
    assert root.cssselect("#OtherEventsPrintSection #eventsInformationDiv ul.list-group")
    assert root.cssselect("#FinancialInfoPrintSection #financialInformationDiv")
    assert "Loading financial, please wait..." in text(
        root.cssselect("#divFinancialInformation_body")[0]
    )
    assert "Balance Due" not in html
    assert [text(a) for a in root.cssselect("nav#mysidebar a")][:-1] == [
        "Case Information",
        "Party",
        "Disposition Events",
        "Events and Hearings",
        "Financial",
    ]


def test_parties_are_real_party_blocks_with_attorneys_or_pro_se(sim, truth):
    case = next(
        c
        for c in truth["cases"]
        if c["kind"] == "eviction"
        and any(p["attorneys"] for p in c["parties"])
        and any(p["is_pro_se"] for p in c["parties"])
        and any(p["address"] and p["address"]["unit"] for p in c["parties"])
    )
    with client(sim) as http:
        open_session(http, sim)
        _, html = detail_page(http, case["case_number"])
    blocks = doc(html).cssselect(
        "#divPartyInformation_body > div.row.tyler-span-2, "
        "#divPartyInformation_body > div.row.tyler-span-3"
    )
    assert len(blocks) == len(case["parties"])
    for block, party in zip(blocks, case["parties"], strict=True):
        (first,) = block.cssselect("div.col-md-8 > p")[:1]
        assert text(first.cssselect("span.text-primary")[0]) == party["role"]
        assert text(first)[len(party["role"]) :].strip() == party["name"]
        spans_two = "tyler-span-2" in block.get("class")
        assert spans_two == bool(party["attorneys"] or party["is_pro_se"])
        lead = block.xpath('.//span[@class="text-muted"][normalize-space()="Lead Attorney"]')
        assert len(lead) == len(party["attorneys"])
        for attorney in party["attorneys"]:
            assert attorney["name"] in text(block) and attorney["kind"] in text(block)
            if attorney["phone"]:
                assert labelled(block, "Work Phone") == [attorney["phone"]]
        assert bool(block.cssselect("div.tyler-bold")) == party["is_pro_se"]
        address = party["address"]
        if address:
            (lines,) = [p for p in block.cssselect("div.col-md-8 > p") if p.find("br") is not None][
                -1:
            ]
            expected = [address["street"], *([address["unit"]] if address["unit"] else [])]
            expected.append(f"{address['city']} {address['state']} {address['zip_code']}")
            shown = [" ".join(t.split()) for t in lines.itertext() if t.strip()]
            assert shown == expected


def test_the_docket_has_the_two_item_shapes_and_every_canceled_hearing_a_reason(sim, truth):
    case = next(
        c
        for c in truth["cases"]
        if c["kind"] == "eviction"
        and any(h["canceled"] for h in c["hearings"])
        and any(e["comment"] is None for e in c["events"])
        and any(e["comment"] for e in c["events"])
    )
    with client(sim) as http:
        open_session(http, sim)
        _, html = detail_page(http, case["case_number"])
    items = doc(html).cssselect("#eventsInformationDiv ul.list-group > li.list-group-item")
    assert len(items) == len(case["events"]) + len(case["hearings"])
    events = [i for i in items if i.cssselect("div.portal-case-event")]
    hearings = [i for i in items if not i.cssselect("div.portal-case-event")]
    shown = []
    for item in events:
        (wrapper,) = item.cssselect("div.portal-case-event")
        heading = wrapper.cssselect("p.text-primary")[0]
        day, _, kind = heading.text.strip().partition("   ")
        assert wrapper.get("data-event-description") == kind.strip()
        comment = labelled(wrapper, "Comment")
        shown.append((day, kind.strip(), comment[0] if comment else None))
    assert sorted(shown) == sorted(
        (mdy(date.fromisoformat(e["event_date"])), e["event_type"], e["comment"])
        for e in case["events"]
    )
    times = []
    for item in hearings:
        (container,) = item.cssselect("div.tyler-toggle-container")
        (hearing_time,) = labelled(container, "Hearing Time")
        assert re.fullmatch(r"[1-9]\d?:\d\d [AP]M", hearing_time)
        times.append(hearing_time)
        assert not labelled(container, "Courtroom")
        assert labelled(container, "Judicial Officer")
    canceled = [h for h in case["hearings"] if h["canceled"]]
    reasons = [labelled(item, "Cancel Reason") for item in hearings]
    assert sorted(r[0] for r in reasons if r) == sorted(h["cancel_reason"] for h in canceled)


def test_every_canceled_hearing_in_the_world_carries_a_cancel_reason(portal_world):
    canceled = [h for c in portal_world.cases for h in c.hearings if h.canceled_on]
    assert canceled and all(h.cancel_reason for h in canceled)


def test_disposition_events_are_absent_without_judgments(sim, truth):
    case = next(c for c in truth["cases"] if c["kind"] == "eviction" and not c["judgments"])
    with client(sim) as http:
        open_session(http, sim)
        _, html = detail_page(http, case["case_number"])
    assert "DispositionEventsPrintSection" not in html and "Disposition Events" not in html


def test_judgments_show_the_judgment_type_and_award(sim, truth):
    case = next(
        c
        for c in truth["cases"]
        if any(j["amount"] for j in c["judgments"]) and c["kind"] == "eviction"
    )
    (judgment,) = case["judgments"][:1]
    with client(sim) as http:
        open_session(http, sim)
        _, html = detail_page(http, case["case_number"])
    (section,) = doc(html).cssselect("#dispositionInformationDiv")
    heading = section.cssselect("div.tyler-toggle-controller p.text-primary")[0]
    assert text(heading) == f"{mdy(date.fromisoformat(judgment['judgment_date']))} Judgment"
    assert judgment["judgment_type"] in text(section)
    award = section.cssselect("div.JudgmentEvent")[0]
    assert f"Judgment For: {judgment['judgment_for']}" in text(award)
    assert f"${Decimal(judgment['amount']):,.2f}" in text(award)


def test_the_financial_section_loads_by_numeric_case_id_in_the_real_shape(sim, truth):
    case = next(
        c
        for c in truth["cases"]
        if c["kind"] == "eviction" and len(c["financial"][0]["transactions"]) >= 2
    )
    (expected,) = case["financial"]
    with client(sim) as http:
        open_session(http, sim)
        _, html = detail_page(http, case["case_number"])
        url = re.search(r"'(/Portal/Case/CaseDetail/LoadFinancialInformation\?caseId=\d+)'", html)
        loaded = http.get(relative(sim, url.group(1))).text
        unknown = http.get("Case/CaseDetail/LoadFinancialInformation?caseId=1").text
    root = doc(loaded)
    assert root.cssselect("#financialSlider div.panel-body h1")[0].text == "Financial"
    assert text(root.cssselect("div.col-md-12 > p.text-primary")[0]) == expected["party_name"]
    totals = [text(d) for d in root.cssselect("div.row > div.col-md-6")]
    assert totals == [
        "Total Financial Assessment",
        f"${Decimal(expected['total_assessment']):,.2f}",
        "Total Payments and Credits",
        f"${Decimal(expected['payments_and_credits']):,.2f}",
    ]
    (grid,) = root.cssselect("div.k-grid.k-widget table")
    assert [text(th) for th in grid.cssselect("thead th")] == [
        "Date",
        "Description",
        "Receipt",
        "Payer Name",
        "Amount",
    ]
    rows = [[text(td) for td in tr.cssselect("td")] for tr in grid.cssselect("tbody tr")]
    assert len(rows) == len(expected["transactions"])
    for shown, want in zip(rows, expected["transactions"], strict=True):
        day = date.fromisoformat(want["transaction_date"])
        assert shown[0] == f"{day.month}/{day.day}/{day.year}"
        amount = Decimal(want["amount"])
        money = f"${abs(amount):,.2f}"
        assert shown[4] == (f"({money})" if amount < 0 else money)
    assert any(r[4].startswith("(") for r in rows), "payments print as negatives"
    assert "could not be found" in unknown


def test_criminal_cases_need_a_login_and_show_charges_and_bonds(sim, truth):
    case = case_of(truth, kind="criminal")
    with client(sim) as http:
        open_session(http, sim)
        anonymous = search(http, SearchCriteria=case["case_number"])
        login(http, sim)
        row, html = detail_page(http, case["case_number"])
        http.get("Account/LogOff")
        signed_out = http.get(detail_url(row))
    assert anonymous["Data"] == []
    root = doc(html)
    (charges,) = root.cssselect("#ChargeInformationPrintSection #chargeInformationDiv")
    assert text(charges.cssselect("h1")[0]) == "Charges"
    assert [text(th) for th in charges.cssselect("table th")] == [
        "#",
        "Statute",
        "Description",
        "Level",
        "Class",
        "Offense Date",
        "Disposition",
        "Disposition Date",
    ]
    assert len(charges.cssselect("tbody tr")) == len(case["charges"])
    (bonds,) = root.cssselect("#BondInformationPrintSection #bondInformationDiv")
    assert [text(th) for th in bonds.cssselect("table th")] == ["Date", "Bond Type", "Amount"]
    defendant = next(p for p in case["parties"] if p["role"] == "Defendant")
    people = {p["person_key"]: p for p in truth["people"]}
    dob = date.fromisoformat(people[defendant["person_key"]]["dob"])
    assert labelled(root, "DOB") == [mdy(dob)]
    assert labelled(root, "Gender") == [defendant["gender"]]
    assert signed_out.status_code == 302
    assert signed_out.headers["location"] == "/Portal/Account/Login"


# -- hearings ------------------------------------------------------------------------------------


def hearing_search(http: httpx.Client, **criteria: str) -> httpx.Response:
    form = {f"SearchCriteria.{k}": v for k, v in criteria.items()}
    return http.post("Hearing/SearchHearings/HearingSearch", data=form)


def hearing_results(http: httpx.Client) -> httpx.Response:
    return http.post(
        "Hearing/HearingResults/Read",
        data={"sort": "", "group": "", "filter": "", "portletId": "27"},
    )


def test_the_hearing_dashboard_carries_the_search_hearings_form(sim):
    with client(sim) as http:
        html = http.get("Home/Dashboard/26").text
    (form,) = doc(html).cssselect("form#frmHS")
    assert form.get("action") == "/Portal/Hearing/SearchHearings/HearingSearch"
    names = {e.get("name") for e in form.cssselect("input, select")}
    assert {
        "SearchCriteria.SelectedCourt",
        "SearchCriteria.SelectedHearingType",
        "SearchCriteria.SearchByType",
        "SearchCriteria.DateFrom",
        "SearchCriteria.DateTo",
        "SearchCriteria.SelectedJudicialOfficer",
        "SearchCriteria.SelectedCourtRoom",
    } <= names


def test_hearing_search_answers_the_real_envelope_and_caps(sim, truth):
    day_from, day_to = AS_OF, AS_OF + timedelta(days=30)
    with client(sim) as http:
        open_session(http, sim)
        login(http, sim)
        posted = hearing_search(
            http, SelectedCourt="All Courts", DateFrom=mdy(day_from), DateTo=mdy(day_to)
        )
        payload = hearing_results(http).json()
        set_faults(sim, "none,result_cap=3")
        capped = hearing_results(http).json()
    assert posted.status_code == 302
    assert set(payload) == ENVELOPE_KEYS | {"ForwardToROA", "ROAAuthorized"}
    expected = {
        (c["case_number"], h["hearing_id"])
        for c in truth["cases"]
        for h in c["hearings"]
        if day_from.isoformat() <= h["scheduled_at"][:10] <= day_to.isoformat()
        and not h["canceled"]
    }
    assert {(r["CaseNumber"], r["HearingId"]) for r in payload["Data"]} == expected
    assert not payload["MaxResultsHit"]
    row = payload["Data"][0]
    assert isinstance(row["CaseId"], int) and row["EncryptedCaseId"]
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", row["HearingDate"])
    assert re.fullmatch(r"[1-9]\d?:\d\d [AP]M", row["HearingTime"])
    assert JSON_DATE.match(row["FileDate"])
    assert set(row["HearingTypeId"]) == {"Word", "Description", "HasValue"}
    assert len(capped["Data"]) == 3 and capped["MaxResultsHit"] is True


def test_hearing_search_needs_dates_and_a_session(sim):
    with client(sim) as http:
        lost = hearing_results(http)
        open_session(http, sim)
        refused = hearing_search(http, SelectedCourt="All Courts")
    assert lost.status_code == 302 and lost.headers["location"] == "/Portal/Home/Dashboard/26"
    assert refused.status_code == 200
    assert doc(refused.text).cssselect("form#frmHS div.validation-summary-errors")


# -- clock and truth ------------------------------------------------------------------


def test_the_clock_reveals_details_and_removes_sealed_cases(sim):
    removed = next(
        c
        for c in sim.state.world.cases
        if c.removed_on and c.posted_on < c.removed_on and c.removed_on > AS_OF
    )
    before = removed.removed_on - timedelta(days=1)
    with client(sim) as http:
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": before.isoformat()})
        open_session(http, sim)
        login(http, sim)
        assert search(http, SearchCriteria=removed.case_number)["Data"]
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": removed.removed_on.isoformat()})
        assert search(http, SearchCriteria=removed.case_number)["Data"] == []
    truth = httpx.get(f"{sim.admin_url}/truth", timeout=30).json()
    assert removed.case_number in {r["case_number"] for r in truth["removals"]}


def test_admin_remove_seals_a_case_from_today(sim):
    case = next(
        c for c in sim.state.world.cases if c.visible_on(AS_OF) and c.case_type == "Eviction"
    )
    try:
        with client(sim) as http:
            open_session(http, sim)
            row, _ = detail_page(http, case.case_number)
            done = httpx.post(f"{sim.admin_url}/remove", json={"case_number": case.case_number})
            assert done.json() == {"case_number": case.case_number, "removed_on": str(AS_OF)}
            assert search(http, SearchCriteria=case.case_number)["Data"] == []
            assert "could not be found" in http.get(detail_url(row)).text
        truth = httpx.get(f"{sim.admin_url}/truth", timeout=30).json()
        assert case.case_number in {r["case_number"] for r in truth["removals"]}
        again = httpx.post(f"{sim.admin_url}/remove", json={"case_number": case.case_number})
        assert again.status_code == 409
        missing = httpx.post(f"{sim.admin_url}/remove", json={"case_number": "99-GC-999999"})
        assert missing.status_code == 404
    finally:
        case.removed_on, case.removal_kind = None, None


def test_admin_truth_equals_the_offline_export(sim, truth):
    served = httpx.get(f"{sim.admin_url}/truth", timeout=30).json()
    assert served == truth


def test_the_clock_rejects_a_bad_date(sim):
    response = httpx.post(f"{sim.admin_url}/clock", json={"as_of": "next tuesday"})
    assert response.status_code == 400


# -- faults ---------------------------------------------------------------------------


def test_error_rate_gives_500s(sim):
    set_faults(sim, "none,error_rate=1")
    assert httpx.get(f"{sim.court_url}{dashboard_path(sim)}").status_code == 500
    assert httpx.get(sim.jail_url).status_code == 500


def test_soft_errors_are_200s_with_an_error_body_or_an_empty_shell(sim):
    with client(sim) as http:
        open_session(http, sim)
        search(http, **EVICTIONS_NOV)
        set_faults(sim, "none,soft_error_rate=1")
        error = http.get("SmartSearch/SmartSearchResults")
        set_faults(sim, "none,soft_empty_rate=1")
        empty = http.get(dashboard_path(sim))
    assert error.status_code == empty.status_code == 200
    assert "An unexpected error has occurred" in error.text
    assert not error.headers["content-type"].startswith("application/json")
    assert "frmSS" not in empty.text and "<form" not in empty.text


def test_a_hang_gives_no_response_within_the_client_timeout(sim):
    set_faults(sim, "none,hang_rate=1,hang_s=3")
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(sim.jail_url, timeout=0.5)


def test_an_outage_window_answers_503(sim):
    set_faults(sim, "none,outage_every_s=3600,outage_length_s=3600")
    assert httpx.get(f"{sim.court_url}{dashboard_path(sim)}").status_code == 503


def test_requests_beyond_the_rate_limit_get_429_with_retry_after(sim):
    set_faults(sim, "none,rate_limit_rps=3")
    with httpx.Client(base_url=sim.base_url, timeout=10) as http:
        codes = [http.get("/jail/").status_code for _ in range(8)]
        limited = http.get("/jail/")
    assert codes.count(429) >= 4 and 200 in codes
    if limited.status_code == 429:
        assert limited.headers["retry-after"] == "1"


def test_requests_beyond_the_concurrency_limit_get_429(sim):
    set_faults(sim, "none,max_concurrency=1,latency_median_ms=300,latency_sigma=0.01")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: httpx.get(sim.jail_url).status_code, range(4)))
    assert 429 in codes and 200 in codes


def test_latency_injection_slows_pages(sim):
    set_faults(sim, "none,latency_median_ms=150,latency_sigma=0.01")
    started = time.perf_counter()
    httpx.get(f"{sim.court_url}{dashboard_path(sim)}")
    assert time.perf_counter() - started >= 0.14


def test_an_expired_session_is_sent_back_to_the_dashboard_with_nothing_visible_added(sim):
    with client(sim) as http:
        open_session(http, sim)
        row = search(http, **EVICTIONS_NOV)["Data"][0]
        httpx.post(f"{sim.admin_url}/sessions/expire")
        responses = [
            http.get("SmartSearch/SmartSearchResults"),
            http.get(detail_url(row)),
            post_search(http, **EVICTIONS_NOV),
        ]
        page = http.get(relative(sim, responses[0].headers["location"])).text
    assert {r.status_code for r in responses} == {302}
    assert {r.headers["location"] for r in responses} == {"/Portal/Home/Dashboard/29"}
    root = doc(page)
    assert "display: none" in root.cssselect("div#timeout-wrapper")[0].get("style")
    assert root.cssselect("form#frmSS div.validation-summary-valid")


def test_column_variant_reorders_the_grid_and_renames_its_headers(sim):
    set_faults(sim, "none,column_variant=true")
    with client(sim) as http:
        open_session(http, sim)
        search(http, **EVICTIONS_NOV)
        shell = http.get("Home/WorkspaceMode?p=0").text
    columns = grid_config(shell)["columns"]
    assert [c["title"] for c in columns][:3] == ["Case #", "Party", "Case Type"]
    assert {c["field"] for c in columns} == set(sim.state.county.court.grid_columns)
    assert [c["field"] for c in columns] != list(sim.state.county.court.grid_columns)


def test_a_captcha_stops_anonymous_searches_but_not_a_signed_in_session(sim):
    set_faults(sim, "none,captcha=true")
    with client(sim) as anonymous, client(sim) as member:
        page = open_session(anonymous, sim)
        refused = post_search(anonymous, **EVICTIONS_NOV)
        open_session(member, sim)
        login(member, sim)
        member_page = member.get(dashboard_path(sim)).text
        allowed = search(member, **EVICTIONS_NOV)
    root = doc(page)
    settings = {i.get("name"): i.get("value") for i in root.cssselect('input[type="hidden"]')}
    assert settings["Settings.CaptchaEnabled"] == "True"
    assert root.cssselect("form#frmSS div.g-recaptcha")
    assert refused.status_code == 200
    (summary,) = doc(refused.text).cssselect("div.validation-summary-errors")
    assert "captcha" in text(summary)
    assert not doc(member_page).cssselect("div.g-recaptcha")
    assert allowed["Data"]


def test_result_cap_truncates_and_flags_max_results_hit(sim):
    set_faults(sim, "none,result_cap=5")
    with client(sim) as http:
        open_session(http, sim)
        data = search(
            http, CaseType="Eviction", FileDateStart="01/01/2026", FileDateEnd="11/23/2026"
        )
    assert len(data["Data"]) == data["Total"] == 5
    assert data["MaxResultsHit"] is True


def test_an_unknown_fault_knob_is_rejected_with_its_name(sim):
    response = httpx.post(f"{sim.admin_url}/faults", json={"spec": "flaky,errors=1"})
    assert response.status_code == 400
    assert "errors=1" in response.json()["error"]
