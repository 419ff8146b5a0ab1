"""The expectation suites, written into the GX file context in ``expectations/gx``.

Run ``python -m expectations.suites`` after changing a definition here and commit the
JSON files it writes under ``expectations/gx/expectations/``; a test checks that they
match. Unchanged suites are not rewritten (GX would draw new expectation ids), so the
files only change when a definition does.

``courtlake_base`` holds the checks that do not depend on a partner's columns (row count,
unique delivery keys, nothing already delivered, nothing sealed, the exact header);
``partner__<partner>`` the checks on its named columns (the required columns its
``meta.delivery.required`` lists, filing window, zip codes, case numbers). Run-time
values are suite parameters (``{"$PARAMETER": …}``): ``min_rows``, ``max_rows``,
``window_start``, ``window_end``, ``expected_columns``.

This module imports GX: it is the authoring tool, never imported by the runner. To read
the suites in an interactive file context, ``import expectations.iso_dates`` first.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ["GX_ANALYTICS_ENABLED"] = "false"

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from expectations.iso_dates import ExpectColumnValuesToBeIsoDatesBetween
from expectations.partner_definitions import delivery_definitions, required_columns
from expectations.runner import BASE_SUITE, CONTEXT_COLUMNS, GX_PROJECT_ROOT, PARTNER_SUITE_PREFIX

EVICTION_CASE_NUMBER = r"^[0-9]{2}-GC-[0-9]{6}$"
ZIP_CODE = r"^[0-9]{5}$"


def _parameter(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


def base_expectations() -> list[Expectation]:
    """Checklist items 1, 2, 3, 8, 9: the same for every partner."""
    return [
        gxe.ExpectTableRowCountToBeBetween(
            min_value=_parameter("min_rows"), max_value=_parameter("max_rows")
        ),
        gxe.ExpectColumnValuesToBeUnique(column="delivery_key"),
        gxe.ExpectColumnValuesToBeNull(column=CONTEXT_COLUMNS["previously_delivered_week"]),
        gxe.ExpectTableColumnsToMatchOrderedList(column_list=_parameter("expected_columns")),
        gxe.ExpectColumnValuesToBeNull(column=CONTEXT_COLUMNS["removed_date"]),
    ]


def partner_expectations(required: tuple[str, ...]) -> list[Expectation]:
    """Checklist items 4-7 on a partner's columns."""
    return [
        *(gxe.ExpectColumnValuesToNotBeNull(column=column) for column in required),
        ExpectColumnValuesToBeIsoDatesBetween(
            column="filed_date",
            min_value=_parameter("window_start"),
            max_value=_parameter("window_end"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="defendant_zip", regex=ZIP_CODE),
        gxe.ExpectColumnValuesToMatchRegex(column="case_number", regex=EVICTION_CASE_NUMBER),
    ]


def write_suites(project_root: Path = GX_PROJECT_ROOT) -> list[Path]:
    """Create or update every suite in the file context at project_root; their files."""
    context = gx.get_context(mode="file", project_root_dir=project_root)
    definitions = {BASE_SUITE: base_expectations()} | {
        f"{PARTNER_SUITE_PREFIX}{partner}": partner_expectations(required_columns(meta))
        for partner, meta in delivery_definitions().items()
    }
    existing = {suite.name: suite for suite in context.suites.all()}
    for name, expectations in definitions.items():
        suite = gx.ExpectationSuite(name=name, expectations=expectations)
        if name not in existing or _content(existing[name]) != _content(suite):
            context.suites.add_or_update(suite)
    return [project_root / "gx" / "expectations" / f"{name}.json" for name in definitions]


def _content(suite: gx.ExpectationSuite) -> list[dict]:
    """A suite's expectations without their ids (which GX draws anew on every update)."""
    return [
        {key: value for key, value in e.configuration.to_json_dict().items() if key != "id"}
        for e in suite.expectations
    ]


if __name__ == "__main__":
    for path in write_suites():
        print(path)
