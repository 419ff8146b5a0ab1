"""The jail roster as the simulator serves it: an IML "Inmate Lookup" servlet driven by
POSTed `flow_action` forms in one session. Pages are read with the product's IML parsers
and compared with the truth export (which the pages' code does not produce), under the
default county (five roster columns, id labels and hearings on the person page) and under
the Bergen-shaped profiles (four columns, no id labels, no hearings)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import lxml.html
import pytest

from ingest.errors import CaseNotFound, PageStructureError
from ingest.parsers.iml import parse_inmate, parse_roster
from ingest.records import InmateDetail, InmateRosterPage, InmateRow
from simulator.counties import County, load_county
from simulator.faults import FaultConfig
from simulator.model import RELEASED_LISTED_DAYS, World
from simulator.search import fold
from simulator.server import RunningSimulator, running
from simulator.state import Credentials, PortalState
from simulator.truth import truth_on
from tests.simulator.portal_helpers import (
    AS_OF,
    doc,
    jail_client,
    jail_post,
    jail_search,
    mdy,
    serve,
    text,
)

SEARCH_FIELD = 'name="systemUser_lastName"'  # only the search page has it


@pytest.fixture(scope="module")
def sim(portal_world: World) -> Iterator[RunningSimulator]:
    with serve(portal_world) as server:
        yield server


@pytest.fixture(scope="module")
def bergen(portal_world: World) -> Iterator[RunningSimulator]:
    """A county whose jail part copies the real Bergen page: four columns, no id labels."""
    with serve(portal_world, "dekalb_ga") as server:
        yield server


@pytest.fixture(scope="module")
def truth(portal_world: World) -> dict:
    return truth_on(portal_world, AS_OF)


@pytest.fixture(autouse=True)
def reset(sim: RunningSimulator) -> Iterator[None]:
    yield
    httpx.post(f"{sim.admin_url}/faults", json={"spec": "none"})
    httpx.post(f"{sim.admin_url}/clock", json={"as_of": AS_OF.isoformat()})
    deadline = time.monotonic() + 10  # let hung requests of the last test drain
    while httpx.get(f"{sim.admin_url}/stats").json()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.05)


def set_faults(sim: RunningSimulator, spec: str) -> None:
    assert httpx.post(f"{sim.admin_url}/faults", json={"spec": spec}).status_code == 200


def whole_roster(
    http: httpx.Client, sim: RunningSimulator, *, released: bool = False
) -> tuple[list[InmateRosterPage], list[InmateRow]]:
    """Every page of an empty-name search, followed through the nextSearch form."""
    pages = [parse_roster(jail_search(http, sim, released=released))]
    while pages[-1].next_start is not None:
        html = jail_post(http, sim, flow_action="next", currentStart=str(pages[-1].next_start))
        pages.append(parse_roster(html.text))
    return pages, [row for page in pages for row in page.rows]


def person_page(http: httpx.Client, sim: RunningSimulator, sys_id: str, img: str = "0") -> str:
    return jail_post(http, sim, flow_action="edit", sysID=sys_id, imgSysID=img).text


def roster_headers(root: lxml.html.HtmlElement) -> list[str]:
    """The texts of the roster's column header row (the `tr.bodybold` without a table)."""
    (row,) = [tr for tr in root.cssselect("tr.bodybold") if not tr.cssselect("table")]
    return [text(td) for td in row.cssselect("td")]


def listed(truth: dict, *, released: bool) -> list[dict]:
    return truth["bookings"] + (truth["released_bookings"] if released else [])


def person_of(truth: dict, booking: dict) -> dict:
    return next(p for p in truth["people"] if p["person_key"] == booking["person_key"])


