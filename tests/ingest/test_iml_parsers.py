"""IML jail roster parsers against saved pages, each with a reviewed expected-output JSON.

tests/examples/jail_iml/ holds the two real IML pages (copied unchanged from the anonymised
real_pages) and hand-made variants in the same markup (see that folder's README). Beside
each page, `<name>.expected.json` maps a parser's name to what it must return for the page,
written by reading the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from ingest.errors import PageStructureError
from ingest.parsers.describe import describe_page
from ingest.parsers.iml import parse_inmate, parse_roster

EXAMPLES = Path(__file__).parents[1] / "examples"
IML = EXAMPLES / "jail_iml"
ROSTER = "bergen_nj_roster_page.html"
PERSON = "bergen_nj_person_page.html"
TWO_BONDS = "person_released_two_bonds.html"

READERS: dict[str, Callable[[str], Any]] = {
    "parse_roster": parse_roster,
    "parse_inmate": parse_inmate,
}


def page(name: str) -> str:
    return (IML / name).read_text()


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(asdict(value), ensure_ascii=False))


def expectations() -> list[tuple[str, str]]:
    """(page, parser name) for every expectation written beside an example page."""
    found = []
    for source in sorted(IML.glob("*.html")):
        expected = source.with_name(source.stem + ".expected.json")
        if expected.exists():
            found.extend((source.name, reader) for reader in json.loads(expected.read_text()))
    return found


def expected(name: str) -> dict[str, Any]:
    return json.loads((IML / name).with_suffix(".expected.json").read_text())


@pytest.mark.parametrize(("name", "reader"), expectations())
def test_parser_output_equals_the_reviewed_expectation(name: str, reader: str) -> None:
    assert as_json(READERS[reader](page(name))) == expected(name)[reader]


def test_every_example_page_has_an_expectation() -> None:
    pages = {p.name for p in IML.glob("*.html")}
    assert {name for name, _ in expectations()} == pages
    assert {ROSTER, PERSON} <= pages


# -- roster ------------------------------------------------------------------------------


def test_the_real_roster_reads_its_paging_and_every_row() -> None:
    roster = parse_roster(page(ROSTER))
    assert (roster.first, roster.last, roster.total, roster.next_start) == (1, 30, 780, 31)
    assert len(roster.rows) == 30
    assert roster.rows[1].name == "O'CONNOR, BRIDGET ANNE"  # &#039; decoded
    assert (roster.rows[5].sys_id, roster.rows[5].img_sys_id) == (
        "83741076437381",
        "488144503572061",
    )


def test_roster_columns_are_read_by_header_text_whatever_their_order() -> None:
    # GIVEN the real roster with its columns swapped and a "DOB" column added
    html = page(ROSTER).replace(
        '<td width = "330">Inmate Name (last, first middle)</td>\n'
        '                              <td width = "130">Booking Number</td>',
        '<td width = "130">Booking Number</td>\n'
        '                              <td width = "330">Inmate Name (last, first middle)</td>',
    )
    html = html.replace(
        '<td width="130">Release Date</td>',
        '<td width="130">Release Date</td><td>DOB</td><td>Sex</td>',
    )
    html = re.sub(r"(<tr [^>]*id=\"row\d+\"[^>]*>\n)(.*?\n)(.*?\n)", r"\1\3\2", html)
    html = html.replace(
        "></a></td>\n                </tr>", "></a></td><td>04/18/1995</td><td>F</td></tr>"
    )
    # WHEN it is parsed THEN every value lands in its own field
    row = parse_roster(html).rows[0]
    assert (row.name, row.booking_number, row.dob) == (
        "HOLLOWAY, TERRENCE J",
        "NAME, NO",
        "1995-04-18",
    )
    assert row.attributes == {"Sex": "F"}


def test_a_row_without_an_onclick_opens_its_record_through_the_submit_link() -> None:
    html = page(ROSTER).replace(
        """ onClick="rowClicked('1','818651606165483','818651606165483')\"""", ""
    )
    html = html.replace(
        "javascript:submitInmate('818651606165483','818651606165483')",
        "javascript:submitInmate(1234, 5678)",
    )
    row = parse_roster(html).rows[0]
    assert (row.sys_id, row.img_sys_id) == ("1234", "5678")


