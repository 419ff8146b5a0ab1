"""Generate the simulator's world: people, court cases and jail bookings from a seed and a scale.

`generate_world(seed, scale)` builds a `World` (see `simulator.model`) spanning the fixed
dates STARTS_ON..ENDS_ON. It never depends on the simulated clock: every piece of data
carries the date from which a portal shows it, so advancing the clock only reveals more.
The same seed and scale always give the same world: all randomness comes from one local
`random.Random(seed)`; nothing depends on hashing, set order or the time of day.

Calibration at scale 1.0: about 20 eviction filings and 15 criminal cases a week (≈5,450
cases in all) and about 180–230 people in custody on any date, about 60% of them pretrial
(the rest sentenced or on holds). Every rate is linear in `scale`.

Identifier formats:
- case numbers `{yy}-GC-{nnnnnn}` (evictions) and `{yy}-CR-{nnnnnn}` (criminal): the
  two-digit filing year and a six-digit sequence per kind and year, in filing order;
- booking numbers `{yyyy}-{nnnnnnn}` (BOOKING_NUMBER_PATTERN): the booking year and a
  seven-digit sequence per year, in booking order;
- internal keys, never shown by a portal: `P{n}` people, `C{n}` cases, `{case}-{n}`
  parties, `{case}-H{n}` hearings;
- the court portal's numeric case ids (`Case.portal_case_id`, seven digits): increasing in
  filing order with gaps, from their own generator so they change no other draw;
- the jail's ids, each from a generator of its own as well: a permanent id per booked
  person (`Person.permanent_id`, six digits, increasing in order of first booking with
  gaps) and per booking a record id (`Booking.sys_id`, 14–15 digits) and a photo id
  (`Booking.img_sys_id`: the record id, another number, or "0" without a photo).

Jail facts derived without a draw: a booking charge's offense date (its court charge's;
the booking day for a hold), one detainer per hold charge (lodged at booking), and a bond
on each charge a court case backs (see `_stay_bonds`: the case's bond split over its
charges, and any later change up to the release; posted on the release day when the
release came on bond).

Jail warm-up: the criminal process starts WARMUP_DAYS before STARTS_ON, so the jail is at
its steady population on the first day. Cases filed before STARTS_ON are not part of the
world, and neither are stays that ended before it; a booking charge whose case was filed
before STARTS_ON carries no court case number, as if the case predated the portal's data.

Speed matters (≈100k cases in a few seconds): generation works on day ordinals (ints) with
one table of dates, draws with the bound `Random.random`, plans warm-up arrests in numbers
before building anything, builds the frozen records without their slow `__init__` (see
`_builder`), shares immutable values, and keeps the cyclic GC off the world (`_no_gc`).
"""

from __future__ import annotations

import gc
import hashlib
import math
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, fields, replace
from datetime import date, datetime, time
from decimal import Decimal
from itertools import accumulate, count
from typing import Generic, Literal, TypeVar

