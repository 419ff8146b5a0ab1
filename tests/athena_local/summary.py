"""The one line `make test-athena` ends with, from the figures the test modules record.

    prod path on local Athena: N models built, M tables equal to DuckDB, K partner files identical

N and M come from the latest stage of the prod-path builds (test_prod_path), K from the
Monday runs (test_weekly_prod). Each `record` rewrites $COURTLAKE_ATHENA_SUMMARY: every
stage's details as JSON, then the line, so a run that stops early still leaves the
figures it reached.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_figures = {"models_built": 0, "tables_equal": 0, "partner_files_identical": 0}
_stages: dict[str, dict[str, Any]] = {}


def line() -> str:
    return (
        f"prod path on local Athena: {_figures['models_built']} models built, "
        f"{_figures['tables_equal']} tables equal to DuckDB, "
        f"{_figures['partner_files_identical']} partner files identical"
    )


def record(stage: str, **figures: Any) -> None:
    """Keep `stage`'s details; those named like a figure of the line replace it."""
    _stages[stage] = figures
    for name in _figures:
        if name in figures:
            _figures[name] = int(figures[name])
    target = os.environ.get("COURTLAKE_ATHENA_SUMMARY")
    if target:
        Path(target).write_text(json.dumps(_stages, indent=2, default=str) + "\n" + line() + "\n")
    print(line())
