"""Pure parsers for Tyler Odyssey "PublicAccess" pages, the generation before the Portal:
ASP.NET WebForms in a table layout (`default.aspx`, `Search.aspx?ID=…`,
`CaseDetail.aspx?CaseID=…`). HTML in, the records of the Portal parser
(`ingest.parsers.odyssey`) out, so that nothing downstream cares which generation a case
page came from.

Pages are read by what they print:

- a case page is the "Register of Actions" header with its "Case No." line, then the
  style beside labelled values ("Case Type:", "Date Filed:", "Location:"), then sections
  titled by `div.ssCaseDetailSectionTitle` (in a table `<caption>`, or just before the
  table): Party Information, Charge Information, Events & Orders of the Court (sub-titled
  DISPOSITIONS and OTHER EVENTS AND HEARINGS), Financial Information. A section a page
  leaves out is empty; labels a record has no field for are kept as `attributes`.
- Parties: a row with the role and the name as header cells, beside a cell of lines
  ("Male White", "DOB: 04/18/1995", "5' 10", 205 lbs") and the attorneys cell (the column
  headed "Attorneys" or "Lead Attorneys": name in bold, "Retained" or "Court Appointed" in
  italics, "512-555-0100(W)"); the address in the row below. Attorneys printed struck
  through are no longer on the case, like those the Portal leaves out of "Active
  Attorneys".
- A docket entry is a hearing when it prints its time in parentheses after its type
  ("Arraignment (9:00 AM) (Judicial Officer …) Result: Reset"); a leading "CANCELED"
  cancels it, and the first italic line under a canceled hearing is why. The key of a
  hearing is the Portal parser's (`ingest.records.hearing_key`).
- Dispositions print their type, the judicial officer, and lines such as "Judgment of
  $1,451.61", "Awarded To: …", "Awarded Against: …"; criminal ones name each charge
  ("1. ASSAULT …") with its outcome, which becomes that charge's disposition.
- Financial: per party a header, "Total Financial Assessment", "Total Payments and
  Credits", "Balance Due as of <date>" and dated transactions; amounts print without `$`,
  negatives in parentheses. The balance is not kept: the case's `balance_due` is derived
  (its date is the day the page was printed).

Search pages: the main menu (a location choice, one link a search type, grouped under a
product title), the search form (`__VIEWSTATE`, `__EVENTVALIDATION`, a "Search By"
choice), and results ("Record Count:", one row a case or a hearing, linked to
`CaseDetail.aspx?CaseID=…`). Results headers stack labels over the lines of a cell:
"Filed/Location" over a cell of two lines, or rows of labels ("Case Number" over "Type")
over a cell that is a small table.

What a page must have to be read at all is small (a case page: the header and a case
number); a page without it raises `PageStructureError` saying what was missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from ingest.errors import PageStructureError
from ingest.names import fold
from ingest.parsers.html import (
    birth_date,
    br_lines,
    clock_time,
    collapse,
    first,
    has_class,
    iso_date,
    money,
    parse_html,
    required_date,
    text,
)
from ingest.parsers.odyssey import (
    CASE_LABELS as PORTAL_CASE_LABELS,
)
from ingest.parsers.odyssey import (
    CHARGE_COLUMNS,
    FINANCIAL_LABELS,
    GRID_COLUMNS,
    merged,
    sum_amounts,
)
from ingest.records import (
    AttorneyRecord,
    CaseDetail,
    ChargeRecord,
    EventRecord,
    FinancialRecord,
    HearingRecord,
    HearingSearchPage,
    HearingSearchRow,
    JudgmentRecord,
    PartyRecord,
    SearchPage,
    SearchRow,
    TransactionRecord,
    hearing_key,
)

#: Case header labels → CaseDetail field ("Location:" is the court); others → attributes.
CASE_LABELS = {**PORTAL_CASE_LABELS, "location": "court", "status": "status"}
#: Section title (lowercase, "&" read as "and") → what it holds, by its first word.
SECTION_WORDS = {
    "party": "parties",
    "parties": "parties",
    "charge": "charges",
    "charges": "charges",
    "events": "events",
    "financial": "financial",
}
DISPOSITIONS_TITLE = "disposition"  # the sub-title "DISPOSITIONS" (or "… EVENTS")
CASE_DETAIL_LINK = re.compile(r"CaseDetail\.aspx\?(?:[^'\"]*&)?CaseID=(\d+)", re.I)
MUGSHOT_CASE_ID = re.compile(r"ViewMugshots\(\s*\d+\s*,\s*(\d+)\s*\)")
DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
#: A date of birth as a results cell prints it beside the name, full or masked.
BIRTH_DATE = re.compile(r"(?:\d{1,2}|[X*#]{1,2})/(?:\d{1,2}|[X*#]{1,2})/(?:\d{4}|[X*#]{4})", re.I)
TIME_IN_PARENS = re.compile(r"\(\s*(\d{1,2}:\d{2}\s*[AP]\.?M\.?)\s*\)", re.I)
OFFICER = re.compile(r"\(\s*Judicial\s+Officers?\s*:?\s*([^()]*?)\s*\)", re.I)
RESULT = re.compile(r"\bResult\s*:\s*(.+?)\s*$", re.I)
REASON = re.compile(r"\bReason\s*:\s*(.+?)\s*$", re.I)
CANCELED = re.compile(r"^\s*CANCEL+ED\b", re.I)
#: A labelled line: "DOB: 04/18/1995", "SID: TX61938205", "Awarded To: …".
LABELLED = re.compile(r"^(?P<label>[A-Za-z][A-Za-z .#'/()-]{0,40}?)\s*:\s*(?P<value>.*)$")
WEIGHT = re.compile(r"^\d+\s*lbs?\.?$", re.I)
HEIGHT = re.compile(r"^\d+\s*'\s*(?:\d+\s*(?:\"|''|”)?)?$")
PHONE = re.compile(r"\(?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?", re.I)
GENDERS = {"male", "female"}
CHARGE_HEADING = re.compile(r"^\s*(\d+)\s*\.\s*(.*)$", re.S)
RECORD_COUNT = re.compile(r"Record\s+Count\s*:\s*(\d[\d,]*)", re.I)
NO_MATCHES = re.compile(r"No\s+\w+\s+matched\s+your\s+search\s+criteria", re.I)
LAUNCH_SEARCH = re.compile(r"LaunchSearch\(\s*'([^']+)'\s*,\s*(true|false)", re.I)

#: Results column labels → SearchRow field (the Portal grid's titles, and this
#: generation's own).
SEARCH_TITLES = {
    **GRID_COLUMNS.by_title,
    "case no": "case_number",
    "case no.": "case_number",
    "defendant info": "party_name",
    "party info": "party_name",
    "defendant": "party_name",
    "filed date": "filed_date",
    "date filed": "filed_date",
}
#: Court calendar column labels → HearingSearchRow field.
CALENDAR_TITLES = {
    "case number": "case_number",
    "case no": "case_number",
    "case no.": "case_number",
    "type": "case_type",
    "case type": "case_type",
    "style": "style",
    "defendant": "defendant_name",
    "defendant name": "defendant_name",
    "judicial officer": "judicial_officer",
    "physical location": "courtroom",
    "courtroom": "courtroom",
    "location": "location",
    "court location": "location",
    "date": "hearing_date",
    "hearing date": "hearing_date",
    "time": "hearing_time",
    "hearing time": "hearing_time",
    "hearing type": "hearing_type",
    "filed": "filed_date",
    "file date": "filed_date",
}
CHARGE_TITLES = {**CHARGE_COLUMNS.by_title, "date": "offense_date", "charges": "description"}


# -- case detail -------------------------------------------------------------------------


def parse_case_detail(html: str) -> CaseDetail:
    """A `CaseDetail.aspx` page ("Register of Actions")."""
    root = parse_html(html)
    number = _case_number(root)
    if not _says(root, "register of actions") or number is None:
        missing = "a case number" if _says(root, "register of actions") else "header"
        raise PageStructureError(
            f'not a PublicAccess case detail page: no "Register of Actions" {missing} (Case No. …)',
            html,
        )
    header = _header_table(number)
    values = _header_labels(header if header is not None else root)
    known = {CASE_LABELS[k.lower()]: v for k, v in values.items() if k.lower() in CASE_LABELS}
    sections = _sections(root)
    parties = _parties(sections.get("parties"))
    judgments, charge_outcomes = _dispositions(sections.get("events"), parties)
    events, hearings = _docket(sections.get("events"))
    return CaseDetail(
        court=known.get("court", ""),
        case_number=text(number),
        case_type=known.get("case_type", ""),
        filed_date=iso_date(known.get("filed_date")) or "",
        status=known.get("status", ""),
        style=_style(header),
        judicial_officer=known.get("judicial_officer") or None,
        portal_case_id=_portal_case_id(html),
        attributes={k: v for k, v in values.items() if k.lower() not in CASE_LABELS},
        parties=parties,
        events=events,
        hearings=hearings,
        judgments=judgments,
        financial=_financials(sections.get("financial")),
        charges=_charges(sections.get("charges"), charge_outcomes),
        has_financial="financial" in sections,
    )


def _says(root: HtmlElement, phrase: str) -> bool:
    """Whether an element's own text is `phrase` (any letter case)."""
    return any(
        collapse(node.text).lower() == phrase
        for node in root.iter()
        if isinstance(node.tag, str) and node.tag not in ("script", "style")
    )


