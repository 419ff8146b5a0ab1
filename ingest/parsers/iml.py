"""Pure parsers for IML "Inmate Lookup" jail roster pages: HTML in, records out.

IML is one servlet (`POST …/IML`) driven by `flow_action` forms, so its pages carry no ids
of their own worth reading. Both pages are nested layout tables, read by what they print:

- the roster by its "Showing x to y of z results" line, its `tr[id=rowN]` rows (the record
  each opens is in `rowClicked('N','sysID','imgSysID')` or `submitInmate(sysID,
  imgSysID)`) and their cells by the column header text, since the column set differs by
  county; the next page by the hidden `nextSearch` form's `currentStart`;
- the person page by label cells ("Sex:", "Commitment Date:", …, each followed by its
  value cell) and by the sections headed by `td.header` cells (Incarceration Information,
  Alias, Detainer, Bond, Charge and Hearing Information), tables by their header text.

Physical descriptors and government identifiers (Height, Weight, Hair, Eye Color,
Complexion, Marital Status, State ID, FBI, INS, Citizen, COB) are never read: only the
labels below are. A page without what its kind must have raises `PageStructureError`
naming what was missing, never an empty result, so an error body cannot pass for "no
inmates".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import astuple

from lxml.html import HtmlElement

from ingest.errors import CaseNotFound, PageStructureError
from ingest.parsers.html import birth_date, collapse, has_class, iso_date, money, parse_html, text
from ingest.records import (
    InmateBond,
    InmateBooking,
    InmateCharge,
    InmateDetail,
    InmateHearing,
    InmateRosterPage,
    InmateRow,
)

SHOWING = re.compile(r"showing\s+(\d+)\s+to\s+(\d+)\s+of\s+(\d+)\s+results?", re.I)
NO_RESULTS = re.compile(
    r"\bno\s+(?:inmates?|records?|results?|matches|persons?)\s+(?:(?:were|was)\s+)?found"
    r"|returned\s+no\s+(?:results?|records?|inmates?)",
    re.I,
)
#: A section's "nothing here" row: "There are no aliases …", "There is no detainer …".
NOTHING = re.compile(r"^there\s+(?:is|are)\s+no\b|^no\s+\w+(?:\s+\w+)?\s+(?:found|on file)", re.I)
# A person page for a record the roster no longer has (released, or a stale id).
NOT_FOUND = re.compile(
    r"\b(?:not|no longer|cannot)\s+(?:be\s+)?found\b|\bno\s+(?:\w+\s+){0,3}found\b", re.I
)
ROW_ID = re.compile(r"row\d+")
_ARG = r"""\s*['"]?([^'",)]*)['"]?\s*"""
ROW_CLICKED = re.compile(rf"rowClicked\({_ARG},{_ARG},{_ARG}\)")
SUBMIT_INMATE = re.compile(rf"submitInmate\({_ARG},{_ARG}\)")

#: Roster column headers (lower case, parenthesised hints dropped) → InmateRow field.
ROSTER_COLUMNS = {
    "inmate name": "name",
    "name": "name",
    "booking number": "booking_number",
    "booking #": "booking_number",
    "booking no": "booking_number",
    "permanent id": "permanent_id",
    "perm id": "permanent_id",
    "permanent id #": "permanent_id",
    "date of birth": "dob",
    "dob": "dob",
    "birth date": "dob",
    "release date": "release_date",
}
#: Person labels → InmateDetail field.
PERSON_LABELS = {
    "name": "name",
    "inmate name": "name",
    "sex": "sex",
    "gender": "sex",
    "dob": "dob",
    "date of birth": "dob",
    "race": "race",
    "permanent id": "permanent_id",
    "perm id": "permanent_id",
    "permanent id #": "permanent_id",
}
#: Incarceration labels → InmateBooking field (the booking number may sit in Inmate
#: Information instead); every "Current Housing …" / "Housing …" label is housing.
BOOKING_LABELS = {
    "booking number": "booking_number",
    "booking #": "booking_number",
    "booking no": "booking_number",
    "commitment date": "commitment_date",
    "release date": "release_date",
    "current location": "location",
}
BOND_LABELS = {
    "case #": "case_number",
    "case number": "case_number",
    "amount": "amount",
    "bond amount": "amount",
    "status": "status",
    "bond status": "status",
    "posted by": "posted_by",
    "post date": "post_date",
}
GRAND_TOTAL = "grand total"
CHARGE_COLUMNS = {
    "case #": "case_number",
    "case number": "case_number",
    "offense date": "offense_date",
    "code": "code",
    "statute": "code",
    "description": "description",
    "charge": "description",
    "grade": "grade",
    "degree": "degree",
}
HEARING_DATE_COLUMNS = ("hearing date", "court date", "date")


#: Titles (lower case) of the person page's list sections, by what the section holds.
ALIASES = ("alias information", "aliases")
DETAINERS = ("detainer information", "detainers")
BONDS = ("bond information", "bonds")
CHARGES = ("charge information", "charges")
HEARINGS = ("hearing information", "hearings", "court information")
#: Sections of lists: their labels are never read as the person's own.
LIST_SECTIONS = ALIASES + DETAINERS + BONDS + CHARGES + HEARINGS

Sections = dict[str, list[HtmlElement]]  # section title (lower case) → the rows under it


# -- shared ------------------------------------------------------------------------------


def _key(printed: str) -> str:
    """A label or header as a lookup key: lower case, no trailing colon, no "(…)" hint."""
    return re.sub(r"\([^)]*\)", " ", collapse(printed)).strip().rstrip(":.").strip().lower()


def _printed(cell: HtmlElement) -> str:
    """A label or header as printed, without a trailing colon (the `attributes` key)."""
    return text(cell).rstrip(":").strip()


def _cells(tr: HtmlElement) -> list[HtmlElement]:
    """The row's own cells (not those of tables inside them)."""
    return [cell for cell in tr if cell.tag in ("td", "th")]


