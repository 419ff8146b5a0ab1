"""Compaction: hand-made landing outputs → the Parquet raw tables, on disk and on S3."""

from __future__ import annotations

import io
import json
from dataclasses import asdict, replace
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
    AttorneyRecord,
    BondRecord,
    CaseDetail,
    ChargeRecord,
    EventRecord,
    FinancialRecord,
    HearingRecord,
    InmateBond,
    InmateBooking,
    InmateCharge,
    InmateDetail,
    InmateHearing,
    InmateRow,
    JudgmentRecord,
    PartyRecord,
    TransactionRecord,
    hearing_key,
)
from ingest.tasks import Landing, TaskId, TaskOutput

AS_OF = date(2026, 11, 23)
COURT = "General Sessions Civil"  # the court location a case is found under
COURT_LABEL = "Division 0"  # what a case page prints as its "Court"
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


#: Roster rows: one in custody, one released that the roster still lists, and one of a
#: county that prints no booking number (keyed by its record id) with an extra column.
IN_CUSTODY = InmateRow("DOE, JOHN", "111", "0", "B2", "100200", "1990-01-02")
RELEASED = InmateRow(
    "DOE, JOHNNY", "222", "222", "B1", "100200", "1990-01-02", release_date="2026-11-20"
)
NO_NUMBER = InmateRow("ROE, RITA", "333", "0", attributes={"Facility": "MAIN"})


def released_page() -> InmateDetail:
    """The person page of RELEASED: it prints the booking number but not the permanent
    id, two bonds, two charges, a hearing, aliases and a detainer."""
    return InmateDetail(
        name="JOHNNY DOE",
        sex="M",
        dob="1990-01-02",
        race="WHITE",
        permanent_id=None,
        bookings=(InmateBooking("B1", "2026-11-02", "2026-11-20", "MAIN", "NORTH / N3D / 14"),),
        aliases=("DOE, JOHN", "DOE, J"),
        detainers=("MORRIS COUNTY SHERIFF | 11/03/2026 | WARRANT",),
        bonds=(
            InmateBond(1, "26-CR-1", "5000.00", "POSTED", "ACME BAIL BONDS", "2026-11-20"),
            InmateBond(2, "26-CR-2", "2500.00", "NOT POSTED", None, None),
        ),
        bond_grand_total="7500.00",
        charges=(
            InmateCharge(1, "26-CR-1", "2026-11-01", "39-14-103", "THEFT", "A", "M"),
            InmateCharge(2, None, None, None, "HOLD - OTHER JURISDICTION", None, "F"),
        ),
        hearings=(InmateHearing(1, "2026-11-14", {"Time": "09:00 AM", "Courtroom": "CR-204"}),),
    )


def bare_page() -> InmateDetail:
    """A page like the real Bergen one: no ids, no aliases, no bonds, one charge."""
    return InmateDetail(
        name="RITA ROE",
        sex="F",
        dob="1983-01-27",
        race="BLACK",
        permanent_id=None,
        bookings=(InmateBooking(None, "2018-07-25", None, "MAIN", None),),
        charges=(
            InmateCharge(1, None, "2018-07-25", "2C:21-31C", "IMMIGRATION DETAINEE", None, None),
        ),
    )


def land_jail(lake: Lake) -> None:
    """The roster (three rows) and the booking outputs behind them: two person pages and
    a record the roster no longer had when its page was asked for."""
    rows = [asdict(row) for row in (IN_CUSTODY, RELEASED, NO_NUMBER)]
    roster = {"rows": rows, "total": 3, "pages": 1, "include_released": True}
    land(lake, "roster", "all", roster, (sha("roster 1"),))
    for row, page in ((RELEASED, released_page()), (NO_NUMBER, bare_page())):
        key = row.booking_key
        records = {"booking_key": key, "row": asdict(row), "inmate": asdict(page)}
        land(lake, "booking", key, records, (sha("search"), sha(f"person {key}")))
    records = {"booking_key": "B2", "row": asdict(IN_CUSTODY)}
    land(lake, "booking", "B2", records, (sha("search"),), found=False)


