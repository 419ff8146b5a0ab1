"""Records that cross the boundary between scraping and the lake.

Parsers turn pages into these; landing outputs store them as JSON; compaction turns them
into the raw tables dbt reads (one table per record type, see `RAW_TABLES`). Dates are ISO
strings (`YYYY-MM-DD`), money is a string with two decimals, so that a record
round-trips through JSON unchanged and the raw tables keep exactly what the page said.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class PartyRecord:
    party_seq: int
    role: str
    name: str
    dob: str | None = None
    address_raw: str | None = None  # as printed, lines joined with " | "
    attorney_name: str | None = None
    attorney_kind: str | None = None


@dataclass(frozen=True)
class EventRecord:
    event_seq: int
    event_date: str
    event_type: str
    description: str


@dataclass(frozen=True)
class HearingRecord:
    hearing_id: str
    hearing_date: str
    hearing_time: str  # HH:MM, 24-hour
    hearing_type: str
    courtroom: str
    judicial_officer: str
    is_canceled: bool
    cancel_reason: str | None
    result: str | None


@dataclass(frozen=True)
class JudgmentRecord:
    judgment_seq: int
    judgment_date: str
    judgment_type: str
    judgment_for: str
    amount: str | None


@dataclass(frozen=True)
class ChargeRecord:
    charge_seq: int
    statute: str
    description: str
    degree: str
    charge_class: str
    offense_date: str | None
    disposition: str | None
    disposition_date: str | None


@dataclass(frozen=True)
class BondRecord:
    bond_seq: int
    set_date: str
    bond_type: str
    amount: str


@dataclass(frozen=True)
class CaseDetail:
    """One case detail page, parsed."""

    court: str
    case_number: str
    case_type: str
    filed_date: str
    status: str
    judicial_officer: str
    fees_assessed: str
    paid: str
    balance_due: str  # volatile: excluded from the change hash
    balance_as_of: str  # the "Balance Due as of" date: volatile too
    parties: tuple[PartyRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    hearings: tuple[HearingRecord, ...] = ()
    judgments: tuple[JudgmentRecord, ...] = ()
    charges: tuple[ChargeRecord, ...] = ()
    bonds: tuple[BondRecord, ...] = ()

    VOLATILE = ("balance_due", "balance_as_of")

    def change_hash(self) -> str:
        """sha256 over the normalized, non-volatile content: equal means nothing changed."""
        content = {k: v for k, v in asdict(self).items() if k not in self.VOLATILE}
        # Payments change the balance as well as `paid`; only the balance line is volatile.
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseDetail:
        nested = {
            "parties": PartyRecord,
            "events": EventRecord,
            "hearings": HearingRecord,
            "judgments": JudgmentRecord,
            "charges": ChargeRecord,
            "bonds": BondRecord,
        }
        values = dict(data)
        for name, kind in nested.items():
            values[name] = tuple(kind(**item) for item in data.get(name, ()))
        return cls(**values)


@dataclass(frozen=True)
class SearchRow:
    """One row of the court portal's results grid."""

    case_number: str
    style: str
    filed_date: str
    party_name: str
    dob: str | None
    status: str
    case_type: str
    location: str
    case_link: str  # session-scoped: never stored as an identity


@dataclass(frozen=True)
class SearchPage:
    rows: tuple[SearchRow, ...]
    max_results_hit: bool


@dataclass(frozen=True)
class RosterRow:
    booking_number: str
    name: str
    dob: str
    booked_at: str  # ISO datetime, minutes
    housing: str
    custody_status: str


@dataclass(frozen=True)
class RosterPage:
    rows: tuple[RosterRow, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class BookingChargeRecord:
    charge_seq: int
    statute: str
    description: str
    degree: str
    charge_class: str
    court_case_number: str | None


@dataclass(frozen=True)
class BookingDetail:
    booking_number: str
    name: str
    dob: str
    race: str
    sex: str
    booked_at: str
    arresting_agency: str
    housing: str
    custody_status: str
    bond_type: str
    bond_amount: str | None
    charges: tuple[BookingChargeRecord, ...] = field(default=())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BookingDetail:
        values = dict(data)
        values["charges"] = tuple(BookingChargeRecord(**c) for c in data.get("charges", ()))
        return cls(**values)


def to_dict(record: Any) -> dict[str, Any]:
    return asdict(record)


def column_names(kind: type) -> list[str]:
    return [f.name for f in fields(kind)]
