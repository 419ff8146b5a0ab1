"""`courtlake weekly`: the Monday run, one step after another, safe to re-run.

    ingest → compact → dbt build → export → validate → promote (auto partners) → report

Every step is idempotent and, when it finishes, writes its completion record to
`reports/<week>/weekly/<step>.json`. A re-run skips the leading steps already complete
and runs everything from the first that is not, so it ends in the state an uninterrupted
run would have reached (the steps below a failure re-run as a whole; none of them can
send anything twice: see orchestration.deliveries). A lock per week (orchestration.lock)
refuses a second run of the same week while one is alive. The report page is written at
the end of every run, whatever happened.

Exit codes: 0 success · 1 validation failed (or promotion refused) for some partner,
nothing of theirs promoted · 2 bad command line · 3 ingest degraded beyond its threshold ·
4 infrastructure error (dbt, warehouse, lake, portal set-up).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum

from courtlake.crashpoints import crash_point
from courtlake.errors import ObjectNotFoundError
from courtlake.lake import Lake
from ingest.runner import IngestConfig
from orchestration.dbt import DbtProject
from orchestration.deliver import Deliveries
from orchestration.deliveries.promote import PromoteStatus
from orchestration.lock import DEFAULT_TTL, Lease, WeekLock
from orchestration.report import StepRecord, write_report

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

    def lines(self) -> list[str]:
        """What the command prints last: per partner, then what happened and what to do."""
        return [*self.partners, self.outcome]


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
    deliveries = Deliveries.open(config.lake, config.dbt)
    steps: dict[str, Callable[[], str]] = {
        "ingest": lambda: _ingest(config),
        "compact": lambda: _compact(config),
        "dbt_build": lambda: _build(config),
        "export": lambda: _export(config, deliveries),
        "validate": lambda: _validate(config, deliveries),
        "promote": lambda: _promote(config, deliveries),
    }
    if lease.took_over:
        result.steps.append(
            StepRecord("lock", "took over", 0.0, f"stale lock of {lease.took_over}")
        )
    resuming = not config.restart
    try:
        for name in STEPS:
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
                message = steps[name]()
            except StepFailed:
                raise
            except Exception as exc:
                raise StepFailed(ExitCode.INFRASTRUCTURE, f"{name}: {exc}") from exc
            seconds = round(time.perf_counter() - started, 1)
            _complete(config, name, seconds, message)
            result.steps.append(StepRecord(name, "done", seconds, message))
            log.info("%s: %s (%.1f s)", name, message, seconds)
        _conclude(config, deliveries, result)
    except StepFailed as failure:
        failed = STEPS[len([s for s in result.steps if s.name in STEPS])]
        result.steps.append(StepRecord(failed, "failed", 0.0, str(failure).splitlines()[0]))
        result.exit_code = failure.code
        result.outcome = _failure_outcome(config.week, failure)
    result.report = _write_report(config, result)


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


def _ingest(config: WeeklyConfig) -> str:
    if config.ingest is None:
        return "skipped: no portal URLs given (raw tables already in the lake)"
    from ingest.runner import run_ingest

    report = run_ingest(config.ingest, config.lake)
    done = sum(s.done for s in report.streams.values())
    failed = sum(s.failed for s in report.streams.values())
    if report.degraded:
        raise StepFailed(
            ExitCode.INGEST_DEGRADED,
            f"ingest degraded: {report.failure_rate:.1%} of tasks did not finish "
            f"(threshold {config.ingest.max_failure_rate:.1%}); nothing was built or delivered",
        )
    return f"{done} tasks done, {failed} failed (run {report.run_id})"


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


def _export(config: WeeklyConfig, deliveries: Deliveries) -> str:
    results = deliveries.export(config.week, deliveries.partners())
    return "; ".join(r.summary() for r in results) or "no partners configured"


def _validate(config: WeeklyConfig, deliveries: Deliveries) -> str:
    records = deliveries.validate(config.week, deliveries.partners())
    failed = [r.partner for r in records if not r.success]
    passed = len(records) - len(failed)
    return f"{passed} passed" + (f", FAILED: {', '.join(failed)}" if failed else "")


def _promote(config: WeeklyConfig, deliveries: Deliveries) -> str:
    results = deliveries.promote(config.week, deliveries.partners())
    return "; ".join(f"{r.partner}: {r.status.value}" for r in results)


# -- the end of a run --------------------------------------------------------------------


def _conclude(config: WeeklyConfig, deliveries: Deliveries, result: WeeklyResult) -> None:
    """Per-partner lines and the exit code, from the lake's state (so a resumed run that
    had nothing left to do reports the same as the run that did the work)."""
    week, problems, waiting = config.week, [], []
    for partner in deliveries.partners():
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
        if promoted.status is PromoteStatus.REFUSED:
            problems.append(partner.name)
        elif promoted.status is PromoteStatus.AWAITING_REVIEW:
            waiting.append(partner.name)
    if problems:
        result.exit_code = ExitCode.PARTNER_FAILED
        result.outcome = (
            f"week {week}: NOT delivered to {', '.join(problems)} (validation failed or "
            f"promotion refused; nothing of theirs promoted, their rows stay eligible). "
            f"Read reports/{week}/index.html, fix the cause, then run "
            f"`courtlake weekly --week {week} --restart`."
        )
    else:
        result.outcome = f"week {week}: done." + (
            f" Awaiting review: {', '.join(waiting)} — read reports/{week}/index.html, then "
            f"`courtlake deliver promote --week {week} --partner <name>`."
            if waiting
            else ""
        )


def _failure_outcome(week: date, failure: StepFailed) -> str:
    first = str(failure).splitlines()[0]
    if failure.code is ExitCode.INGEST_DEGRADED:
        advice = "re-run the same command: finished tasks are skipped, failed ones retried"
    else:
        advice = (
            "fix the cause (details above and in the report), then re-run the same "
            "command: it resumes at the failed step"
        )
    return f"week {week}: FAILED — {first}. {advice}."


def _write_report(config: WeeklyConfig, result: WeeklyResult) -> str:
    run = {"steps": [asdict(step) for step in result.steps], "outcome": result.outcome}
    try:
        config.lake.put(run_key(config.week), json.dumps(run, indent=2).encode())
        return write_report(config.lake, config.week, result.steps, result.outcome)
    except Exception as exc:  # the report must never hide the run's own outcome
        log.error("could not write the weekly report: %s", exc)
        return ""


def run_key(week: date) -> str:
    """The last weekly run's steps and outcome, kept for later report refreshes."""
    return f"reports/{week}/weekly/run.json"


def refresh_report(lake: Lake, week: date) -> str:
    """Rewrite the week's report from the lake (e.g. after a reviewer's promotion),
    keeping the steps and outcome of the last weekly run."""
    try:
        run = json.loads(lake.get(run_key(week)))
    except ObjectNotFoundError:
        run = {"steps": [], "outcome": None}
    steps = [StepRecord(**step) for step in run["steps"]]
    return write_report(lake, week, steps, run["outcome"])
