"""Records that cross the boundary between scraping and the lake.

Parsers turn pages into these; landing outputs store them as JSON; compaction turns them
into the raw tables dbt reads (one table per record type, see `RAW_TABLES`). Dates are ISO
strings (`YYYY-MM-DD`), money is a string with two decimals, so that a record
round-trips through JSON unchanged and the raw tables keep exactly what the page said.
"""

from __future__ import annotations

import functools
import hashlib
import json
import typing
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any

Attributes = dict[str, str]  # labelled values a page shows beyond the named fields


@dataclass(frozen=True)
class AttorneyRecord:
    """One attorney listed for a party ("Active Attorneys")."""

    name: str
    is_lead: bool  # "Lead Attorney" rather than "Attorney"
    kind: str | None = None  # "Retained", "Court Appointed", ... as printed
    phone: str | None = None  # "Work Phone", as printed


@dataclass(frozen=True)
class PartyRecord:
    """One party block of a case page, in page order (`party_seq` is that position)."""

    party_seq: int
    role: str  # as printed: "Defendant", "Claimant (Participant)", ...
    name: str  # as printed, whitespace collapsed
    dob: str | None = None  # ISO, only when the page prints a full date of birth
    birth_year: int | None = None  # from a full or a masked (`XX/XX/1972`) date of birth
    gender: str | None = None
    race: str | None = None
    address_lines: tuple[str, ...] = ()  # street / unit / "City ST ZIP", as printed
    is_pro_se: bool = False
    attorneys: tuple[AttorneyRecord, ...] = ()
    attributes: Attributes = field(default_factory=dict)  # other labels of the block

    @property
    def address_raw(self) -> str | None:
        """The address lines joined with " | ", or None when the page shows none."""
        return " | ".join(self.address_lines) or None


@dataclass(frozen=True)
class EventRecord:
    """A docket entry that is not a hearing, in page order."""

    event_seq: int
    event_date: str
    event_type: str
    comment: str | None = None
    documents: tuple[str, ...] = ()  # document names listed under the event
    attributes: Attributes = field(default_factory=dict)  # Served, Anticipated Server, ...


@dataclass(frozen=True)
class HearingRecord:
    """A hearing on the docket. The case page prints no hearing id and no courtroom:
    `hearing_key` is derived from what it prints (see `hearing_key`); `hearing_id` and
    `courtroom` come from the hearing-search JSON when that is read."""

    hearing_key: str
    hearing_date: str
    hearing_time: str | None  # HH:MM, 24-hour
    hearing_type: str
    judicial_officer: str | None
    is_canceled: bool  # the hearing carries a cancel reason
    cancel_reason: str | None
    result: str | None
    comment: str | None = None
    original_type: str | None = None
    hearing_id: str | None = None
    courtroom: str | None = None
    documents: tuple[str, ...] = ()
    attributes: Attributes = field(default_factory=dict)  # other labels of the entry


def hearing_key(hearing_date: str, hearing_time: str | None, hearing_type: str, n: int) -> str:
    """A stable key for the `n`-th (1-based) hearing of a case with this date, time and
    type: what stays the same when a hearing is later canceled, resulted or commented."""
    basis = f"{hearing_date}|{hearing_time or ''}|{' '.join(hearing_type.lower().split())}|{n}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class JudgmentRecord:
    """One disposition (judgment) event."""

    judgment_seq: int
    judgment_date: str
    judgment_type: str  # the outcome: "Dismissed with Prejudice", "Writ Issued", ...
    judgment_for: str | None = None  # "Plaintiff", ...
    amount: str | None = None  # the award: "Award", else the sum of the listed amounts
    judicial_officer: str | None = None
    party_names: tuple[str, ...] = ()  # the parties the judgment names
    amounts: Attributes = field(default_factory=dict)  # every labelled amount, e.g. Compensatory
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransactionRecord:
    """One row of a party's financial transactions grid."""

    transaction_date: str
    description: str
    receipt: str | None
    payer: str | None
    amount: str  # negatives as "-124.00"


