"""Synthetic raw tables for the dbt models: fast, vectorized, deterministic.

`write_raw_tables(lake, cases=…, weeks=…, seed=…, start=…)` writes the compacted raw
tables (`raw/<table>/scrape_date=YYYY-MM-DD/data.parquet`, the contract of
`ingest.raw_tables`) straight from numpy arrays, without the simulator or a browser: 1M
cases (≈3M parties, ≈6M events) take well under a minute. `add_week(lake)` writes the next
weekly partition of the same world (new filings plus re-scraped recent cases), for the
incremental benchmark and the incremental build test. `run()` is the `make bench` entry:
a full `dbt build` on DuckDB, its peak memory, then the incremental build after a week.

The world: `cases` court cases (about 65% evictions, 35% criminal) filed at a constant rate
over three years up to the last scrape date. The first scrape date holds every case filed
by then (the backfill); each later week holds the new filings and re-scrapes of recent,
still-active cases, whose docket has grown since. A few cases are sealed: not found on two
consecutive visits, then tombstoned in `court_removals`. Each case version shows what a
case page shows: parties (criminal defendants with a date of birth, some masked to the
year) and their attorneys, docket events, hearings keyed by a stable hearing key (ids and
courtrooms only where the hearing search gave them), judgments, and a Financial section
with the fees on one party. Criminal defendants are booked into the jail, each under a
permanent id (a few bookings print the date of birth a day off); the IML roster lists
people in custody and people released in the last 30 days with their release date; the
person pages (charges with grade and degree, bonds, hearings, detainers on holds) and the
person-history candidates of people held follow.

Every random draw is a hash of (seed, entity, stream), never a sequential generator, so a
case looks the same whichever weeks are written and `add_week` continues the same world.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.names import PersonName, person_key
from ingest.raw_tables import RAW_TABLES, partition_key
from orchestration.dbt import DbtProject
from orchestration.weekly import WEEKLY_BUILD

Array = np.ndarray[Any, Any]

REPO = Path(__file__).resolve().parent.parent
STATUS_SEED = REPO / "seeds" / "case_status_map.csv"
MANIFEST = "raw/_manifests/generator.json"

HISTORY_DAYS = 3 * 365  # filings before the first scrape date (the backfill)
RESCRAPE_WINDOW_DAYS = 120
RESCRAPE_SHARE = 0.6
EVICTION_SHARE = 0.65
SEALED_SHARE = 0.01
EPOCH = date(1900, 1, 1).toordinal()  # day numbers below are ordinals minus EPOCH

COURTS_EVICTION = tuple(f"General Sessions Civil, Division {n}" for n in (1, 2, 3, 4))
COURTS_CRIMINAL = (
    *(f"General Sessions Criminal, Division {n}" for n in (7, 8, 9, 10)),
    *(f"Criminal Court, Division {n}" for n in (1, 2, 3)),
)
JUDGES = ("Hon. A. Brooks", "Hon. L. Carter", "Hon. M. Nguyen", "Hon. R. Ellis", "Hon. T. Ward")
SURNAMES = (
    "Smith", "Johnson", "Williams", "Jones", "Brown", "Davis", "Jackson", "Harris", "Taylor",
    "Wilson", "Thomas", "Moore", "White", "Robinson", "Walker", "Green", "Miller", "Anderson",
    "Bell", "Hall", "Turner", "Mitchell", "Payne", "Boyd", "Cole", "Dixon", "Ford", "Gray",
    "Gutiérrez", "De La Cruz", "Castillo", "Peña", "Muñoz", "Hernández", "Ramírez", "O'Neal",
    "McKinney", "Lee", "King", "Wright", "Scott", "Young", "Allen", "Hill", "Clark", "Lewis",
)  # fmt: skip
FIRST_NAMES = (
    "James", "Michael", "Robert", "John", "David", "William", "Richard", "Joseph", "Thomas",
    "Christopher", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
    "Jessica", "Sarah", "Karen", "José", "María", "Ángel", "Lucía", "Andrés", "Sofía",
    "Tyrone", "Keisha", "DeShawn", "Latoya", "Marcus", "Ebony", "Darnell", "Shanice",
)  # fmt: skip
MIDDLE = ("", "", "A", "B", "C", "D", "E", "J", "L", "M", "R", "T", "Lee", "Marie")
SUFFIX = ("", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "Jr", "Sr", "III")
STREETS = (
    "Lamar Ave", "Poplar Ave", "Summer Ave", "Elvis Presley Blvd", "Winchester Rd",
    "Getwell Rd", "Park Ave", "Jackson Ave", "Chelsea Ave", "Airways Blvd", "Millbranch Rd",
    "Kirby Pkwy", "Hickory Hill Rd", "Frayser Blvd", "Macon Rd", "Shelby Dr", "Raines Rd",
)  # fmt: skip
ZIPS = ("38104", "38106", "38109", "38111", "38114", "38115", "38116", "38118", "38127", "38128")
UNITS = ("", "", "Apt 4B", "Apt 12", "Unit 3", "# 210", "Apt C7", "Apt 101")
LANDLORD_WORDS = (
    "Vantage Point", "Highland Park", "Riverbend", "Summit Ridge", "Oakwood", "Cedar Ridge",
    "Bluff City", "Magnolia", "Willow Creek", "Parkway Village", "Chickasaw", "Delta Bend",
    "Pinnacle", "Stonebridge", "Maple Grove", "Raleigh Springs", "Hickory Pointe", "Audubon",
)  # fmt: skip
LANDLORD_FORMS = ("{} Properties LLC", "{} Apartments LLC", "{} Holdings LLC", "{} Homes LLC")
ATTORNEYS = ("Dana Whitfield", "Carl Osei", "Rita Gomez", "Paul Stein", "Nina Brooks")
SECOND_ATTORNEY_SHARE = 0.15  # represented parties listing two attorneys
MASKED_DOB_SHARE = 0.15  # criminal defendants whose date of birth shows only the year
PORTAL_CASE_ID_BASE = 3_000_000  # the portal's numeric case id = base + case index
PSEUDO_OCCUPANTS = "ALL OTHER OCCUPANTS"
# Docket churn (Params.churn): shares of eviction cases, and when after filing it happens.
ADDED_DEFENDANT_SHARE = 0.2  # a defendant added by an amended complaint
ADDED_FIRST_COURTS = (0, 2)  # Divisions 1 and 3 list an added defendant first
OCCUPANTS_DROPPED_SHARE = 0.4  # of the cases naming the occupants pseudo-party
REORDERED_SHARE = 0.3  # of the cases with two defendants or more: the list reversed
MISSPELLED_SHARE = 0.12  # defendants first printed misspelled, corrected later
INITIALS_SHARE = 0.1  # defendants later printed as initials (`S., J.`)
CHURN_AFTER_DAYS = (8, 40)  # a change shows on visits this many days after filing
LATE_COURT = 1  # Division 2 posts some cases late ...
LATE_SHARE = 0.3
LATE_DAYS = (61, 100)  # ... this long after filing: later than any partner's window
STATE_PARTY = "STATE OF TENNESSEE"
# (statute, description, degree, class)
CHARGES = (
    ("39-13-101", "ASSAULT", "Misdemeanor", "A"),
    ("39-13-111", "DOMESTIC ASSAULT", "Misdemeanor", "A"),
    ("39-14-103", "THEFT OF PROPERTY $1,000 OR LESS", "Misdemeanor", "A"),
    ("55-50-504", "DRIVING ON REVOKED LICENSE", "Misdemeanor", "B"),
    ("39-17-305", "DISORDERLY CONDUCT", "Misdemeanor", "C"),
    ("39-13-102", "AGGRAVATED ASSAULT", "Felony", "C"),
    ("39-14-402", "BURGLARY", "Felony", "D"),
    ("39-13-402", "AGGRAVATED ROBBERY", "Felony", "B"),
    ("39-14-103", "THEFT OF PROPERTY $1,000-$2,500", "Felony", "E"),
    ("39-13-202", "FIRST DEGREE MURDER", "Felony", "A"),
)
HOLD_CHARGE = ("40-9-103", "HOLD - OTHER JURISDICTION", "Felony", "")
RELEASED_LISTING_DAYS = 30  # the roster lists people released this many days back
DOB_TYPO_SHARE = 0.04  # bookings whose pages print the date of birth a day off
PERMANENT_ID_BASE = 1_000_000  # the jail's permanent id = base + person index
SECOND_BOND_SHARE = 0.2  # bookings with a second bond on their case
DISPOSITIONS = ("Guilty", "Dismissed", "Nolle Prosequi", "Bound Over to Grand Jury", "Retired")
EVICTION_EVENTS = (
    ("Complaint Filed", "Sworn Complaint for Possession Filed"),
    ("Summons Issued", "Summons Issued"),
    ("Service", "Served"),
    ("Hearing Set", "Detainer Hearing Set"),
    ("Judgment", "Judgment Entered"),
    ("Writ of Possession Requested", "Writ of Possession Requested"),
    ("Writ of Possession Issued", "Writ of Possession Issued"),
    ("Writ of Possession Served", "Writ Served"),
)
CRIMINAL_EVENTS = (
    ("Affidavit of Complaint Filed", "Affidavit of Complaint Filed"),
    ("Bond Set", "Bond Set"),
    ("Attorney Appointed", "Public Defender Appointed"),
    ("Preliminary Hearing", "Preliminary Hearing Held"),
    ("Report Date", "Report Date"),
    ("Disposition", "Disposition Entered"),
    ("Sentence Imposed", "Sentence Imposed"),
)
JUDGMENT_TYPES = (
    ("Default Judgment", "Plaintiff", 42),
    ("Judgment for Plaintiff", "Plaintiff", 24),
    ("Dismissed without Prejudice", "Defendant", 15),
    ("Dismissed with Prejudice", "Defendant", 5),
    ("Judgment for Defendant", "Defendant", 3),
)
# The document listed under a case's first event (eviction, criminal), as JSON text.
FIRST_DOCUMENTS = ('["Sworn Complaint for Possession"]', '["Affidavit of Complaint"]')
CANCEL_REASONS = ("Reset by Court", "Continued by Agreement", "Plaintiff Request")


# -- deterministic hashing ------------------------------------------------------------------


def _mix(x: Array) -> Array:
    """SplitMix64 finalizer over a uint64 array (wrapping arithmetic)."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


