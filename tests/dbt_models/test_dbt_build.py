"""The dbt project on DuckDB over a generated lake (benchmarks.raw_generator).

GIVEN 2,000 generated cases over three weekly scrape partitions (with tombstones and a
status the seed does not map), WHEN `dbt seed` + `dbt build --target dev` run, THEN the
build passes (the unmapped status only warns), the latest version of each case wins,
and tombstoned cases are absent from every mart; the jail marts read the IML shape
(release dates from the released listing, one person per permanent id, derived custody,
bonds, charges classed through the seed) and the pretrial length-of-stay analysis runs;
WHEN one more week is added and the build runs again, THEN the incremental models hold
exactly what a full refresh gives.

To check marts against the simulator's truth export instead of generated data, build a
warehouse the same way over a lake from a real ingest: `DbtProject(lake, warehouse,
target_path=…).run(["build"])`, then query `<warehouse>/courtlake.duckdb` (schemas
main_marts, main_staging, …); tests/dbt_models/test_marts_match_truth.py does.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from benchmarks.raw_generator import (
    REPO,
    add_week,
    load_status_seed,
    scrape_dates,
    write_raw_tables,
)
from orchestration.dbt import DbtProject

START = date(2026, 11, 9)
UNMAPPED_STATUS = "Under Advisement"  # not in seeds/case_status_map.csv
MARTS = "main_marts"


@dataclass(frozen=True)
class Built:
    lake: Path
    warehouse: Path  # the live warehouse folder (changed by later fixtures)
    snapshot: Path  # copy of the database right after the first build
    dbt: DbtProject
    results: dict[str, str]  # unique_id → status of the first build


def _results(target: Path) -> dict[str, str]:
    data = json.loads((target / "run_results.json").read_text())
    return {r["unique_id"]: r["status"] for r in data["results"]}


def _raw(lake: Path, table: str) -> str:
    return (
        f"read_parquet('{lake}/raw/{table}/*/*.parquet', hive_partitioning = true, "
        "union_by_name = true)"
    )


def _tombstoned(lake: Path) -> set[tuple[str, str]]:
    with duckdb.connect() as con:
        rows = con.execute(f"select court, case_number from {_raw(lake, 'court_removals')}")
        return {(court, number) for court, number in rows.fetchall()}


def _case_numbers_in(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, set[str]]:
    """Every value of every case-number column of every table in `schema`."""
    columns = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = ? and column_name in ('case_number', 'court_case_number')",
        [schema],
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in columns:
        values = con.execute(f"select distinct {column} from {schema}.{table}").fetchall()
        found.setdefault(table, set()).update(v for (v,) in values if v is not None)
    return found


def grouped_rows(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    """A two-column query's rows as a dict (first column → second)."""
    return dict(con.execute(sql).fetchall())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("dbt-build")
    lake, warehouse, target = root / "lake", root / "warehouse", root / "target"
    warehouse.mkdir()
    write_raw_tables(
        lake, cases=2000, weeks=3, seed=11, start=START, unmapped_status=UNMAPPED_STATUS
    )
    dbt = DbtProject(lake=str(lake), warehouse=warehouse, target_path=target)
    dbt.run(["seed"])
    dbt.run(["build", "--exclude", "resource_type:seed"])
    snapshot = root / "week3.duckdb"
    shutil.copy(warehouse / "courtlake.duckdb", snapshot)
    yield Built(lake, warehouse, snapshot, dbt, _results(target))


@pytest.mark.slow
def test_build_passes_and_only_the_unmapped_status_warns(built: Built) -> None:
    statuses = set(built.results.values())
    assert statuses <= {"success", "pass", "warn"}, built.results
    warned = {uid for uid, status in built.results.items() if status == "warn"}
    assert len(warned) == 1 and "case_status_is_mapped" in warned.pop()
    with duckdb.connect(str(built.snapshot), read_only=True) as con:
        unknown = con.execute(
            f"select distinct status from {MARTS}.dim_cases where status_class = 'unknown'"
        ).fetchall()
    assert unknown == [(UNMAPPED_STATUS,)]


