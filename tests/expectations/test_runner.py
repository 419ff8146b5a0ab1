"""The GX validation runner: the old manual checklist, item by item, on small files.

Each case GIVEN a good file breaks exactly one checklist item, WHEN it is validated, THEN
exactly that check fails, with the offending values as sample. The first validation pays
the GX import (≈5 s); each later one takes about a second (mostly Data Docs).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.bench_validation import synthetic_request
from expectations.runner import (
    GX_PROJECT_ROOT,
    SUITES_DIR,
    UnknownPartnerError,
    ValidationOutcome,
    ValidationRequest,
    suite_names,
    validate,
)

REPO = GX_PROJECT_ROOT.parent
GX_ROOT = GX_PROJECT_ROOT / "gx"
ROWS = 6
PARTNERS = ["eastside_tenant_law", "northgate_housing"]
PERSONAL = ("defendant_name", "defendant_address", "plaintiff_name")

Mutation = Callable[[ValidationRequest], ValidationRequest]


def good(partner: str, docs_dir: Path, rows: int = ROWS) -> ValidationRequest:
    return synthetic_request(partner, rows, docs_dir)


def edit(request: ValidationRequest, column: str, row: int, value: str | None) -> pd.DataFrame:
    """A copy of the file with one cell changed (None: an empty cell)."""
    frame = request.frame.copy()
    frame.loc[row, column] = value
    return frame


def context_with(request: ValidationRequest, column: str, value: str) -> pd.DataFrame:
    """A copy of the context with one fact set on row 2."""
    context = request.context.copy()
    context.loc[2, column] = value
    return context


def failures(outcome: ValidationOutcome) -> dict[tuple[str, str | None], tuple[str, ...]]:
    """The failed checks, as (expectation, column) → sample."""
    return {
        (check.expectation, check.column): check.unexpected_sample
        for check in outcome.checks
        if not check.success
    }


@pytest.mark.parametrize("partner", PARTNERS)
def test_a_good_file_passes_every_check_of_both_suites(partner: str, tmp_path: Path):
    outcome = validate(good(partner, tmp_path))
    assert outcome.success, failures(outcome)
    assert {check.suite for check in outcome.checks} == {
        "courtlake_base",
        f"partner__{partner}",
    }
    assert outcome.gx_version.startswith("1.")
    # THEN the static Data Docs site is in docs_dir, and the summary is plain JSON
    assert outcome.docs_index == tmp_path.resolve() / "index.html"
    assert outcome.docs_index.is_file()
    assert list((tmp_path / "validations").rglob("*.html"))
    assert json.loads(json.dumps(outcome.to_json()))["success"] is True


BREAKS: dict[str, tuple[str, Mutation, tuple[str, str | None], tuple[str, ...]]] = {
    # id: (partner, GIVEN one break, THEN the only failing check, THEN its sample)
    "duplicate_key": (
        "eastside_tenant_law",
        lambda r: replace(r, frame=edit(r, "delivery_key", 3, r.frame.loc[1, "delivery_key"])),
        ("expect_column_values_to_be_unique", "delivery_key"),
        ("<key 1>",),
    ),
    "already_delivered": (
        "northgate_housing",
        lambda r: replace(r, context=context_with(r, "previously_delivered_week", "2026-11-16")),
        ("expect_column_values_to_be_null", "ctx__previously_delivered_week"),
        ("2026-11-16",),
    ),
    "null_required_column": (
        "northgate_housing",
        lambda r: replace(r, frame=edit(r, "status", 4, None)),
        ("expect_column_values_to_not_be_null", "status"),
        (),
    ),
    "zip_four_digits": (
        "eastside_tenant_law",
        lambda r: replace(r, frame=edit(r, "defendant_zip", 2, "3720")),
        ("expect_column_values_to_match_regex", "defendant_zip"),
        ("3720",),
    ),
    "case_number_not_eviction_format": (
        "northgate_housing",
        lambda r: replace(r, frame=edit(r, "case_number", 5, "26-CR-001234")),
        ("expect_column_values_to_match_regex", "case_number"),
        ("26-CR-001234",),
    ),
    "extra_column": (
        "eastside_tenant_law",
        lambda r: replace(r, frame=r.frame.assign(notes="x")),
        ("expect_table_columns_to_match_ordered_list", None),
        ("+notes",),
    ),
    "missing_column": (
        "northgate_housing",
        lambda r: replace(r, frame=r.frame.drop(columns="next_hearing_date")),
        ("expect_table_columns_to_match_ordered_list", None),
        ("-next_hearing_date",),
    ),
    "sealed_case": (
        "eastside_tenant_law",
        lambda r: replace(r, context=context_with(r, "removed_date", "2026-11-20")),
        ("expect_column_values_to_be_null", "ctx__removed_date"),
        ("2026-11-20",),
    ),
    "too_few_rows": (
        "eastside_tenant_law",
        lambda r: replace(r, min_rows=ROWS + 1),
        ("expect_table_row_count_to_be_between", None),
        (),
    ),
    "too_many_rows": (
        "northgate_housing",
        lambda r: replace(r, max_rows=ROWS - 1),
        ("expect_table_row_count_to_be_between", None),
        (),
    ),
    "empty_file_when_rows_required": (
        "eastside_tenant_law",
        lambda r: replace(r, frame=r.frame.iloc[:0], context=r.context.iloc[:0]),
        ("expect_table_row_count_to_be_between", None),
        (),
    ),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_a_file_breaking_one_checklist_item_fails_exactly_that_check(case: str, tmp_path: Path):
    partner, mutate, check, sample = BREAKS[case]
    request = good(partner, tmp_path)
    outcome = validate(mutate(request))
    assert not outcome.success
    expected = tuple(request.frame.loc[1, "delivery_key"] if s == "<key 1>" else s for s in sample)
    assert failures(outcome) == {check: expected}


def test_filing_dates_on_the_window_bounds_pass_and_any_other_date_fails(tmp_path: Path):
    # GIVEN filing dates on both bounds, before, after, malformed and impossible
    request = good("eastside_tenant_law", tmp_path)
    bounds = [request.window_start.isoformat(), request.window_end.isoformat()]
    bad = ["2026-10-25", "2026-11-23", "2026-11-2", "2026-02-30"]
    frame = request.frame.assign(filed_date=bounds + bad)
    outcome = validate(replace(request, frame=frame))
    # THEN only the window check fails, on exactly the four bad dates
    (check,) = [c for c in outcome.checks if not c.success]
    assert (check.expectation, check.column) == (
        "expect_column_values_to_be_iso_dates_between",
        "filed_date",
    )
    assert (check.unexpected_count, check.unexpected_sample) == (4, tuple(bad))


def test_an_empty_file_passes_when_the_week_may_be_empty(tmp_path: Path):
    request = good("northgate_housing", tmp_path)
    outcome = validate(
        replace(request, frame=request.frame.iloc[:0], context=request.context.iloc[:0], min_rows=0)
    )
    assert outcome.success, failures(outcome)
    row_count = next(c for c in outcome.checks if c.expectation.startswith("expect_table_row"))
    assert row_count.observed == "0"


def test_no_name_or_address_ever_appears_in_samples_or_data_docs(tmp_path: Path):
    # GIVEN a file breaking every check at once, names and addresses present
    request = good("northgate_housing", tmp_path)
    frame = request.frame.assign(notes="x")
    frame.loc[1, "delivery_key"] = frame.loc[0, "delivery_key"]
    frame.loc[0, ["defendant_name", "defendant_address", "status"]] = None
    frame.loc[2, ["filed_date", "defendant_zip", "case_number"]] = ["2020-01-01", "1", "x"]
    context = context_with(request, "previously_delivered_week", "2026-11-09")
    context.loc[3, "removed_date"] = "2026-11-01"
    outcome = validate(replace(request, frame=frame, context=context, min_rows=50))
    # THEN every kind of check failed, and no personal value is in a sample or a Data Docs page
    kinds = {check.expectation for check in outcome.checks}
    assert {check.expectation for check in outcome.checks if not check.success} == kinds
    personal = {v for c in PERSONAL for v in request.frame[c].dropna()}
    samples = {v for check in outcome.checks for v in check.unexpected_sample}
    assert not personal & samples
    pages = "".join(p.read_text() for p in tmp_path.rglob("*.html"))
    assert not [value for value in personal if value in pages]


def test_the_suites_only_check_personal_columns_for_nulls():
    # GIVEN samples and Data Docs show unexpected values: only nulls may be unexpected there
    for path in SUITES_DIR.glob("*.json"):
        for expectation in json.loads(path.read_text())["expectations"]:
            if expectation["kwargs"].get("column", "").endswith(("_name", "_address")):
                assert expectation["type"] == "expect_column_values_to_not_be_null", path.name


def test_an_unknown_partner_or_a_misaligned_context_is_a_clear_error(tmp_path: Path):
    request = good("eastside_tenant_law", tmp_path)
    with pytest.raises(UnknownPartnerError, match="partner__nobody"):
        validate(replace(request, partner="nobody"))
    with pytest.raises(ValueError, match="context has 5 rows"):
        validate(replace(request, context=request.context.iloc[:5]))


def test_suite_names_lists_the_partner_suites_without_gx():
    script = (
        "import sys, json; from expectations.runner import suite_names; "
        "print(json.dumps([suite_names(), 'great_expectations' in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, check=True, capture_output=True, text=True
    )
    names, gx_imported = json.loads(out.stdout)
    assert names == ["partner__eastside_tenant_law", "partner__northgate_housing"]
    assert names == suite_names()
    assert gx_imported is False


def _gx_folder_state() -> tuple[dict[str, tuple[int, int]], str | None]:
    """Every file under expectations/gx (mtime, size) and `git status` of expectations/."""
    files = {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in GX_ROOT.rglob("*")}
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "expectations/"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    return files, status.stdout if status.returncode == 0 else None


def test_validation_writes_nothing_into_the_gx_folder_and_leaves_git_status_alone(
    tmp_path: Path,
):
    # GIVEN the state of the committed file context (clean in a fresh checkout)
    before = _gx_folder_state()
    # WHEN a file is validated, THEN no file there is written, not even an ignored one
    assert validate(good("eastside_tenant_law", tmp_path / "docs")).success
    assert _gx_folder_state() == before


def test_the_committed_suites_match_their_definitions(tmp_path: Path):
    # GIVEN a copy of the committed file context, WHEN the suites are written again
    from expectations.suites import write_suites

    shutil.copytree(GX_ROOT, tmp_path / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    written = write_suites(tmp_path)
    # THEN nothing changed: the JSON files are exactly the committed ones
    assert sorted(p.name for p in written) == sorted(p.name for p in SUITES_DIR.glob("*.json"))
    for path in written:
        assert path.read_text() == (SUITES_DIR / path.name).read_text(), path.name