def _case_number(root: HtmlElement) -> HtmlElement | None:
    """The element holding the number after "Case No." (its span, or itself)."""
    holders = root.cssselect(".ssCaseDetailCaseNbr") or [
        node
        for node in root.iter("div", "td", "span", "p")
        if re.match(r"Case\s+No\b", collapse(node.text), re.I)
    ]
    for holder in holders:
        inner = first(holder, "span")
        number = inner if inner is not None and text(inner) else holder
        if re.sub(r"^Case\s+No\.?\s*", "", text(number), flags=re.I):
            return number
    return None


def _header_table(number: HtmlElement) -> HtmlElement | None:
    """The table after the "Case No." line: the style beside the case's labels."""
    holder = number
    while holder.getparent() is not None and holder.getparent().tag not in ("body", "form"):
        holder = holder.getparent()
    for sibling in holder.itersiblings():
        if sibling.tag == "table":
            return sibling
    return None


def _header_labels(container: HtmlElement) -> dict[str, str]:
    """`<th>Case Type:</th><td>Eviction</td>` pairs, label without its colon."""
    values: dict[str, str] = {}
    for th in container.iter("th"):
        label = text(th)
        value = th.getnext()
        if label.endswith(":") and value is not None and value.tag == "td":
            values.setdefault(label.rstrip(":").strip(), text(value))
    return values


def _style(header: HtmlElement | None) -> str | None:
    """The header table's first cell, when it holds text and no table of its own."""
    cell = first(header, "td") if header is not None else None
    if cell is None or cell.find(".//table") is not None:
        return None
    return text(cell) or None


def _portal_case_id(html: str) -> str | None:
    """The `CaseID` the page links or scripts (`ViewMugshots(party, case)`), if any."""
    match = CASE_DETAIL_LINK.search(html) or MUGSHOT_CASE_ID.search(html)
    return match.group(1) if match else None


