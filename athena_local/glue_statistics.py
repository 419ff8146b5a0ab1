"""Glue column statistics for moto's Glue, which lacks them.

Trino's Hive connector reads, writes and deletes column statistics with every table and
partition it writes (`DeleteColumnStatisticsForTable` on each CTAS, even with
statistics collection off); moto 5.2 answers those six calls with HTTP 500
("has not been implemented"). This module gives moto's `GlueResponse` a store for them
with Glue's semantics: per table or partition, per column, dropped with the table (a
re-created table starts empty). Deleting statistics a column does not have succeeds:
Trino deletes them for every column of a table it has just created, and maps Glue's
EntityNotFoundException to "table not found", failing the CTAS.
"""

from __future__ import annotations

import weakref
from typing import Any

from moto.core.responses import ActionResult
from moto.glue.responses import GlueResponse

# FakeTable → {partition values (() for the table itself) → {column → ColumnStatistics}}
_STORE: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...], dict[str, dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def _columns(response: GlueResponse, partition: bool) -> dict[str, dict[str, Any]]:
    parameters = response.parameters
    table = response.glue_backend.get_table(parameters["DatabaseName"], parameters["TableName"])
    if partition:
        values = tuple(parameters["PartitionValues"])
        response.glue_backend.get_partition(
            parameters["DatabaseName"], parameters["TableName"], list(values)
        )
    else:
        values = ()
    return _STORE.setdefault(table, {}).setdefault(values, {})


def _get(response: GlueResponse, partition: bool) -> ActionResult:
    stored = _columns(response, partition)
    wanted = response.parameters.get("ColumnNames", [])
    found = [stored[name] for name in wanted if name in stored]
    return ActionResult({"ColumnStatisticsList": found, "Errors": []})


def _update(response: GlueResponse, partition: bool) -> ActionResult:
    stored = _columns(response, partition)
    for statistics in response.parameters.get("ColumnStatisticsList", []):
        stored[statistics["ColumnName"]] = statistics
    return ActionResult({"Errors": []})


def _delete(response: GlueResponse, partition: bool) -> ActionResult:
    stored = _columns(response, partition)
    stored.pop(response.parameters["ColumnName"], None)
    return ActionResult({})


def install() -> None:
    """Answer the six column-statistics calls in this process's moto Glue."""
    for verb, handler in (("get", _get), ("update", _update), ("delete", _delete)):
        for scope, partition in (("table", False), ("partition", True)):

            def action(self: GlueResponse, _h: Any = handler, _p: bool = partition) -> Any:
                return _h(self, _p)

            setattr(GlueResponse, f"{verb}_column_statistics_for_{scope}", action)
