"""Write one large object to a lake, for tests that SIGKILL a writer mid-write.

    python lake_writer.py LAKE_URI KEY --mode put_new|put --size BYTES [--fill CHAR]

Prints ``started`` (flushed) when the write begins: for a local lake right before the
call, for S3 when the PutObject request is about to go on the wire. Prints ``done`` when
the write returned. The object is ``--size`` copies of ``--fill``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from courtlake.lake import S3Lake, open_lake


def _started(**_: Any) -> None:
    print("started", flush=True)


def main() -> int:
    """Parse the arguments and do the write."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lake")
    parser.add_argument("key")
    parser.add_argument("--mode", choices=("put_new", "put"), required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--fill", default="x")
    args = parser.parse_args()

    data = args.fill.encode() * args.size
    lake = open_lake(args.lake)
    if isinstance(lake, S3Lake):
        lake.client.meta.events.register("before-send.s3.PutObject", _started)
    else:
        _started()
    getattr(lake, args.mode)(args.key, data)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
