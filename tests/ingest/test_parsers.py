"""Parsers against saved example pages: each page has a reviewed expected-output JSON.

To add an example, save the page under tests/examples/<portal>/ and its expected records
as <name>.expected.json next to it (review it by reading the page!).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from ingest.errors import CaptchaRequired, CaseNotFound, PageStructureError
from ingest.parsers.jail_roster import parse_booking, parse_roster_page
from ingest.parsers.odyssey import (
    check_search_refused,
    parse_case_detail,
    parse_dashboard,
    parse_results_grid,
    parse_results_json,
)

EXAMPLES = Path(__file__).parents[1] / "examples"

PARSERS: dict[str, Any] = {
    "odyssey/dashboard.html": parse_dashboard,
    "odyssey/results_eviction.json": lambda text: parse_results_json(json.loads(text)),
    "odyssey/results_eviction_grid.html": parse_results_grid,
    "odyssey/results_eviction_grid_variant.html": parse_results_grid,
    "odyssey/case_eviction.html": parse_case_detail,
    "odyssey/case_criminal.html": parse_case_detail,
    "jail_roster/roster_page.html": parse_roster_page,
    "jail_roster/booking.html": parse_booking,
}


def expected_path(page: str) -> Path:
    return (EXAMPLES / page).with_suffix(".expected.json")


def as_json(record: Any) -> Any:
    return json.loads(json.dumps(asdict(record), ensure_ascii=False))


@pytest.mark.parametrize("page", sorted(PARSERS))
def test_parser_output_equals_the_reviewed_expectation(page: str) -> None:
    parsed = PARSERS[page]((EXAMPLES / page).read_text())
    assert as_json(parsed) == json.loads(expected_path(page).read_text())


def test_session_json_and_rendered_grid_give_the_same_rows() -> None:
    from_json = parse_results_json(
        json.loads((EXAMPLES / "odyssey/results_eviction.json").read_text())
    )
    from_grid = parse_results_grid((EXAMPLES / "odyssey/results_eviction_grid.html").read_text())
    variant = parse_results_grid(
        (EXAMPLES / "odyssey/results_eviction_grid_variant.html").read_text()
    )

    def strip(page: Any) -> list[tuple]:
        return [
            (r.case_number, r.filed_date, r.party_name, r.status, r.location) for r in page.rows
        ]

    assert strip(from_json) == strip(from_grid) == strip(variant)


def test_a_not_found_page_raises_case_not_found() -> None:
    with pytest.raises(CaseNotFound):
        parse_case_detail((EXAMPLES / "odyssey/case_not_found.html").read_text())
    with pytest.raises(CaseNotFound):
        parse_booking((EXAMPLES / "jail_roster/booking_released.html").read_text())


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<html><body><div id='app'></div></body></html>",
        "<html><body><h1>An unexpected error has occurred.</h1></body></html>",
    ],
)
def test_soft_failures_fail_the_structural_check_instead_of_parsing_as_empty(body: str) -> None:
    for parser in (
        parse_case_detail,
        parse_results_grid,
        parse_roster_page,
        parse_booking,
        parse_dashboard,
    ):
        with pytest.raises(PageStructureError):
            parser(body)


def test_a_detail_page_missing_a_section_is_rejected() -> None:
    page = (EXAMPLES / "odyssey/case_eviction.html").read_text()
    broken = page.replace('id="eventsInformationDiv"', 'id="somethingElse"')
    with pytest.raises(PageStructureError, match="eventsInformationDiv"):
        parse_case_detail(broken)


def test_a_dashboard_with_captcha_switched_on_stops_the_search() -> None:
    page = (EXAMPLES / "odyssey/dashboard.html").read_text()
    with_captcha = page.replace(
        'name="Settings.CaptchaEnabled" value="False"',
        'name="Settings.CaptchaEnabled" value="True"',
    )
    assert parse_dashboard(with_captcha).captcha_enabled
    with pytest.raises(CaptchaRequired):
        check_search_refused(with_captcha)


def test_the_balance_line_is_volatile_and_stays_out_of_the_change_hash() -> None:
    page = (EXAMPLES / "odyssey/case_eviction.html").read_text()
    today = parse_case_detail(page)
    year, month, day = today.balance_as_of.split("-")
    tomorrow = parse_case_detail(
        page.replace(f"Balance Due as of {month}/{day}/{year}", "Balance Due as of 12/31/2026")
    )
    assert tomorrow.balance_as_of == "2026-12-31"
    assert tomorrow.change_hash() == today.change_hash()
    changed = parse_case_detail(
        page.replace(
            f'"CaseStatus" class="roa-value">{today.status}<',
            '"CaseStatus" class="roa-value">Closed<',
        )
    )
    assert changed.status == "Closed"
    assert changed.change_hash() != today.change_hash()