@dataclass(frozen=True)
class FinancialRecord:
    """A party's financial block (the Financial section, loaded separately on Portal)."""

    party_name: str
    total_assessment: str | None
    payments_and_credits: str | None
    transactions: tuple[TransactionRecord, ...] = ()


@dataclass(frozen=True)
class ChargeRecord:
    charge_seq: int
    statute: str | None
    description: str
    degree: str | None  # level / degree as printed: "Felony", "M2", ...
    charge_class: str | None
    offense_date: str | None
    disposition: str | None = None
    disposition_date: str | None = None


@dataclass(frozen=True)
class BondRecord:
    bond_seq: int
    set_date: str | None
    bond_type: str
    amount: str | None


@dataclass(frozen=True)
class CaseDetail:
    """One case detail page, parsed. `court` is the page's "Court" label as printed; the
    case's identity is the (court location, case number) it was found under."""

    court: str
    case_number: str
    case_type: str
    filed_date: str
    status: str
    style: str | None = None  # the header's "number | style" line, after the number
    judicial_officer: str | None = None
    portal_case_id: str | None = None  # the portal's numeric case id, when the page has it
    attributes: Attributes = field(default_factory=dict)  # other case information labels
    parties: tuple[PartyRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    hearings: tuple[HearingRecord, ...] = ()
    judgments: tuple[JudgmentRecord, ...] = ()
    financial: tuple[FinancialRecord, ...] = ()
    charges: tuple[ChargeRecord, ...] = ()
    bonds: tuple[BondRecord, ...] = ()
    has_financial: bool = False  # the page has a Financial section (loaded or not)

    #: Fields left out of the change hash: ids of the portal's, not of the case.
    VOLATILE = ("portal_case_id",)

    @property
    def fees_assessed(self) -> str | None:
        """Total Financial Assessment over every party, None without a Financial section."""
        return _total(f.total_assessment for f in self.financial) if self.financial else None

    @property
    def paid(self) -> str | None:
        """Total Payments and Credits over every party."""
        return _total(f.payments_and_credits for f in self.financial) if self.financial else None

    @property
    def balance_due(self) -> str | None:
        """Assessed minus paid: derived, never read from a dated "Balance Due" line."""
        if self.fees_assessed is None or self.paid is None:
            return None
        return f"{Decimal(self.fees_assessed) - Decimal(self.paid):.2f}"

    def change_hash(self) -> str:
        """sha256 over the normalized, non-volatile content: equal means nothing changed."""
        content = {k: v for k, v in asdict(self).items() if k not in self.VOLATILE}
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseDetail:
        """The inverse of `to_dict` (JSON lists back to tuples, nested records rebuilt)."""
        return _build(cls, data)


def _total(amounts: Iterable[str | None]) -> str:
    return f"{sum((Decimal(a) for a in amounts if a), Decimal('0.00')):.2f}"


@functools.cache
def _tuple_fields(kind: type) -> dict[str, type | None]:
    """`kind`'s tuple fields → the record type of their items (None for plain values)."""
    found: dict[str, type | None] = {}
    for name, hint in typing.get_type_hints(kind).items():
        if typing.get_origin(hint) is tuple:
            (item,) = {a for a in typing.get_args(hint) if a is not Ellipsis}
            found[name] = item if is_dataclass(item) else None
    return found


def _build(kind: type, data: dict[str, Any]) -> Any:
    """A (nested) record from its `asdict` form, e.g. after a JSON round trip."""
    values = dict(data)
    for name, item in _tuple_fields(kind).items():
        if isinstance(values.get(name), list | tuple):
            values[name] = tuple(_build(item, v) if item else v for v in values[name])
    return kind(**values)


@dataclass(frozen=True)
class SearchRow:
    """One row of the court portal's results grid (or of the JSON behind it)."""

    case_number: str
    style: str
    filed_date: str
    case_link: str  # the detail page URL: session-scoped, never stored as an identity
    party_name: str | None = None
    dob: str | None = None
    status: str | None = None
    case_type: str | None = None
    location: str | None = None  # None when the county's grid has no location column
    portal_case_id: str | None = None  # the numeric case id (`data-caseid`, `CaseId`)


@dataclass(frozen=True)
class SearchPage:
    rows: tuple[SearchRow, ...]
    max_results_hit: bool


@dataclass(frozen=True)
class HearingSearchRow:
    """One row of the hearing-search JSON (`Hearing/HearingResults/Read`), or of a
    PublicAccess court calendar (which prints no encrypted case id and no hearing id)."""

    case_id: str  # the numeric case id (`CaseId`, PublicAccess `CaseDetail.aspx?CaseID=`)
    encrypted_case_id: str | None  # session-scoped, like a grid link
    hearing_id: str | None
    case_number: str
    style: str | None
    defendant_name: str | None
    location: str | None
    case_category: str | None  # "CR", "CV", ...
    case_type: str | None  # the code object's Description
    hearing_type: str | None
    judicial_officer: str | None
    hearing_date: str
    hearing_time: str | None  # HH:MM, 24-hour
    courtroom: str | None
    filed_date: str | None


@dataclass(frozen=True)
class HearingSearchPage:
    rows: tuple[HearingSearchRow, ...]
    total: int
    max_results_hit: bool


# -- jail: the IML "Inmate Lookup" roster ---------------------------------------------------


@dataclass(frozen=True)
class InmateRow:
    """One row of an IML roster page. Which columns a roster has differs by county."""

    name: str  # "LAST, FIRST MIDDLE" as printed
    sys_id: str  # the record the row opens (`submitInmate(sysID, imgSysID)`)
    img_sys_id: str
    booking_number: str | None = None
    permanent_id: str | None = None  # the jail's identifier of the person, across bookings
    dob: str | None = None
    release_date: str | None = None  # ISO; set for released people the roster still lists
    attributes: Attributes = field(default_factory=dict)  # other columns, by header

    @property
    def booking_key(self) -> str:
        """The row's identity: its booking number where the roster prints one, else the
        record id behind the row (stable on the portal, unlike the row's position)."""
        return self.booking_number or f"sys:{self.sys_id}"


@dataclass(frozen=True)
class InmateRosterPage:
    """One roster page: "Showing <first> to <last> of <total> results"."""

    rows: tuple[InmateRow, ...]
    first: int
    last: int
    total: int
    next_start: int | None  # `currentStart` of the page's `nextSearch` form; None on the last


@dataclass(frozen=True)
class InmateBooking:
    """A person page's Incarceration Information (one stay)."""

    booking_number: str | None
    commitment_date: str | None  # ISO; the page prints no time
    release_date: str | None
    location: str | None  # "Current Location"
    housing: str | None  # the housing labels' values joined with " / " (section, block, …)


@dataclass(frozen=True)
class InmateBond:
    bond_seq: int
    case_number: str | None
    amount: str | None
    status: str | None
    posted_by: str | None
    post_date: str | None


@dataclass(frozen=True)
class InmateCharge:
    charge_seq: int
    case_number: str | None
    offense_date: str | None
    code: str | None  # the statute, e.g. "2C:21-31C"
    description: str
    grade: str | None
    degree: str | None


@dataclass(frozen=True)
class InmateHearing:
    hearing_seq: int
    hearing_date: str | None
    attributes: Attributes = field(default_factory=dict)  # the other columns, by header


@dataclass(frozen=True)
class InmateDetail:
    """An IML person page. Physical descriptors and government identifiers (height, FBI,
    State ID, …) are deliberately not kept: nothing downstream needs them."""

    name: str
    sex: str | None
    dob: str | None
    race: str | None
    permanent_id: str | None
    bookings: tuple[InmateBooking, ...]
    aliases: tuple[str, ...] = ()
    detainers: tuple[str, ...] = ()  # each detainer's row, cells joined with " | "
    bonds: tuple[InmateBond, ...] = ()
    bond_grand_total: str | None = None
    charges: tuple[InmateCharge, ...] = ()
    hearings: tuple[InmateHearing, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InmateDetail:
        return _build(cls, data)


def to_dict(record: Any) -> dict[str, Any]:
    return asdict(record)


def column_names(kind: type) -> list[str]:
    return [f.name for f in fields(kind)]
