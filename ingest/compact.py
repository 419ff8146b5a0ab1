"""Compaction: one scrape date's landing outputs → the Parquet raw tables dbt reads.

``compact(lake, as_of)`` reads every landing output of ``as_of`` at the current salts and
writes one whole file per table, ``raw/<table>/scrape_date=<as_of>/data.parquet`` (see
:mod:`ingest.raw_tables`), with :meth:`Lake.put`: an atomic replace, so readers see the
old file or the new one, never a part, and a re-run replaces the date's files instead of
adding to them. Every table is written, empty ones too, so dbt sources always find their
columns. Rows are sorted on each table's natural key (ties keep the landing order, itself
sorted by task key), so compacting the same landing twice gives byte-identical files.
A case-detail output is read back into its ``CaseDetail`` (:mod:`ingest.records`), so a
value derived from the page (``address_raw``, the financial totals) has one definition;
its court location is the output's ``court``, never the page's "Court" label. Jail
outputs are read back the same way: roster rows into ``InmateRow`` (keyed by
``InmateRow.booking_key``), person pages into ``InmateDetail``, keyed by the output's own
``booking_key``.

Removals (``court_removals``) compare this date's case visits with the visits of earlier
dates in the raw tables, so **dates are compacted in date order**: compacting a date reads
the ``court_case_visits`` and ``court_removals`` of every earlier date as they are. After
re-compacting an older date, re-compact the later ones too.

A small manifest goes to ``raw/_manifests/compaction/<as_of>.json``. ``raw/_manifests/``
is not a table: dbt sources read ``raw/<table>/*/*.parquet`` and pyarrow datasets skip
``_``-prefixed folders, so it is never read as data.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from operator import itemgetter
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from courtlake.lake import Lake
from ingest.history import read_rows
from ingest.raw_tables import RAW_TABLES, partition_key
from ingest.records import (
    CaseDetail,
    EventRecord,
    InmateBooking,
    InmateDetail,
    InmateRow,
    JudgmentRecord,
    PartyRecord,
)
from ingest.tasks import ALL_STREAMS, SALTS, TaskId, TaskOutput

Row = dict[str, Any]

#: Natural key of each table's rows: the sort order of its file.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "jail_roster": ("booking_key",),
    "jail_bookings": ("booking_key",),
    "jail_booking_charges": ("booking_key", "charge_seq"),
    "jail_booking_bonds": ("booking_key", "bond_seq"),
    "jail_booking_hearings": ("booking_key", "hearing_seq"),
    "court_cases": ("court", "case_number"),
    "court_parties": ("court", "case_number", "party_seq"),
    "court_party_attorneys": ("court", "case_number", "party_seq", "attorney_seq"),
    "court_events": ("court", "case_number", "event_seq"),
    "court_hearings": ("court", "case_number"),  # docket order within a case
    "court_judgments": ("court", "case_number", "judgment_seq"),
    "court_financials": ("court", "case_number", "financial_seq"),
    "court_financial_transactions": ("court", "case_number", "financial_seq", "transaction_seq"),
    "court_charges": ("court", "case_number", "charge_seq"),
    "court_bonds": ("court", "case_number", "bond_seq"),
    "court_case_visits": ("court", "case_number"),
    "court_removals": ("court", "case_number"),
    "person_case_candidates": ("person_key", "court", "case_number"),
    "court_filings": ("court", "case_number"),
}

REMOVAL_REASON = "not_found_twice"
MANIFEST_PREFIX = "raw/_manifests/compaction/"
_READ_WORKERS = 16  # parallel GETs: what keeps compaction on S3 fast


@dataclass(frozen=True)
class CompactionResult:
    """What one compaction wrote."""

    as_of: date
    rows: dict[str, int]  # table → rows written
    outputs: dict[str, int]  # stream → landing outputs read
    seconds: float

    def summary(self) -> str:
        """One line: date, outputs read, rows per table, time."""
        tables = ", ".join(f"{name} {count}" for name, count in self.rows.items())
        return (
            f"compacted {self.as_of}: {sum(self.outputs.values())} landing outputs → "
            f"{sum(self.rows.values())} rows in {len(self.rows)} tables ({tables}) "
            f"in {self.seconds:.1f} s"
        )


def compact(lake: Lake, as_of: date) -> CompactionResult:
    """Write every raw table of ``as_of`` from its landing outputs (current salts).

    Safe to re-run: each table's file and the manifest are replaced whole.
    """
    started = time.perf_counter()
    outputs = {stream: read_outputs(lake, stream, as_of) for stream in ALL_STREAMS}
    rows = build_rows(outputs)
    rows["court_removals"] = removals(lake, as_of, rows["court_case_visits"])
    counts: dict[str, int] = {}
    for table, schema in RAW_TABLES.items():
        ordered = sorted(rows[table], key=itemgetter(*SORT_KEYS[table]))
        lake.put(partition_key(table, as_of.isoformat()), to_parquet(ordered, schema))
        counts[table] = len(ordered)
    read = {stream: len(found) for stream, found in outputs.items()}
    manifest = {
        "as_of": as_of.isoformat(),
        "tables": {
            table: {"key": partition_key(table, as_of.isoformat()), "rows": count}
            for table, count in counts.items()
        },
        "landing_outputs": read,
        "landing_outputs_total": sum(read.values()),
        "salts": {stream: SALTS[stream] for stream in ALL_STREAMS},
    }
    lake.put(manifest_key(as_of), json.dumps(manifest, indent=2, sort_keys=True).encode())
    return CompactionResult(
        as_of=as_of, rows=counts, outputs=read, seconds=time.perf_counter() - started
    )


def manifest_key(as_of: date) -> str:
    """Where the compaction manifest of ``as_of`` is kept."""
    return f"{MANIFEST_PREFIX}{as_of.isoformat()}.json"


def read_outputs(lake: Lake, stream: str, as_of: date) -> list[TaskOutput]:
    """Every landing output of ``stream`` for ``as_of`` at the current salt, in key order.

    The same objects as ``Landing.outputs``; on a remote lake (one GET per object) they
    are fetched in parallel, on local disk in one thread (file reads are fast there and
    decoding holds the GIL). The folder comes from the stream's task identity.
    """
    folder = TaskId.of(stream, "any", as_of).landing_key.rpartition("/")[0] + "/"
    keys = lake.list(folder)

    def read(key: str) -> TaskOutput:
        return TaskOutput.decode(lake.get(key))

    if not keys or lake.local_path(keys[0]) is not None:
        return [read(key) for key in keys]
    with ThreadPoolExecutor(max_workers=_READ_WORKERS) as pool:
        return list(pool.map(read, keys))


def to_parquet(rows: list[Row], schema: pa.Schema) -> bytes:
    """``rows`` as one Parquet file with exactly ``schema`` (keys not in it are ignored)."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink)
    return sink.getvalue()


