"""Exactly-once delivery over 8 consecutive weeks, with failures at every step.

GIVEN a generated world (benchmarks.raw_generator) that gains one weekly scrape
partition per week and whose dockets change the way courts change them (defendants
added after filing, some listed before the others; the occupants pseudo-party dropped;
lists re-ordered; names corrected or reduced to initials; one court posting cases later
than every partner's window), and the two shipped partners (eastside_tenant_law: resend
never, review auto; northgate_housing: resend on_change, review manual; both take late
postings),
WHEN each week runs build → export → validate → promote with, on the way, SIGKILLs
inside export, validate, promote and dbt itself, failures at the boundaries between
steps (the run stops, then is re-run), a batch that fails validation, and a `manual`
week nobody approved in time,
THEN every kill happened where it was aimed (SIGKILL, and the step's half-written
state shows the point); each person of the world (the generator's truth, not the
page's position) keeps one delivery key through the churn; for the never partner no
person is in two promoted files, for the on_change partner a person is re-sent exactly
when a listed field changed; every week that promotes sends exactly the people eligible
that week (filed in the window, or first seen since the previous delivery) and not sent
before, so a person held back by a failure goes out in the first week that succeeds
while still eligible; withdrawals go out once for delivered keys of removed cases, and
the ledger equals the promoted files. The churn events seen are counted and printed.

The expected sets are computed here, in pandas, from the mart (fct_eviction_filings),
the generator's truth and the partner configuration, independently of the delivery SQL.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from benchmarks.raw_generator import add_week, party_truth, write_raw_tables
from courtlake.crashpoints import ENV as CRASH_ENV
from courtlake.lake import LocalLake
from orchestration.dbt import PROJECT_DIR, DbtProject
from orchestration.deliver import Deliveries
from orchestration.deliveries.layout import MANIFEST, BatchLayout
from orchestration.deliveries.ledger import read_ledger
from orchestration.deliveries.promote import PromoteStatus
from orchestration.deliveries.records import StagedManifest, sha256_hex
from orchestration.deliveries.validate import read_csv
from orchestration.partners import Partner, ResendPolicy

pytestmark = pytest.mark.slow

START = date(2026, 9, 7)  # a Monday: the generator scrapes weekly from here
WEEKS = [START + timedelta(days=7 * i) for i in range(8)]
NEVER, ON_CHANGE = "eastside_tenant_law", "northgate_housing"
SELECT = ["--select", f"+delivery__{NEVER}", f"+delivery__{ON_CHANGE}"]
KILL_DBT_AT = "fct_eviction_filings"  # SIGKILL dbt once it starts building this model
INITIALS = re.compile(r"^\w\., \w\.$")
OCCUPANTS = "ALL OTHER OCCUPANTS"


@dataclass
class Run:
    """The lake, warehouse and dbt project of the 8 weeks, and what the test expects."""

    lake: LocalLake
    dbt: DbtProject
    deliveries: Deliveries
    partners: dict[str, Partner]
    # person (truth) → the change-field values last sent (never: any value)
    sent: dict[str, dict[str, tuple]] = field(default_factory=dict)
    # partner → promoted weeks; (week) → delivery key → person
    promoted: dict[str, list[date]] = field(default_factory=dict)
    people: dict[date, dict[str, str]] = field(default_factory=dict)
    withdrawn: dict[str, set[str]] = field(default_factory=dict)
    # (partner, week) → (expected delivered keys, expected withdrawn keys)
    expected: dict[tuple[str, date], tuple[set[str], set[str]]] = field(default_factory=dict)
    # (partner, week) → {key: change-field values} and {key: (court, case_number)}
    eligible_values: dict[tuple[str, date], dict[str, tuple]] = field(default_factory=dict)
    eligible_cases: dict[tuple[str, date], dict[str, tuple[str, str]]] = field(default_factory=dict)
    sent_cases: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def env(self, crash_at: str | None = None) -> dict[str, str]:
        env = self.dbt.env()
        env.pop(CRASH_ENV, None)
        if crash_at:
            env[CRASH_ENV] = crash_at
        return env

    def cli(self, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
        """`courtlake deliver …` in its own process (so a crash point can kill it)."""
        command = [sys.executable, "-m", "orchestration.cli", "deliver", *args]
        command += ["--lake", self.lake.uri()]
        return subprocess.run(
            command, cwd=PROJECT_DIR, env=self.env(crash_at), capture_output=True, text=True
        )

    def build(self, week: date) -> None:
        self.dbt.run(["run", *SELECT], {"delivery_week": week.isoformat()})

    def build_killed(self, week: date, model: str) -> list[str]:
        """Start the build, SIGKILL dbt (its whole process group) as soon as it starts
        building `model`; check it died by that signal before finishing. Its output."""
        command = [str(Path(sys.executable).with_name("dbt")), "run", *SELECT]
        command += ["--project-dir", str(PROJECT_DIR), "--vars", f"{{delivery_week: {week}}}"]
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        seen: list[str] = []
        for line in process.stdout:
            seen.append(line)
            if "START sql" in line and f".{model} " in line:
                os.killpg(process.pid, signal.SIGKILL)
                break
        process.stdout.close()
        code = process.wait()
        assert code == -signal.SIGKILL, f"dbt was not killed (exit {code}): {seen[-5:]}"
        assert any(f".{model} " in line for line in seen), "dbt never reached the kill point"
        assert not any("Finished running" in line for line in seen), "dbt finished first"
        return seen

    def snapshot_expectations(self, week: date, truth: pd.DataFrame) -> None:
        """What each partner must receive for `week` if its batch is promoted, given
        what it was sent so far (computed from the mart and the truth, not from the
        delivery SQL)."""
        database = self.dbt.warehouse / "courtlake.duckdb"
        with duckdb.connect(str(database), read_only=True) as con:
            mart = con.sql("select * from main_marts.fct_eviction_filings").df()
            removed = con.sql(
                "select court, case_number from main_staging.stg_court__removals"
            ).df()
        removed_cases = set(zip(removed["court"], removed["case_number"], strict=True))
        mart = _with_people(mart, truth)
        self.people[week] = dict(zip(mart["defendant_party_id"], mart["person_id"], strict=True))
        for name, partner in self.partners.items():
            rules = partner.eligibility
            start, end = partner.window(week)
            filed = pd.to_datetime(mart[rules.date_column]).dt.date
            keep = (filed >= start) & (filed <= end)
            earlier = [w for w in self.promoted.get(name, []) if w < week]
            late = partner.late_window(week, max(earlier) if earlier else None)
            if late:
                since, dated_from, dated_to = late
                seen = mart["person_first_seen"]
                keep |= (
                    (seen > since) & (seen <= week) & (filed >= dated_from) & (filed <= dated_to)
                )
            if rules.courts:
                keep &= mart["court"].isin(rules.courts)
            for flag in rules.require_true:
                keep &= mart[flag].astype(bool)
            eligible = mart[keep]
            sent = self.sent.setdefault(name, {})
            fields = partner.resend.fields
            deliver = set()
            for row in eligible.itertuples(index=False):
                key, person = row.defendant_party_id, row.person_id
                values = tuple(_text(getattr(row, f)) for f in fields)
                if person not in sent or (
                    partner.resend.policy is ResendPolicy.ON_CHANGE and sent[person] != values
                ):
                    deliver.add(key)
            withdraw = {
                key
                for key, (court, number) in self.sent_cases.get(name, {}).items()
                if (court, number) in removed_cases and key not in self.withdrawn.get(name, set())
            }
            self.expected[(name, week)] = (deliver, withdraw)
            self.eligible_values[(name, week)] = {
                row.defendant_party_id: tuple(_text(getattr(row, f)) for f in fields)
                for row in eligible.itertuples(index=False)
            }
            self.eligible_cases[(name, week)] = {
                row.defendant_party_id: (row.court, row.case_number)
                for row in eligible.itertuples(index=False)
            }

    def record_promotion(self, name: str, week: date) -> None:
        """The partner received `week`'s batch: update what it holds."""
        deliver, withdraw = self.expected[(name, week)]
        values, cases = self.eligible_values[(name, week)], self.eligible_cases[(name, week)]
        for key in deliver:
            self.sent[name][self.people[week][key]] = values[key]
            self.sent_cases.setdefault(name, {})[key] = cases[key]
        self.withdrawn.setdefault(name, set()).update(withdraw)
        self.promoted.setdefault(name, []).append(week)