def _sections(root: HtmlElement) -> dict[str, HtmlElement]:
    """Section kind → its table, found by title; the first of each kind."""
    found: dict[str, HtmlElement] = {}
    titles = root.cssselect("div.ssCaseDetailSectionTitle") or root.cssselect("caption")
    for title in titles:
        words = text(title).lower().replace("&", " and ").split()
        kind = SECTION_WORDS.get(words[0]) if words else None
        table = _titled_table(title)
        if kind and table is not None:
            found.setdefault(kind, table)
    return found


def _titled_table(title: HtmlElement) -> HtmlElement | None:
    """The table a title heads: the one whose caption holds it, else the next one."""
    for node in (title, *title.iterancestors()):
        if node.tag == "caption":
            return node.getparent()
        if node.tag == "table":
            break
    node = title
    while node is not None:
        for sibling in node.itersiblings():
            if sibling.tag == "table":
                return sibling
            inner = first(sibling, "table")
            if inner is not None:
                return inner
        node = node.getparent()
    return None


def _rows(table: HtmlElement) -> list[HtmlElement]:
    """A table's own rows (with or without `<tbody>`), not those of nested tables."""
    return list(table.xpath("./tr | ./tbody/tr | ./thead/tr"))


def _cells(tr: HtmlElement, tag: str = "td") -> list[HtmlElement]:
    return [cell for cell in tr if cell.tag == tag]


# -- parties -----------------------------------------------------------------------------


def _parties(section: HtmlElement | None) -> tuple[PartyRecord, ...]:
    """One party a row that heads role and name, with the row(s) below it (address)."""
    if section is None:
        return ()
    attorney_header = next(
        (th for th in section.iter("th") if "attorney" in text(th).lower()), None
    )
    counsel_column = None
    if attorney_header is not None:  # its id, which party cells name in `headers`
        counsel_column = (attorney_header.get("id") or "", "lead" in text(attorney_header).lower())
    blocks: list[list[HtmlElement]] = []
    for tr in _rows(section):
        heads = _cells(tr, "th")
        if len(heads) >= 2:
            blocks.append([tr])
        elif blocks and not heads and any(text(td) for td in _cells(tr)):
            blocks[-1].append(tr)
    return tuple(_party(seq, rows, counsel_column) for seq, rows in enumerate(blocks, start=1))


def _party(
    seq: int, rows: list[HtmlElement], counsel_column: tuple[str, bool] | None
) -> PartyRecord:
    """A party block; `counsel_column` is the attorneys column's (id, says "Lead")."""
    role, name = (text(th) for th in _cells(rows[0], "th")[:2])
    cells = _cells(rows[0])
    header_id, is_lead = counsel_column or ("", False)
    counsel = next((td for td in cells if header_id and header_id in _headers(td)), None)
    if counsel is None and counsel_column is not None and len(cells) > 1:
        counsel = cells[-1]  # cells that name no headers: the column is the last one
    attributes: dict[str, str] = {}
    found: dict[str, str] = {}
    for td in cells:
        if td is not counsel:
            _describe_party(br_lines(td), found, attributes)
    address: list[str] = []
    for tr in rows[1:]:
        for td in _cells(tr):
            for line in br_lines(td):
                labelled = LABELLED.match(line)
                if labelled and not DATE.search(labelled.group("label")):
                    _add(attributes, labelled.group("label"), labelled.group("value"))
                else:
                    address.append(line)
    dob, birth_year = birth_date(found.get("dob"))
    active, pro_se = _attorneys(counsel, is_lead) if counsel is not None else ([], False)
    return PartyRecord(
        party_seq=seq,
        role=role,
        name=name,
        dob=dob,
        birth_year=birth_year,
        gender=found.get("gender"),
        race=found.get("race"),
        address_lines=tuple(address),
        is_pro_se=pro_se,
        attorneys=tuple(active),
        attributes=attributes,
    )


def _headers(cell: HtmlElement) -> list[str]:
    """The ids a cell's `headers` attribute names."""
    return (cell.get("headers") or "").split()


def _describe_party(lines: list[str], found: dict[str, str], attributes: dict[str, str]) -> None:
    """The party's description lines: "Male White" (gender, race), "DOB: …", height and
    weight ("5' 10", 205 lbs"); other labelled lines are kept as attributes."""
    for line in lines:
        labelled = LABELLED.match(line)
        if labelled:
            label, value = labelled.group("label"), labelled.group("value").strip()
            if label.lower() in ("dob", "date of birth"):
                found["dob"] = value
            else:
                _add(attributes, label, value)
            continue
        pieces = [p.strip() for p in line.split(",") if p.strip()]
        if pieces and all(WEIGHT.match(p) or HEIGHT.match(p) for p in pieces):
            for piece in pieces:
                _add(attributes, "Weight" if WEIGHT.match(piece) else "Height", piece)
        elif "race" not in found and "gender" not in found:
            word, _, rest = line.partition(" ")
            if word.lower() in GENDERS:
                found["gender"] = word
                if rest.strip():
                    found["race"] = rest.strip()
            else:
                found["race"] = line
        else:
            _add(attributes, "Description", line)


def _add(values: dict[str, str], label: str, value: str) -> None:
    """Set `label`, or add ` | value` to what it holds (a label printed again)."""
    value = collapse(value)
    values[label] = f"{values[label]} | {value}" if values.get(label) else value


