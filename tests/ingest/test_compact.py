"""Compaction: hand-made landing outputs → the Parquet raw tables, on disk and on S3."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from courtlake.lake import Lake, LocalLake, S3Lake
from ingest.compact import compact, manifest_key
from ingest.history import load_case_history
from ingest.raw_tables import RAW_TABLES, partition_key
from ingest.records import (
    BondRecord,
    BookingChargeRecord,
    BookingDetail,
    CaseDetail,
    ChargeRecord,
    EventRecord,
    HearingRecord,
    JudgmentRecord,
    PartyRecord,
    RosterRow,
)
from ingest.tasks import Landing, TaskId, TaskOutput

AS_OF = date(2026, 11, 23)
COURT = "General Sessions Civil"
FINISHED = "2026-11-23T10:15:00Z"
# A change hash unlike any computed one: compaction must carry it, not recompute it.
LANDED_HASH = "c" * 64


def sha(label: str) -> str:
    """A fake page sha256, recognisable in assertions."""
    return label.encode().hex().ljust(64, "0")[:64]


def land(
    lake: Lake,
    stream: str,
    key: str,
    records: dict[str, Any],
    pages: tuple[str, ...],
    *,
    day: date = AS_OF,
    found: bool = True,
    finished_at: str = FINISHED,
) -> None:
    output = TaskOutput(
        task=TaskId.of(stream, key, day),
        outcome="ok" if found else "not_found",
        records=records,
        pages=pages,
        finished_at=finished_at,
    )
    assert Landing(lake).write(output)


def roster_row(number: str) -> RosterRow:
    return RosterRow(number, "DOE, JOHN", "1990-01-02", "2026-11-20T14:15", "A-1", "Pretrial")


def case_detail(number: str) -> CaseDetail:
    return CaseDetail(
        court=COURT,
        case_number=number,
        case_type="Criminal",
        filed_date="2026-10-01",
        status="Open",
        judicial_officer="Judge Ada",
        fees_assessed="150.00",
        paid="50.00",
        balance_due="100.00",
        balance_as_of="2026-11-23",
        parties=(
            PartyRecord(1, "Defendant", "DOE, JOHN", "1990-01-02", "1 Main St | Town"),
            PartyRecord(2, "Plaintiff", "STATE", attorney_name="DA", attorney_kind="Lead"),
        ),
        events=(
            EventRecord(1, "2026-10-01", "Filed", "Complaint"),
            EventRecord(2, "2026-10-02", "Notice", "Summons issued"),
            EventRecord(3, "2026-10-05", "Served", "Served"),
        ),
        hearings=(
            HearingRecord(
                "H1", "2026-12-01", "09:30", "Trial", "2A", "Judge Ada", True, "Continued", None
            ),
        ),
        judgments=(JudgmentRecord(1, "2026-11-01", "Default", "Plaintiff", "1200.00"),),
        charges=(
            ChargeRecord(1, "39-14-103", "THEFT", "M", "A", "2026-09-30", None, None),
            ChargeRecord(2, "39-17-418", "POSSESSION", "M", "A", None, "Dismissed", "2026-11-01"),
        ),
        bonds=(BondRecord(1, "2026-10-01", "Cash", "500.00"),),
    )


def land_case(lake: Lake, number: str, *, day: date = AS_OF, found: bool = True) -> None:
    ref = {"court": COURT, "case_number": number}
    key = f"{COURT}|{number}"
    if not found:
        land(lake, "case_detail", key, ref, (sha(f"search {number}"),), day=day, found=False)
        return
    records = {**ref, "detail": asdict(case_detail(number)), "change_hash": LANDED_HASH}
    pages = (sha(f"search {number}"), sha(f"detail {number}"))
    land(lake, "case_detail", key, records, pages, day=day)


def land_everything(lake: Lake) -> None:
    """One output of each kind, covering every table."""
    rows = [asdict(roster_row("B2")), asdict(roster_row("B1"))]
    roster_pages = (sha("roster 1"), sha("roster 2"))
    land(lake, "roster", "all", {"rows": rows, "total": 2, "pages": 2}, roster_pages)
    booking = BookingDetail(
        **asdict(roster_row("B1")),
        race="W",
        sex="M",
        arresting_agency="Metro PD",
        bond_type="Cash",
        bond_amount="500.00",
        charges=(
            BookingChargeRecord(1, "39-14-103", "THEFT", "M", "A", "26-CR-1"),
            BookingChargeRecord(2, "55-10-401", "DUI", "M", "A", None),
        ),
    )
    land(lake, "booking", "B1", {"booking": asdict(booking)}, (sha("booking B1"),))
    land(lake, "booking", "B2", {"booking_number": "B2"}, (), found=False)
    filing = {
        "case_number": "26-GC-1",
        "style": "ACME v. DOE",
        "filed_date": "2026-11-20",
        "party_name": "DOE, JANE",
        "dob": None,
        "status": "Open",
        "case_type": "Eviction",
        "location": COURT,
    }
    other = {**filing, "case_number": "26-GC-2"}
    for key, found_rows in (("Eviction|*|a", [filing, other]), ("Eviction|x|b", [filing])):
        records = {"case_type": "Eviction", "court": "*", "searches": 1, "rows": found_rows}
        land(lake, "filings", key, records, (sha(key),))
    candidates = [
        {
            "court": COURT,
            "case_number": number,
            "case_type": "Criminal",
            "party_name": "DOE, JOHN",
            "party_dob": "1990-01-02",
            "match_rule": rule,
        }
        for number, rule in (("26-CR-1", "exact_name_dob"), ("26-CR-2", "soundex_dob"))
    ]
    person = {"person_key": "p1", "name": "DOE, JOHN", "dob": "1990-01-02"}
    records = {
        "person": {**person, "booking_numbers": ["B1", "B9"]},
        "candidates": candidates,
        "capped": False,
    }
    land(lake, "person_history", "p1", records, (sha("exact"), sha("soundex")))
    land_case(lake, "26-CR-1")
    land_case(lake, "26-CR-404", found=False)


def read(lake: Lake, table: str, day: date = AS_OF) -> list[dict[str, Any]]:
    data = lake.get(partition_key(table, day.isoformat()))
    return pq.read_table(io.BytesIO(data)).to_pylist()


def raw_files(lake: Lake) -> dict[str, bytes]:
    return {key: lake.get(key) for key in lake.list("raw/")}


@pytest.fixture
def lake(tmp_path: Path) -> LocalLake:
    return LocalLake(tmp_path / "lake")


# --- tables ------------------------------------------------------------------------------

EXPECTED_ROWS = {
    "jail_roster": 2,
    "jail_bookings": 1,
    "jail_booking_charges": 2,
    "court_cases": 1,
    "court_parties": 2,
    "court_events": 3,
    "court_hearings": 1,
    "court_judgments": 1,
    "court_charges": 2,
    "court_bonds": 1,
    "court_case_visits": 2,
    "court_removals": 0,
    "person_case_candidates": 2,
    "court_filings": 2,
}


def test_every_table_gets_the_rows_of_its_landing_outputs(lake: Lake) -> None:
    """GIVEN one landing output of each kind WHEN compacted THEN each table has the expected
    rows, in its natural order, with the page each came from and the task's finish time."""
    land_everything(lake)

    result = compact(lake, AS_OF)

    assert result.rows == EXPECTED_ROWS
    assert result.outputs == {
        "roster": 1,
        "booking": 2,
        "filings": 2,
        "person_history": 1,
        "case_detail": 2,
    }
    assert f"8 landing outputs → {sum(EXPECTED_ROWS.values())} rows" in result.summary()
    for table, count in EXPECTED_ROWS.items():
        assert len(read(lake, table)) == count, table
    roster = read(lake, "jail_roster")
    assert [r["booking_number"] for r in roster] == ["B1", "B2"]
    assert roster[0]["page_sha256"] is None  # the roster output does not say which page
    booking = read(lake, "jail_bookings")[0]
    assert (booking["bond_amount"], booking["page_sha256"]) == ("500.00", sha("booking B1"))
    charges = read(lake, "jail_booking_charges")
    assert [(c["charge_seq"], c["court_case_number"]) for c in charges] == [
        (1, "26-CR-1"),
        (2, None),
    ]
    case = read(lake, "court_cases")[0]
    assert case["court"] == COURT and case["fees_assessed"] == "150.00"
    assert case["page_sha256"] == sha("detail 26-CR-1")  # the detail page, not the search
    assert case["scraped_at"] == FINISHED
    hearing = read(lake, "court_hearings")[0]
    assert hearing["is_canceled"] is True and hearing["cancel_reason"] == "Continued"
    assert [e["event_seq"] for e in read(lake, "court_events")] == [1, 2, 3]
    assert {r["page_sha256"] for r in read(lake, "court_parties")} == {sha("detail 26-CR-1")}
    visits = {v["case_number"]: v for v in read(lake, "court_case_visits")}
    assert visits["26-CR-1"]["outcome"] == "found" and visits["26-CR-1"]["status"] == "Open"
    missing = visits["26-CR-404"]
    assert (missing["outcome"], missing["status"], missing["filed_date"]) == (
        "not_found",
        None,
        None,
    )
    assert missing["page_sha256"] == sha("search 26-CR-404")
    filings = read(lake, "court_filings")
    assert [(f["court"], f["case_number"]) for f in filings] == [
        (COURT, "26-GC-1"),
        (COURT, "26-GC-2"),
    ]
    manifest = json.loads(lake.get(manifest_key(AS_OF)))
    assert manifest["landing_outputs_total"] == 8
    assert manifest["tables"]["court_events"]["rows"] == 3
    assert manifest["salts"]["case_detail"] == "1"


