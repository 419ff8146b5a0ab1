"""Pure parsers for Tyler Odyssey "Portal" (2017+) pages: HTML or JSON in, records out.

Pages are read by what they print, never by ids of our own: case information and party
details by their label text (`<span class="text-muted">File Date</span>`), sections by
their heading (`<h1>Events and Hearings</h1>`) or print-section wrapper, tables by their
header text. Labels a record has no field for are kept as `attributes`; a section a page
leaves out is simply empty. What a page must have to be read at all is small (a case page
needs a Case Information section with a Case Number); a page without it raises
`PageStructureError` naming what was missing, never an empty result, so a soft failure
(an error body, an empty shell, a half-rendered grid) cannot pass for "no data".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from html import unescape
from typing import Any, NoReturn

from lxml.html import HtmlElement

from ingest.errors import CaptchaRequired, CaseNotFound, PageStructureError
from ingest.parsers.html import (
    birth_date,
    br_lines,
    clock_time,
    collapse,
    first,
    has_class,
    is_money,
    iso_date,
    json_date,
    labelled_values,
    money,
    parse_html,
    required_date,
    text,
    text_of,
)
from ingest.records import (
    AttorneyRecord,
    BondRecord,
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


@dataclass(frozen=True)
class _Section:
    """How a case page section is found: its heading text, else its wrapper ids."""

    headings: tuple[str, ...]
    wrappers: tuple[str, ...]


CASE_INFORMATION = _Section(("case information",), ("caseInformationDiv",))
PARTIES = _Section(("party", "parties", "party information"), ("CasePartiesPrintSection",))
DISPOSITIONS = _Section(("disposition events",), ("DispositionEventsPrintSection",))
EVENTS = _Section(("events and hearings",), ("OtherEventsPrintSection",))
FINANCIAL = _Section(("financial", "financial information"), ("FinancialInfoPrintSection",))
CHARGES = _Section(("charges", "charge information"), ("ChargeInformationPrintSection",))
BONDS = _Section(("bonds", "bond information"), ("BondInformationPrintSection",))

#: Case information labels → CaseDetail field; any other label goes to `attributes`.
CASE_LABELS = {
    "case number": "case_number",
    "court": "court",
    "file date": "filed_date",
    "date filed": "filed_date",
    "case type": "case_type",
    "case status": "status",
    "judicial officer": "judicial_officer",
}
#: Labels that only a hearing carries (a plain event never has a time or a result).
HEARING_LABELS = {"hearing time", "result", "cancel reason", "original type"}
FINANCIAL_LABELS = {
    "total financial assessment": "total_assessment",
    "total payments and credits": "payments_and_credits",
}
NOT_FOUND = re.compile(r"(?:could|can)\s*not be found", re.I)
FINANCIAL_URL = re.compile(r"""['"]([^'"]*LoadFinancialInformation\?caseId=(\d+)[^'"]*)['"]""")
SIGNED_IN = re.compile(r"""["']?isAuthenticated["']?\s*:\s*true""")


@dataclass(frozen=True)
class _Columns:
    """A table's columns → record field, by the header's `data-field`, else its text."""

    by_field: Mapping[str, str]
    by_title: Mapping[str, str]


GRID_COLUMNS = _Columns(
    by_field={
        "CaseNumber": "case_number",
        "Style": "style",
        "FileDate": "filed_date",
        "CaseStatusId.Description": "status",
        "DefendantName": "party_name",
        "CaseTypeId.Description": "case_type",
        "NodeDescription": "location",
        "DateOfBirth": "dob",
    },
    by_title={
        "case number": "case_number",
        "case #": "case_number",
        "style / defendant": "style",
        "case style": "style",
        "style": "style",
        "file date": "filed_date",
        "filed": "filed_date",
        "status": "status",
        "case status": "status",
        "party name": "party_name",
        "party": "party_name",
        "type": "case_type",
        "case type": "case_type",
        "location": "location",
        "court location": "location",
        "date of birth": "dob",
        "dob": "dob",
    },
)
TRANSACTION_COLUMNS = _Columns(
    by_field={
        "Date": "transaction_date",
        "Description": "description",
        "Receipt": "receipt",
        "PayerName": "payer",
        "Amount": "amount",
    },
    by_title={
        "date": "transaction_date",
        "description": "description",
        "receipt": "receipt",
        "payer name": "payer",
        "payer": "payer",
        "amount": "amount",
    },
)
CHARGE_COLUMNS = _Columns(
    by_field={},
    by_title={
        "#": "charge_seq",
        "seq": "charge_seq",
        "count": "charge_seq",
        "statute": "statute",
        "description": "description",
        "charge": "description",
        "level": "degree",
        "degree": "degree",
        "class": "charge_class",
        "offense date": "offense_date",
        "disposition": "disposition",
        "disposition date": "disposition_date",
    },
)
BOND_COLUMNS = _Columns(
    by_field={},
    by_title={
        "date": "set_date",
        "set date": "set_date",
        "bond type": "bond_type",
        "type": "bond_type",
        "amount": "amount",
    },
)


# -- dashboard and login -----------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """What a search dashboard says about the session and the search form."""

    captcha_enabled: bool
    captcha_applies: bool  # enabled, and not switched off for this signed-in user
    signed_in: bool
    errors: tuple[str, ...]  # the validation summary's messages
    locations: tuple[tuple[str, str], ...]  # (value, text) of the court locations, no "All …"
    has_soundex: bool
    has_dob: bool


def parse_dashboard(html: str) -> Dashboard:
    """The Smart Search dashboard (`form#frmSS`), or a page that embeds it."""
    root = parse_html(html)
    form = first(root, "form#frmSS")
    if form is None:
        raise PageStructureError("not a Smart Search dashboard: no form#frmSS", html)
    return _dashboard(root, html, form, "caseCriteria.CourtLocation", "caseCriteria.UseSoundex")


def parse_hearing_dashboard(html: str) -> Dashboard:
    """The Search Hearings dashboard (`form#frmHS`); it has no date-of-birth filter."""
    root = parse_html(html)
    form = first(root, "form#frmHS")
    if form is None:
        raise PageStructureError("not a Search Hearings dashboard: no form#frmHS", html)
    return _dashboard(root, html, form, "SearchCriteria.SelectedCourt", "SearchCriteria.Soundex")


def _dashboard(
    root: HtmlElement, html: str, form: HtmlElement, location_field: str, soundex_field: str
) -> Dashboard:
    enabled = _setting(form, "Settings.CaptchaEnabled")
    signed_in = _signed_in(root, html)
    return Dashboard(
        captcha_enabled=enabled,
        captcha_applies=enabled
        and not (signed_in and _setting(form, "Settings.CaptchaDisabledForAuthenticated")),
        signed_in=signed_in,
        errors=_validation_errors(root),
        locations=_choices(root, location_field),
        has_soundex=first(form, f'input[name="{soundex_field}"]') is not None,
        has_dob=first(form, 'input[name="caseCriteria.DOBFrom"]') is not None,
    )


def _setting(form: HtmlElement, name: str) -> bool:
    found = first(form, f'input[name="{name}"]')
    return found is not None and found.get("value", "").strip().lower() == "true"


def _signed_in(root: HtmlElement, html: str) -> bool:
    """A Sign Out link, or the inline session config saying so."""
    sign_out = any(
        "account/logoff" in (a.get("href") or "").lower() or text(a).lower() == "sign out"
        for a in root.iter("a")
    )
    return sign_out or SIGNED_IN.search(html) is not None


def _validation_errors(root: HtmlElement) -> tuple[str, ...]:
    errors: list[str] = []
    for summary in root.cssselect(".validation-summary-errors"):
        items = [text(li) for li in summary.iter("li")]
        errors.extend(item for item in (items or [text(summary)]) if item)
    return tuple(errors)


def _choices(root: HtmlElement, name: str) -> tuple[tuple[str, str], ...]:
    """(value, text) of a form's choice field: a `<select>`, or an `<input>` that an inline
    script turns into a Kendo combo box; "All …" entries left out."""
    select = first(root, f'select[name="{name}"]')
    if select is not None:
        items = [(o.get("value", text(o)), text(o)) for o in select.iter("option")]
    else:
        items = _combo_box_items(root, name.replace(".", "_"))
    return tuple(
        (value.strip(), label)
        for value, label in items
        if value.strip() and label and not label.lower().startswith("all ")
    )


def _combo_box_items(root: HtmlElement, element_id: str) -> list[tuple[str, str]]:
    """`jQuery("#id").kendoComboBox({... "dataSource":[{"Text":…,"Value":…}] ...})`."""
    marker = f'"#{element_id}").kendoComboBox('
    for script in root.iter("script"):
        source = script.text or ""
        start = source.find(marker)
        data = source.find('"dataSource":', start) if start >= 0 else -1
        if data < 0:
            continue
        items, _ = json.JSONDecoder().raw_decode(source, source.index("[", data))
        return [(str(i.get("Value", "")), collapse(str(i.get("Text", "")))) for i in items]
    return []


def check_search_refused(html: str) -> NoReturn:
    """A search POST answered with the dashboard instead of a redirect: say why."""
    page = parse_dashboard(html)
    if any("captcha" in e.lower() for e in page.errors) or (
        page.captcha_applies and not page.errors
    ):
        raise CaptchaRequired("the court portal asks for a CAPTCHA; a person has to look")
    raise PageStructureError(
        "search refused: " + ("; ".join(page.errors) or "no reason given"), html
    )


def parse_login_token(html: str) -> str:
    root = parse_html(html)
    token = root.cssselect('#LoginForm input[name="__RequestVerificationToken"]')
    if not token:
        raise PageStructureError("not a login page: no #LoginForm with a token", html)
    return token[0].get("value", "")


def login_error(html: str) -> str | None:
    """The message a login page shows after a refused sign-in, if any."""
    root = parse_html(html)
    if first(root, "#LoginForm") is None:
        return None
    return text_of(root, ".validation-summary-errors") or None


# -- search results ----------------------------------------------------------------------


def parse_results_grid(html: str) -> SearchPage:
    """The rendered Smart Search results grid (`#CasesGrid`). Columns are found by header,
    so a county's own column set and order do not matter. The grid shows no cap: whether
    more rows exist is for the caller to judge (`max_results_hit` is always False)."""
    root = parse_html(html)
    host = first(root, "#SmartSearchResults")
    alert = first(root if host is None else host, ".alert-danger")
    if alert is not None:
        raise PageStructureError(f"the results grid failed to load: {text(alert)}", html)
    table = first(root, "#CasesGrid table")
    if table is None:
        raise PageStructureError("no results grid: no #CasesGrid table", html)
    columns = _header_fields(table, GRID_COLUMNS)
    missing = {"case_number", "style", "filed_date"} - set(columns.values())
    if missing:
        raise PageStructureError(f"results grid without columns {sorted(missing)}", html)
    return SearchPage(
        rows=tuple(_grid_row(tr, cells) for tr, cells in _rows(table, columns, "k-master-row")),
        max_results_hit=False,
    )


def _grid_row(tr: HtmlElement, cells: dict[str, HtmlElement]) -> SearchRow:
    link = first(tr, "a.caseLink")
    url = (link.get("data-url") or link.get("href", "")).strip() if link is not None else ""
    if link is None or url in ("", "#"):
        raise PageStructureError(f"a result row without a case link: {text(tr)[:120]}")
    values = {name: text(cell) for name, cell in cells.items()}
    if not values.get("case_number"):
        raise PageStructureError(f"a result row without a case number: {text(tr)[:120]}")
    return SearchRow(
        case_number=values["case_number"],
        style=values.get("style", ""),
        filed_date=required_date(values.get("filed_date"), "a result row's file date"),
        case_link=url,
        party_name=values.get("party_name") or None,
        dob=birth_date(values.get("dob"))[0],
        status=values.get("status") or None,
        case_type=values.get("case_type") or None,
        location=values.get("location") or None,
        portal_case_id=link.get("data-caseid") or None,
    )


def parse_results_json(payload: Any) -> SearchPage:
    """The Kendo envelope behind the results grid (`SmartSearch/SmartSearchResults`)."""
    rows = tuple(_json_row(item) for item in _envelope_data(payload))
    return SearchPage(rows=rows, max_results_hit=bool(payload.get("MaxResultsHit")))


def _json_row(item: dict[str, Any]) -> SearchRow:
    case_number = _json_text(item.get("CaseNumber"))
    encrypted = _json_text(item.get("EncryptedCaseId"))
    if not case_number or not encrypted:
        raise PageStructureError(f"a result row without case number or id: {str(item)[:200]}")
    filed = json_date(item.get("FileDate"))
    if filed is None:
        raise PageStructureError(f"result row {case_number} without a file date")
    return SearchRow(
        case_number=case_number,
        style=_json_text(item.get("Style")) or "",
        filed_date=filed,
        case_link=f"Case/CaseDetail?eid={encrypted}&tabIndex=3",
        party_name=_json_text(item.get("DefendantName")),
        dob=json_date(item.get("DateOfBirth")),
        status=_code_description(item.get("CaseStatusId")),
        case_type=_code_description(item.get("CaseTypeId")),
        location=_json_text(item.get("NodeDescription")),
        portal_case_id=_json_id(item.get("CaseId")),
    )


def parse_hearing_results(payload: Any) -> HearingSearchPage:
    """The Kendo envelope of a hearing search (`Hearing/HearingResults/Read`)."""
    rows = tuple(_hearing_row(item) for item in _envelope_data(payload))
    total = payload.get("Total")
    return HearingSearchPage(
        rows=rows,
        total=int(total) if total is not None else len(rows),
        max_results_hit=bool(payload.get("MaxResultsHit")),
    )


def _hearing_row(item: dict[str, Any]) -> HearingSearchRow:
    ids = {k: _json_id(item.get(k)) for k in ("CaseId", "EncryptedCaseId", "HearingId")}
    case_number = _json_text(item.get("CaseNumber"))
    hearing_date = json_date(item.get("HearingDate"))
    if None in ids.values() or not case_number or hearing_date is None:
        raise PageStructureError(f"a hearing row without ids, number or date: {str(item)[:200]}")
    time = _json_text(item.get("HearingTime"))
    return HearingSearchRow(
        case_id=str(ids["CaseId"]),
        encrypted_case_id=str(ids["EncryptedCaseId"]),
        hearing_id=str(ids["HearingId"]),
        case_number=case_number,
        style=_json_text(item.get("Style")),
        defendant_name=_json_text(item.get("DefendantName")),
        location=_json_text(item.get("LocationName")),
        case_category=_json_text(item.get("CaseCategoryKey")),
        case_type=_code_description(item.get("CaseTypeId")),
        hearing_type=_code_description(item.get("HearingTypeId")),
        judicial_officer=_code_description(item.get("JudgeId")),
        hearing_date=hearing_date,
        hearing_time=clock_time(time) if time else None,
        courtroom=_json_text(item.get("CourtRoom")),
        filed_date=json_date(item.get("FileDate")),
    )


def _envelope_data(payload: Any) -> list[dict[str, Any]]:
    """The rows of a Kendo envelope `{"Data": [...], "Errors": ..., "Total": n, ...}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("Data"), list):
        raise PageStructureError(f"not a Kendo result envelope: {str(payload)[:200]}")
    if payload.get("Errors"):
        raise PageStructureError(f"the portal reports errors: {payload['Errors']}")
    return payload["Data"]


def _json_text(value: Any) -> str | None:
    """A JSON string as printed text (whitespace collapsed); null or blank → None."""
    if value is None:
        return None
    return collapse(str(value)) or None


def _json_id(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _code_description(code: Any) -> str | None:
    """A code object `{"Word": "SMJP", "Description": "Jail Plea", "HasValue": true}`."""
    if not isinstance(code, dict) or code.get("HasValue") is False:
        return None
    return _json_text(code.get("Description"))


# -- tables ------------------------------------------------------------------------------


def _header_fields(table: HtmlElement, columns: _Columns) -> dict[int, str]:
    """Column position → record field, for the header cells a record reads."""
    header = table.cssselect("thead th") or table.cssselect("tr:first-child th")
    cells = [th for th in header if not has_class(th, "k-hierarchy-cell")]
    found: dict[int, str] = {}
    for position, th in enumerate(cells):
        name = columns.by_field.get(th.get("data-field", "")) or columns.by_title.get(
            text(th).lower()
        )
        if name and name not in found.values():
            found[position] = name
    return found


def _rows(
    table: HtmlElement, columns: dict[int, str], row_class: str | None = None
) -> Iterator[tuple[HtmlElement, dict[str, HtmlElement]]]:
    """(row, field → cell) for each body row (of `row_class`, when given)."""
    for tr in table.iter("tr"):
        if row_class is not None and not has_class(tr, row_class):
            continue
        cells = [td for td in tr if td.tag == "td" and not has_class(td, "k-hierarchy-cell")]
        if cells:
            yield tr, {name: cells[i] for i, name in columns.items() if i < len(cells)}


# -- case detail -------------------------------------------------------------------------


def parse_case_detail(html: str) -> CaseDetail:
    """A case detail page (the `Case/CaseDetail` fragment, or a page holding one)."""
    root = parse_html(html)
    info = _section(root, CASE_INFORMATION)
    values = merged(labelled_values(info)) if info is not None else {}
    known = {CASE_LABELS[k.lower()]: v for k, v in values.items() if k.lower() in CASE_LABELS}
    if info is None or not known.get("case_number"):
        raise _not_a_case(root, html)
    financial = _section(root, FINANCIAL)
    events, hearings = _docket(_section(root, EVENTS))
    return CaseDetail(
        court=known.get("court", ""),
        case_number=known["case_number"],
        case_type=known.get("case_type", ""),
        filed_date=iso_date(known.get("filed_date")) or "",
        status=known.get("status", ""),
        style=_style(info),
        judicial_officer=known.get("judicial_officer") or None,
        portal_case_id=_portal_case_id(root, html),
        attributes={k: v for k, v in values.items() if k.lower() not in CASE_LABELS},
        parties=_parties(_section(root, PARTIES)),
        events=events,
        hearings=hearings,
        judgments=_judgments(_section(root, DISPOSITIONS)),
        financial=() if financial is None or _is_loading(financial) else _financials(financial),
        charges=_charges(_section(root, CHARGES)),
        bonds=_bonds(_section(root, BONDS)),
        has_financial=financial is not None,
    )


def financial_url(html: str) -> str | None:
    """The `LoadFinancialInformation` URL (as the page gives it) when the page has a
    Financial section that still shows the loading placeholder; None otherwise."""
    root = parse_html(html)
    section = _section(root, FINANCIAL)
    if section is None or not _is_loading(section):
        return None
    match = FINANCIAL_URL.search(html)
    if match is None:
        raise PageStructureError(
            "the Financial section is still loading and the page has no "
            "LoadFinancialInformation URL",
            html,
        )
    return unescape(match.group(1))


def parse_financial(html: str) -> tuple[FinancialRecord, ...]:
    """The loaded Financial section: the `LoadFinancialInformation` fragment, or a page
    whose Financial section is filled in."""
    root = parse_html(html)
    section = _section(root, FINANCIAL)
    if section is None and any(_financial_label(node) for node in root.iter("div", "p")):
        section = root  # a bare fragment: the party blocks without a heading
    if section is None:
        raise PageStructureError("no Financial section", html)
    if _is_loading(section):
        raise PageStructureError("the Financial section is still loading", html)
    return _financials(section)


def _section(root: HtmlElement, section: _Section) -> HtmlElement | None:
    """The section a heading heads (the panel body or print section around it), else its
    print-section wrapper by id; None when the page leaves it out."""
    for h1 in root.iter("h1"):
        if text(h1).lower() in section.headings:
            return _container(h1)
    for wrapper in section.wrappers:
        found = root.get_element_by_id(wrapper, None)
        if found is not None:
            return found
    return None


def _container(heading: HtmlElement) -> HtmlElement:
    """The nearest panel body or print section around a heading."""
    for node in heading.iterancestors():
        if has_class(node, "panel-body") or has_class(node, "section"):
            return node
    return heading.getparent()


def merged(pairs: Iterable[tuple[str, list[str]]]) -> dict[str, str]:
    """label → value; a label printed again (two service attempts) adds ` | value`."""
    merged: dict[str, str] = {}
    for label, lines in pairs:
        value = " ".join(lines)
        if label not in merged:
            merged[label] = value
        elif value:
            merged[label] = f"{merged[label]} | {value}" if merged[label] else value
    return merged


def _take(values: dict[str, str], label: str) -> str | None:
    """Remove and return the value of `label` (any letter case); "" reads as None."""
    for key in list(values):
        if key.lower() == label:
            return values.pop(key) or None
    return None


def _dated_header(node: HtmlElement | None, what: str) -> tuple[str, str]:
    """`08/21/2017   Dispossessory Warrant` → ("2017-08-21", "Dispossessory Warrant")."""
    date, _, title = text(node).partition(" ")
    if node is None or not re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", date):
        raise PageStructureError(f"{what} without a date: {text(node)[:120]!r}")
    return required_date(date, what), title.strip()


def _style(info: HtmlElement) -> str | None:
    """The header line `<case number> | <style>`, after the number."""
    header = first(info, "p.text-primary")
    _, bar, style = text(header).partition("|")
    if not bar:
        return None
    return style.strip() or None


def _portal_case_id(root: HtmlElement, html: str) -> str | None:
    """The numeric case id: from the financial URL, else the page's `data-case-id`."""
    match = FINANCIAL_URL.search(html)
    if match is not None:
        return match.group(2)
    holder = first(root, "[data-case-id]")
    return holder.get("data-case-id") if holder is not None else None


def _not_a_case(root: HtmlElement, html: str) -> CaseNotFound | PageStructureError:
    """Why a page without a case number is no case: the portal's "could not be found"
    alert (CaseNotFound), else a page of another kind."""
    for alert in root.cssselect('[class*="alert"]'):
        if NOT_FOUND.search(text(alert)):
            return CaseNotFound(f"the portal says the case cannot be found: {text(alert)}")
    return PageStructureError(
        "not a case detail page: no Case Information section with a Case Number", html
    )


# -- parties -----------------------------------------------------------------------------


def _parties(section: HtmlElement | None) -> tuple[PartyRecord, ...]:
    """Every party block (`tyler-span-2` with an attorney column, `tyler-span-3` without)."""
    if section is None:
        return ()
    blocks = [
        div
        for div in section.iter("div")
        if any(c.startswith("tyler-span-") for c in (div.get("class") or "").split())
    ]
    return tuple(_party(seq, block) for seq, block in enumerate(blocks, start=1))


def _party(seq: int, block: HtmlElement) -> PartyRecord:
    role = first(block, "p > span.text-primary")
    if role is None:
        raise PageStructureError(f"party block {seq} without a role: {text(block)[:120]!r}")
    counsel = _attorney_box(block)
    skip = (counsel,) if counsel is not None else ()
    values: dict[str, list[str]] = {}
    labels: dict[str, list[str]] = {}  # as printed, for the attributes
    for label, lines in labelled_values(block, skip):
        values.setdefault(label.lower(), lines)
        labels.setdefault(label, lines)
    dob, birth_year = birth_date(" ".join(values.pop("dob", [])))
    gender, race = values.pop("gender", []), values.pop("race", [])
    address = values.pop("address", [])
    return PartyRecord(
        party_seq=seq,
        role=text(role),
        name=" ".join(br_lines(role.getparent(), after=role)),
        dob=dob,
        birth_year=birth_year,
        gender=" ".join(gender) or None,
        race=" ".join(race) or None,
        address_lines=tuple(address),
        is_pro_se=counsel is not None and _says_pro_se(counsel),
        attorneys=_attorneys(counsel) if counsel is not None else (),
        attributes={label: " | ".join(lines) for label, lines in labels.items() if label in values},
    )


def _attorney_box(block: HtmlElement) -> HtmlElement | None:
    """What the "Active Attorneys" header opens."""
    for controller in block.cssselect(".tyler-toggle-controller"):
        if "attorney" in text(controller).lower():
            return controller.getnext()
    return None


def _says_pro_se(box: HtmlElement) -> bool:
    return any(text(node).lower() == "pro se" for node in box.iter() if isinstance(node.tag, str))


def _attorneys(box: HtmlElement) -> tuple[AttorneyRecord, ...]:
    """The "Lead Attorney" / "Attorney" entries: name, "Retained" (or the like), phone."""
    attorneys = []
    for label in box.cssselect("span.text-muted"):
        title = text(label).lower()
        if not title.endswith("attorney"):
            continue
        holder = label.getparent()
        details = merged(labelled_values(holder.getparent(), skip=(holder,)))
        phones = [v for k, v in details.items() if "phone" in k.lower() and v]
        attorneys.append(
            AttorneyRecord(
                name=" ".join(br_lines(holder, after=label)),
                is_lead=title.startswith("lead"),
                kind=next((k for k, v in details.items() if not v), None),
                phone=phones[0] if phones else None,
            )
        )
    return tuple(attorneys)


# -- events and hearings -----------------------------------------------------------------


def _docket(
    section: HtmlElement | None,
) -> tuple[tuple[EventRecord, ...], tuple[HearingRecord, ...]]:
    """Events and Hearings: a plain event is wrapped in `div.portal-case-event`; an item
    without that wrapper is a hearing when it carries a hearing's labels (Hearing Time,
    Result, Cancel Reason, Original Type), else an event too (service, cause of action)."""
    events: list[EventRecord] = []
    hearings: list[HearingRecord] = []
    seen: Counter[tuple[str, str | None, str]] = Counter()
    for item in _docket_items(section):
        date, title = _dated_header(first(item, "p.text-primary"), "a docket entry")
        values = merged(labelled_values(item))
        wrapped = first(item, ".portal-case-event") is not None
        if wrapped or not {k.lower() for k in values} & HEARING_LABELS:
            events.append(_event(len(events) + 1, item, date, title, values))
            continue
        time = _take(values, "hearing time")
        hearing_time = clock_time(time) if time else None
        alike = (date, hearing_time, " ".join(title.lower().split()))
        seen[alike] += 1
        hearing = _hearing(date, hearing_time, title, seen[alike], values)
        hearings.append(replace(hearing, documents=_documents(item)))
    return tuple(events), tuple(hearings)


def _hearing(
    date: str, time: str | None, title: str, n: int, values: dict[str, str]
) -> HearingRecord:
    """A hearing; `n` counts the case's hearings alike in date, time and type so far."""
    canceled = any(k.lower() == "cancel reason" for k in values)
    return HearingRecord(
        hearing_key=hearing_key(date, time, title, n),
        hearing_date=date,
        hearing_time=time,
        hearing_type=title,
        judicial_officer=_take(values, "judicial officer"),
        is_canceled=canceled,
        cancel_reason=_take(values, "cancel reason"),
        result=_take(values, "result"),
        comment=_take(values, "comment"),
        original_type=_take(values, "original type"),
        courtroom=_take(values, "courtroom"),
        attributes=values,  # what the takes above left
    )


def _docket_items(section: HtmlElement | None) -> list[HtmlElement]:
    """The docket's entries, in page order: its `li`s (or other `.list-group-item`s)."""
    if section is None:
        return []
    return section.xpath(".//li | .//*[contains(concat(' ', @class, ' '), ' list-group-item ')]")


def _event(
    seq: int, item: HtmlElement, date: str, title: str, values: dict[str, str]
) -> EventRecord:
    """A plain docket event; labels other than Comment stay as its attributes."""
    comment = _take(values, "comment")
    return EventRecord(
        event_seq=seq,
        event_date=date,
        event_type=title,
        comment=comment,
        documents=_documents(item),
        attributes=values,
    )


def _documents(node: HtmlElement) -> tuple[str, ...]:
    """Names of the documents listed (`View Document` links and the name beside them)."""
    names = []
    for link in node.cssselect("a.document-download"):
        beside = link.getnext()
        names.append(text(beside) if beside is not None else link.get("data-doc-docname", ""))
    return tuple(name for name in names if name)


# -- dispositions ------------------------------------------------------------------------


def _judgments(section: HtmlElement | None) -> tuple[JudgmentRecord, ...]:
    """Each dated disposition (`MM/DD/YYYY Judgment`) with what its body lists."""
    if section is None:
        return ()
    return tuple(
        _judgment(seq, controller)
        for seq, controller in enumerate(section.cssselect(".tyler-toggle-controller"), start=1)
    )


def _judgment(seq: int, controller: HtmlElement) -> JudgmentRecord:
    date, title = _dated_header(first(controller, "p.text-primary"), "a disposition")
    body = controller.getnext()
    if body is None or not has_class(body, "tyler-toggle-container"):
        return JudgmentRecord(judgment_seq=seq, judgment_date=date, judgment_type=title)
    awards = tuple(body.cssselect(".JudgmentEvent"))
    values = merged(labelled_values(body, skip=awards))
    judgment_for: str | None = None
    names: list[str] = []
    amounts: dict[str, str] = {}
    for award in awards:
        found_for = _read_award(award, names, amounts)
        judgment_for = judgment_for or found_for
    return JudgmentRecord(
        judgment_seq=seq,
        judgment_date=date,
        judgment_type=_take(values, "judgment type") or title,
        judgment_for=judgment_for,
        amount=amounts.get("Award") or sum_amounts(amounts.values()),
        judicial_officer=_take(values, "judicial officer"),
        party_names=tuple(names),
        amounts=amounts,
        documents=_documents(body),
    )


def _read_award(award: HtmlElement, names: list[str], amounts: dict[str, str]) -> str | None:
    """A `div.JudgmentEvent`: "Judgment For: Plaintiff", labelled amounts ("Compensatory:
    $3,940.00", keyed by label; a label met again under another heading is keyed with that
    heading), and "Name(s):" lists. Returns whom the judgment is for."""
    labels = [
        node
        for node in award.iter()
        if isinstance(node.tag, str)
        and (has_class(node, "tyler-color-muted") or has_class(node, "text-muted"))
    ]
    judgment_for = None
    heading = ""
    for label in labels:
        title = text(label).rstrip(":").strip()
        beside = label.getnext()
        value = collapse(label.tail) or (
            text(beside) if beside is not None and beside.tag == "span" else ""
        )
        if title.lower() == "judgment for":
            judgment_for = value or None
        elif title.lower() in ("name", "names"):
            names.extend(_texts_after(label, award, labels))
        elif is_money(value):
            key = title if title not in amounts else f"{title} ({heading})"
            amounts[key] = money(value) or ""
        elif not value:
            heading = title
    return judgment_for


def _texts_after(label: HtmlElement, within: HtmlElement, labels: list[HtmlElement]) -> list[str]:
    """The texts of the innermost elements after `label`, up to the next label."""
    texts: list[str] = []
    after = False
    for node in within.iter():
        if node is label:
            after = True
        elif after and node in labels:
            break
        elif after and isinstance(node.tag, str) and len(node) == 0 and text(node):
            texts.append(text(node))
    return texts


def sum_amounts(amounts: Iterable[str]) -> str | None:
    values = [Decimal(a) for a in amounts]
    return f"{sum(values, Decimal('0.00')):.2f}" if values else None


# -- financial ---------------------------------------------------------------------------


def _is_loading(section: HtmlElement) -> bool:
    """The placeholder a static fetch shows: "Loading financial, please wait..."."""
    return "loading" in text(section).lower() and not _financials(section)


def _financials(section: HtmlElement) -> tuple[FinancialRecord, ...]:
    """Per party: its name header, "Total Financial Assessment", "Total Payments and
    Credits", then its transactions grid."""
    parties: list[dict[str, Any]] = []
    for node in section.iter("p", "div", "table"):
        label = _financial_label(node)
        if node.tag == "p" and has_class(node, "text-primary"):
            parties.append({"party_name": text(node), "transactions": []})
            continue
        if label is None and node.tag != "table":
            continue
        if not parties:
            raise PageStructureError("financial figures before any party name")
        if label is not None:
            parties[-1][FINANCIAL_LABELS[label]] = money(text(node.getnext()))
        else:
            parties[-1]["transactions"].extend(_transactions(node))
    return tuple(
        FinancialRecord(
            party_name=party["party_name"],
            total_assessment=party.get("total_assessment"),
            payments_and_credits=party.get("payments_and_credits"),
            transactions=tuple(party["transactions"]),
        )
        for party in parties
    )


def _financial_label(node: HtmlElement) -> str | None:
    """The FINANCIAL_LABELS key when `node` holds just that label ("Total ...")."""
    label = text(node).rstrip(":").lower() if len(node) == 0 else ""
    return label if label in FINANCIAL_LABELS else None


def _transactions(table: HtmlElement) -> list[TransactionRecord]:
    columns = _header_fields(table, TRANSACTION_COLUMNS)
    records = []
    for _, cells in _rows(table, columns):
        values = {name: text(cell) for name, cell in cells.items()}
        records.append(
            TransactionRecord(
                transaction_date=required_date(values.get("transaction_date"), "a transaction"),
                description=values.get("description", ""),
                receipt=values.get("receipt") or None,
                payer=values.get("payer") or None,
                amount=money(values.get("amount")) or "0.00",
            )
        )
    return records


# -- charges and bonds -------------------------------------------------------------------


def _table_values(
    section: HtmlElement | None, columns: _Columns, required: str, what: str
) -> list[dict[str, str]]:
    """The rows of a section's table as field → text, found by header text."""
    table = first(section, "table") if section is not None else None
    if table is None:
        return []
    fields = _header_fields(table, columns)
    if required not in fields.values():
        raise PageStructureError(f"the {what} table has no column for {required}")
    return [{k: text(v) for k, v in cells.items()} for _, cells in _rows(table, fields)]


def _charges(section: HtmlElement | None) -> tuple[ChargeRecord, ...]:
    rows = _table_values(section, CHARGE_COLUMNS, "description", "Charges")
    return tuple(
        ChargeRecord(
            charge_seq=int(re.sub(r"\D", "", row.get("charge_seq", "")) or seq),
            statute=row.get("statute") or None,
            description=row.get("description", ""),
            degree=row.get("degree") or None,
            charge_class=row.get("charge_class") or None,
            offense_date=iso_date(row.get("offense_date")),
            disposition=row.get("disposition") or None,
            disposition_date=iso_date(row.get("disposition_date")),
        )
        for seq, row in enumerate(rows, start=1)
    )


def _bonds(section: HtmlElement | None) -> tuple[BondRecord, ...]:
    rows = _table_values(section, BOND_COLUMNS, "bond_type", "Bonds")
    return tuple(
        BondRecord(
            bond_seq=seq,
            set_date=iso_date(row.get("set_date")),
            bond_type=row.get("bond_type", ""),
            amount=money(row.get("amount")),
        )
        for seq, row in enumerate(rows, start=1)
    )
