"""Generate the simulator's world: people, court cases and jail bookings from a seed and a scale.

`generate_world(seed, scale)` builds a `World` (see `simulator.model`) spanning the fixed
dates STARTS_ON..ENDS_ON. It never depends on the simulated clock: every piece of data
carries the date from which a portal shows it, so advancing the clock only reveals more.
The same seed and scale always give the same world: all randomness comes from one local
`random.Random(seed)`; nothing depends on hashing, set order or the time of day.

Calibration at scale 1.0: about 20 eviction filings and 15 criminal cases a week (≈5,400
cases in all) and 150–250 people in custody on any date, about 60% of them pretrial.
Every rate is linear in `scale`.

Identifier formats:
- case numbers `{yy}-GC-{nnnnnn}` (evictions) and `{yy}-CR-{nnnnnn}` (criminal): the
  two-digit filing year and a six-digit sequence per kind and year, in filing order;
- booking numbers `{yyyy}-{nnnnnnn}` (BOOKING_NUMBER_PATTERN): the booking year and a
  seven-digit sequence per year, in booking order;
- internal keys, never shown by a portal: `P{n}` people, `C{n}` cases, `{case}-{n}`
  parties, `{case}-H{n}` hearings.

Jail warm-up: the criminal process starts WARMUP_DAYS before STARTS_ON, so the jail is at
its steady population on the first day. Cases filed before STARTS_ON are not part of the
world (nor are their booking numbers' stays that ended before it): a booking charge whose
case was filed before STARTS_ON carries no court case number, as if the case predated the
portal's data.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate
from typing import Generic, Literal, TypeVar

from simulator import charges as ch
from simulator import names as nm
from simulator import places as pl
from simulator.model import (
    Address,
    Attorney,
    Bond,
    Booking,
    BookingCharge,
    Case,
    Charge,
    CourtLocation,
    Event,
    Hearing,
    Judgment,
    Name,
    Party,
    Payment,
    Person,
    RemovalKind,
    StatusChange,
    World,
)

T = TypeVar("T")
Sex = Literal["M", "F"]
CounselKind = Literal["Retained", "Court Appointed", "Public Defender"]

STARTS_ON = date(2025, 1, 6)
ENDS_ON = date(2027, 12, 27)
WARMUP_DAYS = 720

EVICTIONS_PER_WEEK = 20.0
# New criminal cases a week in General Sessions and direct Criminal Court indictments;
# with the indictments that follow bind-overs the criminal total is ≈15 a week.
GS_CRIMINAL_PER_WEEK = 11.2
DIRECT_INDICTMENTS_PER_WEEK = 1.3
HOLDS_PER_WEEK = 1.2  # bookings on holds only, with no court case in this county

CASE_NUMBER_PATTERNS: dict[str, str] = {
    "eviction": r"^\d{2}-GC-\d{6}$",
    "criminal": r"^\d{2}-CR-\d{6}$",
}
BOOKING_NUMBER_PATTERN = r"^\d{4}-\d{7}$"

# Every case status the world uses, with its class. "Stayed - Bankruptcy" is rare on
# purpose (a few evictions): downstream mappings can leave it out to test warnings.
CASE_STATUSES: dict[str, Literal["active", "final"]] = {
    "Open": "active",
    "Pending": "active",
    "Stayed - Bankruptcy": "active",
    "Disposed": "final",
    "Bound Over": "final",
    "Satisfied": "final",
    "Closed": "final",
}
RARE_STATUS = "Stayed - Bankruptcy"

# The late-posting location posts each case 3..posting_lag_days days after filing.
COURTS: tuple[CourtLocation, ...] = (
    *(
        CourtLocation(f"GSC-{n}", f"General Sessions Civil, Division {n}", "eviction", lag)
        for n, lag in ((1, 0), (2, 0), (3, 0), (4, 10))
    ),
    *(
        CourtLocation(f"GSCR-{n}", f"General Sessions Criminal, Division {n}", "criminal", 0)
        for n in (7, 8, 9, 10)
    ),
    *(CourtLocation(f"CC-{n}", f"Criminal Court, Division {n}", "criminal", 0) for n in (1, 2, 3)),
)

RACES: tuple[tuple[str, float], ...] = (
    ("Black", 66),
    ("White", 26),
    ("Hispanic", 5),
    ("Asian", 1.5),
    ("Other", 1.5),
)

_START = STARTS_ON.toordinal()
_END = ENDS_ON.toordinal()
_FIRST = _START - WARMUP_DAYS
_FOREVER = 10**9  # "never free again" for a person still in custody at ENDS_ON

_WEEKDAY_WEIGHTS = (1.25, 1.1, 1.0, 1.0, 0.65)  # filings Monday..Friday
_HEARING_TIMES = ((9, 0), (9, 0), (9, 30), (10, 0), (10, 30), (13, 0), (13, 30), (14, 0))
_PLAINTIFF_WIN = ("Default Judgment", "Judgment for Plaintiff")
_EVICTION_OUTCOMES: tuple[tuple[str, float], ...] = (
    ("Default Judgment", 42),
    ("Judgment for Plaintiff", 24),
    ("Dismissed without Prejudice", 15),
    ("Dismissed with Prejudice", 5),
    ("Judgment for Defendant", 3),
    ("bankruptcy", 1),
    ("pending", 10),
)
_EVICTION_CANCEL_REASONS = (
    "Reset by Court",
    "Continued by Agreement",
    "Plaintiff Request",
    "Defendant Request",
)
_CRIMINAL_CANCEL_REASONS = (
    "Reset by Court",
    "Defense Request",
    "State Request",
    "Defendant Not Transported",
)
_DISPOSITION_EVENTS = {
    ch.GUILTY: "Guilty Plea Entered",
    ch.NOT_GUILTY: "Verdict - Not Guilty",
    ch.DISMISSED: "Dismissed - Costs Taxed to State",
    ch.NOLLE: "Nolle Prosequi Entered",
    ch.BOUND_OVER: "Bound Over to Grand Jury",
    ch.RETIRED: "Retired for Six Months",
}
_GS_MISDEMEANOR_OUTCOMES: tuple[tuple[str | None, float], ...] = (
    (ch.GUILTY, 45),
    (ch.DISMISSED, 22),
    (ch.NOLLE, 10),
    (ch.RETIRED, 13),
    (ch.NOT_GUILTY, 3),
    (None, 7),  # capias: the defendant stops coming, the case stays pending
)
_GS_FELONY_OUTCOMES: tuple[tuple[str | None, float], ...] = (
    (ch.BOUND_OVER, 58),
    (ch.DISMISSED, 14),
    (ch.GUILTY, 12),
    (ch.NOLLE, 9),
    (ch.RETIRED, 2),
    (None, 5),
)
_CC_OUTCOMES: tuple[tuple[str | None, float], ...] = (
    (ch.GUILTY, 64),
    (ch.NOLLE, 12),
    (ch.DISMISSED, 12),
    (ch.NOT_GUILTY, 3),
    (None, 9),
)
_MISDEMEANOR_BONDS: tuple[tuple[str, float], ...] = (
    ("ROR", 35),
    ("Surety", 40),
    ("Cash", 18),
    ("Property", 2),
    ("No Bond", 5),
)
_FELONY_BONDS: tuple[tuple[str, float], ...] = (
    ("ROR", 8),
    ("Surety", 55),
    ("Cash", 15),
    ("Property", 4),
    ("No Bond", 18),
)
_MISDEMEANOR_AMOUNTS = (500, 1000, 1000, 1500, 2000, 2500, 2500, 5000)
_FELONY_AMOUNTS = (5000, 10000, 10000, 15000, 25000, 25000, 50000, 75000, 100000, 250000)
_COUNSEL: tuple[tuple[CounselKind | None, float], ...] = (
    ("Public Defender", 55),
    ("Court Appointed", 18),
    ("Retained", 22),
    (None, 5),  # none on file
)
_COUNSEL_POOLS: tuple[tuple[CounselKind, int], ...] = (
    ("Public Defender", 18),
    ("Court Appointed", 30),
    ("Retained", 50),
)


class Weighted(Generic[T]):
    """A weighted pool: `pick` costs one random draw and one bisection."""

    __slots__ = ("_cum", "_items", "_last", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        listed = list(pairs)
        self._items = [item for item, _ in listed]
        self._cum = list(accumulate(weight for _, weight in listed))
        self._total = self._cum[-1]
        self._last = len(self._items) - 1

    def pick(self, rng: random.Random) -> T:
        i = bisect_right(self._cum, rng.random() * self._total)
        return self._items[min(i, self._last)]


def _weekday(o: int) -> int:
    """The day itself when it is a weekday, else the next Monday (`o` is an ordinal)."""
    wd = (o + 6) % 7
    return o + (7 - wd if wd >= 5 else 0)


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Days:
    """Ordinal → date, cached over the world's span (dates are built once, not per use)."""

    def __init__(self, first: int, last: int) -> None:
        self._base = first
        self._dates = [date.fromordinal(o) for o in range(first, last + 1)]

    def __call__(self, o: int) -> date:
        i = o - self._base
        return self._dates[i] if 0 <= i < len(self._dates) else date.fromordinal(o)

    def at(self, o: int, hour: int, minute: int) -> datetime:
        d = self(o)
        return datetime(d.year, d.month, d.day, hour, minute)


