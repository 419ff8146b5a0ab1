"""Being a good citizen of a public portal: rate limit, backoff, circuit breaker, budget.

- `RateLimiter`: one per portal, shared by its workers. It starts at `start_rps`, creeps
  up by `increase_rps` after each success (never above `max_rps`), halves on a 429 and
  slows by a fifth on a 5xx (never below `min_rps`), honouring Retry-After. Errors never
  speed it up.
- `with_retries`: exponential backoff with full jitter (tenacity) for retryable errors.
- `CircuitBreaker`: opens after K consecutive failures of a stream; the rest of that
  stream is skipped and reported, not hammered.
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

from ingest.errors import PortalHTTPError, ScrapeError

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