def _spans(tr: HtmlElement) -> list[tuple[int, int, HtmlElement]]:
    """(first column, last column, cell) for a row's cells, counting `colspan`."""
    spans = []
    column = 0
    for cell in _cells(tr):
        span = cell.get("colspan", "").strip()
        width = int(span) if span.isdigit() and int(span) > 0 else 1
        spans.append((column, column + width - 1, cell))
        column += width
    return spans


def _is_result_row(tr: HtmlElement) -> bool:
    """A roster result row (`tr id="rowN"`)."""
    return ROW_ID.fullmatch(tr.get("id", "")) is not None


def _optional(value: str | None) -> str | None:
    """Printed text, or None for a blank or absent value."""
    return value or None


# -- roster ------------------------------------------------------------------------------


def parse_roster(html: str) -> InmateRosterPage:
    """One roster (search results) page. A page without results ("Showing 0 to 0 of 0
    results", or an IML page saying no inmates were found) has no rows."""
    root = parse_html(html)
    showing = _showing(root)
    rows = [tr for tr in root.iter("tr") if _is_result_row(tr)]
    if showing is None:
        if rows or not _says_no_results(root):
            raise PageStructureError(
                'not an IML roster page: no "Showing x to y of z results" line'
                " and no no-results message",
                html,
            )
        return InmateRosterPage(rows=(), first=0, last=0, total=0, next_start=None)
    first, last, total = showing
    shown = last - first + 1 if total else 0
    if len(rows) != shown:
        raise PageStructureError(
            f"the roster says it shows {first} to {last} of {total} results"
            f" but has {len(rows)} rows",
            html,
        )
    columns = _roster_columns(root) if rows else {}
    return InmateRosterPage(
        rows=tuple(_roster_row(tr, columns) for tr in rows),
        first=first,
        last=last,
        total=total,
        next_start=None if last >= total else _next_start(root, html),
    )


def _showing(root: HtmlElement) -> tuple[int, int, int] | None:
    """(x, y, z) of "Showing x to y of z results": in a `<font>`, else anywhere."""
    for node in (*root.iter("font"), root):
        match = SHOWING.search(text(node))
        if match:
            first, last, total = (int(group) for group in match.groups())
            return first, last, total
    return None


def _says_no_results(root: HtmlElement) -> bool:
    """An IML page (it has `flow_action` forms) that says the search found nobody."""
    is_iml = bool(root.cssselect('input[name="flow_action"]'))
    return is_iml and NO_RESULTS.search(text(root)) is not None


