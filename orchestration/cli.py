"""The `courtlake` console script: parses arguments and calls library functions.

No logic lives here. Errors are printed as one line saying what went wrong and what to
do; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from courtlake.log import setup_logging


class UsageError(Exception):
    """Bad input from the command line; printed without a traceback."""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535")
    return value


# -- courtlake simulator ---------------------------------------------------------------


def add_simulator(commands: argparse._SubParsersAction) -> None:
    sim = commands.add_parser(
        "simulator",
        help="offline stand-ins for the court and jail portals",
        description="Offline stand-ins for the court portal (Odyssey-shaped) and the jail "
        "roster, serving a synthetic world generated from a seed.",
    )
    sim_commands = sim.add_subparsers(dest="sim_command", required=True, metavar="COMMAND")

    serve = sim_commands.add_parser(
        "serve",
        help="serve both portals on loopback",
        description="Serve the court portal under the county's base path (/Portal/ by default) "
        "and the jail roster under /jail/ on one loopback port, with admin endpoints under "
        "/_admin/ (clock, truth, stats, faults).",
    )
    _world_options(serve)
    serve.add_argument(
        "--county",
        default="bluff_tn",
        metavar="PROFILE",
        help="county profile in counties/ whose court portal to imitate: base path, grid "
        "columns, sections, masked dates of birth (default bluff_tn)",
    )
    serve.add_argument("--port", type=port_number, default=8800, help="TCP port (default 8800)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1, loopback)"
    )
    serve.add_argument(
        "--faults",
        default="none",
        metavar="PROFILE",
        help="fault profile: none, latency, flaky, hostile, optionally with knobs, "
        "e.g. 'flaky,error_rate=0.2,captcha=true' (default none)",
    )
    serve.set_defaults(handler=run_simulator_serve)

    truth = sim_commands.add_parser(
        "truth",
        help="export what the portals show on a date, as JSON, without serving",
        description="Write everything visible on --as-of (people, bookings, cases, parties, "
        "events, charges, judgments, removals) as JSON. Same seed, same bytes.",
    )
    _world_options(truth)
    truth.add_argument("--out", type=Path, required=True, help="file to write")
    truth.set_defaults(handler=run_simulator_truth)


def _world_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed", type=int, required=True, help="world seed (same seed, same world)"
    )
    parser.add_argument("--as-of", type=iso_date, required=True, help="simulated date, YYYY-MM-DD")
    parser.add_argument(
        "--scale",
        type=positive_float,
        default=1.0,
        help="world size: 1.0 ≈ 5,500 cases and ~200 people in custody (default 1.0)",
    )


def run_simulator_serve(args: argparse.Namespace) -> int:
    from simulator.counties import CountyError
    from simulator.faults import parse_faults
    from simulator.server import build_state, serve_forever

    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        raise UsageError(f"--faults: {exc}") from None
    try:
        state = build_state(
            args.seed, args.as_of, scale=args.scale, faults=faults, county=args.county
        )
    except CountyError as exc:
        raise UsageError(f"--county: {exc}") from None
    base = f"http://{args.host}:{args.port}"
    print(f"court portal  {base}{state.county.court.base_path}  (county {args.county})")
    print(f"jail roster   {base}/jail/")
    print(f"admin         {base}/_admin/clock  (truth, stats, faults)")
    print(
        f"world seed={args.seed} scale={args.scale} as-of={args.as_of} "
        f"cases={len(state.world.cases)} faults={faults.describe()}  (Ctrl-C stops)",
        flush=True,
    )
    serve_forever(state, host=args.host, port=args.port)
    return 0


def run_simulator_truth(args: argparse.Namespace) -> int:
    from simulator.truth import write_truth
    from simulator.world import generate_world

    world = generate_world(args.seed, args.scale)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_truth(world, args.as_of, args.out)
    print(f"wrote {args.out} (seed={args.seed}, scale={args.scale}, as-of={args.as_of})")
    return 0


# -- courtlake ingest --------------------------------------------------------------------


def shard_spec(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not I/N (e.g. 2/4)") from None
    if not sep or n < 1 or not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: need 1 <= I <= N, e.g. 2/4")
    return i - 1, n


def csv_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _scrape_options(parser: argparse.ArgumentParser) -> None:
    """The portal and scraping options of `ingest` and `weekly`."""
    from ingest.tasks import ALL_STREAMS

    parser.add_argument("--court-url", help="court portal root, e.g. http://127.0.0.1:8800/Portal/")
    _county_option(parser)
    parser.add_argument("--jail-url", help="jail roster root, e.g. http://127.0.0.1:8800/jail/")
    parser.add_argument(
        "--workers", type=int, default=2, help="parallel portal sessions (default 2)"
    )
    parser.add_argument(
        "--mode",
        choices=("session", "browser"),
        default="session",
        help="session: log in with the browser, then fetch over HTTP with its cookies "
        "(default); browser: render every page",
    )
    parser.add_argument(
        "--streams",
        type=csv_list,
        default=ALL_STREAMS,
        help=f"comma-separated subset of {','.join(ALL_STREAMS)} (default all)",
    )
    parser.add_argument(
        "--remote-url",
        help="remote WebDriver (Selenium Grid) URL instead of local Chromium "
        "(or COURTLAKE_REMOTE_WEBDRIVER)",
    )
    parser.add_argument(
        "--case-types", type=csv_list, default=("Eviction",), help="filing types to discover"
    )
    parser.add_argument(
        "--courts",
        type=csv_list,
        default=(),
        help="court locations to discover filings in, as the search form lists them (default all)",
    )
    parser.add_argument(
        "--filings-days", type=int, default=21, help="discovery window in days (default 21)"
    )
    parser.add_argument(
        "--rescrape-window-days",
        type=int,
        default=120,
        help="re-visit non-final cases filed within this many days (default 120)",
    )
    parser.add_argument(
        "--rescrape-budget",
        type=int,
        default=200,
        help="re-visit up to this many of the stalest other cases (default 200)",
    )
    parser.add_argument(
        "--max-failure-rate",
        type=float,
        default=0.02,
        help="exit non-zero when more than this share of tasks failed (default 0.02)",
    )
    parser.add_argument(
        "--budget-minutes", type=float, default=240, help="time budget for the run (default 240)"
    )
    parser.add_argument(
        "--patience-minutes",
        type=patience_spec,
        default=patience_spec("10"),
        metavar="MIN|court=MIN,jail=MIN",
        help="how long a task waits out its portal being down (5xx, timeouts) before it "
        "fails; discovery tasks (roster, filing windows) wait three times longer (default 10)",
    )


def patience_spec(text: str):
    """`10` (both portals) or `court=10,jail=5`, in minutes."""
    from ingest.runner import Patience

    minutes: dict[str, float] = {}
    try:
        for part in csv_list(text):
            portal, _, value = part.rpartition("=")
            for name in (portal,) if portal else ("court", "jail"):
                if name not in ("court", "jail"):
                    raise ValueError(f"unknown portal {name!r}")
                minutes[name] = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None
    if not minutes or any(m <= 0 for m in minutes.values()):
        raise argparse.ArgumentTypeError(f"{text!r}: give positive minutes, e.g. 10 or court=10")
    default = Patience()
    return Patience(
        court_s=minutes.get("court", default.court_s / 60) * 60,
        jail_s=minutes.get("jail", default.jail_s / 60) * 60,
    )


def _county_option(parser: argparse.ArgumentParser) -> None:
    from ingest.counties import DEFAULT_COUNTY, available_counties

    parser.add_argument(
        "--county",
        metavar="PROFILE",
        help=f"county profile in counties/ ({', '.join(available_counties())}; "
        f"default COURTLAKE_COUNTY or {DEFAULT_COUNTY})",
    )


def county_profile(args: argparse.Namespace):
    """The county profile `--county` (or COURTLAKE_COUNTY) names; a usage error for one
    that is not there or does not validate."""
    from courtlake.settings import Settings
    from ingest.counties import DEFAULT_COUNTY, UnknownCounty, load_county

    name = args.county or Settings.from_env().county or DEFAULT_COUNTY
    try:
        return load_county(name)
    except UnknownCounty as exc:
        raise UsageError(f"--county: {exc}") from None
    except ValueError as exc:  # a profile file that does not validate
        raise UsageError(f"--county: counties/{name}.toml is invalid: {exc}") from None


def add_ingest(commands: argparse._SubParsersAction) -> None:
    ingest = commands.add_parser(
        "ingest",
        help="scrape the portals into the lake's landing zone, then compact",
        description="Scrape the jail roster and the court portal for one as-of date. Tasks "
        "that already landed are skipped, so a re-run after a crash resumes. Credentials for "
        "criminal lookups come from COURTLAKE_COURT_USER / COURTLAKE_COURT_PASSWORD.",
    )
    ingest.add_argument("--as-of", type=iso_date, help="scrape date, YYYY-MM-DD (default today)")
    ingest.add_argument("--lake", help="lake root: folder or s3://bucket/prefix (default ./lake)")
    _scrape_options(ingest)
    ingest.add_argument(
        "--shard", type=shard_spec, default=(0, 1), help="run shard I of N (e.g. 2/4)"
    )
    ingest.add_argument(
        "--no-compact", action="store_true", help="leave compaction to a later `ingest compact`"
    )
    ingest.set_defaults(handler=run_ingest_command)
    sub = ingest.add_subparsers(dest="ingest_command", metavar="COMMAND")
    compact = sub.add_parser(
        "compact", help="turn landed outputs into raw Parquet tables (idempotent)"
    )
    compact.add_argument("--as-of", type=iso_date, required=True, help="scrape date")
    compact.add_argument("--lake", help="lake root (default ./lake)")
    compact.set_defaults(handler=run_ingest_compact)
    reparse = sub.add_parser(
        "reparse",
        help="re-derive landed records from archived pages with the current parsers",
        description="Re-parse the archived pages of an as-of date with the current parser "
        "versions (salts), writing outputs beside the old ones. Never touches a portal.",
    )
    reparse.add_argument("--as-of", type=iso_date, required=True, help="scrape date")
    reparse.add_argument("--lake", help="lake root (default ./lake)")
    _county_option(reparse)
    reparse.set_defaults(handler=run_ingest_reparse)
    parse = sub.add_parser(
        "parse",
        help="show what courtlake reads from a saved portal page, as JSON",
        description="Detect what kind of portal page FILE is (Odyssey case detail, results "
        "grid, results or hearing JSON, dashboard, Financial section; IML roster or person "
        "page) and print the records courtlake reads from it. A page it cannot read exits 1 "
        "saying what was missing.",
    )
    parse.add_argument("file", type=Path, metavar="FILE", help="a saved page (HTML or JSON)")
    _county_option(parse)
    parse.set_defaults(handler=run_ingest_parse)


def ingest_config(args: argparse.Namespace, as_of: date):
    """The IngestConfig of the scrape options (see _scrape_options)."""
    from courtlake.settings import Settings
    from ingest.odyssey import PortalCredentials
    from ingest.runner import IngestConfig
    from ingest.streams import StreamSettings
    from ingest.tasks import ALL_STREAMS

    settings = Settings.from_env()
    unknown = set(args.streams) - set(ALL_STREAMS)
    if unknown:
        raise UsageError(f"--streams: unknown {sorted(unknown)}; choose from {ALL_STREAMS}")
    if not 1 <= args.workers <= 16:
        raise UsageError("--workers must be between 1 and 16")
    credentials = None
    if settings.court_user and settings.court_password:
        credentials = PortalCredentials(settings.court_user, settings.court_password.reveal())
    config = IngestConfig(
        as_of=as_of,
        court_url=args.court_url,
        jail_url=args.jail_url,
        mode=args.mode,
        workers=args.workers,
        streams=tuple(args.streams),
        shard_index=getattr(args, "shard", (0, 1))[0],
        shard_count=getattr(args, "shard", (0, 1))[1],
        remote_url=args.remote_url or settings.remote_webdriver,
        credentials=credentials,
        county=county_profile(args),
        budget_s=args.budget_minutes * 60,
        patience=args.patience_minutes,
        max_failure_rate=args.max_failure_rate,
        stream_settings=StreamSettings(
            as_of=as_of,
            case_types=tuple(args.case_types),
            courts=tuple(args.courts),
            filings_days=args.filings_days,
            rescrape_window_days=args.rescrape_window_days,
            rescrape_budget=args.rescrape_budget,
        ),
    )
    if credentials is None:
        print("note: no COURTLAKE_COURT_USER/PASSWORD: criminal lookups will find nothing")
    return config


def run_ingest_command(args: argparse.Namespace) -> int:
    from courtlake.lake import open_lake
    from courtlake.settings import Settings
    from ingest.compact import compact
    from ingest.runner import run_ingest

    if not args.court_url or not args.jail_url:
        raise UsageError("--court-url and --jail-url are required (see --help)")
    as_of = args.as_of or date.today()
    config = ingest_config(args, as_of)
    lake = open_lake(args.lake or Settings.from_env().lake)
    report = run_ingest(config, lake)
    for name, stream in report.streams.items():
        print(
            f"{name:>15}: {stream.planned} planned, {stream.done} done, {stream.skipped} skipped, "
            f"{stream.retried_tasks} retried, {stream.failed} failed, {stream.stopped} stopped"
        )
    for message in report.messages:
        print(f"  ! {message}")
    if not args.no_compact and args.shard[1] == 1:
        result = compact(lake, as_of)
        print(result.summary())
    print(f"report: reports/{as_of}/ingest/{report.run_id}.json in {lake.uri()}")
    if report.degraded:
        print(
            f"courtlake: ingest degraded: {report.failure_rate:.1%} of tasks did not finish "
            f"(threshold {args.max_failure_rate:.1%}); re-run the same command to retry them",
            file=sys.stderr,
        )
        return 3
    return 0


def run_ingest_compact(args: argparse.Namespace) -> int:
    from courtlake.lake import open_lake
    from courtlake.settings import Settings
    from ingest.compact import compact

    lake = open_lake(args.lake or Settings.from_env().lake)
    result = compact(lake, args.as_of)
    print(result.summary())
    return 0


def run_ingest_reparse(args: argparse.Namespace) -> int:
    from courtlake.lake import open_lake
    from courtlake.settings import Settings
    from ingest.reparse import reparse

    lake = open_lake(args.lake or Settings.from_env().lake)
    result = reparse(lake, args.as_of, county_profile(args))
    print(result.summary())
    return 0


def run_ingest_parse(args: argparse.Namespace) -> int:
    import json

    from ingest.errors import PageStructureError
    from ingest.parsers.describe import describe_page

    county_profile(args)  # a bad --county is a usage error, even though pages say enough
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from None
    try:
        records = describe_page(text)
    except PageStructureError as exc:
        print(f"courtlake: {args.file} is not a page courtlake can read: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(records, indent=2, ensure_ascii=False))
    return 0


# -- courtlake deliver -------------------------------------------------------------------


def add_deliver(commands: argparse._SubParsersAction) -> None:
    deliver = commands.add_parser(
        "deliver",
        help="export, validate and promote the partners' weekly files",
        description="The delivery steps for one week, per partner: export the week's batch "
        "from the warehouse to staging/, validate it with Great Expectations (report under "
        "reports/<week>/), promote it to partners/ and the ledger. `promote` without "
        "--partner promotes `auto` partners; naming a `manual` partner approves it.",
    )
    deliver.add_argument("step", choices=("export", "validate", "promote"), help="the step")
    _week_options(deliver)
    deliver.add_argument(
        "--partner", type=csv_list, default=(), help="only these partners (comma-separated)"
    )
    deliver.set_defaults(handler=run_deliver_command)


def _week_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--week", type=iso_date, help="the delivery week's Monday, YYYY-MM-DD (default: this week)"
    )
    parser.add_argument("--lake", help="lake root: folder or s3://bucket/prefix (default ./lake)")
    parser.add_argument(
        "--target", choices=("dev", "prod"), help="dbt target: dev (DuckDB) or prod (Athena)"
    )


def open_deliveries(args: argparse.Namespace):
    from courtlake.lake import open_lake
    from courtlake.settings import Settings
    from orchestration.dbt import DbtProject
    from orchestration.deliver import Deliveries, check_week, monday_of

    settings = Settings.from_env()
    try:
        week = check_week(args.week or monday_of(date.today()))
    except ValueError as exc:
        raise UsageError(f"--week: {exc}") from None
    lake = open_lake(args.lake or settings.lake)
    dbt = DbtProject(
        lake=lake.uri(),
        warehouse=Path(settings.warehouse).resolve(),
        target=args.target or settings.dbt_target,
    )
    return Deliveries.open(lake, dbt), week


def run_deliver_command(args: argparse.Namespace) -> int:
    deliveries, week = open_deliveries(args)
    try:
        partners = deliveries.partners(args.partner)
    except ValueError as exc:
        raise UsageError(f"--partner: {exc}") from None
    if args.step == "export":
        for result in deliveries.export(week, partners):
            print(result.summary())
        return 0
    if args.step == "validate":
        records = deliveries.validate(week, partners)
        for record in records:
            verdict = "passed" if record.success else "FAILED: " + "; ".join(record.problems)
            print(f"{record.partner}: validation {verdict}")
            if record.data_docs:
                print(f"  data docs: {deliveries.lake.uri(record.data_docs)}")
        return 0 if all(r.success for r in records) else 1
    from orchestration.weekly import refresh_report

    results = deliveries.promote(week, partners, reviewed=bool(args.partner))
    for result in results:
        print(result.summary())
    print(f"report: {deliveries.lake.uri(refresh_report(deliveries.lake, week))}")
    return 0 if all(r.ok for r in results) else 1


# -- courtlake weekly --------------------------------------------------------------------


def add_weekly(commands: argparse._SubParsersAction) -> None:
    weekly = commands.add_parser(
        "weekly",
        help="the Monday run: ingest, compact, dbt build, export, validate, promote, report",
        description="Run (or resume) the whole week: ingest → compact → dbt build → export → "
        "validate → promote (auto partners) → report. Steps already complete are skipped, so "
        "a re-run after a failure resumes. Without portal URLs, ingest is skipped (the raw "
        "tables are already in the lake). Exit codes: 0 success; 1 validation failed or "
        "promotion refused for some partner; 2 usage; 3 ingest degraded; 4 infrastructure.",
    )
    _week_options(weekly)
    _scrape_options(weekly)
    weekly.add_argument(
        "--restart", action="store_true", help="run every step again (ignore completed steps)"
    )
    weekly.set_defaults(handler=run_weekly_command)


def run_weekly_command(args: argparse.Namespace) -> int:
    from orchestration.lock import LockHeldError
    from orchestration.weekly import ExitCode, WeeklyConfig, run_weekly

    deliveries, week = open_deliveries(args)
    if bool(args.court_url) != bool(args.jail_url):
        raise UsageError("give both --court-url and --jail-url, or neither (no ingest)")
    scrape = ingest_config(args, week) if args.court_url else None
    config = WeeklyConfig(
        week=week, lake=deliveries.lake, dbt=deliveries.dbt, ingest=scrape, restart=args.restart
    )
    try:
        result = run_weekly(config)
    except LockHeldError as exc:
        print(f"courtlake: refused: {exc}", file=sys.stderr)
        return ExitCode.INFRASTRUCTURE
    print()
    for step in result.steps:
        print(f"  {step.name:<10} {step.status:<13} {step.seconds:7.1f} s  {step.message}")
    for line in result.lines():
        print(line)
    if result.report:
        print(f"report: {deliveries.lake.uri(result.report)}")
    return int(result.exit_code)


# -- courtlake athena-local ------------------------------------------------------------


def add_athena_local(commands: argparse._SubParsersAction) -> None:
    local = commands.add_parser(
        "athena-local",
        help="an offline stand-in for Athena (moto + Trino + an Athena API front)",
        description="A local Athena for the prod dbt target: moto (S3, Glue, STS), a "
        "single-node Trino on that Glue and S3, and an Athena API front.",
    )
    local_commands = local.add_subparsers(dest="athena_command", required=True, metavar="COMMAND")
    serve = local_commands.add_parser(
        "serve",
        help="run it until Ctrl-C, printing the environment that reaches it",
        description="Start moto, Trino and the Athena front on loopback; print `export` "
        "lines (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ATHENA, COURTLAKE_ATHENA_*) to source "
        "before `dbt build --target prod` or `courtlake weekly --target prod`.",
    )
    serve.add_argument(
        "--workdir",
        type=Path,
        default=Path("target/athena-local"),
        help="Trino's config, data and logs (default target/athena-local)",
    )
    serve.add_argument(
        "--port", type=port_number, default=8900, help="the Athena front's port (default 8900)"
    )
    serve.add_argument("--env-file", type=Path, help="also write the export lines here")
    serve.set_defaults(handler=run_athena_local_serve)


def run_athena_local_serve(args: argparse.Namespace) -> int:
    from athena_local.serve import serve

    serve(args.workdir.resolve(), args.port, args.env_file)
    return 0


# -- entry point -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="courtlake",
        description="Scrape court and jail portals into a lake, model them with dbt, and "
        "deliver each partner its weekly file exactly once.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_simulator(commands)
    add_ingest(commands)
    add_deliver(commands)
    add_weekly(commands)
    add_athena_local(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(debug=args.debug)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"courtlake: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if args.debug:
            raise
        print(f"courtlake: error: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 4  # infrastructure / unexpected (see `courtlake weekly --help`)


if __name__ == "__main__":
    sys.exit(main())