def _attorneys(cell: HtmlElement, is_lead: bool) -> tuple[list[AttorneyRecord], bool]:
    """(attorneys on the case, whether "Pro Se") from the attorneys cell: each bold name,
    then its italic kind and a phone line; names struck through are left out."""
    entries: list[dict[str, str | bool]] = []
    pro_se = False
    for node in cell.iter():
        if not isinstance(node.tag, str) or node is cell:
            continue
        if node.tag == "b":
            name = text(node)
            if name.lower() == "pro se":
                pro_se = True
            elif name:
                struck = node.find(".//s") is not None or any(
                    a.tag in ("s", "strike", "del") for a in node.iterancestors()
                )
                entries.append({"name": name, "struck": struck})
        elif node.tag == "i" and entries and "kind" not in entries[-1]:
            entries[-1]["kind"] = text(node)
    if not entries and text(cell).lower() == "pro se":
        pro_se = True
    for found, phone in zip(entries, _phones(cell, len(entries)), strict=True):
        if phone:
            found["phone"] = phone
    active = [
        AttorneyRecord(
            name=str(e["name"]),
            is_lead=is_lead,
            kind=str(e["kind"]) if e.get("kind") else None,
            phone=str(e["phone"]) if e.get("phone") else None,
        )
        for e in entries
        if not e["struck"]
    ]
    return active, pro_se


def _phones(cell: HtmlElement, count: int) -> list[str | None]:
    """The phone number printed after each of the `count` bold names, if any."""
    phones: list[str | None] = [None] * count
    seen = -1
    for node in cell.iter():
        if node is cell or not isinstance(node.tag, str):
            continue
        if node.tag == "b" and text(node) and text(node).lower() != "pro se":
            seen += 1
        for piece in (node.text if node.tag != "b" else None, node.tail):
            match = PHONE.search(piece or "")
            if match and 0 <= seen < count and phones[seen] is None:
                phones[seen] = collapse(match.group(0))
    return phones


# -- docket ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One dated row of Events & Orders: its sub-title, date, type and what it prints."""

    part: str  # the sub-title above it, lowercase ("dispositions", …)
    date: str
    title: str
    container: HtmlElement  # what holds the type (`<b>`), its notes and labels
    cell: HtmlElement  # the whole entry cell

    @property
    def loose(self) -> str:
        """The container's own text: "(9:00 AM) (Judicial Officer …) Result: Reset"."""
        pieces = [self.container.text or ""] + [child.tail or "" for child in self.container]
        return collapse(" ".join(pieces))

    @property
    def canceled(self) -> bool:
        marks = [text(i) for i in self.container if i.tag == "i"]
        return any(CANCELED.match(m) for m in marks) or bool(CANCELED.match(self.loose))

    @property
    def notes(self) -> list[str]:
        """The entry's italic lines (`<div><i>…</i></div>`), in page order."""
        return [
            text(div)
            for div in self.container
            if div.tag == "div" and div.find(".//table") is None and div.find(".//div") is None
            if text(div)
        ]

    @property
    def officer(self) -> str | None:
        match = OFFICER.search(self.loose)
        return collapse(match.group(1)) or None if match else None


def _entries(section: HtmlElement | None) -> Iterator[_Entry]:
    """The section's dated rows, each under the sub-title row above it."""
    if section is None:
        return
    part = ""
    for tr in _rows(section):
        subtitle = next((th for th in _cells(tr, "th") if not DATE.fullmatch(text(th))), None)
        dated = next((th for th in _cells(tr, "th") if DATE.fullmatch(text(th))), None)
        if dated is None:
            if subtitle is not None and text(subtitle):
                part = text(subtitle).lower()
            continue
        cells = [td for td in _cells(tr) if text(td)]
        if not cells:
            continue
        cell = cells[-1]
        title = first(cell, "b")
        if title is None:
            raise PageStructureError(f"a docket entry without a type: {text(tr)[:120]!r}")
        yield _Entry(
            part=part,
            date=required_date(text(dated), "a docket entry"),
            title=text(title),
            container=title.getparent(),
            cell=cell,
        )


def _docket(
    section: HtmlElement | None,
) -> tuple[tuple[EventRecord, ...], tuple[HearingRecord, ...]]:
    """OTHER EVENTS AND HEARINGS (every dated row not under DISPOSITIONS)."""
    events: list[EventRecord] = []
    hearings: list[HearingRecord] = []
    seen: Counter[tuple[str, str | None, str]] = Counter()
    for entry in _entries(section):
        if entry.part.startswith(DISPOSITIONS_TITLE):
            continue
        time = TIME_IN_PARENS.search(entry.loose)
        if time is None and not entry.canceled:
            events.append(_event(len(events) + 1, entry))
            continue
        hearing_time = clock_time(time.group(1)) if time else None
        alike = (entry.date, hearing_time, " ".join(entry.title.lower().split()))
        seen[alike] += 1
        hearings.append(_hearing(entry, hearing_time, seen[alike]))
    return tuple(events), tuple(hearings)


def _hearing(entry: _Entry, time: str | None, n: int) -> HearingRecord:
    """A hearing; `n` counts the case's hearings alike in date, time and type so far."""
    notes = entry.notes
    reason = notes.pop(0) if entry.canceled and notes else None
    result = RESULT.search(entry.loose)
    return HearingRecord(
        hearing_key=hearing_key(entry.date, time, entry.title, n),
        hearing_date=entry.date,
        hearing_time=time,
        hearing_type=entry.title,
        judicial_officer=entry.officer,
        is_canceled=entry.canceled,
        cancel_reason=reason,
        result=collapse(result.group(1)) if result else None,
        comment=" | ".join(notes) or None,
    )


def _event(seq: int, entry: _Entry) -> EventRecord:
    """A plain docket event: its italic lines are the comment; the judicial officer and
    what a service entry says of each party (Served, Returned, …) are attributes."""
    attributes: dict[str, str] = {}
    if entry.officer:
        attributes["Judicial Officer"] = entry.officer
    attributes.update(merged(_service(entry)))
    return EventRecord(
        event_seq=seq,
        event_date=entry.date,
        event_type=entry.title,
        comment=" | ".join(entry.notes) or None,
        attributes=attributes,
    )


