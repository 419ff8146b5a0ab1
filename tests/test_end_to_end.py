"""End to end: three Mondays of `courtlake weekly` on the simulator (the demo, smaller).

GIVEN the portal simulator, WHEN three consecutive weekly runs scrape it, build the
models and deliver (the reviewer approving the manual partner each week), and a court
seals a case the never-resend partner received in week 1, THEN, checked against the
simulator's truth export:
- every delivered row is a real eviction case of that court, filed on that date, still
  visible that Monday, naming that defendant, delivered in the partner's window or, a
  late posting or a defendant added after filing, first listed since the previous
  Monday and filed within the partner's late-postings window;
- week 1 gives the never partner exactly the truth's eligible cases (its courts and
  window, a defendant with an address);
- by the truth's party identity (party_key, the same through added defendants,
  re-ordered lists, corrected names, initials): each person keeps one delivery key, the
  never partner never gets a person twice, and the on_change partner gets a person again
  only with a changed hearing / status / judgment / writ (and does, for some);
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
# (regular window, late-postings window) in days: meta.delivery.eligibility of each partner
WINDOWS = {NEVER: (14, 120), ON_CHANGE: (60, 180)}


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


def _party_keys(demo: DemoResult, week: date) -> dict[tuple[str, str], str]:
    """(case_number, printed defendant name) → the truth's party_key on `week`."""
    return {
        (c["case_number"], p["name"]): p["party_key"]
        for c in demo.truth[str(week)]["cases"]
        for p in c["parties"]
        if p["role"] == "Defendant" and not p["is_pseudo"]
    }


def _people(demo: DemoResult, partner: str, week: date) -> list[tuple[str, str, dict]]:
    """The partner's file of `week` as (party_key, delivery_key, row)."""
    keys = _party_keys(demo, week)
    frame = _partner_file(demo.lake, partner, week)
    return [
        (keys[(row["case_number"], row["defendant_name"])], row["delivery_key"], row)
        for row in frame.to_dict("records")
    ]


def test_delivered_rows_are_real_visible_cases_in_the_window(demo: DemoResult) -> None:
    for i, week in enumerate(demo.weeks):
        cases = {c["case_number"]: c for c in demo.truth[str(week)]["cases"]}
        listed_before = set(_party_keys(demo, demo.weeks[i - 1]).values()) if i else None
        for partner, (days, late_days) in WINDOWS.items():
            frame = _partner_file(demo.lake, partner, week)
            assert len(frame), f"{partner} {week}: empty"
            keys = _party_keys(demo, week)
            for row in frame.itertuples(index=False):
                case = cases.get(row.case_number)
                assert case is not None, f"{row.case_number} not visible on {week}"
                assert case["kind"] == "eviction"
                assert case["court_name"] == row.court
                assert case["filed_date"] == row.filed_date
                assert (row.case_number, row.defendant_name) in keys, "not a listed defendant"
                filed = date.fromisoformat(row.filed_date)
                if not week - timedelta(days=days) <= filed <= week:
                    # a late posting (or an added defendant): first listed since last week
                    assert listed_before is not None, f"{row.case_number}: outside the window"
                    assert keys[(row.case_number, row.defendant_name)] not in listed_before
                    assert week - timedelta(days=late_days) <= filed <= week
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


def test_never_partner_never_gets_a_person_twice_and_on_change_resends_changes(
    demo: DemoResult,
) -> None:
    key_of: dict[str, str] = {}  # party_key → delivery key
    seen: set[str] = set()
    for week in demo.weeks:
        people = _people(demo, NEVER, week)
        persons = [person for person, _, _ in people]
        assert len(persons) == len(set(persons)) and not set(persons) & seen
        seen |= set(persons)
    last: dict[str, tuple] = {}
    resent = 0
    for week in demo.weeks:
        for person, _, row in _people(demo, ON_CHANGE, week):
            values = tuple(row[f] for f in CHANGE_FIELDS)
            if person in last:
                resent += 1
                assert values != last[person], "re-sent without a change"
            last[person] = values
    assert resent > 0, "late details should have re-sent some cases"
    for partner in (NEVER, ON_CHANGE):
        for week in demo.weeks:
            for person, key, _ in _people(demo, partner, week):
                assert key_of.setdefault(person, key) == key, f"{person} under two keys"


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
