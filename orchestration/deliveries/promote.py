"""Promote: a validated staged batch to the partner's folder, then to the ledger.

Fail closed: only a batch whose staged files match their manifest, with a passing
validation of that exact manifest (sha256), is promoted. The partner's files are written
create-only, then the ledger file create-only, so:

* promoting twice is a no-op that says so (the ledger file exists);
* a crash after the partner's file and before the ledger is repaired on the next run
  from what the partner holds (its sha256 must equal the staged batch's): the missing
  files and the ledger are completed, nothing is sent again;
* a batch built before another week was promoted (a stale batch, e.g. a `manual` week
  approved late) is refused rather than sent twice: re-run the week instead.
"""

from __future__ import annotations

import io
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

import pyarrow.parquet as pq

from courtlake.crashpoints import crash_point
from courtlake.errors import ObjectExistsError, ObjectNotFoundError
from courtlake.lake import Lake
from orchestration.deliveries.layout import KEYS, MANIFEST, BatchLayout
from orchestration.deliveries.ledger import (
    already_delivered,
    promoted_weeks,
    read_ledger,
    write_ledger,
)
from orchestration.deliveries.records import (
    PartnerManifest,
    StagedManifest,
    ValidationRecord,
    sha256_hex,
)
from orchestration.deliveries.validate import staged_files
from orchestration.partners import Partner, ReviewMode

log = logging.getLogger(__name__)


class PromoteStatus(StrEnum):
    PROMOTED = "promoted"
    ALREADY_PROMOTED = "already promoted"
    REPAIRED = "repaired"
    AWAITING_REVIEW = "awaiting review"
    REFUSED = "refused"


@dataclass(frozen=True)
class PromoteResult:
    partner: str
    week: date
    status: PromoteStatus
    message: str
    rows: int = 0
    withdrawn: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not PromoteStatus.REFUSED

    def summary(self) -> str:
        return f"{self.partner}: {self.status.value}: {self.message}"


def promote_batch(
    lake: Lake, partner: Partner, week: date, *, reviewed: bool = False
) -> PromoteResult:
    """Promote (partner, week); `reviewed`: a person approved it (needed for `manual`)."""
    layout = BatchLayout(partner.name, week)

    def result(status: PromoteStatus, message: str, staged: StagedManifest | None = None):
        rows = staged.data.rows if staged else 0
        withdrawn = staged.withdrawals.rows if staged else 0
        return PromoteResult(partner.name, week, status, message, rows, withdrawn)

    if lake.exists(layout.ledger):
        return result(PromoteStatus.ALREADY_PROMOTED, "nothing to do", _staged(lake, layout))
    try:
        staged, manifest_bytes, files = staged_files(lake, layout)
    except ObjectNotFoundError:
        return result(
            PromoteStatus.REFUSED, f"nothing staged: run `courtlake deliver export --week {week}`"
        )
    except ValueError as exc:
        return result(PromoteStatus.REFUSED, str(exc))

    if lake.exists(layout.delivered(layout.data_name)):
        return _repair(lake, partner, layout, staged, files, result)
    refusal = _check_validation(lake, layout, staged, manifest_bytes)
    if refusal:
        return result(PromoteStatus.REFUSED, refusal, staged)
    if partner.review is ReviewMode.MANUAL and not reviewed:
        return result(
            PromoteStatus.AWAITING_REVIEW,
            "read the report, then "
            f"`courtlake deliver promote --week {week} --partner {partner.name}`",
            staged,
        )
    refusal = _check_ledger(lake, partner, week, files)
    if refusal:
        return result(PromoteStatus.REFUSED, refusal, staged)

    at = datetime.now(UTC).replace(microsecond=0)
    try:
        lake.put_new(layout.delivered(layout.data_name), files[staged.data.name])
    except ObjectExistsError:
        # another promoter got there first: finish from what the partner holds
        return _repair(lake, partner, layout, staged, files, result)
    crash_point("promote.after_partner_file")
    _complete_partner_files(lake, partner, layout, staged, files, at)
    crash_point("promote.before_ledger")
    write_ledger(lake, layout, _keys(files), at)
    log.info("promoted %s week %s: %d rows", partner.name, week, staged.data.rows)
    return result(
        PromoteStatus.PROMOTED,
        f"{staged.data.rows} rows, {staged.withdrawals.rows} withdrawn → {layout.delivered('')}",
        staged,
    )