def test_scrape_date_is_the_partition_and_not_a_column(lake: Lake) -> None:
    """GIVEN a compacted date WHEN a file is read THEN it has exactly its table's columns,
    and `scrape_date` only comes from the partition folder."""
    land_everything(lake)

    compact(lake, AS_OF)

    for table, schema in RAW_TABLES.items():
        data = lake.get(partition_key(table, AS_OF.isoformat()))
        assert pq.read_schema(io.BytesIO(data)).names == schema.names
        assert "scrape_date" not in schema.names
    assert partition_key("court_cases", "2026-11-23") == (
        "raw/court_cases/scrape_date=2026-11-23/data.parquet"
    )


def test_change_hash_is_carried_from_the_landing_output(lake: Lake) -> None:
    """GIVEN a found case whose output carries a change hash WHEN compacted THEN cases and
    visits carry that hash as landed (not recomputed); a missing case has none."""
    land_case(lake, "26-CR-1")
    land_case(lake, "26-CR-404", found=False)

    compact(lake, AS_OF)

    assert [c["change_hash"] for c in read(lake, "court_cases")] == [LANDED_HASH]
    hashes = {v["case_number"]: v["change_hash"] for v in read(lake, "court_case_visits")}
    assert hashes == {"26-CR-1": LANDED_HASH, "26-CR-404": None}