def case_detail(number: str) -> CaseDetail:
    """A criminal case page with every part, printed under another "Court" label than
    the location it was found under."""
    return CaseDetail(
        court=COURT_LABEL,
        case_number=number,
        case_type="Criminal",
        filed_date="2026-10-01",
        status="Open",
        style="STATE vs. DOE, JOHN",
        judicial_officer="Judge Ada",
        portal_case_id="3349119",
        attributes={"Location": "Division 7", "Case Category": "Criminal"},
        parties=(
            PartyRecord(
                1,
                "Defendant",
                "DOE, JOHN",
                dob=None,
                birth_year=1990,  # the page prints XX/XX/1990
                gender="Male",
                race="White",
                address_lines=("1 Main St", "UNIT 4", "Town GA 30030"),
                attorneys=(
                    AttorneyRecord("Carl Osei", is_lead=False, kind="Court Appointed"),
                    AttorneyRecord("Rita Gomez", is_lead=True, kind="Retained", phone="555-0100"),
                ),
            ),
            PartyRecord(2, "Plaintiff", "STATE", is_pro_se=True),
        ),
        events=(
            EventRecord(1, "2026-10-01", "Filed", "Complaint", documents=("Complaint",)),
            EventRecord(2, "2026-10-02", "Notice", attributes={"Served": "10/03/2026"}),
            EventRecord(3, "2026-10-05", "Served"),
        ),
        hearings=(
            HearingRecord(
                hearing_key("2026-12-01", "09:30", "Trial", 1),
                "2026-12-01",
                "09:30",
                "Trial",
                "Judge Ada",
                True,
                "Continued",
                None,
                comment="Reset at the request of counsel",
                original_type="Arraignment",
            ),
        ),
        judgments=(
            JudgmentRecord(
                1,
                "2026-11-01",
                "Default",
                "Plaintiff",
                "1200.00",
                judicial_officer="Judge Ada",
                party_names=("DOE, JOHN", "STATE"),
                amounts={"Compensatory": "1000.00", "Award": "1200.00"},
            ),
        ),
        financial=(
            FinancialRecord(
                "DOE, JOHN",
                "150.00",
                "50.00",
                (
                    TransactionRecord("2026-10-01", "Court Costs", "R-1", "DOE, JOHN", "150.00"),
                    TransactionRecord("2026-10-09", "Payment", "R-2", "DOE, JOHN", "-50.00"),
                ),
            ),
            FinancialRecord("STATE", "0.00", "0.00"),
        ),
        charges=(
            ChargeRecord(1, "39-14-103", "THEFT", "M", "A", "2026-09-30", None, None),
            ChargeRecord(2, None, "POSSESSION", None, None, None, "Dismissed", "2026-11-01"),
        ),
        bonds=(BondRecord(1, "2026-10-01", "Cash", "500.00"), BondRecord(2, None, "ROR", None)),
        has_financial=True,
    )


def land_case(
    lake: Lake,
    number: str,
    *,
    day: date = AS_OF,
    found: bool = True,
    detail: CaseDetail | None = None,
    financial_page: bool = False,
) -> None:
    """A case-detail output; `financial_page`: the Financial section was loaded by a
    second request, whose page follows the detail page."""
    ref = {"court": COURT, "case_number": number}
    key = f"{COURT}|{number}"
    if not found:
        land(lake, "case_detail", key, ref, (sha(f"search {number}"),), day=day, found=False)
        return
    shown = detail or case_detail(number)
    records = {**ref, "detail": asdict(shown), "change_hash": LANDED_HASH}
    pages = (sha(f"search {number}"), sha(f"detail {number}"))
    if financial_page:
        pages += (sha(f"financial {number}"),)
    land(lake, "case_detail", key, records, pages, day=day)