def _roster_columns(root: HtmlElement) -> dict[int, str]:
    """Column → InmateRow field, or the header as printed for a column it has no field
    for. The header row is the first row (no result row, no nested table) with a name
    column header."""
    for tr in root.iter("tr"):
        if _is_result_row(tr) or tr.xpath(".//table"):
            continue
        spans = _spans(tr)
        if any(ROSTER_COLUMNS.get(_key(text(cell))) == "name" for _, _, cell in spans):
            return {
                start: ROSTER_COLUMNS.get(_key(text(cell)), _printed(cell))
                for start, _, cell in spans
            }
    raise PageStructureError('roster rows without a column header row ("Inmate Name" …)')


def _roster_row(tr: HtmlElement, columns: dict[int, str]) -> InmateRow:
    """A result row: its cells by column header, and the ids of the record it opens."""
    cells = {start: cell for start, _, cell in _spans(tr)}
    if set(cells) != set(columns):
        raise PageStructureError(
            f"roster {tr.get('id')} has cells at columns {sorted(cells)}"
            f" but headers at {sorted(columns)}"
        )
    values = {columns[start]: text(cell) for start, cell in cells.items()}
    name = values.pop("name")
    if not name:
        raise PageStructureError(f"roster {tr.get('id')} without a name")
    sys_id, img_sys_id = _row_ids(tr)
    return InmateRow(
        name=name,
        sys_id=sys_id,
        img_sys_id=img_sys_id,
        booking_number=_optional(values.pop("booking_number", None)),
        permanent_id=_optional(values.pop("permanent_id", None)),
        dob=birth_date(values.pop("dob", None))[0],
        release_date=iso_date(values.pop("release_date", None)),
        attributes=values,
    )


def _row_ids(tr: HtmlElement) -> tuple[str, str]:
    """(sysID, imgSysID) from the row's `rowClicked(…)`, else from a `submitInmate(…)`."""
    clicked = ROW_CLICKED.search(tr.get("onclick", ""))
    if clicked:
        return clicked.group(2), clicked.group(3)
    for link in tr.iter("a"):
        submit = SUBMIT_INMATE.search(link.get("href", ""))
        if submit:
            return submit.group(1), submit.group(2)
    raise PageStructureError(f"roster {tr.get('id')} opens no record (no rowClicked/submitInmate)")


def _next_start(root: HtmlElement, html: str) -> int:
    """`currentStart` of the hidden `nextSearch` form."""
    field = root.cssselect('form[name="nextSearch"] input[name="currentStart"]')
    value = field[0].get("value", "").strip() if field else ""
    if not value.isdigit():
        raise PageStructureError(
            "the roster has more results but no nextSearch form with a currentStart", html
        )
    return int(value)


# -- person page: sections and labels ----------------------------------------------------


def _is_title(td: HtmlElement) -> bool:
    """A section title cell: a `td.header` without another one inside (IML nests them)."""
    return has_class(td, "header") and not any(
        has_class(inner, "header") for inner in td.iterdescendants("td")
    )


def _sections(root: HtmlElement) -> Sections:
    """Every `td.header` section of the page, by title (the first one of a title)."""
    found: Sections = {}
    for td in root.iter("td"):
        if _is_title(td):
            found.setdefault(_key(text(td)), _section_rows(td))
    return found


def _section_rows(title: HtmlElement) -> list[HtmlElement]:
    """The rows after the title's own row in the nearest table around it that has any,
    up to the next section; none when that table's row holds other sections too."""
    for table in title.iterancestors("table"):
        rows = table.xpath("./tr | ./*/tr")
        own = next((row for row in rows if title in row.iterdescendants()), None)
        if own is None:
            continue
        if any(other is not title for other in own.iter("td") if _is_title(other)):
            return []
        after = rows[rows.index(own) + 1 :]
        if after:
            section = []
            for row in after:
                if any(_is_title(td) for td in row.iter("td")):
                    break
                section.append(row)
            return section
    return []


def _section(sections: Sections, titles: tuple[str, ...]) -> list[HtmlElement]:
    """The rows of the first of `titles` the page has (none when it has none)."""
    return next((sections[title] for title in titles if title in sections), [])


def _is_label(cell: HtmlElement) -> bool:
    """A label cell ("Sex:", "Commitment Date:"): text ending in a colon, no table in it."""
    return text(cell).endswith(":") and not cell.xpath(".//table")


def _nested(rows: Iterable[HtmlElement]) -> list[HtmlElement]:
    """`rows` and the rows of the tables inside them, in page order."""
    return [inner for row in rows for inner in row.iter("tr")]


