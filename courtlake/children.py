"""Child processes that die with the run that started them.

A run killed by SIGKILL (an OOM kill, a lost runner, a crash test) runs no cleanup, so
the processes it started (chromedriver and its Chromium, a dbt build) would live on with
parent 1, holding memory, ports and the warehouse file. Each such child is started in a
session of its own (`start_new_session=True`: it and everything it starts share one
process group), and :func:`watch_group` starts a tiny watcher that holds the read end of
a pipe whose write end only this process has. However this process ends, the pipe
closes, and the watcher kills the child's whole process group. Part of the shared core.
"""

from __future__ import annotations

import subprocess
import sys

# The watcher: wait for EOF on stdin (this process closed it, or died), then kill the group.
_WATCHER = """\
import os, signal, sys
sys.stdin.buffer.read()
try:
    os.killpg(int(sys.argv[1]), signal.SIGKILL)
except (ProcessLookupError, PermissionError):
    pass
"""


class GroupWatch:
    """Kills process group `pgid` when released, or when this process dies."""

    def __init__(self, pgid: int) -> None:
        self.pgid = pgid
        self._watcher: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WATCHER, str(pgid)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not in the group it kills, nor in ours
            close_fds=True,
        )

    def release(self) -> None:
        """Kill what is left of the group now (after a normal shutdown: usually nothing)."""
        watcher, self._watcher = self._watcher, None
        if watcher is None:
            return
        assert watcher.stdin is not None
        watcher.stdin.close()
        try:
            watcher.wait(timeout=10)
        except subprocess.TimeoutExpired:
            watcher.kill()
            watcher.wait()

    def __enter__(self) -> GroupWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def watch_group(pgid: int) -> GroupWatch:
    """Start watching process group `pgid` (a child started with start_new_session)."""
    return GroupWatch(pgid)
