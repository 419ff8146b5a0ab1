"""The partners' delivery definitions, read from the dbt model YAML where they live.

Each partner is defined once: ``config.meta.delivery`` in
``models/deliveries/<partner>/_<partner>__models.yml`` (see macros/deliveries.sql and
orchestration/partners.py). The expectation suites (``expectations.suites``) and the
validation benchmark take each partner's file columns and required fields from here,
so nothing repeats them. Read with a plain YAML load (no dbt parse): the suites are
written by a developer tool and the benchmark runs without a manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DELIVERIES_DIR = Path(__file__).resolve().parent.parent / "models" / "deliveries"
#: The first column of every partner file (orchestration.partners.KEY_COLUMN).
KEY_COLUMN = "delivery_key"


def delivery_definitions(folder: Path = DELIVERIES_DIR) -> dict[str, dict[str, Any]]:
    """partner → its meta.delivery mapping, for every delivery model's YAML."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*/_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            meta = (model.get("config") or {}).get("meta", {}).get("delivery")
            if meta is not None:
                found[meta["partner"]] = meta
    return found


def file_columns(meta: dict[str, Any]) -> tuple[str, ...]:
    """The partner file's columns in order: the key, then meta.delivery.columns."""
    return (KEY_COLUMN, *meta["columns"])


def required_columns(meta: dict[str, Any]) -> tuple[str, ...]:
    """The columns that may not be empty: the key, then meta.delivery.required."""
    return (KEY_COLUMN, *meta.get("required", ()))
