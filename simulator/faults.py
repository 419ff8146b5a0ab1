"""Fault injection for the portal simulator.

A profile is a named set of knobs (`none`, `latency`, `flaky`, `hostile`); any knob can be
overridden on the command line: `--faults flaky,error_rate=0.1,captcha=true`.
Every fault here has broken a real scraper: slow pages with a long tail, 500s, hangs,
outage windows, 200 pages whose body is an error or an empty shell, 429 beyond a per-client
rate or concurrency, sessions that expire mid-run, a different grid column order, result
caps, and a CAPTCHA that appears one day.
"""

from __future__ import annotations

import dataclasses
import math
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, fields
from typing import Literal

Decision = Literal["ok", "error", "hang", "outage", "soft_error", "soft_empty", "rate_limited"]


@dataclass(frozen=True)
class FaultConfig:
    latency_median_ms: float = 0.0  # 0 turns latency injection off
    latency_sigma: float = 0.6  # lognormal shape: 0.6 gives p99 ≈ 4× the median
    latency_tail_rate: float = 0.0  # share of requests that take tail_ms on top
    latency_tail_ms: float = 12_000.0  # longer than a fixed 10 s wait
    error_rate: float = 0.0  # HTTP 500
    hang_rate: float = 0.0  # no response for hang_s
    hang_s: float = 120.0
    outage_every_s: float = 0.0  # 0 = no outages; else a window every N seconds of uptime
    outage_length_s: float = 0.0  # 503 for this long at the start of each window
    soft_error_rate: float = 0.0  # 200 whose body is an error page
    soft_empty_rate: float = 0.0  # 200 whose body is an empty shell
    rate_limit_rps: float = 0.0  # per client; 0 = unlimited
    max_concurrency: int = 0  # per client in-flight requests; 0 = unlimited
    session_ttl_s: float = 1_800.0  # idle time after which a session expires
    session_max_age_s: float = 0.0  # hard expiry regardless of activity; 0 = none
    column_variant: bool = False  # results grid columns in another order, other headers
    # CAPTCHA switched on (`Settings.CaptchaEnabled`): searches are refused until a human
    # solves it; a signed-in session is spared where the county waives it for accounts.
    captcha: bool = False
    result_cap: int = 200  # rows a search returns at most (the JSON says `MaxResultsHit`)
    seed: int = 0

    def describe(self) -> str:
        default = FaultConfig()
        changed = [
            f"{f.name}={getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        ]
        return ",".join(changed) or "none"


PROFILES: dict[str, FaultConfig] = {
    "none": FaultConfig(),
    "latency": FaultConfig(latency_median_ms=200.0),
    "flaky": FaultConfig(
        latency_median_ms=200.0,
        latency_tail_rate=0.002,
        error_rate=0.03,
        soft_error_rate=0.01,
        soft_empty_rate=0.01,
        rate_limit_rps=40.0,
        max_concurrency=8,
        session_ttl_s=600.0,
    ),
    "hostile": FaultConfig(
        latency_median_ms=400.0,
        latency_sigma=0.9,
        latency_tail_rate=0.01,
        error_rate=0.10,
        hang_rate=0.01,
        hang_s=60.0,
        outage_every_s=300.0,
        outage_length_s=20.0,
        soft_error_rate=0.04,
        soft_empty_rate=0.04,
        rate_limit_rps=10.0,
        max_concurrency=4,
        session_ttl_s=120.0,
        session_max_age_s=600.0,
        column_variant=True,
    ),
}


def parse_faults(spec: str) -> FaultConfig:
    """`PROFILE[,knob=value…]` → FaultConfig; raises ValueError naming the bad part."""
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if not parts:
        return PROFILES["none"]
    base_name, overrides = parts[0], parts[1:]
    if "=" in base_name:
        base_name, overrides = "none", parts
    if base_name not in PROFILES:
        raise ValueError(f"unknown fault profile {base_name!r}; choose from {', '.join(PROFILES)}")
    config = PROFILES[base_name]
    types = {f.name: f.type for f in fields(FaultConfig)}
    changes: dict[str, object] = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or key not in types:
            raise ValueError(f"unknown fault knob {item!r}; knobs: {', '.join(types)}")
        changes[key] = _coerce(key, raw, str(types[key]))
    return dataclasses.replace(config, **changes)


def _coerce(key: str, raw: str, type_name: str) -> object:
    try:
        if type_name == "bool":
            if raw.lower() not in {"true", "false", "1", "0", "on", "off", "yes", "no"}:
                raise ValueError(raw)
            return raw.lower() in {"true", "1", "on", "yes"}
        if type_name == "int":
            return int(raw)
        return float(raw)
    except ValueError:
        raise ValueError(f"fault knob {key} expects a {type_name}, got {raw!r}") from None


class FaultInjector:
    """Decides, per request, whether and how it fails, and how long it takes.

    Thread-safe; keeps per-client request timestamps and in-flight counts for the 429s.
    """

    def __init__(self, config: FaultConfig, started_at: float | None = None) -> None:
        self._lock = threading.Lock()
        self.config = config
        self._rng = random.Random(config.seed)
        self._started = time.monotonic() if started_at is None else started_at
        self._recent: dict[str, deque[float]] = {}
        self._in_flight: dict[str, int] = {}

    def reconfigure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            # outage windows count from the moment they are configured
            self._started = time.monotonic()

    def in_outage(self, now: float | None = None) -> bool:
        cfg = self.config
        if cfg.outage_every_s <= 0 or cfg.outage_length_s <= 0:
            return False
        uptime = (time.monotonic() if now is None else now) - self._started
        return uptime % cfg.outage_every_s < cfg.outage_length_s

    def admit(self, client: str, now: float | None = None) -> bool:
        """Count a request in; False means 429 (over rate or concurrency)."""
        cfg = self.config
        now = time.monotonic() if now is None else now
        with self._lock:
            if cfg.max_concurrency and self._in_flight.get(client, 0) >= cfg.max_concurrency:
                return False
            if cfg.rate_limit_rps:
                window = self._recent.setdefault(client, deque())
                while window and now - window[0] > 1.0:
                    window.popleft()
                if len(window) >= cfg.rate_limit_rps:
                    return False
                window.append(now)
            self._in_flight[client] = self._in_flight.get(client, 0) + 1
        return True

    def in_flight(self) -> int:
        with self._lock:
            return sum(self._in_flight.values())

    def release(self, client: str) -> None:
        with self._lock:
            left = self._in_flight.get(client, 1) - 1
            if left > 0:
                self._in_flight[client] = left
            else:
                self._in_flight.pop(client, None)

    def decide(self) -> tuple[Decision, float]:
        """(what happens to this request, seconds of injected latency)."""
        cfg = self.config
        with self._lock:
            draw = self._rng.random()
            latency = 0.0
            if cfg.latency_median_ms > 0:
                z = self._rng.gauss(0.0, 1.0)
                latency = cfg.latency_median_ms / 1000.0 * math.exp(cfg.latency_sigma * z)
                if self._rng.random() < cfg.latency_tail_rate:
                    latency += cfg.latency_tail_ms / 1000.0
        for decision, rate in (
            ("error", cfg.error_rate),
            ("hang", cfg.hang_rate),
            ("soft_error", cfg.soft_error_rate),
            ("soft_empty", cfg.soft_empty_rate),
        ):
            if draw < rate:
                return decision, latency  # type: ignore[return-value]
            draw -= rate
        return "ok", latency
