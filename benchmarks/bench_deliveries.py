"""Delivery exclusion: the incremental dbt model + export against the old pandas script.

Not a test: figures only, no assertions on time (a wrong answer still stops the run: the
two approaches must send exactly the same new keys, or the comparison means nothing).

The old weekly process (the baseline, re-implemented as the team wrote it): glob the
partner's folder of every file ever sent (one CSV a week, ~5,000 rows, the partner's
columns with the delivery key), `pd.read_csv` each, concat, mask this week's candidate
file with `~new[key].isin(sent_keys)`, overwrite it with `to_csv` and copy it to a staging
folder. Ours: `dbt run --select delivery__eastside_tenant_law` for the week (the mart and
the Parquet ledger in, one week's batch out) and `export_batch` of that batch to staging;
`promote` (partner files + the ledger file) is timed on its own, since the old process
wrote no ledger.

For each history size H (weeks × 5,000 rows) a synthetic world is built directly, not
through the pipeline: a DuckDB warehouse holding the relations the delivery model reads
(`main_marts.fct_eviction_filings` with its contract columns: all H weeks of filings plus
this week's, and `main_staging.stg_court__removals`), the delivery table with H past
batches (the audit trail), H ledger files and, for the baseline, the same H weeks as
partner CSV files. 30 % of this week's 5,000 candidates were already sent last week; a
few cases sent earlier were sealed since (withdrawals, most already sent). The model runs
once untimed first (creating its table); times are medians of `REPEATS` runs, except
promote (create-only and slow), timed once. Both approaches must stage the same keys.

`dbt_overhead_s` is a dbt invocation's wall time minus the model's own `execution_time`
(run_results.json): interpreter start, imports, (partial) parse, adapter set-up,
artifacts. `ours_engine_s` = that execution time + export: the part that grows with
history, and the marginal cost when the model runs inside the weekly `dbt build`.
`*_cpu_s`: CPU seconds (this process and its dbt child), steadier on a busy machine.
"""

from __future__ import annotations

import glob
import io
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from courtlake.lake import LocalLake
from orchestration.dbt import DbtProject
from orchestration.deliveries.export import export_batch
from orchestration.deliveries.layout import MANIFEST, BatchLayout
from orchestration.deliveries.ledger import KEY_SCHEME
from orchestration.deliveries.promote import PromoteStatus, promote_batch
from orchestration.deliveries.records import StagedManifest, ValidationRecord, sha256_hex
from orchestration.partners import Partner, partners_from_manifest
from orchestration.warehouse import DuckDBWarehouse

REPO = Path(__file__).resolve().parent.parent
MART_YAML = REPO / "models" / "marts" / "court" / "_court__models.yml"
PARTNER = "eastside_tenant_law"
MODEL = f"delivery__{PARTNER}"
WEEK = date(2026, 11, 23)  # this week's delivery (a Monday)
HISTORIES = (52, 104, 208)
ROWS_PER_WEEK = 5_000
ALREADY_SENT = 1_500  # of this week's 5,000 candidates (30 %), all sent last week
NEW_ROWS = ROWS_PER_WEEK - ALREADY_SENT
INELIGIBLE_NEW = 500  # filed this week, but another court or no address
SEALED_EVERY = 1_000  # one sent row in SEALED_EVERY is sealed a week after it was sent
REPEATS = 3
KEY = "delivery_key"

# -- the synthetic world --------------------------------------------------------------------

