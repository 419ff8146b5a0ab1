"""Portal sessions: the `ASP.NET_SessionId` cookie, the login page's anti-forgery token,
login state, the last case and hearing searches, and the opaque case ids
(`EncryptedCaseId`) that are only valid inside one session; for the jail roster (its
`JSESSIONID` cookie names a session of the same store) the last roster search."""

from __future__ import annotations

import base64
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
    token: str  # the login form's __RequestVerificationToken
    created: float
    last_seen: float
    user: str | None = None
    criteria: Any = None  # the last Smart Search, read back by the results request
    hearing_criteria: Any = None  # the last hearing search, read back by HearingResults/Read
    roster: Any = None  # the jail roster's last search and page, read back by its paging forms
    eids: dict[str, str] = field(default_factory=dict)  # opaque id -> case_key

    def eid_for(self, case_key: str) -> str:
        """An opaque id for a case, shaped like the portal's (`zFDHQl8T0JmLLqCzSVtVOw2`):
        stable inside this session, different in every other."""
        digest = hmac.new(self.session_id.encode(), case_key.encode(), hashlib.sha256).digest()
        eid = base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=") + "2"
        self.eids[eid] = case_key
        return eid


class SessionStore:
    """In-memory sessions with idle and absolute expiry (both tunable as faults)."""

    def __init__(self, idle_ttl_s: float, max_age_s: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
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

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id; None when there is none or it has expired (an
        expired session is forgotten: the portal treats it like no session at all)."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            idle = now - session.last_seen > self.idle_ttl_s
            too_old = self.max_age_s > 0 and now - session.created > self.max_age_s
            if idle or too_old:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def expire_all(self) -> int:
        """Expire every session now; how many there were."""
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
        return count

    def __len__(self) -> int:
        return len(self._sessions)
