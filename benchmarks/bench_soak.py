"""Soak: the simulator's `hostile` faults at scale 1, ingest re-run until it is complete.

`hostile` opens with a 20 s outage and repeats it every 5 minutes, on top of 10 % HTTP
500s, hangs, soft errors, a long latency tail, 429s and expiring sessions. The same
command is re-run on the same lake (finished tasks are skipped) until a run is neither
degraded nor has a failed task, at most MAX_RUNS times, with WORKERS sessions.
Reported: runs needed, total time, requests per landed record (every request of every
run), and whether the final records equal those of one clean run against a fault-free
simulator of the same world.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

from benchmarks.bench_ingest import bench_config
from benchmarks.bench_simulator import simulator_process
from courtlake.lake import LocalLake
from ingest.runner import run_ingest
from ingest.tasks import ALL_STREAMS, Landing

SCALE = 1.0
MAX_RUNS = 6
WORKERS = 4


def _without_pages(value: Any) -> Any:
    """Records with the archived pages they name left out (a retried page is archived
    again under the hash of what the portal sent that time)."""
    if isinstance(value, dict):
        return {k: _without_pages(v) for k, v in value.items() if "page" not in k}
    if isinstance(value, list):
        return [_without_pages(v) for v in value]
    return value


def landed(lake: LocalLake, as_of) -> dict[str, dict[str, Any]]:
    landing = Landing(lake)
    return {
        stream: {
            o.task.key: (o.outcome, _without_pages(o.records))
            for o in landing.outputs(stream, as_of)
        }
        for stream in ALL_STREAMS
    }


def run() -> dict[str, object]:
    soak_lake = LocalLake(tempfile.mkdtemp(prefix="bench-soak-"))
    runs: list[dict[str, object]] = []
    requests = 0
    started = time.monotonic()
    with simulator_process(scale=SCALE, faults="hostile") as base:
        config = bench_config(base, "session", WORKERS, ALL_STREAMS)
        for _ in range(MAX_RUNS):
            report = run_ingest(config, soak_lake)
            failed = sum(s.failed + s.stopped for s in report.streams.values())
            run_requests = sum(int(p["requests"]) for p in report.portals.values())
            requests += run_requests
            runs.append(
                {
                    "seconds": report.seconds,
                    "failed_tasks": failed,
                    "blocked": sorted(s.stream for s in report.streams.values() if s.blocked_by),
                    "degraded": report.degraded,
                    "requests": run_requests,
                }
            )
            if not report.degraded and failed == 0:
                break
    soak_seconds = time.monotonic() - started
    clean_lake = LocalLake(tempfile.mkdtemp(prefix="bench-soak-clean-"))
    with simulator_process(scale=SCALE, faults="none") as base:
        clean = run_ingest(bench_config(base, "session", WORKERS, ALL_STREAMS), clean_lake)
    as_of = bench_config("", "session", 2, ()).as_of
    soaked, reference = landed(soak_lake, as_of), landed(clean_lake, as_of)
    records = sum(len(found) for found in soaked.values())
    return {
        "runs_needed": len(runs),
        "complete": runs[-1]["failed_tasks"] == 0 and not runs[-1]["degraded"],
        "runs": runs,
        "total_s": round(soak_seconds, 1),
        "records": records,
        "requests_per_record": round(requests / records, 2) if records else None,
        "clean_run_s": clean.seconds,
        "clean_requests_per_record": round(
            sum(int(p["requests"]) for p in clean.portals.values()) / records, 2
        )
        if records
        else None,
        "records_equal_clean_run": soaked == reference,
        "differing_streams": [s for s in ALL_STREAMS if soaked[s] != reference[s]],
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