def _service(entry: _Entry) -> Iterator[tuple[str, list[str]]]:
    """A service entry's tables: a party's name, then its statuses ("Served" and a date,
    "Unserved") — as (label, value lines): ("Party", [name]), ("Served", [date]), …"""
    for table in entry.cell.iterchildren("table"):
        if entry.container in table.iterdescendants():
            continue
        for tr in _rows(table):
            cells = _cells(tr)
            if len(cells) < 2 or cells[0].find(".//table") is not None:
                continue
            if text(cells[0]):
                yield "Party", [text(cells[0])]
            statuses = [
                [text(td) for td in _cells(inner) if text(td)] for inner in cells[1].iter("tr")
            ]
            if not statuses and text(cells[1]):
                statuses = [[text(cells[1])]]
            for status in statuses:
                if status:
                    yield status[0], status[1:]


# -- dispositions ------------------------------------------------------------------------


def _dispositions(
    section: HtmlElement | None, parties: tuple[PartyRecord, ...]
) -> tuple[tuple[JudgmentRecord, ...], dict[int, tuple[str, str]]]:
    """The DISPOSITIONS rows as judgments, and charge number → (outcome, date) of the
    latest disposition that gives that charge an outcome."""
    judgments: list[JudgmentRecord] = []
    outcomes: dict[int, tuple[str, str]] = {}
    for entry in _entries(section):
        if not entry.part.startswith(DISPOSITIONS_TITLE):
            continue
        amounts: dict[str, str] = {}
        labels: dict[str, str] = {}
        for label, value in _disposition_lines(entry):
            if label.endswith("$") or value.startswith("$"):
                key = re.sub(r"\s*(?:of\s*)?\$$", "", label).strip() or "Amount"
                amounts[key] = money(value.lstrip("$")) or ""
            elif value or label:
                _add(labels, label, value)
        for seq, outcome in _charge_outcomes(entry):
            if seq not in outcomes or outcomes[seq][1] <= entry.date:
                outcomes[seq] = (outcome, entry.date)
        awarded_to = labels.get("Awarded To")
        names = [labels[k] for k in ("Awarded To", "Awarded Against") if labels.get(k)]
        judgments.append(
            JudgmentRecord(
                judgment_seq=len(judgments) + 1,
                judgment_date=entry.date,
                judgment_type=entry.title,
                judgment_for=_role_of(awarded_to, parties),
                amount=sum_amounts(amounts.values()),
                judicial_officer=entry.officer,
                party_names=tuple(names),
                amounts=amounts,
            )
        )
    return tuple(judgments), outcomes


def _disposition_lines(entry: _Entry) -> Iterator[tuple[str, str]]:
    """(label, value) of each line of the disposition's detail tables: "Judgment of $" and
    "1,451.61", "Awarded To" and a name, "CSCD" and "5 Years"."""
    for tr in entry.container.iter("tr"):
        if tr.find(".//tr") is not None:
            continue
        holder = first(tr, "nobr")
        value = first(holder, "span") if holder is not None else None
        if holder is not None and value is not None:
            yield collapse(holder.text), text(value)
            continue
        line = text(tr)
        label, colon, rest = line.partition(":")
        if line:
            yield (label.strip(), rest.strip()) if colon else (line, "")


def _charge_outcomes(entry: _Entry) -> Iterator[tuple[int, str]]:
    """(charge number, outcome) for each "1. ASSAULT …" block with a plain outcome line."""
    for block in entry.container.iter("div"):
        heading = CHARGE_HEADING.match(collapse(block.text))
        if heading is None:
            continue
        for line in block.iterchildren("div"):
            if line.find(".//table") is None and text(line):
                yield int(heading.group(1)), text(line)
                break


def _role_of(name: str | None, parties: tuple[PartyRecord, ...]) -> str | None:
    """The role of the party a disposition names ("Harlan Sorensen" is "Sorensen,
    Harlan"): same words once folded, in any order."""
    if not name:
        return None
    words = sorted(fold(w) for w in name.replace(",", " ").split())
    for party in parties:
        if sorted(fold(w) for w in party.name.replace(",", " ").split()) == words:
            return party.role
    return None


# -- charges -----------------------------------------------------------------------------


def _charges(
    section: HtmlElement | None, outcomes: dict[int, tuple[str, str]]
) -> tuple[ChargeRecord, ...]:
    """Charge Information: a header row ("Charges: <defendant>" over the number and the
    description, Statute, Level, Date), then a row a charge."""
    if section is None:
        return ()
    columns: dict[int, str] = {}
    charges: list[ChargeRecord] = []
    for tr in _rows(section):
        if _cells(tr, "th"):
            columns = _charge_columns(tr)
            continue
        values = {columns[i]: text(td) for i, td in enumerate(_cells(tr)) if i in columns}
        number = re.sub(r"\D", "", values.get("charge_seq", ""))
        if not values.get("description") or not number:
            continue
        outcome, when = outcomes.get(int(number), (None, None))
        charges.append(
            ChargeRecord(
                charge_seq=int(number),
                statute=values.get("statute") or None,
                description=values["description"],
                degree=values.get("degree") or None,
                charge_class=values.get("charge_class") or None,
                offense_date=iso_date(values.get("offense_date")),
                disposition=outcome,
                disposition_date=when,
            )
        )
    return tuple(charges)


