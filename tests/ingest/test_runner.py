"""The runner's handling of outages and failures, with streams that fail on purpose (no
portal is contacted: the streams here raise what a portal would make them raise)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from courtlake.lake import LocalLake
from ingest.errors import PageStructureError, PortalHTTPError
from ingest.politeness import RetryPolicy
from ingest.runner import IngestConfig, IngestRun, Patience, WorkerPortals
from ingest.tasks import TaskId, TaskOutput

AS_OF = date(2026, 11, 23)


def _run(tmp_path: Path, **overrides: object) -> IngestRun:
    config = IngestConfig(
        as_of=AS_OF,
        court_url="http://127.0.0.1:9/Portal/",
        jail_url="http://127.0.0.1:9/jail/",
        retry=RetryPolicy(attempts=1, initial_s=0.01, max_wait_s=0.02),
        task_max_wait_s=0.05,
        progress=False,
        **overrides,  # type: ignore[arg-type]
    )
    return IngestRun(config, LocalLake(tmp_path))


class AlwaysDown:
    """A case page that answers 503 every time, while the portal's other pages answer."""

    name = "case_detail"

    def __init__(self, run: IngestRun) -> None:
        self.run_, self.calls = run, 0

    def tasks(self) -> list[TaskId]:
        return [TaskId.of(self.name, "District 1|2026-EV-000001", AS_OF)]

    def run(self, task: TaskId, portals: WorkerPortals) -> TaskOutput:
        self.calls += 1
        self.run_.circuit.record("court", ok=True)  # another task's page just loaded
        raise PortalHTTPError(503, "http://portal/CaseDetail")


def test_a_page_down_while_its_portal_answers_gives_up_after_the_patience(tmp_path):
    run = _run(tmp_path, patience=Patience(court_s=0.5, jail_s=0.5))
    stream = AlwaysDown(run)
    started = time.monotonic()
    result = run.run_task(stream, stream.tasks()[0])
    assert result.status == "failed" and "HTTP 503" in (result.error or "")
    assert 0.5 <= time.monotonic() - started < 5
    assert stream.calls > 2  # retried with backoff for the patience, not a fixed count


class Misparsed(AlwaysDown):
    def run(self, task: TaskId, portals: WorkerPortals) -> TaskOutput:
        self.calls += 1
        raise PageStructureError("no case information section")


def test_an_unexpected_page_is_retried_a_fixed_number_of_times_not_for_the_patience(tmp_path):
    run = _run(tmp_path, patience=Patience(court_s=60, jail_s=60), task_attempts=2)
    stream = Misparsed(run)
    result = run.run_task(stream, stream.tasks()[0])
    assert result.status == "failed" and "PageStructureError" in (result.error or "")
    assert stream.calls == 2
    assert run.circuit.failing_for("court") == 0  # the portal answered: it is not down
