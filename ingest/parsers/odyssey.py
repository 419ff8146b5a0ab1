"""Pure parsers for Tyler Odyssey "Portal" pages: HTML or JSON in, records out.

Every parser checks the page's structure first; a page without its expected markers (an
error body, an empty shell, a half-rendered grid) raises `PageStructureError`, never an
empty result, so a soft failure cannot pass for "no data".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from ingest.errors import CaptchaRequired, CaseNotFound, PageStructureError
from ingest.parsers.html import (
    clock_time,
    first,
    iso_date,
    money,
    parse_html,
    required_date,
    text,
    text_of,
)
from ingest.records import (
    BondRecord,
    CaseDetail,
    ChargeRecord,
    EventRecord,
    HearingRecord,
    JudgmentRecord,
    PartyRecord,
    SearchPage,
    SearchRow,
)

# Grid header titles seen across counties → record field.
GRID_HEADERS = {
    "case number": "case_number",
    "case #": "case_number",
    "style / defendant": "style",
    "case style": "style",
    "style": "style",
    "file date": "filed_date",
    "filed": "filed_date",
    "party name": "party_name",
    "party": "party_name",
    "date of birth": "dob",
    "dob": "dob",
    "status": "status",
    "case status": "status",
    "type": "case_type",
    "case type": "case_type",
    "location": "location",
    "court location": "location",
}
JSON_FIELDS = {
    "CaseNumber": "case_number",
    "Style": "style",
    "FileDate": "filed_date",
    "PartyName": "party_name",
    "DateOfBirth": "dob",
    "Status": "status",
    "Type": "case_type",
    "Location": "location",
}
REQUIRED_GRID_FIELDS = {
    "case_number",
    "filed_date",
    "party_name",
    "status",
    "case_type",
    "location",
}
DETAIL_SECTIONS = (
    "divCaseInformation_body",
    "partyInformationDiv",
    "dispositionInformationDiv",
    "eventsInformationDiv",
    "financialInformationDiv",
)


# -- dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    token: str
    captcha_enabled: bool
    timed_out: bool
    signed_in: bool
    errors: tuple[str, ...]


def parse_dashboard(html: str) -> Dashboard:
    root = parse_html(html)
    token = root.cssselect('input[name="__RequestVerificationToken"]')
    if not token or first(root, "#SmartSearchForm") is None:
        raise PageStructureError("not a Smart Search dashboard", html)
    captcha = root.cssselect('input[name="Settings.CaptchaEnabled"]')
    return Dashboard(
        token=token[0].get("value", ""),
        captcha_enabled=bool(captcha) and captcha[0].get("value", "").lower() == "true",
        timed_out=first(root, ".session-timeout") is not None,
        signed_in=first(root, ".portal-header .user") is not None,
        errors=tuple(text(e) for e in root.cssselect(".validation-summary-errors")),
    )


def check_search_refused(html: str) -> None:
    """A search POST answered with the dashboard instead of a redirect: say why."""
    page = parse_dashboard(html)
    if page.captcha_enabled or any("captcha" in e.lower() for e in page.errors):
        raise CaptchaRequired("the court portal asks for a CAPTCHA; a person has to look")
    raise PageStructureError(
        "search refused: " + ("; ".join(page.errors) or "no reason given"), html
    )


def parse_login_token(html: str) -> str:
    root = parse_html(html)
    token = root.cssselect('#LoginForm input[name="__RequestVerificationToken"]')
    if not token:
        raise PageStructureError("not a login page", html)
    return token[0].get("value", "")


def login_error(html: str) -> str | None:
    """The message a login page shows after a refused sign-in, if any."""
    root = parse_html(html)
    if first(root, "#LoginForm") is None:
        return None
    return text_of(root, ".validation-summary-errors") or None


# -- search results ----------------------------------------------------------------------


def _row(values: dict[str, Any], link: str) -> SearchRow:
    return SearchRow(
        case_number=str(values.get("case_number") or "").strip(),
        style=str(values.get("style") or "").strip(),
        filed_date=required_date(values.get("filed_date"), "file date"),
        party_name=str(values.get("party_name") or "").strip(),
        dob=iso_date(values.get("dob")),
        status=str(values.get("status") or "").strip(),
        case_type=str(values.get("case_type") or "").strip(),
        location=str(values.get("location") or "").strip(),
        case_link=link,
    )


def parse_results_json(payload: Any) -> SearchPage:
    """The JSON behind the results grid (session mode)."""
    if not isinstance(payload, dict) or "Data" not in payload or "MaxResultsHit" not in payload:
        raise PageStructureError(f"unexpected results payload: {str(payload)[:200]}")
    rows = []
    for item in payload["Data"]:
        values = {JSON_FIELDS[k]: v for k, v in item.items() if k in JSON_FIELDS}
        if not values.get("case_number") or not item.get("CaseLink"):
            raise PageStructureError("a result row without case number or link")
        rows.append(_row(values, str(item["CaseLink"])))
    return SearchPage(rows=tuple(rows), max_results_hit=bool(payload["MaxResultsHit"]))


def parse_results_grid(html: str) -> SearchPage:
    """The rendered results grid (browser mode). Columns are found by header title, so a
    county's different order or wording does not matter."""
    root = parse_html(html)
    host = first(root, "#SmartSearchResults")
    if host is None:
        raise PageStructureError("no results container", html)
    error = text_of(host, ".results-error")
    if error:
        raise PageStructureError(f"the grid failed to load: {error}", html)
    capped = first(host, ".max-results-hit") is not None
    if first(host, ".no-results") is not None:
        return SearchPage(rows=(), max_results_hit=capped)
    table = first(host, "#CasesGrid")
    if table is None or first(host, "#results-loaded") is None:
        raise PageStructureError("the results grid is not filled", html)
    titles = [text(th).lower() for th in table.cssselect("thead th")]
    columns = [GRID_HEADERS.get(t) for t in titles]
    missing = REQUIRED_GRID_FIELDS - set(columns)
    if missing:
        raise PageStructureError(f"grid columns missing: {sorted(missing)} in {titles}", html)
    rows = []
    for tr in table.cssselect("tbody tr"):
        cells = tr.cssselect("td")
        values = {col: text(td) for col, td in zip(columns, cells, strict=False) if col}
        link = first(tr, "a.caseLink")
        if link is None:
            raise PageStructureError("a result row without a case link", html)
        rows.append(_row(values, link.get("href", "")))
    return SearchPage(rows=tuple(rows), max_results_hit=capped)