# -- landing outputs → rows ---------------------------------------------------------------


def build_rows(outputs: dict[str, list[TaskOutput]]) -> dict[str, list[Row]]:
    """The rows of every table but ``court_removals``, from each stream's outputs."""
    rows: dict[str, list[Row]] = {table: [] for table in RAW_TABLES}
    builders: dict[str, Callable[[TaskOutput, dict[str, list[Row]]], None]] = {
        "roster": _roster_rows,
        "booking": _booking_rows,
        "filings": _filings_rows,
        "person_history": _candidate_rows,
        "case_detail": _case_rows,
    }
    for stream, found in outputs.items():
        for output in sorted(found, key=lambda o: o.task.key):
            builders[stream](output, rows)
    rows["court_filings"] = _dedupe_filings(rows["court_filings"])
    return rows


def _roster_rows(output: TaskOutput, rows: dict[str, list[Row]]) -> None:
    # The output merges its pages' rows: the page of each row is unknown (null).
    provenance = {"page_sha256": None, "scraped_at": output.finished_at}
    for landed in output.records["rows"]:
        row = InmateRow(**landed)
        rows["jail_roster"].append(
            {
                "booking_key": row.booking_key,
                "booking_number": row.booking_number,
                "name": row.name,
                "permanent_id": row.permanent_id,
                "dob": row.dob,
                "release_date": row.release_date,
                "attributes_json": to_json(row.attributes),
                **provenance,
            }
        )