# One row per filing: k = weeks before WEEK it was sent (0: this week's new filings),
# i = its index in that week. Sent rows i < ALREADY_SENT were filed in the six days before
# their week (still eligible a week later), the others 8-14 days before (not any more).
_FILINGS = """
create table bench.filings as
with grid as (
    select k, i, k * 1000000 + i as g, date '{week}' - cast(7 * k as integer) as sent_week
    from range(0, {weeks} + 1) as w(k), range(0, {rows}) as r(i)
    where k > 0 or i < {new_rows} + {ineligible}
)
select
    k, i, sent_week,
    md5('party:' || g) as delivery_key,
    md5('case:' || g) as case_id,
    'General Sessions Civil, Division '
        || case when k = 0 and i >= {new_rows} and i % 2 = 0 then 4 else 1 + g % 3 end
        as court,
    '24-GC-' || lpad(cast(g as varchar), 10, '0') as case_number,
    case
        when k = 0 then sent_week - cast(i % 7 as integer)
        when i < {already_sent} then sent_week - cast(1 + i % 6 as integer)
        else sent_week - cast(8 + i % 7 as integer)
    end as filed_date,
    (['SMITH, JAMES', 'JOHNSON, MARY', 'WILLIAMS, JOSÉ', 'BROWN, KEISHA', 'DAVIS, R.',
      'MOORE, LATOYA', 'GARCÍA, ANDRÉS', 'O''NEAL, DARNELL'])[1 + g % 8] as defendant_name,
    cast(100 + g % 8900 as varchar) || ' ' || (['Lamar Ave', 'Poplar Ave', 'Summer Ave',
      'Getwell Rd', 'Park Ave'])[1 + g % 5] || ', Memphis, TN 381' || lpad(
      cast(g % 40 as varchar), 2, '0') as defendant_address,
    '381' || lpad(cast(g % 40 as varchar), 2, '0') as defendant_zip,
    (['Vantage Point Properties LLC', 'Riverbend Apartments LLC', 'Oakwood Homes LLC',
      'Bluff City Holdings LLC'])[1 + g % 4] as plaintiff_name,
    not (k = 0 and i >= {new_rows} and i % 2 = 1) as has_address,
    case when i % 5 = 0 then null else filed_date + 21 end as next_hearing_date,
    k > 0 and i % {sealed_every} = {sealed_every} - 1 as is_sealed
from grid
"""

# What each mart column holds (the rest of the contract is null / false / 0).
_MART_VALUES = {
    "defendant_party_id": "delivery_key",
    "case_id": "case_id",
    "court": "court",
    "court_code": "'GS' || right(court, 1)",
    "case_number": "case_number",
    "defendant_name": "defendant_name",
    "defendant_address": "defendant_address",
    "defendant_address_raw": "upper(defendant_address)",
    "defendant_zip": "defendant_zip",
    "plaintiff_name": "plaintiff_name",
    "status": "'Open'",
    "status_class": "'active'",
    "change_hash": "md5(delivery_key || ':v1')",
    "defendant_seq": "1",
    "defendant_count": "1",
    "defendant_address_count": "case when has_address then 1 else 0 end",
    "has_address": "has_address",
    "filed_date": "filed_date",
    "next_hearing_date": "next_hearing_date",
    "first_scraped_date": "filed_date + 1",
    "content_changed_date": "filed_date + 1",
    "last_scraped_date": "least(filed_date + 1, date '{week}')",
    "filed_year": "year(filed_date)",
}
_DEFAULTS = {"boolean": "false", "integer": "0"}


def _mart_select(week: date) -> str:
    """`select … from bench.filings` with the contract columns of fct_eviction_filings."""
    models = yaml.safe_load(MART_YAML.read_text())["models"]
    contract = next(m for m in models if m["name"] == "fct_eviction_filings")["columns"]
    columns = []
    for column in contract:
        name, data_type = column["name"], column["data_type"]
        value = _MART_VALUES.get(name, _DEFAULTS.get(data_type, "null"))
        columns.append(f"cast({value.format(week=week)} as {data_type}) as {name}")
    return "select\n    " + ",\n    ".join(columns) + "\nfrom bench.filings where not is_sealed"


def _partner_rows(partner: Partner, where: str) -> str:
    """The partner's file as the export writes it: every column as text, sorted by key."""
    columns = ", ".join(f"cast({c} as varchar) as {c}" for c in partner.file_columns)
    return f"select {columns} from bench.filings where {where} order by {KEY}"


