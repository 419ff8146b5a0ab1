"""The synthetic world: determinism, calibration, realism, and how it unfolds over time."""

from __future__ import annotations

import itertools
import pickle
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import FrozenInstanceError, dataclass, fields
from datetime import date, timedelta

import pytest

from simulator import charges as ch
from simulator.model import Booking, Case, World
from simulator.world import (
    BOOKING_NUMBER_PATTERN,
    CASE_NUMBER_PATTERNS,
    CASE_STATUSES,
    ENDS_ON,
    RARE_STATUS,
    STARTS_ON,
    _builder,
    generate_world,
)

SEED = 11
AS_OF = date(2026, 11, 23)
MEMPHIS_AREA_ZIPS = re.compile(r"^(381\d\d|38053|38017)$")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(SEED, 1.0)


@pytest.fixture(scope="module")
def small() -> World:
    return generate_world(SEED, 0.1)


def _evictions(world: World) -> list[Case]:
    return [c for c in world.cases if c.kind == "eviction"]


def _in_custody(world: World, day: date) -> list[Booking]:
    return [b for b in world.bookings if b.in_custody_on(day)]


# -- determinism and span ---------------------------------------------------------------


def test_given_same_seed_and_scale_when_generated_twice_then_worlds_are_equal(small: World):
    # GIVEN/WHEN a second generation with the same seed and scale
    again = generate_world(SEED, 0.1)
    # THEN every dataclass compares equal, field by field
    assert again == small


def test_given_another_seed_when_generated_then_world_differs(small: World):
    other = generate_world(SEED + 1, 0.1)
    assert [c.filed_date for c in other.cases] != [c.filed_date for c in small.cases]


def test_world_spans_fixed_dates_and_nothing_shows_after_its_end(world: World):
    """GIVEN a world WHEN its dates are read THEN it spans STARTS_ON..ENDS_ON and nothing shows
    later."""
    assert (world.starts_on, world.ends_on) == (STARTS_ON, ENDS_ON)
    assert min(c.filed_date for c in world.cases) >= STARTS_ON
    assert max(c.filed_date for c in world.cases) <= ENDS_ON
    for case in world.cases:
        assert all(e.visible_from <= ENDS_ON for e in case.events)
        assert all(j.visible_from <= ENDS_ON for j in case.judgments)
        assert all(s.on <= ENDS_ON for s in case.statuses)
        assert all(h.set_on <= ENDS_ON for h in case.hearings)
        assert case.removed_on is None or case.removed_on <= ENDS_ON


def test_timelines_are_ascending(world: World):
    """GIVEN status and custody timelines THEN they start on filing/booking and only move forward.
    GIVEN status and custody timelines THEN they start on filing/booking and only move forward."""
    for case in world.cases:
        days = [s.on for s in case.statuses]
        assert days == sorted(days) and days[0] == case.filed_date, case.case_key
    for booking in world.bookings:
        days = [s.on for s in booking.custody]
        assert days == sorted(days) and days[0] == booking.booked_at.date()
        assert booking.released_on is None or booking.released_on > booking.booked_at.date()


def test_records_built_without_init_equal_their_constructed_twins(world: World):
    # GIVEN records of every kind the generator builds
    case = next(c for c in world.cases if c.kind == "eviction" and c.judgments and c.payments)
    crime = next(c for c in world.cases if c.kind == "criminal" and c.charges and c.bonds)
    booking = next(b for b in world.bookings if b.charges)
    person = world.people[case.defendants()[0].person_key]
    records = [
        *case.parties,
        *case.events,
        *case.hearings,
        *case.judgments,
        *case.payments,
        *case.statuses,
        *crime.charges,
        *crime.bonds,
        *booking.charges,
        person,
        person.name,
        person.address,
    ]
    for record in records:
        # WHEN rebuilt through the dataclass constructor THEN they are indistinguishable
        twin = type(record)(**{f.name: getattr(record, f.name) for f in fields(record)})
        assert (twin, hash(twin), repr(twin)) == (record, hash(record), repr(record))
        assert pickle.loads(pickle.dumps(record)) == record
    # AND they stay frozen
    with pytest.raises(FrozenInstanceError):
        case.parties[0].role = "Plaintiff"  # type: ignore[misc]