from simulator import charges as ch
from simulator import names as nm
from simulator import places as pl
from simulator.model import (
    Address,
    Attorney,
    Bond,
    Booking,
    BookingBond,
    BookingCharge,
    Case,
    Charge,
    CourtLocation,
    Detainer,
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
Draw = Callable[[], float]

STARTS_ON = date(2025, 1, 6)
ENDS_ON = date(2027, 12, 27)
WARMUP_DAYS = 540

EVICTIONS_PER_WEEK = 20.0
# New criminal cases a week in General Sessions and direct Criminal Court indictments;
# with the indictments that follow bind-overs the criminal total is ≈15 a week.
GS_CRIMINAL_PER_WEEK = 11.2
DIRECT_INDICTMENTS_PER_WEEK = 1.3
HOLDS_PER_WEEK = 4.5  # bookings on holds only, with no court case in this county

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

# GSC-4 posts late: each of its cases shows 3..posting_lag_days days after filing, and
# some (LATE_POSTING_SHARE) only LATE_POSTING_DAYS after: later than any partner's window.
LATE_POSTING_SHARE = 0.15
LATE_POSTING_DAYS = (61, 100)
# Docket churn on evictions (drawn from each case's own generator, so the rest of the
# world is the same with or without it): how often, and how many days after filing.
ADDED_DEFENDANT_SHARE = 0.12  # an amended complaint adds a defendant
ADDED_FIRST_COURTS = ("GSC-1", "GSC-3")  # these list an added defendant first
OCCUPANTS_DROPPED_SHARE = 0.3  # of the cases naming the occupants pseudo-party
REORDERED_SHARE = 0.25  # of the cases with two defendants or more
MISSPELLED_SHARE = 0.1  # a defendant's name printed with a typo, corrected later
CHURN_AFTER_DAYS = (8, 40)
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
_FOREVER = 10**9  # "never free again": still in custody when the world ends

_PODS = {
    sex: tuple(
        f"{facility} - Pod {floor}{letter}" for floor in pl.POD_FLOORS for letter in pl.POD_LETTERS
    )
    for sex, facility in (("M", pl.MALE_FACILITY), ("F", pl.FEMALE_FACILITY))
}
_MAX_SETTINGS = 5
_WEEKDAY_WEIGHTS = (1.25, 1.1, 1.0, 1.0, 0.65)  # filings Monday..Friday
_HEARING_TIMES = tuple(
    time(h, m) for h, m in ((9, 0), (9, 0), (9, 30), (10, 0), (10, 30), (13, 0), (13, 30))
)
_PLAINTIFF_WINS = ("Default Judgment", "Judgment for Plaintiff")
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
# Who lodges each kind of hold (the detainer's agency and type), and the federal hold of
# someone the U.S. Marshals brought in.
_DETAINERS: dict[str, tuple[str, str]] = {
    "HOLD - OTHER JURISDICTION": ("OTHER JURISDICTION", "HOLD"),
    "FUGITIVE FROM JUSTICE": ("OUT OF STATE AGENCY", "FUGITIVE WARRANT"),
    "VIOLATION OF PROBATION": ("PROBATION AND PAROLE", "VIOLATION WARRANT"),
    "HOLD - TDOC": ("TENNESSEE DEPT OF CORRECTION", "STATE HOLD"),
}
_FEDERAL_DETAINER = ("U.S. MARSHALS SERVICE", "FEDERAL HOLD")
_POSTED_BY = {"Cash": "SELF", "Property": "PROPERTY OWNER"}
_BONDING_COMPANIES = (
    "A-1 BONDING CO",
    "FREEDOM BAIL BONDS",
    "RIVERSIDE BONDING",
    "SECOND CHANCE BAIL BONDS",
    "LIBERTY SURETY CO",
)


class _Weighted(Generic[T]):
    """A weighted pool: `pick` costs one random draw and one bisection."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        listed = list(pairs)
        self._items = [item for item, _ in listed]
        cum = list(accumulate(weight for _, weight in listed))
        self._total = cum[-1]
        cum[-1] = math.inf  # a draw rounding up to the total still lands on the last item
        self._cum = cum

    def pick(self, rnd: Draw) -> T:
        return self._items[bisect_right(self._cum, rnd() * self._total)]


def _builder(cls: type[T]) -> Callable[..., T]:
    """A fast positional constructor for a frozen model dataclass.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`; over a
    million small records that is a fifth of the generation time. The builder writes the
    fields straight into the new instance's `__dict__`, the way `pickle` and `copy`
    restore such objects: same fields, equality, hash and repr, still frozen. Like
    `dataclasses` itself it compiles the function from source. It refuses classes it
    could not build faithfully, so a change to the model (slots, `__post_init__`,
    default factories) fails at import, not silently."""
    fs = fields(cls)  # type: ignore[arg-type]
    unsupported = "__slots__" in vars(cls) or hasattr(cls, "__post_init__")
    if unsupported or any(not f.init or f.default_factory is not MISSING for f in fs):
        raise TypeError(f"cannot build {cls.__name__} without its __init__")
    params = ", ".join(
        f.name if f.default is MISSING else f"{f.name}=_default_{f.name}" for f in fs
    )
    namespace: dict[str, object] = {"_new": object.__new__, "_cls": cls}
    namespace.update({f"_default_{f.name}": f.default for f in fs if f.default is not MISSING})
    source = "\n".join(
        (
            f"def build({params}):",
            "    obj = _new(_cls)",
            "    attrs = obj.__dict__",
            *(f"    attrs[{f.name!r}] = {f.name}" for f in fs),
            "    return obj",
        )
    )
    exec(source, namespace)
    return namespace["build"]  # type: ignore[return-value]


_make_address = _builder(Address)
_make_bond = _builder(Bond)
_make_booking_bond = _builder(BookingBond)
_make_booking_charge = _builder(BookingCharge)
_make_charge = _builder(Charge)
_make_event = _builder(Event)
_make_hearing = _builder(Hearing)
_make_judgment = _builder(Judgment)
_make_name = _builder(Name)
_make_party = _builder(Party)
_make_payment = _builder(Payment)
_make_person = _builder(Person)
_make_status = _builder(StatusChange)


def _weekday(o: int) -> int:
    """The day itself when it is a weekday, else the next Monday (`o` is an ordinal)."""
    wd = (o + 6) % 7
    return o + 7 - wd if wd >= 5 else o


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _triangular(u: float, low: int, high: int, mode: int) -> int:
    """Whole years drawn from a triangular distribution by inverting its CDF at `u`."""
    span = high - low
    c = (mode - low) / span
    if u < c:
        return low + int(span * math.sqrt(u * c))
    return high - int(span * math.sqrt((1 - u) * (1 - c))) - 1


def _seen(o: int | None) -> int | None:
    """A day as the world knows it: None once it falls after ENDS_ON."""
    return o if o is not None and o <= _END else None


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC while building the world, then freeze what is alive.

    The world is millions of acyclic objects that live as long as the process serves it.
    Scanning them would cost ~30% during generation and, after it, several full passes
    (seconds at 100k cases) plus pauses while serving. `gc.freeze()` moves every object
    alive now to the permanent generation, which the collector never scans; reference
    counting still frees the world when it is dropped, since it holds no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


class _Ctx:
    """What every part of the generator shares: the RNG, the day table, the courts."""

    def __init__(self, seed: int, scale: float) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.rnd: Draw = self.rng.random
        self.scale = scale
        # Ordinal → date for every day generation touches, each date built once. Birth
        # dates, far outside the span, use `date.fromordinal` directly.
        table = {o: date.fromordinal(o) for o in range(_FIRST - 400, _END + 1000)}
        self.days: Callable[[int], date] = table.__getitem__
        self.judges: dict[str, str] = {}  # court code → presiding judicial officer
        self.special_judges: list[str] = []
        self.rooms = _courtrooms()
        self.case_count = 0
        # Immutable values many records share (a status on a day, an amount), built once.
        self._statuses: dict[tuple[int, str], StatusChange] = {}
        self._money: dict[int, Decimal] = {}

    def status(self, on: int, status: str) -> StatusChange:
        key = (on, status)
        change = self._statuses.get(key)
        if change is None:
            change = self._statuses[key] = _make_status(self.days(on), status)
        return change

    def money(self, cents: int) -> Decimal:
        amount = self._money.get(cents)
        if amount is None:
            amount = self._money[cents] = Decimal(cents).scaleb(-2)
        return amount

    def ri(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]; cheaper than `Random.randint`."""
        return lo + int(self.rnd() * (hi - lo + 1))

    def new_case_key(self) -> str:
        self.case_count += 1
        return f"C{self.case_count:07d}"

    def this_week(self, per_week: float, carry: list[float]) -> int:
        """This week's number of filings: noisy around the rate, exact on average."""
        carry[0] += per_week * self.scale * (0.8 + 0.4 * self.rnd())
        n = int(carry[0])
        carry[0] -= n
        return n

    def at(self, o: int, hour: int, minute: int) -> datetime:
        d = self.days(o)
        return datetime(d.year, d.month, d.day, hour, minute)


def _courtrooms() -> dict[str, str]:
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


class _People:
    """Creates people with realistic, sometimes hard, names; a few share name and birth date."""

    def __init__(self, ctx: _Ctx) -> None:
        self.rnd = ctx.rnd
        self.rng = ctx.rng
        self.male = _Weighted(nm.MALE_FIRST)
        self.female = _Weighted(nm.FEMALE_FIRST)
        self.hisp_male = _Weighted(nm.HISPANIC_MALE_FIRST)
        self.hisp_female = _Weighted(nm.HISPANIC_FEMALE_FIRST)
        self.surnames = _Weighted(nm.SURNAMES)
        self.hisp_surnames = _Weighted(nm.HISPANIC_SURNAMES)
        self.suffixes = _Weighted(nm.SUFFIXES)
        self.races = _Weighted(RACES)
        self.created: list[Person] = []
        self._twin_in = self._gap()
        self._namesake_in = self._gap() // 2

    def _gap(self) -> int:
        """People created between two deliberate same-name cases."""
        return 60 + int(self.rnd() * 140)

    def name(self, sex: Sex, hispanic: bool) -> Name:
        rnd = self.rnd
        if hispanic and rnd() < 0.8:
            firsts = self.hisp_male if sex == "M" else self.hisp_female
        else:
            firsts = self.male if sex == "M" else self.female
        first = firsts.pick(rnd)
        r = rnd()
        if r < 0.35:
            middle = ""
        elif r < 0.5:
            middle = nm.MIDDLE_INITIALS[int(rnd() * len(nm.MIDDLE_INITIALS))]
        else:
            middle = firsts.pick(rnd)
        if middle == first:
            middle = ""
        last = (self.hisp_surnames if hispanic else self.surnames).pick(rnd)
        if rnd() < (0.07 if sex == "F" else 0.015):
            other = self.surnames.pick(rnd)
            if other != last:
                last = f"{last}-{other}"
        suffix = self.suffixes.pick(rnd) if sex == "M" and rnd() < 0.07 else ""
        return _make_name(first, last, middle, suffix)

    def new(
        self,
        on: int,
        ages: tuple[int, int, int],
        male_share: float,
        address: Address | None,
        aliases: bool = False,
    ) -> Person:
        """A new person aged `ages` (low, high, mode) on day `on`."""
        rnd = self.rnd
        created = self.created
        self._twin_in -= 1
        self._namesake_in -= 1
        sex: Sex
        if self._twin_in <= 0 and created:
            # A distinct person with the same name and date of birth as someone else.
            self._twin_in = self._gap()
            src = self._recent()
            name, dob, race, sex = src.name, src.dob, src.race, src.sex
        else:
            sex = "M" if rnd() < male_share else "F"
            race = self.races.pick(rnd)
            name = self.name(sex, race == "Hispanic")
            age = _triangular(rnd(), *ages)
            dob = date.fromordinal(on - age * 365 - age // 4 - int(rnd() * 365))
            if self._namesake_in <= 0 and created:
                # The same name as someone else, another date of birth.
                self._namesake_in = self._gap()
                src = self._recent()
                name, sex = src.name, src.sex
        akas = self._aliases(name) if aliases and rnd() < 0.13 else ()
        person = _make_person(f"P{len(created) + 1:07d}", name, dob, race, sex, akas, address)
        created.append(person)
        return person

    def _recent(self) -> Person:
        """One of the last few hundred people created."""
        created = self.created
        return created[len(created) - 1 - int(self.rnd() * min(len(created), 400))]

    def _aliases(self, name: Name) -> tuple[Name, ...]:
        """One or two AKA names: a nickname, a spelling without punctuation, another surname."""
        variants: list[Name] = []
        if name.first in nm.NICKNAMES:
            variants.append(_make_name(nm.NICKNAMES[name.first], name.last))
        plain = _fold_accents(name.last).replace("'", "").replace(" ", "")
        if plain != name.last:
            variants.append(_make_name(name.first, plain, name.middle))
        if "-" in name.last:
            variants.append(_make_name(name.first, name.last.split("-")[1]))
        if len(name.middle) > 1:
            variants.append(_make_name(name.middle, name.last))
        variants.append(_make_name(name.first, self.surnames.pick(self.rnd)))
        self.rng.shuffle(variants)
        keep = 1 if self.rnd() < 0.8 else 2
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
            rnd = ctx.rnd
            n = 1 + int(rnd() * 24) if "{b}" in self.unit_style else 101 + int(rnd() * 1324)
            unit = self.unit_style.format(n=n, b="ABCDEF"[int(rnd() * 6)])
        return _make_address(self.street, self.city, pl.STATE, self.zip_code, unit)


class _Homes:
    """Street addresses across Memphis and its suburbs."""

    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx
        self.memphis = list(pl.MEMPHIS_STREETS)
        self.suburbs = list(pl.SUBURBS)

    def street(self) -> tuple[str, str, str]:
        """(`1234 Lamar Ave`, city, zip)."""
        rnd = self.ctx.rnd
        if rnd() < pl.SUBURB_SHARE:
            city, streets, zips = self.suburbs[int(rnd() * len(self.suburbs))]
            street = streets[int(rnd() * len(streets))]
        else:
            city = pl.CITY
            street, zips = self.memphis[int(rnd() * len(self.memphis))]
        number = 100 + int(rnd() * 900) if rnd() < 0.3 else 1000 + int(rnd() * 6000)
        return f"{number} {street}", city, zips[int(rnd() * len(zips))]

    def home(self) -> Address:
        street, city, zip_code = self.street()
        unit = f"Apt {self.ctx.ri(1, 30)}" if self.ctx.rnd() < 0.2 else ""
        return _make_address(street, city, pl.STATE, zip_code, unit)

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


def _name_text(name: Name) -> str:
    """`First M. Last`, the way attorneys are listed."""
    middle = f" {name.middle[0]}." if name.middle else ""
    return f"{name.first}{middle} {name.last}"


def _landlords(ctx: _Ctx, people: _People, homes: _Homes) -> _Weighted[_Landlord]:
    """Businesses and a few individuals; a handful of very frequent filers."""
    rnd = ctx.rnd
    attorneys = [
        Attorney(_name_text(people.name("M" if rnd() < 0.6 else "F", False)), "Retained")
        for _ in range(10 + int(6 * ctx.scale**0.5))
    ]
    counsel = _Weighted((a, 1 / (i + 1)) for i, a in enumerate(attorneys))
    forms = _Weighted(pl.LANDLORD_FORMS)
    taken: set[str] = set()
    landlords: list[tuple[_Landlord, float]] = []
    for i in range(int(30 + 220 * ctx.scale**0.6)):
        address = homes.home()
        if i >= 8 and rnd() < 0.18:
            person = people.new(_START, (30, 80, 55), 0.55, address)
            display, business = person.name.display(), None
            lawyer = counsel.pick(rnd) if rnd() < 0.3 else None
            props = [homes.rental(False) for _ in range(ctx.ri(1, 3))]
        else:
            person = None
            display = business = _business_name(ctx, forms, taken)
            lawyer = counsel.pick(rnd) if rnd() < 0.85 else None
            props = [homes.rental(True) for _ in range(ctx.ri(3, 8) if i < 20 else ctx.ri(1, 2))]
        landlord = _Landlord(display, business, person, address, lawyer, props)
        landlords.append((landlord, 1 / (i + 1) ** 0.9))
    return _Weighted(landlords)


def _business_name(ctx: _Ctx, forms: _Weighted[str], taken: set[str]) -> str:
    """A landlord name not used yet: `{word} Properties LLC`, `{word} {word} Holdings LLC`,
    and once those run short, numbered series such as `Oakwood 3 Properties LLC`."""
    rnd = ctx.rnd
    for attempt in range(40):
        word = pl.LANDLORD_WORDS[int(rnd() * len(pl.LANDLORD_WORDS))]
        if rnd() < 0.5:
            word = f"{word} {pl.LANDLORD_SECOND_WORDS[int(rnd() * len(pl.LANDLORD_SECOND_WORDS))]}"
        if attempt >= 20:
            word = f"{word} {len(taken) + 1}"
        name = forms.pick(rnd).format(w=word)
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("a numbered landlord name is always new")


class _StatusLog:
    """Status changes collected as (ordinal, status); a change dated on or before the
    latest one replaces it, and changes after ENDS_ON are dropped."""

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

    def build(self, ctx: _Ctx) -> list[StatusChange]:
        return [ctx.status(o, s) for o, s in self.changes]


class _Docket:
    """The dated pieces of one case, dropping whatever would show after ENDS_ON."""

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

    def event(self, on: int, event_type: str, description: str, visible: int = 0) -> None:
        """A docket entry dated `on`, shown from `visible` (default: the same day)."""
        seen = visible or on
        if seen <= _END:
            days = self.ctx.days
            self.events.append(_make_event(days(on), event_type, description, days(seen)))

    def hearing(
        self,
        set_on: int,
        at: int,
        hearing_type: str,
        result: str | None = None,
        canceled: int | None = None,
        reason: str | None = None,
    ) -> None:
        """A setting made on `set_on` for day `at`; its result shows from `at`."""
        if set_on > _END:
            return
        ctx = self.ctx
        rnd = ctx.rnd
        days = ctx.days
        day = days(at)
        if rnd() < 0.06:
            officer = ctx.special_judges[int(rnd() * len(ctx.special_judges))]
        else:
            officer = ctx.judges[self.court]
        shown = result is not None and at <= _END
        cancel = canceled is not None and canceled <= _END
        self.hearings.append(
            _make_hearing(
                f"{self.key}-H{len(self.hearings) + 1}",
                datetime.combine(day, _HEARING_TIMES[int(rnd() * len(_HEARING_TIMES))]),
                hearing_type,
                ctx.rooms[self.court],
                officer,
                days(set_on),
                result if shown else None,
                day if shown else None,
                days(canceled) if cancel and canceled is not None else None,
                reason if cancel else None,
            )
        )

    def payment(self, on: int, cents: int) -> None:
        if on <= _END:
            ctx = self.ctx
            self.payments.append(_make_payment(ctx.days(on), ctx.money(cents)))


class _Evictions:
    """Eviction (detainer warrant) cases with their whole lifecycle."""

    def __init__(self, ctx: _Ctx, people: _People, homes: _Homes) -> None:
        self.ctx = ctx
        self.people = people
        self.homes = homes
        self.landlords = _landlords(ctx, people, homes)
        self.outcomes = _Weighted(_EVICTION_OUTCOMES)
        self.courts = _Weighted(zip(COURTS[:4], (0.3, 0.26, 0.24, 0.2), strict=True))
        self.tenant_counsel = [
            Attorney(_name_text(people.name("F", False)), "Retained") for _ in range(6)
        ]

    def generate(self) -> list[Case]:
        ctx = self.ctx
        cases: list[Case] = []
        carry = [0.0]
        weekdays = _Weighted(enumerate(_WEEKDAY_WEIGHTS))
        for week in range(_START, _END + 1, 7):
            n = ctx.this_week(EVICTIONS_PER_WEEK, carry)
            for f in sorted(week + weekdays.pick(ctx.rnd) for _ in range(n)):
                if f <= _END:
                    cases.append(self.case(f, self.courts.pick(ctx.rnd)))
        return cases

    def case(self, f: int, court: CourtLocation) -> Case:
        ctx = self.ctx
        days = ctx.days
        key = ctx.new_case_key()
        posted = f + ctx.ri(3, court.posting_lag_days) if court.posting_lag_days else f
        landlord = self.landlords.pick(ctx.rnd)
        parties = self._defendants(key, landlord, f)
        parties.insert(0, self._plaintiff(key, landlord, f))
        plan = _EvictionPlan(ctx, key, f, court.code, len(parties) - 1)
        churn = _Churn(ctx, key, f)
        late = court.posting_lag_days and churn.happens(LATE_POSTING_SHARE)
        late_days = churn.days(LATE_POSTING_DAYS)
        parties = churn.parties(parties, self.people.created)
        plan.run(self.outcomes.pick(ctx.rnd), landlord.display)
        case = Case(
            key,
            "eviction",
            court.code,
            "",
            "Eviction",
            days(f),
            days(posted),
            ctx.judges[court.code],
            plan.status.build(ctx),
            parties,
            plan.events,
            plan.hearings,
            plan.judgments,
            [],
            [],
            ctx.money(plan.fees),
            plan.payments,
            reordered_from=churn.reordered_from(parties),
            added_listed_first=court.code in ADDED_FIRST_COURTS,
        )
        self._maybe_seal(case, posted, plan.dismissed_on)
        if late and case.removed_on is None:  # a sealed case keeps its dates
            case.posted_on = days(f + late_days)
        return case

    def _plaintiff(self, key: str, landlord: _Landlord, f: int) -> Party:
        day = self.ctx.days(f)
        person = landlord.person
        return _make_party(
            f"{key}-1",
            "Plaintiff",
            person.person_key if person else None,
            person.name if person else None,
            landlord.business_name,
            False,
            landlord.address,
            day,
            landlord.attorney,
            day if landlord.attorney else None,
        )

    def _defendants(self, key: str, landlord: _Landlord, f: int) -> list[Party]:
        """1–3 tenants at the rental, often with the "all other occupants" pseudo-party."""
        ctx = self.ctx
        rnd = ctx.rnd
        home = landlord.properties[int(rnd() * len(landlord.properties))].address(ctx)
        r = rnd()
        # Mostly known at filing; some addresses arrive later, a few never.
        seen_from = f if r < 0.8 else (_seen(f + ctx.ri(3, 30)) if r < 0.94 else None)
        shown = home
        if rnd() < 0.015:
            # Some filings list several addresses in one field; they go in `street`.
            other, _, _ = self.homes.street()
            shown = _make_address(f"{home.street}; {other}", home.city, home.state, home.zip_code)
        r = rnd()
        count = 1 if r < 0.6 else (2 if r < 0.9 else 3)
        parties = [self._tenant(f"{key}-{i + 2}", shown, home, seen_from, f) for i in range(count)]
        if rnd() < 0.55:
            day = ctx.days(f)
            pseudo = _make_party(
                f"{key}-{count + 2}", "Defendant", None, None, pl.PSEUDO_OCCUPANTS, True, home, day
            )
            parties.append(pseudo)
        return parties

    def _tenant(
        self, party_key: str, shown: Address, home: Address, seen_from: int | None, f: int
    ) -> Party:
        ctx = self.ctx
        rnd = ctx.rnd
        days = ctx.days
        person = self.people.new(f, (19, 78, 33), 0.42, home)
        counsel = counsel_from = initials = None
        if rnd() < 0.04:
            counsel = self.tenant_counsel[int(rnd() * len(self.tenant_counsel))]
            counsel_from = _seen(f + ctx.ri(5, 30))
        if rnd() < 0.006:
            initials = _seen(f + ctx.ri(30, 365))
        return _make_party(
            party_key,
            "Defendant",
            person.person_key,
            person.name,
            None,
            False,
            shown if seen_from is not None else None,
            days(seen_from) if seen_from is not None else None,
            counsel if counsel_from is not None else None,
            days(counsel_from) if counsel_from is not None else None,
            days(initials) if initials is not None else None,
        )

    def _maybe_seal(self, case: Case, posted: int, dismissed_on: int | None) -> None:
        ctx = self.ctx
        if dismissed_on is not None and ctx.rnd() < 0.05:
            removed = max(dismissed_on, posted) + ctx.ri(30, 300)
        elif ctx.rnd() < 0.004:
            removed = posted + ctx.ri(60, 400)
        else:
            return
        if removed <= _END:
            case.removed_on = ctx.days(removed)
            case.removal_kind = "sealed"


class _EvictionPlan(_Docket):
    """The dated lifecycle of one eviction: service, hearings, judgment, writ, money."""

    def __init__(self, ctx: _Ctx, key: str, f: int, court: str, defendants: int) -> None:
        super().__init__(ctx, key, f, court)
        self.judgments: list[Judgment] = []
        self.fees = 11850 + 1500 * max(0, defendants - 1)
        self.dismissed_on: int | None = None

    def run(self, outcome: str, plaintiff: str) -> None:
        ctx = self.ctx
        rnd = ctx.rnd
        f = self.f
        if rnd() < 0.15:
            self.event(f, "Complaint Filed", "Sworn Complaint for Possession Filed")
        else:
            self.event(f, "Detainer Warrant Filed", "Detainer Warrant Filed")
        self.event(f + int(rnd() * 3), "Summons Issued", "Summons Issued")
        first = _weekday(f + ctx.ri(14, 35))
        if rnd() < 0.86:
            on = ctx.ri(f + 3, max(f + 3, first - 2))
            seen = on + int(rnd() * 7)
            self.event(on, "Service", f"Served {ctx.days(on).isoformat()}", seen)
            self.status.add(seen, "Pending")
            final = self._settings(first, None)
        else:
            on = f + ctx.ri(5, 12)
            self.event(on, "Service", "Not Served - Not Found", on + ctx.ri(1, 5))
            self.status.add(on, "Pending")
            final = self._settings(first, "Not Served")
            outcome = "Dismissed without Prejudice" if rnd() < 0.65 else "pending"
        self._conclude(outcome, final, plaintiff)

    def _settings(self, at: int, reason: str | None) -> tuple[int, int]:
        """Initial setting, maybe canceled and reset, maybe continued: (set_on, final day)."""
        ctx = self.ctx
        set_on = self.f
        if reason is not None or ctx.rnd() < 0.2:
            canceled = max(set_on + 1, at - ctx.ri(1, 7))
            why = reason or _EVICTION_CANCEL_REASONS[ctx.ri(0, 3)]
            self.hearing(set_on, at, "Initial Setting", None, canceled, why)
            set_on, at = canceled, _weekday(at + ctx.ri(14, 28))
        if ctx.rnd() < 0.15:
            self.hearing(set_on, at, "Detainer Hearing", "Continued")
            set_on, at = at, _weekday(at + ctx.ri(7, 21))
        return set_on, at

    def _conclude(self, outcome: str, final: tuple[int, int], plaintiff: str) -> None:
        ctx = self.ctx
        set_on, h = final
        if outcome == "pending":
            self.hearing(set_on, h, "Detainer Hearing")
            self._pay(self.fees // 2)
            return
        if outcome == "bankruptcy":
            self._bankruptcy(set_on, h)
            return
        won = outcome in _PLAINTIFF_WINS
        dismissed = outcome.startswith("Dismissed")
        self.hearing(
            set_on, h, "Detainer Hearing", "Dismissed" if dismissed else "Judgment Entered"
        )
        # Default judgments are entered on the hearing day but posted weeks later.
        seen = h + (ctx.ri(7, 35) if outcome == "Default Judgment" else ctx.ri(0, 3))
        amount = None
        if won and ctx.rnd() < 0.75:
            amount = ctx.money(ctx.ri(30000, 650000))
        self._judgment(h, outcome, plaintiff if won else "Defendant", amount, seen)
        if dismissed:
            self.dismissed_on = _seen(seen)
        self._pay(self.fees)
        if won:
            self._writ(h, seen)
        elif ctx.rnd() < 0.6:
            self.status.add(seen + ctx.ri(30, 120), "Closed")

    def _judgment(self, on: int, kind: str, for_: str, amount: Decimal | None, seen: int) -> None:
        if seen > _END:
            return
        days = self.ctx.days
        self.judgments.append(_make_judgment(days(on), kind, for_, amount, days(seen)))
        self.event(on, "Judgment", f"{kind} Entered", seen)
        self.status.add(seen, "Disposed")

    def _writ(self, judged: int, seen: int) -> None:
        """Writ of possession requested after the 10-day appeal window, issued, served."""
        ctx = self.ctx
        if ctx.rnd() >= 0.5:
            if ctx.rnd() < 0.3:
                self.status.add(seen + ctx.ri(60, 200), "Satisfied")
            return
        requested = max(judged + 11, seen) + ctx.ri(0, 20)
        issued = requested + ctx.ri(1, 5)
        self.event(requested, "Writ of Possession Requested", "Writ of Possession Requested")
        self.event(issued, "Writ of Possession Issued", "Writ of Possession Issued")
        if ctx.rnd() < 0.8:
            served = issued + ctx.ri(3, 14)
            day = ctx.days(served).isoformat()
            self.event(served, "Writ of Possession Served", f"Writ Served {day}", served + 1)
            self.status.add(served + 1, "Satisfied")

    def _bankruptcy(self, set_on: int, h: int) -> None:
        """A tenant's bankruptcy stays the case (the rare status); some are dismissed later."""
        ctx = self.ctx
        filed = max(set_on + 1, h - ctx.ri(1, 10))
        self.hearing(set_on, h, "Detainer Hearing", None, filed, "Bankruptcy Stay")
        self.event(filed, "Bankruptcy Notice", "Suggestion of Bankruptcy Filed")
        self.status.add(filed, RARE_STATUS)
        if ctx.rnd() < 0.5:
            lifted = filed + ctx.ri(90, 240)
            self._judgment(lifted, "Dismissed without Prejudice", "Defendant", None, lifted)
            self.dismissed_on = _seen(lifted)

    def _pay(self, cents: int) -> None:
        """Filing costs: mostly paid at filing, some in parts over the following weeks."""
        ctx = self.ctx
        f = self.f
        r = ctx.rnd()
        if r < 0.65:
            self.payment(f, cents)
        elif r < 0.9:
            part = cents // 2
            self.payment(f, part)
            self.payment(f + ctx.ri(20, 120), cents - part)
        elif r < 0.95:
            self.payment(f + ctx.ri(30, 200), cents)


@dataclass
class _Outcome:
    """How a criminal case ends: disposition (None = still pending), when, and jail time."""

    disposition: str | None
    on: int | None
    sentence_days: int = 0
    capias_on: int | None = None


class _CriminalPlan(_Docket):
    """The dated docket of one criminal case: filing, bond, counsel, settings, disposition."""

    def __init__(self, ctx: _Ctx, key: str, f: int, court: str) -> None:
        super().__init__(ctx, key, f, court)
        self.indicted = court.startswith("CC-")
        self.bonds: list[Bond] = []

    def run(
        self,
        outcome: _Outcome,
        bond: tuple[str, int | None],
        counsel: tuple[Attorney, int] | None,
    ) -> None:
        ctx = self.ctx
        f = self.f
        if self.indicted:
            self.event(f, "Indictment Filed", "True Bill - Indictment Filed")
            self.event(f, "Capias Issued", "Capias Issued on Indictment")
        else:
            self.event(f, "Affidavit of Complaint Filed", "Affidavit of Complaint Filed")
        self._bond(*bond)
        if counsel is not None:
            attorney, on = counsel
            verb = "Retained" if attorney.kind == "Retained" else "Appointed"
            self.event(on, f"Attorney {verb}", f"{attorney.kind} {verb}: {attorney.name}")
        first = _weekday(f + (ctx.ri(10, 30) if self.indicted else ctx.ri(1, 3)))
        self.status.add(first, "Pending")
        self._settings(first, outcome)
        self._dispose(outcome)

    def _bond(self, bond_type: str, cents: int | None) -> None:
        ctx = self.ctx
        f = self.f
        self.bonds.append(_make_bond(bond_type, ctx.money(cents or 0), ctx.days(f)))
        if cents is None:
            text = "Released on Recognizance" if bond_type == "ROR" else "Held Without Bond"
            self.event(f, "Bond Set", text)
            return
        self.event(f, "Bond Set", f"Bond Set: {bond_type} ${cents / 100:,.2f}")
        if ctx.rnd() < 0.12:
            changed = f + ctx.ri(7, 45)
            if changed <= _END:
                lower = max(50000, cents // 100000 * 50000)
                self.bonds.append(_make_bond("Surety", ctx.money(lower), ctx.days(changed)))
                self.event(changed, "Bond Reduced", f"Bond Reduced to Surety ${lower / 100:,.2f}")

    def _settings(self, at: int, outcome: _Outcome) -> None:
        """Settings every few weeks, some canceled and reset, up to the disposition.

        After _MAX_SETTINGS a case with a disposition jumps to it; one without keeps its
        last setting open (off the docket until something happens)."""
        ctx = self.ctx
        rnd = ctx.rnd
        end = outcome.capias_on if outcome.on is None else outcome.on
        set_on = self.f
        kind = "Arraignment"
        later = "Report Date" if self.indicted else "Preliminary Hearing"
        for settings in count(1):  # returns by the _MAX_SETTINGS-th at the latest
            if set_on > _END:
                return
            if settings >= _MAX_SETTINGS and end is None:
                self.hearing(set_on, at, kind)
                return
            if end is not None and (at >= end or settings >= _MAX_SETTINGS):
                result = "Failure to Appear" if outcome.on is None else None
                self.hearing(
                    set_on, end, kind, result or ch.HEARING_RESULTS[outcome.disposition or ""]
                )
                return
            if rnd() < 0.12 and at - set_on > 2:
                canceled = at - ctx.ri(1, min(5, at - set_on - 1))
                reason = ch.CANCEL_REASONS[int(rnd() * len(ch.CANCEL_REASONS))]
                self.hearing(set_on, at, kind, None, canceled, reason)
                set_on, at = canceled, _weekday(at + ctx.ri(7, 28))
                continue
            self.hearing(set_on, at, kind, "Reset")
            set_on, at, kind = at, _weekday(at + ctx.ri(28, 70)), later

    def _dispose(self, outcome: _Outcome) -> None:
        ctx = self.ctx
        if outcome.on is None:
            if outcome.capias_on is not None:
                self.event(outcome.capias_on, "Capias Issued", "Capias Issued - Failure to Appear")
            return
        on = outcome.on
        disposition = outcome.disposition or ""
        self.event(on, "Disposition", ch.DISPOSITION_EVENTS[disposition])
        if disposition == ch.BOUND_OVER:
            self.status.add(on, "Bound Over")
            return
        self.status.add(on, "Disposed")
        if disposition == ch.GUILTY:
            days = outcome.sentence_days
            text = f"Sentenced to {days} Days" if days else "Sentence Suspended - Probation"
            self.event(on, "Sentence Imposed", text)
            self.fees = ctx.ri(50000, 250000) if self.indicted else ctx.ri(28750, 65000)
            self._costs(on)
        if ctx.rnd() < 0.4:
            self.status.add(on + ctx.ri(60, 365), "Closed")

    def _costs(self, on: int) -> None:
        """Court costs after a conviction: paid in full, in 3–12 monthly parts (a third of
        payers stop part way), or not at all."""
        ctx = self.ctx
        r = ctx.rnd()
        if r < 0.15:
            self.payment(on + ctx.ri(0, 60), self.fees)
        elif r < 0.5:
            months = ctx.ri(3, 12)
            paid_months = months if ctx.rnd() < 0.67 else ctx.ri(1, months - 1)
            part = -(-self.fees // months // 100) * 100  # whole dollars, rounded up
            due, left = on + 30, self.fees
            for _ in range(paid_months):
                amount = min(part, left)
                if amount <= 0:
                    break
                self.payment(due, amount)
                left -= amount
                due += ctx.ri(25, 40)


@dataclass
class _Stay:
    """One planned stay in jail; becomes a Booking once case numbers are known."""

    person: Person
    booked: int
    charges: list[tuple[ch.ChargeSpec, Case | None]]
    bond: tuple[str, int | None]
    agency: str
    custody: list[tuple[int, str]]
    release: int | None  # None: still in custody at ENDS_ON


@dataclass
class _Jail:
    """A stay being planned, in numbers only: custody changes, release day, any hold."""

    booked: int
    custody: list[tuple[int, str]]
    release: int
    hold: ch.ChargeSpec | None = None


@dataclass
class _Indictment:
    """A Criminal Court case being planned: filing day, court, outcome, bond."""

    filed: int
    court: CourtLocation
    outcome: _Outcome
    bond: tuple[str, int | None]


def _spec(charge: Charge) -> ch.ChargeSpec:
    return (charge.statute, charge.description, charge.degree, charge.charge_class, 0.0)


class _Criminal:
    """Criminal cases and the jail stays they cause.

    Each arrest is planned in numbers first (outcome, bond, custody). During the warm-up
    an arrest that leaves no trace in the world (no case filed from STARTS_ON on, nobody
    still in custody then) is dropped before any person or case is built; only its
    booking day is kept, so that booking numbers still count it."""

    def __init__(self, ctx: _Ctx, people: _People, homes: _Homes) -> None:
        self.ctx = ctx
        self.people = people
        self.homes = homes
        self.cases: list[Case] = []
        self.stays: list[_Stay] = []
        self.unseen_bookings: list[int] = []  # booking days of dropped warm-up stays
        self.free_from: dict[str, int] = {}  # person_key → out of jail from this day
        self.capias: dict[str, Case] = {}  # person_key → a case left open by a capias
        self.defendants: list[Person] = []  # in creation order, for re-arrests
        self.misdemeanors = _Weighted((c, c[4]) for c in ch.MISDEMEANORS)
        self.felonies = _Weighted((c, c[4]) for c in ch.FELONIES)
        self.companions = _Weighted((c, c[4]) for c in ch.COMPANIONS)
        self.holds = _Weighted((c, c[4]) for c in ch.HOLDS)
        self.agencies = _Weighted(pl.ARRESTING_AGENCIES)
        self.gs_misd = _Weighted(ch.GS_MISDEMEANOR_OUTCOMES)
        self.gs_felony = _Weighted(ch.GS_FELONY_OUTCOMES)
        self.cc = _Weighted(ch.CRIMINAL_COURT_OUTCOMES)
        self.misd_bonds = _Weighted(ch.MISDEMEANOR_BONDS)
        self.felony_bonds = _Weighted(ch.FELONY_BONDS)
        self.counsel_kinds = _Weighted(_COUNSEL)
        self.gs_courts = [c for c in COURTS if c.code.startswith("GSCR-")]
        self.cc_courts = [c for c in COURTS if c.code.startswith("CC-")]
        size = ctx.scale**0.5
        self.attorneys: dict[str, list[Attorney]] = {
            kind: [
                Attorney(_name_text(people.name("M" if ctx.rnd() < 0.55 else "F", False)), kind)
                for _ in range(int(n * size) + 3)
            ]
            for kind, n in _COUNSEL_POOLS
        }

    def generate(self) -> None:
        ctx = self.ctx
        carries = ([0.0], [0.0], [0.0])
        weekdays = _Weighted(enumerate(_WEEKDAY_WEIGHTS))
        for week in range(_FIRST - (_FIRST - _START) % 7, _END + 1, 7):
            filings = [
                (week + weekdays.pick(ctx.rnd), 0)
                for _ in range(ctx.this_week(GS_CRIMINAL_PER_WEEK, carries[0]))
            ]
            filings += [
                (week + weekdays.pick(ctx.rnd), 1)
                for _ in range(ctx.this_week(DIRECT_INDICTMENTS_PER_WEEK, carries[1]))
            ]
            filings += [
                (week + ctx.ri(0, 6), 2) for _ in range(ctx.this_week(HOLDS_PER_WEEK, carries[2]))
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

    def defendant(self, f: int) -> Person:
        """A new person, or someone seen within about a year who is out of jail by now."""
        ctx = self.ctx
        known = self.defendants
        if known and ctx.rnd() < 0.16:
            window = min(len(known), int(700 * ctx.scale) + 20)
            for _ in range(3):
                person = known[len(known) - 1 - int(ctx.rnd() * window)]
                if self.free_from.get(person.person_key, 0) < f - 1:
                    return person
        address = self.homes.home() if ctx.rnd() < 0.92 else None
        person = self.people.new(f, (18, 66, 25), 0.8, address, aliases=True)
        known.append(person)
        return person

    # -- the three ways a case or a stay begins ---------------------------------------

    def general_sessions(self, f: int) -> None:
        """An arrest: a General Sessions case, maybe bound over to an indictment later."""
        ctx = self.ctx
        felony = ctx.rnd() < 0.4
        specs = self._charges(felony)
        r = ctx.rnd()
        offense = f if r < 0.6 else (f - 1 if r < 0.85 else f - ctx.ri(2, 30))
        court = self.gs_courts[ctx.ri(0, len(self.gs_courts) - 1)]
        outcome = self._outcome(self.gs_felony if felony else self.gs_misd, f, gs=True)
        bond = self._bond(felony)
        follow = None
        if outcome.disposition == ch.BOUND_OVER and outcome.on is not None:
            follow = self._plan_indictment(outcome.on + ctx.ri(30, 150))
        # Most are booked the day the affidavit is filed.
        jail = self._plan_jail(f, felony, bond, outcome, follow) if ctx.rnd() < 0.9 else None
        reports = [] if jail else self._plan_reports(outcome, follow)
        if not self._matters(f, follow, jail, reports):
            return
        person = self.defendant(f)
        prior = self.capias.pop(person.person_key, None)
        case = self._case(court, f, person, specs, offense, outcome, bond)
        follow_case = None
        if follow is not None:
            felonies = [s for s in specs if s[2] == "Felony"] or specs
            follow_case = self._case(
                follow.court, follow.filed, person, felonies, offense, follow.outcome, follow.bond
            )
        if jail is not None:
            extra = [(_spec(prior.charges[0]), prior)] if prior and prior.charges else []
            self._held(person, jail, case, bond, extra)
        self._served(person, reports, follow_case or case)
        self.free_from.setdefault(person.person_key, f)
        if follow_case is not None and follow is not None:
            self._remember(person, follow_case, follow.outcome)
        else:
            self._remember(person, case, outcome)

    def direct_indictment(self, f: int) -> None:
        """A grand jury indictment with no General Sessions case; the capias is served later."""
        ctx = self.ctx
        specs = self._charges(True)
        offense = f - ctx.ri(30, 365)
        plan = self._plan_indictment(f)
        jail = None
        if ctx.rnd() < 0.7:
            jail = self._plan_jail(f + ctx.ri(1, 60), True, plan.bond, plan.outcome, None)
        reports = [] if jail else self._plan_reports(plan.outcome, None)
        if not self._matters(f, None, jail, reports):
            return
        person = self.defendant(f)
        case = self._case(plan.court, f, person, specs, offense, plan.outcome, plan.bond)
        if jail is not None:
            self._held(person, jail, case, plan.bond, [])
        self._served(person, reports, case)
        self.free_from.setdefault(person.person_key, f)
        self._remember(person, case, plan.outcome)

    def hold_only(self, b: int) -> None:
        """Someone held for another jurisdiction or on a probation violation: no case here."""
        ctx = self.ctx
        r = ctx.rnd()
        stay = ctx.ri(1, 7) if r < 0.35 else (ctx.ri(8, 60) if r < 0.75 else ctx.ri(61, 180))
        if b + stay <= _START:
            self.unseen_bookings.append(b)
            return
        person = self.defendant(b)
        agency = "U.S. Marshals Service" if ctx.rnd() < 0.2 else "Shelby County Sheriff's Office"
        charges: list[tuple[ch.ChargeSpec, Case | None]] = [(self.holds.pick(ctx.rnd), None)]
        self._add(_Stay(person, b, charges, ("No Bond", None), agency, [(b, "Hold")], b + stay))

    # -- planning in numbers -------------------------------------------------------------

    def _charges(self, felony: bool) -> list[ch.ChargeSpec]:
        rnd = self.ctx.rnd
        specs = [(self.felonies if felony else self.misdemeanors).pick(rnd)]
        r = rnd()
        for _ in range(0 if r < 0.62 else (1 if r < 0.9 else 2)):
            extra = self.companions.pick(rnd)
            if extra not in specs:
                specs.append(extra)
        return specs

    def _outcome(self, pool: _Weighted[str | None], f: int, *, gs: bool) -> _Outcome:
        ctx = self.ctx
        disposition = pool.pick(ctx.rnd)
        if disposition is None:
            capias = f + ctx.ri(20, 120) if gs or ctx.rnd() < 0.5 else None
            return _Outcome(None, None, capias_on=capias)
        r = ctx.rnd()
        if disposition == ch.BOUND_OVER:
            on = f + ctx.ri(10, 90)
        elif gs:
            on = f + (
                ctx.ri(7, 45) if r < 0.4 else ctx.ri(46, 150) if r < 0.8 else ctx.ri(151, 400)
            )
        else:
            on = f + (
                ctx.ri(60, 240) if r < 0.5 else ctx.ri(241, 480) if r < 0.85 else ctx.ri(481, 800)
            )
        return _Outcome(disposition, on, self._sentence(gs) if disposition == ch.GUILTY else 0)

    def _sentence(self, gs: bool) -> int:
        """Days still to serve in this jail after a guilty plea (0: probation or time served).

        Criminal Court sentences to state prison wait here for transfer: 30–180 days."""
        ctx = self.ctx
        r = ctx.rnd()
        if gs:
            return 0 if r < 0.25 else (ctx.ri(2, 30) if r < 0.45 else ctx.ri(90, 329))
        return 0 if r < 0.2 else (ctx.ri(120, 329) if r < 0.65 else ctx.ri(30, 180))

    def _bond(self, felony: bool) -> tuple[str, int | None]:
        """(bond type, amount in cents); ROR and No Bond have no amount."""
        ctx = self.ctx
        bond_type = (self.felony_bonds if felony else self.misd_bonds).pick(ctx.rnd)
        if bond_type in ("ROR", "No Bond"):
            return bond_type, None
        amounts = ch.FELONY_BOND_AMOUNTS if felony else ch.MISDEMEANOR_BOND_AMOUNTS
        return bond_type, amounts[int(ctx.rnd() * len(amounts))] * 100

    def _plan_indictment(self, filed: int) -> _Indictment:
        court = self.cc_courts[self.ctx.ri(0, len(self.cc_courts) - 1)]
        return _Indictment(filed, court, self._outcome(self.cc, filed, gs=False), self._bond(True))

    def _plan_jail(
        self,
        booked: int,
        felony: bool,
        bond: tuple[str, int | None],
        outcome: _Outcome,
        follow: _Indictment | None,
    ) -> _Jail:
        """Out on bond soon, or held until the case (or the indictment after it) ends."""
        ctx = self.ctx
        custody = [(booked, "Pretrial")]
        release = self._bonded_out(booked, bond[0], felony)
        if release is None:
            release = self._release(custody, outcome, booked)
            if follow is not None:
                # Bound over: most stay in until the indictment is resolved.
                if ctx.rnd() < 0.7:
                    release = self._release(custody, follow.outcome, release)
                else:
                    release += ctx.ri(7, 90)
        jail = _Jail(booked, custody, release)
        if ctx.rnd() < 0.07:
            # Another jurisdiction's hold: released to it once this county is done.
            jail.hold = self.holds.pick(ctx.rnd)
            if release > custody[-1][0]:
                custody.append((release, "Hold"))
                jail.release = release + ctx.ri(1, 30)
        return jail

    def _bonded_out(self, booked: int, bond_type: str, felony: bool) -> int | None:
        """The release day when bond is made (at least the next day: every booking spends a
        night on the roster), None when held."""
        ctx = self.ctx
        if bond_type == "ROR":
            return booked + 1
        if bond_type == "No Bond" or ctx.rnd() >= (0.45 if felony else 0.7):
            return None
        r = ctx.rnd()
        return booked + (ctx.ri(1, 3) if r < 0.7 else ctx.ri(4, 14) if r < 0.9 else ctx.ri(15, 90))

    def _release(self, custody: list[tuple[int, str]], outcome: _Outcome, since: int) -> int:
        """Held until the disposition, then sentenced or released. A case that stays
        pending lets its defendant out some weeks or months later (bond reduced)."""
        if outcome.on is None:
            return since + self.ctx.ri(30, 360)
        if outcome.sentence_days:
            custody.append((outcome.on, "Sentenced"))
            return outcome.on + outcome.sentence_days
        return outcome.on

    def _plan_reports(self, outcome: _Outcome, follow: _Indictment | None) -> list[_Jail]:
        """Out of custody when sentenced to jail time: most are booked later to serve it."""
        reports = []
        for result in (outcome, follow.outcome if follow else None):
            if result is None or not result.sentence_days or result.on is None:
                continue
            if self.ctx.rnd() < 0.9:
                booked = result.on + self.ctx.ri(3, 30)
                custody = [(booked, "Sentenced")]
                reports.append(_Jail(booked, custody, booked + result.sentence_days))
        return reports

    def _matters(
        self, f: int, follow: _Indictment | None, jail: _Jail | None, reports: list[_Jail]
    ) -> bool:
        """Whether an arrest leaves a trace in the world; if not, only its bookings count."""
        if f >= _START or (follow is not None and follow.filed >= _START):
            return True
        stays = [jail, *reports] if jail is not None else reports
        if any(stay.release > _START for stay in stays):
            return True
        self.unseen_bookings.extend(stay.booked for stay in stays)
        return False

    # -- building cases and stays ----------------------------------------------------------

    def _case(
        self,
        court: CourtLocation,
        f: int,
        person: Person,
        specs: list[ch.ChargeSpec],
        offense: int,
        outcome: _Outcome,
        bond: tuple[str, int | None],
    ) -> Case:
        ctx = self.ctx
        days = ctx.days
        key = ctx.new_case_key()
        charges = self._case_charges(specs, offense, outcome)
        case_type = "Felony" if any(s[2] == "Felony" for s in specs) else "Misdemeanor"
        filed = days(f)
        if not _START <= f <= _END:
            # Outside the world's span: only the charges, for the jail stay it may cause.
            opened = [ctx.status(f, "Open")]
            shell = Case(key, "criminal", court.code, "", case_type, filed, filed, "", opened, [])
            shell.charges = charges
            return shell
        plan = _CriminalPlan(ctx, key, f, court.code)
        counsel = self._counsel(f)
        plan.run(outcome, bond, counsel)
        parties = [
            _make_party(f"{key}-1", "Plaintiff", None, None, pl.STATE_PARTY),
            self._defendant_party(key, person, f, counsel),
        ]
        case = Case(
            key,
            "criminal",
            court.code,
            "",
            case_type,
            filed,
            filed,
            ctx.judges[court.code],
            plan.status.build(ctx),
            parties,
            plan.events,
            plan.hearings,
            [],
            charges,
            plan.bonds,
            ctx.money(plan.fees),
            plan.payments,
        )
        self._maybe_expunge(case, f, outcome)
        self.cases.append(case)
        return case

    def _counsel(self, f: int) -> tuple[Attorney, int] | None:
        """Defense counsel and the day they appear on the docket (None: none on file)."""
        ctx = self.ctx
        kind = self.counsel_kinds.pick(ctx.rnd)
        on = f + ctx.ri(0, 14)
        if kind is None or on > _END:
            return None
        pool = self.attorneys[kind]
        return pool[int(ctx.rnd() * len(pool))], on

    def _defendant_party(
        self, key: str, person: Person, f: int, counsel: tuple[Attorney, int] | None
    ) -> Party:
        ctx = self.ctx
        days = ctx.days
        initials = _seen(f + ctx.ri(60, 500)) if ctx.rnd() < 0.004 else None
        address = person.address
        return _make_party(
            f"{key}-2",
            "Defendant",
            person.person_key,
            person.name,
            None,
            False,
            address,
            days(f) if address is not None else None,
            counsel[0] if counsel else None,
            days(counsel[1]) if counsel else None,
            days(initials) if initials is not None else None,
        )

    def _case_charges(
        self, specs: list[ch.ChargeSpec], offense: int, outcome: _Outcome
    ) -> list[Charge]:
        """The case's charges; on a guilty plea the companion charges are often dismissed."""
        ctx = self.ctx
        on = _seen(outcome.on)
        offense_day = ctx.days(offense)
        disposed_on = ctx.days(on) if on is not None else None
        charges = []
        for i, (statute, description, degree, klass, _) in enumerate(specs):
            disposition = outcome.disposition if on is not None else None
            if disposition == ch.GUILTY and i > 0 and ctx.rnd() < 0.6:
                disposition = ch.DISMISSED
            charges.append(
                _make_charge(
                    i + 1,
                    statute,
                    description,
                    degree,
                    klass,
                    offense_day,
                    disposition,
                    disposed_on,
                )
            )
        return charges

    def _maybe_expunge(self, case: Case, f: int, outcome: _Outcome) -> None:
        ctx = self.ctx
        kind: RemovalKind
        cleared = outcome.disposition in (ch.DISMISSED, ch.NOLLE, ch.NOT_GUILTY)
        if cleared and outcome.on is not None and ctx.rnd() < 0.04:
            removed, kind = outcome.on + ctx.ri(30, 365), "expunged"
        elif ctx.rnd() < 0.003:
            removed, kind = f + ctx.ri(60, 500), "sealed"
        else:
            return
        if removed <= _END:
            case.removed_on = ctx.days(removed)
            case.removal_kind = kind

    def _held(
        self,
        person: Person,
        jail: _Jail,
        case: Case,
        bond: tuple[str, int | None],
        extra: list[tuple[ch.ChargeSpec, Case | None]],
    ) -> None:
        """The stay for an arrest on `case` (plus an open capias case, plus any hold)."""
        charges: list[tuple[ch.ChargeSpec, Case | None]] = [(_spec(c), case) for c in case.charges]
        charges.extend(extra)
        if jail.hold is not None:
            charges.append((jail.hold, None))
        agency = self.agencies.pick(self.ctx.rnd)
        self._add(_Stay(person, jail.booked, charges, bond, agency, jail.custody, jail.release))

    def _served(self, person: Person, reports: list[_Jail], case: Case) -> None:
        """Stays to serve a sentence, booked on the lead charge of the sentencing case
        (the last case of the arrest: a bound-over case is never the one sentenced)."""
        charges: list[tuple[ch.ChargeSpec, Case | None]] = [(_spec(case.charges[0]), case)]
        agency = "Shelby County Sheriff's Office"
        for jail in reports:
            stay = _Stay(
                person, jail.booked, charges, ("No Bond", None), agency, jail.custody, jail.release
            )
            self._add(stay)

    def _add(self, stay: _Stay) -> None:
        if stay.booked > _END:
            return
        if stay.release is not None and stay.release > _END:
            stay.release = None
        key = stay.person.person_key
        out = stay.release if stay.release is not None else _FOREVER
        self.free_from[key] = max(self.free_from.get(key, 0), out)
        self.stays.append(stay)

    def _remember(self, person: Person, case: Case, outcome: _Outcome) -> None:
        """A case left open by a capias comes along when the person is next arrested."""
        if outcome.on is None and outcome.capias_on is not None:
            self.capias[person.person_key] = case


def _officers(ctx: _Ctx, people: _People) -> None:
    for court in COURTS:
        name = people.name("M" if ctx.rnd() < 0.5 else "F", False)
        ctx.judges[court.code] = f"{name.last}, {name.first}"
    for _ in range(4):
        name = people.name("M" if ctx.rnd() < 0.5 else "F", False)
        ctx.special_judges.append(f"{name.last}, {name.first} (Special Judge)")


def _number_cases(cases: list[Case]) -> list[Case]:
    """`{yy}-GC-{nnnnnn}` / `{yy}-CR-{nnnnnn}`, one sequence per kind and year, by filing.

    Returns the cases ordered by (filed_date, case_number): numbering in the order
    (filed_date, code, case_key) numbers them in exactly that order."""
    coded = sorted(
        ((c.filed_date, "GC" if c.kind == "eviction" else "CR", c.case_key, c) for c in cases),
        key=lambda row: row[:3],
    )
    counters: dict[tuple[str, int], int] = {}
    for filed, code, _, case in coded:
        year = filed.year
        n = counters.get((code, year), 0) + 1
        counters[(code, year)] = n
        case.case_number = f"{year % 100:02d}-{code}-{n:06d}"
    return [row[3] for row in coded]


def _portal_case_ids(seed: int, cases: list[Case]) -> None:
    """The portal's numeric case ids: increasing in filing order with gaps (other case
    kinds share the sequence), from a base and gaps fixed by the seed. A generator of its
    own, so the ids leave every other draw of the world as it was."""
    rnd = random.Random(seed * 7919 + 17).random
    next_id = 3_000_000 + int(rnd() * 1_000_000)
    for case in cases:
        next_id += 1 + int(rnd() * 40)
        case.portal_case_id = next_id


def _bookings(ctx: _Ctx, stays: list[_Stay], unseen: list[int]) -> list[Booking]:
    """Number every stay by booking time, counting the warm-up stays that were never
    built (`unseen` booking days); keep those still in custody on STARTS_ON or later."""
    rnd = ctx.rnd
    timed: list[tuple[int, int, str, _Stay | None]] = [
        (s.booked, int(rnd() * 1440), s.person.person_key, s) for s in stays
    ]
    timed.extend((b, int(rnd() * 1440), "", None) for b in unseen)
    timed.sort(key=lambda row: row[:3])
    counters: dict[int, int] = {}
    bookings = []
    days = ctx.days
    for booked, minute, _, stay in timed:
        year = days(booked).year
        n = counters.get(year, 0) + 1
        counters[year] = n
        if stay is None or (stay.release is not None and stay.release <= _START):
            continue
        # A case outside the world's span has no number: its charge shows none.
        charges = [
            _make_booking_charge(
                spec[0],
                spec[1],
                spec[2],
                spec[3],
                (case.case_number or None) if case else None,
                _offense_date(spec, case) if case else days(booked),
            )
            for spec, case in stay.charges
        ]
        bond_type, cents = stay.bond
        number = f"{year}-{n:07d}"
        bookings.append(
            Booking(
                number,
                stay.person.person_key,
                ctx.at(booked, minute // 60, minute % 60),
                days(stay.release) if stay.release is not None else None,
                [ctx.status(o, s) for o, s in stay.custody if o <= _END],
                _housing(ctx.rnd, stay.person.sex),
                charges,
                bond_type,
                ctx.money(cents) if cents is not None else None,
                stay.agency,
                _stay_bonds(ctx, stay, number),
                _detainers(ctx, stay),
            )
        )
    return bookings


def _offense_date(spec: ch.ChargeSpec, case: Case) -> date:
    """The offense date of the case's charge the booking charge copies."""
    same = (c for c in case.charges if (c.statute, c.description) == spec[:2])
    return next(same, case.charges[0]).offense_date


def _stay_bonds(ctx: _Ctx, stay: _Stay, number: str) -> list[BookingBond]:
    """The bonds the jail lists for a stay: one per booking charge a court case backs,
    the case's bond split over its charges in the booking (whole dollars, the remainder
    on its first charge), and again at each later change of that bond up to the release.
    An arrest case older than the world's data carries the stay's own bond. A stay that
    begins sentenced or on a hold has none, and holds never do. A release before any
    disposition, still pretrial, is on bond: every bond with an amount is posted that day
    (by the person for cash, the owner for property, a bonding company for a surety)."""
    if stay.custody[0][1] != "Pretrial":
        return []
    release = stay.release
    by_case: dict[int, list[int]] = {}  # id(case) → positions of its booking charges
    for position, (_, case) in enumerate(stay.charges, start=1):
        if case is not None:
            by_case.setdefault(id(case), []).append(position)
    cases = {id(case): case for _, case in stay.charges if case is not None}
    arrest = next(iter(cases.values()), None)
    first = arrest.charges[0] if arrest is not None and arrest.charges else None
    disposed = first.disposition_date if first is not None else None
    on_bond = (
        release is not None
        and stay.custody[-1][1] == "Pretrial"
        and (disposed is None or _ord(disposed) > release)
    )
    pick = int.from_bytes(hashlib.sha256(number.encode()).digest()[:4], "big")
    company = _BONDING_COMPANIES[pick % len(_BONDING_COMPANIES)]
    bonds = []
    for key, positions in by_case.items():
        case = cases[key]
        history = [b for b in case.bonds if release is None or _ord(b.set_on) <= release]
        if not history and case is arrest:
            bond_type, cents = stay.bond
            history = [_make_bond(bond_type, ctx.money(cents or 0), ctx.days(stay.booked))]
        for bond in history:
            payable = bond.bond_type not in ("ROR", "No Bond")
            posted_on = ctx.days(release) if on_bond and payable and release else None
            posted_by = _POSTED_BY.get(bond.bond_type, company) if posted_on else None
            shares = _split(int(bond.amount * 100), len(positions))
            for position, cents in zip(positions, shares, strict=True):
                amount = ctx.money(cents) if payable else None
                bonds.append(
                    _make_booking_bond(
                        case.case_number or None,
                        position,
                        bond.bond_type,
                        amount,
                        bond.set_on,
                        posted_on,
                        posted_by,
                    )
                )
    return bonds


class _Churn:
    """How one eviction's docket changes after filing, drawn from the case's own
    generator (seeded by the world's seed and the case key)."""

    def __init__(self, ctx: _Ctx, key: str, filed: int) -> None:
        self.ctx = ctx
        self.key = key
        self.filed = filed
        self.rnd = random.Random(f"{ctx.seed}:{key}:churn").random

    def happens(self, share: float) -> bool:
        return self.rnd() < share

    def days(self, span: tuple[int, int]) -> int:
        low, high = span
        return low + int(self.rnd() * (high - low + 1))

    def on(self) -> date:
        return self.ctx.days(self.filed + self.days(CHURN_AFTER_DAYS))

    def parties(self, parties: list[Party], people: list[Person]) -> list[Party]:
        """Typos corrected later, the occupants pseudo-party dropped, a defendant added
        (someone already in the world, at the tenants' address)."""
        out = []
        for party in parties:
            if party.is_pseudo and self.happens(OCCUPANTS_DROPPED_SHARE):
                party = replace(party, listed_until=self.on())
            elif party.role == "Defendant" and party.name and self.happens(MISSPELLED_SHARE):
                party = replace(party, misspelled_until=self.on())
            out.append(party)
        tenants = [p for p in parties if p.role == "Defendant" and not p.is_pseudo]
        named = {p.person_key for p in tenants}
        if tenants and people and self.happens(ADDED_DEFENDANT_SHARE):
            person = people[int(self.rnd() * len(people))]
            if person.person_key not in named:
                first = tenants[0]
                added = _make_party(
                    f"{self.key}-{len(parties) + 1}", "Defendant", person.person_key,
                    person.name, None, False, first.address, first.address_visible_from,
                )  # fmt: skip
                out.append(replace(added, listed_from=self.on()))
        return out

    def reordered_from(self, parties: list[Party]) -> date | None:
        people = [p for p in parties if p.role == "Defendant" and not p.is_pseudo]
        return self.on() if len(people) > 1 and self.happens(REORDERED_SHARE) else None


def _split(cents: int, parts: int) -> list[int]:
    """`cents` in `parts` whole-dollar shares, the remainder on the first."""
    share = cents // parts // 100 * 100
    return [cents - share * (parts - 1), *[share] * (parts - 1)]


def _detainers(ctx: _Ctx, stay: _Stay) -> list[Detainer]:
    """One detainer per hold charge (the charges no court case of this county backs)."""
    lodged = ctx.days(stay.booked)
    federal = stay.agency == "U.S. Marshals Service"
    detainers = []
    for spec, case in stay.charges:
        if case is None:
            agency, kind = _FEDERAL_DETAINER if federal else _DETAINERS[spec[1]]
            detainers.append(Detainer(agency, lodged, kind))
    return detainers


def _ord(day: date) -> int:
    return day.toordinal()


def _jail_ids(seed: int, bookings: list[Booking]) -> None:
    """Record and photo ids of the jail system, in booking-number order, from a
    generator of their own: 14–15 digits, unique; most photos share their record's id,
    some have another, some none ("0")."""
    rng = random.Random(seed * 104_729 + 29)
    taken: set[int] = set()

    def fresh() -> str:
        while True:
            value = rng.randrange(10**13, 10**15)
            if value not in taken:
                taken.add(value)
                return str(value)

    for booking in bookings:
        booking.sys_id = fresh()
        r = rng.random()
        booking.img_sys_id = "0" if r < 0.12 else (fresh() if r < 0.3 else booking.sys_id)


def _permanent_ids(seed: int, bookings: list[Booking], people: dict[str, Person]) -> None:
    """A permanent id for every booked person, in order of their first booking: six
    digits increasing with gaps, from a generator of their own."""
    rng = random.Random(seed * 15_485_863 + 7)
    next_id = 100_000 + int(rng.random() * 50_000)
    for booking in sorted(bookings, key=lambda b: (b.booked_at, b.booking_number)):
        person = people[booking.person_key]
        if person.permanent_id is None:
            next_id += 1 + int(rng.random() * 9)
            people[booking.person_key] = replace(person, permanent_id=str(next_id))


def _housing(rnd: Draw, sex: str) -> str:
    """A pod of the facility for the person's sex (`201 Poplar - Pod 3B`), a few special units."""
    if rnd() < 0.03:
        return pl.SPECIAL_HOUSING[int(rnd() * len(pl.SPECIAL_HOUSING))]
    pods = _PODS[sex]
    return pods[int(rnd() * len(pods))]


def _referenced_people(
    created: list[Person], cases: list[Case], bookings: list[Booking]
) -> dict[str, Person]:
    """Only the people some case or booking of the world refers to, by person_key."""
    keys = {p.person_key for c in cases for p in c.parties if p.person_key is not None}
    keys.update(b.person_key for b in bookings)
    return {p.person_key: p for p in created if p.person_key in keys}


def generate_world(seed: int, scale: float = 1.0) -> World:
    """The whole world for `seed` at `scale` (1.0 ≈ 5,500 cases; linear in scale)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    with _no_gc():
        return _generate(seed, scale)


def _generate(seed: int, scale: float) -> World:
    ctx = _Ctx(seed, scale)
    people = _People(ctx)
    _officers(ctx, people)
    homes = _Homes(ctx)
    cases = _Evictions(ctx, people, homes).generate()
    criminal = _Criminal(ctx, people, homes)
    criminal.generate()
    cases = _number_cases(cases + criminal.cases)
    _portal_case_ids(seed, cases)
    bookings = _bookings(ctx, criminal.stays, criminal.unseen_bookings)
    bookings.sort(key=lambda b: b.booking_number)
    _jail_ids(seed, bookings)
    referenced = _referenced_people(people.created, cases, bookings)
    _permanent_ids(seed, bookings, referenced)
    return World(
        seed,
        scale,
        STARTS_ON,
        ENDS_ON,
        list(COURTS),
        referenced,
        cases,
        bookings,
        sorted({*ctx.judges.values(), *ctx.special_judges}),
        sorted(set(ctx.rooms.values())),
    )
