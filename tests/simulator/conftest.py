"""Fixtures shared by the simulator's portal tests: one world for the whole session (each
module serves it under the county profiles it needs, see `portal_helpers.serve`)."""

from __future__ import annotations

import pytest

from simulator.model import World
from simulator.world import generate_world
from tests.simulator.portal_helpers import SCALE, SEED


@pytest.fixture(scope="session")
def portal_world() -> World:
    return generate_world(SEED, SCALE)
