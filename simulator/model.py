"""The simulator's world: people, court cases and jail bookings with their full timelines.

Everything that changes over time carries the date from which a portal shows it
(`visible_from`, `*_on`). The `*_on(day)` methods answer "what does the portal show on
`day`", so the HTTP portals and the truth export read the same world the same way.
The world is generated once from a seed and a scale (see `simulator.world`) and never
depends on the simulated clock: advancing the clock only reveals more of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Role = Literal["Plaintiff", "Defendant"]
CaseKind = Literal["eviction", "criminal"]
RemovalKind = Literal["sealed", "expunged"]
CustodyStatus = Literal["Pretrial", "Sentenced", "Hold"]

#: Released people stay listed on the jail roster's "include released" search (and their
#: person page stays open) on this many days, the release day included.
RELEASED_LISTED_DAYS = 30


@dataclass(frozen=True)
class Name:
    first: str
    last: str
    middle: str = ""
    suffix: str = ""

    def display(self) -> str:
        """`Last, First Middle Suffix`, the way the portals print a person."""
        given = " ".join(p for p in (self.first, self.middle, self.suffix) if p)
        return f"{self.last}, {given}" if given else self.last

    def spoken(self) -> str:
        """`First Middle Last Suffix`, the way a jail's person page heads its record."""
        return " ".join(p for p in (self.first, self.middle, self.last, self.suffix) if p)

    def misspelled(self) -> str:
        """The name as a clerk's typo prints it: the last name's last letter doubled."""
        return Name(self.first, self.last + self.last[-1:], self.middle, self.suffix).display()

    def initials(self) -> str:
        """What a portal shows once a name has been reduced to initials: `L., F.`"""
        first = f"{self.first[0]}." if self.first else ""
        return f"{self.last[0]}., {first}".rstrip(", ")


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    state: str
    zip_code: str
    unit: str = ""

    def display(self) -> str:
        street = f"{self.street} {self.unit}".strip()
        return f"{street}, {self.city}, {self.state} {self.zip_code}"


@dataclass(frozen=True)
class Person:
    person_key: str  # stable internal identity, never shown by a portal
    name: Name
    dob: date
    race: str
    sex: Literal["M", "F"]
    aliases: tuple[Name, ...] = ()
    address: Address | None = None
    # The jail's identifier of the person across bookings (IML "Permanent ID"); set for
    # everyone the world books, None for everyone else.
    permanent_id: str | None = None

    @property
    def gender(self) -> str:
        """The sex as a case page prints it: `Male` / `Female`."""
        return "Male" if self.sex == "M" else "Female"


@dataclass(frozen=True)
class Attorney:
    name: str
    kind: Literal["Retained", "Court Appointed", "Public Defender"]

    @property
    def phone(self) -> str | None:
        """The work phone a portal lists for a retained attorney (a fictional 555 number,
        fixed by the name); appointed counsel and public defenders list none."""
        if self.kind != "Retained":
            return None
        n = int.from_bytes(hashlib.sha256(self.name.encode()).digest()[:4], "big") % 100
        return f"901-555-{100 + n:04d}"


@dataclass(frozen=True)
class Party:
    party_key: str
    role: Role
    person_key: str | None = None  # set for natural persons
    name: Name | None = None  # natural person
    business_name: str | None = None  # businesses, and the "all other occupants" pseudo-party
    is_pseudo: bool = False  # "ALL OTHER OCCUPANTS"
    # Addresses can be missing at filing and arrive later; some never arrive.
    address: Address | None = None
    address_visible_from: date | None = None
    attorney: Attorney | None = None
    attorney_visible_from: date | None = None
    initials_from: date | None = None  # name reduced to initials from this date on
    # Docket churn: a party listed only from / until a date (a defendant added by an
    # amended complaint, the occupants pseudo-party dropped), a name printed with a
    # clerk's typo until corrected.
    listed_from: date | None = None
    listed_until: date | None = None
    misspelled_until: date | None = None

    def listed_on(self, day: date) -> bool:
        if self.listed_from is not None and day < self.listed_from:
            return False
        return self.listed_until is None or day < self.listed_until

    def display_name_on(self, day: date) -> str:
        if self.name is None:
            return self.business_name or ""
        if self.initials_from is not None and day >= self.initials_from:
            return self.name.initials()
        if self.misspelled_until is not None and day < self.misspelled_until:
            return self.name.misspelled()
        return self.name.display()

    def address_on(self, day: date) -> Address | None:
        if self.address is None or self.address_visible_from is None:
            return None
        return self.address if day >= self.address_visible_from else None

    def attorney_on(self, day: date) -> Attorney | None:
        if self.attorney is None or self.attorney_visible_from is None:
            return None
        return self.attorney if day >= self.attorney_visible_from else None

    def attorneys_on(self, day: date) -> list[Attorney]:
        """The party's active attorneys on `day`, the lead attorney first (at most one)."""
        attorney = self.attorney_on(day)
        return [attorney] if attorney is not None else []

    def pro_se_on(self, day: date) -> bool:
        """A person defending without counsel on `day` is listed "Pro Se"; businesses,
        pseudo-parties and plaintiffs without counsel simply list no attorney."""
        return self.name is not None and self.role == "Defendant" and not self.attorneys_on(day)