@dataclass
class _Ctx:
    """What every part of the generator shares: the RNG, the dates, the courts."""

    rng: random.Random
    scale: float
    days: _Days
    judges: dict[str, str]  # court code → presiding judicial officer
    special_judges: list[str]
    rooms: dict[str, str]  # court code → courtroom
    case_count: int = 0

    def ri(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]; cheaper than `Random.randint`."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def new_case_key(self) -> str:
        self.case_count += 1
        return f"C{self.case_count:07d}"

    def count(self, per_week: float, carry: list[float]) -> int:
        """This week's number of filings: noisy around the rate, exact on average."""
        carry[0] += per_week * self.scale * (0.8 + 0.4 * self.rng.random())
        n = int(carry[0])
        carry[0] -= n
        return n

    def hearing_at(self, o: int) -> datetime:
        hour, minute = _HEARING_TIMES[int(self.rng.random() * len(_HEARING_TIMES))]
        return self.days.at(o, hour, minute)

    def officer(self, court: str) -> str:
        if self.rng.random() < 0.06:
            return self.special_judges[int(self.rng.random() * len(self.special_judges))]
        return self.judges[court]


class _People:
    """Creates people with realistic, sometimes hard, names; a few share name and birth date."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.male = Weighted(nm.MALE_FIRST)
        self.female = Weighted(nm.FEMALE_FIRST)
        self.hisp_male = Weighted(nm.HISPANIC_MALE_FIRST)
        self.hisp_female = Weighted(nm.HISPANIC_FEMALE_FIRST)
        self.surnames = Weighted(nm.SURNAMES)
        self.hisp_surnames = Weighted(nm.HISPANIC_SURNAMES)
        self.suffixes = Weighted(nm.SUFFIXES)
        self.races = Weighted(RACES)
        self.created: list[Person] = []
        self._twin_in = self._gap()
        self._namesake_in = self._gap() // 2

    def _gap(self) -> int:
        """People created between two deliberate same-name cases."""
        return 60 + int(self.rng.random() * 140)

    def name(self, sex: str, hispanic: bool) -> Name:
        rng = self.rng
        if hispanic and rng.random() < 0.8:
            firsts = self.hisp_male if sex == "M" else self.hisp_female
        else:
            firsts = self.male if sex == "M" else self.female
        first = firsts.pick(rng)
        r = rng.random()
        if r < 0.35:
            middle = ""
        elif r < 0.5:
            middle = nm.MIDDLE_INITIALS[int(rng.random() * len(nm.MIDDLE_INITIALS))]
        else:
            middle = firsts.pick(rng)
            middle = "" if middle == first else middle
        last = (self.hisp_surnames if hispanic else self.surnames).pick(rng)
        if rng.random() < (0.07 if sex == "F" else 0.015):
            other = self.surnames.pick(rng)
            last = f"{last}-{other}" if other != last else last
        suffix = self.suffixes.pick(rng) if sex == "M" and rng.random() < 0.07 else ""
        return Name(first=first, last=last, middle=middle, suffix=suffix)

    def new(
        self,
        on: int,
        ages: tuple[int, int, int],
        *,
        male_share: float,
        address: Address | None,
        aliases: bool = False,
    ) -> Person:
        """A new person aged `ages` (low, high, mode) on day `on`."""
        rng = self.rng
        key = f"P{len(self.created) + 1:07d}"
        self._twin_in -= 1
        self._namesake_in -= 1
        recent = self.created[-400:]
        if self._twin_in <= 0 and recent:
            # A distinct person with the same name and date of birth as someone else.
            self._twin_in = self._gap()
            src = recent[int(rng.random() * len(recent))]
            name, dob, race, sex = src.name, src.dob, src.race, src.sex
        else:
            sex: Sex = "M" if rng.random() < male_share else "F"
            race = self.races.pick(rng)
            name = self.name(sex, race == "Hispanic")
            lo, hi, mode = ages
            age = int(rng.triangular(lo, hi, mode))
            dob = date.fromordinal(on - age * 365 - age // 4 - int(rng.random() * 365))
            if self._namesake_in <= 0 and recent:
                # Same name as someone else, different date of birth.
                self._namesake_in = self._gap()
                src = recent[int(rng.random() * len(recent))]
                name, sex = src.name, src.sex
        alias_names = self._aliases(name) if aliases and rng.random() < 0.13 else ()
        person = Person(key, name, dob, race, sex, aliases=alias_names, address=address)
        self.created.append(person)
        return person

    def _aliases(self, name: Name) -> tuple[Name, ...]:
        """One or two AKA names: a nickname, a spelling without punctuation, another surname."""
        rng = self.rng
        variants: list[Name] = []
        if name.first in nm.NICKNAMES:
            variants.append(Name(first=nm.NICKNAMES[name.first], last=name.last))
        plain = _fold_accents(name.last).replace("'", "").replace(" ", "")
        if plain != name.last:
            variants.append(Name(first=name.first, last=plain, middle=name.middle))
        if "-" in name.last:
            variants.append(Name(first=name.first, last=name.last.split("-")[1]))
        if len(name.middle) > 1:
            variants.append(Name(first=name.middle, last=name.last))
        variants.append(Name(first=name.first, last=self.surnames.pick(rng)))
        rng.shuffle(variants)
        keep = 1 if rng.random() < 0.8 else 2
        unique = [v for i, v in enumerate(variants) if v != name and v not in variants[:i]]
        return tuple(unique[:keep])


@dataclass(frozen=True)
class _Property:
    """A rental: one house, or a complex whose units follow one style."""

    street: str
    city: str
    zip_code: str
    unit_style: str | None

    def address(self, ctx: _Ctx) -> Address:
        unit = ""
        if self.unit_style is not None:
            n = ctx.ri(1, 24) if "{b}" in self.unit_style else ctx.ri(101, 1424)
            b = "ABCDEF"[ctx.ri(0, 5)]
            unit = self.unit_style.format(n=n, b=b)
        return Address(self.street, self.city, pl.STATE, self.zip_code, unit)


class _Homes:
    """Street addresses across Memphis and its suburbs."""

    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx
        self.memphis = [(street, zips) for street, zips in pl.MEMPHIS_STREETS]
        self.suburbs = list(pl.SUBURBS)

    def street(self) -> tuple[str, str, str]:
        """(`1234 Lamar Ave`, city, zip)."""
        ctx = self.ctx
        rng = ctx.rng
        if rng.random() < pl.SUBURB_SHARE:
            city, streets, zips = self.suburbs[int(rng.random() * len(self.suburbs))]
            street = streets[int(rng.random() * len(streets))]
        else:
            city = pl.CITY
            street, zips = self.memphis[int(rng.random() * len(self.memphis))]
        number = ctx.ri(100, 999) if rng.random() < 0.3 else ctx.ri(1000, 6999)
        return f"{number} {street}", city, zips[int(rng.random() * len(zips))]

    def home(self) -> Address:
        street, city, zip_code = self.street()
        unit = f"Apt {self.ctx.ri(1, 30)}" if self.ctx.chance(0.2) else ""
        return Address(street, city, pl.STATE, zip_code, unit)

    def rental(self, complex_: bool) -> _Property:
        street, city, zip_code = self.street()
        style = pl.UNIT_STYLES[self.ctx.ri(0, len(pl.UNIT_STYLES) - 1)] if complex_ else None
        return _Property(street, city, zip_code, style)


@dataclass
class _Landlord:
    display: str
    business_name: str | None
    person: Person | None
    address: Address
    attorney: Attorney | None
    properties: list[_Property]


def _person_name_text(name: Name) -> str:
    middle = f" {name.middle[0]}." if name.middle else ""
    return f"{name.first}{middle} {name.last}"


def _make_landlords(ctx: _Ctx, people: _People, homes: _Homes) -> Weighted[_Landlord]:
    """Businesses and a few individuals; a handful of very frequent filers."""
    rng = ctx.rng
    count = int(30 + 220 * ctx.scale**0.6)
    attorneys = [
        Attorney(_person_name_text(people.name("M" if ctx.chance(0.6) else "F", False)), "Retained")
        for _ in range(10 + int(6 * ctx.scale**0.5))
    ]
    attorney_pool = Weighted((a, 1 / (i + 1)) for i, a in enumerate(attorneys))
    forms = Weighted(pl.LANDLORD_FORMS)
    seen: set[str] = set()
    landlords: list[tuple[_Landlord, float]] = []
    for i in range(count):
        address = homes.home()
        if i >= 8 and rng.random() < 0.18:
            person = people.new(_START, (30, 80, 55), male_share=0.55, address=address)
            display, business = person.name.display(), None
            counsel = attorney_pool.pick(rng) if rng.random() < 0.3 else None
            props = [homes.rental(False) for _ in range(ctx.ri(1, 3))]
        else:
            person = None
            display = _business_name(ctx, forms, seen)
            business = display
            counsel = attorney_pool.pick(rng) if rng.random() < 0.85 else None
            props = [homes.rental(True) for _ in range(ctx.ri(3, 8) if i < 20 else ctx.ri(1, 2))]
        weight = 1 / (i + 1) ** 0.9
        landlords.append((_Landlord(display, business, person, address, counsel, props), weight))
    return Weighted(landlords)


def _business_name(ctx: _Ctx, forms: Weighted[str], seen: set[str]) -> str:
    while True:
        word = pl.LANDLORD_WORDS[ctx.ri(0, len(pl.LANDLORD_WORDS) - 1)]
        name = forms.pick(ctx.rng).format(w=word)
        if name not in seen:
            seen.add(name)
            return name


class _StatusLog:
    """Status changes collected as (ordinal, status); later same-day changes win."""

    def __init__(self, on: int, status: str) -> None:
        self.changes: list[tuple[int, str]] = [(on, status)]

    def add(self, on: int | None, status: str) -> None:
        if on is None or on > _END:
            return
        last_on = self.changes[-1][0]
        if on <= last_on:
            self.changes[-1] = (last_on, status)
        else:
            self.changes.append((on, status))

    def build(self, days: _Days) -> list[StatusChange]:
        return [StatusChange(days(o), s) for o, s in self.changes]


def _seen(o: int | None) -> int | None:
    """A date as the world knows it: None once it falls after ENDS_ON."""
    return o if o is not None and o <= _END else None


class _Evictions:
    """Eviction (detainer warrant) cases with their whole lifecycle."""

    def __init__(self, ctx: _Ctx, people: _People, homes: _Homes) -> None:
        self.ctx = ctx
        self.people = people
        self.homes = homes
        self.landlords = _make_landlords(ctx, people, homes)
        self.outcomes = Weighted(_EVICTION_OUTCOMES)
        self.courts = Weighted(
            (c, w) for c, w in zip(COURTS[:4], (0.3, 0.26, 0.24, 0.2), strict=True)
        )
        self.tenant_attorneys = [
            Attorney(_person_name_text(people.name("F", False)), "Retained") for _ in range(6)
        ]

    def generate(self) -> list[Case]:
        ctx = self.ctx
        cases: list[Case] = []
        carry = [0.0]
        weekdays = Weighted(enumerate(_WEEKDAY_WEIGHTS))
        for week in range(_START, _END + 1, 7):
            days = sorted(
                week + weekdays.pick(ctx.rng) for _ in range(ctx.count(EVICTIONS_PER_WEEK, carry))
            )
            cases.extend(self.case(f, self.courts.pick(ctx.rng)) for f in days if f <= _END)
        return cases

    def case(self, f: int, court: CourtLocation) -> Case:
        ctx = self.ctx
        d = ctx.days
        key = ctx.new_case_key()
        lag = ctx.ri(3, court.posting_lag_days) if court.posting_lag_days else 0
        landlord = self.landlords.pick(ctx.rng)
        parties = [self._plaintiff(key, landlord, f)]
        parties.extend(self._defendants(key, landlord, f))
        plan = _EvictionPlan(ctx, key, f, court.code, len(parties) - 1)
        plan.run(self.outcomes.pick(ctx.rng), landlord.display)
        case = Case(
            case_key=key,
            kind="eviction",
            court=court.code,
            case_number="",
            case_type="Eviction",
            filed_date=d(f),
            posted_on=d(f + lag),
            judicial_officer=ctx.judges[court.code],
            statuses=plan.status.build(d),
            parties=parties,
            events=plan.events,
            hearings=plan.hearings,
            judgments=plan.judgments,
            fees_assessed=_money(plan.fees),
            payments=plan.payments,
        )
        self._maybe_remove(case, f + lag, plan)
        return case

    def _plaintiff(self, key: str, landlord: _Landlord, f: int) -> Party:
        day = self.ctx.days(f)
        person = landlord.person
        return Party(
            party_key=f"{key}-1",
            role="Plaintiff",
            person_key=person.person_key if person else None,
            name=person.name if person else None,
            business_name=landlord.business_name,
            address=landlord.address,
            address_visible_from=day,
            attorney=landlord.attorney,
            attorney_visible_from=day if landlord.attorney else None,
        )

    def _defendants(self, key: str, landlord: _Landlord, f: int) -> list[Party]:
        ctx = self.ctx
        rng = ctx.rng
        prop = landlord.properties[int(rng.random() * len(landlord.properties))]
        home = prop.address(ctx)
        r = rng.random()
        # Mostly known at filing; some addresses arrive later, a few never.
        seen_from = f if r < 0.8 else (f + ctx.ri(3, 30) if r < 0.94 else None)
        shown = home
        if rng.random() < 0.015:
            # Some filings list several addresses in one field; they go in `street`.
            other, _, _ = self.homes.street()
            shown = Address(f"{home.street}; {other}", home.city, home.state, home.zip_code)
        r = rng.random()
        n = 1 if r < 0.6 else (2 if r < 0.9 else 3)
        parties = []
        for i in range(n):
            person = self.people.new(f, (19, 78, 33), male_share=0.42, address=home)
            parties.append(self._tenant(f"{key}-{i + 2}", person, shown, seen_from, f))
        if rng.random() < 0.55:
            parties.append(
                Party(
                    party_key=f"{key}-{n + 2}",
                    role="Defendant",
                    business_name=pl.PSEUDO_OCCUPANTS,
                    is_pseudo=True,
                    address=home,
                    address_visible_from=ctx.days(f),
                )
            )
        return parties

    def _tenant(
        self, party_key: str, person: Person, shown: Address, seen_from: int | None, f: int
    ) -> Party:
        ctx = self.ctx
        seen_from = _seen(seen_from)
        counsel = None
        if ctx.chance(0.04):
            counsel = self.tenant_attorneys[ctx.ri(0, len(self.tenant_attorneys) - 1)]
        counsel_from = _seen(f + ctx.ri(5, 30)) if counsel else None
        initials = _seen(f + ctx.ri(30, 365)) if ctx.chance(0.006) else None
        return Party(
            party_key=party_key,
            role="Defendant",
            person_key=person.person_key,
            name=person.name,
            address=shown if seen_from is not None else None,
            address_visible_from=ctx.days(seen_from) if seen_from is not None else None,
            attorney=counsel if counsel_from is not None else None,
            attorney_visible_from=ctx.days(counsel_from) if counsel_from is not None else None,
            initials_from=ctx.days(initials) if initials is not None else None,
        )

    def _maybe_remove(self, case: Case, posted: int, plan: _EvictionPlan) -> None:
        ctx = self.ctx
        if plan.dismissed_on is not None and ctx.chance(0.05):
            removed = max(plan.dismissed_on, posted) + ctx.ri(30, 300)
        elif ctx.chance(0.004):
            removed = posted + ctx.ri(60, 400)
        else:
            return
        if removed <= _END:
            case.removed_on = ctx.days(removed)
            case.removal_kind = "sealed"


class _Docket:
    """Dated docket pieces of one case, dropping whatever would show after ENDS_ON."""

    def __init__(self, ctx: _Ctx, key: str, f: int, court: str) -> None:
        self.ctx = ctx
        self.key = key
        self.f = f
        self.court = court
        self.events: list[Event] = []
        self.hearings: list[Hearing] = []
        self.payments: list[Payment] = []
        self.status = _StatusLog(f, "Open")
        self.fees = 0

    def event(self, on: int, event_type: str, description: str, visible: int | None = None) -> None:
        seen = on if visible is None else visible
        if seen <= _END:
            days = self.ctx.days
            self.events.append(Event(days(on), event_type, description, days(seen)))

    def hearing(
        self,
        set_on: int,
        at: int,
        hearing_type: str,
        *,
        result: str | None = None,
        canceled: int | None = None,
        reason: str | None = None,
    ) -> None:
        """A setting made on `set_on` for `at`; its result shows on `at`, if that has come."""
        if set_on > _END:
            return
        ctx = self.ctx
        days = ctx.days
        result_on = _seen(at) if result else None
        canceled = _seen(canceled)
        self.hearings.append(
            Hearing(
                hearing_key=f"{self.key}-H{len(self.hearings) + 1}",
                scheduled_at=ctx.hearing_at(at),
                hearing_type=hearing_type,
                courtroom=ctx.rooms[self.court],
                judicial_officer=ctx.officer(self.court),
                set_on=days(set_on),
                result=result if result_on is not None else None,
                result_on=days(result_on) if result_on is not None else None,
                canceled_on=days(canceled) if canceled is not None else None,
                cancel_reason=reason if canceled is not None else None,
            )
        )

    def payment(self, on: int, cents: int) -> None:
        if on <= _END:
            self.payments.append(Payment(self.ctx.days(on), _money(cents)))


class _EvictionPlan(_Docket):
    """The dated lifecycle of one eviction: service, hearings, judgment, writ, money."""

    def __init__(self, ctx: _Ctx, key: str, f: int, court: str, defendants: int) -> None:
        super().__init__(ctx, key, f, court)
        self.judgments: list[Judgment] = []
        self.fees = 11850 + 1500 * max(0, defendants - 1)
        self.dismissed_on: int | None = None

    def run(self, outcome: str, plaintiff: str) -> None:
        ctx = self.ctx
        f = self.f
        if ctx.chance(0.15):
            self.event(f, "Complaint Filed", "Sworn Complaint for Possession Filed")
        else:
            self.event(f, "Detainer Warrant Filed", "Detainer Warrant Filed")
        self.event(f + ctx.ri(0, 2), "Summons Issued", "Summons Issued")
        first = _weekday(f + ctx.ri(14, 35))
        served = ctx.chance(0.86)
        if served:
            on = f + ctx.ri(3, max(3, first - f - 2))
            seen = on + ctx.ri(0, 6)
            self.event(on, "Service", f"Served {ctx.days(on).isoformat()}", seen)
            self.status.add(_seen(seen), "Pending")
            final = self._settings(first, f)
        else:
            on = f + ctx.ri(5, 12)
            self.event(on, "Service", "Not Served - Not Found", on + ctx.ri(1, 5))
            self.status.add(_seen(on), "Pending")
            final = self._settings(first, f, reason="Not Served")
            outcome = "Dismissed without Prejudice" if ctx.chance(0.65) else "pending"
        self._conclude(outcome, final, plaintiff)

    def _settings(self, at: int, set_on: int, reason: str | None = None) -> tuple[int, int]:
        """Initial setting, maybe canceled and reset, maybe continued: (set_on, final date)."""
        ctx = self.ctx
        if reason is not None or ctx.chance(0.2):
            canceled = max(set_on + 1, at - ctx.ri(1, 7))
            why = reason or _EVICTION_CANCEL_REASONS[ctx.ri(0, 3)]
            self.hearing(set_on, at, "Initial Setting", canceled=canceled, reason=why)
            set_on, at = canceled, _weekday(at + ctx.ri(14, 28))
        if ctx.chance(0.15):
            self.hearing(set_on, at, "Detainer Hearing", result="Continued")
            set_on, at = at, _weekday(at + ctx.ri(7, 21))
        return set_on, at

    def _conclude(self, outcome: str, final: tuple[int, int], plaintiff: str) -> None:
        ctx = self.ctx
        set_on, h = final
        if outcome == "pending":
            self.hearing(set_on, h, "Detainer Hearing")
            self._pay(self.fees // 2, self.f)
            return
        if outcome == "bankruptcy":
            self._bankruptcy(set_on, h)
            return
        won = outcome in _PLAINTIFF_WIN
        dismissed = outcome.startswith("Dismissed")
        self.hearing(
            set_on, h, "Detainer Hearing", result="Dismissed" if dismissed else "Judgment Entered"
        )
        seen = h + (ctx.ri(7, 35) if outcome == "Default Judgment" else ctx.ri(0, 3))
        amount = (
            _money(ctx.ri(300, 6500) * 100 + ctx.ri(0, 99)) if won and ctx.chance(0.75) else None
        )
        self._judgment(h, outcome, plaintiff if won else "Defendant", amount, seen)
        if dismissed:
            self.dismissed_on = seen
        self._pay(self.fees, self.f)
        if won:
            self._writ(h, seen)
        elif ctx.chance(0.6):
            self.status.add(_seen(seen + ctx.ri(30, 120)), "Closed")

    def _judgment(self, on: int, kind: str, for_: str, amount: Decimal | None, seen: int) -> None:
        if seen > _END:
            return
        days = self.ctx.days
        self.judgments.append(Judgment(days(on), kind, for_, amount, days(seen)))
        self.event(on, "Judgment", f"{kind} Entered", seen)
        self.status.add(seen, "Disposed")

    def _writ(self, judged: int, seen: int) -> None:
        ctx = self.ctx
        if not ctx.chance(0.5):
            if ctx.chance(0.3):
                self.status.add(_seen(seen + ctx.ri(60, 200)), "Satisfied")
            return
        requested = max(judged + 11, seen) + ctx.ri(0, 20)
        issued = requested + ctx.ri(1, 5)
        self.event(requested, "Writ of Possession Requested", "Writ of Possession Requested")
        self.event(issued, "Writ of Possession Issued", "Writ of Possession Issued")
        if ctx.chance(0.8):
            served = issued + ctx.ri(3, 14)
            day = ctx.days(served).isoformat()
            self.event(served, "Writ of Possession Served", f"Writ Served {day}", served + 1)
            self.status.add(_seen(served + 1), "Satisfied")

    def _bankruptcy(self, set_on: int, h: int) -> None:
        ctx = self.ctx
        filed = max(set_on + 1, h - ctx.ri(1, 10))
        self.hearing(set_on, h, "Detainer Hearing", canceled=filed, reason="Bankruptcy Stay")
        self.event(filed, "Bankruptcy Notice", "Suggestion of Bankruptcy Filed")
        self.status.add(_seen(filed), RARE_STATUS)
        if ctx.chance(0.5):
            lifted = filed + ctx.ri(90, 240)
            self._judgment(lifted, "Dismissed without Prejudice", "Defendant", None, lifted)
            self.dismissed_on = lifted if lifted <= _END else None

    def _pay(self, cents: int, f: int) -> None:
        """Filing costs: mostly paid at filing, some in parts over the following weeks."""
        ctx = self.ctx
        r = ctx.rng.random()
        if r < 0.65:
            self.payment(f, cents)
        elif r < 0.9:
            part = cents // 2
            self.payment(f, part)
            self.payment(f + ctx.ri(20, 120), cents - part)
        elif r < 0.95:
            self.payment(f + ctx.ri(30, 200), cents)


@dataclass
class _Stay:
    """One planned stay in jail; becomes a Booking once case numbers are known."""

    person: Person
    booked: int
    charges: list[tuple[ch.ChargeSpec, Case | None]]
    bond_type: str
    bond_cents: int | None
    agency: str
    custody: list[tuple[int, str]]
    release: int | None  # None: still in custody at ENDS_ON


@dataclass
class _Outcome:
    """How a criminal case ends: disposition (None = still pending), when, and jail time."""

    disposition: str | None
    on: int | None
    sentence_days: int = 0
    capias_on: int | None = None


class _Criminal:
    """Criminal cases and the jail stays they cause."""

    def __init__(self, ctx: _Ctx, people: _People, homes: _Homes) -> None:
        self.ctx = ctx
        self.people = people
        self.homes = homes
        self.cases: list[Case] = []
        self.stays: list[_Stay] = []
        self.free_from: dict[str, int] = {}  # person_key → out of jail from this day
        self.pending: dict[str, Case] = {}  # person_key → a case left open by a capias
        self.recent: list[Person] = []  # defendants in creation order, for re-arrests
        self.misdemeanors = Weighted((c, c[4]) for c in ch.MISDEMEANORS)
        self.felonies = Weighted((c, c[4]) for c in ch.FELONIES)
        self.companions = Weighted((c, c[4]) for c in ch.COMPANIONS)
        self.holds = Weighted((c, c[4]) for c in ch.HOLDS)
        self.agencies = Weighted(pl.ARRESTING_AGENCIES)
        self.gs_misd = Weighted(_GS_MISDEMEANOR_OUTCOMES)
        self.gs_felony = Weighted(_GS_FELONY_OUTCOMES)
        self.cc = Weighted(_CC_OUTCOMES)
        self.misd_bonds = Weighted(_MISDEMEANOR_BONDS)
        self.felony_bonds = Weighted(_FELONY_BONDS)
        self.counsel_kinds = Weighted(_COUNSEL)
        self.gs_courts = [c for c in COURTS if c.code.startswith("GSCR")]
        self.cc_courts = [c for c in COURTS if c.code.startswith("CC-")]
        size = ctx.scale**0.5
        self.attorneys: dict[str, list[Attorney]] = {
            kind: [
                Attorney(_person_name_text(people.name(self._sex(), False)), kind)
                for _ in range(int(n * size) + 3)
            ]
            for kind, n in _COUNSEL_POOLS
        }

    def _sex(self) -> Sex:
        return "M" if self.ctx.chance(0.55) else "F"

    def generate(self) -> None:
        ctx = self.ctx
        gs_carry, cc_carry, hold_carry = [0.0], [0.0], [0.0]
        weekdays = Weighted(enumerate(_WEEKDAY_WEIGHTS))
        for week in range(_FIRST - (_FIRST - _START) % 7, _END + 1, 7):
            filings = [
                (week + weekdays.pick(ctx.rng), 0)
                for _ in range(ctx.count(GS_CRIMINAL_PER_WEEK, gs_carry))
            ]
            filings += [
                (week + weekdays.pick(ctx.rng), 1)
                for _ in range(ctx.count(DIRECT_INDICTMENTS_PER_WEEK, cc_carry))
            ]
            filings += [
                (week + ctx.ri(0, 6), 2) for _ in range(ctx.count(HOLDS_PER_WEEK, hold_carry))
            ]
            for f, kind in sorted(filings):
                if f > _END:
                    continue
                if kind == 0:
                    self.general_sessions(f)
                elif kind == 1:
                    self.direct_indictment(f)
                else:
                    self.hold_only(f)

    # -- people ---------------------------------------------------------------------------

    def defendant(self, f: int) -> Person:
        """A new person, or someone already known who is out of jail by now (a re-arrest)."""
        ctx = self.ctx
        recent = self.recent
        if recent and ctx.chance(0.16):
            window = min(len(recent), int(600 * ctx.scale) + 20)
            for _ in range(3):
                person = recent[len(recent) - 1 - int(ctx.rng.random() * window)]
                if self.free_from.get(person.person_key, 0) < f - 1:
                    return person
        address = self.homes.home() if ctx.chance(0.92) else None
        person = self.people.new(f, (18, 66, 25), male_share=0.8, address=address, aliases=True)
        recent.append(person)
        return person

    # -- the three ways a case or stay begins ----------------------------------------------

    def general_sessions(self, f: int) -> None:
        ctx = self.ctx
        person = self.defendant(f)
        prior = self.pending.get(person.person_key)
        felony = ctx.chance(0.4)
        specs = self._charges(felony)
        offense = f - (0 if ctx.chance(0.6) else (1 if ctx.chance(0.6) else ctx.ri(2, 30)))
        court = self.gs_courts[ctx.ri(0, len(self.gs_courts) - 1)]
        outcome = self._outcome(self.gs_felony if felony else self.gs_misd, f, gs=True)
        bond_type, bond_cents = self._bond(felony)
        case = self._case(court, f, person, specs, offense, outcome, bond_type, bond_cents)
        follow = None
        if outcome.disposition == ch.BOUND_OVER and outcome.on is not None:
            follow = self._indictment(person, outcome.on + ctx.ri(30, 150), specs, offense)
        if ctx.chance(0.85):
            # Booked the day the affidavit is filed; an open capias case comes along.
            extra = [(_spec(prior.charges[0]), prior)] if prior and prior.charges else []
            self._stay(person, f, case, outcome, bond_type, bond_cents, follow, extra)
        else:
            self.free_from[person.person_key] = f
            self._report_to_serve(person, case, outcome)
            if follow is not None:
                self._report_to_serve(person, follow[0], follow[1])
        self._remember(person, case, outcome, follow)

    def direct_indictment(self, f: int) -> None:
        ctx = self.ctx
        person = self.defendant(f)
        specs = self._charges(True)
        offense = f - ctx.ri(30, 365)
        case, outcome = self._indictment(person, f, specs, offense)
        if ctx.chance(0.6):
            arrested = f + ctx.ri(1, 60)
            bond_type, bond_cents = self._bond(True)
            self._stay(person, arrested, case, outcome, bond_type, bond_cents, None, [])
        else:
            self.free_from[person.person_key] = f
            self._report_to_serve(person, case, outcome)
        self._remember(person, case, outcome, None)

    def hold_only(self, b: int) -> None:
        """Someone held for another jurisdiction or on a probation violation: no case here."""
        ctx = self.ctx
        person = self.defendant(b)
        r = ctx.rng.random()
        release = b + (ctx.ri(1, 7) if r < 0.5 else (ctx.ri(8, 45) if r < 0.9 else ctx.ri(46, 120)))
        spec = self.holds.pick(ctx.rng)
        agency = "U.S. Marshals Service" if ctx.chance(0.2) else "Shelby County Sheriff's Office"
        self._add_stay(
            _Stay(person, b, [(spec, None)], "No Bond", None, agency, [(b, "Hold")], release)
        )

    # -- case pieces ------------------------------------------------------------------------

    def _charges(self, felony: bool) -> list[ch.ChargeSpec]:
        rng = self.ctx.rng
        specs = [(self.felonies if felony else self.misdemeanors).pick(rng)]
        r = rng.random()
        for _ in range(0 if r < 0.62 else (1 if r < 0.9 else 2)):
            extra = self.companions.pick(rng)
            if extra not in specs:
                specs.append(extra)
        return specs

    def _outcome(self, pool: Weighted[str | None], f: int, *, gs: bool) -> _Outcome:
        ctx = self.ctx
        disposition = pool.pick(ctx.rng)
        r = ctx.rng.random()
        if disposition is None:
            capias = f + ctx.ri(20, 120) if gs or ctx.chance(0.5) else None
            return _Outcome(None, None, capias_on=capias)
        if disposition == ch.BOUND_OVER:
            on = f + ctx.ri(10, 90)
        elif gs:
            on = f + (
                ctx.ri(7, 45) if r < 0.4 else (ctx.ri(46, 150) if r < 0.8 else ctx.ri(151, 400))
            )
        else:
            on = f + (
                ctx.ri(60, 240) if r < 0.5 else (ctx.ri(241, 480) if r < 0.85 else ctx.ri(481, 800))
            )
        sentence = self._sentence(gs) if disposition == ch.GUILTY else 0
        return _Outcome(disposition, on, sentence)

    def _sentence(self, gs: bool) -> int:
        """Days still to serve in this jail after a guilty plea (0: probation or time served)."""
        ctx = self.ctx
        r = ctx.rng.random()
        if gs:
            return 0 if r < 0.5 else (ctx.ri(2, 30) if r < 0.8 else ctx.ri(31, 329))
        return 0 if r < 0.35 else (ctx.ri(30, 329) if r < 0.6 else ctx.ri(20, 150))

    def _bond(self, felony: bool) -> tuple[str, int | None]:
        ctx = self.ctx
        bond_type = (self.felony_bonds if felony else self.misd_bonds).pick(ctx.rng)
        if bond_type in ("ROR", "No Bond"):
            return bond_type, None
        amounts = _FELONY_AMOUNTS if felony else _MISDEMEANOR_AMOUNTS
        return bond_type, amounts[ctx.ri(0, len(amounts) - 1)] * 100

    def _indictment(
        self, person: Person, f: int, specs: list[ch.ChargeSpec], offense: int
    ) -> tuple[Case, _Outcome]:
        ctx = self.ctx
        court = self.cc_courts[ctx.ri(0, len(self.cc_courts) - 1)]
        felonies = [s for s in specs if s[2] == "Felony"] or specs
        outcome = self._outcome(self.cc, f, gs=False)
        bond_type, bond_cents = self._bond(True)
        case = self._case(court, f, person, felonies, offense, outcome, bond_type, bond_cents)
        return case, outcome

    def _case(
        self,
        court: CourtLocation,
        f: int,
        person: Person,
        specs: list[ch.ChargeSpec],
        offense: int,
        outcome: _Outcome,
        bond_type: str,
        bond_cents: int | None,
    ) -> Case:
        ctx = self.ctx
        days = ctx.days
        key = ctx.new_case_key()
        plan = _CriminalPlan(ctx, key, f, court.code, court.code.startswith("CC-"))
        plan.run(outcome, bond_type, bond_cents, self._counsel(f))
        case = Case(
            case_key=key,
            kind="criminal",
            court=court.code,
            case_number="",
            case_type="Felony" if any(s[2] == "Felony" for s in specs) else "Misdemeanor",
            filed_date=days(f),
            posted_on=days(f),
            judicial_officer=ctx.judges[court.code],
            statuses=plan.status.build(days),
            parties=[
                Party(f"{key}-1", "Plaintiff", business_name=pl.STATE_PARTY),
                self._defendant_party(key, person, f, plan.counsel),
            ],
            events=plan.events,
            hearings=plan.hearings,
            charges=self._case_charges(specs, offense, outcome),
            bonds=plan.bonds,
            fees_assessed=_money(plan.fees),
            payments=plan.payments,
        )
        self._maybe_expunge(case, outcome)
        if _START <= f <= _END:
            self.cases.append(case)
        return case

    def _counsel(self, f: int) -> tuple[Attorney, int] | None:
        ctx = self.ctx
        kind = self.counsel_kinds.pick(ctx.rng)
        if kind is None:
            return None
        pool = self.attorneys[kind]
        return pool[int(ctx.rng.random() * len(pool))], f + ctx.ri(0, 14)

    def _defendant_party(
        self, key: str, person: Person, f: int, counsel: tuple[Attorney, int] | None
    ) -> Party:
        ctx = self.ctx
        counsel_from = _seen(counsel[1]) if counsel else None
        initials = _seen(f + ctx.ri(60, 500)) if ctx.chance(0.004) else None
        address = person.address
        return Party(
            party_key=f"{key}-2",
            role="Defendant",
            person_key=person.person_key,
            name=person.name,
            address=address,
            address_visible_from=ctx.days(f) if address is not None else None,
            attorney=counsel[0] if counsel and counsel_from is not None else None,
            attorney_visible_from=ctx.days(counsel_from) if counsel_from is not None else None,
            initials_from=ctx.days(initials) if initials is not None else None,
        )

    def _case_charges(
        self, specs: list[ch.ChargeSpec], offense: int, outcome: _Outcome
    ) -> list[Charge]:
        ctx = self.ctx
        on = _seen(outcome.on)
        offense_day = ctx.days(offense)
        charges = []
        for i, (statute, description, degree, klass, _) in enumerate(specs):
            disposition = outcome.disposition if on is not None else None
            if disposition == ch.GUILTY and i > 0 and ctx.chance(0.6):
                disposition = ch.DISMISSED
            charges.append(
                Charge(
                    sequence=i + 1,
                    statute=statute,
                    description=description,
                    degree=degree,
                    charge_class=klass,
                    offense_date=offense_day,
                    disposition=disposition,
                    disposition_date=ctx.days(on) if on is not None else None,
                )
            )
        return charges

    def _maybe_expunge(self, case: Case, outcome: _Outcome) -> None:
        ctx = self.ctx
        cleared = (ch.DISMISSED, ch.NOLLE, ch.NOT_GUILTY)
        f = case.filed_date.toordinal()
        kind: RemovalKind
        if outcome.disposition in cleared and outcome.on is not None and ctx.chance(0.04):
            removed, kind = outcome.on + ctx.ri(30, 365), "expunged"
        elif ctx.chance(0.003):
            removed, kind = f + ctx.ri(60, 500), "sealed"
        else:
            return
        if removed <= _END:
            case.removed_on = ctx.days(removed)
            case.removal_kind = kind

    # -- jail -------------------------------------------------------------------------------

    def _stay(
        self,
        person: Person,
        booked: int,
        case: Case,
        outcome: _Outcome,
        bond_type: str,
        bond_cents: int | None,
        follow: tuple[Case, _Outcome] | None,
        extra: list[tuple[ch.ChargeSpec, Case | None]],
    ) -> None:
        """Booked on `case`: out on bond soon, or held until the case (or its indictment) ends."""
        ctx = self.ctx
        custody = [(booked, "Pretrial")]
        felony = case.case_type == "Felony"
        release = self._bonded_out(booked, bond_type, felony)
        if release is None:
            release = self._held(custody, outcome)
            if outcome.disposition == ch.BOUND_OVER and follow is not None:
                release = None if ctx.chance(0.75) else _seen(release + ctx.ri(7, 90))
                if release is None:
                    release = self._held(custody, follow[1])
        charges: list[tuple[ch.ChargeSpec, Case | None]] = [(_spec(c), case) for c in case.charges]
        charges.extend(extra)
        if ctx.chance(0.07):
            charges.append((self.holds.pick(ctx.rng), None))
            if release is not None and release > custody[-1][0]:
                custody.append((release, "Hold"))
                release += ctx.ri(1, 30)
        agency = self.agencies.pick(ctx.rng)
        self._add_stay(
            _Stay(person, booked, charges, bond_type, bond_cents, agency, custody, _seen(release))
        )

    def _bonded_out(self, booked: int, bond_type: str, felony: bool) -> int | None:
        ctx = self.ctx
        r = ctx.rng.random()
        if bond_type == "ROR":
            return booked + ctx.ri(0, 1)
        if bond_type == "No Bond" or ctx.rng.random() > (0.55 if felony else 0.8):
            return None
        return booked + (
            ctx.ri(0, 2) if r < 0.7 else (ctx.ri(3, 14) if r < 0.9 else ctx.ri(15, 90))
        )

    def _held(self, custody: list[tuple[int, str]], outcome: _Outcome) -> int | None:
        """Held until the disposition; then sentenced, or released. None: still held."""
        if outcome.on is None or outcome.disposition is None:
            return None
        if outcome.disposition == ch.BOUND_OVER:
            return outcome.on
        if outcome.sentence_days:
            custody.append((outcome.on, "Sentenced"))
            return outcome.on + outcome.sentence_days
        return outcome.on

    def _report_to_serve(self, person: Person, case: Case, outcome: _Outcome) -> None:
        """Out of custody when sentenced to jail time: some are booked to serve it."""
        ctx = self.ctx
        if not outcome.sentence_days or outcome.on is None or not ctx.chance(0.5):
            return
        booked = outcome.on + ctx.ri(3, 30)
        charges: list[tuple[ch.ChargeSpec, Case | None]] = [(_spec(case.charges[0]), case)]
        release = _seen(booked + outcome.sentence_days)
        agency = "Shelby County Sheriff's Office"
        custody = [(booked, "Sentenced")]
        self._add_stay(_Stay(person, booked, charges, "No Bond", None, agency, custody, release))

    def _add_stay(self, stay: _Stay) -> None:
        if stay.booked > _END:
            return
        key = stay.person.person_key
        out = stay.release if stay.release is not None else _FOREVER
        self.free_from[key] = max(self.free_from.get(key, 0), out)
        self.stays.append(stay)

    def _remember(
        self, person: Person, case: Case, outcome: _Outcome, follow: tuple[Case, _Outcome] | None
    ) -> None:
        last, last_outcome = follow if follow is not None else (case, outcome)
        if last_outcome.on is None:
            self.pending[person.person_key] = last
        else:
            self.pending.pop(person.person_key, None)


class _CriminalPlan(_Docket):
    """The dated docket of one criminal case: filing, bond, counsel, settings, disposition."""

    def __init__(self, ctx: _Ctx, key: str, f: int, court: str, indicted: bool) -> None:
        super().__init__(ctx, key, f, court)
        self.indicted = indicted
        self.bonds: list[Bond] = []
        self.counsel: tuple[Attorney, int] | None = None

    def run(
        self,
        outcome: _Outcome,
        bond_type: str,
        bond_cents: int | None,
        counsel: tuple[Attorney, int] | None,
    ) -> None:
        ctx = self.ctx
        f = self.f
        if self.indicted:
            self.event(f, "Indictment Filed", "True Bill - Indictment Filed")
            self.event(f, "Capias Issued", "Capias Issued on Indictment")
        else:
            self.event(f, "Affidavit of Complaint Filed", "Affidavit of Complaint Filed")
        self._bond(f, bond_type, bond_cents)
        if counsel is not None and counsel[1] <= _END:
            self.counsel = counsel
            attorney, on = counsel
            verb = "Retained" if attorney.kind == "Retained" else "Appointed"
            self.event(on, f"Attorney {verb}", f"{attorney.kind} {verb}: {attorney.name}")
        first = _weekday(f + (ctx.ri(10, 30) if self.indicted else ctx.ri(1, 3)))
        end = outcome.capias_on if outcome.on is None else outcome.on
        self._settings(first, end, outcome)
        self.status.add(_seen(first), "Pending")
        self._dispose(outcome)

    def _bond(self, f: int, bond_type: str, bond_cents: int | None) -> None:
        ctx = self.ctx
        cents = bond_cents or 0
        self.bonds.append(Bond(bond_type, _money(cents), ctx.days(f)))
        text = "Released on Recognizance" if bond_type == "ROR" else f"Bond Set: {bond_type}"
        self.event(f, "Bond Set", f"{text} ${cents / 100:,.2f}" if cents else text)
        if cents and ctx.chance(0.12):
            changed = f + ctx.ri(7, 45)
            if changed <= _END:
                lower = max(50000, cents // 2 // 50000 * 50000)
                self.bonds.append(Bond("Surety", _money(lower), ctx.days(changed)))
                self.event(changed, "Bond Reduced", f"Bond Reduced to Surety ${lower / 100:,.2f}")

    def _settings(self, at: int, end: int | None, outcome: _Outcome) -> None:
        """Report dates every few weeks, some canceled and reset, up to the disposition."""
        ctx = self.ctx
        set_on = self.f
        kind = "Arraignment"
        later = "Report Date" if self.indicted else "Preliminary Hearing"
        while set_on <= _END:
            if end is not None and at >= end:
                at = end
            last = end is not None and at == end
            if not last and ctx.chance(0.12) and at - set_on > 2:
                canceled = at - ctx.ri(1, min(5, at - set_on - 1))
                reason = _CRIMINAL_CANCEL_REASONS[ctx.ri(0, 3)]
                self.hearing(set_on, at, kind, canceled=canceled, reason=reason)
                set_on, at = canceled, _weekday(at + ctx.ri(7, 28))
                continue
            if last:
                if outcome.on is None:
                    self.hearing(set_on, at, kind, result="Failure to Appear")
                else:
                    self.hearing(
                        set_on, at, kind, result=ch.HEARING_RESULTS[outcome.disposition or ""]
                    )
                return
            self.hearing(set_on, at, kind, result="Reset" if at <= _END else None)
            set_on, at, kind = at, _weekday(at + ctx.ri(14, 45)), later

    def _dispose(self, outcome: _Outcome) -> None:
        ctx = self.ctx
        if outcome.on is None:
            if outcome.capias_on is not None:
                self.event(outcome.capias_on, "Capias Issued", "Capias Issued - Failure to Appear")
            return
        on = outcome.on
        disposition = outcome.disposition or ""
        self.event(on, "Disposition", _DISPOSITION_EVENTS[disposition])
        if disposition == ch.BOUND_OVER:
            self.status.add(on, "Bound Over")
            return
        self.status.add(on, "Disposed")
        if disposition == ch.GUILTY:
            days = outcome.sentence_days
            text = f"Sentenced to {days} Days" if days else "Sentence Suspended - Probation"
            self.event(on, "Sentence Imposed", text)
            self.fees = ctx.ri(28750, 65000) if not self.indicted else ctx.ri(50000, 250000)
            self._installments(on)
        if ctx.chance(0.4):
            self.status.add(_seen(on + ctx.ri(60, 365)), "Closed")

    def _installments(self, on: int) -> None:
        """Court costs after a conviction: paid in full, in monthly parts, or not at all."""
        ctx = self.ctx
        r = ctx.rng.random()
        if r < 0.15:
            self.payment(on + ctx.ri(0, 60), self.fees)
        elif r < 0.5:
            part = ctx.ri(25, 100) * 100
            due = on + 30
            left = self.fees
            for _ in range(6):
                if left <= 0:
                    break
                self.payment(due, min(part, left))
                left -= part
                due += ctx.ri(25, 40)


def _spec(charge: Charge) -> ch.ChargeSpec:
    return (charge.statute, charge.description, charge.degree, charge.charge_class, 0.0)


def _officers(ctx: _Ctx, people: _People) -> tuple[dict[str, str], list[str]]:
    judges = {}
    for court in COURTS:
        name = people.name("M" if ctx.chance(0.5) else "F", False)
        judges[court.code] = f"{name.last}, {name.first}"
    special = []
    for _ in range(4):
        name = people.name("M" if ctx.chance(0.5) else "F", False)
        special.append(f"{name.last}, {name.first} (Special Judge)")
    return judges, special


def _rooms() -> dict[str, str]:
    rooms = {}
    for court in COURTS:
        n = court.code.split("-")[1]
        if court.code.startswith("GSC-"):
            rooms[court.code] = f"Civil Courtroom {n}"
        elif court.code.startswith("GSCR-"):
            rooms[court.code] = f"Division {n} Courtroom"
        else:
            rooms[court.code] = f"Criminal Court Room {n}"
    return rooms


def _number_cases(cases: list[Case]) -> None:
    """`{yy}-GC-{nnnnnn}` / `{yy}-CR-{nnnnnn}`, one sequence per kind and year, by filing."""
    counters: dict[tuple[str, int], int] = {}
    for case in sorted(cases, key=lambda c: (c.filed_date, c.case_key)):
        code = "GC" if case.kind == "eviction" else "CR"
        year = case.filed_date.year
        n = counters.get((code, year), 0) + 1
        counters[(code, year)] = n
        case.case_number = f"{year % 100:02d}-{code}-{n:06d}"


def _bookings(ctx: _Ctx, stays: list[_Stay]) -> list[Booking]:
    """Number every stay by booking time; keep those that reach into the world's span."""
    rng = ctx.rng
    timed = [(ctx.days.at(s.booked, ctx.ri(0, 23), ctx.ri(0, 59)), s) for s in stays]
    timed.sort(key=lambda pair: (pair[0], pair[1].person.person_key))
    counters: dict[int, int] = {}
    bookings = []
    for booked_at, stay in timed:
        n = counters.get(booked_at.year, 0) + 1
        counters[booked_at.year] = n
        if stay.release is not None and stay.release <= _START:
            continue
        charges = [
            BookingCharge(
                statute=spec[0],
                description=spec[1],
                degree=spec[2],
                charge_class=spec[3],
                court_case_number=case.case_number
                if case is not None and case.case_number
                else None,
            )
            for spec, case in stay.charges
        ]
        bookings.append(
            Booking(
                booking_number=f"{booked_at.year}-{n:07d}",
                person_key=stay.person.person_key,
                booked_at=booked_at,
                released_on=ctx.days(stay.release) if stay.release is not None else None,
                custody=[StatusChange(ctx.days(o), s) for o, s in stay.custody if o <= _END],
                housing=_housing(ctx, rng, stay.person.sex),
                charges=charges,
                bond_type=stay.bond_type,
                bond_amount=_money(stay.bond_cents) if stay.bond_cents is not None else None,
                arresting_agency=stay.agency,
            )
        )
    return bookings


