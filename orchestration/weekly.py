"""`courtlake weekly`: the Monday run, one step after another, safe to re-run.

    ingest → compact → dbt build → export → validate → promote (auto partners) → report

Every step is idempotent and, when it finishes, writes its completion record to
`reports/<week>/weekly/<step>.json`. A re-run skips the leading steps already complete
and runs everything from the first that is not, so it ends in the state an uninterrupted
run would have reached (the steps below a failure re-run as a whole; none of them can
send anything twice: see orchestration.deliveries). A lock per week (orchestration.lock)
refuses a second run of the same week while one is alive.

When ingest is degraded (a stream blocked, or too many tasks failed), the partners whose
delivery models read an incomplete stream (orchestration.lineage) are held and the others
delivered; such a run records no step as complete, so the same command re-runs it all
(landed tasks are skipped). When every partner would be held, nothing is built.

The report page is written at the end of every run, whatever fails (the conclusion
included, and an interrupted run), with the step that failed; its outcome line comes from
the exit code and the lake's state (orchestration.report.outcome_line).

Exit codes: 0 success · 1 validation failed (or promotion refused) for some partner,
nothing of theirs promoted · 2 bad command line · 3 ingest degraded (partners reading an
incomplete stream held) · 4 infrastructure error (dbt, warehouse, lake, portal set-up).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from typing import Any

from courtlake.crashpoints import crash_point
from courtlake.errors import ObjectNotFoundError
from courtlake.lake import Lake
from ingest.runner import IngestConfig, RunReport, holds
from orchestration.dbt import DbtProject
from orchestration.deliver import Deliveries
from orchestration.deliveries.promote import PromoteStatus
from orchestration.lineage import streams_read_by
from orchestration.lock import DEFAULT_TTL, Lease, WeekLock
from orchestration.partners import Partner
from orchestration.report import RunSummary, StepRecord, outcome_for, write_report

log = logging.getLogger(__name__)

STEPS = ("ingest", "compact", "dbt_build", "export", "validate", "promote")


class ExitCode(IntEnum):
    OK = 0
    PARTNER_FAILED = 1
    USAGE = 2
    INGEST_DEGRADED = 3
    INFRASTRUCTURE = 4


class StepFailed(Exception):
    """A step ended the run with `code`; `message` says what to do."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class WeeklyConfig:
    week: date
    lake: Lake
    dbt: DbtProject
    ingest: IngestConfig | None  # None: no portal URLs, ingest and compact are skipped
    restart: bool = False  # run every step again, ignoring completion records
    lock_ttl: timedelta = DEFAULT_TTL


@dataclass
class WeeklyResult:
    week: date
    exit_code: ExitCode = ExitCode.OK
    steps: list[StepRecord] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # one line per partner
    outcome: str = ""
    report: str = ""
    failed_step: str | None = None
    failure: str | None = None  # one line
    held: dict[str, str] = field(default_factory=dict)  # partner → why it was held
    degraded: bool = False  # ingest left some stream incomplete

    def lines(self) -> list[str]:
        """What the command prints last: per partner, then what happened and what to do."""
        return [*self.partners, self.outcome]

    def summary(self) -> RunSummary:
        return RunSummary(
            int(self.exit_code), self.failed_step, self.failure, dict(self.held), self.degraded
        )


def step_key(week: date, step: str) -> str:
    return f"reports/{week}/weekly/{step}.json"


def run_weekly(config: WeeklyConfig) -> WeeklyResult:
    """Run (or resume) the week; never raises for a step failure (see exit_code)."""
    result = WeeklyResult(config.week)
    lock = WeekLock(config.lake, config.week, config.lock_ttl)
    with lock.held() as lease:  # LockHeldError propagates: the caller refuses the run
        _run_steps(config, result, lease)
    return result


def _run_steps(config: WeeklyConfig, result: WeeklyResult, lease: Lease) -> None:
    """The steps, then the conclusion; whatever fails (or interrupts the run), the report
    is written, saying which step failed and what to do."""
    run = _Run(config, result)
    if lease.took_over:
        result.steps.append(
            StepRecord("lock", "took over", 0.0, f"stale lock of {lease.took_over}")
        )
    try:
        run.steps()
        run.current = "report"
        crash_point("weekly.before_report")
        _conclude(config, run.deliveries(), result)
    except StepFailed as failure:
        run.failed(failure.code, str(failure))
    except Exception as exc:  # an error outside any step's own handling: still reported
        run.failed(ExitCode.INFRASTRUCTURE, f"{type(exc).__name__}: {exc}")
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): report, then go on stopping
        run.failed(ExitCode.INFRASTRUCTURE, "the run was interrupted")
        result.report = _write_report(config, result)
        raise
    result.report = _write_report(config, result)


