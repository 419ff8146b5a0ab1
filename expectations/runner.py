"""Validate a staged partner file with Great Expectations (the old manual checklist).

The suites live in a GX file context whose project root is this folder (``gx/``): the
shared base suite ``courtlake_base`` and one ``partner__<partner>`` suite per partner, as
committed JSON files written by ``python -m expectations.suites``.

``validate()`` never opens that file context. It reads the committed suite JSON into an
*ephemeral* context and builds the pandas datasource, the validation definitions and the
checkpoint there, in memory. A file context would persist all of those (and the results)
into ``gx/`` — dirtying git, racing when two partners are validated at once, and failing
where the package is installed read-only. The only thing written is the static Data Docs
site, into ``request.docs_dir``.

Checks that need facts outside the file (already delivered, sealed) come as a ``context``
frame aligned row by row with the file; its columns join the batch as
``ctx__previously_delivered_week`` and ``ctx__removed_date``, which the base suite expects
to be null, so a failure lists the offending weeks and dates. The allowed-columns check
is about the file's own columns: the two ``ctx__`` columns are appended to the expected
list here.

GX is imported only inside ``validate()`` (the import takes about 5 s), with analytics
off. Personal data never leaves through a ``CheckResult``: no samples are taken from
``*_name`` or ``*_address`` columns (the suites only check those for nulls, so the Data
Docs show no such values either).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

GX_PROJECT_ROOT = Path(__file__).resolve().parent
SUITES_DIR = GX_PROJECT_ROOT / "gx" / "expectations"
BASE_SUITE = "courtlake_base"
PARTNER_SUITE_PREFIX = "partner__"
CONTEXT_COLUMNS = {
    "previously_delivered_week": "ctx__previously_delivered_week",
    "removed_date": "ctx__removed_date",
}
PERSONAL_COLUMN_SUFFIXES = ("_name", "_address")
COLUMNS_EXPECTATION = "expect_table_columns_to_match_ordered_list"
SAMPLE_SIZE = 5
DOCS_SITE = "validation"


class UnknownPartnerError(LookupError):
    """No ``partner__<partner>`` suite is committed for the requested partner."""


@dataclass(frozen=True, eq=False)
class ValidationRequest:
    """One staged file of one partner and week, with the run-time facts to check it.

    ``frame`` is the file as read (all strings, empty → NaN); ``context`` has the columns
    ``previously_delivered_week`` and ``removed_date``, one row per file row, in order.
    ``max_rows=None`` means no upper bound. ``allowed_columns`` is the exact, ordered
    header the file must have. The Data Docs site is written into ``docs_dir``.
    """

    partner: str
    week: date
    frame: pd.DataFrame
    context: pd.DataFrame
    min_rows: int
    max_rows: int | None
    window_start: date
    window_end: date
    allowed_columns: tuple[str, ...]
    docs_dir: Path


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one expectation.

    ``unexpected_sample`` holds at most ``SAMPLE_SIZE`` distinct offending values (never
    from name or address columns); for the column-list check, ``+col`` is a column the
    file has but should not and ``-col`` one it lacks. ``observed`` is the observed value
    of a table-level check (the row count; the columns, comma-separated); ``error`` the
    message of an expectation that could not be evaluated (e.g. its column is missing).
    """

    suite: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    unexpected_sample: tuple[str, ...]
    observed: str | None
    error: str | None


