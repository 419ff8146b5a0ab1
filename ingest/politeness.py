"""Being a good citizen of a public portal: rate limit, backoff, circuit breaker, budget.

- `RateLimiter`: one per portal, shared by its workers. It starts at `start_rps`, creeps
  up by `increase_rps` after each success (never above `max_rps`), halves on a 429 and
  slows by a fifth on a 5xx (never below `min_rps`), honouring Retry-After. Errors never
  speed it up.
- `with_retries`: exponential backoff with full jitter (tenacity) for retryable errors.
- `CircuitBreaker`: opens after K consecutive failures of a stream (errors that are not
  the portal being down, e.g. pages that fail their structural check); the rest of that
  stream is skipped and reported, not hammered.
- `PortalCircuit`: per portal, for the portal being down (5xx, timeouts). It opens after K
  consecutive failed attempts; while open, tasks wait; after a cool-down one probe goes
  through: its success closes the circuit, its failure re-opens it for twice as long (up to
  a ceiling). It also tells how long the portal has been failing, which the runner compares
  with its patience (a time, not a count of attempts).
- `Budget`: a wall-clock budget for the whole run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from selenium.common.exceptions import WebDriverException
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from ingest.errors import PortalHTTPError, PortalTimeout, ScrapeError

T = TypeVar("T")


class RateLimiter:
    def __init__(
        self,
        start_rps: float = 10.0,
        min_rps: float = 0.5,
        max_rps: float = 50.0,
        increase_rps: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._gate = threading.Condition(self._lock)
        self.rps = start_rps
        self.min_rps, self.max_rps, self.increase_rps = min_rps, max_rps, increase_rps
        self._next_slot = 0.0
        self._clock = clock
        self.slowdowns = 0

    def acquire(self) -> None:
        """Block until this caller may send its next request."""
        with self._gate:
            while True:
                now = self._clock()
                if now >= self._next_slot:
                    self._next_slot = max(now, self._next_slot) + 1.0 / self.rps
                    return
                self._gate.wait(self._next_slot - now)

    def success(self) -> None:
        with self._lock:
            self.rps = min(self.max_rps, self.rps + self.increase_rps)

    def throttled(self, retry_after: float | None = None, factor: float = 0.5) -> None:
        """A 429 (halve) or a 5xx (slow by `factor`), and wait out Retry-After when given."""
        with self._gate:
            self.rps = max(self.min_rps, self.rps * factor)
            self.slowdowns += 1
            pause = max(retry_after or 0.0, 1.0 / self.rps)
            self._next_slot = max(self._next_slot, self._clock() + pause)
            self._gate.notify_all()


class CircuitOpen(ScrapeError):
    retryable = False


class CircuitBreaker:
    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._consecutive: dict[str, int] = {}
        self.opened: set[str] = set()

    def check(self, stream: str) -> None:
        if stream in self.opened:
            raise CircuitOpen(f"{stream}: stopped after {self.threshold} consecutive failures")

    def record(self, stream: str, ok: bool) -> None:
        with self._lock:
            if ok:
                self._consecutive[stream] = 0
                return
            count = self._consecutive.get(stream, 0) + 1
            self._consecutive[stream] = count
            if count >= self.threshold:
                self.opened.add(stream)


def is_unavailable(error: BaseException) -> bool:
    """The portal is down or overloaded (5xx, 429, no response), as opposed to answering
    with something unexpected: worth waiting out rather than counting attempts."""
    if isinstance(error, PortalHTTPError):
        return error.status == 429 or error.status >= 500
    return isinstance(error, PortalTimeout)


class PortalDown(ScrapeError):
    """The portal has been unavailable for longer than the task's patience."""

    retryable = False


@dataclass
class _Circuit:
    consecutive: int = 0
    failing_since: float | None = None
    open_until: float | None = None  # None: closed
    probing: bool = False
    cooldown_s: float = 0.0


