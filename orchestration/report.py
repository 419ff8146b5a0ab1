"""The weekly report page: `reports/<week>/index.html`, what a reviewer opens on Monday.

One static, self-contained HTML file (inline CSS and inline SVG charts; no script, no
font, no image, nothing fetched: a Content-Security-Policy of `default-src 'none'` makes
the browser refuse any load that might slip in). It reads only what the week's steps left
in the lake, and says what is missing rather than failing:

* the weekly runner's steps and a summary of its run (exit code, the step that failed,
  partners held back); the outcome line is derived from that summary and from the lake's
  state when the page is built, so a later refresh (after a reviewer's promotion) says
  what is true then;
* per partner: the staged batch's counts (`staging/<p>/<week>/manifest.json`), its
  validation (`reports/<week>/validation/<p>.json`, with a relative link to Data Docs)
  and its promotion (`partners/<p>/<week>/manifest.json`, the ledger file);
* scrape health from the week's ingest run reports (`reports/<week>/ingest/*.json`);
* freshness of each raw table (newest `scrape_date` partition, age in days);
* charts: filings per week (raw `court_filings`) and rows delivered per partner per week.

Only counts, dates, statuses, partner names, task keys (booking and case numbers, hashed
person keys) and sha256 prefixes reach the page: never names, dates of birth or
addresses, and never the text of a scrape error (only its exception type).
"""

from __future__ import annotations

import functools
import io
import json
import math
import posixpath
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pyarrow.parquet as pq
from jinja2 import Environment, Template
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError

from courtlake.errors import ObjectNotFoundError
from courtlake.lake import Lake
from ingest.raw_tables import RAW_TABLES
from ingest.tasks import ALL_STREAMS, PORTALS
from orchestration.deliveries.layout import MANIFEST, BatchLayout
from orchestration.deliveries.records import PartnerManifest, StagedManifest, ValidationRecord

__all__ = ["RunSummary", "StepRecord", "build_report", "outcome_line", "report_key", "write_report"]

#: Weeks shown by the charts, ending with the report's week.
CHART_WEEKS = 16
#: A raw table whose newest partition is older than this (days before the week) is stale.
STALE_AFTER_DAYS = 7
#: Slowest tasks listed for the latest ingest run.
SLOWEST_SHOWN = 8

_R = TypeVar("_R", bound=BaseModel)


@dataclass(frozen=True)
class StepRecord:
    """One step of the weekly run, as the runner reports it."""

    name: str
    status: str
    seconds: float
    message: str = ""


@dataclass(frozen=True)
class RunSummary:
    """How a weekly run ended, as its report needs it (kept in reports/<week>/weekly/run.json).

    `exit_code` is the run's (orchestration.weekly.ExitCode); `failed_step` and `failure`
    (one line) say where and why it stopped; `held` names the partners not delivered
    because a stream they read was incomplete, with the reason; `degraded` says ingest
    left some stream incomplete (the partners not held were delivered all the same)."""

    exit_code: int
    failed_step: str | None = None
    failure: str | None = None
    held: dict[str, str] = field(default_factory=dict)
    degraded: bool = False


# exit codes (orchestration.weekly.ExitCode), named here so the report imports no runner
_OK, _PARTNER_FAILED, _INGEST_DEGRADED = 0, 1, 3


def outcome_line(week: date, run: RunSummary, partners: Sequence[PartnerRow]) -> tuple[str, str]:
    """The run's outcome in one line and its CSS class, from the run's summary and the
    partners' state in the lake (never from the words of a message)."""
    refused = [p.partner for p in partners if p.state == "not_promoted"]
    waiting = [p.partner for p in partners if p.state == "awaiting_review"]
    rerun = "re-run the same command"
    if run.failed_step is not None:
        advice = (
            f"{rerun}: finished tasks are skipped, failed ones retried"
            if run.exit_code == _INGEST_DEGRADED
            else f"fix the cause (details in the steps below), then {rerun}: it resumes there"
        )
        return f"week {week}: FAILED at {run.failed_step} — {run.failure}. {advice}.", "bad"
    parts = []
    if run.degraded or run.held:
        held = "; ".join(f"{name} ({why})" for name, why in sorted(run.held.items()))
        parts.append(
            "ingest incomplete (see scrape health)"
            + (f": HELD {held}; their rows stay eligible" if held else "; no partner reads it")
            + f". {rerun}: finished tasks are skipped, failed ones retried"
            + (", held partners delivered" if held else "")
        )
    if refused or run.exit_code == _PARTNER_FAILED:
        parts.append(
            f"NOT delivered to {', '.join(refused) or 'some partner'} (validation failed or "
            "promotion refused; nothing of theirs promoted, their rows stay eligible): read "
            f"this report, fix the cause, then `courtlake weekly --week {week} --restart`"
        )
    if waiting:
        parts.append(
            f"awaiting review: {', '.join(waiting)} — read this report, then "
            f"`courtlake deliver promote --week {week} --partner <name>`"
        )
    if not parts:
        return f"week {week}: done.", "ok"
    css = "warn" if not (run.degraded or run.held or refused or run.exit_code) else "bad"
    head = "done" if css == "warn" else "DEGRADED" if run.degraded or run.held else "NOT COMPLETE"
    return f"week {week}: {head}. " + ". ".join(parts) + ".", css


