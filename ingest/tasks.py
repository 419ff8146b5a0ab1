"""Task identity and landing outputs.

A task is identified by (stream, portal, natural key, as-of date, salt). Its output is one
gzip'd JSON object under `landing/<stream>/<as_of>/v=<salt>/<key-slug>-<digest>.json.gz`,
written create-only: when it exists, the task is done and is skipped. A downstream task
finds an upstream output by the upstream task's identity (`TaskId.landing_key`), never by a
hard-coded path. The salt is the version of the stream's scraper and parser: bumping it
re-derives outputs beside the old ones and never enters a delivery key.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from courtlake.lake import Lake, ObjectExistsError, ObjectNotFoundError

Outcome = Literal["ok", "not_found"]

# The streams, in the order a run executes them.
ALL_STREAMS = ("roster", "booking", "filings", "person_history", "case_detail")
# One salt per stream: bump it when the stream's navigation or parser changes output.
SALTS: dict[str, str] = {
    "roster": "2",
    "booking": "2",
    "person_history": "2",
    "filings": "2",
    "case_detail": "2",
}
# What a stream's tasks are planned from: when a discovery task upstream failed, the
# stream cannot be planned completely and is "blocked" (see ingest.runner).
UPSTREAM: dict[str, tuple[str, ...]] = {
    "booking": ("roster",),
    "person_history": ("booking",),
    "case_detail": ("filings", "person_history"),
}
# (stream, upstream) pairs where the upstream only adds records that are read through its
# own tables: cases found by searching people are linked to them by person_case_candidates,
# so a person_history outage holds the partners reading that table, not every court reader.
SIDE_FEEDS = frozenset({("case_detail", "person_history")})
# Which stream's outputs a raw table is compacted from, by table-name prefix (first match).
TABLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("jail_roster", "roster"),
    ("jail_booking", "booking"),
    ("court_filings", "filings"),
    ("person_case_candidates", "person_history"),
    ("court_", "case_detail"),
)


def stream_of_table(table: str) -> str | None:
    """The stream whose landing outputs a raw table is compacted from (None: not raw)."""
    return next((stream for prefix, stream in TABLE_STREAMS if table.startswith(prefix)), None)


PORTALS: dict[str, str] = {
    "roster": "jail",
    "booking": "jail",
    "person_history": "court",
    "filings": "court",
    "case_detail": "court",
}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:60] or "task"


@dataclass(frozen=True, order=True)
class TaskId:
    stream: str
    key: str
    as_of: date
    salt: str
    portal: str

    @classmethod
    def of(cls, stream: str, key: str, as_of: date) -> TaskId:
        if stream not in SALTS:
            raise ValueError(f"unknown stream {stream!r}")
        return cls(stream=stream, key=key, as_of=as_of, salt=SALTS[stream], portal=PORTALS[stream])

    @property
    def digest(self) -> str:
        identity = f"{self.stream}|{self.portal}|{self.key}|{self.as_of.isoformat()}|{self.salt}"
        return hashlib.sha256(identity.encode()).hexdigest()

    @property
    def landing_key(self) -> str:
        return (
            f"landing/{self.stream}/{self.as_of.isoformat()}/v={self.salt}/"
            f"{_slug(self.key)}-{self.digest[:16]}.json.gz"
        )

    def describe(self) -> dict[str, str]:
        return {
            "stream": self.stream,
            "portal": self.portal,
            "key": self.key,
            "as_of": self.as_of.isoformat(),
            "salt": self.salt,
        }


@dataclass(frozen=True)
class TaskOutput:
    task: TaskId
    outcome: Outcome
    records: dict[str, Any]  # stream-specific payload, JSON-native
    pages: tuple[str, ...]  # sha256 of every archived page the records came from
    finished_at: str

    def encode(self) -> bytes:
        body = {
            "task": self.task.describe(),
            "outcome": self.outcome,
            "records": self.records,
            "pages": list(self.pages),
            "finished_at": self.finished_at,
        }
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return gzip.compress(text.encode(), mtime=0)

    @classmethod
    def decode(cls, data: bytes) -> TaskOutput:
        body = json.loads(gzip.decompress(data))
        t = body["task"]
        task = TaskId(
            stream=t["stream"],
            key=t["key"],
            as_of=date.fromisoformat(t["as_of"]),
            salt=t["salt"],
            portal=t["portal"],
        )
        return cls(
            task=task,
            outcome=body["outcome"],
            records=body["records"],
            pages=tuple(body["pages"]),
            finished_at=body["finished_at"],
        )


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Landing:
    """Reads and writes task outputs in a lake."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def done(self, task: TaskId) -> bool:
        return self.lake.exists(task.landing_key)

    def write(self, output: TaskOutput) -> bool:
        """Create-only; False when another run already wrote it (then the first one stays)."""
        try:
            self.lake.put_new(output.task.landing_key, output.encode())
        except ObjectExistsError:
            return False
        return True

    def read(self, task: TaskId) -> TaskOutput | None:
        """The output of `task` (the `requires()` lookup), or None when it has not run."""
        try:
            return TaskOutput.decode(self.lake.get(task.landing_key))
        except ObjectNotFoundError:
            return None

    def outputs(self, stream: str, as_of: date) -> list[TaskOutput]:
        prefix = f"landing/{stream}/{as_of.isoformat()}/v={SALTS[stream]}/"
        return [TaskOutput.decode(self.lake.get(key)) for key in self.lake.list(prefix)]

    def as_of_dates(self, stream: str) -> list[date]:
        """Every as-of date that has outputs of `stream` at its current salt."""
        dates = set()
        salt_dir = f"/v={SALTS[stream]}/"
        for key in self.lake.list(f"landing/{stream}/"):
            if salt_dir in key:
                dates.add(date.fromisoformat(key.split("/")[2]))
        return sorted(dates)
