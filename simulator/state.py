"""What one running simulator holds: the world, its indexes, the clock, sessions, faults,
and the county profile its court portal and jail roster imitate."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from simulator.counties import County, load_county
from simulator.faults import FaultConfig, FaultInjector
from simulator.model import Booking, World
from simulator.search import CourtIndex
from simulator.sessions import SessionStore


@dataclass(frozen=True)
class Credentials:
    """The portal account that criminal lookups require (simulator-only, not a secret)."""

    user: str = "analyst"
    password: str = "courtlake-sim"


class Clock:
    """The simulated date the portals show. Only the admin endpoint moves it."""

    def __init__(self, day: date) -> None:
        self._lock = threading.Lock()
        self._day = day

    def today(self) -> date:
        return self._day

    def set(self, day: date) -> None:
        with self._lock:
            self._day = day


@dataclass
class PortalState:
    world: World
    clock: Clock
    faults: FaultInjector
    sessions: SessionStore
    credentials: Credentials
    index: CourtIndex
    bookings_by_number: dict[str, Booking]
    county: County
    requests: Counter[str] = field(default_factory=Counter)

    @classmethod
    def build(
        cls,
        world: World,
        as_of: date,
        faults: FaultConfig,
        credentials: Credentials,
        county: County | None = None,
    ) -> PortalState:
        return cls(
            world=world,
            clock=Clock(as_of),
            faults=FaultInjector(faults),
            sessions=SessionStore(faults.session_ttl_s, faults.session_max_age_s),
            credentials=credentials,
            index=CourtIndex(world),
            bookings_by_number={b.booking_number: b for b in world.bookings},
            county=county or load_county(),
        )

    def set_faults(self, config: FaultConfig) -> None:
        self.faults.reconfigure(config)
        self.sessions.idle_ttl_s = config.session_ttl_s
        self.sessions.max_age_s = config.session_max_age_s