class _Run:
    """One run's progress through the steps: which step it is in, what it holds back."""

    def __init__(self, config: WeeklyConfig, result: WeeklyResult) -> None:
        self.config, self.result = config, result
        self.current = "start"
        self._deliveries: Deliveries | None = None
        self.degraded = False  # ingest was incomplete: nothing of this run is "complete"

    def deliveries(self) -> Deliveries:
        if self._deliveries is None:
            self._deliveries = Deliveries.open(self.config.lake, self.config.dbt)
        return self._deliveries

    def partners(self) -> list[Partner]:
        """The partners this run delivers to: all but those held back."""
        return [p for p in self.deliveries().partners() if p.name not in self.result.held]

    def steps(self) -> None:
        config, result = self.config, self.result
        actions: dict[str, Callable[[], str]] = {
            "ingest": self._ingest,
            "compact": lambda: _compact(config),
            "dbt_build": lambda: _build(config),
            "export": lambda: _export(config, self.deliveries(), self.partners()),
            "validate": lambda: _validate(config, self.deliveries(), self.partners()),
            "promote": lambda: _promote(config, self.deliveries(), self.partners()),
        }
        resuming = not config.restart
        for name in STEPS:
            self.current = name
            done = _completion(config, name) if resuming else None
            if done is not None:
                result.steps.append(
                    StepRecord(name, "done earlier", done["seconds"], done["message"])
                )
                continue
            resuming = False
            crash_point(f"weekly.before_{name}")
            started = time.perf_counter()
            try:
                message = actions[name]()
            except StepFailed:
                raise
            except Exception as exc:
                raise StepFailed(ExitCode.INFRASTRUCTURE, f"{exc}") from exc
            crash_point(f"weekly.after_{name}")
            seconds = round(time.perf_counter() - started, 1)
            if self.degraded:  # re-run it all next time: ingest retries what failed
                result.steps.append(StepRecord(name, "done (degraded run)", seconds, message))
            else:
                _complete(config, name, seconds, message)
                result.steps.append(StepRecord(name, "done", seconds, message))
            log.info("%s: %s (%.1f s)", name, message, seconds)

    def _ingest(self) -> str:
        config = self.config
        if config.ingest is None:
            return "skipped: no portal URLs given (raw tables already in the lake)"
        from ingest.runner import run_ingest

        report = run_ingest(config.ingest, config.lake)
        done = sum(s.done for s in report.streams.values())
        failed = sum(s.failed for s in report.streams.values())
        figures = f"{done} tasks done, {failed} failed (run {report.run_id})"
        if not report.degraded:
            return figures
        incomplete = ", ".join(f"{n} ({why})" for n, why in sorted(report.unhealthy.items()))
        summary = (
            f"ingest degraded: {report.failure_rate:.1%} of tasks did not finish "
            f"(threshold {config.ingest.max_failure_rate:.1%})"
            + (f"; incomplete: {incomplete}" if incomplete else "")
        )
        partners = self.deliveries().partners()
        held = held_partners(report, partners, config.dbt.manifest())
        if len(held) == len(partners):
            raise StepFailed(
                ExitCode.INGEST_DEGRADED,
                f"{summary}; every partner reads an incomplete stream: nothing was built "
                "or delivered",
            )
        self.degraded = self.result.degraded = True
        self.result.held = held
        kept = ", ".join(held) or "none"
        return f"{figures}; {summary}; held: {kept}"

    def failed(self, code: ExitCode, message: str) -> None:
        result = self.result
        result.failed_step = self.current
        result.failure = (message.splitlines() or ["unknown error"])[0]
        result.steps.append(StepRecord(self.current, "failed", 0.0, result.failure))
        result.exit_code = code


def held_partners(
    report: RunReport, partners: Sequence[Partner], manifest: dict[str, Any]
) -> dict[str, str]:
    """Partners that read a stream the degraded ingest left incomplete, and why."""
    held = {}
    for partner in partners:
        incomplete = holds(report, streams_read_by(manifest, partner.model))
        if incomplete:
            held[partner.name] = "; ".join(f"{s} {why}" for s, why in incomplete.items())
    return held


def _completion(config: WeeklyConfig, step: str) -> dict | None:
    try:
        return json.loads(config.lake.get(step_key(config.week, step)))
    except ObjectNotFoundError:
        return None