@pytest.mark.slow
def test_latest_version_of_each_case_wins(built: Built) -> None:
    with duckdb.connect(str(built.snapshot), read_only=True) as con:
        mismatched = con.execute(
            f"""
            with raw as (
                select court, case_number, status, change_hash, scrape_date,
                    row_number() over (
                        partition by court, case_number order by scrape_date desc
                    ) as version_rank
                from {_raw(built.lake, "court_cases")}
            )
            select count(*)
            from raw
            left join {MARTS}.dim_cases as dim
                on dim.court = raw.court and dim.case_number = raw.case_number
            where raw.version_rank = 1 and dim.case_id is not null
                and (dim.status <> raw.status or dim.change_hash <> raw.change_hash
                     or dim.last_scraped_date <> raw.scrape_date)
            """
        ).fetchall()[0][0]
        rescraped = con.execute(
            f"select count(*) from {MARTS}.dim_cases where last_scraped_date > first_scraped_date"
        ).fetchall()[0][0]
    assert mismatched == 0
    assert rescraped > 50  # the generated weeks re-scrape recent cases


@pytest.mark.slow
def test_tombstoned_cases_are_absent_from_every_mart(built: Built) -> None:
    tombstoned = {number for _, number in _tombstoned(built.lake)}
    assert tombstoned, "the generated lake should hold tombstones"
    with duckdb.connect(str(built.snapshot), read_only=True) as con:
        found = _case_numbers_in(con, MARTS)
        removed = con.execute("select count(*) from main_staging.stg_court__removals")
        assert removed.fetchall()[0][0] == len(tombstoned)
    assert {"dim_cases", "fct_eviction_filings", "fct_case_events"} <= set(found)
    leaked = {table: numbers & tombstoned for table, numbers in found.items()}
    assert all(not numbers for numbers in leaked.values()), leaked


@pytest.mark.slow
def test_docs_generate_and_every_column_is_documented(built: Built) -> None:
    built.dbt.run(["docs", "generate"])
    target = built.dbt.target_path
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    undocumented = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed"):
            continue
        if not node["description"]:
            undocumented.append(unique_id)
        documented = {name.lower(): column for name, column in node["columns"].items()}
        if node["config"]["materialized"] == "ephemeral":  # no relation: its YAML columns
            undocumented += [
                f"{unique_id}.{c}" for c, v in documented.items() if not v["description"]
            ]
            continue
        for column in catalog["nodes"][unique_id]["columns"]:
            if not documented.get(column.lower(), {}).get("description"):
                undocumented.append(f"{unique_id}.{column}")
    assert len(catalog["nodes"]) >= 28
    assert undocumented == []


@pytest.mark.slow
def test_release_dates_come_from_the_released_listing(built: Built) -> None:
    """GIVEN a county whose roster lists released people for 30 days with their release
    date THEN every released booking has its printed release date (person page or
    roster), none is inferred from leaving the roster, and the length of stay runs from
    commitment to release."""
    with duckdb.connect(str(built.snapshot), read_only=True) as con:
        sources = grouped_rows(
            con,
            f"select release_date_source, count(*) from {MARTS}.dim_bookings "
            "where is_released group by release_date_source",
        )
        mismatched = con.execute(
            f"""
            with printed as (
                select booking_key, max(release_date) as release_date
                from {_raw(built.lake, "jail_roster")}
                group by booking_key
            )
            select count(*)
            from {MARTS}.dim_bookings as dim
            inner join printed on dim.booking_key = printed.booking_key
            where cast(printed.release_date as date) is distinct from dim.release_date
                or dim.days_in_custody
                <> date_diff('day', dim.commitment_date, coalesce(dim.release_date, dim.as_of_date))
            """
        ).fetchall()[0][0]
    assert set(sources) <= {"person_page", "roster"} and sum(sources.values()) > 10, sources
    assert mismatched == 0