def outcome_for(lake: Lake, week: date, run: RunSummary) -> tuple[str, str]:
    """outcome_line with the partners' state read from the lake now."""
    return outcome_line(week, run, _partner_rows(lake, week))


def report_key(week: date) -> str:
    """The lake key of the week's report page."""
    return f"reports/{week.isoformat()}/index.html"


def write_report(
    lake: Lake,
    week: date,
    steps: Sequence[StepRecord] = (),
    run: RunSummary | None = None,
) -> str:
    """Build the week's page, write it to `reports/<week>/index.html` and return that key."""
    key = report_key(week)
    lake.put(key, build_report(lake, week, steps, run).encode())
    return key


def build_report(
    lake: Lake,
    week: date,
    steps: Sequence[StepRecord] = (),
    run: RunSummary | None = None,
) -> str:
    """The week's report page (HTML), from what the lake holds now."""
    partners = _partner_rows(lake, week)
    outcome, outcome_class = outcome_line(week, run, partners) if run else (None, "muted")
    ingest = _ingest_summary(lake, week)
    freshness = _freshness(lake, week)
    weeks = _chart_weeks(week)
    filings, filings_note = _filings_per_week(lake, week, weeks)
    deliveries = _deliveries_per_week(lake, weeks)
    labels = [f"{w:%m-%d}" for w in weeks]
    span = f"{weeks[0]:%Y-%m-%d} to {weeks[-1]:%Y-%m-%d}"
    filings_chart = (
        bar_chart_svg(
            "Court filings per week (distinct court + case number, by filed date)",
            labels,
            filings,
            x_label=f"week starting (Monday), {span}",
            y_label="filings",
        )
        if any(filings)
        else None
    )
    deliveries_chart = (
        line_chart_svg(
            "Rows delivered per partner per week (promoted files)",
            labels,
            deliveries,
            x_label=f"delivery week (Monday), {span}",
            y_label="rows delivered",
        )
        if deliveries
        else None
    )
    return _template().render(
        week=week,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        lake_uri=lake.uri(),
        steps=[_step_view(s) for s in steps],
        steps_seconds=sum(s.seconds for s in steps),
        outcome=outcome,
        outcome_class=outcome_class,
        held=sorted(run.held.items()) if run else [],
        attention=_attention(partners, ingest, freshness, steps, run, outcome),
        partners=partners,
        ingest=ingest,
        freshness=freshness,
        stale_after=STALE_AFTER_DAYS,
        filings_chart=filings_chart,
        filings_note=filings_note,
        deliveries_chart=deliveries_chart,
        chart_weeks=CHART_WEEKS,
    )


# -- reading records ---------------------------------------------------------------------


def _load(lake: Lake, key: str, model: type[_R]) -> tuple[_R | None, str | None]:
    """(record, None), (None, None) when absent, or (None, why) when unreadable."""
    try:
        return model.model_validate_json(lake.get(key)), None
    except ObjectNotFoundError:
        return None, None
    except ValidationError as exc:
        # the error's count only: its text would quote the record's values
        return None, f"{key} is unreadable ({exc.error_count()} schema errors)"
    except ValueError:
        return None, f"{key} is unreadable (not JSON)"


def _segments(keys: Sequence[str], depth: int) -> set[str]:
    return {key.split("/")[depth] for key in keys if key.count("/") > depth}


# -- partners ----------------------------------------------------------------------------


@dataclass
class PartnerRow:
    partner: str
    display_name: str | None = None
    staged: StagedManifest | None = None
    validation: ValidationRecord | None = None
    delivered: PartnerManifest | None = None
    ledger: bool = False
    docs_href: str | None = None
    validation_status: str = "—"
    validation_class: str = "muted"
    promotion_status: str = "—"
    promotion_class: str = "muted"
    # promoted · awaiting_review · not_promoted (staged, refused or failed) · nothing_staged
    state: str = "nothing_staged"
    notes: list[str] = field(default_factory=list)

    @property
    def file_rows(self) -> int | None:
        entry = self.staged.data if self.staged else self.delivered.file if self.delivered else None
        return entry.rows if entry else None

    @property
    def file_sha(self) -> str | None:
        entry = self.staged.data if self.staged else self.delivered.file if self.delivered else None
        return entry.sha256[:12] if entry else None


