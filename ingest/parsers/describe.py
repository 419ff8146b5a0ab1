"""What courtlake reads from a saved court portal or jail roster page (`courtlake ingest
parse FILE`).

`describe_page` tells the page kind from what the page holds and returns its parsed
records as plain JSON data, so that someone adding a county can check a saved page.
Odyssey Portal (2017+) pages:

- `case_detail`: a Case Information section with a Case Number (a full page that also
  holds the search form and the results grid counts as its case detail tab);
- `case_not_found`: the portal's "could not be found" message instead of a case;
- `results_grid` (`#CasesGrid`), `dashboard` (`form#frmSS`), `hearing_dashboard`
  (`form#frmHS`), `financial` (a loaded Financial section on its own);
- `results_json` / `hearing_json`: the Kendo envelopes (hearing rows carry a `HearingId`);

Odyssey PublicAccess (the older WebForms generation) pages, read into the same records:

- `publicaccess_case_detail`: a "Register of Actions" header with a case number
  (`CaseDetail.aspx`), printed like `case_detail`;
- `publicaccess_search_results` / `publicaccess_calendar_results`: "Record Count:" and
  rows linking `CaseDetail.aspx?CaseID=…`, cases or hearings (a "Hearing Type" column);
- `publicaccess_search_form`: the `Search.aspx` form (`__VIEWSTATE`, a "Search By" choice);
- `publicaccess_main_menu`: `default.aspx`, its location choice and search links;

and jail pages:

- `roster` / `inmate`: an IML jail roster page ("Showing x to y of z results") and an IML
  person page (a "Name:" label and `td.header` sections).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from ingest.errors import CaseNotFound, PageStructureError
from ingest.parsers import publicaccess
from ingest.parsers.iml import parse_inmate, parse_roster
from ingest.parsers.odyssey import (
    financial_url,
    parse_case_detail,
    parse_dashboard,
    parse_financial,
    parse_hearing_dashboard,
    parse_hearing_results,
    parse_results_grid,
    parse_results_json,
)
from ingest.records import CaseDetail, InmateDetail, InmateRosterPage

#: HTML page kinds, in the order they are tried, and how each is read.
HTML_KINDS: tuple[tuple[str, Callable[[str], dict[str, Any]]], ...] = (
    ("case_detail", lambda t: _case_detail(parse_case_detail(t), financial_url(t))),
    ("results_grid", lambda t: _plain(parse_results_grid(t))),
    ("dashboard", lambda t: _plain(parse_dashboard(t))),
    ("hearing_dashboard", lambda t: _plain(parse_hearing_dashboard(t))),
    ("financial", lambda t: {"financial": _plain(parse_financial(t))}),
    (
        "publicaccess_case_detail",
        lambda t: _case_detail(publicaccess.parse_case_detail(t), None),
    ),
    ("publicaccess_search_results", lambda t: _plain(publicaccess.parse_search_results(t))),
    ("publicaccess_calendar_results", lambda t: _plain(publicaccess.parse_calendar_results(t))),
    ("publicaccess_search_form", lambda t: _plain(publicaccess.parse_search_form(t))),
    ("publicaccess_main_menu", lambda t: _plain(publicaccess.parse_main_menu(t))),
    ("roster", lambda t: _roster(parse_roster(t))),
    ("inmate", lambda t: _inmate(parse_inmate(t))),
)


def describe_page(text: str) -> dict[str, Any]:
    """The page kind and its records, e.g. `{"page": "case_detail", "case": {...},
    "parties": [...], ...}`. Raises PageStructureError saying what each kind missed."""
    if text.lstrip().startswith(("{", "[")):
        return _describe_json(text)
    missing = []
    for kind, read in HTML_KINDS:
        try:
            return {"page": kind, **read(text)}
        except CaseNotFound as exc:
            return {"page": "case_not_found", "message": str(exc)}
        except PageStructureError as exc:
            missing.append(str(exc))
    raise PageStructureError("it is none of the page kinds courtlake reads: " + "; ".join(missing))


def _describe_json(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PageStructureError(f"unreadable JSON: {exc}") from None
    rows = payload.get("Data") if isinstance(payload, dict) else None
    if isinstance(rows, list) and any(isinstance(r, dict) and "HearingId" in r for r in rows):
        return {"page": "hearing_json", **_plain(parse_hearing_results(payload))}
    return {"page": "results_json", **_plain(parse_results_json(payload))}


def _case_detail(detail: CaseDetail, loading_url: str | None) -> dict[str, Any]:
    """The case detail as `ingest parse` prints it (without its "page" key)."""
    return {
        "case": {
            "case_number": detail.case_number,
            "court": detail.court,
            "filed_date": detail.filed_date,
            "case_type": detail.case_type,
            "status": detail.status,
            "judicial_officer": detail.judicial_officer,
            "style": detail.style,
            "portal_case_id": detail.portal_case_id,
            "attributes": detail.attributes,
            "has_financial": detail.has_financial,
            "financial_url": loading_url,
            "fees_assessed": detail.fees_assessed,
            "paid": detail.paid,
            "balance_due": detail.balance_due,
        },
        "parties": [_plain(p) for p in detail.parties],
        "events": [
            {
                "date": e.event_date,
                "type": e.event_type,
                "comment": e.comment,
                "documents": list(e.documents),
                "attributes": e.attributes,
            }
            for e in detail.events
        ],
        "hearings": [
            {
                "date": h.hearing_date,
                "time": h.hearing_time,
                "type": h.hearing_type,
                "result": h.result,
                "canceled": h.is_canceled,
                "cancel_reason": h.cancel_reason,
                "judicial_officer": h.judicial_officer,
                "comment": h.comment,
                "original_type": h.original_type,
                "hearing_key": h.hearing_key,
            }
            for h in detail.hearings
        ],
        "judgments": [
            {
                "date": j.judgment_date,
                "type": j.judgment_type,
                "judgment_for": j.judgment_for,
                "amount": j.amount,
                "amounts": j.amounts,
                "judicial_officer": j.judicial_officer,
                "party_names": list(j.party_names),
            }
            for j in detail.judgments
        ],
        "financial": [_plain(f) for f in detail.financial],
        "charges": [_plain(c) for c in detail.charges],
        "bonds": [_plain(b) for b in detail.bonds],
    }


def _roster(page: InmateRosterPage) -> dict[str, Any]:
    """A roster page as `ingest parse` prints it (without its "page" key)."""
    return {
        "rows": _plain(page.rows),
        "total": page.total,
        "first": page.first,
        "last": page.last,
        "next_start": page.next_start,
    }


def _inmate(detail: InmateDetail) -> dict[str, Any]:
    """A person page as `ingest parse` prints it (without its "page" key)."""
    return {
        "person": {
            "name": detail.name,
            "sex": detail.sex,
            "dob": detail.dob,
            "race": detail.race,
            "permanent_id": detail.permanent_id,
            "aliases": list(detail.aliases),
        },
        "bookings": _plain(detail.bookings),
        "detainers": list(detail.detainers),
        "bonds": _plain(detail.bonds),
        "bond_grand_total": detail.bond_grand_total,
        "charges": _plain(detail.charges),
        "hearings": _plain(detail.hearings),
    }


def _plain(record: Any) -> Any:
    """A record (or tuple of records) as JSON data: tuples become lists."""
    if isinstance(record, tuple):
        return [_plain(r) for r in record]
    return json.loads(json.dumps(asdict(record), ensure_ascii=False))