@dataclass(frozen=True)
class Event:
    """A dated docket entry (filing, summons, service, writ requested/issued/served, ...)."""

    event_date: date
    event_type: str
    description: str
    visible_from: date

    @property
    def comment(self) -> str | None:
        """The comment the docket prints under the entry: the description, unless it
        only repeats the event type (then the entry has none)."""
        return None if self.description == self.event_type else self.description


@dataclass(frozen=True)
class Hearing:
    hearing_key: str
    scheduled_at: datetime
    hearing_type: str
    courtroom: str
    judicial_officer: str
    set_on: date  # visible from
    result: str | None = None
    result_on: date | None = None  # the result shows from this date
    canceled_on: date | None = None  # CANCELED from this date (often followed by a reset)
    cancel_reason: str | None = None

    def state_on(self, day: date) -> tuple[bool, str | None]:
        """(canceled, result) as shown on `day`."""
        canceled = self.canceled_on is not None and day >= self.canceled_on
        result = self.result if self.result_on is not None and day >= self.result_on else None
        return canceled, result


@dataclass(frozen=True)
class Judgment:
    judgment_date: date
    judgment_type: (
        str  # "Default Judgment", "Judgment for Plaintiff", "Dismissed with Prejudice", ...
    )
    judgment_for: str
    amount: Decimal | None
    visible_from: date


@dataclass(frozen=True)
class Charge:
    sequence: int
    statute: str
    description: str
    degree: Literal["Felony", "Misdemeanor"]
    charge_class: str  # "A".."E" felonies, "A".."C" misdemeanors
    offense_date: date
    disposition: str | None = None  # "Guilty", "Dismissed", "Nolle Prosequi", ...
    disposition_date: date | None = None

    def disposition_on(self, day: date) -> tuple[str | None, date | None]:
        if self.disposition_date is None or day < self.disposition_date:
            return None, None
        return self.disposition, self.disposition_date


@dataclass(frozen=True)
class Bond:
    bond_type: str  # "Cash", "Surety", "ROR", "Property", "No Bond"
    amount: Decimal
    set_on: date


@dataclass(frozen=True)
class Payment:
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class Transaction:
    """One row of a party's financial transactions as the portal lists it."""

    on: date
    description: str
    receipt: str | None
    payer: str | None
    amount: Decimal  # payments and credits are negative


@dataclass(frozen=True)
class StatusChange:
    on: date
    status: str