def _charge_columns(tr: HtmlElement) -> dict[int, str]:
    """Column position → ChargeRecord field; a heading over two columns (the number and
    the description) gives both."""
    columns: dict[int, str] = {}
    position = 0
    for th in _cells(tr, "th"):
        span = int(th.get("colspan") or 1)
        label = text(th).lower().partition(":")[0].strip()
        name = CHARGE_TITLES.get(label) or CHARGE_TITLES.get(text(th).lower())
        if name == "description" and span > 1:
            columns[position] = "charge_seq"
            columns[position + span - 1] = "description"
        elif name:
            columns[position] = name
        position += span
    if "charge_seq" not in columns.values() and 0 not in columns:
        columns[0] = "charge_seq"
    return columns


# -- financial ---------------------------------------------------------------------------


def _financials(section: HtmlElement | None) -> tuple[FinancialRecord, ...]:
    """Per party: its header (role and name), the totals, then dated transactions."""
    if section is None:
        return ()
    parties: list[dict[str, str | None]] = []
    transactions: list[list[TransactionRecord]] = []
    for tr in _rows(section):
        heads = [th for th in _cells(tr, "th") if text(th)]
        if not heads:
            continue
        label = text(heads[0]).lower()
        if label in FINANCIAL_LABELS or label.startswith("balance due"):
            if not parties:
                raise PageStructureError("financial figures before any party name")
            tds = _cells(tr)
            if label in FINANCIAL_LABELS:
                parties[-1][FINANCIAL_LABELS[label]] = money(text(tds[-1])) if tds else None
        elif DATE.fullmatch(text(heads[0])) and len(heads) > 1:
            if not parties:
                raise PageStructureError("a transaction before any party name")
            transactions[-1].append(_transaction(heads[0], heads[1], _cells(tr)))
        else:
            role = first(heads[0], "span")
            name = text(heads[0])
            if role is not None and name.startswith(text(role)):
                name = name[len(text(role)) :].strip()
            parties.append({"party_name": name})
            transactions.append([])
    return tuple(
        FinancialRecord(
            party_name=str(party["party_name"]),
            total_assessment=party.get("total_assessment"),
            payments_and_credits=party.get("payments_and_credits"),
            transactions=tuple(found),
        )
        for party, found in zip(parties, transactions, strict=True)
    )


def _transaction(
    date: HtmlElement, description: HtmlElement, tds: list[HtmlElement]
) -> TransactionRecord:
    """A dated row: description, then the receipt ("Receipt # …"), the payer, the amount."""
    others = [text(td) for td in tds[:-1]]
    receipt = next((o for o in others if o.lower().startswith("receipt")), None)
    return TransactionRecord(
        transaction_date=required_date(text(date), "a transaction"),
        description=text(description),
        receipt=receipt,
        payer=next((o for o in others if o and o != receipt), None),
        amount=(money(text(tds[-1])) if tds else None) or "0.00",
    )


# -- search and calendar results ---------------------------------------------------------


@dataclass(frozen=True)
class _Results:
    """A results page: each row's cells as field → value, with the row's case link."""

    count: int | None
    rows: list[tuple[str, dict[str, str]]]  # (CaseDetail link, field → value)
    fields: set[str]  # every field a column header names
    labels: set[str]  # every header label, lowercase


def parse_search_results(html: str) -> SearchPage:
    """Case search results ("Record Count:", a row a case). `max_results_hit` says the
    page counts more results than it lists."""
    results = _results(html, SEARCH_TITLES)
    if any(CALENDAR_TITLES.get(label) == "hearing_type" for label in results.labels):
        raise PageStructureError("a court calendar, not case search results", html)
    missing = {"case_number", "filed_date"} - results.fields if results.rows else set()
    if missing:
        raise PageStructureError(f"search results without columns {sorted(missing)}", html)
    rows = tuple(_search_row(link, values) for link, values in results.rows)
    return SearchPage(
        rows=rows,
        max_results_hit=results.count is not None and results.count > len(rows),
    )


def _search_row(link: str, values: dict[str, str]) -> SearchRow:
    """A case row; a party cell that also prints a date of birth ("Doe, Jane XX/XX/1985")
    gives both."""
    party = values.get("party_name", "")
    born = BIRTH_DATE.search(party)
    if born and "dob" not in values:
        values = {**values, "dob": born.group(0), "party_name": party[: born.start()].strip()}

    def shown(name: str) -> str | None:
        return values.get(name) or None

    return SearchRow(
        case_number=values["case_number"],
        style=values.get("style", ""),
        filed_date=required_date(values.get("filed_date"), "a result row's file date"),
        case_link=link,
        party_name=shown("party_name"),
        dob=birth_date(shown("dob"))[0],
        status=shown("status"),
        case_type=shown("case_type"),
        location=shown("location"),
        portal_case_id=_link_case_id(link),
    )


def parse_calendar_results(html: str) -> HearingSearchPage:
    """Court calendar results: a row a hearing (case, style, judicial officer, date, time,
    hearing type). Rows print no hearing id (`hearing_id` is None) and link the case by its
    `CaseID` (`case_id`)."""
    results = _results(html, CALENDAR_TITLES)
    missing = {"case_number", "hearing_date"} - results.fields
    if missing and (results.rows or results.fields):  # a no-match page has neither
        raise PageStructureError(f"not a court calendar: no columns {sorted(missing)}", html)
    rows = []
    for link, values in results.rows:
        time = values.get("hearing_time")
        rows.append(_calendar_row(link, values, clock_time(time) if time else None))
    return HearingSearchPage(
        rows=tuple(rows),
        total=results.count if results.count is not None else len(rows),
        max_results_hit=results.count is not None and results.count > len(rows),
    )


