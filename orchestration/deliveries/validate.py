"""Validate: a staged batch against the partner's Great Expectations suites.

First the staged files must match their manifest byte for byte (sha256); then the file
goes to GX (`expectations.runner`, which alone imports GX) with the facts a file cannot
carry: for each row, the week the partner already received it (from the ledger) and the
removal date of its case (from the raw tombstones in the lake, which may be newer than
the warehouse's batch). The result is written to `reports/<week>/validation/<partner>.json`
tied to the manifest's sha256, with Data Docs beside it: promotion requires exactly that.

Row-count bounds, learned from the partner's recent promoted files: at least
max(1, 25 % of the median of the last 8) rows, at most max(100, 5 × their maximum)
(with fewer than 3 weeks of history: at least 1, no maximum); at least 0 when the week
really had nothing, i.e. the portal listed fewer than `QUIET_WEEK_FILINGS` new filings in
the partner's courts and window since the previous week.
"""

from __future__ import annotations

import io
import logging
import statistics
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from courtlake.crashpoints import crash_point
from courtlake.errors import ObjectNotFoundError
from courtlake.lake import Lake
from orchestration.deliveries.layout import KEYS, MANIFEST, BatchLayout
from orchestration.deliveries.ledger import already_delivered, promoted_weeks, read_ledger
from orchestration.deliveries.records import (
    PartnerManifest,
    StagedManifest,
    ValidationRecord,
    sha256_hex,
)
from orchestration.partners import Partner

log = logging.getLogger(__name__)

HISTORY_WEEKS = 8
QUIET_WEEK_FILINGS = 10


def read_csv(data: bytes) -> pd.DataFrame:
    """A delivery CSV as strings (zip codes keep their zeros; empty cells are NaN)."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""])


def staged_files(lake: Lake, layout: BatchLayout) -> tuple[StagedManifest, bytes, dict[str, bytes]]:
    """The staged manifest, its sha256-checked bytes, and each file it lists.

    Raises ValueError naming the file whose bytes differ from the manifest."""
    manifest_bytes = lake.get(layout.staged(MANIFEST))
    manifest = StagedManifest.model_validate_json(manifest_bytes)
    files: dict[str, bytes] = {}
    for entry in (manifest.data, manifest.withdrawals, manifest.keys):
        payload = lake.get(layout.staged(entry.name))
        if sha256_hex(payload) != entry.sha256:
            raise ValueError(
                f"{layout.staged(entry.name)} differs from its manifest (sha256): "
                "re-export the week"
            )
        files[entry.name] = payload
    return manifest, manifest_bytes, files


def validate_batch(lake: Lake, partner: Partner, week: date) -> ValidationRecord:
    """Validate the staged batch of (partner, week); write and return the record."""
    from expectations.runner import ValidationRequest, validate

    layout = BatchLayout(partner.name, week)
    try:
        manifest_bytes = lake.get(layout.staged(MANIFEST))
    except ObjectNotFoundError:
        raise LookupError(
            f"{partner.name}: nothing staged for week {week}; run "
            f"`courtlake deliver export --week {week}` first"
        ) from None
    parameters: dict[str, Any] = {}
    try:
        manifest, manifest_bytes, files = staged_files(lake, layout)
    except ValueError as exc:
        manifest = StagedManifest.model_validate_json(manifest_bytes)
        record = _record(partner, week, manifest_bytes, manifest, problems=(str(exc),))
        lake.put(layout.validation, record.to_bytes())
        return record

    frame = read_csv(files[manifest.data.name])
    keys = pq.read_table(io.BytesIO(files[KEYS])).to_pandas()
    # one change hash per key, even in a batch that carries a key twice: that batch must
    # reach the uniqueness check (and fail it), not stop the lookup here
    delivered_keys = (
        keys[keys["record_kind"] == "delivered"]
        .drop_duplicates("delivery_key", keep="last")
        .set_index("delivery_key")
    )
    context = pd.DataFrame(
        {
            "previously_delivered_week": _previous_weeks(
                lake, partner, week, frame, delivered_keys
            ),
            "removed_date": _removed_dates(lake, frame),
        }
    )
    min_rows, max_rows = row_bounds(lake, partner, week)
    window_start, window_end = partner.eligible_dates(week)
    parameters = {
        "min_rows": min_rows,
        "max_rows": max_rows,
        "window_start": window_start.isoformat(),
        "window_end": window_end.isoformat(),
        "allowed_columns": list(partner.file_columns),
    }
    with tempfile.TemporaryDirectory(prefix="courtlake-docs-") as tmp:
        outcome = validate(
            ValidationRequest(
                partner=partner.name,
                week=week,
                frame=frame,
                context=context,
                min_rows=min_rows,
                max_rows=max_rows,
                window_start=window_start,
                window_end=window_end,
                allowed_columns=partner.file_columns,
                docs_dir=Path(tmp),
            )
        )
        docs_index = _upload_docs(lake, layout, Path(tmp), outcome.docs_index)
    crash_point("validate.before_record")
    record = _record(
        partner,
        week,
        manifest_bytes,
        manifest,
        success=outcome.success,
        parameters=parameters,
        checks=tuple(outcome.to_json().get("checks", ())),
        gx_version=outcome.gx_version,
        data_docs=docs_index,
    )
    lake.put(layout.validation, record.to_bytes())
    return record


def _record(
    partner: Partner,
    week: date,
    manifest_bytes: bytes,
    manifest: StagedManifest,
    *,
    success: bool = False,
    problems: tuple[str, ...] = (),
    parameters: dict[str, Any] | None = None,
    checks: tuple[dict[str, Any], ...] = (),
    gx_version: str | None = None,
    data_docs: str | None = None,
) -> ValidationRecord:
    failed = tuple(
        f"{c.get('expectation')}({c.get('column') or ''}) failed"
        f" ({c.get('unexpected_count') or 0} unexpected)"
        for c in checks
        if not c.get("success")
    )
    return ValidationRecord(
        partner=partner.name,
        week=week,
        manifest_sha256=sha256_hex(manifest_bytes),
        data_sha256=manifest.data.sha256,
        success=success and not problems,
        problems=problems + failed,
        parameters=parameters or {},
        checks=checks,
        gx_version=gx_version,
        data_docs=data_docs,
        validated_at=datetime.now(UTC).replace(microsecond=0),
    )


def _previous_weeks(
    lake: Lake, partner: Partner, week: date, frame: pd.DataFrame, keys: pd.DataFrame
) -> pd.Series:
    if "delivery_key" not in frame:
        return pd.Series([None] * len(frame), dtype=object)
    batch = pd.DataFrame(
        {
            "delivery_key": frame["delivery_key"],
            "change_hash": frame["delivery_key"].map(keys["change_hash"]),
        }
    )
    ledger = read_ledger(lake, partner.name, keys=batch["delivery_key"])
    return already_delivered(batch, ledger, partner.resend.policy, week).reset_index(drop=True)


def _removed_dates(lake: Lake, frame: pd.DataFrame) -> pd.Series:
    """The removal (tombstone) date of each row's case, from the raw tables, or None."""
    if not {"court", "case_number"} <= set(frame.columns):
        return pd.Series([None] * len(frame), dtype=object)
    tables = [
        pq.read_table(
            io.BytesIO(lake.get(key)), columns=["court", "case_number", "detected_date"]
        ).to_pandas()
        for key in lake.list("raw/court_removals/")
        if key.endswith(".parquet")
    ]
    if not tables:
        return pd.Series([None] * len(frame), dtype=object)
    removed = (
        pd.concat(tables)
        .assign(
            court=lambda t: t["court"].str.strip(),
            case_number=lambda t: t["case_number"].str.strip(),
        )
        .groupby(["court", "case_number"])["detected_date"]
        .max()
    )
    index = pd.MultiIndex.from_arrays([frame["court"], frame["case_number"]])
    return pd.Series(removed.reindex(index).to_numpy(), dtype=object).where(
        lambda s: s.notna(), None
    )