class PortalCircuit:
    """Per-portal circuit for outages (see the module docstring). Thread-safe."""

    def __init__(
        self,
        threshold: int = 3,
        cooldown_s: float = 10.0,
        max_cooldown_s: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold, self.cooldown_s, self.max_cooldown_s = threshold, cooldown_s, max_cooldown_s
        self._clock = clock
        self._gate = threading.Condition()
        self._circuits: dict[str, _Circuit] = {}
        self.openings: dict[str, int] = {}
        self.probes: dict[str, int] = {}
        self.longest_outage_s: dict[str, float] = {}

    def _circuit(self, portal: str) -> _Circuit:
        return self._circuits.setdefault(portal, _Circuit(cooldown_s=self.cooldown_s))

    def failing_for(self, portal: str) -> float:
        """Seconds since the portal's current run of failures began (0 when healthy)."""
        with self._gate:
            since = self._circuit(portal).failing_since
            return 0.0 if since is None else self._clock() - since

    def acquire(self, portal: str, patience_s: float) -> None:
        """Wait while the circuit is open. Returns when it is closed, or when this caller
        is the probe of a half-open circuit. Raises CircuitOpen once the portal has been
        failing for longer than `patience_s` and no probe is due."""
        with self._gate:
            while True:
                circuit, now = self._circuit(portal), self._clock()
                if circuit.open_until is None:
                    return
                if now >= circuit.open_until and not circuit.probing:
                    circuit.probing = True
                    self.probes[portal] = self.probes.get(portal, 0) + 1
                    return
                since = circuit.failing_since
                failing = 0.0 if since is None else now - since
                if failing >= patience_s:
                    raise PortalDown(
                        f"{portal} portal unavailable for {failing:.0f} s "
                        f"(patience {patience_s:.0f} s)"
                    )
                wake = circuit.open_until - now if not circuit.probing else 1.0
                self._gate.wait(max(0.01, min(wake, patience_s - failing)))

    def record(self, portal: str, ok: bool) -> None:
        """The outcome of an attempt: ok (the portal answered) or unavailable."""
        with self._gate:
            circuit, now = self._circuit(portal), self._clock()
            if ok:
                if circuit.failing_since is not None:
                    outage = now - circuit.failing_since
                    longest = self.longest_outage_s.get(portal, 0.0)
                    self.longest_outage_s[portal] = round(max(longest, outage), 1)
                self._circuits[portal] = _Circuit(cooldown_s=self.cooldown_s)
                self._gate.notify_all()
                return
            if circuit.failing_since is None:
                circuit.failing_since = now
            circuit.consecutive += 1
            if circuit.probing:  # the probe failed: wait longer before the next one
                circuit.probing = False
                circuit.cooldown_s = min(self.max_cooldown_s, circuit.cooldown_s * 2)
                circuit.open_until = now + circuit.cooldown_s
            elif circuit.open_until is None and circuit.consecutive >= self.threshold:
                circuit.open_until = now + circuit.cooldown_s
                self.openings[portal] = self.openings.get(portal, 0) + 1
            self._gate.notify_all()

    def release(self, portal: str) -> None:
        """A probe that ended without telling whether the portal is up (another error)."""
        with self._gate:
            circuit = self._circuit(portal)
            if circuit.probing:
                circuit.probing = False
                self._gate.notify_all()


class BudgetExceeded(ScrapeError):
    retryable = False


@dataclass
class Budget:
    seconds: float
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = time.monotonic()

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def check(self) -> None:
        if self.remaining() <= 0:
            raise BudgetExceeded(f"the run's time budget of {self.seconds:.0f} s is used up")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    initial_s: float = 0.5
    max_wait_s: float = 20.0


def is_retryable(error: BaseException) -> bool:
    """Scrape errors that say so, and browser hiccups (stale or missing elements)."""
    if isinstance(error, ScrapeError):
        return error.retryable
    return isinstance(error, WebDriverException)


def with_retries(
    action: Callable[[], T],
    policy: RetryPolicy,
    *,
    limiter: RateLimiter | None = None,
    on_retry: Callable[[BaseException], None] | None = None,
) -> T:
    """Run `action`; retry retryable ScrapeErrors with backoff and full jitter."""

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if error is None:
            return
        if limiter is not None and isinstance(error, PortalHTTPError):
            if error.status == 429:
                limiter.throttled(error.retry_after)
            elif error.status >= 500:
                limiter.throttled(error.retry_after, factor=0.8)
        if on_retry is not None:
            on_retry(error)

    retrying = Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_random_exponential(multiplier=policy.initial_s, max=policy.max_wait_s),
        retry=retry_if_exception(is_retryable),
        before_sleep=before_sleep,
        reraise=True,
    )
    return retrying(action)
