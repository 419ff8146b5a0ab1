"""The ledger: what each partner was sent, one immutable Parquet file per promoted week.

`ledger/partner=<p>/delivery_week=<w>/promoted.parquet` is written create-only by
`promote`, after the partner's file. Its rows are the week's delivered keys
(`record_kind` delivered) and withdrawn keys (withdrawn), with the content hash that was
sent and the scheme of the keys. The delivery models read the same files (source
`ledger`), so SQL and Python agree on what counts as already sent: only promoted weeks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from courtlake.lake import Lake
from orchestration.deliveries.layout import BatchLayout
from orchestration.partners import ResendPolicy

SCHEMA = pa.schema(
    [
        ("record_kind", pa.string()),
        ("delivery_key", pa.string()),
        ("change_hash", pa.string()),
        ("case_number", pa.string()),
        ("court", pa.string()),
        ("key_scheme", pa.string()),
        ("promoted_at", pa.string()),
    ]
)
#: The keys' scheme in ledger files written since party identity is tracked (files
#: without the column hold position keys: see int_deliveries_last_sent).
KEY_SCHEME = "party_identity"
COLUMNS = [*SCHEMA.names, "delivery_week"]


def read_ledger(lake: Lake, partner: str, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Every ledger row of `partner` (only those of `keys`, when given), with its
    `delivery_week` (a date)."""
    wanted = (
        None
        if keys is None
        else pa.array(sorted({k for k in keys if isinstance(k, str)}), pa.string())
    )
    frames = []
    for key in lake.list(f"ledger/partner={partner}/"):
        if not key.endswith(".parquet"):
            continue
        week = date.fromisoformat(key.split("delivery_week=", 1)[1].split("/", 1)[0])
        table = pq.read_table(io.BytesIO(lake.get(key)))
        if wanted is not None:
            table = table.filter(pc.is_in(table["delivery_key"], value_set=wanted))
        frames.append(table.to_pandas().assign(delivery_week=week))
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in COLUMNS})
    return pd.concat(frames, ignore_index=True)


def promoted_weeks(lake: Lake, partner: str) -> list[date]:
    """Weeks with a ledger file for `partner`, oldest first."""
    weeks = {
        date.fromisoformat(key.split("delivery_week=", 1)[1].split("/", 1)[0])
        for key in lake.list(f"ledger/partner={partner}/")
        if key.endswith(".parquet")
    }
    return sorted(weeks)


def ledger_bytes(keys: pd.DataFrame, promoted_at: datetime) -> bytes:
    """The ledger file of a promoted batch, from its staged keys."""
    table = pa.table(
        {
            "record_kind": keys["record_kind"].astype(str).tolist(),
            "delivery_key": keys["delivery_key"].astype(str).tolist(),
            "change_hash": [None if pd.isna(v) else str(v) for v in keys["change_hash"]],
            "case_number": keys["case_number"].astype(str).tolist(),
            "court": keys["court"].astype(str).tolist(),
            "key_scheme": [KEY_SCHEME] * len(keys),
            "promoted_at": [promoted_at.strftime("%Y-%m-%dT%H:%M:%SZ")] * len(keys),
        },
        schema=SCHEMA,
    )
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue()


def write_ledger(lake: Lake, layout: BatchLayout, keys: pd.DataFrame, at: datetime) -> None:
    """Write the (partner, week) ledger file create-only (ObjectExistsError if there)."""
    lake.put_new(layout.ledger, ledger_bytes(keys, at))


def already_delivered(
    batch: pd.DataFrame, ledger: pd.DataFrame, policy: ResendPolicy, week: date
) -> pd.Series:
    """For each delivered row of `batch` (delivery_key, change_hash): the week in which the
    partner already received it (as 'YYYY-MM-DD'), or None.

    never: any other week's delivery of the key. on_change: the key's latest delivery
    before `week`, when it carried the same change hash (the content was already sent).
    Only the ledger rows of the batch's keys are looked at, so the cost follows the
    batch, not the partner's whole history.
    """
    relevant = ledger[
        (ledger["record_kind"] == "delivered") & ledger["delivery_key"].isin(batch["delivery_key"])
    ]
    relevant = relevant.assign(week=relevant["delivery_week"].map(str))
    relevant = relevant[relevant["week"] != week.isoformat()]
    if policy is ResendPolicy.NEVER:
        last = relevant.groupby("delivery_key")["week"].max()
        weeks = batch["delivery_key"].map(last)
    else:
        earlier = relevant[relevant["week"] < week.isoformat()].sort_values("week")
        latest = earlier.drop_duplicates("delivery_key", keep="last").set_index("delivery_key")
        same = (
            batch["change_hash"].to_numpy()
            == batch["delivery_key"].map(latest["change_hash"]).to_numpy()
        )
        weeks = batch["delivery_key"].map(latest["week"]).where(same)
    return weeks.astype(object).where(weeks.notna(), None)