def build_world(root: Path, partner: Partner, weeks: int) -> dict[str, Any]:
    """The warehouse, the lake's ledger and the old process's folders for `weeks` weeks of
    history; this week's candidate file (the old process's input). Returns sizes."""
    lake, warehouse, old = root / "lake", root / "warehouse", root / "old"
    for folder in (lake, warehouse, old):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    (old / "sent").mkdir()
    (old / "staging").mkdir()
    params = {
        "week": WEEK.isoformat(),
        "weeks": weeks,
        "rows": ROWS_PER_WEEK,
        "new_rows": NEW_ROWS,
        "ineligible": INELIGIBLE_NEW,
        "already_sent": ALREADY_SENT,
        "sealed_every": SEALED_EVERY,
    }
    window_start = WEEK - timedelta(days=partner.eligibility.within_days)
    courts = ", ".join(f"'{c}'" for c in partner.eligibility.courts)
    with duckdb.connect(str(warehouse / "courtlake.duckdb")) as con:
        for schema in ("bench", "main_marts", "main_staging", "main_intermediate"):
            con.execute(f"create schema {schema}")
        con.execute(_FILINGS.format(**params))
        con.execute(f"create table main_marts.fct_eviction_filings as {_mart_select(WEEK)}")
        # the party identities the ledger's old position keys would be mapped through:
        # none (this ledger is written in stable keys)
        con.execute(
            """
            create table main_intermediate.int_case_parties_identified (
                party_key varchar, position_key varchar, court varchar,
                case_number varchar, scrape_date date
            )
            """
        )
        # a case sent in week w and sealed the week after: withdrawn in week w + 1's
        # ledger, except last week's cases, still to be withdrawn this week
        con.execute(
            """
            create table main_staging.stg_court__removals as
            select case_id, court, case_number, 'sealed' as removal_reason,
                   sent_week + 4 as removed_date, sent_week as last_found_date,
                   sent_week + 7 as scrape_date
            from bench.filings where is_sealed
            """
        )
        for k in range(1, weeks + 1):
            sent_week = WEEK - timedelta(weeks=k)
            promoted_at = f"{sent_week}T09:00:00Z"
            folder = lake / f"ledger/partner={partner.name}/delivery_week={sent_week}"
            folder.mkdir(parents=True)
            con.execute(
                f"""
                copy (
                    select 'delivered' as record_kind, delivery_key,
                           md5(delivery_key || ':sent') as change_hash, case_number, court,
                           '{KEY_SCHEME}' as key_scheme, '{promoted_at}' as promoted_at
                    from bench.filings where k = {k}
                    union all
                    select 'withdrawn', delivery_key, null, case_number, court,
                           '{KEY_SCHEME}', '{promoted_at}'
                    from bench.filings where k = {k + 1} and is_sealed
                    order by record_kind, delivery_key
                ) to '{folder / "promoted.parquet"}' (format parquet, compression zstd)
                """
            )
            sent = old / "sent" / BatchLayout(partner.name, sent_week).data_name
            con.execute(f"copy ({_partner_rows(partner, f'k = {k}')}) to '{sent}' (header)")
        # this week's candidates (the mart's eligible rows), as the old process received them
        eligible = (
            f"not is_sealed and filed_date between date '{window_start}' and date '{WEEK}' "
            f"and court in ({courts}) and has_address"
        )
        candidates = old / "candidates.csv"
        con.execute(f"copy ({_partner_rows(partner, eligible)}) to '{candidates}' (header)")
        # the delivery table's past batches (inserted after its first build)
        con.execute(
            f"""
            create table bench.audit_trail as
            select 'send' as delivery_action, delivery_key, {", ".join(partner.columns)},
                   md5(delivery_key || ':sent') as change_hash,
                   'bench' as dbt_invocation_id, sent_week as delivery_week
            from bench.filings where k > 0
            """
        )
        con.execute("drop table bench.filings")
        mart_rows = con.execute("select count(*) from main_marts.fct_eviction_filings").fetchone()
    return {"mart_rows": mart_rows[0] if mart_rows else 0}


def seed_audit_trail(warehouse: Path) -> None:
    """The delivery table's past batches: every week's sent rows (after its first build)."""
    with duckdb.connect(str(warehouse / "courtlake.duckdb")) as con:
        con.execute(f"insert into main_deliveries.{MODEL} by name select * from bench.audit_trail")
        con.execute("drop schema bench cascade")


# -- the old process ------------------------------------------------------------------------


def old_weekly_exclusion(sent_folder: Path, new_file: Path, staging: Path) -> None:
    """The old script: every file ever sent, read; this week's rows not among them, kept."""
    sent = [pd.read_csv(path) for path in sorted(glob.glob(f"{sent_folder}/*.csv"))]
    sent_keys = pd.concat(sent)[KEY]
    new = pd.read_csv(new_file)
    new = new[~new[KEY].isin(sent_keys)]
    new.to_csv(new_file, index=False)
    shutil.copy(new_file, staging / new_file.name)


# -- ours -----------------------------------------------------------------------------------


def _model_seconds(dbt: DbtProject) -> float:
    results = json.loads((dbt.target_path / "run_results.json").read_text())["results"]
    return float(next(r for r in results if r["unique_id"].endswith(f".{MODEL}"))["execution_time"])