def _partner_rows(lake: Lake, week: date) -> list[PartnerRow]:
    names = (
        _segments(lake.list("staging/"), 1)
        | _segments(lake.list("partners/"), 1)
        | {
            posixpath.basename(key).removesuffix(".json")
            for key in lake.list(f"reports/{week.isoformat()}/validation/")
            if key.endswith(".json")
        }
    )
    return [_partner_row(lake, BatchLayout(name, week)) for name in sorted(names)]


def _partner_row(lake: Lake, layout: BatchLayout) -> PartnerRow:
    row = PartnerRow(layout.partner)
    row.staged, problem = _load(lake, layout.staged(MANIFEST), StagedManifest)
    row.validation, problem_v = _load(lake, layout.validation, ValidationRecord)
    row.delivered, problem_d = _load(lake, layout.delivered(MANIFEST), PartnerManifest)
    row.notes += [p for p in (problem, problem_v, problem_d) if p]
    row.ledger = lake.exists(layout.ledger)
    if row.delivered:
        row.display_name = row.delivered.display_name
    staged, record, delivered = row.staged, row.validation, row.delivered

    if staged and staged.empty:
        row.notes.append("empty batch: nothing new for this partner this week")
    if staged and delivered and staged.data.sha256 != delivered.file.sha256:
        row.notes.append(
            "the staged file differs from the delivered one (re-exported after promotion)"
        )

    # validation
    stale = bool(record and staged and record.data_sha256 != staged.data.sha256)
    if record is None:
        if staged:
            row.validation_status, row.validation_class = "not validated", "warn"
    elif stale:
        row.validation_status, row.validation_class = "stale (validates another file)", "bad"
    elif record.success:
        row.validation_status, row.validation_class = "passed", "ok"
    else:
        row.validation_status, row.validation_class = "failed", "bad"
    if record and record.data_docs:
        row.docs_href = posixpath.relpath(record.data_docs, f"reports/{layout.week.isoformat()}")

    # promotion
    if delivered:
        at = delivered.promoted_at
        at = (at.astimezone(UTC) if at.tzinfo else at).strftime("%Y-%m-%d %H:%M UTC")
        row.promotion_status, row.promotion_class = f"promoted at {at}", "ok"
        row.state = "promoted"
        if not row.ledger:
            row.promotion_status += " (ledger entry missing: the next promote completes it)"
            row.promotion_class = "warn"
    elif staged is None:
        row.promotion_status = "nothing staged this week"
    elif record and record.success and not stale and staged.review == "manual":
        row.promotion_status, row.promotion_class = "awaiting review", "warn"
        row.state = "awaiting_review"
    else:
        row.promotion_status, row.promotion_class = "not promoted", "bad"
        row.state = "not_promoted"
    return row


# -- ingest ------------------------------------------------------------------------------


@dataclass
class StreamView:
    stream: str
    portal: str
    planned: int
    done: int
    skipped: int
    not_found: int
    retried_tasks: int
    retries: int
    failed: int
    stopped: int
    seconds: float
    failure_kinds: str


@dataclass
class IngestSummary:
    runs: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    streams: list[StreamView] = field(default_factory=list)
    portals: list[dict[str, Any]] = field(default_factory=list)
    slowest: list[dict[str, Any]] = field(default_factory=list)

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.runs[-1] if self.runs else None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _error_kind(error: Any) -> str:
    """The exception type of a failure ("PortalTimeout: …" → "PortalTimeout"), never its text."""
    head = str(error or "").split(":", 1)[0].strip()
    return head if head.isidentifier() else "other"


