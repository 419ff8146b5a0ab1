"""The marts after a real ingest from the portal simulator agree with its truth export.

GIVEN a simulator world and one ingest of 2026-11-23 (session mode, 2 workers) compacted
into a lake, WHEN `dbt build` (dev target, DuckDB) runs, THEN the build passes and every
mart holds exactly the records the truth export shows for what the ingest reaches:

* cases: the ingest does not crawl the whole portal, so the marts hold the *discovered*
  cases, not every case of the truth export (by design). Discovered are the Eviction
  filings of the discovery window (`FILINGS_DAYS` back from as-of) and the criminal
  cases the person-history search finds for each person the roster lists (released
  lately or not): a party with the same date of birth whose printed name (or an alias of
  the person) has the person's last name, by soundex, and a first name starting with
  theirs; a name reduced to initials never matches. Search results show no date of
  birth on eviction cases, so a person's eviction cases are never candidates (by
  design: a different or missing DOB is never a match). The re-scrape stream has no
  history on a first run.
* jail: the bookings on the IML roster that day: people in custody (the truth's
  `bookings`) and people released in the last 30 days, whom the "include released"
  search lists with their release date (`released_bookings`); each with its permanent
  id, bonds and charges as the person page shows them.
* custody: IML prints none, dim_bookings derives it (the rule in
  models/marts/jail/_jail__models.yml); it must equal the truth's `custody_status` for
  everyone in custody, and for released people whose court cases the ingest found.
* people: a person is a permanent id (every booking of it, and the criminal-case
  parties printing the name + DOB of one of its bookings) or a criminal-case party with
  a DOB and a full name (tenants carry no DOB; initials never resolve).

The window is wide enough to reach judgments and a case sealed before as-of (seed 4: a
filing of 2026-06-26 sealed on 2026-09-16), which must be absent everywhere. A tombstone
needs two later visits and is covered by tests/dbt_models/test_dbt_build.py and
tests/ingest/test_ingest_simulator.py. The ingest module's own clean run is not reused:
its 21-day window reaches no judgment and no sealed case, and a dedicated ingest costs
~25 s (the browser login, not the number of cases).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from courtlake.lake import LocalLake
from ingest.compact import compact
from ingest.odyssey import PortalCredentials
from ingest.politeness import RetryPolicy
from ingest.runner import IngestConfig, run_ingest
from ingest.streams import StreamSettings
from orchestration.dbt import DbtProject
from simulator.model import World
from simulator.search import NameQuery, fold, soundex
from simulator.server import build_state, running
from simulator.truth import truth_on

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.e2e]

SEED, SCALE = 4, 0.1
AS_OF = date(2026, 11, 23)
FILINGS_DAYS = 150
MARTS = "main_marts"

Ref = tuple[str, str]  # (court name, case number)


@dataclass(frozen=True)
class Ingested:
    lake: Path
    truth: dict
    world: World


@dataclass(frozen=True)
class Warehouse:
    path: Path
    results: dict[str, str]  # unique_id → status


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    lake = tmp_path_factory.mktemp("truth-lake")
    with running(build_state(SEED, AS_OF, scale=SCALE)) as sim:
        config = IngestConfig(
            as_of=AS_OF,
            court_url=sim.court_url,
            jail_url=sim.jail_url,
            mode="session",
            workers=2,
            credentials=PortalCredentials("analyst", "courtlake-sim"),
            retry=RetryPolicy(attempts=6, initial_s=0.05, max_wait_s=0.5),
            start_rps=50.0,
            max_rps=200.0,
            progress=False,
            stream_settings=StreamSettings(as_of=AS_OF, filings_days=FILINGS_DAYS),
        )
        report = run_ingest(config, LocalLake(lake))
        truth = truth_on(sim.state.world, AS_OF)
    assert not report.degraded and report.failure_rate == 0, report.messages
    compact(LocalLake(lake), AS_OF)
    return Ingested(lake, truth, sim.state.world)


@pytest.fixture(scope="module")
def warehouse(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("truth-warehouse")
    dbt = DbtProject(lake=str(ingested.lake), warehouse=root, target_path=root / "target")
    dbt.run(["build"])  # seeds included: one dbt start-up
    results = json.loads((root / "target" / "run_results.json").read_text())["results"]
    return Warehouse(root / "courtlake.duckdb", {r["unique_id"]: r["status"] for r in results})


@pytest.fixture
def con(warehouse: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        yield connection


# -- what the truth says the ingest reaches ------------------------------------------------


def last_first(display: str) -> tuple[str, str]:
    """`Last, First Middle` → (last, first), as the portal's search and the staging
    models read a printed name."""
    name = NameQuery.parse(display) or NameQuery(last=display.strip())
    return name.last, name.first


def person_id(display: str, dob: str) -> tuple[str, str, str] | None:
    """The identity dim_people resolves a printed name + DOB to (None: unresolved)."""
    last, first = (fold(part) for part in last_first(display))
    return (last, first, dob) if len(last) >= 2 and len(first) >= 2 else None


def listed_bookings(truth: dict) -> list[dict]:
    """Every booking the roster lists that day: in custody, and released lately."""
    return truth["bookings"] + truth["released_bookings"]


def searched_people(truth: dict) -> set[tuple[str, str]]:
    """(printed name, DOB) of everyone the roster lists, released lately or not: the
    person-history stream searches each of them."""
    return {(b["roster_name"], b["dob"]) for b in listed_bookings(truth)}


def filed_in_window(filed: str) -> bool:
    return (AS_OF - timedelta(days=FILINGS_DAYS)).isoformat() <= filed <= AS_OF.isoformat()


def discovered_cases(truth: dict) -> dict[Ref, dict]:
    """The truth's cases the filings and person-history streams find (module docstring)."""
    people = {p["person_key"]: p for p in truth["people"]}
    cases = {(c["court_name"], c["case_number"]): c for c in truth["cases"]}
    found = {ref for ref, c in cases.items() if c["case_type"] == "Eviction"}
    found = {ref for ref in found if filed_in_window(cases[ref]["filed_date"])}
    for name, dob in searched_people(truth):
        last, first = last_first(name)
        for ref, case in cases.items():
            if case["kind"] != "criminal":
                continue
            for party in case["parties"]:
                person = people.get(party["person_key"] or "")
                if person is None or party["initials"] or person["dob"] != dob:
                    continue
                for printed in (party["name"], *person["aliases"]):
                    other_last, other_first = last_first(printed)
                    if soundex(other_last) == soundex(last) and fold(other_first).startswith(
                        fold(first)
                    ):
                        found.add(ref)
    return {ref: cases[ref] for ref in found}


