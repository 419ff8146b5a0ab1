"""`courtlake deliver export|validate|promote`: each step for every partner (or one).

Partners come from dbt's manifest (orchestration.partners). Each partner is handled on
its own: a failure of one is reported and the others go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from courtlake.errors import ObjectNotFoundError
from courtlake.lake import Lake
from orchestration.dbt import DbtProject
from orchestration.deliveries.export import ExportResult, export_batch
from orchestration.deliveries.layout import MANIFEST, BatchLayout
from orchestration.deliveries.promote import PromoteResult, promote_batch
from orchestration.deliveries.records import BatchCounts, StagedManifest, ValidationRecord
from orchestration.deliveries.validate import validate_batch
from orchestration.partners import Partner, partners_from_manifest
from orchestration.warehouse import Warehouse, open_warehouse


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def check_week(week: date) -> date:
    if week.weekday() != 0:
        raise ValueError(
            f"a delivery week is a Monday; {week} is a {week:%A} (use {monday_of(week)})"
        )
    return week


@dataclass(frozen=True)
class Deliveries:
    """The lake, the dbt project and the warehouse the delivery steps work with."""

    lake: Lake
    dbt: DbtProject
    warehouse: Warehouse

    @classmethod
    def open(cls, lake: Lake, dbt: DbtProject) -> Deliveries:
        return cls(lake, dbt, open_warehouse(dbt.target, dbt.warehouse))

    def partners(self, names: Sequence[str] | None = None) -> list[Partner]:
        """The configured partners, or those named (an unknown name is a ValueError)."""
        known = partners_from_manifest(self.dbt.manifest())
        if not names:
            return list(known.values())
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise ValueError(
                f"unknown partner {', '.join(unknown)}; configured: {', '.join(known)}"
            )
        return [known[name] for name in names]

    def export(self, week: date, partners: Sequence[Partner]) -> list[ExportResult]:
        return [export_batch(self.lake, self.warehouse, p, check_week(week)) for p in partners]

    def validate(self, week: date, partners: Sequence[Partner]) -> list[ValidationRecord]:
        return [validate_batch(self.lake, p, check_week(week)) for p in partners]

    def promote(
        self, week: date, partners: Sequence[Partner], *, reviewed: bool = False
    ) -> list[PromoteResult]:
        return [promote_batch(self.lake, p, check_week(week), reviewed=reviewed) for p in partners]

    def staged_counts(self, week: date, partner: Partner) -> BatchCounts | None:
        """The counts of the week's staged batch, or None when nothing is staged."""
        try:
            data = self.lake.get(BatchLayout(partner.name, week).staged(MANIFEST))
        except ObjectNotFoundError:
            return None
        return StagedManifest.model_validate_json(data).counts
