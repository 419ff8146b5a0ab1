"""Named crash points: where a process can be killed to prove a step is crash-safe.

`crash_point("promote.after_partner_file")` does nothing unless the environment variable
COURTLAKE_CRASH_AT names that point, in which case the process sends itself SIGKILL
there, exactly as an OOM kill or a lost machine would end it: no cleanup, no finally
blocks, no flushed buffers. The tests of the delivery steps and of the weekly run use it
to stop a real `courtlake` process at the worst moments and check a re-run repairs
everything. Part of the shared core.
"""

from __future__ import annotations

import os
import signal

ENV = "COURTLAKE_CRASH_AT"


#: What a process writes to stderr just before it kills itself at a crash point.
MARK = "courtlake: crash point {name}: SIGKILL\n"


def crash_point(name: str) -> None:
    """SIGKILL this process if COURTLAKE_CRASH_AT equals `name`, saying so on stderr
    first (unbuffered), so a test can tell the kill happened where it meant it to."""
    if os.environ.get(ENV) == name:
        os.write(2, MARK.format(name=name).encode())
        os.kill(os.getpid(), signal.SIGKILL)
