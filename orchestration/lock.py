"""A run lock per week in the lake: create-only objects with an owner and an expiry.

`locks/weekly-<week>/<n>.json` is generation n of the lock. Whoever creates generation
n+1 (create-only: exactly one writer can) holds the lock; releasing writes
`<n>.released`. While a run holds the lock, a heartbeat thread pushes its expiry forward
(every TTL/4), so a live run never loses it and a dead one's lock goes stale within one
TTL; a holder on this same machine whose process is gone is stale at once. The next run
takes a stale lock over by creating the next generation, which is safe when two runs try
at once (one create wins, the other sees a fresh lock and is refused), and logs it. The
same code works on local disk and on S3 (`If-None-Match: *`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from courtlake.errors import ObjectExistsError
from courtlake.lake import Lake

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(minutes=10)


class LockHeldError(RuntimeError):
    """Another live run holds the lock."""


@dataclass(frozen=True)
class Lease:
    key: str
    owner: str
    expires_at: datetime
    took_over: str | None  # the expired holder's owner, if this lease replaced one


@dataclass(frozen=True)
class _Holder:
    generation: int
    owner: str
    expires_at: datetime
    released: bool


class WeekLock:
    def __init__(self, lake: Lake, week: date, ttl: timedelta = DEFAULT_TTL) -> None:
        self.lake, self.week, self.ttl = lake, week, ttl
        self.prefix = f"locks/weekly-{week}/"

    def acquire(self, now: datetime | None = None) -> Lease:
        """Take the lock or raise LockHeldError naming the holder and its expiry."""
        now = now or datetime.now(UTC)
        holder = self._holder()
        took_over = None
        if holder and not holder.released:
            if holder.expires_at > now and not _died_here(holder.owner):
                raise LockHeldError(
                    f"week {self.week} is being run by {holder.owner} (lock expires "
                    f"{holder.expires_at:%Y-%m-%d %H:%M} UTC); wait for it, or if it died, "
                    "for the lock to expire"
                )
            took_over = holder.owner
        generation = holder.generation + 1 if holder else 1
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        expires = now + self.ttl
        key = f"{self.prefix}{generation:06d}.json"
        try:
            self.lake.put_new(key, _body(owner, now, expires))
        except ObjectExistsError:
            raise LockHeldError(f"week {self.week}: another run took the lock just now") from None
        if took_over:
            log.warning("week %s: took over the expired lock of %s", self.week, took_over)
        return Lease(key, owner, expires, took_over)

    @contextmanager
    def held(self) -> Iterator[Lease]:
        """Acquire, keep alive with a heartbeat while the block runs, then release."""
        lease = self.acquire()
        stop = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(lease, stop), daemon=True)
        beat.start()
        try:
            yield lease
        finally:
            stop.set()
            beat.join(timeout=30)
            self.release(lease)

    def _heartbeat(self, lease: Lease, stop: threading.Event) -> None:
        acquired = datetime.now(UTC)
        while not stop.wait(self.ttl.total_seconds() / 4):
            holder = self._holder()
            if holder is None or holder.owner != lease.owner:
                log.error("week %s: lost the run lock to %s", self.week, holder and holder.owner)
                return
            now = datetime.now(UTC)
            try:
                self.lake.put(lease.key, _body(lease.owner, acquired, now + self.ttl))
            except Exception as exc:  # keep beating: the next one may get through
                log.warning("week %s: could not renew the run lock: %s", self.week, exc)

    def release(self, lease: Lease) -> None:
        """Release `lease` (idempotent)."""
        marker = lease.key.removesuffix(".json") + ".released"
        if not self.lake.exists(marker):
            with contextlib.suppress(ObjectExistsError):
                self.lake.put_new(marker, b"")

    def _holder(self) -> _Holder | None:
        keys = self.lake.list(self.prefix)
        generations = sorted(k for k in keys if k.endswith(".json"))
        if not generations:
            return None
        latest = generations[-1]
        body = json.loads(self.lake.get(latest))
        return _Holder(
            generation=int(latest.rsplit("/", 1)[1].removesuffix(".json")),
            owner=body["owner"],
            expires_at=datetime.fromisoformat(body["expires_at"]),
            released=latest.removesuffix(".json") + ".released" in keys,
        )


def _body(owner: str, acquired: datetime, expires: datetime) -> bytes:
    return json.dumps(
        {
            "owner": owner,
            "acquired_at": acquired.isoformat(),
            "expires_at": expires.isoformat(),
        }
    ).encode()


def _died_here(owner: str) -> bool:
    """The owner ran on this machine and its process no longer exists."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