def test_the_builder_refuses_classes_it_cannot_build_faithfully():
    """GIVEN classes with __post_init__ or slots WHEN asked for a builder THEN it refuses."""

    @dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            raise AssertionError("never skipped")

    @dataclass(frozen=True, slots=True)
    class Slotted:
        value: int

    for cls in (Checked, Slotted):
        with pytest.raises(TypeError):
            _builder(cls)


# -- calibration --------------------------------------------------------------------------


def test_scale_one_has_about_twenty_evictions_and_fifteen_criminal_cases_a_week(world: World):
    """GIVEN scale 1 WHEN cases are counted per week THEN ≈20 evictions and ≈15 criminal cases."""
    weeks = (ENDS_ON - STARTS_ON).days / 7
    kinds = Counter(c.kind for c in world.cases)
    assert 18 <= kinds["eviction"] / weeks <= 22
    assert 13 <= kinds["criminal"] / weeks <= 17
    assert 5000 <= len(world.cases) <= 6000


def test_case_counts_are_linear_in_scale(world: World, small: World):
    # GIVEN worlds at scale 1.0 and 0.1 THEN the smaller has about a tenth of the cases
    for kind in ("eviction", "criminal"):
        big = sum(c.kind == kind for c in world.cases)
        little = sum(c.kind == kind for c in small.cases)
        assert 0.085 <= little / big <= 0.115, kind


def test_jail_population_is_calibrated_and_mostly_pretrial(world: World):
    """GIVEN scale 1 WHEN the roster is counted on several days THEN 150–250 people, mostly
    pretrial."""
    for day in (STARTS_ON, date(2025, 9, 1), AS_OF, date(2027, 12, 1)):
        roster = _in_custody(world, day)
        assert 150 <= len(roster) <= 250, (day, len(roster))
        statuses = Counter(b.custody_on(day) for b in roster)
        assert 0.5 <= statuses["Pretrial"] / len(roster) <= 0.75, (day, statuses)
        assert statuses["Sentenced"] > 0 and statuses["Hold"] > 0


# -- identifiers --------------------------------------------------------------------------


def test_case_numbers_match_patterns_are_unique_and_sequential_per_year(world: World):
    """GIVEN all cases THEN numbers match the patterns, are unique and run 1..n per kind and year.
    GIVEN all cases THEN numbers match the patterns, are unique and run 1..n per kind and year."""
    numbers = [c.case_number for c in world.cases]
    assert len(set(numbers)) == len(numbers)
    sequences: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case in world.cases:
        assert re.match(CASE_NUMBER_PATTERNS[case.kind], case.case_number), case.case_number
        yy, code, n = case.case_number.split("-")
        assert yy == f"{case.filed_date.year % 100:02d}"
        sequences[(yy, code)].append(int(n))
    for key, seq in sequences.items():
        assert sorted(seq) == list(range(1, len(seq) + 1)), key


def test_booking_numbers_match_pattern_and_are_unique(world: World):
    """GIVEN all bookings THEN numbers match the pattern, carry the booking year, are unique."""
    numbers = [b.booking_number for b in world.bookings]
    assert len(set(numbers)) == len(numbers)
    for booking in world.bookings:
        assert re.match(BOOKING_NUMBER_PATTERN, booking.booking_number)
        assert booking.booking_number.startswith(f"{booking.booked_at.year}-")


def test_every_booking_charge_case_number_is_a_criminal_case(world: World):
    """GIVEN booking charges WHEN they carry a case number THEN it is a criminal case; most do."""
    criminal = {c.case_number for c in world.cases if c.kind == "criminal"}
    linked = [ch for b in world.bookings for ch in b.charges if ch.court_case_number]
    assert linked, "bookings should link charges to court cases"
    assert {ch.court_case_number for ch in linked} <= criminal
    # Most charges on the roster of a day carry a case number; some (holds) do not.
    charges = [ch for b in _in_custody(world, AS_OF) for ch in b.charges]
    share = sum(ch.court_case_number is not None for ch in charges) / len(charges)
    assert 0.6 <= share < 1.0


