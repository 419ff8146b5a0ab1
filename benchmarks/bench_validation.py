"""GX validation speed (not a test: figures only, no assertions).

Figures: validating a 10,000-row good file of eastside_tenant_law with both suites and
its Data Docs, in a fresh interpreter so the GX import is counted (`validate_10k_rows_s`,
goal ≤ 10 s; its CPU time is the steadier figure on a busy machine), and the GX import
alone (`import_s`). `synthetic_request` builds good files for any partner; the tests of
`expectations` use it too.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from expectations.partner_definitions import delivery_definitions, file_columns
from expectations.runner import ValidationRequest

WEEK = date(2026, 11, 23)
WINDOW_DAYS = 28
#: Each partner's file columns, from its meta.delivery (the one place they are defined).
PARTNER_COLUMNS: dict[str, tuple[str, ...]] = {
    partner: file_columns(meta) for partner, meta in delivery_definitions().items()
}


def _row(partner: str, i: int, week: date) -> dict[str, str | None]:
    """One plausible, valid eviction row (fictional people); None is an empty cell."""
    filed = week - timedelta(days=1 + i % WINDOW_DAYS)
    hearing = (week + timedelta(days=i % 21)).isoformat() if i % 4 else None
    return {
        "delivery_key": hashlib.md5(f"{partner}:{i}".encode()).hexdigest(),
        "case_number": f"{filed.year % 100:02d}-GC-{i:06d}",
        "court": f"General Sessions Civil, Division {1 + i % 3}",
        "filed_date": filed.isoformat(),
        "defendant_name": f"Tenant {i}",
        "defendant_address": f"{100 + i % 900} Elm Street, Apt {i % 40}",
        "defendant_zip": f"{37200 + i % 100:05d}",
        "plaintiff_name": f"Property Holdings {i % 50} LLC",
        "status": "open" if i % 5 else "closed",
        "next_hearing_date": hearing,
        "judgment_type": None if i % 5 else "possession",
        "judgment_date": None if i % 5 else (filed + timedelta(days=14)).isoformat(),
        "has_writ": "true" if i % 10 == 0 else "false",
    }


def synthetic_request(
    partner: str, rows: int, docs_dir: Path, week: date = WEEK
) -> ValidationRequest:
    """A request for a good file of `rows` rows, as the caller reads it (all strings)."""
    columns = PARTNER_COLUMNS[partner]
    records = [_row(partner, i, week) for i in range(rows)]
    frame = pd.DataFrame(records, columns=list(columns), dtype=str)
    context = pd.DataFrame(
        {"previously_delivered_week": [None] * rows, "removed_date": [None] * rows}, dtype=str
    )
    return ValidationRequest(
        partner=partner,
        week=week,
        frame=frame,
        context=context,
        min_rows=1,
        max_rows=None,
        window_start=week - timedelta(days=WINDOW_DAYS),
        window_end=week - timedelta(days=1),
        allowed_columns=columns,
        docs_dir=docs_dir,
    )


_VALIDATE = """
import json, sys, time
from pathlib import Path
from benchmarks.bench_validation import synthetic_request
from expectations.runner import validate
request = synthetic_request(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
started, cpu = time.perf_counter(), time.process_time()
import great_expectations
imported = time.perf_counter()
outcome = validate(request)
done, cpu = time.perf_counter(), time.process_time() - cpu
print(json.dumps({"import_s": imported - started, "total_s": done - started,
                  "cpu_s": cpu, "success": outcome.success}))
"""


def _validate(partner: str, rows: int) -> dict[str, float | bool]:
    """Validate a synthetic file in a fresh interpreter; its timings."""
    with tempfile.TemporaryDirectory() as docs:
        out = subprocess.run(
            [sys.executable, "-c", _VALIDATE, partner, str(rows), docs],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    return json.loads(out.stdout)


def run() -> dict[str, float | bool]:
    figures = _validate("eastside_tenant_law", 10_000)
    return {
        "validate_10k_rows_s": round(figures["total_s"], 2),
        "validate_10k_rows_cpu_s": round(figures["cpu_s"], 2),
        "import_s": round(figures["import_s"], 2),
        "validate_10k_rows_passed": figures["success"],
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
