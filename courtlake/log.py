"""Logging for the command line: plain timestamped lines, quiet third-party loggers.

Request-level loggers (httpx, urllib3, selenium) stay at WARNING: their INFO lines would
print every URL, and with them names people were looked up by.
"""

from __future__ import annotations

import logging

QUIET = (
    "httpx",
    "httpcore",
    "urllib3",
    "selenium",
    "botocore",
    "boto3",
    "s3transfer",
    "great_expectations",
)


def setup_logging(debug: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