def _calendar_row(link: str, values: dict[str, str], time: str | None) -> HearingSearchRow:
    case_id = _link_case_id(link)
    if case_id is None:
        raise PageStructureError(f"a calendar row whose link has no CaseID: {link!r}")
    return HearingSearchRow(
        case_id=case_id,
        encrypted_case_id=None,
        hearing_id=None,
        case_number=values["case_number"],
        style=values.get("style") or None,
        defendant_name=values.get("defendant_name") or None,
        location=values.get("location") or None,
        case_category=None,
        case_type=values.get("case_type") or None,
        hearing_type=values.get("hearing_type") or None,
        judicial_officer=values.get("judicial_officer") or None,
        hearing_date=required_date(values.get("hearing_date"), "a calendar row's date"),
        hearing_time=time,
        courtroom=values.get("courtroom") or None,
        filed_date=iso_date(values.get("filed_date")),
    )


def _link_case_id(link: str) -> str | None:
    match = CASE_DETAIL_LINK.search(link)
    return match.group(1) if match else None


def _results(html: str, titles: dict[str, str]) -> _Results:
    """The results table: the rows that link a case detail page, and the header rows
    above them read as a stack of labels per column."""
    root = parse_html(html)
    count_match = RECORD_COUNT.search(
        text(root.find("body") if root.find("body") is not None else root)
    )
    count = int(count_match.group(1).replace(",", "")) if count_match else None
    links = [a for a in root.iter("a") if CASE_DETAIL_LINK.search(a.get("href") or "")]
    if not links:
        if NO_MATCHES.search(text(root)) or count == 0:
            return _Results(count=count or 0, rows=[], fields=set(), labels=set())
        raise PageStructureError(
            "no search results: no CaseDetail.aspx links, no Record Count and no "
            '"No cases matched" message',
            html,
        )
    first_row = _result_row(links[0])
    table = first_row.getparent()
    if table.tag != "table":
        table = table.getparent()
    rows = _rows(table)
    start = rows.index(first_row)
    columns = _column_labels(rows[:start], len(_spread(first_row)))
    fields: set[str] = set()
    read = []
    for tr in rows[start:]:
        link = next((a for a in tr.iter("a") if CASE_DETAIL_LINK.search(a.get("href") or "")), None)
        if link is None:
            continue
        values: dict[str, str] = {}
        for position, cell in enumerate(_spread(tr)):
            stack = columns[position] if position < len(columns) else []
            for name, value in _read_cell(stack, cell, titles):
                values.setdefault(name, value)
        if "case_number" not in values:
            values["case_number"] = text(link)
        read.append(((link.get("href") or "").strip(), values))
    for stack in columns:
        fields.update(titles[label] for label in _split_labels(stack) if label in titles)
    labels = {label for stack in columns for label in _split_labels(stack)}
    return _Results(count=count, rows=read, fields=fields, labels=labels)


def _result_row(link: HtmlElement) -> HtmlElement:
    """The row of the results table holding `link`: its nearest row with two cells or
    more (a calendar cell is itself a small table)."""
    for tr in link.iterancestors("tr"):
        if len(_cells(tr)) >= 2:
            return tr
    raise PageStructureError(f"a case link outside any results row: {text(link)!r}")


def _spread(tr: HtmlElement) -> list[HtmlElement]:
    """The row's cells, a cell repeated over the columns it spans."""
    cells: list[HtmlElement] = []
    for cell in tr:
        if cell.tag in ("td", "th"):
            cells.extend([cell] * int(cell.get("colspan") or 1))
    return cells


def _column_labels(header_rows: list[HtmlElement], width: int) -> list[list[str]]:
    """Per column, the labels its header rows print top to bottom (a header cell that is
    a small table of rows counts as rows)."""
    stacks: list[list[str]] = [[] for _ in range(width)]
    queue = list(header_rows)
    while queue:
        tr = queue.pop(0)
        cells = _spread(tr)
        nested = [t for cell in cells[:1] for t in cell.iterchildren("table")]
        if len(cells) == width and len(set(map(id, cells))) == 1 and nested:
            queue[:0] = _rows(nested[0])
            continue
        if len(cells) != width or len(set(map(id, cells))) == 1:
            continue
        for position, cell in enumerate(cells):
            if text(cell) and (position == 0 or cell is not cells[position - 1]):
                stacks[position].append(text(cell))
    return stacks


def _split_labels(stack: list[str]) -> list[str]:
    """A column's labels, lowercase, "Filed/Location" read as two."""
    return [part.strip().lower() for label in stack for part in label.split("/") if part.strip()]


def _read_cell(
    stack: list[str], cell: HtmlElement, titles: dict[str, str]
) -> Iterator[tuple[str, str]]:
    """(field, value) pairs of a cell: its lines (the rows of a small table, or its
    `<div>`s) under the column's labels; a single label takes the whole cell."""
    labels = _split_labels(stack)
    whole = [label.lower() for label in stack]
    inner = cell.find(".//table")
    if inner is not None:
        lines = [text(tr) for tr in inner.iter("tr") if tr.find(".//tr") is None]
    elif cell.find("div") is not None:
        lines = [text(div) for div in cell.iterchildren("div")]
    else:
        lines = [text(cell)]
    if len(labels) == len(lines):
        pairs = list(zip(labels, lines, strict=True))
    elif len(whole) == 1:
        pairs = [(whole[0], " ".join(line for line in lines if line))]
    else:
        pairs = list(zip(labels, lines, strict=False))
    for label, value in pairs:
        if label in titles:
            yield titles[label], value


# -- main menu and search form -----------------------------------------------------------