def _complete(config: WeeklyConfig, step: str, seconds: float, message: str) -> None:
    body = {
        "step": step,
        "seconds": seconds,
        "message": message,
        "finished_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    config.lake.put(step_key(config.week, step), json.dumps(body, indent=2).encode())


# -- the steps ---------------------------------------------------------------------------


def _compact(config: WeeklyConfig) -> str:
    if config.ingest is None:
        return "skipped: no ingest"
    from ingest.compact import compact

    result = compact(config.lake, config.week)
    return f"{sum(result.rows.values())} rows in {len(result.rows)} tables"


# unit tests check the SQL, not the week's data: CI runs them on every change
WEEKLY_BUILD = ("build", "--exclude-resource-type", "unit_test")


def _build(config: WeeklyConfig) -> str:
    if config.dbt.target == "prod":
        config.dbt.run(["run-operation", "create_raw_tables"])
    config.dbt.run(list(WEEKLY_BUILD), {"delivery_week": config.week.isoformat()})
    results = json.loads((config.dbt.target_path / "run_results.json").read_text())
    statuses = [r["status"] for r in results["results"]]
    warned = statuses.count("warn")
    return f"{len(statuses)} nodes built and tested" + (f", {warned} warnings" if warned else "")


def _export(config: WeeklyConfig, deliveries: Deliveries, partners: list[Partner]) -> str:
    results = deliveries.export(config.week, partners)
    return "; ".join(r.summary() for r in results) or "no partners to deliver to"


def _validate(config: WeeklyConfig, deliveries: Deliveries, partners: list[Partner]) -> str:
    records = deliveries.validate(config.week, partners)
    failed = [r.partner for r in records if not r.success]
    passed = len(records) - len(failed)
    return f"{passed} passed" + (f", FAILED: {', '.join(failed)}" if failed else "")


def _promote(config: WeeklyConfig, deliveries: Deliveries, partners: list[Partner]) -> str:
    results = deliveries.promote(config.week, partners)
    return "; ".join(f"{r.partner}: {r.status.value}" for r in results)


# -- the end of a run --------------------------------------------------------------------


def _conclude(config: WeeklyConfig, deliveries: Deliveries, result: WeeklyResult) -> None:
    """Per-partner lines and the exit code, from the lake's state (so a resumed run that
    had nothing left to do reports the same as the run that did the work)."""
    week, refused = config.week, False
    for partner in deliveries.partners():
        if partner.name in result.held:
            result.partners.append(
                f"{partner.name}: HELD — {result.held[partner.name]}; its rows stay eligible"
            )
            continue
        # promote is idempotent: after the promote step this only reports the state
        [promoted] = deliveries.promote(week, [partner])
        counts = deliveries.staged_counts(week, partner)
        figures = (
            f"{counts.delivered} to send ({counts.send} new, {counts.resend} changed), "
            f"{counts.skip} already sent, {counts.withdraw} withdrawn"
            if counts
            else "nothing staged"
        )
        state = (
            "promoted"
            if promoted.status is PromoteStatus.ALREADY_PROMOTED
            else promoted.status.value
        )
        result.partners.append(f"{partner.name}: {figures} — {state}")
        refused = refused or promoted.status is PromoteStatus.REFUSED
    if result.degraded:
        result.exit_code = ExitCode.INGEST_DEGRADED
    elif refused:
        result.exit_code = ExitCode.PARTNER_FAILED


def _write_report(config: WeeklyConfig, result: WeeklyResult) -> str:
    """The run's record and the report page; the outcome line comes from the run's
    summary and the lake's state (report.outcome_line), the same on the page and here."""
    summary = result.summary()
    run = {"steps": [asdict(step) for step in result.steps], **asdict(summary)}
    try:
        result.outcome = outcome_for(config.lake, config.week, summary)[0]
        config.lake.put(run_key(config.week), json.dumps(run, indent=2).encode())
        return write_report(config.lake, config.week, result.steps, summary)
    except Exception as exc:  # the report must never hide the run's own outcome
        log.error("could not write the weekly report: %s", exc)
        if not result.outcome:
            result.outcome = (
                f"week {config.week}: exit {int(result.exit_code)}"
                + (
                    f", FAILED at {result.failed_step} — {result.failure}"
                    if result.failed_step
                    else ""
                )
                + f" (the report could not be written: {exc})"
            )
        return ""


def run_key(week: date) -> str:
    """The last weekly run's steps and outcome, kept for later report refreshes."""
    return f"reports/{week}/weekly/run.json"


def refresh_report(lake: Lake, week: date) -> str:
    """Rewrite the week's report from the lake (e.g. after a reviewer's promotion),
    keeping the steps and summary of the last weekly run."""
    try:
        run = json.loads(lake.get(run_key(week)))
    except ObjectNotFoundError:
        return write_report(lake, week)
    steps = [StepRecord(**step) for step in run.get("steps", [])]
    summary = RunSummary(
        exit_code=int(run.get("exit_code", 0)),
        failed_step=run.get("failed_step"),
        failure=run.get("failure"),
        held=dict(run.get("held") or {}),
        degraded=bool(run.get("degraded")),
    )
    return write_report(lake, week, steps, summary)
