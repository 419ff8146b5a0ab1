"""End to end: three Mondays of `courtlake weekly` on the simulator (the demo, smaller).

GIVEN the portal simulator, WHEN three consecutive weekly runs scrape it, build the
models and deliver (the reviewer approving the manual partner each week), and a court
seals a case the never-resend partner received in week 1, THEN, checked against the
simulator's truth export:
- every delivered row is a real eviction case of that court, filed on that date, still
  visible that Monday, delivered in the partner's window;
- week 1 gives the never partner exactly the truth's eligible cases (its courts and
  window, a defendant with an address);
- the never partner never gets a key twice; the on_change partner gets keys again, each
  time with a changed hearing / status / judgment / writ;
- the sealed case is withdrawn in week 3 (its tombstone needs two missed visits) and is
  absent from every mart.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from demo.__main__ import NEVER, ON_CHANGE, DemoResult, run_demo

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

NEVER_COURTS = {f"General Sessions Civil, Division {n}" for n in (1, 2, 3)}
CHANGE_FIELDS = ["status", "next_hearing_date", "judgment_type", "judgment_date", "has_writ"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("e2e") / "out", weeks=3, scale=0.4)


def _partner_file(lake: Path, partner: str, week: date, name: str | None = None) -> pd.DataFrame:
    path = lake / "partners" / partner / str(week) / (name or f"{partner}_{week}.csv")
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(io.BytesIO(path.read_bytes()), dtype=str, keep_default_na=False)


def test_every_week_runs_cleanly_and_both_partners_are_promoted(demo: DemoResult) -> None:
    assert demo.exit_codes == [0, 0, 0]
    for week in demo.weeks:
        for partner in (NEVER, ON_CHANGE):
            assert (demo.lake / "partners" / partner / str(week) / "manifest.json").exists()
        assert (demo.lake / "reports" / str(week) / "index.html").exists()


def test_delivered_rows_are_real_visible_cases_in_the_window(demo: DemoResult) -> None:
    for week in demo.weeks:
        cases = {c["case_number"]: c for c in demo.truth[str(week)]["cases"]}
        for partner, days in ((NEVER, 14), (ON_CHANGE, 60)):
            frame = _partner_file(demo.lake, partner, week)
            assert len(frame), f"{partner} {week}: empty"
            for row in frame.itertuples(index=False):
                case = cases.get(row.case_number)
                assert case is not None, f"{row.case_number} not visible on {week}"
                assert case["kind"] == "eviction"
                assert case["court_name"] == row.court
                assert case["filed_date"] == row.filed_date
                filed = date.fromisoformat(row.filed_date)
                assert week - timedelta(days=days) <= filed <= week
                defendants = {p["name"] for p in case["parties"] if p["role"] == "Defendant"}
                assert row.defendant_name in defendants
            if partner == NEVER:
                assert set(frame["court"]) <= NEVER_COURTS


def test_week_one_sends_the_never_partner_exactly_the_eligible_cases(demo: DemoResult) -> None:
    week = demo.weeks[0]
    expected = {
        c["case_number"]
        for c in demo.truth[str(week)]["cases"]
        if c["kind"] == "eviction"
        and c["court_name"] in NEVER_COURTS
        and week - timedelta(days=14) <= date.fromisoformat(c["filed_date"]) <= week
        and any(
            p["role"] == "Defendant" and not p["is_pseudo"] and p["address"] for p in c["parties"]
        )
    }
    delivered = set(_partner_file(demo.lake, NEVER, week)["case_number"])
    assert delivered == expected


def test_never_partner_never_gets_a_key_twice_and_on_change_resends_changes(
    demo: DemoResult,
) -> None:
    seen: set[str] = set()
    for week in demo.weeks:
        keys = set(_partner_file(demo.lake, NEVER, week)["delivery_key"])
        assert not keys & seen
        seen |= keys
    last: dict[str, tuple] = {}
    resent = 0
    for week in demo.weeks:
        frame = _partner_file(demo.lake, ON_CHANGE, week)
        for row in frame.to_dict("records"):
            values = tuple(row[f] for f in CHANGE_FIELDS)
            if row["delivery_key"] in last:
                resent += 1
                assert values != last[row["delivery_key"]], "re-sent without a change"
            last[row["delivery_key"]] = values
    assert resent > 0, "late details should have re-sent some cases"


def test_the_sealed_case_is_withdrawn_and_gone_from_the_marts(demo: DemoResult) -> None:
    assert demo.sealed, "the demo should have sealed a delivered case"
    final = demo.weeks[-1]
    removals = {r["case_number"] for r in demo.truth[str(final)]["removals"]}
    assert demo.sealed in removals
    withdrawn = _partner_file(demo.lake, NEVER, final, f"withdrawals_{final}.csv")
    assert demo.sealed in set(withdrawn["case_number"])
    for week in demo.weeks[:-1]:  # withdrawn once, when the tombstone landed
        earlier = _partner_file(demo.lake, NEVER, week, f"withdrawals_{week}.csv")
        assert demo.sealed not in set(earlier.get("case_number", []))
    database = demo.out / "warehouse" / "courtlake.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.sql(
            "select table_name from information_schema.columns "
            "where table_schema = 'main_marts' and column_name = 'case_number'"
        ).fetchall()
        assert tables
        for (table,) in tables:
            hits = con.execute(
                f"select count(*) from main_marts.{table} where case_number = ?", [demo.sealed]
            ).fetchone()
            assert hits == (0,), f"{demo.sealed} still in {table}"