@dataclass
class Case:
    case_key: str  # stable internal identity; portals only ever show opaque session ids
    kind: CaseKind
    court: str  # court location code, e.g. "GSC-1"
    case_number: str
    case_type: str  # "Eviction", "Felony", "Misdemeanor", ...
    filed_date: date
    posted_on: date  # first day the portal shows the case (late-posting locations lag)
    judicial_officer: str
    statuses: list[StatusChange]  # ascending by date; the first is on filed_date
    parties: list[Party]
    events: list[Event] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    bonds: list[Bond] = field(default_factory=list)
    fees_assessed: Decimal = Decimal("0.00")
    payments: list[Payment] = field(default_factory=list)
    removed_on: date | None = None  # sealed / expunged: gone from the portal from this date
    removal_kind: RemovalKind | None = None
    portal_case_id: int = 0  # the portal's numeric case id (`CaseId`), stable across sessions
    # Docket churn: from this date the portal lists the defendants in reverse order; an
    # added defendant is listed before the others (some courts) or after them.
    reordered_from: date | None = None
    added_listed_first: bool = False

    def visible_on(self, day: date) -> bool:
        if day < self.posted_on:
            return False
        return self.removed_on is None or day < self.removed_on

    def status_on(self, day: date) -> str:
        current = self.statuses[0].status
        for change in self.statuses:
            if change.on <= day:
                current = change.status
        return current

    def events_on(self, day: date) -> list[Event]:
        return [e for e in self.events if e.visible_from <= day]

    def hearings_on(self, day: date) -> list[Hearing]:
        return [h for h in self.hearings if h.set_on <= day]

    def judgments_on(self, day: date) -> list[Judgment]:
        return [j for j in self.judgments if j.visible_from <= day]

    def bonds_on(self, day: date) -> list[Bond]:
        return [b for b in self.bonds if b.set_on <= day]

    def balance_on(self, day: date) -> Decimal:
        paid = sum((p.amount for p in self.payments if p.paid_on <= day), Decimal("0.00"))
        return self.fees_assessed - paid

    def defendants(self) -> list[Party]:
        return [p for p in self.parties if p.role == "Defendant"]

    def parties_on(self, day: date) -> list[Party]:
        """The parties the case page lists on `day`, in its order: plaintiffs, the
        defendants (an added one first or last, the list reversed once re-ordered),
        the occupants pseudo-party last."""
        listed = [p for p in self.parties if p.listed_on(day)]
        people = [p for p in listed if p.role == "Defendant" and not p.is_pseudo]
        original = [p for p in people if p.listed_from is None]
        added = [p for p in people if p.listed_from is not None]
        people = added + original if self.added_listed_first else original + added
        if self.reordered_from is not None and day >= self.reordered_from:
            people.reverse()
        others = [p for p in listed if p.role != "Defendant"]
        return others + people + [p for p in listed if p.is_pseudo]

    def hearing_id(self, hearing: Hearing) -> int:
        """The portal's numeric `HearingId`: the case id and the hearing's ordinal."""
        _, _, n = hearing.hearing_key.rpartition("-H")
        return self.portal_case_id * 100 + int(n)

    def transactions_on(self, day: date) -> list[Transaction]:
        """The fee party's transactions on `day`: the assessment (dated the filing, since
        the world knows the total from the start), then each payment made by then, with a
        receipt number fixed by the case id and the payment's place."""
        party = self.fee_party()
        payer = party.display_name_on(day) if party is not None else None
        rows = []
        if self.fees_assessed:
            assessment = "Transaction Assessment"
            rows.append(Transaction(self.filed_date, assessment, None, None, self.fees_assessed))
        for n, payment in enumerate(p for p in self.payments if p.paid_on <= day):
            number = (self.portal_case_id * 8 + n) % 10**6
            receipt = f"Receipt # {payment.paid_on.year}-{number:06d}"
            rows.append(Transaction(payment.paid_on, "Payment", receipt, payer, -payment.amount))
        return rows

    def fee_party(self) -> Party | None:
        """The party the case's fees and payments are booked to: the first plaintiff of a
        civil case, the first defendant of a criminal one."""
        role = "Defendant" if self.kind == "criminal" else "Plaintiff"
        return next((p for p in self.parties if p.role == role), None)


@dataclass(frozen=True)
class BookingCharge:
    statute: str
    description: str
    degree: Literal["Felony", "Misdemeanor"]
    charge_class: str  # "" for holds
    court_case_number: str | None  # links a booking charge to a court case, when there is one
    offense_date: date  # the court charge's; a hold's is the booking day

    @property
    def degree_code(self) -> str:
        """The degree as the jail's charge table prints it: `F` or `M`."""
        return self.degree[0]


@dataclass(frozen=True)
class BookingBond:
    """The bond on one booking charge (its case's bond, split over the case's charges).
    A bond that was changed (reduced) has one entry per change; the jail shows the latest."""

    case_number: str | None  # None: a case older than the world's data
    charge: int  # the booking charge it is set on (1-based position in `Booking.charges`)
    bond_type: str  # "Cash", "Surety", "Property", "ROR", "No Bond"
    amount: Decimal | None  # None for ROR and No Bond
    set_on: date
    posted_on: date | None  # made on the release day; None while not (or never) posted
    posted_by: str | None  # who posted it, once posted

    def status_on(self, day: date) -> str:
        """`POSTED` / `NOT POSTED`, or `ROR` / `NO BOND` for bonds without an amount."""
        if self.bond_type == "ROR":
            return "ROR"
        if self.bond_type == "No Bond":
            return "NO BOND"
        return "POSTED" if self.posted_on is not None and self.posted_on <= day else "NOT POSTED"

    def posted_as_of(self, day: date) -> tuple[str | None, date | None]:
        """(posted by, post date) as shown on `day`."""
        if self.posted_on is None or day < self.posted_on:
            return None, None
        return self.posted_by, self.posted_on