class Draws:
    """Uniform draws in [0, 1) keyed by (seed, stream, entity ids): order-independent."""

    def __init__(self, seed: int) -> None:
        self.seed = np.uint64(seed & 0xFFFFFFFF)

    def u(self, stream: int, *keys: Array | int) -> Array:
        with np.errstate(over="ignore"):
            acc = _mix(np.asarray(self.seed * np.uint64(1_000_003) + np.uint64(stream)))
            for key in keys:
                acc = _mix(
                    acc ^ (np.asarray(key).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
                )
        return (acc >> np.uint64(11)).astype(np.float64) / float(1 << 53)

    def ints(self, stream: int, low: int, high: int, *keys: Array | int) -> Array:
        """Integers in [low, high] inclusive."""
        return (low + np.floor(self.u(stream, *keys) * (high - low + 1))).astype(np.int64)

    def pick(self, stream: int, weights: Sequence[float], *keys: Array | int) -> Array:
        """Indices into `weights`, drawn with those weights."""
        cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
        return np.searchsorted(cumulative / cumulative[-1], self.u(stream, *keys), side="right")


# -- arrow helpers --------------------------------------------------------------------------


def _vocab(values: Sequence[str], index: Array) -> pa.Array:
    """`values[index]` as a plain string array (via a dictionary: no Python loop)."""
    dictionary = pa.array(list(values), type=pa.string())
    indices = pa.array(np.asarray(index, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())


def _null_where(values: pa.Array, mask: Array) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.nulls(len(values), values.type), values)


def _money(cents: Array) -> pa.Array:
    """Integer cents → '1234.50'."""
    cents = np.asarray(cents, dtype=np.int64)
    dollars = pc.cast(pa.array(cents // 100), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0")
    return pc.binary_join_element_wise(dollars, rest, ".")


def _zero_pad(numbers: Array, width: int) -> pa.Array:
    return pc.utf8_lpad(
        pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0"
    )


def _concat(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _ragged_arange(counts: Array) -> Array:
    """[0..c0-1, 0..c1-1, …] for counts c."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


class Calendar:
    """Day numbers → ISO strings, vectorized through a dictionary of every day in range."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        days = [date.fromordinal(EPOCH + d).isoformat() for d in range(first, last + 1)]
        self.iso = pa.array(days, type=pa.string())

    def dates(self, days: Array) -> pa.Array:
        index = pa.array(np.asarray(days, dtype=np.int64) - self.first)
        return pc.take(self.iso, index)


def day_number(day: date) -> int:
    return day.toordinal() - EPOCH


def year_of(days: Array) -> Array:
    """Calendar year of each day number (vectorized through a per-day lookup)."""
    days = np.asarray(days, dtype=np.int64)
    if not len(days):
        return np.zeros(0, dtype=np.int64)
    first, last = int(days.min()), int(days.max())
    lookup = np.array(
        [date.fromordinal(EPOCH + d).year for d in range(first, last + 1)], dtype=np.int64
    )
    return lookup[days - first]


def iso(day: int) -> str:
    return date.fromordinal(EPOCH + day).isoformat()


# -- the world ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    cases: int
    weeks: int
    seed: int
    start: date
    unmapped_status: str | None = None  # a status missing from the seed, on a few cases
    churn: bool = False  # dockets change the way courts change them (see DocketChurn)

    @property
    def first_scrape(self) -> int:
        return day_number(self.start)

    def scrape_day(self, week: int) -> int:
        return self.first_scrape + 7 * week

    @property
    def first_filed(self) -> int:
        return self.first_scrape - HISTORY_DAYS

    @property
    def rate(self) -> float:
        """Cases filed per day: `cases` filed by the last initial scrape date."""
        return self.cases / (HISTORY_DAYS + 7 * (self.weeks - 1) + 1)

    def cases_filed_by(self, day: int) -> int:
        """Number of cases (indices 0..n-1) filed on or before `day`."""
        return int(np.floor((day - self.first_filed + 1) * self.rate))

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "weeks": self.weeks,
            "seed": self.seed,
            "start": self.start.isoformat(),
            "unmapped_status": self.unmapped_status,
            "churn": self.churn,
        }


def load_status_seed(path: Path = STATUS_SEED) -> dict[str, str]:
    """status → status_class, from the dbt seed the models map statuses with."""
    with path.open(newline="") as handle:
        return {row["status"]: row["status_class"] for row in csv.DictReader(handle)}


class Cases:
    """Per-case attributes for case indices [0, n): all vectorized and order-independent."""

    def __init__(self, params: Params, n: int) -> None:
        draw = Draws(params.seed)
        self.params = params
        self.draw = draw
        idx = np.arange(n, dtype=np.int64)
        self.idx = idx
        self.n = n
        self.filed = params.first_filed + np.floor(idx / params.rate).astype(np.int64)
        self.is_eviction = draw.u(1, idx) < EVICTION_SHARE
        crim_court = draw.ints(3, 0, len(COURTS_CRIMINAL) - 1, idx)
        self.court_index = np.where(
            self.is_eviction,
            draw.ints(2, 0, len(COURTS_EVICTION) - 1, idx),
            len(COURTS_EVICTION) + crim_court,
        )
        courts = (*COURTS_EVICTION, *COURTS_CRIMINAL)
        self.court = _vocab(courts, self.court_index)
        self.felony = ~self.is_eviction & (draw.u(4, idx) < 0.45)
        # Case numbers: yy-GC-nnnnnn / yy-CR-nnnnnn, sequence by kind within filing year.
        years = year_of(self.filed)
        self.year = years
        seq = np.zeros(n, dtype=np.int64)
        for kind in (True, False):
            for year in np.unique(years):
                mask = (self.is_eviction == kind) & (years == year)
                seq[mask] = np.arange(1, int(mask.sum()) + 1)
        kind_code = _vocab(("CR", "GC"), self.is_eviction.astype(np.int64))
        self.case_number = _concat(
            _zero_pad(years % 100, 2), "-", kind_code, "-", _zero_pad(seq, 6)
        )
        self.case_type = _vocab(
            ("Eviction", "Felony", "Misdemeanor"),
            np.where(self.is_eviction, 0, np.where(self.felony, 1, 2)),
        )
        # Lifecycle: when the case turns final and which final status it takes.
        self.final_after = np.where(
            self.is_eviction, draw.ints(5, 35, 90, idx), draw.ints(5, 60, 240, idx)
        )
        self.final_kind = draw.u(6, idx)
        self.bankrupt = self.is_eviction & (draw.u(7, idx) < 0.01)
        self.unmapped = draw.u(8, idx) < (0.01 if params.unmapped_status else 0.0)
        # Eviction outcome: judgment on day `final_after - 5`, maybe a writ after it.
        self.judgment_kind = draw.pick(9, [w for _, _, w in JUDGMENT_TYPES], idx)
        self.plaintiff_won = self.judgment_kind < 2
        self.has_writ = self.is_eviction & self.plaintiff_won & (draw.u(10, idx) < 0.55)
        self.n_events = np.where(
            self.is_eviction,
            np.where(self.has_writ, 8, np.where(draw.u(11, idx) < 0.85, 5, 4)),
            draw.ints(11, 4, 7, idx),
        )
        # Events: offsets grow from the filing date; the judgment event is event 5.
        # Sealing: a few cases disappear from the portal 1..4 weeks after first being
        # scraped; until then they are visited every week.
        self.first_week = _first_scrape_week(params, self.filed)
        sealed = draw.u(12, idx) < SEALED_SHARE
        self.sealed_week = np.where(sealed, self.first_week + draw.ints(13, 1, 4, idx), 1 << 40)
        self.sealed_day = np.where(
            sealed, params.first_scrape + 7 * self.sealed_week - draw.ints(14, 0, 6, idx), 1 << 40
        )
        self.sealed_cases = idx[sealed]
        # Late postings (churn): found first `LATE_DAYS` after filing, never sealed.
        late = (
            params.churn
            & self.is_eviction
            & (self.court_index == LATE_COURT)
            & ~sealed
            & (draw.u(26, idx) < LATE_SHARE)
        )
        self.posted = self.filed + np.where(late, draw.ints(27, *LATE_DAYS, idx), 0)
        self.late_cases = idx[late]
        self.defendant_count = np.where(self.is_eviction, draw.pick(25, [60, 30, 10], idx) + 1, 1)
        self.has_occupants = self.is_eviction & (draw.u(15, idx) < 0.55)
        self.address_state = draw.pick(16, [80, 5, 15], idx)  # shown, multi, never
        self.address_from = self.filed + np.where(
            draw.u(17, idx) < 0.85, 0, draw.ints(18, 3, 30, idx)
        )
        self.hearings = np.where(
            self.is_eviction, draw.ints(19, 1, 2, idx), draw.ints(19, 1, 3, idx)
        )
        self.charge_count = np.where(self.is_eviction, 0, draw.ints(20, 1, 3, idx))
        self.booked = ~self.is_eviction & (draw.u(21, idx) < 0.7)
        self.judge = _vocab(JUDGES, draw.ints(22, 0, len(JUDGES) - 1, idx))
        self.landlord = draw.ints(23, 0, len(LANDLORD_WORDS) * len(LANDLORD_FORMS) * 40 - 1, idx)
        self.fees_cents = np.where(
            self.is_eviction,
            draw.ints(24, 120, 260, idx) * 100 + 50,
            draw.ints(24, 300, 900, idx) * 100,
        )

    def status_on(self, day: Array, case: Array) -> Array:
        """Status index into `STATUSES` of `case` on `day`."""
        age = day - self.filed[case]
        final_after = self.final_after[case]
        kind = self.final_kind[case]
        evict = self.is_eviction[case]
        final = np.where(
            evict,
            np.where(kind < 0.45, S_DISPOSED, np.where(kind < 0.7, S_SATISFIED, S_CLOSED)),
            np.where(kind < 0.5, S_DISPOSED, np.where(kind < 0.75, S_BOUND_OVER, S_CLOSED)),
        )
        status = np.where(age < 14, S_OPEN, np.where(age < final_after, S_PENDING, final))
        status = np.where(self.bankrupt[case] & (age >= 20), S_STAYED, status)
        return np.where(self.unmapped[case] & (age >= final_after), S_UNMAPPED, status)

    def is_active_on(self, day: Array, case: Array) -> Array:
        return ACTIVE[self.status_on(day, case)]


STATUSES = (
    "Open",
    "Pending",
    "Stayed - Bankruptcy",
    "Disposed",
    "Bound Over",
    "Satisfied",
    "Closed",
)
S_OPEN, S_PENDING, S_STAYED, S_DISPOSED, S_BOUND_OVER, S_SATISFIED, S_CLOSED = range(7)
S_UNMAPPED = 7
ACTIVE = np.array([True, True, True, False, False, False, False, False])


def status_names(params: Params) -> tuple[str, ...]:
    return (*STATUSES, params.unmapped_status or "Closed")


# -- people ---------------------------------------------------------------------------------


class People:
    """A pool of people: names (display `Last, First Middle Suffix`) and dates of birth."""

    def __init__(self, seed: int, n: int) -> None:
        draw = Draws(seed)
        idx = np.arange(n, dtype=np.int64)
        self.n = n
        last = draw.ints(101, 0, len(SURNAMES) - 1, idx)
        first = draw.ints(102, 0, len(FIRST_NAMES) - 1, idx)
        middle = draw.ints(103, 0, len(MIDDLE) - 1, idx)
        suffix = draw.ints(104, 0, len(SUFFIX) - 1, idx)
        self.dob = day_number(date(1950, 1, 1)) + draw.ints(105, 0, 365 * 52, idx)
        middle_part = [f" {m}" if m else "" for m in MIDDLE]
        suffix_part = [f" {x}" if x else "" for x in SUFFIX]

        def display(strip: bool, surnames: Sequence[str] = SURNAMES) -> pa.Array:
            fix = _strip_accents if strip else str
            return _concat(
                _vocab([fix(x) for x in surnames], last),
                ", ",
                _vocab([fix(x) for x in FIRST_NAMES], first),
                _vocab(middle_part, middle),
                _vocab(suffix_part, suffix),
            )

        self.name = display(strip=False)
        self.plain_name = display(strip=True)  # as the jail roster prints it: no accents
        # a clerk's typo: the surname's last letter doubled (`Smithh`), corrected later
        self.misspelled = display(strip=False, surnames=[x + x[-1] for x in SURNAMES])
        # as a jail person page prints it: `FIRST MIDDLE LAST SUFFIX`, upper case
        self.page_name = pc.utf8_upper(
            _concat(
                _vocab([_strip_accents(x) for x in FIRST_NAMES], first),
                _vocab(middle_part, middle),
                " ",
                _vocab([_strip_accents(x) for x in SURNAMES], last),
                _vocab(suffix_part, suffix),
            )
        )
        self.initials = _concat(
            _vocab([x[0] for x in SURNAMES], last),
            "., ",
            _vocab([x[0] for x in FIRST_NAMES], first),
            ".",
        )


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# -- versions: which case is visited on which scrape date ------------------------------------


@dataclass
class Versions:
    """Found visits (one case version each) and not-found visits, sorted by case."""

    case: Array
    week: Array
    day: Array
    lost_case: Array  # not-found visits
    lost_week: Array
    removed_case: Array  # tombstones
    removed_week: Array
    last_found: Array


def visits(params: Params, world: Cases, weeks: Sequence[int]) -> Versions:
    """The visits of scrape weeks `weeks` (found versions, not-found visits, tombstones)."""
    draw = world.draw
    cases: list[Array] = []
    wks: list[Array] = []
    lost_c: list[Array] = []
    lost_w: list[Array] = []
    rem_c: list[Array] = []
    rem_w: list[Array] = []
    rem_last: list[Array] = []
    for week in weeks:
        day = params.scrape_day(week)
        upto = min(params.cases_filed_by(day), world.n)
        if week == 0:
            candidates = np.arange(upto, dtype=np.int64)
        else:
            prev = params.scrape_day(week - 1)
            new_from = params.cases_filed_by(prev)
            window_from = params.cases_filed_by(day - RESCRAPE_WINDOW_DAYS)
            recent = np.arange(window_from, new_from, dtype=np.int64)
            recent = recent[
                world.is_active_on(np.full(len(recent), prev), recent)
                & (draw.u(200, recent, week) < RESCRAPE_SHARE)
            ]
            sealed = world.sealed_cases
            visited = sealed[(world.first_week[sealed] < week) & (world.sealed_week[sealed] > week)]
            candidates = np.unique(
                np.concatenate([recent, visited, np.arange(new_from, upto, dtype=np.int64)])
            )
        if week:
            posted = world.late_cases
            posted = posted[(world.posted[posted] > prev) & (world.posted[posted] <= day)]
            candidates = np.union1d(candidates, posted)
        candidates = candidates[world.posted[candidates] <= day]
        found = candidates[world.sealed_day[candidates] > day]
        cases.append(found)
        wks.append(np.full(len(found), week))
        # Sealed: not found on the two weekly visits from the sealing week on, tombstoned
        # on the second; the last found visit was the week before sealing.
        gone = world.sealed_cases
        gone = gone[world.first_week[gone] < world.sealed_week[gone]]
        sealed_week = world.sealed_week[gone]
        lost = (week == sealed_week) | (week == sealed_week + 1)
        lost_c.append(gone[lost])
        lost_w.append(np.full(int(lost.sum()), week))
        tomb = week == sealed_week + 1
        rem_c.append(gone[tomb])
        rem_w.append(np.full(int(tomb.sum()), week))
        rem_last.append(params.first_scrape + 7 * (sealed_week[tomb] - 1))
    case = np.concatenate(cases)
    week_arr = np.concatenate(wks).astype(np.int64)
    order = np.lexsort((week_arr, case))
    case, week_arr = case[order], week_arr[order]
    return Versions(
        case=case,
        week=week_arr,
        day=params.first_scrape + 7 * week_arr,
        lost_case=np.concatenate(lost_c),
        lost_week=np.concatenate(lost_w).astype(np.int64),
        removed_case=np.concatenate(rem_c),
        removed_week=np.concatenate(rem_w).astype(np.int64),
        last_found=np.concatenate(rem_last).astype(np.int64),
    )


def _first_scrape_week(params: Params, day: Array) -> Array:
    """The first scrape week whose date is on or after `day` (0 for the backfill)."""
    return np.maximum(0, np.ceil((day - params.first_scrape) / 7)).astype(np.int64)


# -- tables ---------------------------------------------------------------------------------


@dataclass
class Expanded:
    """Child rows × the versions of their case that show them."""

    child: Array  # index into the per-case child arrays
    version: Array  # index into Versions


def expand(child_case: Array, child_visible_from: Array, versions: Versions) -> Expanded:
    """Repeat each child over its case's versions; keep the versions that show it."""
    vstart = np.searchsorted(versions.case, child_case, side="left")
    vend = np.searchsorted(versions.case, child_case, side="right")
    counts = vend - vstart
    child = np.repeat(np.arange(len(child_case), dtype=np.int64), counts)
    version = np.repeat(vstart, counts) + _ragged_arange(counts)
    keep = versions.day[version] >= child_visible_from[child]
    child, version = child[keep], version[keep]
    # Rows in week order (and case order within a week): the writer slices, no shuffle.
    order = np.argsort(versions.week[version], kind="stable")
    return Expanded(child[order], version[order])


# Near-unique columns: dictionary-encoding them costs time and saves nothing.
UNIQUE_COLUMNS = frozenset(
    {
        "case_number",
        "page_sha256",
        "change_hash",
        "scraped_at",
        "name",
        "address_raw",
        "hearing_id",
        "hearing_key",
        "portal_case_id",
        "booking_number",
        "person_key",
        "person_name",
        "party_name",
        "style",
    }
)


class Writer:
    """Collects one table's columns with a `week` column and writes a file per week."""

    def __init__(self, lake_root: Path, params: Params, weeks: Sequence[int]) -> None:
        self.lake_root = lake_root
        self.params = params
        self.weeks = list(weeks)
        self.rows: dict[str, int] = {}

    def write(self, table: str, week: Array, columns: dict[str, pa.Array]) -> None:
        schema = RAW_TABLES[table]
        arrays = []
        for field in schema:
            if field.name in columns:
                arrays.append(columns[field.name].cast(field.type))
            else:
                arrays.append(pa.nulls(len(week), field.type))
        full = pa.Table.from_arrays(arrays, schema=schema)
        week = np.asarray(week)
        if len(week) and np.any(week[1:] < week[:-1]):
            order = np.argsort(week, kind="stable")
            full = full.take(pa.array(order))
            week = week[order]
        unique_columns = [f.name for f in schema if f.name in UNIQUE_COLUMNS]
        dictionary = [f.name for f in schema if f.name not in unique_columns]
        for w in self.weeks:
            lo = int(np.searchsorted(week, w, side="left"))
            hi = int(np.searchsorted(week, w, side="right"))
            key = partition_key(table, iso(self.params.scrape_day(w)))
            path = self.lake_root / key
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            pq.write_table(full.slice(lo, hi - lo), tmp, use_dictionary=dictionary)
            os.replace(tmp, path)
        self.rows[table] = self.rows.get(table, 0) + full.num_rows


def _scraped_at(cal: Calendar, day: Array, key: Array, draw: Draws, stream: int) -> pa.Array:
    minutes = draw.ints(stream, 8 * 60, 18 * 60, key)
    return _concat(
        cal.dates(day),
        "T",
        _zero_pad(minutes // 60, 2),
        ":",
        _zero_pad(minutes % 60, 2),
        ":00Z",
    )


def _sha(draw: Draws, stream: int, *keys: Array) -> pa.Array:
    """Fake page sha256s (64 hex characters) from four hashed words."""
    words = [
        _zero_pad((draw.u(stream + i, *keys) * float(1 << 52)).astype(np.int64), 16)
        for i in range(4)
    ]
    return _concat(*words)


def generate(lake_root: Path, params: Params, weeks: Sequence[int]) -> dict[str, int]:
    """Write every raw table's partitions for scrape weeks `weeks`."""
    last_day = params.scrape_day(max(weeks))
    n = params.cases_filed_by(last_day)
    world = Cases(params, n)
    draw = world.draw
    people, crim_people = _people(params)
    cal = Calendar(day_number(date(1949, 1, 1)), last_day + 3000)
    ver = visits(params, world, weeks)
    out = Writer(lake_root, params, weeks)
    statuses = status_names(params)

    vcase, vday = ver.case, ver.day
    vid = vcase * 1000 + ver.week
    version_sha = _sha(draw, 300, vid)
    version_at = _scraped_at(cal, vday, vid, draw, 310)

    def prov(version: Array) -> dict[str, pa.Array]:
        index = pa.array(version)
        return {
            "page_sha256": pc.take(version_sha, index),
            "scraped_at": pc.take(version_at, index),
        }

    def case_ref(case: Array) -> dict[str, pa.Array]:
        index = pa.array(case)
        return {
            "court": pc.take(world.court, index),
            "case_number": pc.take(world.case_number, index),
        }

    # court_cases: one row per found version, written in week order.
    by_week = np.argsort(ver.week, kind="stable")
    wcase, wday, wweek = vcase[by_week], vday[by_week], ver.week[by_week]
    status = world.status_on(wday, wcase)
    paid_share = np.minimum(1.0, np.maximum(0.0, (wday - world.filed[wcase]) / 120.0))
    fees = world.fees_cents[wcase]
    paid = (fees * paid_share * (draw.u(320, wcase) < 0.4)).astype(np.int64)
    change = _sha(draw, 330, wcase * 1000 + np.minimum(wday - world.filed[wcase], 400) // 30)
    defendant_person = _defendant_people(world, people, crim_people)
    defendant_names = pc.take(people.name, pa.array(defendant_person))
    styles = _concat(_landlords(world), " vs. ", defendant_names)
    take = pa.array(wcase)
    out.write(
        "court_cases",
        wweek,
        {
            **case_ref(wcase),
            "court_label": pc.take(world.court, take),
            "portal_case_id": pc.cast(pa.array(PORTAL_CASE_ID_BASE + wcase), pa.string()),
            "case_type": pc.take(world.case_type, take),
            "filed_date": cal.dates(world.filed[wcase]),
            "status": _vocab(statuses, status),
            "style": pc.take(styles, take),
            "judicial_officer": pc.take(world.judge, take),
            "has_financial": pa.array(np.ones(len(wcase), dtype=bool)),
            "fees_assessed": _money(fees),
            "paid": _money(paid),
            "balance_due": _money(fees - paid),
            "change_hash": change,
            **prov(by_week),
        },
    )
    # The fees and payments sit on one party, as the simulator puts them: the
    # plaintiff of an eviction, the defendant of a criminal case.
    fee_party = pc.if_else(
        pa.array(world.is_eviction[wcase]),
        pc.take(_landlords(world), take),
        pc.take(defendant_names, take),
    )
    _write_financials(out, world, cal, wcase, wday, wweek, fees, paid, fee_party, case_ref,
                      prov(by_week))  # fmt: skip
    # court_case_visits: found + not found
    lost = ver.lost_case
    lost_day = params.first_scrape + 7 * ver.lost_week
    visit_week = np.concatenate([wweek, ver.lost_week])
    visit_case = np.concatenate([wcase, lost])
    is_lost = np.arange(len(visit_case)) >= len(wcase)
    lost_id = lost * 1000 + ver.lost_week
    found_prov = prov(by_week)
    out.write(
        "court_case_visits",
        visit_week,
        {
            **case_ref(visit_case),
            "outcome": _vocab(("found", "not_found"), is_lost.astype(np.int64)),
            "status": _null_where(
                _vocab(statuses, np.concatenate([status, np.zeros(len(lost), dtype=np.int64)])),
                is_lost,
            ),
            "filed_date": _null_where(cal.dates(world.filed[visit_case]), is_lost),
            "change_hash": pa.concat_arrays([change, pa.nulls(len(lost), pa.string())]),
            "page_sha256": pa.concat_arrays([found_prov["page_sha256"], _sha(draw, 340, lost_id)]),
            "scraped_at": pa.concat_arrays(
                [found_prov["scraped_at"], _scraped_at(cal, lost_day, lost_id, draw, 350)]
            ),
        },
    )
    out.write(
        "court_removals",
        ver.removed_week,
        {
            **case_ref(ver.removed_case),
            "detected_date": cal.dates(params.first_scrape + 7 * ver.removed_week),
            "last_found_date": cal.dates(ver.last_found),
            "reason": _vocab(("not_found_twice",), np.zeros(len(ver.removed_case), dtype=np.int64)),
        },
    )
    # court_filings: each case at its first scrape (in this write).
    first = np.flatnonzero(np.r_[True, vcase[1:] != vcase[:-1]])
    first = first[np.argsort(ver.week[first], kind="stable")]
    fcase = vcase[first]
    out.write(
        "court_filings",
        ver.week[first],
        {
            **case_ref(fcase),
            "case_type": pc.take(world.case_type, pa.array(fcase)),
            "filed_date": cal.dates(world.filed[fcase]),
            "style": pc.take(styles, pa.array(fcase)),
            "party_name": pc.take(defendant_names, pa.array(fcase)),
            "status": _vocab(statuses, world.status_on(vday[first], fcase)),
            "scraped_at": pc.take(version_at, pa.array(first)),
        },
    )
    _write_parties(out, world, people, ver, defendant_person, cal, case_ref, prov)
    _write_events(out, world, ver, cal, case_ref, prov)
    _write_hearings(out, world, ver, cal, case_ref, prov)
    _write_judgments(out, world, ver, cal, case_ref, prov)
    _write_charges_and_bonds(out, world, ver, cal, case_ref, prov)
    _write_jail(out, params, world, people, defendant_person, cal, weeks)
    return out.rows


def _write_financials(out: Writer, world: Cases, cal: Calendar, case: Array, day: Array,
                      week: Array, fees: Array, paid: Array, party: pa.Array,
                      case_ref: Callable[[Array], dict[str, pa.Array]],
                      provenance: dict[str, pa.Array]) -> None:  # fmt: skip
    """One Financial block per case version (`case`, `day`, `week`: the court_cases rows)
    on the party holding the fees, and its transactions: the assessment on the filing
    date, then the payments so far as one payment (a negative amount)."""
    n = len(case)
    out.write(
        "court_financials",
        week,
        {
            **case_ref(case),
            "financial_seq": pa.array(np.ones(n, dtype=np.int32)),
            "party_name": party,
            "total_assessment": _money(fees),
            "payments_and_credits": _money(paid),
            **provenance,
        },
    )
    counts = 1 + (paid > 0).astype(np.int64)
    row = np.repeat(np.arange(n), counts)
    seq = _ragged_arange(counts) + 1
    is_payment = seq == 2
    rows, rc = pa.array(row), case[row]
    filed = world.filed[rc]
    paid_on = np.minimum(filed + world.draw.ints(1020, 3, 60, rc), day[row])
    out.write(
        "court_financial_transactions",
        week[row],
        {
            **case_ref(rc),
            "financial_seq": pa.array(np.ones(len(row), dtype=np.int32)),
            "transaction_seq": pa.array(seq.astype(np.int32)),
            "party_name": pc.take(party, rows),
            "transaction_date": cal.dates(np.where(is_payment, paid_on, filed)),
            "description": _vocab(("Court Costs", "Payment"), is_payment.astype(np.int64)),
            "receipt": _concat("R-", _zero_pad(rc * 10 + seq, 9)),
            "payer": _null_where(pc.take(party, rows), ~is_payment),
            "amount": pc.if_else(
                pa.array(is_payment), _concat("-", _money(paid[row])), _money(fees[row])
            ),
            **{name: pc.take(values, rows) for name, values in provenance.items()},
        },
    )


def _people(params: Params) -> tuple[People, int]:
    """The pool of people and how many of them are ever accused: sized by the world's
    planned cases, so a party is the same person in every week written."""
    crim_people = max(500, int(params.cases * (1 - EVICTION_SHARE) * 0.6))
    return People(params.seed, max(1000, int(params.cases * 0.8))), crim_people


def _landlords(world: Cases) -> pa.Array:
    names = [
        form.format(word) + ("" if k == 0 else f" {k}")
        for k in range(40)
        for word in LANDLORD_WORDS
        for form in LANDLORD_FORMS
    ]
    landlords = pa.array(names, type=pa.string())
    plaintiff = pc.take(landlords, pa.array(world.landlord))
    state = pa.array(np.full(world.n, STATE_PARTY, dtype=object), type=pa.string())
    return pc.if_else(pa.array(world.is_eviction), plaintiff, state)


def _defendant_people(world: Cases, people: People, crim_people: int) -> Array:
    """The (first) defendant's person index per case; criminal defendants repeat often."""
    draw = world.draw
    tenant = draw.ints(400, 0, people.n - 1, world.idx)
    accused = draw.ints(401, 0, min(crim_people, people.n) - 1, world.idx)
    return np.where(world.is_eviction, tenant, accused)


@dataclass
class PartyRows:
    """The court_parties rows: each party (a slot of its case) on each version showing
    it. `slot` is the party's identity in the world (0 the plaintiff, then the
    defendants, the occupants pseudo-party, an added defendant); `seq` its position on
    that version's page."""

    case: Array
    slot: Array
    seq: Array
    version: Array
    person: Array
    is_person: Array
    is_occupants: Array
    is_defendant: Array
    name: pa.Array


def _party_rows(world: Cases, people: People, ver: Versions,
                defendant_person: Array) -> PartyRows:  # fmt: skip
    """Which parties each version lists, where, and under which name. With churn,
    some cases gain a defendant after filing (listed first on some courts), lose the
    occupants pseudo-party, list their defendants in reverse order from some visit on,
    or print a defendant's name misspelled until corrected; some names turn into
    initials on later visits."""
    draw = world.draw
    churn = world.params.churn
    n_def = world.defendant_count
    added = churn & world.is_eviction & (draw.u(430, world.idx) < ADDED_DEFENDANT_SHARE)
    per_case = 1 + n_def + world.has_occupants.astype(np.int64) + added.astype(np.int64)
    pcase = np.repeat(world.idx, per_case)
    slot = _ragged_arange(per_case)
    case_def = n_def[pcase]
    is_added = added[pcase] & (slot == per_case[pcase] - 1)
    is_occupants = world.has_occupants[pcase] & (slot == case_def + 1)
    role_def = slot > 0
    is_person = role_def & ~is_occupants
    # Defendants 2.. of an eviction are other tenants; the first is `defendant_person`;
    # the draw keys are the positions these parties have without churn.
    other = draw.ints(402, 0, people.n - 1, pcase, slot + 1)
    person = np.where(slot == 1, defendant_person[pcase], other)
    person = np.where(is_added, draw.ints(431, 0, people.n - 1, pcase), person)
    filed = world.filed[pcase]
    after = draw.ints(432, *CHURN_AFTER_DAYS, pcase, slot)
    visible_from = np.where(is_added, filed + after, filed)
    dropped = churn & is_occupants & (draw.u(433, pcase) < OCCUPANTS_DROPPED_SHARE)
    visible_until = np.where(dropped, filed + after, 1 << 40)
    initials_share = INITIALS_SHARE if churn else 0.006
    initials_from = np.where(
        is_person & (draw.u(403, pcase, slot + 1) < initials_share),
        filed + draw.ints(404, 20, 200, pcase, slot + 1),
        1 << 40,
    )
    misspelled_until = np.where(
        churn & is_person & (draw.u(434, pcase, slot) < MISSPELLED_SHARE), filed + after, 0
    )
    n_people = case_def + added[pcase].astype(np.int64)
    reordered_from = np.where(
        churn & (n_people >= 2) & (draw.u(435, pcase) < REORDERED_SHARE),
        filed + draw.ints(436, *CHURN_AFTER_DAYS, pcase),
        1 << 40,
    )
    first = np.isin(world.court_index[pcase], ADDED_FIRST_COURTS)
    # listing order among a case's defendants: 1..n, an added one first or last
    order = np.where(is_added, np.where(first, 0, case_def + 1), slot).astype(np.float64)
    ex = expand(pcase, visible_from, ver)
    day = ver.day[ex.version]
    keep = day < visible_until[ex.child]
    child, version, day = ex.child[keep], ex.version[keep], day[keep]
    rank = order[child]
    rank = np.where(
        is_person[child] & (day >= reordered_from[child]), n_people[child] + 2 - rank, rank
    )
    rank = np.where(slot[child] == 0, -1.0, np.where(is_occupants[child], 1e9, rank))
    # position = rank of the row among its version's rows
    by = np.lexsort((rank, version))
    grouped = version[by]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    counts = np.diff(np.r_[starts, len(grouped)])
    seq = np.empty(len(by), dtype=np.int64)
    seq[by] = _ragged_arange(counts) + 1
    c, p = pcase[child], person[child]
    landlord_names = _landlords(world)
    person_name = pc.if_else(
        pa.array(day >= initials_from[child]),
        pc.take(people.initials, pa.array(p)),
        pc.if_else(
            pa.array(day < misspelled_until[child]),
            pc.take(people.misspelled, pa.array(p)),
            pc.take(people.name, pa.array(p)),
        ),
    )
    name = pc.if_else(
        pa.array(is_occupants[child]),
        pa.array(np.full(len(c), PSEUDO_OCCUPANTS, dtype=object), type=pa.string()),
        pc.if_else(pa.array(is_person[child]), person_name, pc.take(landlord_names, pa.array(c))),
    )
    return PartyRows(
        case=c,
        slot=slot[child],
        seq=seq,
        version=version,
        person=p,
        is_person=is_person[child],
        is_occupants=is_occupants[child],
        is_defendant=role_def[child],
        name=name,
    )


def _write_parties(out: Writer, world: Cases, people: People, ver: Versions,
                   defendant_person: Array, cal: Calendar,
                   case_ref: Callable[[Array], dict[str, pa.Array]],
                   prov: Callable[[Array], dict[str, pa.Array]]) -> None:  # fmt: skip
    draw = world.draw
    rows = _party_rows(world, people, ver, defendant_person)
    c, p, s = rows.case, rows.person, rows.seq
    # draws keyed by the party (its slot), not by where the page lists it
    k = rows.slot + 1
    day = ver.day[rows.version]
    role_def = rows.is_defendant
    name = rows.name
    criminal_defendant = ~world.is_eviction[c] & rows.is_person
    # Criminal defendants show a date of birth, some masked to the year (XX/XX/1972),
    # and the person's sex and race as the jail has them.
    masked = draw.u(1001, p) < MASKED_DOB_SHARE
    dob = _null_where(cal.dates(people.dob[p]), ~criminal_defendant | masked)
    birth_year = _null_where(pa.array(year_of(people.dob[p]).astype(np.int32)), ~criminal_defendant)
    gender = _null_where(
        _vocab(("Male", "Female"), (draw.u(923, p) < 0.2).astype(np.int64)), ~criminal_defendant
    )
    race = _null_where(
        _vocab(("Black", "White", "Hispanic", "Asian"), draw.pick(922, [66, 26, 6, 2], p)),
        ~criminal_defendant,
    )
    street_no = draw.ints(410, 100, 9999, c)
    street = _concat(
        pc.cast(pa.array(street_no), pa.string()),
        " ",
        _vocab(STREETS, draw.ints(411, 0, len(STREETS) - 1, c)),
    )
    unit_index = draw.ints(412, 0, len(UNITS) - 1, c)
    unit = _vocab(UNITS, unit_index)
    zip_code = _vocab(ZIPS, draw.ints(413, 0, len(ZIPS) - 1, c))
    # Half the units are printed on a line of their own, as real portals do.
    unit_line = (unit_index >= 2) & (draw.u(1004, c) < 0.5)
    line1 = pc.if_else(
        pa.array(unit_line), street, pc.utf8_trim_whitespace(_concat(street, " ", unit))
    )
    second = _concat(
        pc.cast(pa.array(draw.ints(414, 100, 9999, c)), pa.string()),
        " ",
        _vocab(STREETS, draw.ints(415, 0, len(STREETS) - 1, c)),
    )
    state = world.address_state[c]
    line1 = pc.if_else(pa.array(state == 1), _concat(line1, "; ", second), line1)
    line1 = pc.if_else(pa.array(unit_line), _concat(line1, " | ", unit), line1)
    address = _concat(line1, " | Memphis, TN ", zip_code)
    no_address = (state == 2) | (day < world.address_from[c]) | ~role_def
    no_address |= ~world.is_eviction[c] & (draw.u(416, c) < 0.5)
    has_attorney = np.where(role_def, draw.u(418, c, k) < 0.05, draw.u(418, c, k) < 0.5)
    has_attorney |= criminal_defendant
    pro_se = rows.is_person & ~has_attorney & (draw.u(1003, c, k) < 0.3)
    week = ver.week[rows.version]
    out.write(
        "court_parties",
        week,
        {
            **case_ref(c),
            "party_seq": pa.array(s.astype(np.int32)),
            "role": _vocab(("Plaintiff", "Defendant"), role_def.astype(np.int64)),
            "name": name,
            "dob": dob,
            "birth_year": birth_year,
            "gender": gender,
            "race": race,
            "address_raw": _null_where(address, no_address),
            "is_pro_se": pa.array(pro_se),
            **prov(rows.version),
        },
    )
    # Attorneys of the represented parties: one, or two, the lead listed first or second.
    row = np.flatnonzero(has_attorney)
    counts = 1 + (draw.u(1005, c[row], k[row]) < SECOND_ATTORNEY_SHARE).astype(np.int64)
    row = np.repeat(row, counts)
    seq = _ragged_arange(counts) + 1
    ac, as_, ak = c[row], s[row], k[row]
    lead_seq = np.where(np.repeat(counts, counts) == 1, 1, 1 + (draw.u(1006, ac, ak) < 0.5))
    phone = _concat("901-555-", _zero_pad(draw.ints(1007, 0, 9999, ac, ak * 10 + seq), 4))
    out.write(
        "court_party_attorneys",
        week[row],
        {
            **case_ref(ac),
            "party_seq": pa.array(as_.astype(np.int32)),
            "attorney_seq": pa.array(seq.astype(np.int32)),
            "name": _vocab(ATTORNEYS, draw.ints(417, 0, len(ATTORNEYS) - 1, ac, ak * 10 + seq)),
            "is_lead": pa.array(seq == lead_seq),
            "kind": _vocab(
                ("Retained", "Public Defender"), criminal_defendant[row].astype(np.int64)
            ),
            "phone": _null_where(phone, draw.u(1008, ac, ak * 10 + seq) < 0.5),
            **prov(rows.version[row]),
        },
    )


def _event_days(world: Cases) -> tuple[Array, Array, Array]:
    """Per-case events: (case, seq, day). The eviction judgment is event 5, on day
    `final_after - 5`; criminal dispositions are event 6, on day `final_after`."""
    draw = world.draw
    ecase = np.repeat(world.idx, world.n_events)
    seq = _ragged_arange(world.n_events) + 1
    gaps = draw.ints(500, 0, 9, ecase, seq)
    gaps[seq == 1] = 0
    day = world.filed[ecase] + _segment_cumsum(gaps, world.n_events)
    evict = world.is_eviction[ecase]
    anchor = world.filed[ecase] + world.final_after[ecase]
    day = np.where(evict & (seq == 5), anchor - 5, day)
    day = np.where(evict & (seq > 5), anchor - 5 + (seq - 5) * 11, day)
    day = np.where(~evict & (seq == 6), anchor, day)
    day = np.where(~evict & (seq == 7), anchor + 14, day)
    day = np.where((seq < 5) | (~evict & (seq < 6)), np.minimum(day, anchor - 6), day)
    return ecase, seq, np.maximum(day, world.filed[ecase])


def _segment_cumsum(values: Array, counts: Array) -> Array:
    total = np.cumsum(values)
    ends = np.cumsum(counts)
    starts = np.repeat(np.r_[0, total[ends[:-1] - 1]] if len(ends) else np.zeros(0), counts)
    return total - starts


def _write_events(out: Writer, world: Cases, ver: Versions, cal: Calendar,
                  case_ref: Callable[[Array], dict[str, pa.Array]],
                  prov: Callable[[Array], dict[str, pa.Array]]) -> None:  # fmt: skip
    ecase, seq, day = _event_days(world)
    ex = expand(ecase, day, ver)
    c, s = ecase[ex.child], seq[ex.child]
    evict = world.is_eviction[c]
    kinds = [*EVICTION_EVENTS, *CRIMINAL_EVENTS]
    kind = np.where(evict, s - 1, len(EVICTION_EVENTS) + s - 1)
    out.write(
        "court_events",
        ver.week[ex.version],
        {
            **case_ref(c),
            "event_seq": pa.array(s.astype(np.int32)),
            "event_date": cal.dates(day[ex.child]),
            "event_type": _vocab([k for k, _ in kinds], kind),
            "comment": _vocab([d for _, d in kinds], kind),
            "documents_json": _null_where(
                _vocab(FIRST_DOCUMENTS, (~evict).astype(np.int64)), s != 1
            ),
            "attributes_json": _null_where(
                _concat('{"Served":"', cal.dates(day[ex.child]), '"}'), ~(evict & (s == 3))
            ),
            **prov(ex.version),
        },
    )


def _write_hearings(out: Writer, world: Cases, ver: Versions, cal: Calendar,
                    case_ref: Callable[[Array], dict[str, pa.Array]],
                    prov: Callable[[Array], dict[str, pa.Array]]) -> None:  # fmt: skip
    draw = world.draw
    hcase = np.repeat(world.idx, world.hearings)
    seq = _ragged_arange(world.hearings) + 1
    hday = world.filed[hcase] + seq * draw.ints(600, 12, 24, hcase)
    set_on = np.where(seq == 1, world.filed[hcase], hday - 14)
    canceled = draw.u(601, hcase, seq) < 0.2
    ex = expand(hcase, set_on, ver)
    c, s, d = hcase[ex.child], seq[ex.child], hday[ex.child]
    vday = ver.day[ex.version]
    held = (d <= vday) & ~canceled[ex.child]
    evict = world.is_eviction[c]
    minutes = _vocab(("09:00", "09:30", "10:00", "13:00", "13:30"), draw.ints(602, 0, 4, c, s))
    # The case page prints no hearing id or courtroom; the hearing search (criminal
    # hearings here) gives both.
    searched = ~evict
    out.write(
        "court_hearings",
        ver.week[ex.version],
        {
            **case_ref(c),
            "hearing_key": pc.utf8_slice_codeunits(_sha(draw, 1010, c * 100 + s), 0, 16),
            "hearing_id": _null_where(
                _concat(
                    pc.take(world.case_number, pa.array(c)),
                    "-H",
                    pc.cast(pa.array(s), pa.string()),
                ),
                ~searched,
            ),
            "hearing_date": cal.dates(d),
            "hearing_time": minutes,
            "hearing_type": _vocab(
                ("Initial Setting", "Detainer Hearing", "Preliminary Hearing", "Report Date"),
                np.where(evict, np.minimum(s, 2) - 1, 2 + (s > 1)),
            ),
            "courtroom": _null_where(
                _vocab(("Room 1A", "Room 2B", "Room 3C", "Room 4D"), draw.ints(603, 0, 3, c)),
                ~searched,
            ),
            "judicial_officer": pc.take(world.judge, pa.array(c)),
            "is_canceled": pa.array(canceled[ex.child]),
            "cancel_reason": _null_where(
                _vocab(CANCEL_REASONS, draw.ints(604, 0, 2, c, s)), ~canceled[ex.child]
            ),
            "result": _null_where(
                _vocab(
                    ("Continued", "Judgment Entered", "Held"),
                    np.where(evict, np.minimum(s, 2) - 1, 2),
                ),
                ~held,
            ),
            **prov(ex.version),
        },
    )


def _write_judgments(out: Writer, world: Cases, ver: Versions, cal: Calendar,
                     case_ref: Callable[[Array], dict[str, pa.Array]],
                     prov: Callable[[Array], dict[str, pa.Array]]) -> None:  # fmt: skip
    draw = world.draw
    jcase = world.idx[world.is_eviction & (world.n_events >= 5)]
    jday = world.filed[jcase] + world.final_after[jcase] - 5
    ex = expand(jcase, jday, ver)
    c = jcase[ex.child]
    kind = world.judgment_kind[c]
    amount = draw.ints(700, 500, 8000, c) * 100 + draw.ints(701, 0, 99, c)
    out.write(
        "court_judgments",
        ver.week[ex.version],
        {
            **case_ref(c),
            "judgment_seq": pa.array(np.ones(len(c), dtype=np.int32)),
            "judgment_date": cal.dates(jday[ex.child]),
            "judgment_type": _vocab([t for t, _, _ in JUDGMENT_TYPES], kind),
            "judgment_for": _vocab([f for _, f, _ in JUDGMENT_TYPES], kind),
            "amount": _null_where(_money(amount), ~world.plaintiff_won[c]),
            "judicial_officer": pc.take(world.judge, pa.array(c)),
            "amounts_json": _null_where(
                _concat('{"Award":"', _money(amount), '"}'), ~world.plaintiff_won[c]
            ),
            **prov(ex.version),
        },
    )


def _charge_specs(world: Cases) -> tuple[Array, Array, Array]:
    """Court charges per criminal case: (case, seq, index into CHARGES)."""
    draw = world.draw
    ccase = np.repeat(world.idx, world.charge_count)
    seq = _ragged_arange(world.charge_count) + 1
    felony = world.felony[ccase]
    spec = np.where(felony, draw.ints(800, 5, 9, ccase, seq), draw.ints(800, 0, 4, ccase, seq))
    spec = np.where(seq > 1, draw.ints(801, 0, 4, ccase, seq), spec)
    return ccase, seq, spec


def _write_charges_and_bonds(out: Writer, world: Cases, ver: Versions, cal: Calendar,
                             case_ref: Callable[[Array], dict[str, pa.Array]],
                             prov: Callable[[Array], dict[str, pa.Array]]) -> None:  # fmt: skip
    draw = world.draw
    ccase, seq, spec = _charge_specs(world)
    ex = expand(ccase, world.filed[ccase], ver)
    c, s, k = ccase[ex.child], seq[ex.child], spec[ex.child]
    disposed_on = world.filed[c] + world.final_after[c]
    disposed = ver.day[ex.version] >= disposed_on
    disposition = draw.pick(802, [45, 22, 10, 13, 10], c)
    out.write(
        "court_charges",
        ver.week[ex.version],
        {
            **case_ref(c),
            "charge_seq": pa.array(s.astype(np.int32)),
            "statute": _vocab([x[0] for x in CHARGES], k),
            "description": _vocab([x[1] for x in CHARGES], k),
            "degree": _vocab([x[2] for x in CHARGES], k),
            "charge_class": _vocab([x[3] for x in CHARGES], k),
            "offense_date": cal.dates(world.filed[c] - draw.ints(803, 0, 2, c)),
            "disposition": _null_where(_vocab(DISPOSITIONS, disposition), ~disposed),
            "disposition_date": _null_where(cal.dates(disposed_on), ~disposed),
            **prov(ex.version),
        },
    )
    bcase = world.idx[~world.is_eviction]
    ex = expand(bcase, world.filed[bcase], ver)
    c = bcase[ex.child]
    out.write(
        "court_bonds",
        ver.week[ex.version],
        {
            **case_ref(c),
            "bond_seq": pa.array(np.ones(len(c), dtype=np.int32)),
            "set_date": cal.dates(world.filed[c]),
            "bond_type": _vocab(
                ("ROR", "Surety", "Cash", "No Bond"), draw.pick(810, [30, 45, 15, 10], c)
            ),
            "amount": _money(draw.pick(811, [1] * 6, c).astype(np.int64) * 250000 + 50000),
            **prov(ex.version),
        },
    )


# -- jail -----------------------------------------------------------------------------------


def _write_jail(out: Writer, params: Params, world: Cases, people: People,
                defendant_person: Array, cal: Calendar, weeks: Sequence[int]) -> None:  # fmt: skip
    """The IML roster (people in custody, and people released in the last 30 days with
    their release date), the person page behind each roster row with its charges, bonds
    and hearings, and the person-history candidates."""
    draw = world.draw
    # A booking per booked criminal case (booked the day before filing), plus holds.
    bcase = world.idx[world.booked]
    booked_day = world.filed[bcase] - 1
    person = defendant_person[bcase]
    pretrial_days = draw.ints(900, 0, 60, bcase) + np.where(
        world.felony[bcase], draw.ints(901, 0, 120, bcase), 0
    )
    sentenced = draw.u(902, bcase) < 0.15
    release = booked_day + pretrial_days + np.where(sentenced, draw.ints(903, 30, 300, bcase), 0)
    n_holds = max(1, len(bcase) // 20)
    hold_id = np.arange(n_holds, dtype=np.int64)
    hold_day = params.first_filed + draw.ints(
        904, 0, params.scrape_day(max(weeks)) - params.first_filed, hold_id
    )
    hold_person = draw.ints(905, 0, people.n - 1, hold_id)
    hold_release = hold_day + draw.ints(906, 1, 45, hold_id)
    all_day = np.concatenate([booked_day, hold_day])
    all_person = np.concatenate([person, hold_person])
    all_release = np.concatenate([release, hold_release])
    all_case = np.concatenate([bcase, np.full(n_holds, -1)])
    pretrial_until = np.concatenate([booked_day + pretrial_days, hold_day - 1])
    # Booking numbers: yyyy-nnnnnnn in booking order within each year.
    order = np.lexsort((np.arange(len(all_day)), all_day))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    booking_number = _concat(
        pc.cast(
            pa.array(year_of(all_day)),
            pa.string(),
        ),
        "-",
        _zero_pad(rank + 1_000_000, 7),
    )
    plain = draw.u(907, all_person) < 0.5  # the jail drops accents for half the people
    name = pc.if_else(pa.array(plain), pc.take(people.plain_name, pa.array(all_person)),
                      pc.take(people.name, pa.array(all_person)))  # fmt: skip
    # Roster rows: in custody on the scrape date, or released in the last 30 days.
    roster_w: list[Array] = []
    roster_b: list[Array] = []
    for week in weeks:
        day = params.scrape_day(week)
        listed = np.flatnonzero((all_day <= day) & (all_release > day - RELEASED_LISTING_DAYS))
        roster_b.append(listed)
        roster_w.append(np.full(len(listed), week))
    rb = np.concatenate(roster_b)
    rw = np.concatenate(roster_w).astype(np.int64)
    rday = params.first_scrape + 7 * rw
    released = all_release[rb] <= rday
    # Custody on the scrape date, or on the last day in custody (not printed by IML).
    held_day = np.minimum(rday, all_release[rb] - 1)
    custody = np.where(all_case[rb] < 0, 2, np.where(held_day > pretrial_until[rb], 1, 0))
    rp = all_person[rb]
    take = pa.array(rb)
    number = pc.take(booking_number, take)
    dob_typo = draw.u(912, rb) < DOB_TYPO_SHARE
    dob = cal.dates(people.dob[rp] + dob_typo)
    release_date = _null_where(cal.dates(all_release[rb]), ~released)
    scraped = _scraped_at(cal, rday, rw, draw, 911)
    base = {
        "booking_key": number,
        "booking_number": number,
        "permanent_id": pc.cast(pa.array(PERMANENT_ID_BASE + rp), pa.string()),
        "dob": dob,
        "release_date": release_date,
        "scraped_at": scraped,
    }
    out.write("jail_roster", rw, {**base, "name": pc.take(name, take)})
    sha = _sha(draw, 920, rb * 1000 + rw)
    is_hold = all_case[rb] < 0
    bond_cents = draw.ints(925, 5, 100, rb) * 100000
    second_bond = ~is_hold & (draw.u(926, rb) < SECOND_BOND_SHARE)
    second_cents = draw.ints(927, 1, 10, rb) * 50000
    bond_total = bond_cents + np.where(second_bond, second_cents, 0)
    has_alias = draw.u(928, rp) < 0.05
    housing = _concat(
        "POD ",
        pc.cast(pa.array(draw.ints(910, 2, 7, rb)), pa.string()),
        " / ",
        pc.cast(pa.array(draw.ints(929, 1, 40, rb)), pa.string()),
    )
    out.write(
        "jail_bookings",
        rw,
        {
            **base,
            "name": pc.take(people.page_name, pa.array(rp)),
            "sex": _vocab(("M", "F"), (draw.u(923, rp) < 0.2).astype(np.int64)),
            "race": _vocab(
                ("BLACK", "WHITE", "HISPANIC", "ASIAN"), draw.pick(922, [66, 26, 6, 2], rp)
            ),
            "commitment_date": cal.dates(all_day[rb]),
            "location": _vocab(("MAIN", "ANNEX"), draw.pick(924, [80, 20], rb)),
            "housing": housing,
            "bond_grand_total": _null_where(_money(bond_total), is_hold),
            "aliases_json": _null_where(
                _concat('["', pc.take(people.initials, pa.array(rp)), '"]'), ~has_alias
            ),
            "detainers_json": _null_where(
                _vocab(('["OTHER JURISDICTION | WARRANT"]',), np.zeros(len(rb), dtype=np.int64)),
                ~is_hold,
            ),
            "page_sha256": sha,
        },
    )
    # Booking charges: the case's charges (or the hold), on every roster visit.
    ccase, _, cspec = _charge_specs(world)
    charges_of = np.zeros(world.n + 1, dtype=np.int64)
    np.add.at(charges_of, ccase, 1)
    row_case = all_case[rb]
    counts = np.where(row_case < 0, 1, charges_of[np.maximum(row_case, 0)])
    row = np.repeat(np.arange(len(rb)), counts)
    seq = _ragged_arange(counts) + 1
    first_charge = np.searchsorted(ccase, np.maximum(row_case, 0))
    spec_index = np.repeat(first_charge, counts) + seq - 1
    spec = np.where(row_case[row] < 0, len(CHARGES), cspec[np.minimum(spec_index, len(cspec) - 1)])
    all_charges = (*CHARGES, HOLD_CHARGE)
    old_case = world.filed[np.maximum(row_case, 0)] < params.first_filed + 30
    case_number = _null_where(
        pc.take(world.case_number, pa.array(np.maximum(row_case, 0))), is_hold | old_case
    )
    out.write(
        "jail_booking_charges",
        rw[row],
        {
            "booking_key": pc.take(number, pa.array(row)),
            "charge_seq": pa.array(seq.astype(np.int32)),
            "case_number": pc.take(case_number, pa.array(row)),
            "offense_date": cal.dates(all_day[rb[row]] - draw.ints(930, 0, 1, rb[row])),
            "code": _vocab([x[0] for x in all_charges], spec),
            "description": _vocab([x[1] for x in all_charges], spec),
            "grade": _vocab([x[3] for x in all_charges], spec),  # blank for the hold
            "degree": _vocab([x[2][0] for x in all_charges], spec),  # F / M
            "page_sha256": pc.take(sha, pa.array(row)),
            "scraped_at": pc.take(scraped, pa.array(row)),
        },
    )
    _write_bonds_and_hearings(
        out, draw, cal, rb, rw, rday, number, case_number, sha, scraped,
        is_hold, released & (custody == 0), all_release, bond_cents, second_bond,
        second_cents, ~released & (custody == 0),
    )  # fmt: skip
    _write_candidates(
        out,
        params,
        world,
        people,
        defendant_person,
        rb,
        rw,
        ~released & ~dob_typo,
        all_person,
        cal,
        name,
        booking_number,
    )


def _write_bonds_and_hearings(out: Writer, draw: Draws, cal: Calendar, rb: Array,
                              rw: Array, rday: Array, number: pa.Array,
                              case_number: pa.Array, sha: pa.Array, scraped: pa.Array,
                              is_hold: Array, bonded_out: Array, all_release: Array,
                              bond_cents: Array, second_bond: Array, second_cents: Array,
                              awaiting_trial: Array) -> None:  # fmt: skip
    """Per roster row (`rb`, `rw`): a bond on the booking's case (a second one now and
    then), posted on the release date by those released pretrial; and for people held
    pretrial the next hearing."""
    counts = np.where(is_hold, 0, 1 + second_bond.astype(np.int64))
    row = np.repeat(np.arange(len(rb)), counts)
    seq = _ragged_arange(counts) + 1
    posted = bonded_out[row]
    rows = pa.array(row)
    out.write(
        "jail_booking_bonds",
        rw[row],
        {
            "booking_key": pc.take(number, rows),
            "bond_seq": pa.array(seq.astype(np.int32)),
            "case_number": pc.take(case_number, rows),
            "amount": _money(np.where(seq == 1, bond_cents[row], second_cents[row])),
            "status": _vocab(("NOT POSTED", "POSTED"), posted.astype(np.int64)),
            "posted_by": _null_where(
                _vocab(("SELF", "ACME BAIL BONDS"), draw.pick(931, [40, 60], rb[row])),
                ~posted,
            ),
            "post_date": _null_where(cal.dates(all_release[rb[row]]), ~posted),
            "page_sha256": pc.take(sha, rows),
            "scraped_at": pc.take(scraped, rows),
        },
    )
    row = np.flatnonzero(awaiting_trial)
    rows = pa.array(row)
    out.write(
        "jail_booking_hearings",
        rw[row],
        {
            "booking_key": pc.take(number, rows),
            "hearing_seq": pa.array(np.ones(len(row), dtype=np.int32)),
            "hearing_date": cal.dates(rday[row] + draw.ints(932, 1, 20, rb[row])),
            "attributes_json": _vocab(
                ('{"Courtroom":"Division 7","Time":"09:00 AM"}',),
                np.zeros(len(row), dtype=np.int64),
            ),
            "page_sha256": pc.take(sha, rows),
            "scraped_at": pc.take(scraped, rows),
        },
    )


def _write_candidates(out: Writer, params: Params, world: Cases, people: People,
                      defendant_person: Array, rb: Array, rw: Array, searched: Array,
                      all_person: Array, cal: Calendar, roster_name: pa.Array,
                      booking_number: pa.Array) -> None:  # fmt: skip
    """For each person a roster lists without a release date (the roster rows `rb`, `rw`
    where `searched`: a row printing a date of birth a day off finds no case, since a
    different date of birth is never a match): their criminal cases filed by then (exact
    name + DOB), and now and then an alias or soundex row of someone else's case."""
    draw = world.draw
    pre = searched
    # One group per (person, roster week): the person-history task of that week.
    group_key = all_person[rb[pre]] * 10_000 + rw[pre]
    groups, first_row, group_of_row = np.unique(group_key, return_index=True, return_inverse=True)
    g_person = groups // 10_000
    g_week = groups % 10_000
    g_booking = rb[pre][first_row]
    g_day = params.first_scrape + 7 * g_week
    # booking_numbers: the person's bookings on that roster, sorted, comma-joined.
    numbers = pc.take(booking_number, pa.array(rb[pre])).to_pylist()
    per_group: dict[int, set[str]] = {}
    for group, number in zip(group_of_row.tolist(), numbers, strict=True):
        per_group.setdefault(group, set()).add(number)
    g_numbers = [",".join(sorted(per_group[g])) for g in range(len(groups))]
    # Exact matches: the person's criminal cases filed and not sealed by then.
    crim = world.idx[~world.is_eviction]
    crim_person = defendant_person[crim]
    order = np.argsort(crim_person, kind="stable")
    crim, crim_person = crim[order], crim_person[order]
    lo = np.searchsorted(crim_person, g_person, side="left")
    counts = np.searchsorted(crim_person, g_person, side="right") - lo
    e_group = np.repeat(np.arange(len(groups)), counts)
    e_case = crim[np.repeat(lo, counts) + _ragged_arange(counts)] if len(crim) else e_group
    visible = (world.filed[e_case] <= g_day[e_group]) & (world.sealed_day[e_case] > g_day[e_group])
    e_group, e_case = e_group[visible], e_case[visible]
    # Now and then a same-DOB row of someone else's case (alias or soundex search).
    u = draw.u(950, g_person, g_week)
    other = crim[(u * 1e6).astype(np.int64) % max(len(crim), 1)] if len(crim) else g_person
    extra = (
        (u < 0.08)
        & (defendant_person[other] != g_person)
        & (world.filed[other] <= g_day)
        & (world.sealed_day[other] > g_day)
    )
    x_group = np.flatnonzero(extra)
    c_group = np.concatenate([e_group, x_group])
    cc = np.concatenate([e_case, other[x_group]]).astype(np.int64)
    rule = np.concatenate([np.zeros(len(e_group)), np.where(u[x_group] < 0.04, 1, 2)]).astype(
        np.int64
    )
    order = np.argsort(c_group, kind="stable")  # groups are in week order
    c_group, cc, rule = c_group[order], cc[order], rule[order]
    cp = g_person[c_group]
    cw = g_week[c_group]
    # person_key exactly as ingest computes it, once per person.
    names_of = pc.take(roster_name, pa.array(g_booking)).to_pylist()
    key_of: dict[int, str] = {}
    for person, name in zip(g_person.tolist(), names_of, strict=True):
        if person not in key_of:
            key_of[person] = person_key(PersonName.parse(name), iso(int(people.dob[person])))
    dobs = cal.dates(people.dob[cp])
    keys = [key_of[p] for p in cp.tolist()]
    joined = [g_numbers[g] for g in c_group.tolist()]
    party_person = defendant_person[cc]
    out.write(
        "person_case_candidates",
        cw,
        {
            "person_key": pa.array(keys, type=pa.string()),
            "person_name": pc.take(roster_name, pa.array(g_booking[c_group])),
            "person_dob": dobs,
            "booking_numbers": pa.array(joined, type=pa.string()),
            "court": pc.take(world.court, pa.array(cc)),
            "case_number": pc.take(world.case_number, pa.array(cc)),
            "case_type": pc.take(world.case_type, pa.array(cc)),
            "party_name": pc.take(people.name, pa.array(party_person)),
            "party_dob": cal.dates(people.dob[cp]),
            "match_rule": _vocab(("exact_name_dob", "alias_dob", "soundex_dob"), rule),
            "scraped_at": _scraped_at(cal, params.first_scrape + 7 * cw, cp * 1000 + cw, draw, 960),
        },
    )


# -- public API -----------------------------------------------------------------------------


def write_raw_tables(
    lake_root: Path,
    *,
    cases: int,
    weeks: int,
    seed: int,
    start: date,
    unmapped_status: str | None = None,
    churn: bool = False,
) -> dict[str, int]:
    """Write `weeks` weekly scrape partitions (the first on `start`) of a world of about
    `cases` court cases under `lake_root/raw/`. Returns rows written per table.

    `unmapped_status` puts a status that the status seed does not know on about 1% of
    the cases that reach a final state (to exercise the warn-severity mapping test).
    `churn` makes dockets change after filing the way courts change them (defendants
    added, the occupants pseudo-party dropped, lists re-ordered, names corrected or
    reduced to initials) and one court post some cases late (see `_party_rows`,
    `Cases`); `party_truth` then says who each party row is.
    """
    if weeks < 1 or cases < 10:
        raise ValueError("need at least one week and ten cases")
    params = Params(cases, weeks, seed, start, unmapped_status, churn)
    rows = generate(lake_root, params, range(weeks))
    manifest = lake_root / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({**params.to_json(), "written_weeks": weeks}, indent=2))
    return rows


def add_week(lake_root: Path) -> date:
    """Write the next weekly partition of the world `write_raw_tables` wrote under
    `lake_root` (new filings plus re-scrapes); return its scrape date."""
    manifest = lake_root / MANIFEST
    params, meta = _written_params(lake_root)
    week = int(meta["written_weeks"])
    generate(lake_root, params, [week])
    manifest.write_text(json.dumps({**meta, "written_weeks": week + 1}, indent=2))
    return date.fromordinal(EPOCH + params.scrape_day(week))


def _written_params(lake_root: Path) -> tuple[Params, dict[str, Any]]:
    meta = json.loads((lake_root / MANIFEST).read_text())
    params = Params(
        meta["cases"], meta["weeks"], meta["seed"], date.fromisoformat(meta["start"]),
        meta["unmapped_status"], meta.get("churn", False),
    )  # fmt: skip
    return params, meta


def party_truth(lake_root: Path) -> pa.Table:
    """Who each court_parties row of the generated lake is: per court, case_number,
    scrape_date and party_seq, the party's identity in the world (`person_id`, the
    same on every visit whatever the page prints), whether it is a person (not a
    plaintiff or the occupants pseudo-party), the name printed, and whether its case
    was posted late. Recomputed from the world's draws, for every week written."""
    params, meta = _written_params(lake_root)
    weeks = range(int(meta["written_weeks"]))
    n = params.cases_filed_by(params.scrape_day(max(weeks)))
    world = Cases(params, n)
    people, crim_people = _people(params)
    ver = visits(params, world, weeks)
    rows = _party_rows(world, people, ver, _defendant_people(world, people, crim_people))
    cal = Calendar(day_number(date(1949, 1, 1)), params.scrape_day(max(weeks)) + 3000)
    index = pa.array(rows.case)
    return pa.table(
        {
            "court": pc.take(world.court, index),
            "case_number": pc.take(world.case_number, index),
            "scrape_date": cal.dates(ver.day[rows.version]),
            "party_seq": pa.array(rows.seq.astype(np.int32)),
            "person_id": _concat(
                pc.cast(index, pa.string()), "-", pc.cast(pa.array(rows.slot), pa.string())
            ),
            "is_person": pa.array(rows.is_person & rows.is_defendant),
            "party_name": rows.name,
            "is_late_posting": pa.array(world.posted[rows.case] > world.filed[rows.case]),
        }
    )


def scrape_dates(lake_root: Path) -> list[date]:
    """Scrape dates present in the generated lake (from the court_cases partitions)."""
    folder = lake_root / "raw" / "court_cases"
    return sorted(date.fromisoformat(p.name.split("=", 1)[1]) for p in folder.glob("scrape_date=*"))


# -- benchmark ------------------------------------------------------------------------------

BENCH_CASES = int(os.environ.get("COURTLAKE_BENCH_CASES", "1000000"))
BENCH_WEEKS = 8
BENCH_START = date(2026, 9, 7)


def _timed(args: Sequence[str], dbt: DbtProject) -> float:
    started = time.perf_counter()
    dbt.run(args)
    return time.perf_counter() - started


def run(cases: int = BENCH_CASES) -> dict[str, Any]:
    """`make bench`: generate `cases` cases over 8 weekly partitions, `dbt seed` and a full
    `dbt build` on DuckDB, then one more week and an incremental `dbt build`, then one
    more week and the Monday run's build (`orchestration.weekly.WEEKLY_BUILD`: unit tests
    are left to CI). Seconds, and the peak RSS of the dbt processes (MiB).
    COURTLAKE_BENCH_CASES sets the default size."""
    root = Path(tempfile.mkdtemp(prefix="courtlake-bench-"))
    try:
        lake, warehouse, target = root / "lake", root / "warehouse", root / "target"
        warehouse.mkdir(parents=True)
        started = time.perf_counter()
        rows = write_raw_tables(lake, cases=cases, weeks=BENCH_WEEKS, seed=7, start=BENCH_START)
        generate_s = time.perf_counter() - started
        dbt = DbtProject(lake=str(lake), warehouse=warehouse, target_path=target)
        seed_s = _timed(["seed"], dbt)
        full_s = _timed(["build", "--exclude", "resource_type:seed"], dbt)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        started = time.perf_counter()
        added = add_week(lake)
        add_week_s = time.perf_counter() - started
        incremental_s = _timed(["build", "--exclude", "resource_type:seed"], dbt)
        add_week(lake)
        weekly_s = _timed(list(WEEKLY_BUILD), dbt)
        return {
            "cases": cases,
            "raw_rows": sum(rows.values()),
            "court_parties_rows": rows.get("court_parties", 0),
            "court_events_rows": rows.get("court_events", 0),
            "generate_s": round(generate_s, 1),
            "dbt_seed_s": round(seed_s, 1),
            "dbt_build_full_s": round(full_s, 1),
            "dbt_peak_rss_mib": round(peak_mib),
            "add_week": added.isoformat(),
            "add_week_s": round(add_week_s, 1),
            "dbt_build_incremental_s": round(incremental_s, 1),
            "incremental_share": round(incremental_s / full_s, 3),
            "weekly_build_incremental_s": round(weekly_s, 1),
            "weekly_build_share": round(weekly_s / full_s, 3),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else BENCH_CASES), indent=2))