def _ingest_summary(lake: Lake, week: date) -> IngestSummary:
    summary = IngestSummary()
    for key in lake.list(f"reports/{week.isoformat()}/ingest/"):
        if not key.endswith(".json"):
            continue
        try:
            report = json.loads(lake.get(key))
        except (ObjectNotFoundError, ValueError):
            report = None
        if not isinstance(report, dict):
            summary.unreadable.append(key)
            continue
        report.setdefault("run_id", posixpath.basename(key).removesuffix(".json"))
        summary.runs.append(report)
    summary.runs.sort(key=lambda r: (str(r.get("started_at", "")), str(r.get("run_id", ""))))
    latest = summary.latest
    if latest is None:
        return summary

    streams = latest.get("streams") or {}
    order = [s for s in ALL_STREAMS if s in streams] + sorted(set(streams) - set(ALL_STREAMS))
    slowest = []
    for name in order:
        s = streams[name] if isinstance(streams[name], dict) else {}
        failures = [f for f in s.get("failures") or [] if isinstance(f, dict)]
        kinds = Counter(_error_kind(f.get("error")) for f in failures)
        summary.streams.append(
            StreamView(
                stream=name,
                portal=PORTALS.get(name, "?"),
                planned=_int(s.get("planned")),
                done=_int(s.get("done")),
                skipped=_int(s.get("skipped")),
                not_found=_int(s.get("not_found")),
                retried_tasks=_int(s.get("retried_tasks")),
                retries=_int(s.get("retries")),
                failed=_int(s.get("failed")),
                stopped=_int(s.get("stopped")),
                seconds=_num(s.get("seconds")),
                failure_kinds=", ".join(f"{k} ×{n}" for k, n in kinds.most_common()),
            )
        )
        for task in s.get("slowest") or []:
            if isinstance(task, dict):
                slowest.append(
                    {
                        "stream": name,
                        "task": str(task.get("task", "")),
                        "seconds": _num(task.get("seconds")),
                    }
                )
    slowest.sort(key=lambda t: t["seconds"], reverse=True)
    summary.slowest = slowest[:SLOWEST_SHOWN]

    as_of = str(latest.get("as_of") or week.isoformat())
    portals = latest.get("portals") or {}
    for portal in sorted(set(portals) | {PORTALS[s] for s in streams if s in PORTALS}):
        p = portals.get(portal) if isinstance(portals.get(portal), dict) else {}
        archived = len(lake.list(f"pages/{portal}/{as_of}/")) if _is_iso(as_of) else 0
        summary.portals.append(
            {
                "portal": portal,
                "requests": _int(p.get("requests")),
                "final_rps": _num(p.get("final_rps")),
                "slowdowns": _int(p.get("slowdowns")),
                "stopped": p.get("stopped"),
                "archived": archived,
                "streams": [v for v in summary.streams if v.portal == portal],
            }
        )
    return summary


def _is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- freshness ---------------------------------------------------------------------------


@dataclass
class Freshness:
    table: str
    partitions: int
    newest: date | None  # the newest partition on or before the week
    age: int | None  # days from `newest` to the week
    later: date | None  # the newest partition after the week, if any

    @property
    def css(self) -> str:
        if self.age is None:
            return "warn"
        return "ok" if self.age <= STALE_AFTER_DAYS else "bad"


def _partition_dates(keys: Sequence[str]) -> dict[str, set[date]]:
    """raw/<table>/scrape_date=<d>/… keys → table → scrape dates."""
    found: dict[str, set[date]] = {}
    for key in keys:
        parts = key.split("/")
        if len(parts) < 4 or not parts[2].startswith("scrape_date="):
            continue
        try:
            day = date.fromisoformat(parts[2].removeprefix("scrape_date="))
        except ValueError:
            continue
        found.setdefault(parts[1], set()).add(day)
    return found


def _freshness(lake: Lake, week: date) -> list[Freshness]:
    found = _partition_dates([k for k in lake.list("raw/") if k.endswith(".parquet")])
    rows = []
    for table in [*RAW_TABLES, *sorted(set(found) - set(RAW_TABLES))]:
        days = found.get(table, set())
        until = [d for d in days if d <= week]
        after = [d for d in days if d > week]
        newest = max(until) if until else None
        age = (week - newest).days if newest else None
        rows.append(Freshness(table, len(days), newest, age, max(after) if after else None))
    return rows


# -- chart data --------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _chart_weeks(week: date) -> list[date]:
    last = _monday(week)
    return [last - timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]


def _filings_per_week(lake: Lake, week: date, weeks: list[date]) -> tuple[list[int], str | None]:
    """Distinct (court, case_number) by the Monday of their filed date's ISO week."""
    first_filed: dict[tuple[str, str], str] = {}
    # a case is scraped on or after its filing: older partitions cannot hold these weeks
    keys = [
        key
        for key in lake.list("raw/court_filings/")
        if key.endswith(".parquet")
        and any(weeks[0] <= d <= week for d in _partition_dates([key]).get("court_filings", ()))
    ]
    for key in keys:
        table = pq.read_table(
            io.BytesIO(lake.get(key)), columns=["court", "case_number", "filed_date"]
        )
        for court, number, filed in zip(
            *(table.column(c).to_pylist() for c in table.column_names), strict=True
        ):
            if not number or not filed:
                continue
            case = (str(court or "").strip(), str(number).strip())
            filed = str(filed)[:10]
            if case not in first_filed or filed < first_filed[case]:
                first_filed[case] = filed
    counts: Counter[date] = Counter()
    unreadable = 0
    for filed in first_filed.values():
        try:
            counts[_monday(date.fromisoformat(filed))] += 1
        except ValueError:
            unreadable += 1
    note = (
        f"{unreadable} filings with an unreadable filed date are left out" if unreadable else None
    )
    return [counts.get(w, 0) for w in weeks], note


