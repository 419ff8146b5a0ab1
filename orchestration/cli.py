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
        description="Serve the court portal under /Portal/ and the jail roster under /jail/ on "
        "one loopback port, with admin endpoints under /_admin/ (clock, truth, stats, faults).",
    )
    _world_options(serve)
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
    parser.add_argument("--seed", type=int, required=True, help="world seed (same seed, same world)")
    parser.add_argument("--as-of", type=iso_date, required=True, help="simulated date, YYYY-MM-DD")
    parser.add_argument(
        "--scale",
        type=positive_float,
        default=1.0,
        help="world size: 1.0 ≈ 5,500 cases and ~200 people in custody (default 1.0)",
    )


def run_simulator_serve(args: argparse.Namespace) -> int:
    from simulator.faults import parse_faults
    from simulator.server import build_state, serve_forever

    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        raise UsageError(f"--faults: {exc}") from None
    state = build_state(args.seed, args.as_of, scale=args.scale, faults=faults)
    base = f"http://{args.host}:{args.port}"
    print(f"court portal  {base}/Portal/")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
        return 1


if __name__ == "__main__":
    sys.exit(main())