def _labels(rows: Iterable[HtmlElement]) -> list[tuple[str, str]]:
    """(label key, value) of each label cell of `rows`, in page order; the value is the
    next cell's text ("" when the next cell is another label)."""
    pairs = []
    for tr in rows:
        cells = _cells(tr)
        for position, cell in enumerate(cells):
            if not _is_label(cell):
                continue
            value = cells[position + 1] if position + 1 < len(cells) else None
            pairs.append(
                (_key(text(cell)), "" if value is None or _is_label(value) else text(value))
            )
    return pairs


def _inline_labels(root: HtmlElement, skip: set[HtmlElement]) -> list[tuple[str, str]]:
    """Labels printed as a `<font>`/`<span>` followed by the element holding the value
    (the page's heading `<font>Name: </font> <font class="bodywhite">…</font>`)."""
    pairs = []
    for node in root.iter("font", "span"):
        value = node.getnext()
        if len(node) or value is None or not text(node).endswith(":"):
            continue
        if not any(row in skip for row in node.iterancestors("tr")):
            pairs.append((_key(text(node)), text(value)))
    return pairs


def _pick(pairs: Iterable[tuple[str, str]], fields: dict[str, str]) -> dict[str, str]:
    """Field → the first non-blank value of a label mapped to it."""
    found: dict[str, str] = {}
    for key, value in pairs:
        field = fields.get(key)
        if field is not None and not found.get(field):
            found[field] = value
    return found


# -- person page -------------------------------------------------------------------------


def parse_inmate(html: str) -> InmateDetail:
    """A person (inmate detail) page. It must print a "Name:" label and `td.header`
    sections; a section the page leaves out is simply empty."""
    root = parse_html(html)
    sections = _sections(root)
    in_lists = set(_nested(row for title in LIST_SECTIONS for row in sections.get(title, [])))
    own = [
        *_labels(tr for tr in root.iter("tr") if tr not in in_lists),
        *_inline_labels(root, in_lists),
    ]
    person = _pick(own, PERSON_LABELS)
    missing = [
        what
        for what, absent in (
            ('"Name:" label', not person.get("name")),
            ("td.header section", not sections),
        )
        if absent
    ]
    if missing:
        if not sections and NOT_FOUND.search(text(root)):
            raise CaseNotFound("the jail roster no longer has this inmate")
        raise PageStructureError("not an IML person page: no " + " and no ".join(missing), html)
    bonds, grand_total = _bonds(_section(sections, BONDS))
    return InmateDetail(
        name=person["name"],
        sex=_optional(person.get("sex")),
        dob=birth_date(person.get("dob"))[0],
        race=_optional(person.get("race")),
        permanent_id=_optional(person.get("permanent_id")),
        bookings=_bookings(own),
        aliases=_list_rows(_section(sections, ALIASES), " "),
        detainers=_list_rows(_section(sections, DETAINERS), " | "),
        bonds=bonds,
        bond_grand_total=grand_total,
        charges=_charges(_section(sections, CHARGES)),
        hearings=_hearings(_section(sections, HEARINGS)),
    )


def _bookings(own: list[tuple[str, str]]) -> tuple[InmateBooking, ...]:
    """The stay the Incarceration Information labels describe (the booking number may be
    printed in Inmate Information); none when the page prints nothing of it."""
    values = _pick(own, BOOKING_LABELS)
    housing = [value for key, value in own if key.startswith(("current housing", "housing"))]
    booking = InmateBooking(
        booking_number=_optional(values.get("booking_number")),
        commitment_date=iso_date(values.get("commitment_date")),
        release_date=iso_date(values.get("release_date")),
        location=_optional(values.get("location")),
        housing=" / ".join(part for part in housing if part) or None,
    )
    return (booking,) if any(astuple(booking)) else ()


def _is_header_row(tr: HtmlElement, known: Iterable[str] = ()) -> bool:
    """A table's header row: styled `bodysmallbold`, or naming a column in `known`."""
    keys = {_key(text(cell)) for cell in _cells(tr)}
    return has_class(tr, "bodysmallbold") or not keys.isdisjoint(known)


def _is_data_row(tr: HtmlElement) -> bool:
    """A row of a section's list: cells with text, no header, no "There are no …"."""
    content = text(tr)
    return (
        bool(_cells(tr))
        and bool(content)
        and not _is_header_row(tr)
        and NOTHING.search(content) is None
    )