def _cpu_now() -> float:
    """CPU seconds of this process (every thread) and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, result) of `action()`."""
    started, cpu = time.perf_counter(), _cpu_now()
    value = action()
    return time.perf_counter() - started, _cpu_now() - cpu, value


class Ours:
    """The weekly steps of the new process on one world."""

    def __init__(self, root: Path, dbt: DbtProject, partner: Partner) -> None:
        self.lake = LocalLake(root / "lake")
        self.dbt = dbt
        self.partner = partner
        self.warehouse = DuckDBWarehouse(dbt.warehouse)
        self.layout = BatchLayout(partner.name, WEEK)

    def dbt_run(self) -> None:
        self.dbt.run(["run", "--select", MODEL], {"delivery_week": WEEK.isoformat()})

    def export(self) -> None:
        export_batch(self.lake, self.warehouse, self.partner, WEEK)

    def approve(self) -> None:
        """A passing validation record of the staged batch (GX is benchmarked elsewhere)."""
        manifest_bytes = self.lake.get(self.layout.staged(MANIFEST))
        manifest = StagedManifest.model_validate_json(manifest_bytes)
        record = ValidationRecord(
            partner=self.partner.name,
            week=WEEK,
            manifest_sha256=sha256_hex(manifest_bytes),
            data_sha256=manifest.data.sha256,
            success=True,
            problems=(),
            parameters={},
            checks=(),
            gx_version=None,
            data_docs=None,
            validated_at=datetime.now(UTC).replace(microsecond=0),
        )
        self.lake.put(self.layout.validation, record.to_bytes())

    def promote(self) -> None:
        result = promote_batch(self.lake, self.partner, WEEK)
        if result.status is not PromoteStatus.PROMOTED:
            raise RuntimeError(f"promote did not promote: {result.summary()}")

    def staged_keys(self) -> set[str]:
        data = self.lake.get(self.layout.staged(self.layout.data_name)).decode()
        return set(pd.read_csv(io.StringIO(data), dtype=str)[KEY])

    def undo_week(self) -> None:
        """Back to before this week: nothing staged, validated, promoted or in the ledger."""
        for prefix in (self.layout.staged(""), self.layout.delivered("")):
            self.lake.delete_prefix(prefix)
        for key in (self.layout.ledger, self.layout.validation):
            if self.lake.exists(key):
                self.lake.delete(key)


def measure(root: Path, dbt: DbtProject, partner: Partner, weeks: int) -> dict[str, Any]:
    """Build the world of `weeks` weeks of history, then time both approaches: medians of
    REPEATS runs; promote once (it is slow and create-only)."""
    setup_s, _, sizes = _timed(lambda: build_world(root, partner, weeks))
    ours = Ours(root, dbt, partner)
    ours.dbt_run()  # untimed: creates the delivery table
    seed_audit_trail(dbt.warehouse)

    runs: dict[str, list[float]] = defaultdict(list)
    ours_keys: set[str] = set()
    for _ in range(REPEATS):
        ours.undo_week()
        dbt_s, dbt_cpu, _ = _timed(ours.dbt_run)
        model_s = _model_seconds(dbt)
        export_s, export_cpu, _ = _timed(ours.export)
        ours_keys = ours.staged_keys()
        runs["dbt"].append(dbt_s)
        runs["model"].append(model_s)
        runs["export"].append(export_s)
        runs["ours"].append(dbt_s + export_s)
        runs["ours_cpu"].append(dbt_cpu + export_cpu)
        runs["engine"].append(model_s + export_s)
        runs["overhead"].append(dbt_s - model_s)
    ours.approve()
    promote_s, _, _ = _timed(ours.promote)
    ours.undo_week()

    old = root / "old"
    baseline_keys: set[str] = set()
    new_file = old / "new" / "candidates.csv"
    new_file.parent.mkdir(exist_ok=True)
    for _ in range(REPEATS):
        shutil.copy(old / "candidates.csv", new_file)  # the script overwrites it
        baseline_s, baseline_cpu, _ = _timed(
            lambda: old_weekly_exclusion(old / "sent", new_file, old / "staging")
        )
        runs["baseline"].append(baseline_s)
        runs["baseline_cpu"].append(baseline_cpu)
        baseline_keys = set(pd.read_csv(old / "staging" / "candidates.csv", dtype=str)[KEY])

    if ours_keys != baseline_keys or len(ours_keys) != NEW_ROWS:
        raise RuntimeError(
            f"H={weeks}: the approaches disagree: ours {len(ours_keys)} new keys, baseline "
            f"{len(baseline_keys)}, {len(ours_keys ^ baseline_keys)} differ "
            f"(expected {NEW_ROWS})"
        )
    return {
        **sizes,
        "setup_s": setup_s,
        "new_keys": len(ours_keys),
        "promote": promote_s,
        "overheads": runs["overhead"],
        **{name: statistics.median(values) for name, values in runs.items()},
    }