def row_bounds(lake: Lake, partner: Partner, week: date) -> tuple[int, int | None]:
    """(min_rows, max_rows) for the week's file (see the module docstring)."""
    low = 0 if _new_filings(lake, partner, week) < QUIET_WEEK_FILINGS else 1
    recent = [
        PartnerManifest.model_validate_json(
            lake.get(BatchLayout(partner.name, w).delivered(MANIFEST))
        ).file.rows
        for w in promoted_weeks(lake, partner.name)
        if w < week and lake.exists(BatchLayout(partner.name, w).delivered(MANIFEST))
    ][-HISTORY_WEEKS:]
    if len(recent) < 3:
        return low, None
    if low:
        low = max(1, int(0.25 * statistics.median(recent)))
    return low, max(100, 5 * max(recent))


def _new_filings(lake: Lake, partner: Partner, week: date) -> int:
    """Filings in the partner's courts and window first listed since the previous week."""
    window_start, window_end = partner.window(week)
    courts = set(partner.eligibility.courts)
    count = 0
    for key in lake.list("raw/court_filings/"):
        if not key.endswith(".parquet") or "scrape_date=" not in key:
            continue
        scraped = date.fromisoformat(key.split("scrape_date=", 1)[1][:10])
        if not week - timedelta(days=7) < scraped <= week:
            continue
        table = pq.read_table(
            io.BytesIO(lake.get(key)), columns=["court", "filed_date"]
        ).to_pandas()
        filed = table["filed_date"].str[:10]
        inside = (filed >= window_start.isoformat()) & (filed <= window_end.isoformat())
        if courts:
            inside &= table["court"].str.strip().isin(courts)
        count += int(inside.sum())
    return count


def _upload_docs(lake: Lake, layout: BatchLayout, folder: Path, index: Path | None) -> str | None:
    """Copy the Data Docs site into the lake; return the lake key of its index page."""
    lake.delete_prefix(layout.data_docs)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            lake.put(layout.data_docs + path.relative_to(folder).as_posix(), path.read_bytes())
    if index is None:
        return None
    return layout.data_docs + index.relative_to(folder).as_posix()