# -- case detail -------------------------------------------------------------------------


def parse_case_detail(html: str) -> CaseDetail:
    root = parse_html(html)
    if first(root, "#case-not-found") is not None:
        raise CaseNotFound("the portal says the case cannot be found")
    for section in DETAIL_SECTIONS:
        if first(root, f"#{section}") is None:
            raise PageStructureError(f"case detail without #{section}", html)
    balance = first(root, ".fin-balance")
    match = re.search(r"Balance Due as of (\d{2}/\d{2}/\d{4})", text(balance))
    if match is None:
        raise PageStructureError("no 'Balance Due as of' line", html)
    case_number = text_of(root, "#CaseNumber")
    if not case_number:
        raise PageStructureError("case detail without a case number", html)
    return CaseDetail(
        court=text_of(root, "#Court"),
        case_number=case_number,
        case_type=text_of(root, "#CaseType"),
        filed_date=required_date(text_of(root, "#FileDate"), "file date"),
        status=text_of(root, "#CaseStatus"),
        judicial_officer=text_of(root, "#JudicialOfficer"),
        fees_assessed=money(text_of(root, ".fin-assessed")) or "0.00",
        paid=money(text_of(root, ".fin-paid")) or "0.00",
        balance_due=money(text_of(root, ".fin-balance-amount")) or "0.00",
        balance_as_of=required_date(match.group(1), "balance date"),
        parties=tuple(_parties(root)),
        events=tuple(_events(root)),
        hearings=tuple(_hearings(root)),
        judgments=tuple(_judgments(root)),
        charges=tuple(_charges(root)),
        bonds=tuple(_bonds(root)),
    )