def _staged(lake: Lake, layout: BatchLayout) -> StagedManifest | None:
    try:
        return StagedManifest.model_validate_json(lake.get(layout.staged(MANIFEST)))
    except ObjectNotFoundError:
        return None


def _check_validation(
    lake: Lake, layout: BatchLayout, staged: StagedManifest, manifest_bytes: bytes
) -> str | None:
    retry = f"run `courtlake deliver validate --week {layout.week} --partner {layout.partner}`"
    try:
        record = ValidationRecord.model_validate_json(lake.get(layout.validation))
    except ObjectNotFoundError:
        return f"not validated: {retry}"
    if record.manifest_sha256 != sha256_hex(manifest_bytes):
        return f"the validation is of another export of this week: {retry}"
    if record.data_sha256 != staged.data.sha256:
        return f"the validation is of another file: {retry}"
    if not record.success:
        return f"validation failed ({'; '.join(record.problems[:3])}); see {layout.validation}"
    return None


def _check_ledger(lake: Lake, partner: Partner, week: date, files: dict[str, bytes]) -> str | None:
    later = [w for w in promoted_weeks(lake, partner.name) if w > week]
    if later:
        return (
            f"week {later[0]} is already promoted to this partner and carried this week's "
            f"records; an older week cannot be sent after it"
        )
    keys = _keys(files)
    delivered = keys[keys["record_kind"] == "delivered"].reset_index(drop=True)
    weeks = already_delivered(
        delivered,
        read_ledger(lake, partner.name, keys=delivered["delivery_key"]),
        partner.resend.policy,
        week,
    )
    stale = weeks.dropna()
    if len(stale):
        return (
            f"{len(stale)} records of this batch were promoted in week {stale.iloc[0]} "
            f"after the batch was built: re-run the week (`courtlake weekly --week {week}`)"
        )
    return None


def _keys(files: dict[str, bytes]):
    return pq.read_table(io.BytesIO(files[KEYS])).to_pandas()


def _complete_partner_files(
    lake: Lake,
    partner: Partner,
    layout: BatchLayout,
    staged: StagedManifest,
    files: dict[str, bytes],
    at: datetime,
) -> None:
    """After the partner's data file: its withdrawal list (if any) and manifest, each
    create-only and skipped when already there."""
    withdrawals = staged.withdrawals if staged.withdrawals.rows else None
    wanted = [(staged.withdrawals.name, files[staged.withdrawals.name])] if withdrawals else []
    manifest = PartnerManifest(
        partner=partner.name,
        display_name=partner.display_name,
        week=layout.week,
        file=staged.data,
        withdrawals=withdrawals,
        promoted_at=at,
    )
    wanted.append((MANIFEST, manifest.to_bytes()))
    for name, payload in wanted:
        key = layout.delivered(name)
        if not lake.exists(key):
            with suppress(ObjectExistsError):  # a concurrent promoter wrote it
                lake.put_new(key, payload)


def _repair(lake, partner, layout, staged, files, result) -> PromoteResult:
    """The partner's file exists but the ledger may not: complete from what was sent."""
    sent = lake.get(layout.delivered(layout.data_name))
    if sha256_hex(sent) != staged.data.sha256:
        return result(
            PromoteStatus.REFUSED,
            f"{layout.delivered(layout.data_name)} differs from the staged batch; the ledger "
            "cannot be completed automatically: compare them before anything else",
            staged,
        )
    at = _promoted_at(lake, layout) or datetime.now(UTC).replace(microsecond=0)
    _complete_partner_files(lake, partner, layout, staged, files, at)
    try:
        write_ledger(lake, layout, _keys(files), at)
    except ObjectExistsError:
        return result(PromoteStatus.ALREADY_PROMOTED, "nothing to do", staged)
    log.warning("%s week %s: ledger completed from the partner's file", partner.name, layout.week)
    return result(
        PromoteStatus.REPAIRED,
        "the partner's file was there without its ledger entry; ledger completed from it "
        "(nothing sent again)",
        staged,
    )


def _promoted_at(lake: Lake, layout: BatchLayout) -> datetime | None:
    try:
        return PartnerManifest.model_validate_json(lake.get(layout.delivered(MANIFEST))).promoted_at
    except ObjectNotFoundError:
        return None
