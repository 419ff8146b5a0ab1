"""Export: the week's batch from the warehouse to `staging/<partner>/<week>/`.

Writes the partner's file (only the allowed columns, rows it is to receive, sorted by
key so the same batch gives the same bytes), the withdrawal list, the keys with their
change hashes (for the ledger; never sent) and, last, a manifest with the row counts,
sha256 of each file, the dbt invocation and the code version. An empty batch is valid
and says so. Once the partner's folder holds the week's file, the staged batch is what
was sent and is never overwritten.
"""

from __future__ import annotations

import io
import logging
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from courtlake.crashpoints import crash_point
from courtlake.lake import Lake
from orchestration.dbt import PROJECT_DIR
from orchestration.deliveries.layout import KEYS, MANIFEST, BatchLayout
from orchestration.deliveries.records import BatchCounts, FileEntry, StagedManifest, sha256_hex
from orchestration.partners import KEY_COLUMN, Partner
from orchestration.warehouse import Warehouse

log = logging.getLogger(__name__)

DELIVERED = ("send", "resend")
WITHDRAWAL_COLUMNS = (KEY_COLUMN, "case_number", "court")
KEY_FILE_COLUMNS = ("record_kind", KEY_COLUMN, "change_hash", "case_number", "court")


class BatchNotBuiltError(RuntimeError):
    """The warehouse has no batch for the week: the delivery model did not run for it."""


@dataclass(frozen=True)
class ExportResult:
    partner: str
    week: date
    exported: bool  # False: the week was already promoted, staging left as it was
    counts: BatchCounts

    def summary(self) -> str:
        if not self.exported:
            return f"{self.partner}: week {self.week} already promoted; staging left as sent"
        c = self.counts
        return (
            f"{self.partner}: staged {c.delivered} rows ({c.send} new, {c.resend} changed), "
            f"{c.skip} already sent, {c.withdraw} withdrawn"
        )


def batch_sql(partner: Partner, week: date) -> str:
    """The week's batch, every column as varchar (same text on DuckDB and Athena)."""
    columns = (
        "delivery_action",
        KEY_COLUMN,
        *partner.columns,
        "change_hash",
        "dbt_invocation_id",
    )
    select = ",\n    ".join(f"cast({c} as varchar) as {c}" for c in columns)
    return (
        f"select\n    {select}\nfrom {partner.relation}\n"
        f"where delivery_week = date '{week.isoformat()}'"
    )


def export_batch(lake: Lake, warehouse: Warehouse, partner: Partner, week: date) -> ExportResult:
    """Stage `partner`'s batch for `week` (see the module docstring)."""
    layout = BatchLayout(partner.name, week)
    if lake.exists(layout.delivered(layout.data_name)):
        staged = StagedManifest.model_validate_json(lake.get(layout.staged(MANIFEST)))
        return ExportResult(partner.name, week, exported=False, counts=staged.counts)
    batch = warehouse.query(batch_sql(partner, week))
    markers = batch[batch["delivery_action"] == "batch"]
    if markers.empty:
        raise BatchNotBuiltError(
            f"{partner.model} has no batch for week {week}: run "
            f"`dbt build --select {partner.model} --vars '{{delivery_week: {week}}}'` "
            f"(or `courtlake weekly --week {week}`)"
        )
    counts = BatchCounts(
        **{a: int((batch["delivery_action"] == a).sum()) for a in BatchCounts.model_fields}
    )
    rows = batch[batch["delivery_action"].isin(DELIVERED)].sort_values(KEY_COLUMN)
    gone = batch[batch["delivery_action"] == "withdraw"].sort_values(KEY_COLUMN)
    keys = pd.concat([rows.assign(record_kind="delivered"), gone.assign(record_kind="withdrawn")])[
        list(KEY_FILE_COLUMNS)
    ]

    data = _csv(rows, partner.file_columns)
    withdrawals = _csv(gone, WITHDRAWAL_COLUMNS)
    keys_file = _parquet(keys)
    entries = {
        "data": (layout.data_name, data, len(rows), partner.file_columns),
        "withdrawals": (layout.withdrawals_name, withdrawals, len(gone), WITHDRAWAL_COLUMNS),
        "keys": (KEYS, keys_file, len(keys), KEY_FILE_COLUMNS),
    }
    for name, payload, _, _ in entries.values():
        lake.put(layout.staged(name), payload)
        crash_point(f"export.after_{name.rsplit('.', 1)[-1]}")
    manifest = StagedManifest(
        partner=partner.name,
        week=week,
        model=partner.model,
        relation=partner.relation,
        resend_policy=partner.resend.policy.value,
        review=partner.review.value,
        dbt_invocation_id=str(markers["dbt_invocation_id"].iloc[0]),
        code_version=code_version(),
        exported_at=datetime.now(UTC).replace(microsecond=0),
        counts=counts,
        empty=rows.empty,
        **{
            field: FileEntry(name=name, sha256=sha256_hex(payload), rows=n, columns=columns)
            for field, (name, payload, n, columns) in entries.items()
        },
    )
    lake.put(layout.staged(MANIFEST), manifest.to_bytes())
    log.info("staged %s", layout.staged(""))
    return ExportResult(partner.name, week, exported=True, counts=counts)


def _csv(frame: pd.DataFrame, columns: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    frame.loc[:, list(columns)].to_csv(out, index=False, lineterminator="\n")
    return out.getvalue().encode()


def _parquet(frame: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    out = io.BytesIO()
    pq.write_table(table.cast(pa.schema([(c, pa.string()) for c in frame.columns])), out)
    return out.getvalue()


def code_version() -> str:
    """The package version, plus the git commit when running from a checkout."""
    try:
        text = version("courtlake")
    except PackageNotFoundError:
        text = "unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return text
    return f"{text}+g{commit}"