def _parties(root: HtmlElement) -> list[PartyRecord]:
    parties = []
    for seq, card in enumerate(root.cssselect("#partyInformationDiv .party-card"), start=1):
        lines = [text(line) for line in card.cssselect(".address-line")]
        parties.append(
            PartyRecord(
                party_seq=seq,
                role=text_of(card, ".party-role"),
                name=text_of(card, ".party-name"),
                dob=iso_date(text_of(card, ".party-dob")),
                address_raw=" | ".join(line for line in lines if line) or None,
                attorney_name=text_of(card, ".attorney-name") or None,
                attorney_kind=text_of(card, ".attorney-kind") or None,
            )
        )
    return parties


def _events(root: HtmlElement) -> list[EventRecord]:
    return [
        EventRecord(
            event_seq=seq,
            event_date=required_date(text_of(li, ".event-date"), "event date"),
            event_type=text_of(li, ".event-type"),
            description=text_of(li, ".event-description"),
        )
        for seq, li in enumerate(root.cssselect("#eventsInformationDiv li.roa-event"), start=1)
    ]


def _hearings(root: HtmlElement) -> list[HearingRecord]:
    hearings = []
    for li in root.cssselect("#eventsInformationDiv li.roa-hearing"):
        canceled = first(li, ".hearing-canceled") is not None
        hearings.append(
            HearingRecord(
                hearing_id=li.get("data-hearing-id", ""),
                hearing_date=required_date(text_of(li, ".hearing-date"), "hearing date"),
                hearing_time=clock_time(text_of(li, ".hearing-time")),
                hearing_type=text_of(li, ".hearing-type"),
                courtroom=text_of(li, ".hearing-courtroom"),
                judicial_officer=text_of(li, ".hearing-officer"),
                is_canceled=canceled,
                cancel_reason=(text_of(li, ".cancel-reason") or None) if canceled else None,
                result=text_of(li, ".hearing-result") or None,
            )
        )
    return hearings


def _judgments(root: HtmlElement) -> list[JudgmentRecord]:
    return [
        JudgmentRecord(
            judgment_seq=seq,
            judgment_date=required_date(text_of(div, ".judgment-date"), "judgment date"),
            judgment_type=text_of(div, ".judgment-type"),
            judgment_for=text_of(div, ".judgment-for"),
            amount=money(text_of(div, ".judgment-amount")),
        )
        for seq, div in enumerate(root.cssselect("#dispositionInformationDiv .judgment"), start=1)
    ]


def _charges(root: HtmlElement) -> list[ChargeRecord]:
    charges = []
    for tr in root.cssselect("#chargeInformationDiv tr.charge-row"):
        cells = [text(td) for td in tr.cssselect("td")]
        if len(cells) != 8:
            raise PageStructureError(f"a charge row with {len(cells)} cells")
        seq, statute, description, degree, charge_class, offense, disposition, disposed = cells
        charges.append(
            ChargeRecord(
                charge_seq=int(seq),
                statute=statute,
                description=description,
                degree=degree,
                charge_class=charge_class,
                offense_date=iso_date(offense),
                disposition=disposition or None,
                disposition_date=iso_date(disposed),
            )
        )
    return charges


def _bonds(root: HtmlElement) -> list[BondRecord]:
    return [
        BondRecord(
            bond_seq=seq,
            set_date=required_date(text_of(p, ".bond-date"), "bond date"),
            bond_type=text_of(p, ".bond-type"),
            amount=money(text_of(p, ".bond-amount")) or "0.00",
        )
        for seq, p in enumerate(root.cssselect("#bondInformationDiv .bond"), start=1)
    ]