def test_person_candidates_are_flattened_one_row_per_candidate(lake: Lake) -> None:
    """GIVEN a person-history output with two candidates WHEN compacted THEN two rows, each
    with the person's key, name, DOB and comma-joined booking numbers."""
    land_everything(lake)

    compact(lake, AS_OF)

    rows = read(lake, "person_case_candidates")
    assert [(r["case_number"], r["match_rule"]) for r in rows] == [
        ("26-CR-1", "exact_name_dob"),
        ("26-CR-2", "soundex_dob"),
    ]
    for row in rows:
        assert (row["person_key"], row["person_name"], row["person_dob"]) == (
            "p1",
            "DOE, JOHN",
            "1990-01-02",
        )
        assert row["booking_numbers"] == "B1,B9"
        assert row["party_dob"] == "1990-01-02" and row["scraped_at"] == FINISHED


def test_empty_tables_are_written_with_their_schema(lake: Lake) -> None:
    """GIVEN a date with no landing outputs WHEN compacted THEN every table still has a
    zero-row file with its full schema (dbt sources always find their columns)."""
    result = compact(lake, AS_OF)

    assert set(result.rows.values()) == {0}
    for table, schema in RAW_TABLES.items():
        written = pq.read_table(io.BytesIO(lake.get(partition_key(table, AS_OF.isoformat()))))
        assert written.num_rows == 0
        assert written.schema.equals(schema, check_metadata=False), table


# --- whole files, re-runs ------------------------------------------------------------------


def test_a_second_run_writes_byte_identical_files_and_no_duplicates(lake: Lake) -> None:
    """GIVEN a compacted date WHEN compacted again over the same landing THEN the raw
    folder holds the same files with the same bytes: one file per table, no extra rows."""
    land_everything(lake)
    compact(lake, AS_OF)
    first = raw_files(lake)

    again = compact(lake, AS_OF)

    assert raw_files(lake) == first
    assert again.rows == EXPECTED_ROWS
    assert len(first) == len(RAW_TABLES) + 1  # the tables and the manifest


