"""Odyssey PublicAccess parsers against saved pages: each page has a reviewed expectation.

tests/examples/publicaccess/ holds real PublicAccess pages (copied byte for byte from the
anonymised real pages) and hand-made variants in the real shapes (see that folder's
README). Beside each page, `<name>.expected.json` maps a parser's name to what it must
return for the page, written by reading the page. To add a page, save it there and write
its expectation by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from ingest.errors import PageStructureError
from ingest.parsers import odyssey, publicaccess
from ingest.parsers.describe import describe_page
from ingest.records import hearing_key

EXAMPLES = Path(__file__).parents[1] / "examples"
PUBLICACCESS = EXAMPLES / "publicaccess"
REAL_PAGES = {
    "hays_tx_1.html",
    "hays_tx_criminal_1.html",
    "travis_tx_1.html",
    "travis_tx_2.html",
    "travis_tx_3.html",
    "travis_tx_4.html",
    "travis_tx_5.html",
    "travis_tx_6.html",
    "travis_tx_7.html",
    "williamson_tx_1.html",
    "hays_tx_main_page.html",
    "hays_tx_search_page.html",
    "travis_tx_calendar_results.html",
    "travis_tx_search_results.html",
}
READERS: dict[str, Callable[[str], Any]] = {
    "parse_case_detail": publicaccess.parse_case_detail,
    "parse_search_results": publicaccess.parse_search_results,
    "parse_calendar_results": publicaccess.parse_calendar_results,
    "parse_search_form": publicaccess.parse_search_form,
    "parse_main_menu": publicaccess.parse_main_menu,
}


def page(name: str) -> str:
    return (PUBLICACCESS / name).read_text()


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(asdict(value), ensure_ascii=False))


def example_pages() -> list[Path]:
    return sorted(PUBLICACCESS.glob("*.html"))


def expected(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        (PUBLICACCESS / name).with_suffix(".expected.json").read_text()
    )
    return found


def expectations() -> list[tuple[str, str]]:
    return [(p.name, reader) for p in example_pages() for reader in expected(p.name)]


@pytest.mark.parametrize(("name", "reader"), expectations())
def test_parser_output_equals_the_reviewed_expectation(name: str, reader: str) -> None:
    assert as_json(READERS[reader](page(name))) == expected(name)[reader]


def test_every_example_page_has_an_expectation_and_the_real_pages_are_there() -> None:
    names = {p.name for p in example_pages()}
    assert {name for name, _ in expectations()} == names
    assert names >= REAL_PAGES
    assert any(name.startswith("variant_") for name in names)


@pytest.mark.parametrize("name", [p.name for p in example_pages()])
def test_each_page_is_read_by_exactly_one_parser(name: str) -> None:
    """GIVEN any example page WHEN every PublicAccess parser reads it THEN only the one its
    expectation names accepts it; the others say what the page lacks."""
    (mine,) = expected(name)
    for reader, parse in READERS.items():
        if reader != mine:
            with pytest.raises(PageStructureError):
                parse(page(name))


# -- line endings and whitespace ---------------------------------------------------------


def test_the_real_pages_keep_their_line_endings() -> None:
    raw = {p.name: p.read_bytes() for p in example_pages()}
    assert b"\r\n" not in raw["travis_tx_1.html"]
    assert b"\r\n" in raw["hays_tx_1.html"]
    assert b"\r\r\n" in raw["hays_tx_search_page.html"]
    assert b"\r\r\n" in raw["hays_tx_main_page.html"]


@pytest.mark.parametrize("ending", ["\r\n", "\r\r\n", "\r"])
def test_line_endings_do_not_change_the_record(ending: str) -> None:
    original = page("travis_tx_1.html")
    assert "\r" not in original
    converted = original.replace("\n", ending)
    assert publicaccess.parse_case_detail(converted) == publicaccess.parse_case_detail(original)
    calendar = page("travis_tx_calendar_results.html")
    assert publicaccess.parse_calendar_results(
        calendar.replace("\n", ending)
    ) == publicaccess.parse_calendar_results(calendar)


def test_extra_whitespace_and_no_breaking_spaces_do_not_change_the_record() -> None:
    original = page("hays_tx_criminal_1.html")
    spaced = original.replace("<b>", "<b>&nbsp; \n ").replace("</b>", " \n&nbsp;</b>")
    assert spaced != original
    assert publicaccess.parse_case_detail(spaced) == publicaccess.parse_case_detail(original)


# -- case detail: structure --------------------------------------------------------------


def tables(html: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level `<table …>…</table>` of a case page's body."""
    spans, depth, start = [], 0, 0
    for match in re.finditer(r"<table\b|</table>", html):
        if match.group(0) == "<table":
            if depth == 0:
                start = match.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
    return spans