def test_an_empty_roster_has_no_rows() -> None:
    # GIVEN the real roster with every row removed and "Showing 0 to 0 of 0 results"
    html = re.sub(r"<tr [^>]*id=\"row\d+\".*?</tr>", "", page(ROSTER), flags=re.S)
    html = re.sub(r"Showing\s+1 to\s+30\s+of\s+780 results", "Showing 0 to 0 of 0 results", html)
    empty = parse_roster(html)
    assert (empty.rows, empty.total, empty.next_start) == ((), 0, None)
    # GIVEN an IML page that only says nobody was found
    message = (
        '<html><body><form name="viewInmate" method="post" action="/IML">'
        '<input type="hidden" name="flow_action" value="edit"></form>'
        '<span class="body">No inmates found matching your search.</span></body></html>'
    )
    assert parse_roster(message).rows == ()


def test_a_page_that_is_no_roster_raises_saying_what_is_missing() -> None:
    for html in (page(PERSON), "<html><body><p>No records found</p></body></html>"):
        with pytest.raises(PageStructureError, match='"Showing x to y of z results"'):
            parse_roster(html)


def test_a_roster_showing_fewer_rows_than_it_says_raises() -> None:
    html = re.sub(r"<tr [^>]*id=\"row30\".*?</tr>", "", page(ROSTER), flags=re.S)
    with pytest.raises(PageStructureError, match="shows 1 to 30 of 780 results but has 29 rows"):
        parse_roster(html)


def test_roster_rows_need_a_header_row_and_a_next_page_a_next_form() -> None:
    with pytest.raises(PageStructureError, match="column header"):
        parse_roster(page(ROSTER).replace("Inmate Name (last, first middle)", "Person"))
    no_form = re.sub(r'<form name="nextSearch".*?</form>', "", page(ROSTER), flags=re.S)
    with pytest.raises(PageStructureError, match="nextSearch"):
        parse_roster(no_form)


def test_the_last_page_has_no_next_start_even_with_a_next_form() -> None:
    last = parse_roster(page("roster_last_page.html"))
    assert (last.last, last.total, last.next_start) == (63, 63, None)
    assert 'name="nextSearch"' in page("roster_last_page.html")


# -- person page -------------------------------------------------------------------------


def test_the_real_person_page_reads_identity_stay_and_charge() -> None:
    person = parse_inmate(page(PERSON))
    assert (person.name, person.sex, person.dob, person.race) == (
        "DARIUS MCFADDEN",
        "M",
        "1983-01-27",
        "BLACK",
    )
    (booking,) = person.bookings
    assert booking.housing == "NORTH / N3D / 14 / Lower"  # padded cells collapsed
    assert person.bonds == ()  # the one bond group is all blank
    assert (person.aliases, person.detainers) == ((), ())


def test_physical_descriptors_and_government_ids_are_not_kept() -> None:
    printed = json.dumps(as_json(parse_inmate(page(PERSON))))
    for value in ("6' 6", "145", "BROWN", "DARK SKINNED", "081639527", '"US"', 'IMMIGRATION"'):
        assert value not in printed


def test_amounts_and_dates_are_normalised() -> None:
    person = parse_inmate(page(TWO_BONDS).replace("$5,000.00", "$1,234.00"))
    assert person.bonds[0].amount == "1234.00"
    assert person.bonds[0].post_date == "2024-03-15"
    assert person.bond_grand_total == "7500.00"
    with pytest.raises(PageStructureError, match="unexpected date"):
        parse_inmate(page(PERSON).replace('"#FFFFFF">07/25/2018<', '"#FFFFFF">2018-07-25<'))
    with pytest.raises(PageStructureError, match="unexpected amount"):
        parse_inmate(page(TWO_BONDS).replace("$5,000.00", "FIVE THOUSAND"))