def person_of(truth: dict) -> dict[tuple[str, str, str], str]:
    """Name + DOB identity → the permanent id of the booking printing it."""
    return {
        identity: b["permanent_id"]
        for b in listed_bookings(truth)
        if (identity := person_id(b["roster_name"], b["dob"])) is not None
    }


def person_case_links(truth: dict, cases: dict[Ref, dict]) -> set[tuple[object, Ref]]:
    """(person, case) for each criminal party with a DOB that resolves to a person: the
    permanent id whose booking prints the party's name + DOB, else that name + DOB."""
    people = {p["person_key"]: p for p in truth["people"]}
    permanent = person_of(truth)
    links: set[tuple[object, Ref]] = set()
    for ref, case in cases.items():
        for party in case["parties"]:
            if case["kind"] == "criminal" and party["person_key"]:
                identity = person_id(party["name"], people[party["person_key"]]["dob"])
                if identity is not None:
                    links.add((permanent.get(identity, identity), ref))
    return links


def expected_counts(truth: dict) -> dict[str, object]:
    cases = discovered_cases(truth)
    bookings = listed_bookings(truth)
    criminal_numbers = {ref[1] for ref, c in cases.items() if c["kind"] == "criminal"}
    links = person_case_links(truth, cases)
    people = {b["permanent_id"] for b in bookings} | {p for p, _ in links}
    judgments = [j for c in cases.values() for j in c["judgments"]]
    hearings = [h for c in cases.values() for h in c["hearings"]]
    bonds = [bond for b in bookings for bond in b["bonds"]]
    return {
        "dim_cases by kind": dict(Counter(c["kind"] for c in cases.values())),
        "fct_eviction_filings (defendants)": sum(
            1
            for c in cases.values()
            if c["kind"] == "eviction"
            for p in c["parties"]
            if p["role"] == "Defendant" and not p["is_pseudo"]
        ),
        "fct_case_events": sum(len(c["events"]) for c in cases.values()),
        "fct_hearings": len(hearings),
        "fct_hearings canceled": sum(h["canceled"] for h in hearings),
        "fct_judgments": len(judgments),
        "fct_judgments amount": sum(Decimal(j["amount"] or "0") for j in judgments),
        "dim_bookings": len(bookings),
        "dim_bookings in custody": len(truth["bookings"]),
        "fct_booking_charges": sum(len(b["charges"]) for b in bookings),
        "fct_booking_charges linked to a case": sum(
            1 for b in bookings for c in b["charges"] if c["court_case_number"] in criminal_numbers
        ),
        "fct_booking_bonds": len(bonds),
        "fct_booking_bonds amount": sum(Decimal(bond["amount"] or "0") for bond in bonds),
        "dim_people": len(people),
        "dim_people with a permanent id": len({b["permanent_id"] for b in bookings}),
        "dim_people court cases": len(links),
    }


