"""Portal sessions: the `ASP.NET_SessionId` cookie, the anti-forgery token, login state,
the last search, and the opaque case ids that are only valid inside one session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

SESSION_COOKIE = "ASP.NET_SessionId"


@dataclass
class Session:
    session_id: str
    token: str  # __RequestVerificationToken
    created: float
    last_seen: float
    user: str | None = None
    criteria: Any = None  # the last Smart Search, read back by the results request
    eids: dict[str, str] = field(default_factory=dict)  # opaque id -> case_key

    def eid_for(self, case_key: str) -> str:
        """An opaque id for a case: stable inside this session, different in every other."""
        digest = hmac.new(self.session_id.encode(), case_key.encode(), hashlib.sha256)
        eid = digest.hexdigest()[:24].upper()
        self.eids[eid] = case_key
        return eid


class SessionStore:
    """In-memory sessions with idle and absolute expiry (both tunable as faults)."""

    def __init__(self, idle_ttl_s: float, max_age_s: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._expired: set[str] = set()  # ids expired by the admin endpoint, not yet seen
        self.idle_ttl_s = idle_ttl_s
        self.max_age_s = max_age_s

    def create(self) -> Session:
        now = time.monotonic()
        session = Session(
            session_id=secrets.token_hex(12),
            token=secrets.token_urlsafe(24),
            created=now,
            last_seen=now,
        )
        with self._lock:
            self._sessions[session.session_id] = session
        return session

    def get(self, session_id: str | None) -> tuple[Session | None, bool]:
        """(session, expired): expired is True when the id was known but timed out."""
        if not session_id:
            return None, False
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                if session_id in self._expired:
                    self._expired.discard(session_id)
                    return None, True
                return None, False
            idle = now - session.last_seen > self.idle_ttl_s
            too_old = self.max_age_s > 0 and now - session.created > self.max_age_s
            if idle or too_old:
                del self._sessions[session_id]
                return None, True
            session.last_seen = now
            return session, False

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._sessions)
            self._expired.update(self._sessions)
            self._sessions.clear()
        return count

    def __len__(self) -> int:
        return len(self._sessions)