def expected_detail(truth: dict, booking: dict, county: County) -> InmateDetail:
    """What the parser must read from the person page of `booking`, from the truth."""
    jail = county.jail
    person = person_of(truth, booking)
    unit = booking["housing_unit"]
    housing = [unit[k] for k in ("section", "block", "cell", "bed") if unit[k]]
    record = {
        "name": booking["page_name"],
        "sex": person["sex"],
        "dob": person["dob"],
        "race": person["race"].upper(),
        "permanent_id": booking["permanent_id"] if "permanent_id" in jail.person_ids else None,
        "bookings": [
            {
                "booking_number": booking["booking_number"]
                if "booking_number" in jail.person_ids
                else None,
                "commitment_date": booking["commitment_date"],
                "release_date": booking["release_date"],
                "location": unit["location"],
                "housing": " / ".join(housing),
            }
        ],
        "aliases": [alias.upper() for alias in person["aliases"]],
        "detainers": [
            f"{d['agency']} | {mdy(date.fromisoformat(d['lodged_on']))} | {d['type']}"
            for d in booking["detainers"]
        ],
        "bonds": [
            {
                "bond_seq": n,
                "case_number": b["case_number"],
                "amount": b["amount"],
                "status": b["status"],
                "posted_by": b["posted_by"],
                "post_date": b["post_date"],
            }
            for n, b in enumerate(booking["bonds"], start=1)
        ],
        "bond_grand_total": booking["bond_grand_total"],
        "charges": [
            {
                "charge_seq": n,
                "case_number": c["court_case_number"],
                "offense_date": c["offense_date"],
                "code": c["statute"],
                "description": c["description"],
                "grade": c["charge_class"] or None,
                "degree": c["degree_code"],
            }
            for n, c in enumerate(booking["charges"], start=1)
        ],
        "hearings": [
            {
                "hearing_seq": n,
                "hearing_date": h["scheduled_at"][:10],
                "attributes": {
                    "Time": h["scheduled_at"][11:16],
                    "Case #": h["case_number"],
                    "Courtroom": h["courtroom"],
                    "Hearing Type": h["hearing_type"],
                },
            }
            for n, h in enumerate(booking["hearings"] if jail.shows("hearings") else [], start=1)
        ],
    }
    return InmateDetail.from_dict(record)


def as_24h(detail: InmateDetail) -> InmateDetail:
    """The detail with hearing times as HH:MM (the page prints `09:00 AM`)."""
    hearings = tuple(
        dataclasses.replace(
            h,
            attributes={
                **h.attributes,
                "Time": time.strftime("%H:%M", time.strptime(h.attributes["Time"], "%I:%M %p")),
            },
        )
        for h in detail.hearings
    )
    return dataclasses.replace(detail, hearings=hearings)


# -- the search page ------------------------------------------------------------------------


def test_the_search_page_sets_the_session_and_posts_the_real_search_form(sim):
    with jail_client(sim) as http:
        home = http.get("")
        again = http.get("IML")
    assert "JSESSIONID" in home.cookies and "JSESSIONID" not in again.cookies
    for page in (home, again):
        (form,) = doc(page.text).cssselect('form[name="inmateSearch"]')
        assert form.get("method") == "post" and form.get("action") == "/jail/IML"
        fields = {i.get("name"): i for i in form.cssselect("input")}
        assert {
            "flow_action",
            "systemUser_lastName",
            "systemUser_firstName",
            "systemUser_dateOfBirth",
            "systemUser_includereleasedinmate",
            "quantity",
            "searchtype",
        } <= set(fields)
        assert fields["flow_action"].get("value") == "searchbyname"
        assert fields["quantity"].get("value") == "30"
        assert fields["systemUser_includereleasedinmate"].get("type") == "checkbox"
        assert fields["systemUser_includereleasedinmate"].get("value") == "Y"
        labels = [text(td) for td in form.cssselect("td.bodysmallbold")]
        assert "Last Name:" in labels and form.cssselect("td.header")


def test_a_bad_date_of_birth_answers_the_search_page_with_a_message(sim):
    with jail_client(sim) as http:
        page = jail_search(http, sim, last="A", dob="1990-01-01")
    assert SEARCH_FIELD in page
    assert "MM/DD/YYYY" in text(doc(page).cssselect("div.bodybold")[0])


# -- the roster ------------------------------------------------------------------------------