def truth_bookings(ingested: Ingested) -> list[dict]:
    return listed_bookings(ingested.truth)


# -- the marts --------------------------------------------------------------------------


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


def grouped(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    return dict(con.execute(sql).fetchall())


def mart_counts(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    return {
        "dim_cases by kind": grouped(
            con, f"select case_kind, count(*) from {MARTS}.dim_cases group by case_kind"
        ),
        "fct_eviction_filings (defendants)": scalar(
            con, f"select count(*) from {MARTS}.fct_eviction_filings"
        ),
        "fct_case_events": scalar(con, f"select count(*) from {MARTS}.fct_case_events"),
        "fct_hearings": scalar(con, f"select count(*) from {MARTS}.fct_hearings"),
        "fct_hearings canceled": scalar(
            con, f"select count(*) from {MARTS}.fct_hearings where is_canceled"
        ),
        "fct_judgments": scalar(con, f"select count(*) from {MARTS}.fct_judgments"),
        "fct_judgments amount": scalar(
            con, f"select coalesce(sum(judgment_amount), 0) from {MARTS}.fct_judgments"
        ),
        "dim_bookings": scalar(con, f"select count(*) from {MARTS}.dim_bookings"),
        "dim_bookings in custody": scalar(
            con, f"select count(*) from {MARTS}.dim_bookings where is_in_custody"
        ),
        "fct_booking_charges": scalar(con, f"select count(*) from {MARTS}.fct_booking_charges"),
        "fct_booking_charges linked to a case": scalar(
            con, f"select count(case_id) from {MARTS}.fct_booking_charges"
        ),
        "fct_booking_bonds": scalar(con, f"select count(*) from {MARTS}.fct_booking_bonds"),
        "fct_booking_bonds amount": scalar(
            con, f"select coalesce(sum(bond_amount), 0) from {MARTS}.fct_booking_bonds"
        ),
        "dim_people": scalar(con, f"select count(*) from {MARTS}.dim_people"),
        "dim_people with a permanent id": scalar(
            con, f"select count(permanent_id) from {MARTS}.dim_people"
        ),
        "dim_people court cases": scalar(
            con, f"select coalesce(sum(court_case_count), 0) from {MARTS}.dim_people"
        ),
    }


# -- tests ------------------------------------------------------------------------------


def test_dbt_build_passes_on_the_ingested_lake(warehouse: Warehouse) -> None:
    failed = {uid: s for uid, s in warehouse.results.items() if s not in ("success", "pass")}
    assert failed == {}  # the simulator's statuses are all in the status seed: no warning
    assert sum(uid.startswith("model.") for uid in warehouse.results) >= 20


def test_dim_cases_holds_exactly_the_discovered_cases_as_the_truth_shows_them(
    ingested: Ingested, con: duckdb.DuckDBPyConnection
) -> None:
    expected = {ref: c["status"] for ref, c in discovered_cases(ingested.truth).items()}
    rows = con.execute(f"select court, case_number, status from {MARTS}.dim_cases").fetchall()
    assert {(court, number): status for court, number, status in rows} == expected
    assert len(rows) == len(expected)
    kinds = Counter(c["kind"] for c in discovered_cases(ingested.truth).values())
    assert kinds["eviction"] > 20 and kinds["criminal"] > 5  # both streams contributed


def test_mart_row_counts_agree_with_the_truth_export(
    ingested: Ingested, con: duckdb.DuckDBPyConnection
) -> None:
    expected = expected_counts(ingested.truth)
    assert mart_counts(con) == expected
    # every mart is exercised: no count is trivially zero
    assert all(value for value in expected.values()), expected


def test_custody_derived_from_the_pages_agrees_with_the_truth(
    ingested: Ingested, con: duckdb.DuckDBPyConnection
) -> None:
    """GIVEN a roster that prints no custody status WHEN dim_bookings derives it from the
    person pages and the court records THEN it is the truth's (the last one, for
    released people) for everyone whose court cases the ingest found, and Pretrial for
    the others (a charge whose case the lake does not hold counts as open: a released
    person is not searched); what the pages cannot show at all (a conviction on a case
    the jail prints no number for, an indictment after a bind-over that ended) is left
    Pretrial, never another status, and stays rare. fct_pretrial_detentions holds
    everyone held pretrial as still pretrial."""
    rows = con.execute(
        "select bookings.booking_number, bookings.custody_status, bookings.is_in_custody, "
        "custody.linked_case_count = custody.found_case_count "
        f"from {MARTS}.dim_bookings as bookings "
        "inner join main_intermediate.int_booking_custody_derived as custody "
        "on bookings.booking_key = custody.booking_key"
    ).fetchall()
    derived = {number: status for number, status, _, _ in rows}
    truth = {b["booking_number"]: b["custody_status"] for b in truth_bookings(ingested)}
    expected = {number: truth[number] if known else "Pretrial" for number, _, _, known in rows}
    assert derived.keys() == truth.keys()
    wrong = {n: (derived[n], expected[n]) for n in derived if derived[n] != expected[n]}
    assert all(status == "Pretrial" for status, _ in wrong.values()), wrong
    assert len(wrong) <= len(derived) // 20, wrong
    held = Counter(status for _, status, in_custody, _ in rows if in_custody)
    assert sum(held.values()) == len(ingested.truth["bookings"])
    assert held["Pretrial"] > 5 and held["Sentenced"] and held["Hold"], held
    still = scalar(
        con, f"select count(*) from {MARTS}.fct_pretrial_detentions where is_still_pretrial"
    )
    assert still == held["Pretrial"]


def test_permanent_ids_and_release_dates_agree_with_the_truth(
    ingested: Ingested, con: duckdb.DuckDBPyConnection
) -> None:
    """GIVEN the roster's permanent ids and the released listing THEN each booking has
    the truth's permanent id, commitment and release date (printed, never inferred from
    leaving the roster), and every permanent id is one person in dim_people."""
    rows = con.execute(
        f"select booking_number, permanent_id, commitment_date, release_date, "
        f"release_date_source, person_id from {MARTS}.dim_bookings"
    ).fetchall()
    shown = {
        number: (permanent, str(committed), str(released) if released else None)
        for number, permanent, committed, released, _, _ in rows
    }
    expected = {
        b["booking_number"]: (b["permanent_id"], b["commitment_date"], b["release_date"])
        for b in truth_bookings(ingested)
    }
    assert shown == expected
    sources = {source for *_, source, _ in rows if source is not None}
    assert sources and sources <= {"person_page", "roster"}
    people = dict(
        con.execute(
            f"select permanent_id, count(distinct person_id) from {MARTS}.dim_bookings "
            "group by permanent_id"
        ).fetchall()
    )
    assert set(people.values()) == {1}
    assert people.keys() == {b["permanent_id"] for b in truth_bookings(ingested)}


def test_bonds_agree_with_the_truth(ingested: Ingested, con: duckdb.DuckDBPyConnection) -> None:
    """GIVEN several bonds per booking on the person pages THEN fct_booking_bonds holds
    each with the truth's amount, status, who posted it and when."""
    rows = con.execute(
        f"select booking_number, bond_seq, bond_amount, bond_status, posted_by, post_date "
        f"from {MARTS}.fct_booking_bonds"
    ).fetchall()
    shown = {
        (number, seq): (str(amount) if amount is not None else None, status, by, when)
        for number, seq, amount, status, by, when in rows
    }
    expected = {
        (b["booking_number"], seq): (
            bond["amount"],
            bond["status"],
            bond["posted_by"],
            date.fromisoformat(bond["post_date"]) if bond["post_date"] else None,
        )
        for b in truth_bookings(ingested)
        for seq, bond in enumerate(b["bonds"], start=1)
    }
    assert shown == expected
    per_booking = Counter(number for number, _ in shown)
    assert max(per_booking.values()) > 1  # several bonds on one booking


def test_a_case_sealed_before_the_as_of_date_is_absent_from_every_mart(
    ingested: Ingested, con: duckdb.DuckDBPyConnection
) -> None:
    removed = {r["case_number"] for r in ingested.truth["removals"]}
    # GIVEN a sealed filing the discovery window would otherwise have found
    in_window = [
        c
        for c in ingested.world.cases
        if c.case_number in removed and filed_in_window(c.filed_date.isoformat())
    ]
    assert any(c.case_type == "Eviction" for c in in_window), "no sealed filing in the window"
    # THEN no mart names any removed case
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema = ? and column_name in ('case_number', 'court_case_number')",
        [MARTS],
    ).fetchall()
    leaked = {}
    for schema, table, column in columns:
        values = {v for (v,) in con.execute(f"select {column} from {schema}.{table}").fetchall()}
        if values & removed:
            leaked[f"{schema}.{table}"] = values & removed
    assert leaked == {}
    assert len(columns) >= 6