def _with_people(mart: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """The mart with each defendant's person (truth) and the first visit listing them."""
    listed = truth.assign(scrape_date=pd.to_datetime(truth["scrape_date"]).dt.date)
    first_seen = listed.groupby("person_id")["scrape_date"].min().rename("person_first_seen")
    rows = mart.assign(
        scrape_date=pd.to_datetime(mart["last_scraped_date"]).dt.date,
        party_seq=mart["defendant_seq"].astype("int32"),
    ).merge(
        listed[["court", "case_number", "scrape_date", "party_seq", "person_id"]],
        on=["court", "case_number", "scrape_date", "party_seq"],
        how="left",
        validate="one_to_one",
    )
    assert rows["person_id"].notna().all(), "a mart defendant the truth does not list"
    return rows.merge(first_seen, left_on="person_id", right_index=True)


def churn_events(truth: pd.DataFrame) -> dict[str, int]:
    """How often each kind of docket change shows between consecutive visits of a case
    in the truth, and how many late-posted cases appeared during the run."""
    rows = truth.sort_values(["court", "case_number", "scrape_date", "party_seq"])
    visits = rows.groupby(["court", "case_number"])["scrape_date"].unique()
    by_visit = {key: frame for key, frame in rows.groupby(["court", "case_number", "scrape_date"])}
    counts = dict.fromkeys(
        ("defendant_added", "added_before_others", "occupants_dropped", "reordered",
         "name_corrected", "reduced_to_initials", "late_posting"), 0,
    )  # fmt: skip
    # cases posted late that first appeared during the run (not in the backfill)
    first_visit = rows.groupby(["court", "case_number"])["scrape_date"].min()
    late = rows.loc[rows["is_late_posting"], ["court", "case_number"]].drop_duplicates()
    counts["late_posting"] = int(
        (first_visit.loc[pd.MultiIndex.from_frame(late)] > rows["scrape_date"].min()).sum()
    )
    for case, dates in visits.items():
        for before, after in itertools.pairwise(dates):
            old, new = by_visit[(*case, before)], by_visit[(*case, after)]
            old_people = old[old["is_person"]].set_index("person_id")
            new_people = new[new["is_person"]].set_index("person_id")
            added = new_people.index.difference(old_people.index)
            counts["defendant_added"] += len(added)
            if len(added) and len(old_people):
                kept = new_people.loc[new_people.index.intersection(old_people.index)]
                if len(kept) and new_people.loc[added, "party_seq"].min() < kept["party_seq"].min():
                    counts["added_before_others"] += 1
            had, has = (frame["party_name"].eq(OCCUPANTS).any() for frame in (old, new))
            counts["occupants_dropped"] += int(had and not has)
            both = old_people.index.intersection(new_people.index)
            if len(both) > 1:
                order_old = old_people.loc[both, "party_seq"].sort_values().index.tolist()
                order_new = new_people.loc[both, "party_seq"].sort_values().index.tolist()
                counts["reordered"] += int(order_old != order_new)
            for person in both:
                was, now = old_people.at[person, "party_name"], new_people.at[person, "party_name"]
                if was != now:
                    kind = "reduced_to_initials" if INITIALS.match(now) else "name_corrected"
                    counts[kind] += 1
    return counts


def _text(value: object) -> tuple | str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("exactly-once")
    lake = LocalLake(root / "lake")
    write_raw_tables(root / "lake", cases=4000, weeks=1, seed=11, start=START, churn=True)
    dbt = DbtProject(lake=lake.uri(), warehouse=root / "warehouse", target_path=root / "target")
    dbt.run(["seed"])
    deliveries = Deliveries.open(lake, dbt)
    partners = {p.name: p for p in deliveries.partners()}
    assert partners[NEVER].resend.policy is ResendPolicy.NEVER
    assert partners[ON_CHANGE].resend.policy is ResendPolicy.ON_CHANGE
    return Run(lake, dbt, deliveries, partners)


def _tamper_duplicate_row(run: Run, name: str, week: date) -> None:
    """A bad export: the staged file carries one row twice (and a manifest to match)."""
    layout = BatchLayout(name, week)
    manifest = StagedManifest.model_validate_json(run.lake.get(layout.staged(MANIFEST)))
    data = run.lake.get(layout.staged(manifest.data.name))
    lines = data.decode().splitlines(keepends=True)
    assert len(lines) > 1, "the week needs at least one row to duplicate"
    bad = "".join([*lines, lines[1]]).encode()
    run.lake.put(layout.staged(manifest.data.name), bad)
    entry = manifest.data.model_copy(update={"sha256": sha256_hex(bad), "rows": len(lines)})
    run.lake.put(layout.staged(MANIFEST), manifest.model_copy(update={"data": entry}).to_bytes())


def test_eight_weeks_with_failures_deliver_exactly_once(run: Run) -> None:
    d, never, on_change = run.deliveries, run.partners[NEVER], run.partners[ON_CHANGE]

    def step_week(week: date, *, review: bool = True) -> None:
        d.export(week, [never, on_change])
        d.validate(week, [never, on_change])
        results = d.promote(week, [never, on_change])
        statuses = {r.partner: r.status for r in results}
        assert statuses[NEVER] is PromoteStatus.PROMOTED, results
        assert statuses[ON_CHANGE] is PromoteStatus.AWAITING_REVIEW, results
        run.record_promotion(NEVER, week)
        if review:
            [approved] = d.promote(week, [on_change], reviewed=True)
            assert approved.status is PromoteStatus.PROMOTED, approved
            run.record_promotion(ON_CHANGE, week)

    for i, week in enumerate(WEEKS):
        if i:
            add_week(Path(run.lake.uri()))
        if i == 5:
            # SIGKILL inside the dbt build (checked), then the re-run
            run.build_killed(week, KILL_DBT_AT)
        run.build(week)
        if i == 4:
            # a failure at the build → export boundary: the run stops; the re-run
            # builds the week again (its batch is replaced, not appended)
            run.build(week)
        run.snapshot_expectations(week, party_truth(Path(run.lake.uri())).to_pandas())

        if i == 1:
            # SIGKILL between the partner's file and the ledger; the re-run repairs
            d.export(week, [never, on_change])
            d.validate(week, [never, on_change])
            killed = run.cli("promote", "--week", str(week), crash_at="promote.after_partner_file")
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            assert run.lake.exists(BatchLayout(NEVER, week).delivered(f"{NEVER}_{week}.csv"))
            assert not run.lake.exists(BatchLayout(NEVER, week).ledger)
            [repaired] = d.promote(week, [never])
            assert repaired.status is PromoteStatus.REPAIRED, repaired
            [again] = d.promote(week, [never])
            assert again.status is PromoteStatus.ALREADY_PROMOTED
            run.record_promotion(NEVER, week)
            [approved] = d.promote(week, [on_change], reviewed=True)
            assert approved.status is PromoteStatus.PROMOTED
            run.record_promotion(ON_CHANGE, week)
        elif i == 2:
            # a bad batch: caught by validation, not promoted; its rows come back
            d.export(week, [never, on_change])
            _tamper_duplicate_row(run, NEVER, week)
            records = {r.partner: r for r in d.validate(week, [never, on_change])}
            assert not records[NEVER].success
            assert any("unique" in p for p in records[NEVER].problems), records[NEVER].problems
            assert records[ON_CHANGE].success
            results = {r.partner: r for r in d.promote(week, [never])}
            assert results[NEVER].status is PromoteStatus.REFUSED
            assert not run.lake.exists(BatchLayout(NEVER, week).ledger)
            [approved] = d.promote(week, [on_change], reviewed=True)
            assert approved.status is PromoteStatus.PROMOTED
            run.record_promotion(ON_CHANGE, week)
        elif i == 3:
            # SIGKILL inside export (after the file, before its manifest), then the re-run
            killed = run.cli("export", "--week", str(week), crash_at="export.after_csv")
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            # killed after the first partner's file, before its manifest
            first = BatchLayout(NEVER, week)
            assert run.lake.exists(first.staged(f"{NEVER}_{week}.csv"))
            assert not run.lake.exists(first.staged(MANIFEST))
            step_week(week)
        elif i == 4:
            # nobody approves the manual partner this week
            step_week(week, review=False)
        elif i == 5:
            step_week(week)
            # the reviewer comes back to last week's batch: refused, its rows went out now
            [late] = d.promote(WEEKS[4], [on_change], reviewed=True)
            assert late.status is PromoteStatus.REFUSED, late
        elif i == 6:
            # SIGKILL inside validate (before the result is written): promote refuses
            d.export(week, [never, on_change])
            killed = run.cli("validate", "--week", str(week), crash_at="validate.before_record")
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            # killed before any validation record of the week was written
            assert not run.lake.exists(BatchLayout(NEVER, week).validation)
            refused = {r.partner: r for r in d.promote(week, [never])}
            assert refused[NEVER].status is PromoteStatus.REFUSED
            d.validate(week, [never, on_change])
            [promoted] = d.promote(week, [never])
            assert promoted.status is PromoteStatus.PROMOTED
            run.record_promotion(NEVER, week)
            # the reviewer's promotion dies before the ledger; re-run completes it
            killed = run.cli(
                "promote", "--week", str(week), "--partner", ON_CHANGE,
                crash_at="promote.before_ledger",
            )  # fmt: skip
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            # killed after the partner's file, before the ledger
            second = BatchLayout(ON_CHANGE, week)
            assert run.lake.exists(second.delivered(f"{ON_CHANGE}_{week}.csv"))
            assert not run.lake.exists(second.ledger)
            [repaired] = d.promote(week, [on_change], reviewed=True)
            assert repaired.status is PromoteStatus.REPAIRED, repaired
            run.record_promotion(ON_CHANGE, week)
        else:
            step_week(week)

    _check_final_state(run)
    truth = party_truth(Path(run.lake.uri())).to_pandas()
    _check_people(run, set(truth.loc[truth["is_late_posting"], "person_id"]))
    counts = churn_events(truth)
    print(f"churn events seen: {counts}")
    assert all(counts.values()), counts  # every kind of change happened


def _check_people(run: Run, late_posted: set[str]) -> None:
    """By the truth's identity: one key per person through every change, no person
    in two files of the never partner, and late postings reached both partners."""
    keys: dict[str, set[str]] = {}
    for people in run.people.values():
        for key, person in people.items():
            keys.setdefault(person, set()).add(key)
    assert all(len(k) == 1 for k in keys.values()), "a person under two delivery keys"
    for name in run.partners:
        received: list[str] = []
        for week in sorted(run.promoted[name]):
            layout = BatchLayout(name, week)
            frame = read_csv(run.lake.get(layout.delivered(layout.data_name)))
            received += [run.people[week][key] for key in frame["delivery_key"]]
        if name == NEVER:
            assert len(received) == len(set(received)), "the never partner got a person twice"
        assert late_posted & set(received), f"{name} received no late posting"


def _check_final_state(run: Run) -> None:
    lake = run.lake
    with duckdb.connect(str(run.dbt.warehouse / "courtlake.duckdb"), read_only=True) as con:
        for name in run.partners:
            markers = con.sql(
                f"select delivery_week, count(*) from main_deliveries.delivery__{name} "
                "where delivery_action = 'batch' group by delivery_week"
            ).fetchall()
            assert sorted(markers) == [(w, 1) for w in WEEKS], markers  # one batch per week

    for name in run.partners:
        ledger = read_ledger(lake, name)
        files: dict[date, set[str]] = {}
        for week in WEEKS:
            layout = BatchLayout(name, week)
            data_key = layout.delivered(layout.data_name)
            if not lake.exists(data_key):
                assert not lake.exists(layout.ledger)
                continue
            frame = read_csv(lake.get(data_key))
            keys = set(frame["delivery_key"])
            assert len(keys) == len(frame), f"{name} {week}: a key twice in one file"
            files[week] = keys
            expected_deliver, expected_withdraw = run.expected[(name, week)]
            assert keys == expected_deliver, (
                f"{name} {week}: {len(keys - expected_deliver)} unexpected, "
                f"{len(expected_deliver - keys)} missing"
            )
            in_ledger = ledger[ledger["delivery_week"] == week]
            delivered = set(in_ledger.loc[in_ledger["record_kind"] == "delivered", "delivery_key"])
            assert delivered == keys, f"{name} {week}: ledger differs from the partner's file"
            withdrawn = set(in_ledger.loc[in_ledger["record_kind"] == "withdrawn", "delivery_key"])
            assert withdrawn == expected_withdraw, f"{name} {week}: withdrawals"
            withdrawal_key = layout.delivered(layout.withdrawals_name)
            listed = (
                set(read_csv(lake.get(withdrawal_key))["delivery_key"])
                if lake.exists(withdrawal_key)
                else set()
            )
            assert listed == withdrawn

        # the weeks that were held back, and nothing else
        missing = {w for w in WEEKS if w not in files}
        assert missing == ({WEEKS[2]} if name == NEVER else {WEEKS[4]}), missing
        if name == NEVER:
            seen: set[str] = set()
            for week in sorted(files):
                assert not files[week] & seen, f"{week}: a key the partner already had"
                seen |= files[week]
        # the ledger holds exactly the promoted weeks
        assert set(ledger["delivery_week"]) == set(files)
    # the on_change partner was sent some records again (a real change happened)
    resent = [
        k for (name, _), (deliver, _) in run.expected.items() if name == ON_CHANGE for k in deliver
    ]
    assert len(resent) > len(set(resent)), "the world should produce re-sends"
    # the bad week's staged file and failing report stay for review
    bad = BatchLayout(NEVER, WEEKS[2])
    assert lake.exists(bad.staged(f"{NEVER}_{WEEKS[2]}.csv"))
    assert lake.exists(bad.validation)