def section(html: str, title: str) -> tuple[int, int]:
    return next((s, e) for s, e in tables(html) if title in html[s:e][:2000])


def test_a_missing_section_leaves_the_rest_of_the_page() -> None:
    original = page("travis_tx_1.html")
    start, end = section(original, ">Financial Information<")
    without = publicaccess.parse_case_detail(original[:start] + original[end:])
    full = publicaccess.parse_case_detail(original)
    assert (without.financial, without.has_financial, without.fees_assessed) == ((), False, None)
    assert (without.parties, without.events, without.hearings) == (
        full.parties,
        full.events,
        full.hearings,
    )
    start, end = section(original, ">Party Information<")
    assert publicaccess.parse_case_detail(original[:start] + original[end:]).parties == ()


def test_sections_in_another_order_give_the_same_record() -> None:
    original = page("travis_tx_1.html")
    party = section(original, ">Party Information<")
    financial = section(original, ">Financial Information<")
    moved = (
        original[: party[0]]
        + original[financial[0] : financial[1]]
        + original[party[0] : financial[0]]
        + original[financial[1] :]
    )
    assert moved != original
    assert publicaccess.parse_case_detail(moved) == publicaccess.parse_case_detail(original)


def test_a_register_of_actions_without_a_case_number_fails_the_structural_check() -> None:
    broken = page("travis_tx_1.html").replace("J1-CV-20-001647", "")
    with pytest.raises(PageStructureError, match="case number"):
        publicaccess.parse_case_detail(broken)


def test_the_case_header_labels_and_unknown_labels_are_kept() -> None:
    criminal = publicaccess.parse_case_detail(page("variant_juniper_criminal.html"))
    assert (criminal.court, criminal.status, criminal.judicial_officer) == (
        "999th District Court",
        "Open",
        "Placeholder, Pat",
    )
    assert criminal.attributes == {"Offense Report #": "OR-2024-0777"}
    travis = publicaccess.parse_case_detail(page("travis_tx_1.html"))
    assert (travis.court, travis.filed_date, travis.status, travis.attributes) == (
        "Precinct One",
        "2020-04-27",
        "",
        {},
    )


# -- parties -----------------------------------------------------------------------------


def test_party_lines_give_gender_race_birth_and_keep_other_labels() -> None:
    hays = publicaccess.parse_case_detail(page("hays_tx_1.html")).parties[0]
    assert (hays.gender, hays.race, hays.dob, hays.birth_year) == (
        "Male",
        "White",
        "1994-09-20",
        1994,
    )
    assert hays.attributes == {"Height": "5' 10\"", "Weight": "205 lbs", "SID": "TX418273"}
    assert hays.address_lines == ("2318 Oak Meadow St.", "San Marcos, TX 78667")
    variant = publicaccess.parse_case_detail(page("variant_cedar_civil.html")).parties
    assert variant[0].attributes == {"Language": "Spanish"}
    assert (variant[1].role, variant[1].gender, variant[1].race) == ("Defendant 2", "Female", None)


def test_a_masked_date_of_birth_gives_the_birth_year_only() -> None:
    defendant = publicaccess.parse_case_detail(page("variant_juniper_criminal.html")).parties[0]
    assert (defendant.dob, defendant.birth_year) == (None, 1988)
    masked = page("hays_tx_1.html").replace("DOB: 09/20/1994", "DOB: XX/XX/1994")
    party = publicaccess.parse_case_detail(masked).parties[0]
    assert (party.dob, party.birth_year) == (None, 1994)


def test_attorneys_carry_kind_and_phone_and_struck_ones_are_off_the_case() -> None:
    travis = publicaccess.parse_case_detail(page("travis_tx_3.html")).parties
    assert travis[0].attorneys == ()  # "COLBY STRAND" is printed struck through
    assert [(a.name, a.is_lead, a.kind, a.phone) for a in travis[1].attorneys] == [
        ("MITCHELL R. HAAS", False, "Retained", "214-379-5521")
    ]
    restored = page("travis_tx_3.html").replace("<s>", "").replace("</s>", "")
    assert [a.name for a in publicaccess.parse_case_detail(restored).parties[0].attorneys] == [
        "COLBY STRAND"
    ]
    lead = publicaccess.parse_case_detail(page("hays_tx_criminal_1.html")).parties[0]
    assert [(a.name, a.is_lead, a.kind) for a in lead.attorneys] == [
        ("Douglas Pennebaker", True, "Court Appointed")
    ]
    without_headers = re.sub(r'headers="[^"]*"', "", page("hays_tx_criminal_1.html"))
    assert publicaccess.parse_case_detail(without_headers).parties == (
        publicaccess.parse_case_detail(page("hays_tx_criminal_1.html")).parties
    )
    juniper = publicaccess.parse_case_detail(page("variant_juniper_criminal.html")).parties
    assert [a.name for a in juniper[0].attorneys] == ["Appointed Counsel, Sample"]
    assert (juniper[1].is_pro_se, juniper[1].attorneys) == (True, ())