def _booking_rows(output: TaskOutput, rows: dict[str, list[Row]]) -> None:
    """The person page behind a roster row and its bonds, charges and hearings."""
    if output.outcome != "ok":
        return  # the roster no longer had the record: its roster row is all there is
    key = output.records["booking_key"]
    row = InmateRow(**output.records["row"])
    inmate = InmateDetail.from_dict(output.records["inmate"])
    # The person page is the last page the task read (a new search can come first).
    page = output.pages[-1] if output.pages else None
    provenance = {"page_sha256": page, "scraped_at": output.finished_at}
    rows["jail_bookings"].append({**_booking_row(key, row, inmate), **provenance})
    children = {
        "jail_booking_charges": [asdict(charge) for charge in inmate.charges],
        "jail_booking_bonds": [asdict(bond) for bond in inmate.bonds],
        "jail_booking_hearings": [
            {
                "hearing_seq": hearing.hearing_seq,
                "hearing_date": hearing.hearing_date,
                "attributes_json": to_json(hearing.attributes),
            }
            for hearing in inmate.hearings
        ],
    }
    for table, found in children.items():
        rows[table].extend({**child, "booking_key": key, **provenance} for child in found)


def _booking_row(key: str, row: InmateRow, inmate: InmateDetail) -> Row:
    """A person page as a ``jail_bookings`` row: the identifiers the page prints, else the
    roster row's; the stay is the page's Incarceration Information (its first, the only
    one a page shows)."""
    stay = inmate.bookings[0] if inmate.bookings else InmateBooking(None, None, None, None, None)
    return {
        "booking_key": key,
        "booking_number": stay.booking_number or row.booking_number,
        "permanent_id": inmate.permanent_id or row.permanent_id,
        "name": inmate.name,
        "sex": inmate.sex,
        "dob": inmate.dob,
        "race": inmate.race,
        "commitment_date": stay.commitment_date,
        "release_date": stay.release_date,
        "location": stay.location,
        "housing": stay.housing,
        "bond_grand_total": inmate.bond_grand_total,
        "aliases_json": to_json(inmate.aliases),
        "detainers_json": to_json(inmate.detainers),
    }


def _filings_rows(output: TaskOutput, rows: dict[str, list[Row]]) -> None:
    scraped_at = output.finished_at
    rows["court_filings"].extend(
        {**row, "court": row["location"], "scraped_at": scraped_at}
        for row in output.records["rows"]
    )


def _dedupe_filings(filings: Iterable[Row]) -> list[Row]:
    """One row per court + case number (searches overlap): the latest scrape wins."""
    latest: dict[tuple[str, str], Row] = {}
    for row in filings:
        ref = (row["court"], row["case_number"])
        if ref not in latest or row["scraped_at"] > latest[ref]["scraped_at"]:
            latest[ref] = row
    return list(latest.values())


def _candidate_rows(output: TaskOutput, rows: dict[str, list[Row]]) -> None:
    person = output.records["person"]
    flat = {
        "person_key": person["person_key"],
        "person_name": person["name"],
        "person_dob": person["dob"],
        "booking_numbers": ",".join(person["booking_numbers"]),
        "scraped_at": output.finished_at,
    }
    rows["person_case_candidates"].extend(
        {**candidate, **flat} for candidate in output.records["candidates"]
    )


def _case_rows(output: TaskOutput, rows: dict[str, list[Row]]) -> None:
    """The visit, and when the case was found the rows of the case and its parts."""
    # The task's own court + case number, not the detail page's "Court" label: visits,
    # removals and filings all join on the identity the case was found under.
    ref = {"court": output.records["court"], "case_number": output.records["case_number"]}
    # The detail page when the case was found (its Financial section may follow it in
    # `pages`), else the last page read: the search that no longer listed the case.
    page = output.records.get("detail_page") or (output.pages[-1] if output.pages else None)
    provenance = {
        "page_sha256": page,
        "scraped_at": output.finished_at,
    }
    if output.outcome != "ok":
        rows["court_case_visits"].append(
            {**ref, "outcome": "not_found", "status": None, "filed_date": None, **provenance}
        )
        return
    detail = CaseDetail.from_dict(output.records["detail"])
    change_hash = output.records["change_hash"]
    rows["court_case_visits"].append(
        {
            **ref,
            "outcome": "found",
            "status": detail.status,
            "filed_date": detail.filed_date,
            "change_hash": change_hash,
            **provenance,
        }
    )
    for table, found in _case_detail_rows(detail, change_hash).items():
        rows[table].extend({**row, **ref, **provenance} for row in found)


