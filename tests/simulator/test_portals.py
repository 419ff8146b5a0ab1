"""HTTP-level tests of the simulated court portal and jail roster (no browser)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from simulator.server import RunningSimulator, build_state, running
from simulator.truth import truth_on

AS_OF = date(2026, 11, 23)
PORTAL = "/Portal"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    state = build_state(7, AS_OF, scale=0.3)
    with running(state) as server:
        yield server


@pytest.fixture(autouse=True)
def reset(sim: RunningSimulator) -> Iterator[None]:
    yield
    httpx.post(f"{sim.admin_url}/faults", json={"spec": "none"})
    httpx.post(f"{sim.admin_url}/clock", json={"as_of": AS_OF.isoformat()})
    deadline = time.monotonic() + 10  # let hung requests of the last test drain
    while httpx.get(f"{sim.admin_url}/stats").json()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.05)


def client(sim: RunningSimulator, **kwargs: object) -> httpx.Client:
    return httpx.Client(base_url=sim.base_url, timeout=10, **kwargs)  # type: ignore[arg-type]


def set_faults(sim: RunningSimulator, spec: str) -> None:
    response = httpx.post(f"{sim.admin_url}/faults", json={"spec": spec})
    assert response.status_code == 200, response.text


def token_of(html: str) -> str:
    match = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', html)
    assert match, "the page carries no anti-forgery token"
    return match.group(1)


def open_session(http: httpx.Client) -> str:
    page = http.get(f"{PORTAL}/Home/Dashboard/29")
    assert page.status_code == 200
    return token_of(page.text)


def login(http: httpx.Client, sim: RunningSimulator) -> None:
    token = token_of(http.get(f"{PORTAL}/Account/Login").text)
    creds = sim.state.credentials
    response = http.post(
        f"{PORTAL}/Account/Login",
        data={
            "__RequestVerificationToken": token,
            "UserName": creds.user,
            "Password": creds.password,
        },
    )
    assert response.status_code == 302


def search(http: httpx.Client, token: str, **criteria: str) -> dict:
    form = {"__RequestVerificationToken": token}
    form.update({f"caseCriteria.{k}": v for k, v in criteria.items()})
    response = http.post(f"{PORTAL}/SmartSearch/SmartSearch/SmartSearch", data=form)
    assert response.status_code == 302, response.text[:300]
    assert response.headers["location"].startswith(f"{PORTAL}/Home/WorkspaceMode")
    results = http.get(f"{PORTAL}/SmartSearch/SmartSearchResults")
    assert results.headers["content-type"].startswith("application/json")
    return results.json()


def mdy(day: date) -> str:
    return day.strftime("%m/%d/%Y")


# -- session and page flow -------------------------------------------------------------


def test_given_no_session_when_searching_then_redirected_to_the_dashboard(sim):
    with client(sim) as http:
        response = http.get(f"{PORTAL}/SmartSearch/SmartSearchResults")
    assert response.status_code == 302
    assert response.headers["location"].startswith(f"{PORTAL}/Home/Dashboard/29")


def test_dashboard_sets_the_session_cookie_and_hidden_fields(sim):
    with client(sim) as http:
        page = http.get(f"{PORTAL}/Home/Dashboard/29")
        assert "ASP.NET_SessionId" in http.cookies
    assert 'name="Settings.CaptchaEnabled" value="False"' in page.text
    assert token_of(page.text)


def test_a_post_without_the_anti_forgery_token_is_refused(sim):
    with client(sim) as http:
        open_session(http)
        response = http.post(
            f"{PORTAL}/SmartSearch/SmartSearch/SmartSearch",
            data={"caseCriteria.SearchCriteria": "Smith, John"},
        )
    assert response.status_code == 400
    assert "__RequestVerificationToken" in response.text


def test_the_results_page_is_an_empty_shell_filled_by_a_separate_json_request(sim):
    with client(sim) as http:
        token = open_session(http)
        data = search(
            http, token, CaseType="Eviction", FileDateStart="11/01/2026", FileDateEnd="11/20/2026"
        )
        shell = http.get(f"{PORTAL}/Home/WorkspaceMode?p=0").text
    assert data["Data"], "the window should hold eviction filings"
    assert "k-master-row" not in shell
    assert all(row["CaseNumber"] not in shell for row in data["Data"])
    assert 'data-results-url="/Portal/SmartSearch/SmartSearchResults"' in shell


def test_advanced_search_returns_exactly_the_visible_filings_in_the_window(sim):
    start, end = AS_OF - timedelta(days=21), AS_OF
    truth = truth_on(sim.state.world, AS_OF)
    expected = {
        c["case_number"]
        for c in truth["cases"]
        if c["case_type"] == "Eviction" and start.isoformat() <= c["filed_date"] <= end.isoformat()
    }
    with client(sim) as http:
        token = open_session(http)
        data = search(
            http, token, CaseType="Eviction", FileDateStart=mdy(start), FileDateEnd=mdy(end)
        )
    assert not data["MaxResultsHit"]
    assert {row["CaseNumber"] for row in data["Data"]} == expected


def test_result_cap_truncates_and_flags(sim):
    set_faults(sim, "none,result_cap=5")
    with client(sim) as http:
        token = open_session(http)
        data = search(
            http, token, CaseType="Eviction", FileDateStart="01/01/2026", FileDateEnd="11/23/2026"
        )
    assert len(data["Data"]) == 5
    assert data["MaxResultsHit"] is True


def test_case_ids_are_opaque_and_scoped_to_the_session(sim):
    def first_link(http: httpx.Client) -> tuple[str, str]:
        token = open_session(http)
        row = search(
            http, token, CaseType="Eviction", FileDateStart="10/01/2026", FileDateEnd="11/20/2026"
        )["Data"][0]
        return row["CaseNumber"], row["CaseLink"]

    with client(sim) as first, client(sim) as second:
        number_a, link_a = first_link(first)
        number_b, link_b = first_link(second)
        assert number_a == number_b
        assert link_a != link_b
        assert number_a not in link_a
        assert number_a in first.get(link_a).text
        assert "could not be found" in second.get(link_a).text


def test_case_detail_has_every_section_and_a_balance_line_that_changes_daily(sim):
    truth = truth_on(sim.state.world, AS_OF)
    case = next(c for c in truth["cases"] if c["case_type"] == "Eviction" and c["events"])
    with client(sim) as http:
        token = open_session(http)
        data = search(http, token, SearchCriteria=case["case_number"])
        link = data["Data"][0]["CaseLink"]
        page = http.get(link).text
        httpx.post(f"{sim.admin_url}/clock", json={"advance_days": 1})
        next_day = http.get(link).text
    for section in (
        "divCaseInformation_body",
        "partyInformationDiv",
        "dispositionInformationDiv",
        "eventsInformationDiv",
        "financialInformationDiv",
    ):
        assert f'id="{section}"' in page
    assert f"Balance Due as of {mdy(AS_OF)}" in page
    assert f"Balance Due as of {mdy(AS_OF + timedelta(days=1))}" in next_day


def test_criminal_cases_need_a_login(sim):
    truth = truth_on(sim.state.world, AS_OF)
    case = next(c for c in truth["cases"] if c["kind"] == "criminal")
    with client(sim) as http:
        token = open_session(http)
        anonymous = search(http, token, SearchCriteria=case["case_number"])
        login(http, sim)
        token = open_session(http)
        signed_in = search(http, token, SearchCriteria=case["case_number"])
        detail = http.get(signed_in["Data"][0]["CaseLink"]).text
    assert anonymous["Data"] == []
    assert [row["CaseNumber"] for row in signed_in["Data"]] == [case["case_number"]]
    assert 'id="chargeInformationDiv"' in detail


def test_a_wrong_password_is_refused_with_a_message(sim):
    with client(sim) as http:
        token = token_of(http.get(f"{PORTAL}/Account/Login").text)
        response = http.post(
            f"{PORTAL}/Account/Login",
            data={"__RequestVerificationToken": token, "UserName": "analyst", "Password": "wrong"},
        )
    assert response.status_code == 200
    assert "Invalid user name or password" in response.text


def test_name_and_dob_search_finds_the_person_and_not_a_namesake_with_another_dob(sim):
    world = sim.state.world
    truth = truth_on(world, AS_OF)
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
        login(http, sim)
        token = open_session(http)
        rows = search(
            http,
            token,
            NameLast=person["last"],
            NameFirst=person["first"],
            DOBStart=mdy(dob),
            DOBEnd=mdy(dob),
        )["Data"]
    assert rows
    assert {row["DateOfBirth"] for row in rows} == {mdy(dob)}
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
        token = open_session(http)
        exact = search(http, token, NameLast="Jonson")["Data"]
        sounds = search(http, token, NameLast="Jonson", UseSoundex="true")["Data"]
    assert len(sounds) > len(exact)
    assert any(row["PartyName"].startswith("Johnson") for row in sounds)


def test_hearing_search_returns_json_with_a_cap_flag(sim):
    with client(sim) as http:
        open_session(http)
        response = http.get(
            f"{PORTAL}/Hearing/SearchHearings/HearingResults/Read",
            params={
                "HearingDateFrom": mdy(AS_OF),
                "HearingDateTo": mdy(AS_OF + timedelta(days=30)),
            },
        )
    payload = response.json()
    assert set(payload) == {"Data", "MaxResultsHit"}
    assert payload["Data"]
    assert {"CaseNumber", "HearingDate", "HearingTime", "CourtRoom", "JudicialOfficer"} <= set(
        payload["Data"][0]
    )


# -- jail roster -------------------------------------------------------------------------


def test_an_empty_roster_search_lists_everyone_in_custody_page_by_page(sim):
    truth = truth_on(sim.state.world, AS_OF)
    expected = {b["booking_number"] for b in truth["bookings"]}
    seen: set[str] = set()
    with client(sim) as http:
        url = "/jail/search?LastName=&FirstName=&BookingNumber="
        while url:
            page = http.get(url).text
            seen.update(re.findall(r'class="booking-link" href="/jail/booking/([^"]+)"', page))
            nxt = re.search(r'class="next-page" href="([^"]+)"', page)
            url = nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert seen == expected
    assert len(expected) > 50, "the roster should need more than one page"


def test_released_people_leave_the_roster(sim):
    world = sim.state.world
    booking = next(
        b
        for b in world.bookings
        if b.in_custody_on(AS_OF) and b.released_on and b.released_on > AS_OF
    )
    with client(sim) as http:
        assert http.get(f"/jail/booking/{booking.booking_number}").status_code == 200
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": booking.released_on.isoformat()})
        gone = http.get(f"/jail/booking/{booking.booking_number}")
    assert gone.status_code == 404
    assert "No inmate found" in gone.text


# -- clock and truth ------------------------------------------------------------------


def test_the_clock_reveals_details_and_removes_sealed_cases(sim):
    world = sim.state.world
    removed = next(
        c
        for c in world.cases
        if c.removed_on and c.posted_on < c.removed_on and c.removed_on > AS_OF
    )
    before = removed.removed_on - timedelta(days=1)
    with client(sim) as http:
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": before.isoformat()})
        login(http, sim)
        token = open_session(http)
        assert search(http, token, SearchCriteria=removed.case_number)["Data"]
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": removed.removed_on.isoformat()})
        assert search(http, token, SearchCriteria=removed.case_number)["Data"] == []
    truth = httpx.get(f"{sim.admin_url}/truth").json()
    assert removed.case_number in {r["case_number"] for r in truth["removals"]}


def test_admin_remove_seals_a_case_from_today(sim):
    # GIVEN a visible eviction case WHEN the admin seals it THEN search no longer finds it
    # and the truth lists the removal; an unknown or already-gone case is refused
    world = sim.state.world
    case = next(c for c in world.cases if c.visible_on(AS_OF) and c.case_type == "Eviction")
    try:
        with client(sim) as http:
            login(http, sim)
            token = open_session(http)
            assert search(http, token, SearchCriteria=case.case_number)["Data"]
            done = httpx.post(f"{sim.admin_url}/remove", json={"case_number": case.case_number})
            assert done.json() == {"case_number": case.case_number, "removed_on": str(AS_OF)}
            assert search(http, token, SearchCriteria=case.case_number)["Data"] == []
        truth = httpx.get(f"{sim.admin_url}/truth", timeout=30).json()
        assert case.case_number in {r["case_number"] for r in truth["removals"]}
        again = httpx.post(f"{sim.admin_url}/remove", json={"case_number": case.case_number})
        assert again.status_code == 409
        missing = httpx.post(f"{sim.admin_url}/remove", json={"case_number": "99-GC-999999"})
        assert missing.status_code == 404
    finally:
        case.removed_on, case.removal_kind = None, None


def test_admin_truth_equals_the_offline_export(sim):
    served = httpx.get(f"{sim.admin_url}/truth", timeout=30).json()
    assert served == truth_on(sim.state.world, AS_OF)


def test_the_clock_rejects_a_bad_date(sim):
    response = httpx.post(f"{sim.admin_url}/clock", json={"as_of": "next tuesday"})
    assert response.status_code == 400


# -- faults ---------------------------------------------------------------------------


def test_error_rate_gives_500s(sim):
    set_faults(sim, "none,error_rate=1")
    assert httpx.get(f"{sim.jail_url}search").status_code == 500


def test_soft_errors_are_200s_with_an_error_body_or_an_empty_shell(sim):
    set_faults(sim, "none,soft_error_rate=1")
    error = httpx.get(f"{sim.jail_url}search")
    set_faults(sim, "none,soft_empty_rate=1")
    empty = httpx.get(f"{sim.jail_url}search")
    assert error.status_code == empty.status_code == 200
    assert "An unexpected error has occurred" in error.text
    assert "inmate" not in empty.text.lower() and "<form" not in empty.text


def test_a_hang_gives_no_response_within_the_client_timeout(sim):
    set_faults(sim, "none,hang_rate=1,hang_s=3")
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{sim.jail_url}search", timeout=0.5)


def test_an_outage_window_answers_503(sim):
    set_faults(sim, "none,outage_every_s=3600,outage_length_s=3600")
    assert httpx.get(f"{sim.jail_url}search").status_code == 503


def test_requests_beyond_the_rate_limit_get_429_with_retry_after(sim):
    set_faults(sim, "none,rate_limit_rps=3")
    with client(sim) as http:
        codes = [http.get("/jail/search").status_code for _ in range(8)]
        limited = http.get("/jail/search")
    assert codes.count(429) >= 4 and 200 in codes
    if limited.status_code == 429:
        assert limited.headers["retry-after"] == "1"


def test_requests_beyond_the_concurrency_limit_get_429(sim):
    set_faults(sim, "none,max_concurrency=1,latency_median_ms=300,latency_sigma=0.01")
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: httpx.get(f"{sim.jail_url}search").status_code, range(4)))
    assert 429 in codes and 200 in codes


def test_latency_injection_slows_pages(sim):
    set_faults(sim, "none,latency_median_ms=150,latency_sigma=0.01")
    started = time.perf_counter()
    httpx.get(f"{sim.jail_url}search")
    assert time.perf_counter() - started >= 0.14


def test_an_expired_session_is_sent_back_to_the_dashboard_with_a_timeout_notice(sim):
    with client(sim) as http:
        token = open_session(http)
        search(
            http, token, CaseType="Eviction", FileDateStart="11/01/2026", FileDateEnd="11/20/2026"
        )
        httpx.post(f"{sim.admin_url}/sessions/expire")
        response = http.get(f"{PORTAL}/SmartSearch/SmartSearchResults")
        assert response.status_code == 302
        page = http.get(response.headers["location"]).text
    assert "Your session has timed out" in page


def test_column_variant_reorders_the_grid(sim):
    set_faults(sim, "none,column_variant=true")
    with client(sim) as http:
        token = open_session(http)
        data = search(
            http, token, CaseType="Eviction", FileDateStart="11/01/2026", FileDateEnd="11/20/2026"
        )
    titles = [c["title"] for c in data["Columns"]]
    assert titles[:2] == ["Case #", "Party"]
    assert {c["field"] for c in data["Columns"]} >= {"CaseNumber", "FileDate", "Status"}


def test_captcha_switched_on_refuses_searches_and_says_so(sim):
    set_faults(sim, "none,captcha=true")
    with client(sim) as http:
        page = http.get(f"{PORTAL}/Home/Dashboard/29").text
        response = http.post(
            f"{PORTAL}/SmartSearch/SmartSearch/SmartSearch",
            data={
                "__RequestVerificationToken": token_of(page),
                "caseCriteria.SearchCriteria": "Smith, J",
            },
        )
    assert 'name="Settings.CaptchaEnabled" value="True"' in page
    assert response.status_code == 200
    assert "CAPTCHA validation failed" in response.text


def test_an_unknown_fault_knob_is_rejected_with_its_name(sim):
    response = httpx.post(f"{sim.admin_url}/faults", json={"spec": "flaky,errors=1"})
    assert response.status_code == 400
    assert "errors=1" in response.json()["error"]
