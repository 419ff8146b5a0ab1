"""Rate limiter, retries, circuit breakers (per stream, per portal), budget."""

from __future__ import annotations

import pytest

from ingest.errors import CaseNotFound, PortalHTTPError, PortalTimeout
from ingest.politeness import (
    Budget,
    BudgetExceeded,
    CircuitBreaker,
    CircuitOpen,
    PortalCircuit,
    PortalDown,
    RateLimiter,
    RetryPolicy,
    is_unavailable,
    with_retries,
)

FAST = RetryPolicy(attempts=4, initial_s=0.001, max_wait_s=0.005)


def test_given_429s_the_rate_halves_and_never_speeds_up_on_errors():
    limiter = RateLimiter(start_rps=8, min_rps=1, max_rps=20, increase_rps=0.5)
    limiter.throttled()
    assert limiter.rps == 4
    limiter.throttled()
    limiter.throttled()
    limiter.throttled()
    assert limiter.rps == 1  # floored at min_rps
    limiter.success()
    assert limiter.rps == 1.5  # successes creep up again, one step at a time


def test_the_rate_never_exceeds_its_ceiling():
    limiter = RateLimiter(start_rps=19.5, max_rps=20, increase_rps=1)
    for _ in range(5):
        limiter.success()
    assert limiter.rps == 20


def test_acquire_spaces_requests_by_the_current_rate():
    now = [0.0]
    limiter = RateLimiter(start_rps=2, clock=lambda: now[0])
    limiter.acquire()  # first slot is free
    assert limiter._next_slot == pytest.approx(0.5)
    now[0] = 0.5
    limiter.acquire()
    assert limiter._next_slot == pytest.approx(1.0)


def test_retryable_errors_are_retried_until_success():
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise PortalTimeout("slow")
        return "ok"

    assert with_retries(flaky, FAST) == "ok"
    assert len(calls) == 3


def test_a_429_slows_the_limiter_before_the_retry():
    limiter = RateLimiter(start_rps=10)
    calls = []

    def throttled_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise PortalHTTPError(429, "http://portal/x", retry_after=0.0)
        return "ok"

    with_retries(throttled_once, FAST, limiter=limiter)
    assert limiter.rps == 5
    assert limiter.slowdowns == 1


def test_non_retryable_errors_are_not_retried():
    calls = []

    def gone() -> None:
        calls.append(1)
        raise CaseNotFound("sealed")

    with pytest.raises(CaseNotFound):
        with_retries(gone, FAST)
    assert len(calls) == 1


def test_retries_give_up_after_the_policy_and_raise_the_last_error():
    with pytest.raises(PortalTimeout):
        with_retries(lambda: (_ for _ in ()).throw(PortalTimeout("down")), FAST)


def test_the_breaker_opens_after_k_consecutive_failures_only():
    breaker = CircuitBreaker(threshold=3)
    for ok in (False, False, True, False, False):
        breaker.record("filings", ok=ok)
    breaker.check("filings")  # 2 consecutive: still closed
    breaker.record("filings", ok=False)
    with pytest.raises(CircuitOpen):
        breaker.check("filings")
    breaker.check("roster")  # other streams unaffected


def test_an_exhausted_budget_stops_new_work():
    budget = Budget(seconds=0)
    with pytest.raises(BudgetExceeded):
        budget.check()


def test_the_portal_circuit_opens_waits_a_cool_down_then_lets_one_probe_through():
    now = [0.0]
    circuit = PortalCircuit(threshold=2, cooldown_s=10, max_cooldown_s=25, clock=lambda: now[0])
    circuit.acquire("jail", patience_s=60)  # closed: no wait
    circuit.record("jail", ok=False)
    circuit.record("jail", ok=False)  # 2 consecutive outage failures: open until t=10
    assert circuit.openings == {"jail": 1}
    now[0] = 10.0
    circuit.acquire("jail", patience_s=60)  # the cool-down is over: this caller probes
    assert circuit.probes == {"jail": 1}
    # while the probe is out, a caller whose patience is used up fails at once
    with pytest.raises(PortalDown, match="unavailable for 10 s"):
        circuit.acquire("jail", patience_s=5)
    circuit.record("jail", ok=False)  # the probe failed: the next cool-down is twice as long
    now[0] = 29.0
    with pytest.raises(PortalDown):
        circuit.acquire("jail", patience_s=29)
    now[0] = 30.0
    circuit.acquire("jail", patience_s=60)
    assert circuit.failing_for("jail") == 30.0
    circuit.record("jail", ok=True)  # the portal is back: closed, the outage measured
    assert circuit.failing_for("jail") == 0.0
    assert circuit.longest_outage_s == {"jail": 30.0}
    circuit.acquire("court", patience_s=1)  # portals are independent


def test_only_5xx_429_and_timeouts_count_as_the_portal_being_down():
    assert is_unavailable(PortalHTTPError(503, "u")) and is_unavailable(PortalHTTPError(429, "u"))
    assert is_unavailable(PortalTimeout("slow"))
    assert not is_unavailable(PortalHTTPError(404, "u"))
    assert not is_unavailable(CaseNotFound("sealed"))
