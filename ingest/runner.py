"""The ingest run: streams in dependency order, tasks in parallel, failures contained.

- A task whose landing output exists is skipped; otherwise it runs with retries and its
  output is written create-only. Killing the run at any moment loses at most the tasks in
  flight; the next run skips everything already landed.
- Each worker thread has its own portal sessions (its own browser).
- A failed task never stops the others. A portal that shows a CAPTCHA, or refuses the
  login, is stopped cleanly and the rest of its tasks are reported as stopped.
- A portal that is down (5xx, timeouts) is waited out: a task backs off until the portal
  has been failing for longer than its patience (a time per portal, longer for discovery
  tasks, whose output fans out), and the portal's circuit lets one probe through after a
  cool-down instead of failing the tasks queued behind it.
- Nothing disappears from the accounting: a stream whose discovery upstream failed is
  "blocked", its unplanned tasks are estimated from the last run and count as failed, and
  a run with a blocked stream is degraded whatever its failure rate.
- `--shard I/N` partitions the fan-out tasks (bookings, people, cases) by a hash of their
  identity. Discovery tasks (roster, filings) run in whichever shard reaches them first;
  create-only writes keep exactly one output, which every shard then reads.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Literal, Protocol

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver
from tenacity import RetryCallState, Retrying, retry_if_exception, wait_random_exponential
from tqdm import tqdm

from courtlake.lake import Lake
from ingest.browser import BrowserConfig, open_browser
from ingest.counties import CountyProfile, load_county
from ingest.errors import CaptchaRequired, LoginFailed, PortalTimeout, ScrapeError, SessionExpired
from ingest.history import load_case_history
from ingest.jail_roster import JailRoster
from ingest.odyssey import OdysseyPortal, PortalCredentials
from ingest.pages import PageArchive
from ingest.politeness import (
    Budget,
    BudgetExceeded,
    CircuitBreaker,
    CircuitOpen,
    PortalCircuit,
    PortalDown,
    RateLimiter,
    RetryPolicy,
    is_retryable,
    is_unavailable,
)
from ingest.portal import Mode, PortalContext
from ingest.publicaccess import PublicAccessPortal
from ingest.streams import (
    BookingStream,
    CaseDetailStream,
    FilingsStream,
    PersonHistoryStream,
    RosterStream,
    StreamSettings,
)
from ingest.tasks import ALL_STREAMS, SIDE_FEEDS, UPSTREAM, Landing, TaskId, TaskOutput

log = logging.getLogger("courtlake.ingest")

DISCOVERY_STREAMS = frozenset({"roster", "filings"})
Status = Literal["done", "skipped", "failed", "stopped"]


@dataclass(frozen=True)
class Patience:
    """How long a task waits out its portal being down, in seconds of the portal failing
    (not a count of attempts). Discovery tasks (the roster, a filing window) wait
    `discovery_factor` times longer: everything downstream is planned from them."""

    court_s: float = 600.0
    jail_s: float = 600.0
    discovery_factor: float = 3.0

    def for_task(self, task: TaskId) -> float:
        base = self.court_s if task.portal == "court" else self.jail_s
        return base * (self.discovery_factor if task.stream in DISCOVERY_STREAMS else 1.0)


@dataclass(frozen=True)
class IngestConfig:
    as_of: date
    court_url: str
    jail_url: str
    mode: Mode = "session"
    workers: int = 2
    streams: tuple[str, ...] = ALL_STREAMS
    shard_index: int = 0  # 0-based
    shard_count: int = 1
    remote_url: str | None = None
    credentials: PortalCredentials | None = None
    county: CountyProfile = field(default_factory=load_county)
    retry: RetryPolicy = field(default_factory=RetryPolicy)  # per navigation step
    task_attempts: int = 2  # whole-task attempts for errors other than the portal being down
    patience: Patience = field(default_factory=Patience)
    task_max_wait_s: float = 30.0  # longest pause between two attempts of a task
    breaker_threshold: int = 10
    circuit_cooldown_s: float = 10.0
    budget_s: float = 4 * 3600.0
    max_failure_rate: float = 0.02
    start_rps: float = 10.0
    max_rps: float = 50.0
    stream_settings: StreamSettings | None = None
    progress: bool | None = None  # None: a bar on a terminal, periodic lines otherwise

    def settings(self) -> StreamSettings:
        return self.stream_settings or StreamSettings(as_of=self.as_of)


@dataclass
class TaskResult:
    task: TaskId
    status: Status
    attempts: int = 0
    seconds: float = 0.0
    outcome: str | None = None
    error: str | None = None
    page_sha256: str | None = None
    step_retries: int = 0


@dataclass
class StreamReport:
    stream: str
    planned: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    stopped: int = 0
    not_found: int = 0
    retried_tasks: int = 0
    retries: int = 0
    seconds: float = 0.0
    failures: list[dict[str, str | None]] = field(default_factory=list)
    slowest: list[dict[str, object]] = field(default_factory=list)
    # discovery upstreams that failed, so this stream could not be planned completely
    blocked_by: list[str] = field(default_factory=list)
    # tasks not planned because of them, estimated from the last run (None: no earlier run)
    unplanned_estimate: int | None = None
    estimated_from: str | None = None  # the run the estimate comes from


@dataclass
class RunReport:
    run_id: str
    as_of: str
    mode: str
    workers: int
    shard: str
    started_at: str
    finished_at: str = ""
    seconds: float = 0.0
    streams: dict[str, StreamReport] = field(default_factory=dict)
    portals: dict[str, dict[str, object]] = field(default_factory=dict)
    failure_rate: float = 0.0
    degraded: bool = False
    # stream → why its records are incomplete (blocked, or too many of its tasks failed)
    unhealthy: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True, default=str).encode()


class Stream(Protocol):
    name: str

    def tasks(self) -> list[TaskId]: ...

    def run(self, task: TaskId, portals: WorkerPortals) -> TaskOutput: ...


class WorkerPortals:
    """One worker's sessions: a court portal and a jail roster, opened on first use."""

    def __init__(self, factory: Callable[[str], OdysseyPortal | JailRoster]) -> None:
        self._factory = factory
        self._court: OdysseyPortal | None = None
        self._jail: JailRoster | None = None

    @property
    def court(self) -> OdysseyPortal:
        if self._court is None:
            self._court = self._factory("court")  # type: ignore[assignment]
        return self._court  # type: ignore[return-value]

    @property
    def jail(self) -> JailRoster:
        if self._jail is None:
            self._jail = self._factory("jail")  # type: ignore[assignment]
        return self._jail  # type: ignore[return-value]

    def reset(self, portal: str) -> None:
        session = self._court if portal == "court" else self._jail
        if session is not None:
            session.reset()

    def retries(self) -> int:
        return sum(s.retries for s in (self._court, self._jail) if s is not None)

    def requests(self) -> dict[str, int]:
        return {
            "court": self._court.requests if self._court else 0,
            "jail": self._jail.requests if self._jail else 0,
        }

    def close(self) -> None:
        for session in (self._court, self._jail):
            if session is not None:
                session.close()


