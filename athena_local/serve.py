"""Run the local Athena until interrupted, printing the environment a client needs.

    courtlake athena-local serve [--workdir DIR] [--port 8900] [--env-file FILE]

The printed lines are `export NAME=value` (also written to --env-file): source them,
then `dbt build --target prod`, `courtlake weekly --target prod --lake s3://…` and
boto3 reach moto and the front.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from athena_local.stack import LocalAthena


def exports(env: dict[str, str]) -> str:
    return "".join(f"export {name}={value}\n" for name, value in sorted(env.items()))


def serve(workdir: Path, port: int, env_file: Path | None = None) -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with LocalAthena(workdir, front_port=port) as athena:
        text = exports(athena.env())
        if env_file is not None:
            env_file.write_text(text)
        print(text, end="", flush=True)
        print(
            f"# local Athena up (Trino started in {athena.timings['trino_start_s']:.1f} s); "
            "Ctrl-C stops it",
            flush=True,
        )
        stop.wait()
