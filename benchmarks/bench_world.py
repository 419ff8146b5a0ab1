"""World generation and truth export speed (not a test: figures only, no assertions).

Figures: generation time at scale 1 (≈5,450 cases) and for a world of ≈100k cases
(scale 18.4), wall and CPU (on a busy machine the CPU time is the steadier figure), and
the time to export the truth of a day at scale 1 (build; build + serialise + write).
Each generation runs in a fresh subprocess so one world's memory never slows the next.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SEED = 7
AS_OF = date(2026, 11, 23)
SCALE_100K = 18.4  # ≈100k cases

_GENERATE = """
import json, sys, time
from simulator.world import generate_world
started, cpu = time.perf_counter(), time.process_time()
world = generate_world(int(sys.argv[1]), float(sys.argv[2]))
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "cases": len(world.cases),
                  "people": len(world.people), "bookings": len(world.bookings)}))
"""


def _generate(seed: int, scale: float) -> dict[str, float]:
    """Generate one world in a fresh interpreter; its timing and sizes."""
    out = subprocess.run(
        [sys.executable, "-c", _GENERATE, str(seed), str(scale)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _truth_export(seed: int) -> dict[str, float]:
    from simulator.truth import truth_on, write_truth
    from simulator.world import generate_world

    world = generate_world(seed, 1.0)
    started = time.perf_counter()
    truth_on(world, AS_OF)
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = write_truth(world, AS_OF, Path(tmp) / "truth.json")
        written = time.perf_counter() - started
        size = path.stat().st_size
    return {"build_s": built, "write_s": written, "mb": size / 1e6}


def run(seed: int = SEED) -> dict[str, float | int]:
    small = _generate(seed, 1.0)
    large = _generate(seed, SCALE_100K)
    truth = _truth_export(seed)
    return {
        "generate_scale_1_s": round(small["seconds"], 2),
        "generate_scale_1_cpu_s": round(small["cpu_seconds"], 2),
        "cases_scale_1": int(small["cases"]),
        "bookings_scale_1": int(small["bookings"]),
        f"generate_scale_{SCALE_100K}_s": round(large["seconds"], 2),
        f"generate_scale_{SCALE_100K}_cpu_s": round(large["cpu_seconds"], 2),
        f"cases_scale_{SCALE_100K}": int(large["cases"]),
        f"people_scale_{SCALE_100K}": int(large["people"]),
        "truth_build_scale_1_s": round(truth["build_s"], 2),
        "truth_build_and_write_scale_1_s": round(truth["write_s"], 2),
        "truth_file_scale_1_mb": round(truth["mb"], 1),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