# -- docket ------------------------------------------------------------------------------


def test_hearings_are_told_from_events_by_the_time_they_print() -> None:
    criminal = publicaccess.parse_case_detail(page("hays_tx_criminal_1.html"))
    assert (len(criminal.events), len(criminal.hearings)) == (8, 7)
    order = next(e for e in criminal.events if e.event_type == "Order for Summons")
    assert order.attributes == {"Judicial Officer": "Toney, Audrey"}
    served = next(e for e in criminal.events if e.event_type == "Summons")
    assert served.attributes == {"Party": "Haverkamp, Colton Reid", "Served": "06/11/2020"}


def test_a_leading_canceled_cancels_a_hearing_and_its_first_note_is_why() -> None:
    hearings = publicaccess.parse_case_detail(page("hays_tx_1.html")).hearings
    canceled, held = hearings
    assert (canceled.is_canceled, canceled.cancel_reason, canceled.comment) == (
        True,
        "Court",
        "Zoom @ 10:45 ID: 914 6281 3307",
    )
    assert (held.is_canceled, held.cancel_reason, held.comment) == (
        False,
        None,
        "Zoom at 10:45 ID: 936 5140 2278",
    )
    results = [h.result for h in publicaccess.parse_case_detail(page("travis_tx_5.html")).hearings]
    assert results == ["Continued", "Appeared", None, "Reset By The Court", "Appeared"]


def test_the_hearing_key_is_the_portal_key_and_survives_a_later_cancellation() -> None:
    original = page("travis_tx_1.html")
    before = publicaccess.parse_case_detail(original).hearings[0]
    assert before.hearing_key == hearing_key("2020-05-14", "11:00", "Eviction Hearing", 1)
    title = "<b>Eviction Hearing</b>"
    assert original.count(title) == 1
    canceled = original.replace(title, "<i>CANCELED</i>&nbsp;" + title).replace(
        "<table></table>", "<div><i>Settled</i></div><table></table>"
    )
    after = publicaccess.parse_case_detail(canceled).hearings[0]
    assert (after.is_canceled, after.cancel_reason) == (True, "Settled")
    assert after.hearing_key == before.hearing_key


def test_hearings_alike_in_date_time_and_type_get_distinct_keys() -> None:
    first, second = publicaccess.parse_case_detail(page("variant_cedar_civil.html")).hearings
    assert (first.hearing_date, first.hearing_time, first.hearing_type) == (
        second.hearing_date,
        second.hearing_time,
        second.hearing_type,
    )
    assert first.hearing_key != second.hearing_key


# -- dispositions and charges ------------------------------------------------------------


def test_a_judgment_reads_its_amount_and_whom_it_awards() -> None:
    (judgment,) = publicaccess.parse_case_detail(page("williamson_tx_1.html")).judgments
    assert (judgment.judgment_type, judgment.amount, judgment.judgment_for) == (
        "Judgment",
        "1451.61",
        "Plaintiff",  # "Awarded To: Harlan Dewey Sorensen" is "Sorensen, Harlan Dewey"
    )
    assert judgment.party_names == ("Harlan Dewey Sorensen", "Marisol Delacroix, et al")
    (nobody,) = publicaccess.parse_case_detail(page("travis_tx_7.html")).judgments
    assert (nobody.amount, nobody.judgment_for) == (None, None)  # awarded to no party listed


def test_charges_take_their_outcome_from_the_latest_disposition_naming_them() -> None:
    detail = publicaccess.parse_case_detail(page("variant_juniper_criminal.html"))
    assert [(c.charge_seq, c.disposition, c.disposition_date) for c in detail.charges] == [
        (1, "Dismissed", "2024-07-08"),
        (2, "Guilty", "2024-05-06"),  # the later disposition gives a sentence, no outcome
    ]
    (charge,) = publicaccess.parse_case_detail(page("hays_tx_criminal_1.html")).charges
    assert (charge.statute, charge.degree, charge.offense_date, charge.disposition) == (
        "22.01(a)(1)",
        "Misdemeanor A",
        "2019-05-05",
        None,
    )


