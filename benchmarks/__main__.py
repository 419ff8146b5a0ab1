"""`make bench`: run every benchmark and print its figures (not a test: no assertions)."""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

BENCHMARKS = [
    "bench_world",
    "bench_simulator",
    "bench_ingest",
    "raw_generator",
    "bench_validation",
    "bench_deliveries",
    "bench_soak",
]


def main(names: list[str]) -> int:
    results: dict[str, dict] = {}
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        figures = module.run()
        for key, value in figures.items():
            print(f"  {key}: {value}", flush=True)
        results[name] = {**figures, "wall_s": round(time.perf_counter() - started, 1)}
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (out / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(f"figures saved to bench-results/bench-{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