class RecordingLake(LocalLake):
    """A local lake that records which write method touched which key."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.writes: list[tuple[str, str]] = []

    def put(self, key: str, data: bytes) -> None:
        self.writes.append(("put", key))
        super().put(key, data)

    def put_new(self, key: str, data: bytes) -> None:
        self.writes.append(("put_new", key))
        super().put_new(key, data)


def test_each_file_is_replaced_whole_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    """GIVEN a compacted date and a landing that then grows WHEN compacted again THEN each
    raw file is written once, by one atomic replace, and holds the new rows; nothing but
    whole files (no temporary dot-files) is ever left under raw/."""
    lake = RecordingLake(tmp_path / "lake")
    land_case(lake, "26-CR-1")
    compact(lake, AS_OF)
    land_case(lake, "26-CR-2")
    lake.writes.clear()

    compact(lake, AS_OF)

    expected = [partition_key(t, AS_OF.isoformat()) for t in RAW_TABLES] + [manifest_key(AS_OF)]
    assert sorted(lake.writes) == sorted(("put", key) for key in expected)
    assert [c["case_number"] for c in read(lake, "court_cases")] == ["26-CR-1", "26-CR-2"]
    on_disk = [p for p in (tmp_path / "lake" / "raw").rglob("*") if p.is_file()]
    assert sorted(p.relative_to(tmp_path / "lake").as_posix() for p in on_disk) == sorted(expected)


# --- removals ------------------------------------------------------------------------------


def day(n: int) -> date:
    return AS_OF + timedelta(days=7 * n)


def test_removals_need_two_consecutive_not_found_visits_and_are_issued_once(lake: Lake) -> None:
    """GIVEN weekly visits (compacted in date order) of
    A: found, missing, missing, missing;  B: missing, found;  C: missing, found, missing;
    D: missing, missing (never found)
    THEN A is tombstoned once, on its second missing visit, with the date it was last
    found; D on its second visit with no found date; B and C never."""
    visits = {
        "A": [True, False, False, False],
        "B": [False, True],
        "C": [False, True, False],
        "D": [False, False],
    }
    removals: dict[int, list[dict[str, Any]]] = {}
    for week in range(4):
        for number, seen in visits.items():
            if week < len(seen):
                land_case(lake, number, day=day(week), found=seen[week])
        compact(lake, day(week))
        removals[week] = read(lake, "court_removals", day(week))

    assert removals[0] == [] and removals[3] == []
    assert removals[1] == [
        {
            "court": COURT,
            "case_number": "D",
            "detected_date": day(1).isoformat(),
            "last_found_date": None,
            "reason": "not_found_twice",
        }
    ]
    assert removals[2] == [
        {
            "court": COURT,
            "case_number": "A",
            "detected_date": day(2).isoformat(),
            "last_found_date": day(0).isoformat(),
            "reason": "not_found_twice",
        }
    ]
    history = {s.case_number: s for s in load_case_history(lake, before=day(4))}
    assert {n for n, s in history.items() if s.removed} == {"A", "D"}
    assert history["C"].last_outcome == "not_found" and not history["C"].removed


def test_recompacting_the_detection_date_keeps_its_removal(lake: Lake) -> None:
    """GIVEN a removal detected on a date WHEN that date is compacted again THEN the same
    tombstone is written again (its own earlier file does not count as 'already issued')."""
    land_case(lake, "A", day=day(0), found=False)
    compact(lake, day(0))
    land_case(lake, "A", day=day(1), found=False)
    first = compact(lake, day(1))

    again = compact(lake, day(1))

    assert first.rows["court_removals"] == again.rows["court_removals"] == 1
    assert [r["case_number"] for r in read(lake, "court_removals", day(1))] == ["A"]


# --- S3 ------------------------------------------------------------------------------------


def test_compaction_on_an_s3_lake(s3_bucket: str) -> None:
    """GIVEN the landing outputs in an S3 lake (moto) WHEN compacted twice THEN the same
    tables and rows as on disk, byte-identical the second time, only whole files under raw/."""
    lake = S3Lake(s3_bucket, "team/lake")
    land_everything(lake)

    result = compact(lake, AS_OF)
    first = raw_files(lake)
    compact(lake, AS_OF)

    assert result.rows == EXPECTED_ROWS
    assert raw_files(lake) == first
    expected = [partition_key(t, AS_OF.isoformat()) for t in RAW_TABLES] + [manifest_key(AS_OF)]
    assert sorted(first) == sorted(expected)
    assert [c["case_number"] for c in read(lake, "court_cases")] == ["26-CR-1"]