# -- financial ---------------------------------------------------------------------------


def test_amounts_print_without_dollars_and_negatives_in_parentheses() -> None:
    (financial,) = publicaccess.parse_case_detail(page("travis_tx_1.html")).financial
    assert [t.amount for t in financial.transactions] == ["126.00", "-126.00"]
    variant = publicaccess.parse_case_detail(page("variant_cedar_civil.html"))
    assert [f.party_name for f in variant.financial] == [
        "Cedar Grove Apartments LLC",
        "Example, Morgan",
    ]
    # "Balance Due as of 10/02/2023 … 1,000.00": the derived balance says the same
    assert (variant.fees_assessed, variant.paid, variant.balance_due) == (
        "1064.00",
        "64.00",
        "1000.00",
    )


def test_the_printed_balance_date_does_not_change_the_record() -> None:
    original = page("travis_tx_1.html")
    later = original.replace("Balance Due as of 05/13/2020", "Balance Due as of 06/30/2020")
    assert later != original
    assert (
        publicaccess.parse_case_detail(later).change_hash()
        == publicaccess.parse_case_detail(original).change_hash()
    )


# -- search and calendar results ---------------------------------------------------------


def test_search_results_are_read_by_their_stacked_headers() -> None:
    (row,) = publicaccess.parse_search_results(page("travis_tx_search_results.html")).rows
    assert (row.filed_date, row.location, row.case_type, row.status, row.portal_case_id) == (
        "2020-04-27",
        "Precinct One",
        "Eviction",
        "Final Status",
        "9288276",
    )
    assert row.case_link == "CaseDetail.aspx?CaseID=9288276"
    swapped = (
        page("travis_tx_search_results.html")
        .replace("<b>Filed/Location</b>", "<b>Location/Filed</b>")
        .replace("<div>04/27/2020</div>", "<div>@</div>")
        .replace("<div>Precinct One</div>", "<div>04/27/2020</div>")
        .replace("<div>@</div>", "<div>Precinct One</div>")
    )
    assert publicaccess.parse_search_results(swapped).rows == (row,)


def test_a_results_cell_with_a_date_of_birth_gives_name_and_birth_date() -> None:
    rows = publicaccess.parse_search_results(
        page("variant_juniper_criminal_search_results.html").replace("XX/XX/1988", "01/02/1988")
    ).rows
    assert [(r.party_name, r.dob) for r in rows] == [("Testperson, Avery Q", "1988-01-02")] * 2


def test_no_matches_is_an_empty_result_not_an_error() -> None:
    empty = (
        "<html><body><table><tr><td><b>Record Count:</b></td><td><b>0</b></td></tr></table>"
        "<table><tr><td><span>No cases matched your search criteria.</span></td></tr></table>"
        "</body></html>"
    )
    assert publicaccess.parse_search_results(empty).rows == ()
    calendar = publicaccess.parse_calendar_results(empty)
    assert (calendar.rows, calendar.total, calendar.max_results_hit) == ((), 0, False)


def test_a_page_that_counts_more_results_than_it_lists_says_so() -> None:
    calendar = publicaccess.parse_calendar_results(page("travis_tx_calendar_results.html"))
    assert (len(calendar.rows), calendar.total, calendar.max_results_hit) == (4, 22, True)
    search = publicaccess.parse_search_results(page("travis_tx_search_results.html"))
    assert search.max_results_hit is False  # "Record Count: 1", one row


def test_calendar_rows_link_the_case_by_its_case_id_and_print_no_hearing_id() -> None:
    calendar = publicaccess.parse_calendar_results(page("travis_tx_calendar_results.html"))
    first = calendar.rows[0]
    assert (first.case_id, first.hearing_id, first.encrypted_case_id) == ("1460168", None, None)
    assert (first.hearing_date, first.hearing_time, first.hearing_type) == (
        "2020-09-01",
        "12:00",
        "Eviction Hearing",
    )
    with pytest.raises(PageStructureError, match="court calendar"):
        publicaccess.parse_search_results(page("travis_tx_calendar_results.html"))


# -- search form and main menu -----------------------------------------------------------