def test_an_empty_search_lists_everyone_in_custody_30_a_page_by_name(sim, truth):
    # GIVEN the bookings in custody on the day, as the truth export lists them
    expected = {b["sys_id"]: b for b in truth["bookings"]}
    assert len(expected) > 60, "the roster should need more than two pages"
    # WHEN an empty-name search is paged through its nextSearch forms
    with jail_client(sim) as http:
        pages, rows = whole_roster(http, sim)
    # THEN every page but the last has 30 rows, "Showing x to y of z" adds up
    assert [p.first for p in pages] == list(range(1, len(expected) + 1, 30))
    assert all(len(p.rows) == 30 for p in pages[:-1]) and pages[-1].last == len(expected)
    assert {p.total for p in pages} == {len(expected)}
    # AND the rows are exactly those bookings, ordered by name then booking number
    assert [r.sys_id for r in rows] == [
        b["sys_id"]
        for b in sorted(expected.values(), key=lambda b: (b["roster_name"], b["booking_number"]))
    ]
    for row in rows:
        booking = expected[row.sys_id]
        assert row.img_sys_id == booking["img_sys_id"]
        assert (row.name, row.booking_number, row.permanent_id, row.dob, row.release_date) == (
            booking["roster_name"],
            booking["booking_number"],
            booking["permanent_id"],
            booking["dob"],
            None,
        )


def test_include_released_lists_the_recently_released_with_their_release_date(sim, truth):
    released = {b["sys_id"]: b for b in truth["released_bookings"]}
    assert released, "some people should have been released lately"
    earliest = AS_OF - timedelta(days=RELEASED_LISTED_DAYS - 1)
    assert all(earliest.isoformat() <= b["release_date"] <= str(AS_OF) for b in released.values())
    with jail_client(sim) as http:
        _, rows = whole_roster(http, sim, released=True)
    expected = {b["sys_id"]: b for b in listed(truth, released=True)}
    assert {r.sys_id for r in rows} == set(expected)
    assert {r.sys_id: r.release_date for r in rows} == {
        key: b["release_date"] for key, b in expected.items()
    }
    names = [(r.name, r.booking_number) for r in rows]
    assert names == sorted(names)


def test_the_roster_pages_first_prev_next_last_inside_the_session(sim, truth):
    total = len(truth["bookings"])
    last_start = (total - 1) // 30 * 30 + 1
    with jail_client(sim) as http:
        first = doc(jail_search(http, sim))
        starts = {
            f.get("name"): f.cssselect('input[name="currentStart"]')[0].get("value")
            for f in first.cssselect("form[name$=Search]")
        }
        navigation = [text(a) for a in first.cssselect("a.generalnav")]

        def page(action: str, start: int | str) -> InmateRosterPage:
            response = jail_post(http, sim, flow_action=action, currentStart=str(start))
            return parse_roster(response.text)

        last = page("last", starts["lastSearch"])
        nxt = page("next", 31)
        prev = page("prev", 1)
        beyond = page("next", last_start + 30)
        before = page("prev", -29)
        back = parse_roster(jail_post(http, sim, flow_action="inmatedb_srchresults").text)
        again = page("first", 1)
    assert starts == {
        "firstSearch": "1",
        "prevSearch": "-29",
        "nextSearch": "31",
        "lastSearch": str(last_start),
    }
    assert navigation == ["Next>", "Last>>"] * 2
    assert (last.first, last.last, last.next_start) == (last_start, total, None)
    assert (nxt.first, prev.first, before.first, again.first) == (31, 1, 1, 1)
    assert beyond.first == last_start, "a start past the end shows the last page"
    assert back.first == 1 and back.rows == again.rows


def test_a_middle_page_offers_every_paging_link_and_the_last_none_forward(sim, truth):
    last_start = (len(truth["bookings"]) - 1) // 30 * 30 + 1
    with jail_client(sim) as http:
        jail_search(http, sim)
        middle = doc(jail_post(http, sim, flow_action="next", currentStart="31").text)
        last = doc(jail_post(http, sim, flow_action="last", currentStart=str(last_start)).text)
    assert [text(a) for a in middle.cssselect("a.generalnav")][:4] == [
        "<<First",
        "<Prev",
        "Next>",
        "Last>>",
    ]
    assert [text(a) for a in last.cssselect("a.generalnav")][:2] == ["<<First", "<Prev"]
    assert "Next>" not in text(last)


def test_a_posted_quantity_sets_the_page_size(sim, truth):
    with jail_client(sim) as http:
        http.get("")
        page = parse_roster(jail_post(http, sim, flow_action="searchbyname", quantity="500").text)
    assert len(page.rows) == page.total == len(truth["bookings"]) and page.next_start is None