def _deliveries_per_week(lake: Lake, weeks: list[date]) -> dict[str, list[int | None]]:
    """Partner → rows of its promoted file per chart week (None: nothing promoted)."""
    index = {w: i for i, w in enumerate(weeks)}
    series: dict[str, list[int | None]] = {}
    for key in lake.list("partners/"):
        parts = key.split("/")
        if len(parts) != 4 or parts[3] != MANIFEST:
            continue
        try:
            day = date.fromisoformat(parts[2])
        except ValueError:
            continue
        if day not in index:
            continue
        manifest, _ = _load(lake, key, PartnerManifest)
        if manifest is not None:
            series.setdefault(parts[1], [None] * len(weeks))[index[day]] = manifest.file.rows
    return dict(sorted(series.items()))


# -- attention ---------------------------------------------------------------------------


def _attention(
    partners: list[PartnerRow],
    ingest: IngestSummary,
    freshness: list[Freshness],
    steps: Sequence[StepRecord],
    run: RunSummary | None,
    outcome: str | None,
) -> list[str]:
    items = [f"step {s.name}: {s.status}" for s in steps if s.status == "failed"]
    if run is not None and run.exit_code != _OK:
        items.append(f"weekly run (exit {run.exit_code}): {outcome}")
    items += [
        f"{name}: held this week ({why})" for name, why in sorted((run.held if run else {}).items())
    ]
    for p in partners:
        if p.validation_class == "bad":
            items.append(f"{p.partner}: validation {p.validation_status}")
        if p.state == "awaiting_review":
            items.append(f"{p.partner}: awaiting review before promotion")
        elif p.promotion_class == "warn" or (
            p.promotion_class == "bad" and p.validation_class != "bad"
        ):
            items.append(f"{p.partner}: {p.promotion_status}")
        items += [f"{p.partner}: {note}" for note in p.notes if "unreadable" in note]
    latest = ingest.latest
    if latest is None:
        items.append("no ingest run report for this week")
    elif latest.get("degraded"):
        items.append(f"scrape degraded (failure rate {_num(latest.get('failure_rate')):.1%})")
        unhealthy = latest.get("unhealthy")
        if isinstance(unhealthy, dict):
            items += [
                f"scrape: {name} incomplete ({why})" for name, why in sorted(unhealthy.items())
            ]
    items += [f"unreadable ingest report {k}" for k in ingest.unreadable]
    stale = [f.table for f in freshness if f.css == "bad"]
    if stale:
        items.append(f"stale raw tables (>{STALE_AFTER_DAYS} days): {', '.join(stale)}")
    if not partners:
        items.append("no partner batch in the lake for this week")
    return items


# -- steps -------------------------------------------------------------------------------

_OK_WORDS = {"ok", "done", "success", "succeeded", "passed", "promoted", "skipped", "complete"}
_BAD_WORDS = {"failed", "failure", "error", "errored", "refused", "crashed", "aborted"}


def _status_class(status: str) -> str:
    words = set(status.lower().replace("_", " ").replace("-", " ").split())
    if words & _BAD_WORDS:
        return "bad"
    if words & _OK_WORDS:
        return "ok"
    return "warn" if status else "muted"


def _step_view(step: StepRecord) -> dict[str, Any]:
    return {
        "name": step.name,
        "status": step.status,
        "css": _status_class(step.status),
        "seconds": step.seconds,
        "message": step.message,
    }


# -- SVG charts --------------------------------------------------------------------------