def land_everything(lake: Lake) -> None:
    """One output of each kind, covering every table."""
    land_jail(lake)
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
    "jail_roster": 3,
    "jail_bookings": 2,
    "jail_booking_charges": 3,
    "jail_booking_bonds": 2,
    "jail_booking_hearings": 1,
    "court_cases": 1,
    "court_parties": 2,
    "court_party_attorneys": 2,
    "court_events": 3,
    "court_hearings": 1,
    "court_judgments": 1,
    "court_financials": 2,
    "court_financial_transactions": 2,
    "court_charges": 2,
    "court_bonds": 2,
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
        "booking": 3,
        "filings": 2,
        "person_history": 1,
        "case_detail": 2,
    }
    assert f"9 landing outputs → {sum(EXPECTED_ROWS.values())} rows" in result.summary()
    for table, count in EXPECTED_ROWS.items():
        assert len(read(lake, table)) == count, table
    roster = read(lake, "jail_roster")
    assert [r["booking_key"] for r in roster] == ["B1", "B2", "sys:333"]
    assert roster[0]["page_sha256"] is None  # the roster output does not say which page
    booking = read(lake, "jail_bookings")[0]
    assert (booking["booking_key"], booking["page_sha256"]) == ("B1", sha("person B1"))
    charges = read(lake, "jail_booking_charges")
    assert [(c["booking_key"], c["charge_seq"], c["case_number"]) for c in charges] == [
        ("B1", 1, "26-CR-1"),
        ("B1", 2, None),
        ("sys:333", 1, None),
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
    assert manifest["landing_outputs_total"] == 9
    assert manifest["tables"]["court_events"]["rows"] == 3
    assert manifest["salts"]["case_detail"] == "2"


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


def test_a_case_is_keyed_by_the_location_it_was_found_under(lake: Lake) -> None:
    """GIVEN a case found under a court location whose page prints another "Court" label
    WHEN compacted THEN the case and every part carry the location as `court`, the label
    goes to `court_label`, and the header style, portal id and other labels are kept."""
    land_case(lake, "26-CR-1")

    compact(lake, AS_OF)

    case = read(lake, "court_cases")[0]
    assert (case["court"], case["court_label"]) == (COURT, COURT_LABEL)
    assert (case["style"], case["portal_case_id"]) == ("STATE vs. DOE, JOHN", "3349119")
    assert case["attributes_json"] == '{"Case Category":"Criminal","Location":"Division 7"}'
    for table in RAW_TABLES:
        if table.startswith("court_") and table not in ("court_removals", "court_filings"):
            assert {r["court"] for r in read(lake, table)} == {COURT}, table


def test_parties_have_their_attorneys_as_child_rows(lake: Lake) -> None:
    """GIVEN a defendant with a masked date of birth, an address of three lines and two
    attorneys, and a pro se plaintiff WHEN compacted THEN one party row each (birth year
    without a date, address lines joined with " | ") and one row per attorney in page
    order, the lead marked."""
    land_case(lake, "26-CR-1")

    compact(lake, AS_OF)

    defendant, plaintiff = read(lake, "court_parties")
    assert (defendant["dob"], defendant["birth_year"]) == (None, 1990)
    assert (defendant["gender"], defendant["race"]) == ("Male", "White")
    assert defendant["address_raw"] == "1 Main St | UNIT 4 | Town GA 30030"
    assert (defendant["is_pro_se"], plaintiff["is_pro_se"]) == (False, True)
    assert plaintiff["address_raw"] is None
    attorneys = [
        (a["party_seq"], a["attorney_seq"], a["name"], a["is_lead"], a["kind"], a["phone"])
        for a in read(lake, "court_party_attorneys")
    ]
    assert attorneys == [
        (1, 1, "Carl Osei", False, "Court Appointed", None),
        (1, 2, "Rita Gomez", True, "Retained", "555-0100"),
    ]


def test_financials_are_per_party_and_the_case_carries_their_totals(lake: Lake) -> None:
    """GIVEN a Financial section loaded by a second request, with two parties and a
    payment printed as a negative WHEN compacted THEN one row per party and per
    transaction, and the case's assessed / paid / balance are the derived totals; the
    case rows name the visit's last page (the Financial section's)."""
    land_case(lake, "26-CR-1", financial_page=True)

    compact(lake, AS_OF)

    case = read(lake, "court_cases")[0]
    assert case["has_financial"] is True
    assert (case["fees_assessed"], case["paid"], case["balance_due"]) == (
        "150.00",
        "50.00",
        "100.00",
    )
    assert case["page_sha256"] == sha("financial 26-CR-1")
    financials = [
        (f["financial_seq"], f["party_name"], f["total_assessment"], f["payments_and_credits"])
        for f in read(lake, "court_financials")
    ]
    assert financials == [(1, "DOE, JOHN", "150.00", "50.00"), (2, "STATE", "0.00", "0.00")]
    transactions = read(lake, "court_financial_transactions")
    assert [(t["financial_seq"], t["transaction_seq"], t["amount"]) for t in transactions] == [
        (1, 1, "150.00"),
        (1, 2, "-50.00"),
    ]
    payment = transactions[1]
    assert (payment["party_name"], payment["transaction_date"], payment["description"]) == (
        "DOE, JOHN",
        "2026-10-09",
        "Payment",
    )
    assert (payment["receipt"], payment["payer"]) == ("R-2", "DOE, JOHN")


def test_a_case_without_a_financial_section_has_no_totals(lake: Lake) -> None:
    """GIVEN a case page without a Financial section WHEN compacted THEN its assessed,
    paid and balance are null (not zero) and it has no financial rows."""
    land_case(
        lake, "26-CR-1", detail=replace(case_detail("26-CR-1"), financial=(), has_financial=False)
    )

    compact(lake, AS_OF)

    case = read(lake, "court_cases")[0]
    assert case["has_financial"] is False
    assert (case["fees_assessed"], case["paid"], case["balance_due"]) == (None, None, None)
    assert read(lake, "court_financials") == read(lake, "court_financial_transactions") == []


def test_docket_and_judgment_details_are_kept(lake: Lake) -> None:
    """GIVEN events with documents and labelled values, a canceled hearing with a
    comment and its original type, and a judgment naming parties and amounts WHEN
    compacted THEN lists are JSON arrays in page order, labelled values JSON objects
    with sorted keys, empty ones null; the hearing keeps its key and has no id or
    courtroom (the case page prints none)."""
    land_case(lake, "26-CR-1")

    compact(lake, AS_OF)

    events = read(lake, "court_events")
    assert [(e["comment"], e["documents_json"], e["attributes_json"]) for e in events] == [
        ("Complaint", '["Complaint"]', None),
        (None, None, '{"Served":"10/03/2026"}'),
        (None, None, None),
    ]
    hearing = read(lake, "court_hearings")[0]
    assert hearing["hearing_key"] == hearing_key("2026-12-01", "09:30", "Trial", 1)
    assert (hearing["comment"], hearing["original_type"]) == (
        "Reset at the request of counsel",
        "Arraignment",
    )
    assert (hearing["hearing_id"], hearing["courtroom"]) == (None, None)
    judgment = read(lake, "court_judgments")[0]
    assert judgment["judicial_officer"] == "Judge Ada"
    assert judgment["party_names_json"] == '["DOE, JOHN","STATE"]'
    assert judgment["amounts_json"] == '{"Award":"1200.00","Compensatory":"1000.00"}'
    bonds = read(lake, "court_bonds")
    assert [(b["set_date"], b["amount"]) for b in bonds] == [("2026-10-01", "500.00"), (None, None)]


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


def test_roster_rows_are_keyed_by_booking_number_else_by_record_id(lake: Lake) -> None:
    """GIVEN a roster listing someone in custody, someone released (still listed, with a
    release date) and a row without a booking number WHEN compacted THEN one row each,
    keyed by the booking number or `sys:<sysID>`, the release date and the permanent id
    kept, a column without a field as JSON."""
    land_jail(lake)

    compact(lake, AS_OF)

    roster = {r["booking_key"]: r for r in read(lake, "jail_roster")}
    assert set(roster) == {"B1", "B2", "sys:333"}
    assert (roster["B1"]["release_date"], roster["B2"]["release_date"]) == ("2026-11-20", None)
    assert {roster[k]["permanent_id"] for k in ("B1", "B2")} == {"100200"}
    assert (roster["B1"]["name"], roster["B1"]["dob"]) == ("DOE, JOHNNY", "1990-01-02")
    bare = roster["sys:333"]
    assert (bare["booking_number"], bare["permanent_id"], bare["dob"]) == (None, None, None)
    assert bare["attributes_json"] == '{"Facility":"MAIN"}'
    assert roster["B1"]["attributes_json"] is None
    assert {r["scraped_at"] for r in roster.values()} == {FINISHED}


def test_person_pages_become_bookings_with_their_bonds_charges_and_hearings(
    lake: Lake,
) -> None:
    """GIVEN the person pages behind two roster rows and a record gone before its visit
    WHEN compacted THEN one booking row per page: the stay from Incarceration Information,
    the ids the page prints else the roster row's, aliases and detainers as JSON lists;
    every bond, charge and hearing as a row of its own; the gone record has none, and
    every row names the person page (the output's last page)."""
    land_jail(lake)

    compact(lake, AS_OF)

    bookings = {b["booking_key"]: b for b in read(lake, "jail_bookings")}
    assert set(bookings) == {"B1", "sys:333"}
    released = bookings["B1"]
    assert (released["booking_number"], released["permanent_id"]) == ("B1", "100200")
    assert (released["name"], released["sex"], released["race"]) == ("JOHNNY DOE", "M", "WHITE")
    assert (released["commitment_date"], released["release_date"]) == (
        "2026-11-02",
        "2026-11-20",
    )
    assert (released["location"], released["housing"]) == ("MAIN", "NORTH / N3D / 14")
    assert released["bond_grand_total"] == "7500.00"
    assert released["aliases_json"] == '["DOE, JOHN","DOE, J"]'
    assert released["detainers_json"] == '["MORRIS COUNTY SHERIFF | 11/03/2026 | WARRANT"]'
    bare = bookings["sys:333"]
    assert (bare["booking_number"], bare["permanent_id"]) == (None, None)
    assert (bare["aliases_json"], bare["detainers_json"], bare["bond_grand_total"]) == (
        None,
        None,
        None,
    )
    bonds = read(lake, "jail_booking_bonds")
    assert [
        (b["booking_key"], b["bond_seq"], b["case_number"], b["amount"], b["status"]) for b in bonds
    ] == [("B1", 1, "26-CR-1", "5000.00", "POSTED"), ("B1", 2, "26-CR-2", "2500.00", "NOT POSTED")]
    assert (bonds[0]["posted_by"], bonds[0]["post_date"]) == ("ACME BAIL BONDS", "2026-11-20")
    theft = read(lake, "jail_booking_charges")[0]
    assert (theft["code"], theft["description"], theft["offense_date"]) == (
        "39-14-103",
        "THEFT",
        "2026-11-01",
    )
    assert (theft["grade"], theft["degree"]) == ("A", "M")
    (hearing,) = read(lake, "jail_booking_hearings")
    assert (hearing["booking_key"], hearing["hearing_seq"], hearing["hearing_date"]) == (
        "B1",
        1,
        "2026-11-14",
    )
    assert hearing["attributes_json"] == '{"Courtroom":"CR-204","Time":"09:00 AM"}'
    for table in ("jail_bookings", "jail_booking_bonds", "jail_booking_charges"):
        for found in read(lake, table):
            assert found["page_sha256"] == sha(f"person {found['booking_key']}"), table
            assert found["scraped_at"] == FINISHED


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