def test_name_and_birth_date_narrow_the_search(sim, truth):
    """Names match from their start, ignoring case and punctuation; a birth date exactly."""
    booking = truth["bookings"][0]
    person = person_of(truth, booking)
    prefix = person["last"][:3].lower()

    def found(last: str, first: str = "", dob: str | None = None) -> set[str]:
        return {
            b["sys_id"]
            for b in truth["bookings"]
            if fold(person_of(truth, b)["last"]).startswith(fold(last))
            and fold(person_of(truth, b)["first"]).startswith(fold(first))
            and dob in (None, b["dob"])
        }

    with jail_client(sim) as http:
        by_last = parse_roster(jail_search(http, sim, last=prefix))
        by_name = parse_roster(
            jail_search(http, sim, last=person["last"], first=person["first"][:2])
        )
        birth = mdy(date.fromisoformat(person["dob"]))
        by_dob = parse_roster(jail_search(http, sim, last=person["last"], dob=birth))
        nobody = parse_roster(jail_search(http, sim, last="Zzyzx"))
    assert {r.sys_id for r in by_last.rows} == found(prefix) and by_last.total < 60
    assert {r.sys_id for r in by_name.rows} == found(person["last"], person["first"][:2])
    assert {r.sys_id for r in by_dob.rows} == found(person["last"], dob=person["dob"])
    assert booking["sys_id"] in {r.sys_id for r in by_dob.rows}
    assert (nobody.total, nobody.rows) == (0, ())


def test_paging_without_a_search_or_a_session_answers_the_search_page(sim):
    with jail_client(sim) as http:
        no_session = jail_post(http, sim, flow_action="next", currentStart="31").text
        http.get("")
        no_search = jail_post(http, sim, flow_action="next", currentStart="31").text
        unknown = jail_post(http, sim, flow_action="whatever").text
    assert SEARCH_FIELD in no_session and SEARCH_FIELD in no_search and SEARCH_FIELD in unknown


def test_a_search_posted_without_a_session_starts_one(sim):
    with jail_client(sim) as http:
        first = jail_post(http, sim, flow_action="searchbyname")
        assert "JSESSIONID" in first.cookies
        second = jail_post(http, sim, flow_action="next", currentStart="31")
    assert parse_roster(first.text).first == 1 and parse_roster(second.text).first == 31


def test_an_expired_session_answers_the_search_page_to_paging_and_person_posts(sim, truth):
    booking = truth["bookings"][0]
    forms = (
        {"flow_action": "next", "currentStart": "31"},
        {"flow_action": "edit", "sysID": booking["sys_id"], "imgSysID": "0"},
    )
    with jail_client(sim) as http:
        for form in forms:
            jail_search(http, sim)
            httpx.post(f"{sim.admin_url}/sessions/expire")
            response = jail_post(http, sim, **form)
            assert SEARCH_FIELD in response.text, form
            assert "JSESSIONID" in response.cookies, "the answer starts a new session"


# -- the person page -------------------------------------------------------------------------


def test_every_listed_booking_opens_its_person_page_as_the_truth_says(sim, truth):
    with jail_client(sim) as http:
        _, rows = whole_roster(http, sim, released=True)
        by_sys_id = {b["sys_id"]: b for b in listed(truth, released=True)}
        for row in rows:
            html = person_page(http, sim, row.sys_id, row.img_sys_id)
            expected = expected_detail(truth, by_sys_id[row.sys_id], sim.state.county)
            assert as_24h(parse_inmate(html)) == expected, row.sys_id


def test_the_person_page_has_the_real_labels_and_sections(sim, truth):
    booking = next(b for b in truth["bookings"] if b["hearings"] and b["bonds"])
    with jail_client(sim) as http:
        jail_search(http, sim)
        root = doc(person_page(http, sim, booking["sys_id"]))
    titles = [text(td) for td in root.cssselect("td.header") if not td.xpath(".//td")]
    assert titles == [
        "Inmate Information",
        "Incarceration Information",
        "Alias Information",
        "Detainer Information",
        "Bond Information",
        "Charge Information",
        "Hearing Information",
    ]
    labels = {text(td) for td in root.cssselect("td.bodysmallbold")}
    assert {"Booking Number:", "Permanent ID:", "Commitment Date:", "Grand Total:"} <= labels
    (commitment,) = [
        td.getnext() for td in root.cssselect("td.bodysmallbold") if text(td) == "Commitment Date:"
    ]
    assert text(commitment) == mdy(date.fromisoformat(booking["commitment_date"]))
    sex = person_of(truth, booking)["sex"]
    assert [text(td) for td in root.cssselect("td.bodysmall")][:2] == ["Sex:", sex]