def test_statuses_are_all_classified_and_the_rare_one_is_rare(world: World):
    """GIVEN every status used THEN it is in CASE_STATUSES, and the rare one is used, rarely."""
    used = Counter(s.status for c in world.cases for s in c.statuses)
    assert set(used) <= set(CASE_STATUSES)
    assert set(CASE_STATUSES.values()) == {"active", "final"}
    rare_cases = sum(any(s.status == RARE_STATUS for s in c.statuses) for c in world.cases)
    assert 0 < rare_cases < 0.02 * len(world.cases)


# -- people -------------------------------------------------------------------------------


def test_names_include_apostrophes_hyphens_suffixes_and_accents(small: World):
    """GIVEN a small world's people THEN their names include the hard cases scrapers must survive.
    GIVEN a small world's people THEN their names include the hard cases scrapers must survive."""
    names = [p.name for p in small.people.values()]
    assert any("'" in n.last or "'" in n.first for n in names)
    assert any("-" in n.last for n in names)
    assert {"Jr", "Sr", "II", "III"} & {n.suffix for n in names}
    accented = [
        n for n in names if unicodedata.normalize("NFKD", n.first + n.last) != n.first + n.last
    ]
    assert accented
    assert any(not n.middle for n in names) and any(n.middle for n in names)


def test_distinct_people_share_name_and_birth_date(small: World):
    """GIVEN a small world's people THEN some distinct people share name and DOB, others only the
    name."""
    by_name_dob: dict[tuple, set[str]] = defaultdict(set)
    by_name: dict[tuple, set[date]] = defaultdict(set)
    for person in small.people.values():
        by_name_dob[(person.name, person.dob)].add(person.person_key)
        by_name[person.name].add(person.dob)
    assert any(len(keys) > 1 for keys in by_name_dob.values())
    assert any(len(dobs) > 1 for dobs in by_name.values())


def test_some_criminal_defendants_have_aliases_and_everyone_has_race_and_sex(world: World):
    """GIVEN criminal defendants THEN some have AKA names (never their own), all have race and sex.
    GIVEN criminal defendants THEN some have AKA names (never their own), all have race and sex."""
    defendants = {p.person_key for c in world.cases if c.kind == "criminal" for p in c.defendants()}
    assert any(world.people[k].aliases for k in defendants)
    assert all(
        alias != world.people[k].name for k in defendants for alias in world.people[k].aliases
    )
    assert {p.sex for p in world.people.values()} == {"M", "F"}
    assert len({p.race for p in world.people.values()}) >= 4


def test_addresses_are_memphis_area(world: World):
    """GIVEN people's addresses THEN they are Memphis-area streets, units and zips."""
    addresses = [p.address for p in world.people.values() if p.address is not None]
    assert all(MEMPHIS_AREA_ZIPS.match(a.zip_code) for a in addresses)
    assert all(a.state == "TN" for a in addresses)
    cities = Counter(a.city for a in addresses)
    assert cities.most_common(1)[0][0] == "Memphis"
    assert {"Bartlett", "Germantown", "Millington", "Collierville"} <= set(cities)
    assert any(a.unit.startswith("Apt ") for a in addresses)
    assert any(re.match(r"^\d+ [A-Z].* (Ave|Rd|St|Blvd)$", a.street) for a in addresses)


def test_every_party_and_booking_person_is_in_people(world: World):
    """GIVEN parties and bookings THEN world.people is exactly the people they name."""
    keys = {p.person_key for c in world.cases for p in c.parties if p.person_key}
    keys |= {b.person_key for b in world.bookings}
    assert keys == set(world.people)


# -- evictions ----------------------------------------------------------------------------


def test_evictions_have_landlords_defendants_and_pseudo_parties(world: World):
    """GIVEN evictions THEN plaintiffs are businesses (a few frequent) or persons, with 1–3 tenants
    and pseudo-parties."""
    cases = _evictions(world)
    plaintiffs = Counter(c.parties[0].display_name_on(AS_OF) for c in cases)
    assert any(c.parties[0].business_name and "LLC" in c.parties[0].business_name for c in cases)
    assert any(c.parties[0].name is not None for c in cases), "some landlords are persons"
    assert plaintiffs.most_common(1)[0][1] > 0.05 * len(cases), "a few very frequent filers"
    assert any(c.parties[0].attorney is not None for c in cases)
    at_filing = Counter(
        sum(not p.is_pseudo and p.listed_from is None for p in c.defendants()) for c in cases
    )
    assert set(at_filing) == {1, 2, 3}
    pseudo = [p for c in cases for p in c.parties if p.is_pseudo]
    assert pseudo and all(p.business_name == "ALL OTHER OCCUPANTS" for p in pseudo)