def _housing(ctx: _Ctx, rng: random.Random, sex: str) -> str:
    if rng.random() < 0.03:
        return pl.SPECIAL_HOUSING[ctx.ri(0, len(pl.SPECIAL_HOUSING) - 1)]
    facility = pl.FEMALE_FACILITY if sex == "F" else pl.MALE_FACILITY
    floor = pl.POD_FLOORS[ctx.ri(0, len(pl.POD_FLOORS) - 1)]
    return f"{facility} - Pod {floor}{pl.POD_LETTERS[ctx.ri(0, len(pl.POD_LETTERS) - 1)]}"


def generate_world(seed: int, scale: float = 1.0) -> World:
    """The whole world for `seed` at `scale` (1.0 ≈ 5,400 cases; linear in scale)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    rng = random.Random(seed)
    days = _Days(_FIRST - 30, _END + 400)
    ctx = _Ctx(rng, scale, days, {}, [], _rooms())
    people = _People(rng)
    ctx.judges, ctx.special_judges = _officers(ctx, people)
    homes = _Homes(ctx)
    cases = _Evictions(ctx, people, homes).generate()
    criminal = _Criminal(ctx, people, homes)
    criminal.generate()
    cases.extend(criminal.cases)
    _number_cases(cases)
    cases.sort(key=lambda c: (c.filed_date, c.case_number))
    bookings = _bookings(ctx, criminal.stays)
    bookings.sort(key=lambda b: b.booking_number)
    return World(
        seed=seed,
        scale=scale,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        courts=list(COURTS),
        people=_referenced_people(people.created, cases, bookings),
        cases=cases,
        bookings=bookings,
        judicial_officers=sorted({*ctx.judges.values(), *ctx.special_judges}),
        courtrooms=sorted(set(ctx.rooms.values())),
    )


def _referenced_people(
    created: list[Person], cases: list[Case], bookings: list[Booking]
) -> dict[str, Person]:
    """Only the people some case or booking of the world refers to, by person_key."""
    keys = {p.person_key for c in cases for p in c.parties if p.person_key is not None}
    keys.update(b.person_key for b in bookings)
    return {p.person_key: p for p in created if p.person_key in keys}