@dataclass(frozen=True)
class Detainer:
    """Another agency's hold on a booked person, lodged at booking."""

    agency: str
    lodged_on: date
    detainer_type: str


@dataclass(frozen=True)
class HousingUnit:
    """Where a booking is housed, in the jail's own terms."""

    location: str  # "201 POPLAR"
    county: str
    section: str
    block: str
    cell: str
    bed: str


@dataclass
class Booking:
    booking_number: str
    person_key: str
    booked_at: datetime
    released_on: date | None  # leaves the roster on this date
    custody: list[StatusChange]  # Pretrial / Sentenced / Hold, ascending
    housing: str
    charges: list[BookingCharge]
    bond_type: str
    bond_amount: Decimal | None
    arresting_agency: str
    bonds: list[BookingBond] = field(default_factory=list)  # in charge order
    detainers: list[Detainer] = field(default_factory=list)
    sys_id: str = ""  # the jail system's record id (IML `sysID`), stable per booking
    img_sys_id: str = "0"  # its photo's id (`imgSysID`); "0" without a photo

    @property
    def commitment_date(self) -> date:
        return self.booked_at.date()

    def in_custody_on(self, day: date) -> bool:
        if day < self.booked_at.date():
            return False
        return self.released_on is None or day < self.released_on

    def released_lately(self, day: date) -> bool:
        """Released on one of the RELEASED_LISTED_DAYS days ending with `day`."""
        if self.released_on is None or day < self.released_on:
            return False
        return (day - self.released_on).days < RELEASED_LISTED_DAYS

    def release_date_on(self, day: date) -> date | None:
        """The release date as the jail shows it on `day` (none before the release)."""
        return (
            self.released_on if self.released_on is not None and self.released_on <= day else None
        )

    def custody_on(self, day: date) -> str:
        current = self.custody[0].status
        for change in self.custody:
            if change.on <= day:
                current = change.status
        return current

    def bonds_on(self, day: date) -> list[BookingBond]:
        """Each charge's bond in force on `day` (the latest change set by then)."""
        latest: dict[int, BookingBond] = {}
        for bond in self.bonds:
            if bond.set_on <= day:
                latest[bond.charge] = bond
        return [latest[charge] for charge in sorted(latest)]

    def housing_unit(self) -> HousingUnit:
        """The housing string (`201 Poplar - Pod 3B`) as the jail's location, section,
        block, cell and bed; cell and bed are fixed by the booking number."""
        facility, _, unit = self.housing.partition(" - ")
        n = int.from_bytes(hashlib.sha256(self.booking_number.encode()).digest()[:4], "big")
        if unit.startswith("Pod "):
            pod = unit.removeprefix("Pod ")
            section, block = f"FLOOR {pod[:1]}", pod
            cell, bed = f"{1 + n % 24:02d}", "Lower" if n // 24 % 2 else "Upper"
        else:
            section, block, cell, bed = unit.upper(), "", "", ""
        return HousingUnit(facility.upper(), "BLUFF", section, block, cell, bed)

    def hearings_on(self, day: date, cases: Mapping[str, Case]) -> list[tuple[str, Hearing]]:
        """(case number, hearing) of the court settings the jail lists on `day` for this
        stay: hearings of its charges' cases set by `day`, not canceled, scheduled from
        the commitment date until the release; by date and time."""
        numbers = dict.fromkeys(c.court_case_number for c in self.charges if c.court_case_number)
        until = self.release_date_on(day)
        found = []
        for number in numbers:
            case = cases.get(number)
            for hearing in case.hearings_on(day) if case is not None else []:
                on = hearing.scheduled_at.date()
                canceled, _ = hearing.state_on(day)
                if canceled or on < self.commitment_date or (until is not None and on > until):
                    continue
                found.append((number, hearing))
        return sorted(found, key=lambda item: (item[1].scheduled_at, item[1].hearing_key))


@dataclass(frozen=True)
class CourtLocation:
    code: str  # "GSC-1"
    name: str  # "General Sessions Civil, Division 1"
    kind: CaseKind
    posting_lag_days: int  # 0 for most; some locations post cases late


@dataclass
class World:
    seed: int
    scale: float
    starts_on: date  # first filing date in the world
    ends_on: date  # last date the world has data for
    courts: list[CourtLocation]
    people: dict[str, Person]  # by person_key
    cases: list[Case]
    bookings: list[Booking]
    judicial_officers: list[str]
    courtrooms: list[str]

    def person(self, person_key: str) -> Person:
        return self.people[person_key]