def test_dockets_change_after_filing_the_way_courts_change_them(world: World):
    """GIVEN evictions THEN some gain a defendant after filing (listed first on GSC-1 and
    GSC-3, last elsewhere), some drop the occupants pseudo-party, some list their
    defendants in reverse order from some day on, some print a defendant's name with a
    typo until corrected, and GSC-4 posts some cases later than any partner's window
    (60 days); a party keeps its party_key through all of it."""
    cases = _evictions(world)
    added = [(c, p) for c in cases for p in c.parties if p.listed_from is not None]
    assert added
    for case, party in added:
        before = case.parties_on(party.listed_from - timedelta(days=1))
        after = case.parties_on(party.listed_from)
        assert party not in before and party in after
        people = [p for p in after if p.role == "Defendant" and not p.is_pseudo]
        if case.reordered_from is None or party.listed_from < case.reordered_from:
            expected = 0 if case.court in ("GSC-1", "GSC-3") else len(people) - 1
            assert people.index(party) == expected
    dropped = [(c, p) for c in cases for p in c.parties if p.listed_until is not None]
    assert dropped and all(p.is_pseudo for _, p in dropped)
    assert all(p not in c.parties_on(p.listed_until) for c, p in dropped)
    reordered = [c for c in cases if c.reordered_from is not None]
    assert reordered
    for case in reordered:

        def listed(day: date, case: Case = case) -> list[str]:
            return [
                p.party_key
                for p in case.parties_on(day)
                if p.role == "Defendant" and not p.is_pseudo
            ]

        was = listed(case.reordered_from - timedelta(days=1))
        now = listed(case.reordered_from)
        shared = [k for k in was if k in now]
        if len(shared) > 1:
            assert [k for k in now if k in shared] == shared[::-1]
    typos = [p for c in cases for p in c.parties if p.misspelled_until is not None]
    assert typos
    for party in typos:
        day = party.misspelled_until
        if party.initials_from is not None and party.initials_from < day:
            continue
        last = party.name.last
        assert party.display_name_on(day - timedelta(days=1)).startswith(f"{last}{last[-1]},")
        assert party.display_name_on(day) == party.name.display()
    late = [c for c in cases if (c.posted_on - c.filed_date).days > 60]
    assert late and {c.court for c in late} == {"GSC-4"}


def test_defendant_addresses_arrive_late_or_never_for_some(world: World):
    """GIVEN tenants THEN some addresses arrive after filing, some never, some list several."""
    tenants = [p for c in _evictions(world) for p in c.defendants() if not p.is_pseudo]
    filed = {p.party_key: c.filed_date for c in _evictions(world) for p in c.parties}
    late = [
        p for p in tenants if p.address_visible_from and p.address_visible_from > filed[p.party_key]
    ]
    never = [p for p in tenants if p.address is None]
    assert late and never
    party = late[0]
    assert party.address_on(filed[party.party_key]) is None
    assert party.address_on(party.address_visible_from) == party.address
    assert any(";" in p.address.street for p in tenants if p.address is not None)


def test_details_arrive_after_the_filing(world: World):
    """GIVEN a case on its filing day WHEN seen 60 days later THEN it has more docket entries."""
    # GIVEN a case WHEN looked at on its filing day and 60 days later THEN it has grown
    grown = [
        c
        for c in world.cases
        if len(c.events_on(c.filed_date)) < len(c.events_on(c.filed_date + timedelta(days=60)))
    ]
    assert len(grown) > 0.5 * len(world.cases)
    served = [e for c in _evictions(world) for e in c.events if e.event_type == "Service"]
    assert any(re.match(r"^Served \d{4}-\d{2}-\d{2}$", e.description) for e in served)
    assert any(e.description.startswith("Not Served") for e in served)


