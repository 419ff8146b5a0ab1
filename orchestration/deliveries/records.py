"""The records that cross step boundaries, stored as JSON in the lake."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_bytes(self) -> bytes:
        return (self.model_dump_json(indent=2) + "\n").encode()


class FileEntry(_Record):
    name: str
    sha256: str
    rows: int
    columns: tuple[str, ...]


class BatchCounts(_Record):
    """Rows of the batch by delivery action; eligible = send + resend + skip."""

    send: int = 0
    resend: int = 0
    skip: int = 0
    withdraw: int = 0

    @property
    def eligible(self) -> int:
        return self.send + self.resend + self.skip

    @property
    def delivered(self) -> int:
        return self.send + self.resend


class StagedManifest(_Record):
    """What `export` staged for (partner, week): its files and where they came from."""

    partner: str
    week: date
    model: str
    relation: str
    resend_policy: str
    review: str
    dbt_invocation_id: str
    code_version: str
    exported_at: datetime
    counts: BatchCounts
    data: FileEntry
    withdrawals: FileEntry
    keys: FileEntry
    empty: bool


class ValidationRecord(_Record):
    """The outcome of validating one staged batch, tied to its manifest's sha256."""

    partner: str
    week: date
    manifest_sha256: str
    data_sha256: str
    success: bool
    problems: tuple[str, ...]
    parameters: dict[str, Any]
    checks: tuple[dict[str, Any], ...]
    gx_version: str | None
    data_docs: str | None
    validated_at: datetime


class PartnerManifest(_Record):
    """The manifest beside a partner's file: what they received (no internal data)."""

    partner: str
    display_name: str
    week: date
    file: FileEntry
    withdrawals: FileEntry | None
    promoted_at: datetime