def _list_rows(rows: list[HtmlElement], separator: str) -> tuple[str, ...]:
    """Each row of a list section (aliases, detainers): its cells' texts joined."""
    return tuple(
        separator.join(text(cell) for cell in _cells(tr) if text(cell) and not _is_label(cell))
        for tr in rows
        if _is_data_row(tr)
    )


def _bonds(rows: list[HtmlElement]) -> tuple[tuple[InmateBond, ...], str | None]:
    """The bond groups (Case #, Amount, Status, Posted By, Post Date; a label met again
    starts the next bond; an all-blank group is no bond) and the Grand Total."""
    groups: list[dict[str, str]] = []
    grand_total = None
    for key, value in _labels(_nested(rows)):
        if key == GRAND_TOTAL:
            grand_total = money(value)
        elif key in BOND_LABELS:
            if not groups or BOND_LABELS[key] in groups[-1]:
                groups.append({})
            groups[-1][BOND_LABELS[key]] = value
    if not groups and grand_total is None and any(_is_data_row(tr) for tr in rows):
        raise PageStructureError("the Bond Information section has rows but no bond labels")
    bonds = tuple(
        InmateBond(
            bond_seq=seq,
            case_number=_optional(group.get("case_number")),
            amount=money(group.get("amount")),
            status=_optional(group.get("status")),
            posted_by=_optional(group.get("posted_by")),
            post_date=iso_date(group.get("post_date")),
        )
        for seq, group in enumerate((g for g in groups if any(g.values())), start=1)
    )
    return bonds, grand_total


def _table(rows: list[HtmlElement], known: Iterable[str], what: str) -> list[dict[str, str]]:
    """A section's table: each data row as header (as printed) → cell text, cells placed
    under headers by column (counting `colspan`). No header row and no data row: none."""
    known = tuple(known)
    for position, tr in enumerate(rows):
        if _is_header_row(tr, known):
            headers = _spans(tr)
            return [_under(headers, row, what) for row in rows[position + 1 :] if _is_data_row(row)]
    if any(_is_data_row(tr) for tr in rows):
        raise PageStructureError(f"the {what} section has rows but no column header row")
    return []


def _under(
    headers: list[tuple[int, int, HtmlElement]], tr: HtmlElement, what: str
) -> dict[str, str]:
    """A data row's cells keyed by the header above each cell's first column."""
    values = {}
    for start, _, cell in _spans(tr):
        header = next((h for first, last, h in headers if first <= start <= last), None)
        if header is None:
            raise PageStructureError(f"a {what} row has a cell in column {start + 1}, no header")
        values[_printed(header)] = text(cell)
    return values


def _charges(rows: list[HtmlElement]) -> tuple[InmateCharge, ...]:
    """The charge table, by header (Case # | Offense Date | Code | Description | Grade |
    Degree; counties may order or omit columns, Description is needed)."""
    charges = []
    for seq, row in enumerate(_table(rows, CHARGE_COLUMNS, "Charge Information"), start=1):
        values = {CHARGE_COLUMNS[_key(h)]: v for h, v in row.items() if _key(h) in CHARGE_COLUMNS}
        if "description" not in values:
            raise PageStructureError("the charge table has no Description column")
        charges.append(
            InmateCharge(
                charge_seq=seq,
                case_number=_optional(values.get("case_number")),
                offense_date=iso_date(values.get("offense_date")),
                code=_optional(values.get("code")),
                description=values["description"],
                grade=_optional(values.get("grade")),
                degree=_optional(values.get("degree")),
            )
        )
    return tuple(charges)


def _hearings(rows: list[HtmlElement]) -> tuple[InmateHearing, ...]:
    """The hearing table: the date column read as a date (a time or note beside the date
    keeps the cell in `attributes`), every other column in `attributes` by header."""
    hearings = []
    table = _table(rows, HEARING_DATE_COLUMNS, "Hearing Information")
    for seq, row in enumerate(table, start=1):
        header = next((h for h in row if _key(h) in HEARING_DATE_COLUMNS), None)
        printed = row.get(header, "") if header else ""
        date, _, rest = printed.partition(" ")
        attributes = {h: v for h, v in row.items() if h != header or rest}
        hearings.append(
            InmateHearing(hearing_seq=seq, hearing_date=iso_date(date), attributes=attributes)
        )
    return tuple(hearings)
