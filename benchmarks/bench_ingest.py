"""Ingest throughput: people looked up per minute (person-history stream), and the jail
side's people per minute (roster + person pages).

A roster of ≥1,000 pretrial people (simulator scale 8.5) at the simulator's `latency`
profile (median 200 ms). For each mode and worker count the stream runs for a fixed time
budget on a fresh lake, and the rate is compared with the latency-bound limit: a person
costs R requests of ~200 ms each, so N workers can do at most 60 / (R × 0.2 / N) people a
minute. R is counted from the run itself (court requests ÷ people done).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from datetime import date

from benchmarks.bench_simulator import simulator_process
from courtlake.lake import LocalLake
from ingest.odyssey import PortalCredentials
from ingest.runner import IngestConfig, run_ingest

AS_OF = date(2026, 11, 23)
SCALE = 8.5
MEDIAN_S = 0.2
BUDGET_S = 45.0


def bench_config(base: str, mode: str, workers: int, streams: tuple[str, ...]) -> IngestConfig:
    return IngestConfig(
        as_of=AS_OF,
        court_url=f"{base}/Portal/",
        jail_url=f"{base}/jail/",
        mode=mode,  # type: ignore[arg-type]
        workers=workers,
        credentials=PortalCredentials("analyst", "courtlake-sim"),
        streams=streams,
        start_rps=50.0,
        max_rps=200.0,
        progress=False,
    )


def measure(base: str, mode: str, workers: int) -> dict[str, float]:
    lake = LocalLake(tempfile.mkdtemp(prefix="bench-ingest-"))
    config = bench_config(base, mode, workers, ("roster",))
    run_ingest(config, lake)
    started = time.monotonic()
    report = run_ingest(replace(config, streams=("person_history",), budget_s=BUDGET_S), lake)
    elapsed = time.monotonic() - started
    stream = report.streams["person_history"]
    people = stream.done
    requests = report.portals["court"]["requests"]
    per_person = requests / people if people else float("nan")
    rate = people / elapsed * 60
    limit = 60 / (per_person * MEDIAN_S / workers)
    return {
        "pretrial_people": stream.planned,
        "people_done": people,
        "people_per_min": round(rate, 1),
        "requests_per_person": round(per_person, 2),
        "latency_bound_people_per_min": round(limit, 1),
        "ratio_to_limit": round(limit / rate, 2),
    }


def measure_jail(base: str, mode: str, workers: int) -> dict[str, float]:
    """The roster, then person pages for a fixed time: people a minute, requests a person
    (every jail request of both streams, the roster's pages included, ÷ people done)."""
    lake = LocalLake(tempfile.mkdtemp(prefix="bench-jail-"))
    config = replace(bench_config(base, mode, workers, ("roster", "booking")), budget_s=BUDGET_S)
    started = time.monotonic()
    report = run_ingest(config, lake)
    elapsed = time.monotonic() - started
    people = report.streams["booking"].done
    requests = report.portals["jail"]["requests"]
    return {
        "listed": report.streams["booking"].planned,
        "people_done": people,
        "people_per_min": round(people / elapsed * 60, 1),
        "requests_per_person": round(requests / people, 2) if people else float("nan"),
    }


def run() -> dict[str, object]:
    results: dict[str, object] = {}
    with simulator_process(scale=SCALE, faults="latency") as base:
        for mode in ("session", "browser"):
            for workers in (1, 2, 4):
                results[f"{mode}_w{workers}"] = measure(base, mode, workers)
            results[f"jail_{mode}_w2"] = measure_jail(base, mode, 2)
    return results


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
