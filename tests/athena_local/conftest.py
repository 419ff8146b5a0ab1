"""The local Athena for the tests marked `athena_local` (one per test module).

Those tests start Trino (a JVM, ~15 s) and need its ~820 MB release in the cache, so
`make test` skips them and `make test-athena` runs them (COURTLAKE_TEST_ATHENA=1).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from athena_local.stack import LocalAthena

ENABLED = os.environ.get("COURTLAKE_TEST_ATHENA") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="runs on the local Athena: make test-athena")
    for item in items:
        if item.get_closest_marker("athena_local") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def athena(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAthena]:
    with LocalAthena(Path(tmp_path_factory.mktemp("athena-local"))) as running:
        yield running