@pytest.mark.slow
def test_one_person_per_permanent_id_even_when_bookings_differ(built: Built) -> None:
    """GIVEN bookings under permanent ids, a few printing the date of birth a day off
    THEN each permanent id is one person across its bookings, some of them with two
    name + DOB combinations, and the match audit names the rule of every booking."""
    with duckdb.connect(str(built.snapshot), read_only=True) as con:
        split = con.execute(
            f"select count(*) from (select permanent_id from {MARTS}.dim_bookings "
            "group by permanent_id having count(distinct person_id) <> 1) as ids"
        ).fetchall()[0][0]
        ids = con.execute(
            f"select count(distinct permanent_id) from {_raw(built.lake, 'jail_roster')}"
        ).fetchall()[0][0]
        people = grouped_rows(
            con,
            f"select id_source, count(*) from {MARTS}.dim_people group by id_source",
        )
        variants = con.execute(
            f"select count(*) from {MARTS}.dim_people where name_dob_count > 1"
        ).fetchall()[0][0]
        rules = grouped_rows(
            con,
            "select match_rule, count(*) from main_intermediate.int_person_mentions_resolved "
            "where source_type = 'jail_booking' group by match_rule",
        )
    assert split == 0
    assert people["permanent_id"] == ids and people["name_dob"] > 0
    assert variants > 0
    assert set(rules) == {"permanent_id"}


@pytest.mark.slow
def test_custody_is_derived_and_bonds_and_charges_are_marts(built: Built) -> None:
    """GIVEN holds printed with a detainer, people held on open cases and convictions
    in the court data THEN every custody status the rule gives occurs, holds are Hold,
    every bond of a booking's latest page is a fct_booking_bonds row, and every charge
    is classed through the seed."""
    with duckdb.connect(str(built.snapshot), read_only=True) as con:
        statuses = grouped_rows(
            con,
            f"select custody_status, count(*) from {MARTS}.dim_bookings group by custody_status",
        )
        held = grouped_rows(
            con,
            f"select custody_status, count(*) from {MARTS}.dim_bookings "
            "where is_in_custody group by custody_status",
        )
        holds = con.execute(
            f"select count(*), count(case when custody_status = 'Hold' then 1 end) "
            f"from {MARTS}.dim_bookings where has_detainer"
        ).fetchall()[0]
        held_pretrial = con.execute(
            f"select count(*) from {MARTS}.dim_bookings where is_held_pretrial"
        ).fetchall()[0][0]
        still = con.execute(
            f"select count(*) from {MARTS}.fct_pretrial_detentions where is_still_pretrial"
        ).fetchall()[0][0]
        bonds = con.execute(
            f"""
            with latest as (
                select booking_key, max(scrape_date) as scrape_date
                from {_raw(built.lake, "jail_bookings")} group by booking_key
            )
            select count(*) from {_raw(built.lake, "jail_booking_bonds")} as bonds
            inner join latest
                on bonds.booking_key = latest.booking_key
                and bonds.scrape_date = latest.scrape_date
            """
        ).fetchall()[0][0]
        bond_rows = con.execute(f"select count(*) from {MARTS}.fct_booking_bonds").fetchall()
        unclassed = con.execute(
            f"select count(*) from {MARTS}.fct_booking_charges where severity_rank is null"
        ).fetchall()[0][0]
    assert {"Pretrial", "Sentenced", "Hold"} <= set(statuses), statuses
    assert holds[0] > 0 and holds[0] == holds[1]
    assert held_pretrial == still == held["Pretrial"]
    assert bond_rows[0][0] == bonds > 0
    assert unclassed == 0


