"""Custom expectation: ``expect_column_values_to_be_iso_dates_between``.

The staged files are read as strings, and GX 1.24's ``expect_column_values_to_be_between``
cannot compare them with a date window: at run time it turns a ``$PARAMETER`` value such
as ``"2026-01-05"`` into a ``date`` and then refuses to compare it with a ``str`` column.
This expectation takes the strings as they are: a value passes when it is a real calendar
date written ``YYYY-MM-DD`` inside ``[min_value, max_value]`` (both inclusive), so a
malformed date (``2026-1-5``, ``2026-02-30``) fails too and is shown as it was written.
Nulls are skipped, as by every column map expectation.

Importing this module imports GX and registers the expectation, which must happen before
a suite that uses it is loaded (the runner and ``expectations.suites`` do so).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from great_expectations.core.suite_parameters import SuiteParameterDict
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics import (
    ColumnMapMetricProvider,
    column_condition_partial,
)
from great_expectations.render import LegacyRendererType, RenderedStringTemplateContent
from great_expectations.render.renderer.renderer import renderer

ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


class ColumnValuesIsoDateBetween(ColumnMapMetricProvider):
    """Row-wise condition: the value is an ISO date string inside the window."""

    condition_metric_name = "column_values.iso_date_between"
    condition_value_keys = ("min_value", "max_value")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls, column: pd.Series, min_value: date, max_value: date, **kwargs: Any
    ) -> pd.Series:
        text = column.astype(str)
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        inside = parsed.between(pd.Timestamp(min_value), pd.Timestamp(max_value))
        return text.str.fullmatch(ISO_DATE).astype(bool) & inside


class ExpectColumnValuesToBeIsoDatesBetween(ColumnMapExpectation):
    """Expect column values to be ``YYYY-MM-DD`` dates between min_value and max_value.

    Both bounds are inclusive and may be suite parameters (``{"$PARAMETER": "name"}``)
    given at run time as ISO strings or dates.
    """

    min_value: date | SuiteParameterDict
    max_value: date | SuiteParameterDict

    map_metric = "column_values.iso_date_between"
    success_keys = ("min_value", "max_value", "mostly")
    args_keys = ("column", "min_value", "max_value")

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls, configuration: Any = None, result: Any = None, **kwargs: Any
    ) -> list[RenderedStringTemplateContent]:
        """The Data Docs sentence: values must be dates from min_value to max_value."""
        params = dict(configuration.kwargs) if configuration else {}
        template = "values must be YYYY-MM-DD dates from $min_value to $max_value (inclusive)."
        return [
            RenderedStringTemplateContent(
                content_block_type="string_template",
                string_template={"template": template, "params": params},
            )
        ]