def measure_empty(root: Path, dbt: DbtProject, partner: Partner) -> dict[str, float]:
    """H = 0 (no ledger yet): dbt run + export, the fixed cost of our weekly step."""
    build_world(root, partner, 0)
    ours = Ours(root, dbt, partner)
    ours.dbt_run()
    seed_audit_trail(dbt.warehouse)
    totals, overheads = [], []
    for _ in range(REPEATS):
        ours.undo_week()
        dbt_s, _, _ = _timed(ours.dbt_run)
        export_s, _, _ = _timed(ours.export)
        totals.append(dbt_s + export_s)
        overheads.append(dbt_s - _model_seconds(dbt))
    return {"ours": statistics.median(totals), "overhead": statistics.median(overheads)}


def run(histories: tuple[int, ...] = HISTORIES) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="courtlake-bench-deliveries-"))
    try:
        # the same lake and warehouse paths and vars for every run: after the first
        # (full) parse, dbt parses partially
        dbt = DbtProject(
            lake=str(root / "lake"), warehouse=root / "warehouse", target_path=root / "target"
        )
        parse_s, _, _ = _timed(lambda: dbt.run(["parse"], {"delivery_week": WEEK.isoformat()}))
        partner = partners_from_manifest(json.loads(dbt.manifest_path.read_text()))[PARTNER]
        empty = measure_empty(root, dbt, partner)
        figures: dict[str, Any] = {
            "rows_per_week": ROWS_PER_WEEK,
            "candidates": ROWS_PER_WEEK,
            "already_sent_share": ALREADY_SENT / ROWS_PER_WEEK,
            "repeats": REPEATS,
            "dbt_full_parse_s": round(parse_s, 2),
            "ours_h0_s": round(empty["ours"], 2),
            "dbt_overhead_h0_s": round(empty["overhead"], 2),
        }
        overheads: list[float] = []
        by_size: dict[int, dict[str, Any]] = {}
        for weeks in histories:
            m = by_size[weeks] = measure(root, dbt, partner, weeks)
            overheads += m["overheads"]
            figures.update(
                {
                    f"h{weeks}_setup_s": round(m["setup_s"], 1),
                    f"h{weeks}_mart_rows": m["mart_rows"],
                    f"h{weeks}_new_keys": m["new_keys"],
                    f"h{weeks}_baseline_s": round(m["baseline"], 3),
                    f"h{weeks}_ours_s": round(m["ours"], 3),
                    f"h{weeks}_ratio": round(m["baseline"] / m["ours"], 2),
                    f"h{weeks}_ours_dbt_run_s": round(m["dbt"], 3),
                    f"h{weeks}_ours_model_s": round(m["model"], 3),
                    f"h{weeks}_ours_export_s": round(m["export"], 3),
                    f"h{weeks}_ours_engine_s": round(m["engine"], 3),
                    f"h{weeks}_ratio_engine": round(m["baseline"] / m["engine"], 2),
                    f"h{weeks}_baseline_cpu_s": round(m["baseline_cpu"], 3),
                    f"h{weeks}_ours_cpu_s": round(m["ours_cpu"], 3),
                    f"h{weeks}_promote_s": round(m["promote"], 3),
                }
            )
        first, last = by_size[histories[0]], by_size[histories[-1]]
        span = f"{histories[0]}_to_{histories[-1]}"
        figures["dbt_overhead_s"] = round(statistics.median(overheads), 2)
        for name, key in (
            ("baseline", "baseline"),
            ("ours", "ours"),
            ("ours_engine", "engine"),
            ("promote", "promote"),
        ):
            figures[f"growth_{span}_{name}"] = round(last[key] / first[key], 2)
        return figures
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