@pytest.mark.slow
def test_pretrial_length_of_stay_analysis_runs(built: Built, tmp_path: Path) -> None:
    """GIVEN the built marts WHEN the pretrial length-of-stay analysis is compiled and
    run THEN it gives one row per top charge, whose bookings add up to the mart."""
    shutil.copy(built.snapshot, tmp_path / "courtlake.duckdb")
    dbt = replace(built.dbt, warehouse=tmp_path, target_path=tmp_path / "t")
    dbt.run(["compile", "--select", "pretrial_length_of_stay_by_charge_class"])
    compiled = next((tmp_path / "t" / "compiled").rglob("pretrial_length_of_stay*.sql"))
    with duckdb.connect(str(tmp_path / "courtlake.duckdb"), read_only=True) as con:
        rows = con.execute(compiled.read_text()).fetchall()
        detentions = con.execute(
            f"select count(*) from {MARTS}.fct_pretrial_detentions "
            "where days_detained_pretrial is not null"
        ).fetchall()[0][0]
    assert len(rows) >= 3
    assert sum(row[1] for row in rows) == detentions > 0
    assert len({row[0] for row in rows}) == len(rows)


@pytest.fixture(scope="module")
def incremental(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One more week, then an incremental build; returns the path of a full-refresh
    copy of the incremental models to compare with."""
    added = add_week(built.lake)
    assert added == scrape_dates(built.lake)[-1]
    built.dbt.run(["build", "--exclude", "resource_type:seed"])
    full = tmp_path_factory.mktemp("full-refresh")
    shutil.copy(built.warehouse / "courtlake.duckdb", full / "courtlake.duckdb")
    refresh = replace(built.dbt, warehouse=full, target_path=full / "t")
    refresh.run(["run", "--full-refresh", "--select", "config.materialized:incremental"])
    return full / "courtlake.duckdb"


@pytest.mark.slow
def test_incremental_week_matches_a_full_refresh(built: Built, incremental: Path) -> None:
    live = built.warehouse / "courtlake.duckdb"
    with duckdb.connect(str(live), read_only=True) as con:
        con.execute(f"attach '{incremental}' as refreshed (read_only)")
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'courtlake' and table_schema in "
            "('main_staging', 'main_intermediate', 'main_marts')"
        ).fetchall()
        differences = {}
        for schema, table in tables:
            name = f"{schema}.{table}"
            # which invocation wrote a row is the one thing that differs
            columns = ", ".join(
                f'"{column}"'
                for (column,) in con.execute(
                    "select column_name from information_schema.columns where "
                    "table_catalog = 'courtlake' and table_schema = ? and table_name = ? "
                    "and column_name <> 'dbt_invocation_id' order by ordinal_position",
                    [schema, table],
                ).fetchall()
            )
            only_here, only_there = (
                con.execute(
                    f"select count(*) from (select {columns} from {a}.{name} "
                    f"except all select {columns} from {b}.{name})"
                ).fetchall()[0][0]
                for a, b in (("courtlake", "refreshed"), ("refreshed", "courtlake"))
            )
            if only_here or only_there:
                differences[name] = (only_here, only_there)
    assert len(tables) > 20
    assert differences == {}


@pytest.mark.slow
def test_incremental_week_only_touches_new_versions(built: Built, incremental: Path) -> None:
    newest = scrape_dates(built.lake)[-1]
    live = built.warehouse / "courtlake.duckdb"
    with duckdb.connect(str(live), read_only=True) as con:
        con.execute(f"attach '{built.snapshot}' as before (read_only)")
        # Cases not re-scraped and not tombstoned keep their row exactly.
        changed = con.execute(
            f"""
            select count(*) from (
                select * from before.{MARTS}.dim_cases
                except all
                select * from courtlake.{MARTS}.dim_cases
            ) as gone
            """
        ).fetchall()[0][0]
        new_versions = con.execute(
            f"select count(*) from {MARTS}.dim_cases where last_scraped_date = ?", [newest]
        ).fetchall()[0][0]
        raw_new = con.execute(
            f"select count(distinct case_number) from {_raw(built.lake, 'court_cases')} "
            "where scrape_date = ?",
            [newest],
        ).fetchall()[0][0]
        tombstoned_now = con.execute(
            f"select count(*) from {_raw(built.lake, 'court_removals')} where scrape_date = ?",
            [newest],
        ).fetchall()[0][0]
    assert 0 < new_versions <= raw_new
    # rows that left dim_cases: replaced by their new version, or tombstoned this week
    assert changed <= new_versions + tombstoned_now
    leaked = {number for _, number in _tombstoned(built.lake)}
    with duckdb.connect(str(live), read_only=True) as con:
        found = _case_numbers_in(con, MARTS)
    assert all(not (numbers & leaked) for numbers in found.values())


def test_generator_is_deterministic_and_uses_the_status_seed(tmp_path: Path) -> None:
    """GIVEN the same parameters twice THEN the same bytes; every status is in the seed;
    add_week continues the same world one week later."""
    first, second = tmp_path / "a", tmp_path / "b"
    for lake in (first, second):
        write_raw_tables(lake, cases=300, weeks=2, seed=3, start=START)
    tables = (
        "court_cases",
        "court_parties",
        "court_party_attorneys",
        "court_hearings",
        "court_financial_transactions",
        "jail_roster",
        "jail_bookings",
        "jail_booking_bonds",
        "person_case_candidates",
    )
    for table in tables:
        for day in ("2026-11-09", "2026-11-16"):
            key = f"raw/{table}/scrape_date={day}/data.parquet"
            assert (first / key).read_bytes() == (second / key).read_bytes(), key
    assert add_week(first) == date(2026, 11, 23)
    with duckdb.connect() as con:
        statuses = {
            s
            for (s,) in con.execute(
                f"select distinct status from {_raw(first, 'court_cases')}"
            ).fetchall()
        }
        weeks = con.execute(
            f"select count(distinct scrape_date) from {_raw(first, 'court_events')}"
        ).fetchall()[0][0]
    assert statuses <= set(load_status_seed())
    assert weeks == 3
    assert not list(first.rglob(".*.tmp"))


def test_status_seed_maps_every_simulator_status() -> None:
    """The seed classes every status the simulator's world uses, as the world does."""
    from simulator.world import CASE_STATUSES

    assert load_status_seed() == dict(CASE_STATUSES)


def test_disposition_seed_classes_every_disposition_the_portal_prints() -> None:
    """The dispositions seed (read by the pretrial derivation) lists every charge
    disposition of the simulator's world and of the generator; only Guilty convicts and
    only a bind-over leaves the prosecution going."""
    from benchmarks.raw_generator import DISPOSITIONS
    from simulator.charges import CHARGE_DISPOSITIONS

    with (REPO / "seeds" / "charge_dispositions.csv").open(newline="") as handle:
        seed = {row["disposition"]: row for row in csv.DictReader(handle)}
    assert set(CHARGE_DISPOSITIONS) | set(DISPOSITIONS) <= set(seed)
    assert {d for d, row in seed.items() if row["is_conviction"] == "true"} == {"Guilty"}
    going = {d for d, row in seed.items() if row["ends_prosecution"] == "false"}
    assert going == {"Bound Over to Grand Jury"}


@pytest.mark.slow
def test_build_data_tests_read_the_rows_the_build_wrote(built: Built, incremental: Path) -> None:
    """In `dbt build`, tests on incremental models read the rows of that invocation
    (macros/data_tests.sql); tests on table models read the whole table."""
    data = json.loads((built.dbt.target_path / "run_results.json").read_text())
    invocation = data["metadata"]["invocation_id"]
    scoped = f"dbt_invocation_id = '{invocation}'"
    code = {r["unique_id"]: r.get("compiled_code") or "" for r in data["results"]}
    manifest = json.loads((built.dbt.target_path / "manifest.json").read_text())
    checked = {"incremental": 0, "table": 0}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "test" or unique_id not in code:
            continue
        tested = manifest["nodes"].get(node.get("attached_node") or "", {})
        materialized = tested.get("config", {}).get("materialized")
        if materialized in checked:
            assert (scoped in code[unique_id]) == (materialized == "incremental"), unique_id
            checked[materialized] += 1
    assert checked["incremental"] > 40 and checked["table"] > 20