def test_a_hearing_date_with_a_time_keeps_the_printed_cell() -> None:
    html = page(TWO_BONDS).replace("<td>03/14/2024</td>", "<td>03/14/2024 09:00 AM</td>")
    (hearing,) = parse_inmate(html).hearings
    assert hearing.hearing_date == "2024-03-14"
    assert hearing.attributes["Hearing Date"] == "03/14/2024 09:00 AM"


def test_a_charge_table_needs_a_header_with_a_description_column() -> None:
    without_header = re.sub(
        r'<tr bgcolor="#D7D7D7" class="bodysmallbold">\s*<td>Case #</td>.*?</tr>',
        "",
        page(PERSON),
        flags=re.S,
    )
    with pytest.raises(PageStructureError, match="no column header row"):
        parse_inmate(without_header)
    with pytest.raises(PageStructureError, match="no Description column"):
        parse_inmate(page(PERSON).replace(">Description<", ">Offense<"))


def test_a_section_holding_only_its_title_is_empty() -> None:
    # GIVEN the real page without the "There are no aliases" row (the title row only)
    html = page(PERSON).replace("There are no aliases for this inmate.", "")
    html = re.sub(r"<tr[^>]*>\s*<td colspan=\"4\"></td>\s*</tr>", "", html)
    assert "Alias Information" in html
    assert '<td colspan="4"></td>' not in html
    assert parse_inmate(html) == parse_inmate(page(PERSON))


def test_a_bond_section_without_bond_labels_raises() -> None:
    html = page(PERSON).replace(">Case #:<", ">Case<").replace(">Amount:<", ">Amt<")
    html = html.replace(">Status:<", ">St<").replace(">Posted By:<", ">By<")
    with pytest.raises(PageStructureError, match="no bond labels"):
        parse_inmate(html.replace(">Post Date:<", ">On<"))


def test_a_page_that_is_no_person_page_raises_saying_what_is_missing() -> None:
    with pytest.raises(
        PageStructureError, match=re.escape('no "Name:" label and no td.header section')
    ):
        parse_inmate(page(ROSTER))


# -- describe_page -----------------------------------------------------------------------


def test_describe_page_reads_a_roster_in_the_issue_shape() -> None:
    described = describe_page(page(ROSTER))
    assert described["page"] == "roster"
    assert (described["total"], described["next_start"], len(described["rows"])) == (780, 31, 30)
    assert described["rows"][0]["name"] == "HOLLOWAY, TERRENCE J"
    json.dumps(described)


def test_describe_page_reads_a_person_page_in_the_issue_shape() -> None:
    described = describe_page(page(TWO_BONDS))
    assert set(described) == {
        "page",
        "person",
        "bookings",
        "detainers",
        "bonds",
        "bond_grand_total",
        "charges",
        "hearings",
    }
    assert described["page"] == "inmate"
    assert described["person"] == {
        "name": "MARGARET R QUINLAN",
        "sex": "F",
        "dob": "1990-09-14",
        "race": "WHITE",
        "permanent_id": "100452",
        "aliases": ["QUINLAN, MAGGIE", "ROSE, MARGARET Q"],
    }
    assert described["bookings"][0]["release_date"] == "2024-03-15"
    assert [b["amount"] for b in described["bonds"]] == ["5000.00", "2500.00"]
    assert described["charges"][0]["description"] == "THEFT-UNLAWFUL TAKING & DISPOSITION"
    assert describe_page(page(PERSON))["page"] == "inmate"
    json.dumps(described)


def test_describe_page_names_the_iml_kinds_when_it_reads_nothing() -> None:
    with pytest.raises(PageStructureError) as raised:
        describe_page("<html><body><p>Hello</p></body></html>")
    assert "not an IML roster page" in str(raised.value)
    assert "not an IML person page" in str(raised.value)