@dataclass(frozen=True)
class SearchLink:
    """A search the main menu offers: its visible text and where it leads."""

    group: str | None  # the product title above it ("Case Records", "Jail Records")
    text: str  # "Criminal Case Records", "Court Calendar", …
    url: str  # "Search.aspx?ID=100", relative to the portal's base path
    posts_location: bool  # the link posts the chosen location (NodeID, NodeDesc)


@dataclass(frozen=True)
class MainMenu:
    """The main menu (`default.aspx`): its title, the locations to choose from, the
    searches it links."""

    title: str | None
    signed_in: bool  # a Logout link
    locations: tuple[tuple[str, str], ...]  # (value, text) of the location choice
    searches: tuple[SearchLink, ...]


def parse_main_menu(html: str) -> MainMenu:
    root = parse_html(html)
    searches = []
    group: str | None = None
    for node in root.iter("div", "a"):
        if node.tag == "div" and has_class(node, "ssLaunchProductTitle"):
            group = text(node) or None
            continue
        if node.tag != "a":
            continue
        href = node.get("href") or ""
        launch = LAUNCH_SEARCH.search(href.replace("%20", " "))
        url = launch.group(1) if launch else href
        if re.match(r"^\w*Search\.aspx\b", url, re.I) and text(node):
            posts = launch is not None and launch.group(2).lower() == "false"
            searches.append(SearchLink(group, text(node), url, posts))
    searches = [s for s in searches if not _is_nav_link(root, s)]
    if not searches:
        raise PageStructureError(
            "not a PublicAccess main menu: no search links (LaunchSearch / Search.aspx)", html
        )
    return MainMenu(
        title=_banner(root),
        signed_in=_signed_in(root),
        locations=_location_choices(root),
        searches=tuple(searches),
    )


def _is_nav_link(root: HtmlElement, link: SearchLink) -> bool:
    """The black navigation bar's "New … Search" / "Refine Search" links."""
    return any(
        has_class(a, "ssBlackNavBarHyperlink") and (a.get("href") or "") == link.url
        for a in root.iter("a")
    )


def _banner(root: HtmlElement) -> str | None:
    banner = first(root, ".ssHeaderTitleBanner")
    return text(banner) or None if banner is not None else None


def _signed_in(root: HtmlElement) -> bool:
    return any("logout" in (a.get("href") or "").lower() for a in root.iter("a"))


def _location_choices(root: HtmlElement) -> tuple[tuple[str, str], ...]:
    """(value, text) of the select a "location" label names."""
    for label in root.iter("label"):
        if "location" in text(label).lower():
            select = root.get_element_by_id(label.get("for") or "", None)
            if select is not None and select.tag == "select":
                return _options(select)
    return ()


def _options(select: HtmlElement) -> tuple[tuple[str, str], ...]:
    return tuple((o.get("value", text(o)).strip(), text(o)) for o in select.iter("option"))


@dataclass(frozen=True)
class SearchForm:
    """The WebForms search form (`Search.aspx`): where it posts, the ASP.NET state it
    must send back, and its fields by their visible labels."""

    action: str
    method: str
    title: str | None
    has_viewstate: bool
    has_event_validation: bool
    hidden_fields: tuple[str, ...]  # names of the hidden inputs to send back
    search_by: tuple[tuple[str, str], ...]  # (value, text) of the "Search By" choice
    search_by_selected: str | None  # the visible text of the chosen one
    fields: dict[str, str]  # input or select name → its label ("LastName": "Last Name")
    choices: dict[str, tuple[tuple[str, str], ...]]  # select or radio name → (value, text)


def parse_search_form(html: str) -> SearchForm:
    root = parse_html(html)
    form = next((f for f in root.iter("form") if _hidden(f, "__VIEWSTATE") is not None), None)
    if form is None:
        raise PageStructureError("not a PublicAccess search form: no form with a __VIEWSTATE", html)
    labels = {label.get("for"): text(label).lstrip("* ").strip() for label in form.iter("label")}
    fields: dict[str, str] = {}
    choices: dict[str, tuple[tuple[str, str], ...]] = {}
    search_by: HtmlElement | None = None
    for node in form.iter("input", "select", "textarea"):
        name, kind = node.get("name"), (node.get("type") or "").lower()
        if not name or kind in ("hidden", "submit", "reset", "button"):
            continue
        label = collapse(node.get("labelname") or labels.get(node.get("id")) or "").rstrip(":")
        if kind == "radio":  # one choice of a group: its own label, the group's LabelName
            own = labels.get(node.get("id")) or node.get("labelvalue") or node.get("value", "")
            option = (node.get("value", ""), collapse(own))
            choices[name] = (*choices.get(name, ()), option)
            label = label if label != option[1] else ""
            fields[name] = fields.get(name) or label
            continue
        fields.setdefault(name, label)
        if node.tag == "select":
            choices[name] = _options(node)
            if label.lower() == "search by":
                search_by = node
    if search_by is None:
        raise PageStructureError('not a PublicAccess search form: no "Search By" choice', html)
    chosen = next((o for o in search_by.iter("option") if o.get("selected") is not None), None)
    return SearchForm(
        action=form.get("action", ""),
        method=(form.get("method") or "get").upper(),
        title=_banner(root),
        has_viewstate=True,
        has_event_validation=_hidden(form, "__EVENTVALIDATION") is not None,
        hidden_fields=tuple(
            dict.fromkeys(
                i.get("name")
                for i in form.iter("input")
                if (i.get("type") or "").lower() == "hidden" and i.get("name")
            )
        ),
        search_by=_options(search_by),
        search_by_selected=text(chosen) if chosen is not None else None,
        fields=fields,
        choices=choices,
    )


def _hidden(form: HtmlElement, name: str) -> HtmlElement | None:
    return next((i for i in form.iter("input") if i.get("name") == name), None)