def test_a_booking_on_several_charges_lists_a_bond_for_each_and_their_total(sim, truth):
    booking = next(b for b in truth["bookings"] if len({c["charge"] for c in b["bonds"]}) > 2)
    with jail_client(sim) as http:
        jail_search(http, sim)
        detail = parse_inmate(person_page(http, sim, booking["sys_id"]))
    assert len(detail.bonds) == len(booking["bonds"]) > 2
    amounts = [b.amount for b in detail.bonds if b.amount is not None]
    assert f"{sum(float(a) for a in amounts):.2f}" == detail.bond_grand_total
    assert {b.case_number for b in detail.bonds} <= {
        c["court_case_number"] for c in booking["charges"]
    }


def test_a_posted_bond_shows_who_posted_it_and_when(sim, truth):
    booking = next(
        b for b in truth["released_bookings"] if any(x["status"] == "POSTED" for x in b["bonds"])
    )
    with jail_client(sim) as http:
        jail_search(http, sim, released=True)
        detail = parse_inmate(person_page(http, sim, booking["sys_id"]))
    posted = [b for b in detail.bonds if b.status == "POSTED"]
    assert posted and all(b.post_date == booking["release_date"] and b.posted_by for b in posted)
    assert detail.bookings[0].release_date == booking["release_date"]


def test_an_unknown_or_long_released_record_is_not_found(sim, portal_world):
    old = next(
        b
        for b in portal_world.bookings
        if b.released_on and (AS_OF - b.released_on).days >= RELEASED_LISTED_DAYS
    )
    with jail_client(sim) as http:
        jail_search(http, sim)
        pages = [person_page(http, sim, sys_id) for sys_id in ("123", old.sys_id, "")]
    for html in pages:
        root = doc(html)
        assert "No inmate was found" in text(root)
        assert not root.cssselect("td.header") and SEARCH_FIELD not in html
        with pytest.raises(CaseNotFound):
            parse_inmate(html)


def test_a_release_moves_the_booking_from_custody_to_the_released_listing(sim, portal_world):
    booking = next(
        b
        for b in portal_world.bookings
        if b.in_custody_on(AS_OF) and b.released_on and b.released_on > AS_OF
    )
    day = booking.released_on
    with jail_client(sim) as http:
        assert booking.sys_id in {r.sys_id for r in whole_roster(http, sim)[1]}
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": day.isoformat()})
        custody = {r.sys_id for r in whole_roster(http, sim)[1]}
        released = {r.sys_id: r for r in whole_roster(http, sim, released=True)[1]}
        detail = parse_inmate(person_page(http, sim, booking.sys_id))
        httpx.post(f"{sim.admin_url}/clock", json={"as_of": str(day + timedelta(days=30))})
        gone = person_page(http, sim, booking.sys_id)
    assert booking.sys_id not in custody
    assert released[booking.sys_id].release_date == day.isoformat()
    assert detail.bookings[0].release_date == day.isoformat()
    assert "No inmate was found" in gone


def test_the_details_print_form_opens_the_same_record(sim, truth):
    booking = truth["bookings"][0]
    with jail_client(sim) as http:
        jail_search(http, sim)
        edit = parse_inmate(person_page(http, sim, booking["sys_id"]))
        printed = jail_post(
            http, sim, flow_action="details_print", inmateID=booking["sys_id"], imgSysID="0"
        )
    assert parse_inmate(printed.text) == edit


# -- county profiles --------------------------------------------------------------------------


