"""What earlier runs saw of each case, and which cases this run re-visits.

Read from the compacted raw table `court_case_visits` (one row per case per run that
visited it, found or not) and `court_removals` (tombstones already issued).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow.parquet as pq

from courtlake.lake import Lake


@dataclass(frozen=True)
class CaseState:
    court: str
    case_number: str
    filed_date: date | None  # None when the case was never found
    status: str | None
    last_visit: date
    last_outcome: str  # "found" | "not_found"
    removed: bool


def partitions(lake: Lake, table: str, before: date | None = None) -> list[tuple[date, str]]:
    """(scrape_date, key) of every Parquet file of a raw table, oldest first."""
    found = []
    for key in lake.list(f"raw/{table}/"):
        part = next((p for p in key.split("/") if p.startswith("scrape_date=")), None)
        if part is None or not key.endswith(".parquet"):
            continue
        day = date.fromisoformat(part.removeprefix("scrape_date="))
        if before is None or day < before:
            found.append((day, key))
    return sorted(found)


def read_rows(lake: Lake, table: str, before: date | None = None) -> list[dict]:
    rows: list[dict] = []
    for day, key in partitions(lake, table, before):
        table_rows = pq.read_table(io.BytesIO(lake.get(key))).to_pylist()
        for row in table_rows:
            row["scrape_date"] = day
        rows.extend(table_rows)
    return rows


def load_case_history(lake: Lake, before: date) -> list[CaseState]:
    removed = {(r["court"], r["case_number"]) for r in read_rows(lake, "court_removals", before)}
    latest: dict[tuple[str, str], dict] = {}
    for row in read_rows(lake, "court_case_visits", before):
        ref = (row["court"], row["case_number"])
        if ref not in latest or row["scrape_date"] >= latest[ref]["scrape_date"]:
            previous = latest.get(ref, {})
            # keep the last known status / filing date through not-found visits
            row["status"] = row.get("status") or previous.get("status")
            row["filed_date"] = row.get("filed_date") or previous.get("filed_date")
            latest[ref] = row
    return [
        CaseState(
            court=court,
            case_number=number,
            filed_date=date.fromisoformat(row["filed_date"]) if row.get("filed_date") else None,
            status=row.get("status"),
            last_visit=row["scrape_date"],
            last_outcome=row["outcome"],
            removed=(court, number) in removed,
        )
        for (court, number), row in sorted(latest.items())
    ]


def rescrape_selection(
    history: Iterable[CaseState],
    *,
    as_of: date,
    window_days: int,
    budget: int,
    final_statuses: frozenset[str],
    exclude: set[tuple[str, str]],
) -> set[tuple[str, str]]:
    """Cases to re-visit: every case not yet final and filed within the window, every
    case last seen missing (to confirm a removal), then the stalest others up to `budget`.
    Tombstoned cases are never visited again."""
    selected: set[tuple[str, str]] = set()
    others: list[CaseState] = []
    since = as_of - timedelta(days=window_days)
    for state in history:
        ref = (state.court, state.case_number)
        if state.removed or ref in exclude:
            continue
        recent = state.filed_date is not None and state.filed_date >= since
        if state.last_outcome == "not_found" or (recent and state.status not in final_statuses):
            selected.add(ref)
        else:
            others.append(state)
    others.sort(key=lambda s: (s.last_visit, s.court, s.case_number))
    selected.update((s.court, s.case_number) for s in others[:budget])
    return selected
