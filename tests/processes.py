"""Finding the processes a test's run left behind: every process started with the run's
environment variable COURTLAKE_TEST_RUN=<tag> (chromedriver, Chromium, dbt inherit it)."""

from __future__ import annotations

import time
from pathlib import Path

TAG_VARIABLE = "COURTLAKE_TEST_RUN"


def survivors(tag: str) -> list[str]:
    """Processes (pid and name) still running with the environment of run `tag`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{TAG_VARIABLE}={tag}".encode() in (entry / "environ").read_bytes():
                found.append(f"{entry.name} {(entry / 'comm').read_text().strip()}")
        except OSError:
            continue
    return found


def assert_nothing_survives(tag: str, within_s: float = 15.0) -> None:
    deadline = time.monotonic() + within_s
    while survivors(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not survivors(tag), survivors(tag)