@dataclass(frozen=True)
class ValidationOutcome:
    """Every check of both suites; ``success`` only if all of them passed."""

    success: bool
    checks: tuple[CheckResult, ...]
    gx_version: str
    docs_index: Path | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable summary (paths as strings, samples as lists)."""
        return {
            "success": self.success,
            "gx_version": self.gx_version,
            "docs_index": str(self.docs_index) if self.docs_index else None,
            "checks": [
                {**asdict(check), "unexpected_sample": list(check.unexpected_sample)}
                for check in self.checks
            ],
        }


def suite_names() -> list[str]:
    """The committed partner suites (``partner__<partner>``), read without importing GX."""
    return sorted(path.stem for path in SUITES_DIR.glob(f"{PARTNER_SUITE_PREFIX}*.json"))


def validate(request: ValidationRequest) -> ValidationOutcome:
    """Run the base suite and the partner's suite on the file; build Data Docs in docs_dir.

    Raises ``UnknownPartnerError`` when the partner has no suite and ``ValueError`` when
    the context frame does not fit the file.
    """
    partner_suite = f"{PARTNER_SUITE_PREFIX}{request.partner}"
    if partner_suite not in suite_names():
        raise UnknownPartnerError(
            f"no suite {partner_suite!r} in {SUITES_DIR}; available: {suite_names()}"
        )
    batch = _batch_frame(request)

    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    import expectations.iso_dates  # noqa: F401  (registers the custom expectation)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    docs_dir = request.docs_dir.resolve()
    context.add_data_docs_site(site_name=DOCS_SITE, site_config=_docs_site_config(docs_dir))
    batch_definition = (
        context.data_sources.add_pandas("staged")
        .add_dataframe_asset(request.partner)
        .add_batch_definition_whole_dataframe("file")
    )
    definitions = []
    for name in (BASE_SUITE, partner_suite):
        data = json.loads((SUITES_DIR / f"{name}.json").read_text())
        suite = context.suites.add(gx.ExpectationSuite(**data))
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
            )
        )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{request.partner}_{request.week.isoformat()}",
            validation_definitions=definitions,
            actions=[UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 20},
        )
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": batch},
        expectation_parameters=_suite_parameters(request),
        run_id=RunIdentifier(run_name=f"{request.partner}_{request.week.isoformat()}"),
    )
    checks = tuple(
        _check_result(suite_result.suite_name, expectation_result.to_json_dict())
        for suite_result in result.run_results.values()
        for expectation_result in suite_result.results
    )
    index = docs_dir / "index.html"
    return ValidationOutcome(
        success=bool(result.success) and all(check.success for check in checks),
        checks=checks,
        gx_version=gx.__version__,
        docs_index=index if index.is_file() else None,
    )


def _batch_frame(request: ValidationRequest) -> pd.DataFrame:
    """The file's columns followed by the ``ctx__`` columns, positionally aligned."""
    missing = set(CONTEXT_COLUMNS) - set(request.context.columns)
    if missing:
        raise ValueError(f"context frame lacks columns {sorted(missing)}")
    if len(request.context) != len(request.frame):
        raise ValueError(f"context has {len(request.context)} rows, the file {len(request.frame)}")
    clashing = set(CONTEXT_COLUMNS.values()) & set(request.frame.columns)
    if clashing:
        raise ValueError(f"the file already has context column names {sorted(clashing)}")
    facts = request.context[list(CONTEXT_COLUMNS)].rename(columns=CONTEXT_COLUMNS)
    return pd.concat([request.frame.reset_index(drop=True), facts.reset_index(drop=True)], axis=1)


def _suite_parameters(request: ValidationRequest) -> dict[str, Any]:
    """The ``$PARAMETER`` values the suites refer to."""
    return {
        "min_rows": request.min_rows,
        "max_rows": request.max_rows,
        "window_start": request.window_start.isoformat(),
        "window_end": request.window_end.isoformat(),
        "expected_columns": [*request.allowed_columns, *CONTEXT_COLUMNS.values()],
    }


def _docs_site_config(docs_dir: Path) -> dict[str, Any]:
    """A static Data Docs site in docs_dir with the validation pages only.

    The suite pages are left out: they would show the unresolved ``$PARAMETER`` values,
    and GX 1.24's renderer of the column-list expectation fails on them.
    """
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(docs_dir),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "site_section_builders": {"expectations": "0", "profiling": "0"},
    }


def _check_result(suite: str, outcome: dict[str, Any]) -> CheckResult:
    """A ``CheckResult`` from one GX expectation result (its JSON form)."""
    config = outcome["expectation_config"]
    kwargs = config["kwargs"]
    column = kwargs.get("column")
    result = outcome.get("result") or {}
    observed = result.get("observed_value")
    if column is not None and column.endswith(PERSONAL_COLUMN_SUFFIXES):
        sample: tuple[str, ...] = ()
    elif config["type"] == COLUMNS_EXPECTATION and observed is not None:
        expected = list(kwargs.get("column_list") or [])
        sample = tuple(
            [f"+{name}" for name in observed if name not in expected]
            + [f"-{name}" for name in expected if name not in observed]
        )[:SAMPLE_SIZE]
    else:
        values = [str(v) for v in result.get("partial_unexpected_list") or [] if pd.notna(v)]
        sample = tuple(dict.fromkeys(values))[:SAMPLE_SIZE]
    return CheckResult(
        suite=suite,
        expectation=config["type"],
        column=column,
        success=bool(outcome["success"]),
        unexpected_count=result.get("unexpected_count"),
        unexpected_sample=sample,
        observed=_observed(observed),
        error=_error_message(outcome.get("exception_info") or {}),
    )


def _observed(value: Any) -> str | None:
    """A table-level observed value as text: a count, or a column list joined by commas."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return None if value is None or isinstance(value, dict) else str(value)


def _error_message(info: dict[str, Any]) -> str | None:
    """The exception message(s) of an expectation that raised, else None.

    GX reports either one ``{raised_exception, exception_message, …}`` dict or one such
    dict per failed metric.
    """
    infos = [info] if "raised_exception" in info else list(info.values())
    messages = [
        str(item.get("exception_message"))
        for item in infos
        if isinstance(item, dict) and item.get("raised_exception")
    ]
    return "; ".join(messages)[:500] or None