class IngestRun:
    def __init__(self, config: IngestConfig, lake: Lake) -> None:
        self.config = config
        self.lake = lake
        self.landing = Landing(lake)
        # The account's password and user name never reach the archive ("Signed in as …").
        creds = config.credentials
        secrets = [creds.password, creds.user] if creds else []
        self.archive = PageArchive(lake, secrets=secrets)
        self.limiters = {
            portal: RateLimiter(start_rps=config.start_rps, max_rps=config.max_rps)
            for portal in ("court", "jail")
        }
        self.breaker = CircuitBreaker(config.breaker_threshold)
        self.circuit = PortalCircuit(cooldown_s=config.circuit_cooldown_s)
        self.budget = Budget(config.budget_s)
        self.stopped_portals: dict[str, str] = {}
        self._local = threading.local()
        self._workers: list[WorkerPortals] = []
        self._lock = threading.Lock()
        self.report = RunReport(
            run_id=time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6],
            as_of=config.as_of.isoformat(),
            mode=config.mode,
            workers=config.workers,
            shard=f"{config.shard_index + 1}/{config.shard_count}",
            started_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )

    # -- sessions ---------------------------------------------------------------------

    def _open_driver(self) -> AbstractContextManager[WebDriver]:
        return open_browser(BrowserConfig(remote_url=self.config.remote_url))

    def _make_session(self, portal: str) -> OdysseyPortal | JailRoster:
        cfg = self.config
        context = PortalContext(
            mode=cfg.mode,
            open_driver=self._open_driver,
            archive=self.archive,
            limiter=self.limiters[portal],
            as_of=cfg.as_of,
            retry=cfg.retry,
        )
        if portal == "court" and cfg.county.court.generation == "publicaccess":
            return PublicAccessPortal(cfg.court_url, context, profile=cfg.county.court)
        if portal == "court":
            return OdysseyPortal(
                cfg.court_url, context, credentials=cfg.credentials, profile=cfg.county.court
            )
        return JailRoster(cfg.jail_url, context, profile=cfg.county.jail)

    def _portals(self) -> WorkerPortals:
        portals = getattr(self._local, "portals", None)
        if portals is None:
            portals = WorkerPortals(self._make_session)
            self._local.portals = portals
            with self._lock:
                self._workers.append(portals)
        return portals

    # -- the run ----------------------------------------------------------------------

    def streams(self) -> list[Stream]:
        settings = self.config.settings()
        roster = RosterStream(settings, self.landing)
        filings = FilingsStream(settings, self.landing)
        bookings = BookingStream(settings, self.landing, roster)
        people = PersonHistoryStream(settings, self.landing, bookings)
        history = (
            load_case_history(self.lake, before=self.config.as_of)
            if "case_detail" in self.config.streams
            else []
        )
        by_name: dict[str, Stream] = {
            "roster": roster,
            "booking": bookings,
            "filings": filings,
            "person_history": people,
            "case_detail": CaseDetailStream(settings, self.landing, filings, people, history),
        }
        return [by_name[name] for name in ALL_STREAMS if name in self.config.streams]

    def in_shard(self, task: TaskId) -> bool:
        if task.stream in DISCOVERY_STREAMS or self.config.shard_count == 1:
            return True
        return int(task.digest[:12], 16) % self.config.shard_count == self.config.shard_index

    def run(self) -> RunReport:
        started = time.monotonic()
        try:
            for stream in self.streams():
                blocked_by = self._blockers(stream.name)
                report = self.run_stream(stream)
                if blocked_by:
                    report.blocked_by = blocked_by
                    self._estimate_unplanned(report)
        finally:
            for portals in self._workers:
                portals.close()
        self._finish(time.monotonic() - started)
        return self.report

    def _blockers(self, name: str) -> list[str]:
        """The upstreams of `name` (in this run) that could not plan all their output: a
        discovery task of theirs did not finish, or they were blocked themselves."""
        blockers = []
        for upstream in UPSTREAM.get(name, ()):
            report = self.report.streams.get(upstream)
            if report is None:
                continue
            unfinished = upstream in DISCOVERY_STREAMS and report.failed + report.stopped > 0
            if unfinished or report.blocked_by:
                blockers.append(upstream)
        return blockers

    def _estimate_unplanned(self, report: StreamReport) -> None:
        """How many tasks the blocked stream would have had: the last earlier run's plan."""
        found = _last_planned(self.lake, report.stream, self.report.run_id, self.config.as_of)
        if found is not None:
            planned, run_id = found
            report.unplanned_estimate = max(0, planned - report.planned)
            report.estimated_from = run_id

    def run_stream(self, stream: Stream) -> StreamReport:
        report = StreamReport(stream=stream.name)
        self.report.streams[stream.name] = report
        began = time.monotonic()
        tasks = [t for t in stream.tasks() if self.in_shard(t)]
        report.planned = len(tasks)
        todo = [t for t in tasks if not self.landing.done(t)]
        report.skipped = len(tasks) - len(todo)
        results: list[TaskResult] = []
        with (
            self._progress(stream.name, len(todo)) as tick,
            ThreadPoolExecutor(max_workers=max(1, self.config.workers)) as pool,
        ):
            for result in pool.map(lambda t: self.run_task(stream, t), todo):
                results.append(result)
                tick()
        self._tally(report, results)
        report.seconds = round(time.monotonic() - began, 3)
        return report

    def run_task(self, stream: Stream, task: TaskId) -> TaskResult:
        result = TaskResult(task=task, status="failed")
        began = time.monotonic()
        portals = self._portals()
        stop_reason = self.stopped_portals.get(task.portal)
        if stop_reason:
            result.status, result.error = "stopped", stop_reason
            return result

        retries_before = portals.retries()
        patience = self.config.patience.for_task(task)
        other_failures = [0]  # attempts that failed for another reason than an outage
        first_outage: list[float] = []  # when this task first found its portal down

        def attempt() -> TaskOutput:
            result.attempts += 1
            self.breaker.check(stream.name)
            self.budget.check()
            self.circuit.acquire(task.portal, patience)
            try:
                output = stream.run(task, portals)
            except ScrapeError as error:
                # any answer, even an unexpected one, shows the portal is up
                self.circuit.record(task.portal, ok=not is_unavailable(error))
                if not is_unavailable(error):
                    other_failures[0] += 1
                raise
            except WebDriverException:
                self.circuit.release(task.portal)
                other_failures[0] += 1
                raise
            except BaseException:
                self.circuit.release(task.portal)
                raise
            self.circuit.record(task.portal, ok=True)
            return output

        def give_up(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome else None
            if self.budget.remaining() <= 0:
                return True
            if error is not None and is_unavailable(error):
                # the portal down for longer than the patience, or, while other tasks of
                # the portal succeed, this task's own pages for that long
                first_outage[:] = first_outage or [time.monotonic()]
                own = time.monotonic() - first_outage[0]
                return max(own, self.circuit.failing_for(task.portal)) >= patience
            return other_failures[0] >= self.config.task_attempts

        def on_retry(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, SessionExpired | PortalTimeout | WebDriverException):
                portals.reset(task.portal)

        retrying = Retrying(
            stop=give_up,
            wait=wait_random_exponential(
                multiplier=self.config.retry.initial_s, max=self.config.task_max_wait_s
            ),
            retry=retry_if_exception(is_retryable),
            before_sleep=on_retry,
            reraise=True,
        )
        try:
            output = retrying(attempt)
            self.landing.write(output)
            result.status, result.outcome = "done", output.outcome
            self.breaker.record(stream.name, ok=True)
        except (CaptchaRequired, LoginFailed) as error:
            self.stopped_portals.setdefault(task.portal, f"{type(error).__name__}: {error}")
            result.status, result.error = "stopped", str(error)
        except (CircuitOpen, BudgetExceeded) as error:
            result.status, result.error = "stopped", str(error)
        except PortalDown as error:
            result.error = f"{type(error).__name__}: {error}"
        except ScrapeError as error:
            if not is_unavailable(error):
                self.breaker.record(stream.name, ok=False)
            result.error = f"{type(error).__name__}: {error}"
            result.page_sha256 = getattr(error, "page_sha256", None)
        except Exception as error:  # a bug in one task must not stop the others
            self.breaker.record(stream.name, ok=False)
            result.error = f"{type(error).__name__}: {error}"
            log.exception("task %s failed unexpectedly", task.key)
        result.seconds = round(time.monotonic() - began, 3)
        result.step_retries = portals.retries() - retries_before
        return result

    def _tally(self, report: StreamReport, results: list[TaskResult]) -> None:
        for r in results:
            if r.status == "done":
                report.done += 1
                report.not_found += r.outcome == "not_found"
            elif r.status == "failed":
                report.failed += 1
                report.failures.append(
                    {"task": r.task.key, "error": (r.error or "")[:300], "page": r.page_sha256}
                )
            else:
                report.stopped += 1
            retries = r.attempts - 1 + r.step_retries
            if retries > 0:
                report.retried_tasks += 1
                report.retries += retries
        slowest = sorted(results, key=lambda r: r.seconds, reverse=True)[:5]
        report.slowest = [{"task": r.task.key, "seconds": r.seconds} for r in slowest]

    def _finish(self, seconds: float) -> None:
        report = self.report
        report.seconds = round(seconds, 3)
        report.finished_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        unplanned = sum(s.unplanned_estimate or 0 for s in report.streams.values())
        attempted = sum(s.planned - s.skipped for s in report.streams.values()) + unplanned
        unfinished = sum(s.failed + s.stopped for s in report.streams.values()) + unplanned
        report.failure_rate = round(unfinished / attempted, 4) if attempted else 0.0
        report.unhealthy = unhealthy_streams(report, self.config.max_failure_rate)
        blocked = [s for s in report.streams.values() if s.blocked_by]
        report.degraded = report.failure_rate > self.config.max_failure_rate or bool(blocked)
        requests: dict[str, int] = {"court": 0, "jail": 0}
        for portals in self._workers:
            for portal, count in portals.requests().items():
                requests[portal] += count
        for portal in ("court", "jail"):
            report.portals[portal] = {
                "requests": requests[portal],
                "final_rps": round(self.limiters[portal].rps, 2),
                "slowdowns": self.limiters[portal].slowdowns,
                "stopped": self.stopped_portals.get(portal),
            }
            report.portals[portal].update(
                circuit_openings=self.circuit.openings.get(portal, 0),
                circuit_probes=self.circuit.probes.get(portal, 0),
                longest_outage_s=self.circuit.longest_outage_s.get(portal, 0.0),
            )
        for portal, reason in self.stopped_portals.items():
            report.messages.append(f"{portal} portal stopped: {reason}")
        for stream in blocked:
            estimate = (
                f"about {stream.unplanned_estimate} tasks not planned (as many as run "
                f"{stream.estimated_from} had)"
                if stream.unplanned_estimate is not None
                else "how many tasks were not planned is unknown (no earlier run)"
            )
            report.messages.append(
                f"{stream.stream}: BLOCKED by failed {', '.join(stream.blocked_by)}; {estimate}"
            )
        for name in sorted(self.breaker.opened):
            report.messages.append(f"{name}: circuit opened after repeated failures")
        key = f"reports/{self.config.as_of.isoformat()}/ingest/{report.run_id}.json"
        self.lake.put_new(key, report.to_json())

    @contextmanager
    def _progress(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        interactive = self.config.progress
        if interactive is None:
            interactive = sys.stderr.isatty()
        if interactive:
            with tqdm(total=total, desc=f"{name:>14}", unit="task", leave=True) as bar:
                yield lambda: bar.update(1)
            return
        state = {"done": 0, "last": time.monotonic()}

        def tick() -> None:
            state["done"] += 1
            now = time.monotonic()
            if now - state["last"] >= 10 or state["done"] == total:
                state["last"] = now
                log.info("%s: %d/%d tasks", name, state["done"], total)

        log.info("%s: %d tasks to run", name, total)
        yield tick


def unhealthy_streams(report: RunReport, max_failure_rate: float) -> dict[str, str]:
    """Streams whose records are incomplete, and why: blocked by a failed discovery
    upstream, or more of their tasks unfinished than the run's threshold."""
    unhealthy = {}
    for name, stream in report.streams.items():
        attempted = stream.planned - stream.skipped
        unfinished = stream.failed + stream.stopped
        if stream.blocked_by:
            unhealthy[name] = f"blocked by failed {', '.join(stream.blocked_by)}"
        elif attempted and unfinished / attempted > max_failure_rate:
            unhealthy[name] = f"{unfinished} of {attempted} tasks did not finish"
    return unhealthy


def holds(report: RunReport, streams: set[str]) -> dict[str, str]:
    """Of the streams a reader depends on, those incomplete for it, and why. A stream
    blocked only by a side feed (see ingest.tasks.SIDE_FEEDS) is complete for readers
    that do not read the side feed's own tables."""
    found = {}
    for name in sorted(streams):
        reason = report.unhealthy.get(name)
        stream = report.streams.get(name)
        if reason is None or stream is None:
            continue
        own = [u for u in stream.blocked_by if (name, u) not in SIDE_FEEDS or u in streams]
        if stream.blocked_by and not own and reason.startswith("blocked"):
            continue
        found[name] = reason
    return found


_REPORT_KEY = re.compile(r"^reports/(\d{4}-\d{2}-\d{2})/ingest/([^/]+)\.json$")


def _last_planned(lake: Lake, stream: str, run_id: str, as_of: date) -> tuple[int, str] | None:
    """The planned task count of `stream` in the latest earlier run (up to `as_of`) where
    the stream was not blocked, and that run's id."""
    runs = []
    for key in lake.list("reports/"):
        match = _REPORT_KEY.match(key)
        if match and match.group(1) <= as_of.isoformat() and match.group(2) != run_id:
            runs.append((match.group(1), match.group(2), key))
    for _day, found_id, key in sorted(runs, reverse=True):
        try:
            body = json.loads(lake.get(key))
            earlier = body["streams"][stream]
        except (KeyError, ValueError):
            continue
        if not earlier.get("blocked_by") and earlier.get("planned"):
            return int(earlier["planned"]), found_id
    return None


def run_ingest(config: IngestConfig, lake: Lake) -> RunReport:
    return IngestRun(config, lake).run()