def test_some_hearings_are_canceled_and_reset(world: World):
    """GIVEN hearings THEN some are CANCELED and reset to a later setting made that day."""
    reset = [
        (c, h)
        for c in world.cases
        for h in c.hearings
        if h.canceled_on is not None
        and any(o.set_on == h.canceled_on and o.scheduled_at > h.scheduled_at for o in c.hearings)
    ]
    assert reset
    _, hearing = reset[0]
    assert hearing.state_on(hearing.canceled_on - timedelta(days=1))[0] is False
    assert hearing.state_on(hearing.canceled_on)[0] is True
    results = Counter(h.result for c in _evictions(world) for h in c.hearings if h.result)
    assert {"Judgment Entered", "Continued", "Dismissed"} <= set(results)


def test_default_judgments_appear_weeks_after_filing(world: World):
    """GIVEN default judgments THEN they show weeks after filing and at least a week after entry."""
    defaults = [
        (c, j)
        for c in _evictions(world)
        for j in c.judgments
        if j.judgment_type == "Default Judgment"
    ]
    assert defaults
    assert all((j.visible_from - c.filed_date).days >= 14 for c, j in defaults)
    assert all(j.visible_from >= j.judgment_date + timedelta(days=7) for _, j in defaults)
    kinds = {j.judgment_type for c in _evictions(world) for j in c.judgments}
    assert {
        "Judgment for Plaintiff",
        "Dismissed with Prejudice",
        "Dismissed without Prejudice",
        "Judgment for Defendant",
    } <= kinds


def test_writs_are_requested_issued_then_served(world: World):
    """GIVEN writs of possession THEN requested < issued < served, and the case ends Satisfied."""
    for case in _evictions(world):
        days = {e.event_type: e.event_date for e in case.events}
        if "Writ of Possession Served" in days:
            requested = days["Writ of Possession Requested"]
            assert requested < days["Writ of Possession Issued"] < days["Writ of Possession Served"]
            assert case.status_on(ENDS_ON) == "Satisfied"
    assert any("Writ of Possession Served" in {e.event_type for e in c.events} for c in world.cases)


def test_balances_change_over_time(world: World):
    """GIVEN a case's balance on filing and 200 days later THEN some changed, none negative."""
    moving = [
        c
        for c in world.cases
        if c.balance_on(c.filed_date) != c.balance_on(c.filed_date + timedelta(days=200))
    ]
    assert moving
    assert all(c.balance_on(ENDS_ON) >= 0 for c in world.cases)


# -- criminal cases and the jail -----------------------------------------------------------


def test_criminal_cases_have_tennessee_charges_dispositions_bonds_and_counsel(world: World):
    """GIVEN criminal cases THEN TN statutes, every disposition kind, bonds and all counsel kinds
    appear."""
    cases = [c for c in world.cases if c.kind == "criminal"]
    charges = [charge for c in cases for charge in c.charges]
    assert all(re.match(r"^\d{2}-\d{1,2}-\d{3,4}$", charge.statute) for charge in charges)
    assert {"ASSAULT", "DRIVING ON REVOKED LICENSE"} <= {charge.description for charge in charges}
    assert {charge.disposition for charge in charges if charge.disposition} == set(
        ch.CHARGE_DISPOSITIONS
    )
    assert all(charge.offense_date <= c.filed_date for c in cases for charge in c.charges)
    assert all(c.bonds for c in cases)
    kinds = {p.attorney.kind for c in cases for p in c.defendants() if p.attorney}
    assert kinds == {"Public Defender", "Court Appointed", "Retained"}
    assert {c.court for c in cases} == {
        "GSCR-7",
        "GSCR-8",
        "GSCR-9",
        "GSCR-10",
        "CC-1",
        "CC-2",
        "CC-3",
    }


def test_released_people_leave_the_roster(world: World):
    """GIVEN a released booking WHEN the release day comes THEN it leaves the roster."""
    released = [b for b in world.bookings if b.released_on and STARTS_ON < b.released_on < ENDS_ON]
    assert released
    for booking in released[:50]:
        assert booking.in_custody_on(booking.released_on - timedelta(days=1))
        assert not booking.in_custody_on(booking.released_on)
    assert any(b.released_on is None for b in world.bookings), "some still in custody at the end"


