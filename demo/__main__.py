"""`make demo`: three Mondays of the weekly run on the embedded default.

Starts the portal simulator, then for three consecutive Mondays moves its clock and runs
`courtlake weekly` (ingest → compact → dbt build → export → validate → promote → report)
exactly as CI would, and approves the `manual` partner the way a reviewer does
(`courtlake deliver promote --partner …`). After the first week a court seals one case
the never-resend partner received: the scraper misses it on two visits, tombstones it,
and in week 3 that partner gets it in a withdrawal list. Prints a table per week and
where the reports and partner files are; stops the simulator at the end.

Everything goes under `demo-output/` (wiped at the start); nothing else is touched.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pandas as pd

from simulator.server import build_state, running

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "demo-output"
FIRST_MONDAY = date(2026, 11, 9)
SEED = 7
NEVER, ON_CHANGE = "eastside_tenant_law", "northgate_housing"


def courtlake(*args: str, env: dict[str, str]) -> int:
    """Run the real `courtlake` command, its output going to ours."""
    command = [str(Path(sys.executable).with_name("courtlake")), *args]
    print(f"\n$ courtlake {' '.join(args)}", flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def week_row(lake: Path, week: date) -> dict[str, object]:
    """The week's figures, read back from the lake."""
    row: dict[str, object] = {"week": str(week)}
    reports = sorted((lake / "reports" / str(week) / "ingest").glob("*.json"))
    if reports:
        streams = read_json(reports[-1]).get("streams", {})
        detail = streams.get("case_detail", {})
        row["cases scraped"] = int(detail.get("done", 0)) + int(detail.get("skipped", 0))
    for partner in (NEVER, ON_CHANGE):
        staged = read_json(lake / "staging" / partner / str(week) / "manifest.json")
        counts = staged.get("counts", {})
        delivered = lake / "partners" / partner / str(week) / "manifest.json"
        sent = read_json(delivered).get("file", {}).get("rows") if delivered.exists() else 0
        row[f"{partner} eligible"] = sum(counts.get(k, 0) for k in ("send", "resend", "skip"))
        row[f"{partner} delivered"] = sent
        if partner == ON_CHANGE:
            row[f"{partner} re-sent"] = counts.get("resend", 0)
        row[f"{partner} withdrawn"] = counts.get("withdraw", 0)
    return row


def seal_a_delivered_case(lake: Path, week: date, admin: str) -> str | None:
    """Seal (in the simulator) one case the never-resend partner received this week."""
    path = lake / "partners" / NEVER / str(week) / f"{NEVER}_{week}.csv"
    if not path.exists():
        return None
    frame = pd.read_csv(io.BytesIO(path.read_bytes()), dtype=str)
    for number in frame["case_number"]:
        if httpx.post(f"{admin}/remove", json={"case_number": number}).status_code == 200:
            return str(number)
    return None


@dataclass
class DemoResult:
    out: Path
    weeks: list[date]
    rows: list[dict[str, object]]
    exit_codes: list[int]
    sealed: str | None
    truth: dict[str, dict]  # week → the simulator's truth export on that Monday
    seconds: float

    @property
    def lake(self) -> Path:
        return self.out / "lake"


def run_demo(out: Path = OUT, weeks: int = 3, scale: float = 1.0) -> DemoResult:
    """Run the weeks (see the module docstring); everything under `out` (wiped first)."""
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    lake, warehouse = out / "lake", out / "warehouse"
    env = {
        **os.environ,
        "COURTLAKE_LAKE": str(lake),
        "COURTLAKE_WAREHOUSE": str(warehouse),
        "COURTLAKE_DBT_TARGET": "dev",
        "DBT_TARGET_PATH": str(out / "target"),
        "COURTLAKE_COURT_USER": "analyst",  # the simulator's account (not a secret)
        "COURTLAKE_COURT_PASSWORD": "courtlake-sim",
    }
    result = DemoResult(out, [], [], [], None, {}, 0.0)
    print(f"starting the portal simulator (seed {SEED}, scale {scale}) …", flush=True)
    state = build_state(SEED, FIRST_MONDAY, scale=scale)
    with running(state) as sim:
        admin = f"{sim.base_url}/_admin"
        print(f"court portal {sim.court_url}  jail roster {sim.jail_url}")
        for i in range(weeks):
            week = FIRST_MONDAY + timedelta(days=7 * i)
            httpx.post(f"{admin}/clock", json={"as_of": week.isoformat()}).raise_for_status()
            print(f"\n===== week {i + 1}: Monday {week} =====", flush=True)
            code = courtlake(
                "weekly", "--week", str(week), "--court-url", sim.court_url,
                "--jail-url", sim.jail_url, "--workers", "4", env=env,
            )  # fmt: skip
            result.exit_codes.append(code)
            print("\n# the reviewer reads the report, then approves the manual partner:")
            courtlake("deliver", "promote", "--week", str(week), "--partner", ON_CHANGE, env=env)
            result.truth[str(week)] = httpx.get(f"{admin}/truth", timeout=60).json()
            if i == 0:
                result.sealed = seal_a_delivered_case(lake, week, admin)
                print(f"\n# the court seals case {result.sealed} (delivered to {NEVER} this week)")
            result.weeks.append(week)
            result.rows.append(week_row(lake, week))
    print("\nsimulator stopped.")
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="simulator world size")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (wiped first)")
    args = parser.parse_args(argv)
    result = run_demo(args.out, args.weeks, args.scale)
    lake = result.lake
    table = pd.DataFrame(result.rows).set_index("week").T
    print("\n" + "=" * 72)
    print(table.to_string())
    print(f"\nweekly exit codes: {result.exit_codes}")
    if result.sealed:
        print(f"sealed after week 1: {result.sealed} — withdrawn once its tombstone landed")
    print(f"reports:        {lake / 'reports'}/<week>/index.html")
    print(f"partner files:  {lake / 'partners'}/<partner>/<week>/")
    print(
        f"warehouse:      {result.out / 'warehouse' / 'courtlake.duckdb'} (schemas main_marts, …)"
    )
    print(f"demo wall time: {result.seconds:.0f} s")
    return 0 if all(c == 0 for c in result.exit_codes) else 1


if __name__ == "__main__":
    sys.exit(main())
