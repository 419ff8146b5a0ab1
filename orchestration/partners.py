"""Partner organisations and their delivery settings, read from dbt's manifest.

A partner is a delivery model `models/deliveries/<partner>/delivery__<partner>.sql` whose
YAML carries `config.meta.delivery` (see macros/deliveries.sql): one source of truth for
the SQL that builds its batches and for the Python that exports, validates and promotes
them. :func:`partners_from_manifest` checks every partner's configuration and says
exactly what is wrong with one that does not hold together.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

#: Columns every delivery model has besides the partner's own (macros/deliveries.sql).
BOOKKEEPING_COLUMNS = (
    "delivery_action",
    "delivery_key",
    "change_hash",
    "last_delivered_week",
    "removed_date",
    "dbt_invocation_id",
    "delivery_week",
)
#: The first column of every partner file: the record's delivery key.
KEY_COLUMN = "delivery_key"


class PartnerConfigError(ValueError):
    """A delivery model's meta.delivery is missing or inconsistent."""


class ResendPolicy(StrEnum):
    NEVER = "never"
    ON_CHANGE = "on_change"


class ReviewMode(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LatePostings(_Frozen):
    """A row first seen (`first_seen_column`) after the partner's previous promoted
    week P and on or before W is eligible when its date is within
    [W - filed_within_days, W]: a case posted late, or a defendant added after filing,
    goes out the first week it is visible. Before a partner's first promotion there
    is no P, and only the regular window counts."""

    filed_within_days: int = Field(ge=1, le=3650)
    first_seen_column: str = "defendant_first_seen_date"


class Eligibility(_Frozen):
    """Which rows of the source mart are eligible for a delivery week W: `date_column`
    within [W - within_days, W] (or, with `late_postings`, first seen since the
    previous delivery), in one of `courts` (all when empty), every `require_true`
    column true."""

    date_column: str = "filed_date"
    within_days: int = Field(ge=1, le=3650)
    late_postings: LatePostings | None = None
    courts: tuple[str, ...] = ()
    require_true: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _late_window_is_wider(self) -> Eligibility:
        if self.late_postings and self.late_postings.filed_within_days < self.within_days:
            raise ValueError("late_postings.filed_within_days must be at least within_days")
        return self


class Resend(_Frozen):
    policy: ResendPolicy
    fields: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fields_match_policy(self) -> Resend:
        if self.policy is ResendPolicy.ON_CHANGE and not self.fields:
            raise ValueError("resend policy on_change needs resend.fields")
        if self.policy is ResendPolicy.NEVER and self.fields:
            raise ValueError("resend policy never takes no resend.fields")
        return self


class Partner(_Frozen):
    """One partner's delivery configuration (meta.delivery) plus where its model lives."""

    partner: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")
    display_name: str
    source_model: str
    key_column: str
    eligibility: Eligibility
    columns: tuple[str, ...] = Field(min_length=1)
    required: tuple[str, ...] = ()
    resend: Resend
    file_format: str = "csv"
    review: ReviewMode = ReviewMode.AUTO
    # from the manifest node, not from meta
    model: str = ""
    relation: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Partner:
        if self.file_format != "csv":
            raise ValueError(f"file_format {self.file_format!r} is not supported (csv)")
        if KEY_COLUMN in self.columns or len(set(self.columns)) != len(self.columns):
            raise ValueError(f"columns must be distinct and not include {KEY_COLUMN}")
        if not {"case_number", "court"} <= set(self.columns):
            raise ValueError("columns must include case_number and court (for withdrawals)")
        unknown = set(self.resend.fields) - set(self.columns)
        if unknown:
            raise ValueError(f"resend.fields {sorted(unknown)} are not delivered columns")
        unknown = set(self.required) - set(self.columns)
        if unknown:
            raise ValueError(f"required {sorted(unknown)} are not delivered columns")
        return self

    @property
    def name(self) -> str:
        return self.partner

    @property
    def file_columns(self) -> tuple[str, ...]:
        """The columns of the partner's file, in order: the allow-list."""
        return (KEY_COLUMN, *self.columns)

    def window(self, week: date) -> tuple[date, date]:
        """The regular eligibility window of `week`'s batch, inclusive."""
        return week - timedelta(days=self.eligibility.within_days), week

    def eligible_dates(self, week: date) -> tuple[date, date]:
        """The dates any row of `week`'s batch can have (late postings included)."""
        late = self.eligibility.late_postings
        days = late.filed_within_days if late else self.eligibility.within_days
        return week - timedelta(days=days), week

    def late_window(self, week: date, previous: date | None) -> tuple[date, date, date] | None:
        """With late postings: (first seen after, dated from, dated to) of `week`'s
        batch, given the partner's previous promoted week (None before the first)."""
        late = self.eligibility.late_postings
        if late is None:
            return None
        return previous or week, week - timedelta(days=late.filed_within_days), week


def partners_from_manifest(manifest: dict[str, Any]) -> dict[str, Partner]:
    """Every delivery model's partner, by name, checked against the model's contract."""
    partners: dict[str, Partner] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("fqn", [])[1:2] != ["deliveries"]:
            continue
        partner = _partner_from_node(node)
        if partner.name in partners:
            raise PartnerConfigError(f"partner {partner.name!r} is configured twice")
        partners[partner.name] = partner
    return dict(sorted(partners.items()))


def _partner_from_node(node: dict[str, Any]) -> Partner:
    name = node["name"]
    meta = (node.get("config") or {}).get("meta", {}).get("delivery")
    if meta is None:
        raise PartnerConfigError(f"{name}: no config.meta.delivery in its YAML")
    try:
        partner = Partner.model_validate(
            {**meta, "model": name, "relation": node.get("relation_name") or ""}
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'meta.delivery'}: {err['msg']}"
            for err in exc.errors()
        )
        raise PartnerConfigError(f"{name}: meta.delivery is invalid: {problems}") from None
    if name != f"delivery__{partner.name}":
        raise PartnerConfigError(f"{name}: the model of partner {partner.name!r} must be "
                                 f"named delivery__{partner.name}")  # fmt: skip
    contract = tuple(node.get("columns", {}))
    expected = {*BOOKKEEPING_COLUMNS, *partner.columns}
    if set(contract) != expected:
        missing, extra = expected - set(contract), set(contract) - expected
        raise PartnerConfigError(
            f"{name}: the contract's columns must be the bookkeeping columns plus "
            f"meta.delivery.columns (missing {sorted(missing)}, extra {sorted(extra)})"
        )
    return partner