def test_a_person_is_never_in_two_stays_at_once(world: World):
    """GIVEN a person's bookings THEN they never overlap, and some people come back within a year.
    GIVEN a person's bookings THEN they never overlap, and some people come back within a year."""
    stays: dict[str, list[Booking]] = defaultdict(list)
    for booking in world.bookings:
        stays[booking.person_key].append(booking)
    rebooked = 0
    for bookings in stays.values():
        bookings.sort(key=lambda b: b.booked_at)
        for first, second in itertools.pairwise(bookings):
            assert first.released_on is not None
            assert first.released_on <= second.booked_at.date()
            rebooked += (second.booked_at.date() - first.released_on).days <= 365
    assert rebooked > 0, "some people are booked again within a year"


def test_the_roster_mixes_holds_several_cases_and_bond_types(world: World):
    """GIVEN the roster of a day THEN it mixes holds, multi-case bookings, agencies and housing."""
    roster = _in_custody(world, AS_OF)
    assert any(all(c.court_case_number is None for c in b.charges) for b in roster)
    assert any(
        len({c.court_case_number for c in b.charges if c.court_case_number}) > 1
        for b in world.bookings
    )
    assert any(b.custody_on(AS_OF) == "Hold" for b in roster)
    assert {"Memphis Police Department", "Shelby County Sheriff's Office"} <= {
        b.arresting_agency for b in roster
    }
    assert all(re.match(r"^(201 Poplar|Jail East) - ", b.housing) for b in roster)
    assert {"No Bond", "Surety"} <= {b.bond_type for b in world.bookings}


# -- removals and visibility ---------------------------------------------------------------


def test_a_removed_case_is_visible_only_between_posting_and_removal(world: World):
    """GIVEN a removed case THEN it shows from posting until the day before removal; 0.5–3% are
    removed."""
    removed = [c for c in world.cases if c.removed_on is not None]
    assert 0.005 * len(world.cases) <= len(removed) <= 0.03 * len(world.cases)
    assert {c.removal_kind for c in removed} == {"sealed", "expunged"}
    case = next(c for c in removed if c.posted_on < c.removed_on)
    assert not case.visible_on(case.posted_on - timedelta(days=1))
    assert case.visible_on(case.posted_on)
    assert case.visible_on(case.removed_on - timedelta(days=1))
    assert not case.visible_on(case.removed_on)


def test_the_late_posting_location_lags_and_the_others_do_not(world: World):
    """GIVEN posting lags by court THEN only GSC-4 lags, by 3–10 days, and some of its
    cases by 61–100 days (later than any partner's window)."""
    lags = defaultdict(set)
    for case in world.cases:
        lags[case.court].add((case.posted_on - case.filed_date).days)
    late = [c.code for c in world.courts if c.posting_lag_days > 0]
    assert late == ["GSC-4"]
    usual = {lag for lag in lags["GSC-4"] if lag <= 10}
    assert min(usual) >= 3 and len(usual) > 3
    assert lags["GSC-4"] - usual and min(lags["GSC-4"] - usual) >= 61
    assert max(lags["GSC-4"]) <= 100
    assert all(lags[court] == {0} for court in lags if court != "GSC-4")


def test_some_party_names_are_reduced_to_initials(world: World):
    """GIVEN a party reduced to initials WHEN before/after that day THEN full name, then initials.
    GIVEN a party reduced to initials WHEN before/after that day THEN full name, then initials."""
    reduced = [p for c in world.cases for p in c.parties if p.initials_from is not None]
    assert reduced
    party = reduced[0]
    assert party.display_name_on(party.initials_from) == party.name.initials()
    assert party.display_name_on(party.initials_from - timedelta(days=1)) == party.name.display()


def test_officers_and_courtrooms_come_from_pools(world: World):
    """GIVEN hearings and cases THEN officers and courtrooms come from the world's pools."""
    assert len(world.judicial_officers) >= len(world.courts)
    officers = {h.judicial_officer for c in world.cases for h in c.hearings}
    assert officers <= set(world.judicial_officers)
    assert {h.courtroom for c in world.cases for h in c.hearings} <= set(world.courtrooms)
    assert {c.judicial_officer for c in world.cases} <= set(world.judicial_officers)


def test_scale_must_be_positive():
    """GIVEN scale 0 WHEN generating THEN ValueError."""
    with pytest.raises(ValueError):
        generate_world(SEED, 0)