def test_the_search_form_gives_what_a_navigator_posts_back() -> None:
    form = publicaccess.parse_search_form(page("hays_tx_search_page.html"))
    assert (form.action, form.method, form.has_viewstate, form.has_event_validation) == (
        "Search.aspx?ID=900",
        "POST",
        True,
        True,
    )
    assert ("5", "Date Range") in form.search_by
    assert form.search_by_selected == "Party or Defendant Name"
    assert form.fields["DateSettingOnAfter"] == "Date On or After"
    assert {"__VIEWSTATE", "__EVENTVALIDATION", "NodeID", "SearchParams"} <= set(form.hidden_fields)
    without = page("hays_tx_search_page.html").replace('name="__EVENTVALIDATION"', 'name="x"')
    assert publicaccess.parse_search_form(without).has_event_validation is False
    with pytest.raises(PageStructureError, match="__VIEWSTATE"):
        publicaccess.parse_search_form(
            page("hays_tx_search_page.html").replace('name="__VIEWSTATE"', 'name="x"')
        )


def test_the_main_menu_lists_its_searches_by_visible_text() -> None:
    menu = publicaccess.parse_main_menu(page("hays_tx_main_page.html"))
    assert [(s.text, s.url) for s in menu.searches][:3] == [
        ("Criminal Case Records", "Search.aspx?ID=100"),
        ("Civil, Family & Probate Case Records", "Search.aspx?ID=200"),
        ("Court Calendar", "Search.aspx?ID=900"),
    ]
    assert [s.group for s in menu.searches] == ["Case Records"] * 3 + ["Jail Records"] * 2
    assert [label for _, label in menu.locations] == [
        "All Courts",
        "Law Enforcement",
        "Jail Manager",
    ]


# -- generations and garbage -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["dekalb_ga_1.html", "napa_ca_1.html", "dekalb_ga_3_full_page.html"]
)
def test_a_portal_page_is_not_taken_for_a_publicaccess_page(name: str) -> None:
    portal = (EXAMPLES / "odyssey" / name).read_text()
    with pytest.raises(PageStructureError, match="Register of Actions"):
        publicaccess.parse_case_detail(portal)
    for parse in READERS.values():
        with pytest.raises(PageStructureError):
            parse(portal)
    assert describe_page(portal)["page"] == "case_detail"


@pytest.mark.parametrize("name", ["travis_tx_1.html", "hays_tx_criminal_1.html"])
def test_a_publicaccess_page_is_not_taken_for_a_portal_page(name: str) -> None:
    with pytest.raises(PageStructureError, match="Case Information"):
        odyssey.parse_case_detail(page(name))
    with pytest.raises(PageStructureError):
        odyssey.parse_results_grid(page("travis_tx_search_results.html"))
    assert describe_page(page(name))["page"] == "publicaccess_case_detail"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<html><body><div id='app'></div></body></html>",
        "<html><body><h1>An unexpected error has occurred.</h1></body></html>",
        "<html><body><table><tr><td>Register of Actions</td></tr></table></body></html>",
    ],
)
def test_garbage_fails_the_structural_check_instead_of_parsing_as_empty(body: str) -> None:
    for parse in READERS.values():
        with pytest.raises(PageStructureError):
            parse(body)


def test_describe_page_says_what_a_page_it_cannot_read_lacks() -> None:
    with pytest.raises(PageStructureError) as raised:
        describe_page("<html><body><p>Hello</p></body></html>")
    message = str(raised.value)
    for needed in ("Register of Actions", "CaseDetail.aspx", "__VIEWSTATE", "search links"):
        assert needed in message


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("travis_tx_1.html", "publicaccess_case_detail"),
        ("variant_cedar_civil.html", "publicaccess_case_detail"),
        ("travis_tx_search_results.html", "publicaccess_search_results"),
        ("travis_tx_calendar_results.html", "publicaccess_calendar_results"),
        ("hays_tx_search_page.html", "publicaccess_search_form"),
        ("hays_tx_main_page.html", "publicaccess_main_menu"),
    ],
)
def test_describe_page_tells_the_publicaccess_page_kinds(name: str, kind: str) -> None:
    assert describe_page(page(name))["page"] == kind


def test_describe_page_prints_a_publicaccess_case_in_the_portal_shape() -> None:
    portal = describe_page((EXAMPLES / "odyssey" / "chatham_ga_1.html").read_text())
    described = describe_page(page("hays_tx_1.html"))
    assert set(described) == set(portal)
    assert set(described["case"]) == set(portal["case"])
    assert set(described["hearings"][0]) == set(portal["hearings"][0])
    assert described["case"]["case_number"] == "F21-019J11"
    assert described["parties"][0]["birth_year"] == 1994
    json.dumps(described)


def test_a_record_from_either_generation_round_trips_through_json() -> None:
    detail = publicaccess.parse_case_detail(page("variant_juniper_criminal.html"))
    again = type(detail).from_dict(json.loads(json.dumps(asdict(detail))))
    assert again == detail
    assert replace(again, portal_case_id="1").change_hash() == detail.change_hash()