def test_a_bergen_shaped_county_has_four_columns_and_no_id_labels_or_hearings(bergen, truth):
    booking = next(b for b in truth["bookings"] if b["hearings"])
    with jail_client(bergen) as http:
        roster = doc(jail_search(http, bergen))
        _, rows = whole_roster(http, bergen)
        html = person_page(http, bergen, booking["sys_id"])
    headers = roster_headers(roster)
    assert headers == [
        "Inmate Name (last, first middle)",
        "Booking Number",
        "Permanent ID",
        "Release Date",
    ]
    assert all(r.dob is None and r.booking_number and r.permanent_id for r in rows)
    detail = parse_inmate(html)
    assert detail == expected_detail(truth, booking, bergen.state.county)
    assert detail.permanent_id is None and detail.bookings[0].booking_number is None
    assert "Hearing Information" not in html and "Booking Number:" not in html


def test_the_default_county_roster_has_the_date_of_birth_column(sim):
    with jail_client(sim) as http:
        roster = doc(jail_search(http, sim))
    headers = roster_headers(roster)
    assert headers == [
        "Inmate Name (last, first middle)",
        "Booking Number",
        "Permanent ID",
        "Date of Birth",
        "Release Date",
    ]


def test_a_county_without_the_released_option_never_lists_released_people(portal_world, truth):
    bluff = load_county("bluff_tn")
    county = dataclasses.replace(bluff, jail=dataclasses.replace(bluff.jail, released_option=False))
    state = PortalState.build(portal_world, AS_OF, FaultConfig(), Credentials(), county)
    with running(state) as server, jail_client(server) as http:
        form = http.get("").text
        _, rows = whole_roster(http, server, released=True)
    assert "systemUser_includereleasedinmate" not in form
    assert {r.sys_id for r in rows} == {b["sys_id"] for b in truth["bookings"]}


# -- faults -------------------------------------------------------------------------------


def test_soft_errors_on_roster_pages_do_not_parse_as_an_empty_roster(sim):
    with jail_client(sim) as http:
        jail_search(http, sim)
        set_faults(sim, "none,soft_error_rate=1")
        error = http.post("IML", data={"flow_action": "next", "currentStart": "31"})
        set_faults(sim, "none,soft_empty_rate=1")
        empty = http.post("IML", data={"flow_action": "next", "currentStart": "31"})
        set_faults(sim, "none")
        after = parse_roster(jail_post(http, sim, flow_action="next", currentStart="31").text)
    assert error.status_code == empty.status_code == 200
    assert "An unexpected error has occurred" in error.text
    for response in (error, empty):
        with pytest.raises(PageStructureError):
            parse_roster(response.text)
    assert after.first == 31, "the session and its search survive the faults"


def test_jail_pages_fail_with_500_503_429_and_latency_but_assets_do_not(sim):
    with jail_client(sim) as http:
        set_faults(sim, "none,error_rate=1")
        assert http.post("IML", data={"flow_action": "searchbyname"}).status_code == 500
        set_faults(sim, "none,outage_every_s=3600,outage_length_s=3600")
        assert http.get("").status_code == 503
        assert httpx.get(f"{sim.base_url}/css/body.css").status_code == 200
        assert httpx.get(f"{sim.base_url}/images/header.gif").status_code == 200
        set_faults(sim, "none,rate_limit_rps=2")
        codes = [http.get("").status_code for _ in range(6)]
        set_faults(sim, "none,latency_median_ms=150,latency_sigma=0.01")
        started = time.perf_counter()
        http.get("")
        slow = time.perf_counter() - started
    assert 429 in codes and 200 in codes
    assert slow >= 0.14
    requests = httpx.get(f"{sim.admin_url}/stats").json()["requests"]
    assert requests["jail.error"] >= 1 and requests["jail.outage"] >= 1


def test_the_stylesheets_and_images_the_pages_link_are_served(sim):
    with jail_client(sim) as http:
        html = jail_search(http, sim)
    root = doc(html)
    links = [link.get("href") for link in root.cssselect("link")]
    images = [img.get("src") for img in root.cssselect("img")] + [
        root.find("body").get("background")
    ]
    base = f"{sim.base_url}/jail/IML"
    for url in {*links, *images}:
        response = httpx.get(httpx.URL(base).join(url))
        assert response.status_code == 200, url
    assert httpx.get(f"{sim.base_url}/images/nothing.gif").status_code == 404