def _case_detail_rows(detail: CaseDetail, change_hash: str) -> dict[str, list[Row]]:
    """The rows of the case and of each of its parts, table by table, without the case
    reference and provenance columns (the caller adds them)."""
    financials = list(enumerate(detail.financial, start=1))
    return {
        "court_cases": [_case_row(detail, change_hash)],
        "court_parties": [_party_row(party) for party in detail.parties],
        "court_party_attorneys": [
            {"party_seq": party.party_seq, "attorney_seq": seq, **asdict(attorney)}
            for party in detail.parties
            for seq, attorney in enumerate(party.attorneys, start=1)
        ],
        "court_events": [_event_row(event) for event in detail.events],
        "court_hearings": [asdict(hearing) for hearing in detail.hearings],
        "court_judgments": [_judgment_row(judgment) for judgment in detail.judgments],
        "court_financials": [
            {
                "financial_seq": seq,
                "party_name": financial.party_name,
                "total_assessment": financial.total_assessment,
                "payments_and_credits": financial.payments_and_credits,
            }
            for seq, financial in financials
        ],
        "court_financial_transactions": [
            {
                "financial_seq": seq,
                "transaction_seq": transaction_seq,
                "party_name": financial.party_name,
                **asdict(transaction),
            }
            for seq, financial in financials
            for transaction_seq, transaction in enumerate(financial.transactions, start=1)
        ],
        "court_charges": [asdict(charge) for charge in detail.charges],
        "court_bonds": [asdict(bond) for bond in detail.bonds],
    }


def _case_row(detail: CaseDetail, change_hash: str) -> Row:
    return {
        "court_label": detail.court,
        "portal_case_id": detail.portal_case_id,
        "case_type": detail.case_type,
        "filed_date": detail.filed_date,
        "status": detail.status,
        "style": detail.style,
        "judicial_officer": detail.judicial_officer,
        "attributes_json": to_json(detail.attributes),
        "has_financial": detail.has_financial,
        "fees_assessed": detail.fees_assessed,
        "paid": detail.paid,
        "balance_due": detail.balance_due,
        "change_hash": change_hash,
    }


def _party_row(party: PartyRecord) -> Row:
    return {
        "party_seq": party.party_seq,
        "role": party.role,
        "name": party.name,
        "dob": party.dob,
        "birth_year": party.birth_year,
        "gender": party.gender,
        "race": party.race,
        "address_raw": party.address_raw,
        "is_pro_se": party.is_pro_se,
    }


def _event_row(event: EventRecord) -> Row:
    return {
        "event_seq": event.event_seq,
        "event_date": event.event_date,
        "event_type": event.event_type,
        "comment": event.comment,
        "documents_json": to_json(event.documents),
        "attributes_json": to_json(event.attributes),
    }


def _judgment_row(judgment: JudgmentRecord) -> Row:
    return {
        "judgment_seq": judgment.judgment_seq,
        "judgment_date": judgment.judgment_date,
        "judgment_type": judgment.judgment_type,
        "judgment_for": judgment.judgment_for,
        "amount": judgment.amount,
        "judicial_officer": judgment.judicial_officer,
        "party_names_json": to_json(judgment.party_names),
        "amounts_json": to_json(judgment.amounts),
    }


def to_json(value: Mapping[str, str] | Sequence[str]) -> str | None:
    """A page's list (in page order) or labelled values (keys sorted) as compact JSON
    text; None when the page shows none."""
    if not value:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# -- removals -----------------------------------------------------------------------------


def removals(lake: Lake, as_of: date, visits: list[Row]) -> list[Row]:
    """Tombstones issued on ``as_of``: cases not found today whose previous visit (the
    latest earlier ``court_case_visits`` row) was not found either, unless a tombstone
    was already issued for them on an earlier date."""
    missing = {(v["court"], v["case_number"]) for v in visits if v["outcome"] == "not_found"}
    if not missing:
        return []
    removed = {
        (r["court"], r["case_number"]) for r in read_rows(lake, "court_removals", before=as_of)
    }
    missing -= removed
    previous: dict[tuple[str, str], Row] = {}
    last_found: dict[tuple[str, str], date] = {}
    for row in read_rows(lake, "court_case_visits", before=as_of):
        ref = (row["court"], row["case_number"])
        if ref not in missing:
            continue
        if ref not in previous or row["scrape_date"] >= previous[ref]["scrape_date"]:
            previous[ref] = row
        if row["outcome"] == "found" and row["scrape_date"] > last_found.get(ref, date.min):
            last_found[ref] = row["scrape_date"]
    return [
        {
            "court": court,
            "case_number": number,
            "detected_date": as_of.isoformat(),
            "last_found_date": (
                last_found[(court, number)].isoformat() if (court, number) in last_found else None
            ),
            "reason": REMOVAL_REASON,
        }
        for court, number in sorted(missing)
        if (court, number) in previous and previous[(court, number)]["outcome"] == "not_found"
    ]