_CHART_W, _CHART_H = 760, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 20, 40, 56
_PALETTE = ("#1f6fb2", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8d6a9f")


def _ticks(top: float) -> list[float]:
    """0 and up to ~5 round ticks covering `top` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)
    count = math.ceil(top / step)
    return [i * step for i in range(count + 1)]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _frame(title: str, ticks: list[float], labels: Sequence[str], x_label: str, y_label: str):
    """The chart's opening, title, axes, grid and x labels; returns (parts, x, y)."""
    plot_w = _CHART_W - _LEFT - _RIGHT
    plot_h = _CHART_H - _TOP - _BOTTOM
    top = ticks[-1] or 1
    slot = plot_w / max(1, len(labels))

    def x(i: int) -> float:
        return _LEFT + slot * (i + 0.5)

    def y(v: float) -> float:
        return _TOP + plot_h - plot_h * v / top

    parts = [
        f'<svg class="chart" role="img" '
        f'viewBox="0 0 {_CHART_W} {_CHART_H}" width="{_CHART_W}" height="{_CHART_H}">',
        f"<title>{escape(title)}</title>",
        f'<text class="ct" x="{_CHART_W / 2}" y="20" text-anchor="middle">{escape(title)}</text>',
    ]
    for t in ticks:
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_CHART_W - _RIGHT}" y1="{y(t):.1f}" '
            f'y2="{y(t):.1f}"/><text class="tick" x="{_LEFT - 6}" y="{y(t) + 4:.1f}" '
            f'text-anchor="end">{_fmt(t)}</text>'
        )
    every = max(1, math.ceil(len(labels) / 16))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{_TOP + plot_h + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts += [
        f'<line class="axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" y2="{_TOP + plot_h}"/>',
        f'<line class="axis" x1="{_LEFT}" x2="{_CHART_W - _RIGHT}" y1="{_TOP + plot_h}" '
        f'y2="{_TOP + plot_h}"/>',
        f'<text class="al" x="{_LEFT + plot_w / 2}" y="{_CHART_H - 10}" '
        f'text-anchor="middle">{escape(x_label)}</text>',
        f'<text class="al" x="14" y="{_TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_TOP + plot_h / 2})">{escape(y_label)}</text>',
    ]
    return parts, x, y, slot


def bar_chart_svg(
    title: str, labels: Sequence[str], values: Sequence[float], *, x_label: str, y_label: str
) -> Markup:
    """A bar chart as an inline SVG element (every text escaped)."""
    ticks = _ticks(max(values, default=0))
    parts, x, y, slot = _frame(title, ticks, labels, x_label, y_label)
    width = slot * 0.7
    base = y(0)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = y(value)
        parts.append(
            f'<rect class="bar" x="{x(i) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{base - top:.1f}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        if value:
            parts.append(
                f'<text class="val" x="{x(i):.1f}" y="{top - 4:.1f}" '
                f'text-anchor="middle">{_fmt(value)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart_svg(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    x_label: str,
    y_label: str,
) -> Markup:
    """A line chart, one line per series; None values leave a gap (and no marker)."""
    top = max((v for values in series.values() for v in values if v is not None), default=0)
    ticks = _ticks(top)
    parts, x, y, _ = _frame(title, ticks, labels, x_label, y_label)
    for n, (name, values) in enumerate(series.items()):
        color = _PALETTE[n % len(_PALETTE)]
        run: list[str] = []
        runs = []
        for i, value in enumerate(values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{x(i):.1f},{y(value):.1f}")
        if run:
            runs.append(run)
        parts += [
            f'<polyline class="line" stroke="{color}" points="{" ".join(r)}"/>'
            for r in runs
            if len(r) > 1
        ]
        for i, value in enumerate(values):
            if value is not None:
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{color}">'
                    f"<title>{escape(name)} {escape(labels[i])}: {_fmt(value)}</title></circle>"
                )
        ly = _TOP + 4 + 16 * n
        parts.append(
            f'<rect x="{_CHART_W - _RIGHT - 150}" y="{ly}" width="12" height="12" '
            f'fill="{color}"/><text class="tick" x="{_CHART_W - _RIGHT - 132}" '
            f'y="{ly + 10}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# -- the page ----------------------------------------------------------------------------

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>courtlake weekly report — week {{ week }}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430;
       margin: 0 auto; padding: 16px 24px 48px; max-width: 1200px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d8dde5; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: #5a6472; font-size: 12px; margin: 0 0 12px; }
table { border-collapse: collapse; margin: 4px 0 8px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d8dde5; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f2f4f7; font-weight: 600; } td.n { text-align: right; }
.ok { color: #17692b; } .bad { color: #b3261e; font-weight: 600; } .warn { color: #8a5a00; }
.muted, .note { color: #5a6472; } .note { font-size: 12px; margin: 2px 0; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.pill.ok { background: #e3f4e6; } .pill.bad { background: #fbe4e2; }
.pill.warn { background: #fdf1d8; } .pill.muted { background: #eef0f3; }
.attention { border-left: 4px solid #b3261e; background: #fdf3f2; padding: 8px 14px; }
.allgood { border-left: 4px solid #17692b; background: #f1f9f2; padding: 8px 14px; }
.attention ul { margin: 4px 0; padding-left: 18px; }
.missing { color: #5a6472; font-style: italic; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
ul.problems { margin: 2px 0; padding-left: 16px; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0 16px; }
svg .ct { font-size: 14px; font-weight: 600; fill: #1d2430; }
svg .tick { font-size: 11px; fill: #5a6472; } svg .al { font-size: 12px; fill: #1d2430; }
svg .val { font-size: 10px; fill: #1d2430; }
svg .grid { stroke: #e6e9ee; } svg .axis { stroke: #5a6472; }
svg .bar { fill: #1f6fb2; } svg .line { fill: none; stroke-width: 2; }
</style>
</head>
<body>
<h1>courtlake weekly report — week {{ week }}</h1>
<p class="meta">Generated {{ generated_at }} from <code>{{ lake_uri }}</code>.
Figures are counts only; no personal data is shown.</p>

{% if attention %}
<div class="attention" id="attention"><strong>Needs attention</strong>
<ul>{% for item in attention %}<li>{{ item }}</li>{% endfor %}</ul></div>
{% else %}
<div class="allgood" id="attention"><strong>Nothing needs attention.</strong></div>
{% endif %}

{% if steps or outcome %}
<h2 id="steps">Weekly run</h2>
{% if outcome %}
<p>Outcome: <span class="pill {{ outcome_class }}" id="outcome">{{ outcome }}</span></p>
{% endif %}
{% if held %}
<p>Held this week (a stream they read was incomplete; their rows stay eligible):</p>
<ul id="held">{% for name, why in held %}
<li><code>{{ name }}</code>: {{ why }}</li>{% endfor %}</ul>
{% endif %}
{% if steps %}
<table id="steps-table">
<thead><tr><th>step</th><th>status</th><th>seconds</th><th>message</th></tr></thead>
<tbody>
{% for s in steps %}<tr><td>{{ s.name }}</td>
<td><span class="pill {{ s.css }}">{{ s.status }}</span></td>
<td class="n">{{ s.seconds|f1 }}</td><td>{{ s.message }}</td></tr>
{% endfor %}</tbody>
<tfoot><tr><th colspan="2">total</th><td class="n">{{ steps_seconds|f1 }}</td><td></td></tr>
</tfoot>
</table>
{% endif %}
{% endif %}

<h2 id="partners">Partner deliveries</h2>
{% if partners %}
<table id="partners-table">
<thead><tr><th>partner</th><th>eligible</th><th>delivered</th><th>excluded: already sent</th>
<th>re-sent on change</th><th>withdrawn</th><th>validation</th><th>promotion</th>
<th>file rows</th><th>sha256</th></tr></thead>
<tbody>
{% for p in partners %}<tr data-partner="{{ p.partner }}">
<td class="partner">{{ p.partner }}
{%- if p.display_name %}<br><span class="note">{{ p.display_name }}</span>{% endif %}</td>
{% if p.staged %}{% set c = p.staged.counts %}
<td class="n eligible">{{ c.eligible|n }}</td>
<td class="n delivered">{{ c.delivered|n }}</td>
<td class="n skip">{{ c.skip|n }}</td>
<td class="n resend">{{ c.resend|n }}</td>
<td class="n withdraw">{{ c.withdraw|n }}</td>
{% else %}
<td class="n eligible muted">—</td><td class="n delivered muted">—</td>
<td class="n skip muted">—</td><td class="n resend muted">—</td>
<td class="n withdraw muted">—</td>
{% endif %}
<td class="validation">
<span class="status {{ p.validation_class }}">{{ p.validation_status }}</span>
{% if p.validation and p.validation.problems %}{% set problems = p.validation.problems %}
<ul class="problems">{% for problem in problems[:8] %}<li>{{ problem }}</li>{% endfor %}
{% if problems|length > 8 %}<li>… {{ problems|length - 8 }} more</li>{% endif %}</ul>
{% endif %}
{% if p.docs_href %}<br><a class="docs" href="{{ p.docs_href }}">Data Docs</a>{% endif %}</td>
<td class="promotion">
<span class="status {{ p.promotion_class }}">{{ p.promotion_status }}</span></td>
<td class="n rows">{{ p.file_rows|n if p.file_rows is not none else "—" }}</td>
<td class="sha"><code>{{ p.file_sha or "—" }}</code></td>
</tr>
{% if p.notes %}<tr class="notes"><td></td><td colspan="9">
{% for note in p.notes %}<p class="note">{{ note }}</p>{% endfor %}</td></tr>{% endif %}
{% endfor %}</tbody>
</table>
<p class="note">Eligible = delivered + excluded as already sent; delivered = new + re-sent on
change. Counts are of the staged batch; a dash means nothing was staged this week.</p>
{% else %}
<p class="missing" id="no-partners">No partner batch for this week: nothing under
<code>staging/</code> or <code>partners/</code>, and no validation under
<code>reports/{{ week }}/validation/</code>.</p>
{% endif %}

<h2 id="scrape">Scrape health</h2>
{% set latest = ingest.latest %}
{% if latest %}
<p>Latest of {{ ingest.runs|length }} ingest run{{ "s" if ingest.runs|length != 1 }} this
week: <code>{{ latest.run_id }}</code> (mode {{ latest.mode }}, shard {{ latest.shard }},
{{ latest.workers }} workers), {{ latest.started_at }} →
{{ latest.finished_at or "unfinished" }}, {{ (latest.seconds or 0)|f1 }} s.
Failure rate {{ (latest.failure_rate or 0)|pct }}:
{% if latest.degraded %}<span class="pill bad" id="degraded">degraded</span>
{%- else %}<span class="pill ok" id="degraded">not degraded</span>{% endif %}</p>
{% if latest.messages %}<ul class="problems" id="ingest-messages">
{% for m in latest.messages %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
{% for portal in ingest.portals %}
<h3>{{ portal.portal }} portal</h3>
<p>{{ portal.requests|n }} requests, {{ portal.archived|n }} distinct pages archived,
final rate {{ portal.final_rps }} req/s, {{ portal.slowdowns }} slowdowns
{%- if portal.stopped %}; <span class="bad">stopped: {{ portal.stopped }}</span>{% endif %}.</p>
{% if portal.streams %}
<table class="streams" data-portal="{{ portal.portal }}">
<thead><tr><th>stream</th><th>planned</th><th>done</th><th>skipped (already landed)</th>
<th>not found</th><th>retried tasks (retries)</th><th>failed</th><th>stopped</th>
<th>seconds</th><th>failures by kind</th></tr></thead>
<tbody>{% for s in portal.streams %}<tr data-stream="{{ s.stream }}"><td>{{ s.stream }}</td>
<td class="n">{{ s.planned|n }}</td><td class="n done">{{ s.done|n }}</td>
<td class="n">{{ s.skipped|n }}</td><td class="n">{{ s.not_found|n }}</td>
<td class="n retried">{{ s.retried_tasks|n }} ({{ s.retries|n }})</td>
<td class="n failed {{ 'bad' if s.failed }}">{{ s.failed|n }}</td>
<td class="n {{ 'bad' if s.stopped }}">{{ s.stopped|n }}</td>
<td class="n">{{ s.seconds|f1 }}</td><td>{{ s.failure_kinds }}</td></tr>
{% endfor %}</tbody></table>
{% endif %}
{% endfor %}
{% if ingest.slowest %}
<h3>Slowest tasks</h3>
<table id="slowest"><thead><tr><th>stream</th><th>task</th><th>seconds</th></tr></thead>
<tbody>{% for t in ingest.slowest %}<tr><td>{{ t.stream }}</td><td><code>{{ t.task }}</code></td>
<td class="n">{{ t.seconds|f1 }}</td></tr>{% endfor %}</tbody></table>
{% endif %}
{% if ingest.runs|length > 1 %}
<h3>All runs this week</h3>
<table id="runs"><thead><tr><th>run</th><th>shard</th><th>started</th><th>seconds</th>
<th>failure rate</th><th>degraded</th></tr></thead>
<tbody>{% for r in ingest.runs %}<tr><td><code>{{ r.run_id }}</code></td>
<td>{{ r.shard }}</td><td>{{ r.started_at }}</td><td class="n">{{ (r.seconds or 0)|f1 }}</td>
<td class="n">{{ (r.failure_rate or 0)|pct }}</td><td>{{ "yes" if r.degraded else "no" }}</td>
</tr>{% endfor %}</tbody></table>
{% endif %}
{% else %}
<p class="missing" id="no-ingest">No ingest run report for this week (nothing under
<code>reports/{{ week }}/ingest/</code>).</p>
{% endif %}
{% for key in ingest.unreadable %}
<p class="note bad">Unreadable ingest report: <code>{{ key }}</code></p>{% endfor %}

<h2 id="freshness">Source freshness</h2>
{% if freshness|selectattr("partitions")|list %}
<table id="freshness-table">
<thead><tr><th>raw table</th><th>newest scrape date</th><th>age (days before the week)</th>
<th>partitions</th></tr></thead>
<tbody>{% for f in freshness %}<tr data-table="{{ f.table }}"><td>{{ f.table }}</td>
{% if f.newest %}<td>{{ f.newest }}</td><td class="n age {{ f.css }}">{{ f.age }}</td>
{% else %}<td class="warn" colspan="2">none on or before the week</td>{% endif %}
<td class="n">{{ f.partitions }}
{%- if f.later %} <span class="note">(later: {{ f.later }})</span>{% endif %}</td></tr>
{% endfor %}</tbody></table>
<p class="note">Older than {{ stale_after }} days is shown as stale.</p>
{% else %}
<p class="missing" id="no-raw">No raw tables in the lake (nothing under <code>raw/</code>).</p>
{% endif %}

<h2 id="charts">Trends (last {{ chart_weeks }} weeks)</h2>
{% if filings_chart %}{{ filings_chart }}{% else %}
<p class="missing" id="no-filings">No court filings in the last {{ chart_weeks }} weeks.</p>
{% endif %}
{% if filings_chart %}<p class="note">The last week is the report's own week, which has only
begun.{% if filings_note %} {{ filings_note }}.{% endif %}</p>{% endif %}
{% if deliveries_chart %}{{ deliveries_chart }}{% else %}
<p class="missing" id="no-deliveries">Nothing promoted to any partner in the last
{{ chart_weeks }} weeks.</p>
{% endif %}
</body>
</html>
"""


@functools.cache
def _template() -> Template:
    env = Environment(autoescape=True)
    env.filters["n"] = lambda value: f"{value:,}"
    env.filters["f1"] = lambda value: f"{_num(value):,.1f}"
    env.filters["pct"] = lambda value: f"{100 * _num(value):.1f}%"
    return env.from_string(_TEMPLATE)
